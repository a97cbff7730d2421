"""The till on a real full disk (a small tmpfs; root only), fast: the fake WeChat client and
the manual clock, so these run with the unit tests (the slow fault tests run the same story
against the simulator over HTTP). A refused write stops new sales with "cannot save", the
status area says the disk is full, and once space is freed the till saves what it could not
(a payment received meanwhile ends paid) and takes sales again — no restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState as S
from pos_app.domain.text import Message
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.messages import PaymentText, from_stored
from pos_app.payments.policy import PollPolicy
from pos_app.payments.till import PaymentRefused, TillService
from tests.helpers.refused_write import refuse_transition_once
from tests.helpers.small_disk import fill, mounted_tmpfs
from tests.helpers.waiting import until
from tests.unit.payments.conftest import Harness
from tests.unit.payments.fakes import down

pytestmark = pytest.mark.logs_errors   # the refused writes are logged as errors

FAST = PollPolicy(storage_retry_first=0.02, storage_retry_max=0.05)


@pytest.fixture
def full(tmp_path: Path) -> Iterator[Harness]:
    """A harness whose database lives on a 2 MB tmpfs."""
    with mounted_tmpfs(tmp_path, 2) as mount:
        h = Harness(mount)
        h.till.shutdown()
        h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                             policy=FAST)
        h.till.subscribe(h.events.append)
        h.till.recover()
        yield h
        h.till.shutdown()
        h.db.close()




def _refused(start: Callable[[], object]) -> object:
    """The key of the refusal; every call before it must have succeeded (an order id)."""
    with pytest.raises(PaymentRefused) as exc:
        for _ in range(50):   # the first writes may still fit in pages SQLite holds
            assert isinstance(start(), int)
    return exc.value.message.key


def _keys(health: list[Message | None]) -> list[object]:
    return [None if m is None else m.key for m in health]


def test_a_full_disk_refuses_new_sales_until_space_is_freed(full: Harness, tmp_path: Path
                                                             ) -> None:
    h = full
    health: list[Message | None] = []
    h.till.subscribe_health(health.append)
    assert h.till.can_write
    oid = h.order()
    filler = fill(tmp_path / "small")
    assert _refused(h.order) is PaymentText.CANNOT_SAVE
    assert not h.till.can_write
    msg = h.till.health()
    assert msg is not None and msg.key is PaymentText.DISK_FULL
    assert until(lambda: bool(health) and health[-1] is not None
                 and health[-1].key is PaymentText.DISK_FULL)
    # nothing else is started while the till cannot write: refused before any write
    for start in (lambda: h.till.pay_cash(oid, 500),  # type: ignore[arg-type]
                  lambda: h.till.pay_native(oid),
                  lambda: h.till.pay_code(oid, "134567890123456789")):
        with pytest.raises(PaymentRefused) as exc:
            start()
        assert exc.value.message.key is PaymentText.CANNOT_SAVE
    assert h.till.attempts_for_order(oid) == [] and h.gw.calls == []
    time.sleep(0.2)                    # the retry keeps probing; the disk still refuses
    assert not h.till.can_write

    filler.unlink()                    # space freed: no restart, no button
    assert until(lambda: h.till.can_write)
    assert until(lambda: bool(health) and health[-1] is not None
                 and health[-1].key is PaymentText.DISK_LOW)   # 2 MB: low, not full
    after = h.till.health()
    assert after is not None and after.key is PaymentText.DISK_LOW
    free = h.db.free_bytes()
    assert free is not None and after.param_dict() == {"free_mb": free // (1024 * 1024)}
    aid = h.till.pay_cash(oid, 500)  # type: ignore[arg-type]
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID
    order = h.till.order(oid)
    assert order is not None and order.status is OrderStatus.PAID


def test_a_payment_received_while_the_disk_is_full_is_saved_once_space_is_freed(
        full: Harness, tmp_path: Path) -> None:
    h = full
    filler: list[Path] = []

    def on_wait(_: float) -> None:   # the customer pays 3 s in; the disk fills just before
        for o in h.gw.orders.values():
            if o.kind == "native" and o.pay_at is None:
                o.pay_at = o.created + timedelta(seconds=3)
                filler.append(fill(tmp_path / "small"))
    h.waiter.on_wait = on_wait
    oid = h.order()
    aid = h.till.pay_native(oid)
    assert until(lambda: any(e.message is not None and e.message.key is PaymentText.PAID_UNSAVED
                             for e in h.events if e.attempt_id == aid))
    stored = h.till.attempt(aid)
    assert stored is not None and stored.state is S.AWAITING_CUSTOMER   # what the disk holds
    assert not h.till.can_write
    assert _refused(h.order) is PaymentText.CANNOT_SAVE
    time.sleep(0.2)
    stored = h.till.attempt(aid)
    assert stored is not None and stored.state is S.AWAITING_CUSTOMER

    filler[0].unlink()
    assert until(lambda: (h.till.attempt(aid) or stored).state is S.PAID)
    assert until(lambda: h.till.can_write)
    paid = h.till.attempt(aid)
    assert paid is not None and paid.transaction_id == h.gw.orders[paid.out_trade_no].transaction_id
    order = h.till.order(oid)
    assert order is not None and order.status is OrderStatus.PAID
    assert any(e.attempt_id == aid and e.state is S.PAID for e in h.events)
    assert h.gw.count("native_prepay") == 1      # never charged twice
    assert h.order() > oid                        # sales again


class HeldWaiter:
    """The till's background waits end only when the test opens the gate (or at shutdown)."""

    def __init__(self) -> None:
        self.gate = threading.Event()

    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        while not (self.gate.is_set() or cancel.is_set()):
            cancel.wait(0.01)
        return cancel.is_set()


def test_no_sale_is_taken_until_the_till_itself_sees_the_disk_accept_writes(
        full: Harness, tmp_path: Path) -> None:
    h = full
    h.till.shutdown()
    held = HeldWaiter()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         policy=FAST, background_waiter=held)
    h.till.recover()
    oid = h.order()
    filler = fill(tmp_path / "small")
    assert _refused(h.order) is PaymentText.CANNOT_SAVE
    filler.unlink()           # space is back, but the till's probe has not looked yet
    for start in (h.order, lambda: h.till.pay_cash(oid, 500)):  # type: ignore[arg-type]
        with pytest.raises(PaymentRefused) as exc:
            start()
        assert exc.value.message.key is PaymentText.CANNOT_SAVE
    assert not h.till.can_write
    assert h.till.attempts_for_order(oid) == []
    held.gate.set()           # the probe runs: the disk accepts writes
    assert until(lambda: h.till.can_write)
    assert h.order() > oid


def test_the_status_area_hears_when_free_space_runs_low_while_the_till_runs(
        tmp_path: Path) -> None:
    """No write fails: the till's periodic look at free space alone tells the status area
    (a 210 MB tmpfs: above the 200 MB warning until 20 MB are written)."""
    with mounted_tmpfs(tmp_path, 210) as mount:
        h = Harness(mount)
        h.till.shutdown()
        h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                             policy=PollPolicy(disk_check_interval=0.02))
        health: list[Message | None] = []
        h.till.subscribe_health(health.append)
        h.till.recover()
        assert h.till.health() is None and health == [None]
        (mount / "big").write_bytes(b"\0" * (20 * 1024 * 1024))
        assert until(lambda: health[-1] is not None)
        low = health[-1]
        assert low is not None and low.key is PaymentText.DISK_LOW
        assert health.count(low) == 1             # told once, not every look
        assert h.till.can_write                   # low is a warning, sales go on
        (mount / "big").unlink()
        assert until(lambda: health[-1] is None)  # and the warning goes away
        h.till.unsubscribe_health(health.append)
        h.till.unsubscribe_health(health.append)   # twice: harmless
        heard = len(health)
        (mount / "big").write_bytes(b"\0" * (20 * 1024 * 1024))
        assert until(lambda: h.till.health() is not None)
        time.sleep(0.2)                            # several looks of the watch
        assert len(health) == heard                # an unsubscribed callback hears nothing
        h.till.shutdown()
        h.db.close()


class CountingWaiter:
    """Records each background wait (no sleeping); after ``free_after`` waits it frees the
    disk (``free()``)."""

    def __init__(self, free_after: int, free: Callable[[], None]) -> None:
        self.waits: list[float] = []
        self.free_after = free_after
        self.free = free

    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        if cancel.is_set():
            return True
        self.waits.append(timeout)
        if len(self.waits) == self.free_after:
            self.free()
        return False


def test_the_disk_is_probed_again_with_growing_waits_up_to_the_maximum(
        full: Harness, tmp_path: Path) -> None:
    h = full
    h.till.shutdown()
    filler: list[Path] = []
    bg = CountingWaiter(6, lambda: filler[0].unlink())
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         policy=PollPolicy(storage_retry_first=1.0, storage_retry_max=5.0),
                         background_waiter=bg)
    h.till.recover()
    filler.append(fill(tmp_path / "small"))
    assert _refused(h.order) is PaymentText.CANNOT_SAVE
    assert until(lambda: h.till.can_write)
    assert bg.waits == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]   # the 6th look finds space again
    assert h.order() > 0


def test_a_still_unknown_outcome_is_told_with_its_newest_reason_when_the_note_is_refused(
        full: Harness, tmp_path: Path) -> None:
    """Asked again, the outcome is still unknown, for a new reason; the disk refuses to
    store that note: the cashier is still told the new reason (the row keeps the old)."""
    h = full
    h.till.shutdown()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         policy=FAST, background_waiter=HeldWaiter())
    h.till.subscribe(h.events.append)
    h.till.recover()
    h.gw.faults["close"].extend([down() for _ in range(10)])
    h.gw.faults["query"].extend([down() for _ in range(10)])
    cancelled: list[bool] = []

    def cancel_once(_s: float) -> None:
        if not cancelled:
            cancelled.append(True)
            for u in h.till.unfinished_attempts():
                h.till.cancel(u.id)
    h.waiter.on_wait = cancel_once
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    before = from_stored(a.message)
    assert before is not None and before.key is PaymentText.UNCERTAIN_CLOSE
    h.gw.faults.clear()
    filler = fill(tmp_path / "small")
    assert _refused(h.order) is PaymentText.CANNOT_SAVE       # the disk refuses writes now
    h.events.clear()
    h.gw.faults["query"].append(down())                         # offline this time
    h.till.cancel(aid)
    h.run()
    told = [e for e in h.events if e.attempt_id == aid]
    assert [e.state for e in told] == [S.UNCERTAIN]
    assert told[0].message is not None and told[0].message.key is PaymentText.UNCERTAIN_OFFLINE
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    stored = from_stored(a.message)
    assert stored is not None and stored.key is PaymentText.UNCERTAIN_CLOSE   # not stored
    filler.unlink()


def test_a_paid_state_the_disk_refused_once_is_saved_by_the_retry_never_left_to_a_person(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One write refused (an I/O error, then the disk is fine): the payment ends paid via
    the till's storage retry — never "uncertain, needs a person" on the way."""

    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         policy=FAST)
    h.till.subscribe(h.events.append)
    h.till.recover()
    refused = refuse_transition_once(monkeypatch, h.till.attempts, S.PAID)

    def pay_soon(_s: float) -> None:
        for o in h.gw.orders.values():
            if o.kind == "native" and o.pay_at is None:
                o.pay_at = o.created + timedelta(seconds=2)
    h.waiter.on_wait = pay_soon
    aid = h.till.pay_native(h.order())
    assert until(lambda: (h.till.attempt(aid) or S).state is S.PAID)  # type: ignore[union-attr]
    assert refused == [S.PAID]
    assert any(e.message is not None and e.message.key is PaymentText.PAID_UNSAVED
               for e in h.events if e.attempt_id == aid)
    assert S.UNCERTAIN not in [e.to_state for e in h.till.attempt_events(aid)]
    assert until(lambda: h.till.can_write)
    h.till.shutdown()
    h.db.close()


def test_a_sale_and_a_payment_both_refused_in_one_outage_are_both_dealt_with(
        full: Harness, tmp_path: Path) -> None:
    """The disk fills while a QR waits: a new sale is refused first, then the customer
    pays and that write is refused too. Once space is back the payment is saved (the
    refused sale had nothing to save)."""
    h = full
    filler: list[Path] = []
    refused: list[object] = []

    def on_wait(_: float) -> None:
        for o in h.gw.orders.values():
            if o.kind == "native" and o.pay_at is None:
                o.pay_at = o.created + timedelta(seconds=3)
                filler.append(fill(tmp_path / "small"))
                refused.append(_refused(h.order))     # another window starts a sale
    h.waiter.on_wait = on_wait
    oid = h.order()
    aid = h.till.pay_native(oid)
    assert until(lambda: any(e.message is not None and e.message.key is PaymentText.PAID_UNSAVED
                             for e in h.events if e.attempt_id == aid))
    assert refused == [PaymentText.CANNOT_SAVE]
    retry = [t for t in threading.enumerate() if t.name == "storage-retry" and t.is_alive()]
    assert len(retry) == 1                    # one retry loop for the whole outage
    filler[0].unlink()
    assert until(lambda: (h.till.attempt(aid) or S).state is S.PAID)  # type: ignore[union-attr]
    assert until(lambda: h.till.can_write)


def test_the_till_reopens_at_the_first_look_that_saves_what_was_refused(
        full: Harness, tmp_path: Path) -> None:
    h = full
    h.till.shutdown()
    filler: list[Path] = []
    bg = CountingWaiter(2, lambda: filler[0].unlink())
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         policy=FAST, background_waiter=bg)
    h.till.subscribe(h.events.append)
    h.till.recover()
    counting = bg.wait

    def after_the_lane(cancel: threading.Event, timeout: float) -> bool:
        # the payment's own job must have ended first (else the retry finds it still
        # running and, rightly, looks again next round)
        assert h.till.wait_idle(10)
        return counting(cancel, timeout)
    bg.wait = after_the_lane  # type: ignore[method-assign]

    def on_wait(_: float) -> None:
        for o in h.gw.orders.values():
            if o.kind == "native" and o.pay_at is None:
                o.pay_at = o.created + timedelta(seconds=3)
                filler.append(fill(tmp_path / "small"))
    h.waiter.on_wait = on_wait
    aid = h.till.pay_native(h.order())
    assert until(lambda: h.till.can_write and (h.till.attempt(aid) or S).state is S.PAID)  # type: ignore[union-attr]
    assert len(bg.waits) == 2                 # full, then freed: saved and reopened at once


def test_a_broken_disk_probe_reopens_the_till_rather_than_shutting_it_for_good(
        full: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in the retry loop (here: the probe itself raises) must not leave the till
    refusing every sale forever: it lets the next write try for real."""
    h = full
    health: list[Message | None] = []
    h.till.subscribe_health(health.append)

    def broken_probe(*_a: object) -> bool:
        raise RuntimeError("probe bug")

    filler = fill(tmp_path / "small")
    monkeypatch.setattr(h.db, "probe_write", broken_probe)
    assert _refused(h.order) is PaymentText.CANNOT_SAVE
    assert until(lambda: h.till.can_write)
    assert until(lambda: bool(health) and (health[-1] is None
                                           or health[-1].key is not PaymentText.DISK_FULL))
    filler.unlink()
    assert h.order() > 0
