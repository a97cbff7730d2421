"""The till's background work when things go wrong at once (issue 17, mutation run of
payments/till.py), on the real SQLite store: a workflow that crashes while the disk refuses
the "uncertain" mark, a background re-check that finds the payment busy elsewhere, a
re-check that crashes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState as S
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.messages import PaymentText, from_stored
from pos_app.payments.policy import PollPolicy
from pos_app.payments.till import PaymentRefused, TillService
from pos_app.storage.errors import StorageWriteError
from tests.helpers.refused_write import refuse_transition_once
from tests.helpers.waiting import until as _until
from tests.unit.payments.conftest import Harness

CODE = "134567890123456789"
FAST = PollPolicy(storage_retry_first=0.02, storage_retry_max=0.05)




def _state(h: Harness, aid: int) -> S | None:
    a = h.till.attempt(aid)
    return None if a is None else a.state


@pytest.fixture
def crashing(tmp_path: Path) -> Iterator[tuple[Harness, list[str]]]:
    """A till whose workflow crashes (a bug) once, right after the channel answered."""
    crash_at: list[str] = []

    def hook(name: str) -> None:
        if name in crash_at:
            crash_at.remove(name)
            raise RuntimeError("bug after the answer")

    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         policy=FAST, fault_hook=hook)
    h.till.subscribe(h.events.append)
    h.till.recover()
    yield h, crash_at
    h.till.shutdown()
    h.db.close()


@pytest.mark.logs_errors   # the crash and the refused write are logged as errors
def test_a_crash_whose_uncertain_mark_the_disk_refuses_is_saved_by_the_storage_retry(
        crashing: tuple[Harness, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The workflow crashes after the customer was charged, and the disk refuses to store
    "uncertain": the till stops taking sales (nothing can be saved) and its storage retry
    re-asks the channel once the disk is back — the payment ends paid, never lost."""
    h, crash_at = crashing
    refused = refuse_transition_once(monkeypatch, h.till.attempts, S.UNCERTAIN)
    crash_at.append("response_received")
    h.gw.codepay_plan[CODE] = "success"
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    assert _until(lambda: _state(h, aid) is S.PAID)
    assert refused == [S.UNCERTAIN]
    assert S.UNCERTAIN not in [e.to_state for e in h.till.attempt_events(aid)]
    order = h.till.order(oid)
    assert order is not None and order.status is OrderStatus.PAID
    assert h.gw.count("codepay") == 1                 # re-asked, never charged again
    assert _until(lambda: h.till.can_write)


@pytest.mark.logs_errors   # the crash is logged as an error
def test_a_crashed_payment_is_uncertain_needs_a_person_and_the_cashier_is_told(
        crashing: tuple[Harness, list[str]]) -> None:
    """A bug after the channel answered: the payment is marked "uncertain" (it may have
    been charged; a person looks), subscribers (the payment dialog) hear it at once, the
    order stays blocked and the background does not re-check it."""
    h, crash_at = crashing
    crash_at.append("response_received")
    h.gw.codepay_plan[CODE] = "success"
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    assert h.till.wait_idle(10)
    a = h.till.attempt(aid)
    m = None if a is None else from_stored(a.message)
    assert a is not None and a.state is S.UNCERTAIN
    assert m is not None and m.key is PaymentText.UNCERTAIN_INTERNAL
    told = [e for e in h.events if e.attempt_id == aid]
    assert told[-1].state is S.UNCERTAIN
    assert told[-1].message is not None and told[-1].message.key is PaymentText.UNCERTAIN_INTERNAL
    with pytest.raises(PaymentRefused) as refused:
        h.till.pay_code(oid, CODE)
    assert refused.value.message.key is PaymentText.ORDER_UNCERTAIN
    time.sleep(0.05)
    assert _rechecks(aid) == []


@pytest.mark.logs_errors   # the crash and the refused write are logged as errors
def test_while_a_crashed_payment_cannot_be_saved_the_till_takes_no_sale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As above, with the storage retry held: the till says it cannot save."""

    class Held:
        def __init__(self) -> None:
            self.gate = threading.Event()

        def wait(self, cancel: threading.Event, timeout: float) -> bool:
            while not (self.gate.is_set() or cancel.is_set()):
                cancel.wait(0.01)
            return cancel.is_set()

    held = Held()
    crash_at = ["response_received"]

    def hook(name: str) -> None:
        if name in crash_at:
            crash_at.remove(name)
            raise RuntimeError("bug after the answer")

    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         policy=FAST, fault_hook=hook, background_waiter=held)
    h.till.recover()
    real = h.till.attempts.transition

    def refuse_uncertain(attempt_id, to, **kw):  # type: ignore[no-untyped-def]
        if to is S.UNCERTAIN:
            raise StorageWriteError("disk I/O error")
        return real(attempt_id, to, **kw)

    monkeypatch.setattr(h.till.attempts, "transition", refuse_uncertain)
    h.gw.codepay_plan[CODE] = "success"
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    assert h.till.wait_idle(10)
    assert not h.till.can_write
    health = h.till.health()
    assert health is not None and health.key is PaymentText.DISK_FULL
    with pytest.raises(PaymentRefused) as refused:
        h.till.create_order(h_cart(), cashier="alice")
    assert refused.value.message.key is PaymentText.CANNOT_SAVE
    assert _state(h, aid) is S.CREATED                # what the disk holds
    held.gate.set()                                   # the disk is back
    assert _until(lambda: _state(h, aid) is S.PAID)
    assert _until(lambda: h.till.can_write)
    h.till.shutdown()
    h.db.close()


def h_cart():  # type: ignore[no-untyped-def]
    from pos_app.domain.cart import Cart
    from pos_app.domain.catalog import Product
    from pos_app.domain.money import Fen

    cart = Cart()
    cart.add(Product("COKE", "可口可乐 330ml", Fen(300), "6901234567011"), 1)
    return cart


# ----------------------------------------------------------------------------- re-check races


class GatedWaiter:
    """Background waits that end when the test says so (``step``) or at shutdown."""

    def __init__(self) -> None:
        self.steps = threading.Semaphore(0)
        self.waited: list[float] = []

    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        self.waited.append(timeout)
        while not cancel.is_set():
            if self.steps.acquire(timeout=0.02):
                return cancel.is_set()
        return True

    def step(self) -> None:
        self.steps.release()


class BlockingQueries:
    """Wraps the fake client's query: while ``hold`` is set, each query says it entered
    and waits for ``release``; ``inside`` counts the queries in progress at once."""

    def __init__(self, h: Harness) -> None:
        self.real = h.gw.query
        self.hold = threading.Event()
        self.release = threading.Event()
        self.entered = threading.Semaphore(0)
        self.inside = 0
        self.most_inside = 0
        self.held = 0          # queries that were held
        self._lock = threading.Lock()

    def __call__(self, out_trade_no: str):  # type: ignore[no-untyped-def]
        if not self.hold.is_set():
            return self.real(out_trade_no)
        with self._lock:
            self.inside += 1
            self.held += 1
            self.most_inside = max(self.most_inside, self.inside)
        self.entered.release()
        try:
            self.release.wait(10)
            return self.real(out_trade_no)
        finally:
            with self._lock:
                self.inside -= 1


@pytest.fixture
def unknown(tmp_path: Path) -> Iterator[tuple[Harness, GatedWaiter, BlockingQueries, int]]:
    """A code payment whose outcome is unknown (every query and reverse failed), its
    background re-check waiting for the test's step; queries can be held."""
    from pos_app.wechatpay.errors import TransportError

    bg = GatedWaiter()
    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         background_waiter=bg)
    h.till.subscribe(h._on_event)
    h.till.recover()
    blocking = BlockingQueries(h)
    h.gw.query = blocking  # type: ignore[method-assign]
    h.gw.codepay_plan[CODE] = "userpaying_forever"
    for op in ("query", "reverse"):
        h.gw.faults[op].extend(TransportError("read timed out") for _ in range(200))
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    assert _state(h, aid) is S.UNCERTAIN
    assert _until(lambda: len(bg.waited) == 1)
    h.gw.faults.clear()                      # the network is back
    yield h, bg, blocking, aid
    blocking.release.set()
    h.till.shutdown()
    h.db.close()


def test_a_recheck_due_while_the_cashier_resolves_the_payment_waits_for_the_next_round(
        unknown: tuple[Harness, GatedWaiter, BlockingQueries, int]) -> None:
    """The cashier asks again (the lane resolves it) and the background re-check falls due
    meanwhile: it must not run a second resolve of the same payment beside the first."""
    h, bg, blocking, aid = unknown
    reverses = h.gw.count("reverse")
    blocking.hold.set()
    h.till.cancel(aid)                                  # resolve on the lane…
    assert blocking.entered.acquire(timeout=10)         # …is asking the channel
    bg.step()                                           # the re-check falls due
    assert _until(lambda: len(bg.waited) >= 2)          # it looks again next round
    assert blocking.most_inside == 1 and blocking.held == 1
    blocking.release.set()
    assert _until(lambda: _state(h, aid) is S.REVERSED)
    assert h.gw.count("codepay") == 1 and h.gw.count("reverse") == reverses + 1


def test_a_cashier_asking_again_while_the_background_recheck_runs_starts_no_second_resolve(
        unknown: tuple[Harness, GatedWaiter, BlockingQueries, int]) -> None:
    h, bg, blocking, aid = unknown
    reverses = h.gw.count("reverse")
    blocking.hold.set()
    bg.step()                                           # the background re-check runs…
    assert blocking.entered.acquire(timeout=10)         # …and is asking the channel
    h.till.cancel(aid)                                  # the cashier asks again meanwhile
    assert h.till.wait_idle(10)                         # nothing was queued on the lane
    time.sleep(0.05)
    assert blocking.most_inside == 1 and blocking.held == 1
    blocking.release.set()
    assert _until(lambda: _state(h, aid) is S.REVERSED)
    assert h.gw.count("codepay") == 1 and h.gw.count("reverse") == reverses + 1


@pytest.mark.logs_errors   # the crashed re-check is logged as an error
def test_after_a_recheck_crashed_the_payment_is_rechecked_again_when_still_unknown(
        unknown: tuple[Harness, GatedWaiter, BlockingQueries, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A background re-check that crashes (the database could not be read) must not
    leave the payment marked as "being re-checked" for good: once the cashier asks again
    and it is still unknown, a new re-check starts and later settles it."""
    import sqlite3

    from pos_app.wechatpay.errors import TransportError

    h, bg, _blocking, aid = unknown
    real_get = h.till.attempts.get
    crashed: list[str] = []

    def get_failing_once_in_the_recheck(attempt_id: int):  # type: ignore[no-untyped-def]
        if threading.current_thread().name == f"recheck-{aid}" and not crashed:
            crashed.append("get")
            raise sqlite3.OperationalError("disk I/O error")
        return real_get(attempt_id)

    monkeypatch.setattr(h.till.attempts, "get", get_failing_once_in_the_recheck)
    bg.step()                                             # the re-check runs and crashes
    assert _until(lambda: crashed == ["get"] and not _rechecks(aid))
    for op in ("query", "reverse"):                       # still no network
        h.gw.faults[op].extend(TransportError("read timed out") for _ in range(200))
    h.till.cancel(aid)                                    # the cashier asks again
    assert h.till.wait_idle(10)
    assert _state(h, aid) is S.UNCERTAIN
    assert _until(lambda: len(bg.waited) == 2)            # a new re-check waits
    assert len(_rechecks(aid)) == 1
    h.gw.faults.clear()                                   # the network is back
    bg.step()
    assert _until(lambda: _state(h, aid) is S.REVERSED)


def _rechecks(aid: int) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"recheck-{aid}" and t.is_alive()]


@pytest.mark.logs_errors   # the channel adapter's bug is logged as an error
def test_an_outcome_that_turned_into_a_bug_while_the_recheck_waited_is_left_to_a_person(
        unknown: tuple[Harness, GatedWaiter, BlockingQueries, int]) -> None:
    """The cashier asks again while the background re-check waits, and the channel
    adapter fails with a bug: the payment is "uncertain, needs a person". When its wait
    ends, the re-check looks at the payment as it is *now* and asks the channel nothing."""
    h, bg, _blocking, aid = unknown
    h.gw.faults["query"].append(RuntimeError("bug in the adapter"))
    h.till.cancel(aid)
    assert h.till.wait_idle(10)
    a = h.till.attempt(aid)
    m = None if a is None else from_stored(a.message)
    assert a is not None and a.state is S.UNCERTAIN
    assert m is not None and m.key is PaymentText.UNCERTAIN_INTERNAL
    queries, reverses = h.gw.count("query"), h.gw.count("reverse")
    bg.step()                                             # the re-check's wait ends
    assert _until(lambda: not _rechecks(aid))             # it stops …
    assert (h.gw.count("query"), h.gw.count("reverse")) == (queries, reverses)  # … asking nothing
    assert _state(h, aid) is S.UNCERTAIN
    assert len(bg.waited) == 1


# ----------------------------------------------------------------------------- storage retry


@pytest.mark.logs_errors   # the refused write is logged as an error
def test_the_till_stays_closed_while_a_refused_payment_is_still_being_resolved_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk refused to store "paid"; when it accepts writes again the cashier is
    already asking about that payment (resolving on the lane, waiting for the channel).
    The storage retry must not reopen the till before that payment is stored: it looks
    again next round, then reopens."""
    bg = GatedWaiter()
    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         background_waiter=bg)
    h.till.recover()
    blocking = BlockingQueries(h)
    h.gw.query = blocking  # type: ignore[method-assign]
    refused = refuse_transition_once(monkeypatch, h.till.attempts, S.PAID)
    h.gw.codepay_plan[CODE] = "success"
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    assert h.till.wait_idle(10)
    assert refused == [S.PAID] and not h.till.can_write
    assert _until(lambda: len(bg.waited) == 1)         # the storage retry waits
    blocking.hold.set()
    h.till.cancel(aid)                                 # the cashier asks again: on the lane
    assert blocking.entered.acquire(timeout=10)        # … waiting for the channel
    bg.step()                                          # the disk accepts writes again
    assert _until(lambda: len(bg.waited) == 2)         # the retry looks again next round
    assert not h.till.can_write                        # … and keeps the till closed
    with pytest.raises(PaymentRefused) as no_sale:
        h.till.create_order(h_cart(), cashier="alice")
    assert no_sale.value.message.key is PaymentText.CANNOT_SAVE
    blocking.hold.clear()
    blocking.release.set()
    assert h.till.wait_idle(10)
    assert _state(h, aid) is S.PAID
    bg.step()
    assert _until(lambda: h.till.can_write)            # stored: the till reopens
    assert blocking.held == 1 and h.gw.count("codepay") == 1
    order = h.till.order(oid)
    assert order is not None and order.status is OrderStatus.PAID
    h.till.shutdown()
    h.db.close()


# ----------------------------------------------------------------------------- QR re-check races


def test_the_re_check_at_time_expire_skips_a_qr_the_background_re_check_is_resolving(
        tmp_path: Path) -> None:
    """A cancelled QR whose close WeChat did not confirm is uncertain: the till re-checks it
    after its time_expire (via the lane) and the background re-check resolves it too. When
    the lane's turn comes while the background one is asking the channel, the lane must
    not start a second resolve of the same payment beside it."""
    from tests.helpers.clock import InstantWaiter

    bg = GatedWaiter()
    h = Harness(tmp_path)
    h.till.shutdown()
    later_gate = threading.Event()
    later_waits: list[float] = []

    class GatedLater(InstantWaiter):
        """The re-check at time_expire (a wait on the till's stop event) waits for the
        test's gate; every other wait is instant."""

        def wait(self, cancel: threading.Event, timeout: float) -> bool:
            if cancel is h.till._stopping:
                later_waits.append(timeout)
                while not (later_gate.is_set() or cancel.is_set()):
                    cancel.wait(0.01)
            return super().wait(cancel, timeout)

    h.waiter = GatedLater(h.clock)
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         background_waiter=bg)
    h.till.recover()
    blocking = BlockingQueries(h)
    h.gw.query = blocking  # type: ignore[method-assign]
    h.gw.close_lag = "ignored"                         # the close does not take effect

    def cancel_at_two(_s: float) -> None:
        if h.waiter.total_waited >= 2:
            h.till.cancel(aid)
    h.waiter.on_wait = cancel_at_two
    aid = h.till.pay_native(h.order())
    assert h.till.wait_idle(10)
    h.waiter.on_wait = None
    assert _state(h, aid) is S.UNCERTAIN
    assert _until(lambda: len(later_waits) == 1 and len(bg.waited) == 1)
    assert len(_rechecks(aid)) == 2                    # the one at time_expire, the loop
    blocking.hold.set()
    bg.step()                                          # the background re-check runs …
    assert blocking.entered.acquire(timeout=10)        # … and is asking the channel
    later_gate.set()                                   # time_expire has passed: the lane's turn
    assert _until(lambda: len(_rechecks(aid)) == 1)    # it handed its resolve to the lane
    assert h.till.wait_idle(10)
    time.sleep(0.05)
    assert blocking.most_inside == 1 and blocking.held == 1
    blocking.release.set()
    assert _until(lambda: _state(h, aid) is S.CLOSED)
    h.till.shutdown()
    h.db.close()



def test_a_re_check_at_time_expire_queued_behind_a_busy_lane_is_dropped_when_the_till_stops(
        tmp_path: Path) -> None:
    """The re-check at a QR's time_expire is queued on the lane behind other work when the
    till begins shutting down; the lane finishes its queue before it closes. The queued
    re-check must then do nothing (no channel call, the payment left for the next start)."""
    from pos_app.payments.lanes import PaymentLane
    from tests.helpers.clock import InstantWaiter

    busy = threading.Event()

    class DrainingLane(PaymentLane):
        """Finishes the queued work before it closes (the busy job ends then)."""

        def shutdown(self, wait: bool = True) -> None:
            busy.set()
            self.submit(lambda: None).result(10)
            super().shutdown(wait)

    bg = GatedWaiter()                                  # the background loop never wakes
    h = Harness(tmp_path)
    h.till.shutdown()
    later_gate = threading.Event()

    class GatedLater(InstantWaiter):
        def wait(self, cancel: threading.Event, timeout: float) -> bool:
            if cancel is h.till._stopping:
                while not (later_gate.is_set() or cancel.is_set()):
                    cancel.wait(0.01)
            return super().wait(cancel, timeout)

    h.waiter = GatedLater(h.clock)
    h.till = TillService(h.db, WechatChannel(h.gw, None), clock=h.clock, waiter=h.waiter,
                         background_waiter=bg, lane=DrainingLane())
    h.till.recover()
    h.gw.close_lag = "ignored"

    def cancel_at_two(_s: float) -> None:
        if h.waiter.total_waited >= 2:
            h.till.cancel(aid)
    h.waiter.on_wait = cancel_at_two
    aid = h.till.pay_native(h.order())
    assert h.till.wait_idle(10)
    h.waiter.on_wait = None
    assert _state(h, aid) is S.UNCERTAIN
    assert _until(lambda: len(_rechecks(aid)) == 2)
    h.till.lane.submit(lambda: busy.wait(10))           # the lane is busy …
    later_gate.set()                                    # … when time_expire has passed
    assert _until(lambda: len(_rechecks(aid)) == 1)     # the re-check is queued on the lane
    calls = len(h.gw.calls)
    h.till.shutdown()
    assert h.gw.calls[calls:] == []                     # nothing asked while stopping
    assert _state(h, aid) is S.UNCERTAIN
    h.db.close()
