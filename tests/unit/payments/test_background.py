"""Issue 12 #2 and #4 on the real SQLite store: a request that never left the till ends
"not charged" at once; an unknown outcome is re-checked in the background until the
network is back; start-up recovery leaves a just-sent codepay's grace to the background."""

from __future__ import annotations

import threading
import time

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState as S
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.text import Message
from pos_app.payments.ids import out_trade_no
from pos_app.payments.messages import PaymentText
from pos_app.payments.till import PaymentRefused
from pos_app.wechatpay.errors import TransportError
from pos_app.wechatpay.models import TradeState
from tests.helpers.clock import InstantWaiter
from tests.helpers.waiting import until as _until
from tests.unit.payments.conftest import Harness, zh
from tests.unit.payments.fakes import FakeOrder

CODE = "134567890123456789"


def refused_connection() -> TransportError:
    err = TransportError("connection refused")
    err.never_sent = True
    return err



def _state(h: Harness, aid: int) -> S | None:
    a = h.till.attempt(aid)
    return None if a is None else a.state


def test_codepay_never_sent_is_not_charged_at_once(h: Harness) -> None:
    h.gw.faults["codepay"].append(refused_connection())
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED
    assert "未扣款" in zh(a.message) and "现金" in zh(a.message)
    assert h.waiter.total_waited == 0            # no polling, no reverse: nothing to wait for
    assert h.gw.count("query") == 0 and h.gw.count("reverse") == 0


def test_native_never_sent_is_not_charged_at_once(h: Harness) -> None:
    h.gw.faults["native_prepay"].append(refused_connection())
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED and "网络不通" in zh(a.message)
    assert h.waiter.total_waited == 0 and h.gw.count("close") == 0


def test_codepay_answer_lost_after_sending_is_not_called_not_sent(h: Harness) -> None:
    """A transport error that may have left the machine stays an unknown outcome."""
    h.gw.codepay_plan[CODE] = "success"
    h.gw.faults["codepay"].append(("after", TransportError("read timed out")))
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    assert _state(h, aid) == S.PAID


class GatedWaiter:
    """Background waits that return when the test says so (``step``), not by time."""

    def __init__(self) -> None:
        self.steps = threading.Semaphore(0)
        self.waited: list[float] = []

    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        self.waited.append(timeout)
        while not cancel.is_set():
            if self.steps.acquire(timeout=0.05):
                return cancel.is_set()
        return True

    def step(self) -> None:
        self.steps.release()


@pytest.fixture
def gated(tmp_path) -> tuple[Harness, GatedWaiter]:  # type: ignore[no-untyped-def]
    bg = GatedWaiter()

    class H(Harness):
        def make_till(self):  # type: ignore[no-untyped-def]
            from pos_app.payments.channels.wechat import WechatChannel
            from pos_app.payments.till import TillService
            till = TillService(self.db, WechatChannel(self.gw, None), clock=self.clock,
                               waiter=self.waiter, background_waiter=bg)
            till.subscribe(self._on_event)
            return till

    h = H(tmp_path)
    h.till.recover()
    yield h, bg  # type: ignore[misc]
    h.till.shutdown()
    h.db.close()


def test_unknown_outcome_is_rechecked_with_backoff_until_the_network_is_back(
        gated: tuple[Harness, GatedWaiter]) -> None:
    h, bg = gated
    h.gw.codepay_plan[CODE] = "userpaying_forever"
    for op in ("query", "reverse"):
        h.gw.faults[op].extend(TransportError("read timed out") for _ in range(200))
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    h.run()
    assert _state(h, aid) == S.UNCERTAIN
    with pytest.raises(PaymentRefused):
        h.till.pay_code(oid, CODE)
    queries = h.gw.count("query")
    bg.step()                                      # first re-check: still down
    assert _until(lambda: h.gw.count("query") > queries)
    assert _until(lambda: len(bg.waited) >= 2)
    assert _state(h, aid) == S.UNCERTAIN
    h.gw.faults["query"].clear()                   # the network is back
    h.gw.faults["reverse"].clear()
    bg.step()
    assert _until(lambda: _state(h, aid) == S.REVERSED)   # without recover() or a restart
    assert bg.waited[:2] == [2.0, 4.0]                     # backoff


def test_a_settled_payment_is_not_rechecked(gated: tuple[Harness, GatedWaiter]) -> None:
    h, bg = gated
    h.gw.codepay_plan[CODE] = "success"
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    h.run()
    assert _state(h, aid) == S.PAID
    assert bg.waited == []


def test_recovery_leaves_a_just_sent_codepays_grace_to_the_background(tmp_path) -> None:  # type: ignore[no-untyped-def]
    h = Harness(tmp_path)
    oid = h.order()
    with h.db.transaction() as conn:   # intent committed, the process died while sending
        seq = h.till.attempts.next_sequence(conn)
        otn = out_trade_no("P", h.clock.now(), "01", seq)
        aid = h.till.attempts.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY,
                                     out_trade_no=otn, amount=Fen(300))
    release = threading.Event()

    def late_arrival(_: float) -> None:  # the in-flight request lands during the grace
        release.wait(10)
        if otn not in h.gw.orders:
            h.gw.orders[otn] = FakeOrder("codepay", 300, TradeState.USERPAYING, h.clock.now())
            h.gw.pay(otn)

    h.waiter = InstantWaiter(h.clock, late_arrival)
    h.till = h.make_till()
    started = time.monotonic()
    events = h.till.recover()
    assert time.monotonic() - started < 5          # the grace is not waited out first
    assert h.till.recovered
    assert [(e.attempt_id, e.state) for e in events] == [(aid, S.CREATED)]
    with pytest.raises(PaymentRefused) as refused:   # the unresolved order stays blocked
        h.till.pay_code(oid, CODE)
    assert "正在进行" in zh(refused.value.message)
    other = h.order()
    cash = h.till.pay_cash(other, Fen(300))          # while a new sale goes ahead
    assert _state(h, cash) == S.PAID
    release.set()
    assert _until(lambda: _state(h, aid) == S.PAID)
    h.till.shutdown()
    h.db.close()


def test_low_disk_space_is_warned_at_start_up(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    h = Harness(tmp_path)
    seen: list[Message | None] = []
    h.till.subscribe_health(seen.append)
    assert seen == [None]                       # nothing known before start-up recovery
    monkeypatch.setattr(h.db, "free_bytes", lambda: 50 * 2**20)
    h.till.recover()                            # start-up: free space is looked at
    assert seen[-1] is not None and seen[-1].key is PaymentText.DISK_LOW
    assert "50 MB" in zh(seen[-1]) and "磁盘空间不足" in zh(seen[-1])
    monkeypatch.setattr(h.db, "free_bytes", lambda: 5 * 2**30)
    assert h.till.health() is None
    h.till.shutdown()
    h.db.close()
