"""The till's background re-check of unknown outcomes (gaps the full mutation run of
payments/till.py found, issue 17): a QR is not re-checked before its time_expire, an amount
mismatch is left to a person, one re-check per payment however often it is resolved."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState as S
from pos_app.domain.payment import PaymentMethod
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.ids import out_trade_no
from pos_app.payments.messages import PaymentText, from_stored
from pos_app.payments.till import TillService
from pos_app.wechatpay.models import TradeState
from tests.helpers.waiting import until as _until
from tests.unit.payments.conftest import Harness
from tests.unit.payments.fakes import FakeOrder, down


class HeldWaiter:
    """Background waits are recorded and end only at shutdown: what the till *asks* to
    wait is what these tests look at."""

    def __init__(self) -> None:
        self.waited: list[float] = []

    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        self.waited.append(timeout)
        cancel.wait()
        return True


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Harness, HeldWaiter]]:
    bg = HeldWaiter()
    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         background_waiter=bg)
    h.till.subscribe(h._on_event)
    yield h, bg
    h.till.shutdown()
    h.db.close()




def _rechecks(aid: int) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"recheck-{aid}" and t.is_alive()]


def _unknown_qr(h: Harness) -> int:
    """A QR the cashier cancelled at once; every close and query fails: uncertain."""
    h.gw.faults["close"].extend([down() for _ in range(10)])
    h.gw.faults["query"].extend([down() for _ in range(10)])
    cancelled: list[bool] = []

    def cancel_once(_s: float) -> None:
        if not cancelled:
            cancelled.append(True)
            for a in h.till.unfinished_attempts():
                h.till.cancel(a.id)
    h.waiter.on_wait = cancel_once
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    return aid


def test_an_unknown_qr_outcome_is_not_rechecked_before_its_time_expire(
        held: tuple[Harness, HeldWaiter]) -> None:
    h, bg = held
    h.till.recover()
    aid = _unknown_qr(h)
    a = h.till.attempt(aid)
    assert a is not None and a.expires_at is not None
    assert _until(lambda: len(bg.waited) == 1)
    to_expiry = (a.expires_at - h.clock.now()).total_seconds()
    assert to_expiry > 60                     # cancelled early: the QR is valid for minutes
    assert bg.waited == [pytest.approx(to_expiry + 1)]   # the customer could pay until then
    assert len(_rechecks(aid)) == 1


def test_resolving_an_unknown_outcome_again_starts_no_second_recheck(
        held: tuple[Harness, HeldWaiter]) -> None:
    h, _bg = held
    h.till.recover()
    aid = _unknown_qr(h)
    assert _until(lambda: len(_rechecks(aid)) == 1)
    h.gw.faults["query"].extend([down() for _ in range(10)])
    h.till.cancel(aid)                        # asked again: still unknown
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    time.sleep(0.1)
    assert len(_rechecks(aid)) == 1


@pytest.mark.logs_errors   # the amount mismatch is logged as an error
def test_an_amount_mismatch_is_left_to_a_person_not_rechecked(
        held: tuple[Harness, HeldWaiter]) -> None:
    h, bg = held
    oid = h.order(price=300)
    with h.db.transaction() as conn:
        seq = h.till.attempts.next_sequence(conn)
        otn = out_trade_no("P", h.clock.now(), "01", seq)
        aid = h.till.attempts.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY,
                                     out_trade_no=otn, amount=Fen(300))
    h.gw.orders[otn] = FakeOrder("codepay", 30, TradeState.USERPAYING, h.clock.now())
    h.gw.pay(otn)                             # 0.30 paid for a 3.00 sale
    h.till.recover()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    m = from_stored(a.message)
    assert m is not None and m.key is PaymentText.UNCERTAIN_AMOUNT
    time.sleep(0.1)
    assert bg.waited == [] and _rechecks(aid) == []


def test_asked_again_a_still_unknown_outcome_keeps_the_newest_error(
        held: tuple[Harness, HeldWaiter]) -> None:
    from pos_app.wechatpay.errors import TransportError

    h, _bg = held
    h.till.recover()
    aid = _unknown_qr(h)
    a = h.till.attempt(aid)
    assert a is not None and "newest" not in a.last_error
    h.gw.faults.clear()
    h.gw.faults["query"].append(TransportError("newest reason"))
    h.till.cancel(aid)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    assert "newest reason" in a.last_error
