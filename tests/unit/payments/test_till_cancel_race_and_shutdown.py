"""Till behaviours the full mutation run of payments/till.py found unpinned (issue 17):
cancelling an unknown outcome, cash racing a QR for one order, shutdown waiting for the
payment in progress."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pos_app.domain.clock import EventWaiter, Waiter
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState as S
from pos_app.domain.payment import PaymentMethod
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.messages import PaymentText
from pos_app.payments.till import PaymentRefused, TillService
from tests.unit.payments.conftest import Harness
from tests.unit.payments.fakes import down


class UntilStopped:
    """A background waiter that never times out: the till's own re-check of an unknown
    outcome stays out of the way, only shutdown ends it."""

    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        cancel.wait()
        return True


def _quiet_till(h: Harness) -> None:
    h.till.shutdown()
    waiter: Waiter = UntilStopped()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         background_waiter=waiter)
    h.till.subscribe(h.events.append)
    h.till.recover()


def test_cancelling_an_unknown_outcome_resolves_it_again_as_a_live_event(h: Harness) -> None:
    _quiet_till(h)
    h.gw.faults["close"].extend([down() for _ in range(10)])
    h.gw.faults["query"].extend([None] * 400 + [down()])  # the final query fails too
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    h.events.clear()
    h.gw.faults.clear()

    h.till.cancel(aid)          # the network is back: the cashier asks again
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    # one event, the outcome — not a repeat of "uncertain" first, and not a start-up one
    assert [(e.state, e.recovered) for e in h.events if e.attempt_id == aid] == [
        (S.CLOSED, False)]


def test_cancelling_a_finished_payment_changes_nothing(h: Harness) -> None:
    oid = h.order()
    aid = h.till.pay_cash(oid, 500)  # type: ignore[arg-type]
    h.run()
    h.events.clear()
    h.till.cancel(aid)
    h.run()
    assert h.events == [] and h.gw.calls == []
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID


def test_cash_pressed_while_a_qr_starts_for_the_same_order_is_refused(
        h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both pass the checks outside the write transaction; the QR's intent commits first:
    the cash payment must be refused inside its transaction (else: paid twice)."""
    oid = h.order()
    checked = TillService._payable
    gate = threading.Event()
    h.till.lane.submit(lambda: gate.wait(10))   # the QR attempt stays in flight
    qr: list[int] = []

    def payable_then_qr(self: TillService, order_id: int, *, wechat: bool):  # type: ignore[no-untyped-def]
        order = checked(self, order_id, wechat=wechat)
        if not wechat:
            qr.append(self.pay_native(order_id))   # the other press lands meanwhile
        return order

    monkeypatch.setattr(TillService, "_payable", payable_then_qr)
    try:
        with pytest.raises(PaymentRefused) as exc:
            h.till.pay_cash(oid, 500)  # type: ignore[arg-type]
        assert exc.value.message.key is PaymentText.ORDER_IN_PROGRESS
        attempts = h.till.attempts_for_order(oid)
        assert [(a.id, a.method) for a in attempts] == [(qr[0], PaymentMethod.NATIVE)]
        order = h.till.order(oid)
        assert order is not None and order.status is OrderStatus.OPEN
    finally:
        gate.set()
    h.run()


def test_cash_pressed_while_another_payment_settles_the_order_is_refused(
        h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The order is paid (by another press) between cash's checks and its transaction:
    the second cash payment is refused inside its transaction (else: paid twice)."""
    oid = h.order()
    checked = TillService._payable
    first: list[int] = []
    pressed: list[bool] = []

    def payable_then_paid(self: TillService, order_id: int, *, wechat: bool):  # type: ignore[no-untyped-def]
        order = checked(self, order_id, wechat=wechat)
        if not pressed:
            pressed.append(True)
            first.append(self.pay_cash(order_id, 1000))  # type: ignore[arg-type]
        return order

    monkeypatch.setattr(TillService, "_payable", payable_then_paid)
    with pytest.raises(PaymentRefused) as exc:
        h.till.pay_cash(oid, 500)  # type: ignore[arg-type]
    assert exc.value.message.key is PaymentText.ORDER_ALREADY_PAID
    assert [a.id for a in h.till.attempts_for_order(oid)] == first
    h.run()


def test_shutdown_waits_for_the_payment_in_progress(tmp_path: Path) -> None:
    # other tests' tills may still be winding down their own watchers: only this till's count
    earlier = {t for t in threading.enumerate() if t.name == "disk-watch"}
    h = Harness(tmp_path)
    h.till.recover()
    release = threading.Event()
    finished = threading.Event()

    def long_job() -> None:
        release.wait(10)
        finished.set()

    h.till.lane.submit(long_job)
    threading.Timer(0.3, release.set).start()
    h.till.shutdown()
    assert finished.is_set()      # nothing touches the database after the caller closes it
    assert not [t for t in threading.enumerate()
                if t.name == "disk-watch" and t.is_alive() and t not in earlier]
    h.db.close()


def test_shutdown_cancels_a_qr_that_is_waiting_for_the_customer(tmp_path: Path) -> None:
    """In real time: a QR waits minutes for the customer; shutdown does not wait for that,
    it cancels the wait, and the order is closed (nobody can pay it afterwards)."""
    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock,
                         waiter=EventWaiter(), background_waiter=UntilStopped())
    h.till.subscribe(h.events.append)
    h.till.recover()
    aid = h.till.pay_native(h.order())
    assert _until(lambda: any(e.state is S.AWAITING_CUSTOMER for e in h.events))
    done = threading.Thread(target=h.till.shutdown)
    done.start()
    done.join(10)
    assert not done.is_alive()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    assert h.gw.count("close") >= 1
    h.db.close()


class OnceThenUntilStopped:
    """The first background wait ends when the test says ``go`` (the re-check runs then),
    later ones only at shutdown."""

    def __init__(self) -> None:
        self.calls = 0
        self.go = threading.Event()

    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        self.calls += 1
        if self.calls > 1:
            cancel.wait()
        else:
            self.go.wait(10)
        return cancel.is_set()


def test_shutdown_waits_for_a_background_re_check_in_progress(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    h.till.shutdown()
    bg = OnceThenUntilStopped()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         background_waiter=bg)
    h.till.subscribe(h.events.append)
    h.till.recover()
    asking = threading.Event()
    answered = threading.Event()
    real_query = h.gw.query

    def slow_query(out_trade_no: str):  # type: ignore[no-untyped-def]
        if not asking.is_set():
            asking.set()
            threading.Timer(0.3, answered.set).start()
            answered.wait(10)   # the re-check is half-way when shutdown is called
        return real_query(out_trade_no)

    h.gw.faults["close"].extend([down() for _ in range(10)])
    h.gw.faults["query"].extend([None] * 400 + [down()])
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    h.gw.faults.clear()
    h.gw.query = slow_query  # type: ignore[method-assign]
    bg.go.set()                   # the re-check runs: wait until it is asking
    assert asking.wait(10)
    h.till.shutdown()
    assert not [t for t in threading.enumerate()
                if t.name == f"recheck-{aid}" and t.is_alive()]
    h.db.close()


def _until(check, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    import time
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.01)
    return bool(check())


EXIT_WITHOUT_SHUTDOWN = """
import sys
from pathlib import Path
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.till import TillService
from pos_app.storage.db import Database
from tests.helpers.clock import ManualClock
from tests.unit.payments.fakes import FakeGateway
till = TillService(Database(Path(sys.argv[1]) / "t.sqlite3"),
                   WechatChannel(FakeGateway(ManualClock()), None))
till.recover()          # starts the disk watch (a background thread); no shutdown()
print("recovered", flush=True)
"""


def test_the_program_can_exit_without_shutting_the_till_down(tmp_path: Path) -> None:
    """A crash path that never calls shutdown() must not hang the process on its
    background threads (they are daemons)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-c", EXIT_WITHOUT_SHUTDOWN, str(tmp_path)],
                          cwd=root, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "recovered" in done.stdout


def test_shutdown_from_a_background_thread_does_not_wait_for_itself(tmp_path: Path) -> None:
    """A subscriber that stops the till when it hears the background re-check's outcome
    calls shutdown() on that re-check's own thread: it must not try to join itself."""
    h = Harness(tmp_path)
    h.till.shutdown()
    bg = OnceThenUntilStopped()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         background_waiter=bg)
    stopped = threading.Event()
    heard: list[bool] = []

    def stop_on_recheck(e) -> None:  # type: ignore[no-untyped-def]
        if threading.current_thread().name.startswith("recheck-") and e.state is S.CLOSED:
            heard.append(e.recovered)
            h.till.shutdown()
            stopped.set()

    h.till.subscribe(stop_on_recheck)
    h.till.recover()
    h.gw.faults["close"].extend([down() for _ in range(10)])
    h.gw.faults["query"].extend([None] * 400 + [down()])
    aid = h.till.pay_native(h.order())
    h.run()
    h.gw.faults.clear()
    bg.go.set()
    assert stopped.wait(10)
    for t in threading.enumerate():   # the re-check thread ends by itself: wait for it
        if t.name == f"recheck-{aid}":
            t.join(10)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    assert heard == [False]       # the re-check's outcome is live news, not a start-up find
    h.db.close()


def test_recovering_again_starts_no_second_disk_watch(h: Harness) -> None:
    before = set(threading.enumerate())
    assert h.till.recover() == []          # the "retry" button: nothing unfinished
    new = [t for t in set(threading.enumerate()) - before if t.name == "disk-watch"]
    assert new == []


def test_the_till_exposes_the_channel_it_charges_through(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    channel = WechatChannel(h.gw, None)
    till = TillService(h.db, channel, clock=h.clock, waiter=h.waiter)
    assert till.gateway is channel            # what the UI tests drive the network through
    till.shutdown()
    h.till.shutdown()
    h.db.close()


def test_shutdown_without_waiting_returns_while_a_re_check_is_still_busy(
        tmp_path: Path) -> None:
    import time

    h = Harness(tmp_path)
    h.till.shutdown()
    bg = OnceThenUntilStopped()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         background_waiter=bg)
    h.till.recover()
    asking = threading.Event()
    release = threading.Event()
    real_query = h.gw.query

    def slow_query(out_trade_no: str):  # type: ignore[no-untyped-def]
        if not asking.is_set():
            asking.set()
            release.wait(10)
        return real_query(out_trade_no)

    h.gw.faults["close"].extend([down() for _ in range(10)])
    h.gw.faults["query"].extend([None] * 400 + [down()])
    aid = h.till.pay_native(h.order())
    h.run()
    h.gw.faults.clear()
    h.gw.query = slow_query  # type: ignore[method-assign]
    bg.go.set()
    assert asking.wait(10)
    t0 = time.monotonic()
    h.till.shutdown(wait=False)
    assert time.monotonic() - t0 < 2.0        # not held by the busy re-check
    release.set()
    for t in threading.enumerate():
        if t.name == f"recheck-{aid}":
            t.join(10)
    h.db.close()
