"""TillService: the :class:`pos_app.payments.api.Till` implementation.

* ``pay_*`` validate and commit the *intent* (attempt row with its unique
  ``out_trade_no``) synchronously — bad input raises :class:`PaymentRefused` and
  changes nothing — then return the attempt id; the network work runs on the
  single-worker payment lane.
* Events reach subscribers from the lane thread, after the state is committed.
* No sale is taken before :meth:`recover` has run once (:class:`RecoveryPending`).
* Several tills may share one database: orders, attempts and recovery are this till's
  (``till_id``) — a till never recovers, closes or reverses another till's attempt.
* An order with a ``paid``, in-flight or ``uncertain`` attempt refuses new attempts.
* An unknown outcome (``uncertain``) is re-checked in the background with backoff until
  it resolves (the network came back) — no restart, no button needed.
* A state change the disk refuses (full) stops that workflow without losing anything:
  the cashier is told ("payment received, cannot save"), the till takes no new sale,
  and a background loop re-resolves the attempt once the disk accepts writes again.
  :meth:`TillService.health` (and :meth:`TillService.subscribe_health`) say when the
  till cannot write or is low on space.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pos_app.domain.cart import Cart
from pos_app.domain.clock import Clock, EventWaiter, SystemClock, Waiter
from pos_app.domain.money import Fen
from pos_app.domain.order import Order, OrderLine, OrderStatus
from pos_app.domain.payment import (
    ALIPAY,
    WECHAT,
    AttemptEvent,
    AttemptState,
    PaymentAttempt,
    PaymentMethod,
    check_transition,
)
from pos_app.domain.scan import classify, mask_code
from pos_app.domain.text import Message, msg
from pos_app.payments import messages as pm
from pos_app.payments.api import PaymentEvent, Till
from pos_app.payments.gateway import PaymentChannel, PaymentGateway
from pos_app.payments.ids import TILL_ID_RE, out_trade_no
from pos_app.payments.lanes import PaymentLane
from pos_app.payments.messages import PaymentText
from pos_app.payments.policy import PollPolicy
from pos_app.payments.registry import CHANNEL_OF_SCAN, ChannelRegistry
from pos_app.payments.workflow import (
    AttemptWorkflow,
    Unsaved,
    WorkflowContext,
    event_of,
    run_native_pair,
)
from pos_app.storage.db import Database
from pos_app.storage.errors import StorageWriteError
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository

log = logging.getLogger("pos_app.payments")

BACKGROUND_JOIN_S = 10.0   # shutdown's wait for one background thread (a network call's bound)

S = AttemptState


class PaymentRefused(ValueError):
    """The request was refused before anything was stored or sent; ``message`` says why
    (the UI renders it)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class RecoveryPending(PaymentRefused):
    """``recover()`` has not completed yet; the till takes no sale until it has."""


def _no_hook(_name: str) -> None:
    return None


class TillService:
    """One till: orders, payment attempts, start-up recovery, event fan-out."""

    def __init__(
        self,
        db: Database,
        gateway: PaymentGateway | Mapping[str, PaymentChannel],
        *,
        till_id: str = "01",
        store_name: str = "便利店",
        policy: PollPolicy | None = None,
        clock: Clock | None = None,
        waiter: Waiter | None = None,
        lane: PaymentLane | None = None,
        fault_hook: Callable[[str], None] | None = None,
        background_waiter: Waiter | None = None,
    ) -> None:
        """``background_waiter``: the waits of the background loops (re-checks of unknown
        outcomes, the disk-full retry, the free-space check); real time by default."""
        if not TILL_ID_RE.match(till_id):
            raise ValueError("till id must be 1–4 letters/digits")
        self.db = db
        # the enabled channels by name (one channel alone is WeChat Pay)
        self.channels = ChannelRegistry.of(gateway)
        self.gateway = self.channels.channel(WECHAT)
        self.till_id = till_id
        self.store_name = store_name
        self.policy = policy or PollPolicy()
        self.clock = clock or SystemClock()
        self.waiter = waiter or EventWaiter()
        self.lane = lane or PaymentLane()
        self.orders = OrderRepository(db, self.clock, till_id=till_id)
        self.attempts = PaymentAttemptRepository(db, self.clock, till_id=till_id)
        self._hook = fault_hook or _no_hook
        self._subscribers: list[Callable[[PaymentEvent], None]] = []
        self._lock = threading.Lock()
        self._active: dict[int, threading.Event] = {}   # attempt id → cancel (queued/running)
        self._recovered = threading.Event()
        self._ctx = WorkflowContext(
            repo=self.attempts, orders=self.orders, gateway=self.gateway, policy=self.policy,
            clock=self.clock, waiter=self.waiter, emit=self._emit, hook=self._hook,
            description=self._description, recheck=self._recheck_later,
        )
        self._stopping = threading.Event()
        self._bg_waiter = background_waiter or EventWaiter()
        self._bg_threads: set[threading.Thread] = set()   # joined by shutdown()
        self._rechecking: set[int] = set()       # attempts with a background re-check
        self._unsaved: set[int] = set()          # attempts whose last change was refused
        self._storage_down = False               # the disk refuses writes
        self._health: Message | None = None
        self._health_subscribers: list[Callable[[Message | None], None]] = []
        self._disk_watch: threading.Thread | None = None

    # ------------------------------------------------------------------ events

    def subscribe(self, callback: Callable[[PaymentEvent], None]) -> None:
        with self._lock:
            self._subscribers.append(callback)

    def unsubscribe(self, callback: Callable[[PaymentEvent], None]) -> None:
        with self._lock:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

    def _emit(self, event: PaymentEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for cb in subscribers:
            try:
                cb(event)
            except Exception:
                log.exception("payment event subscriber failed")

    # ------------------------------------------------------------------ orders

    def create_order(self, cart: Cart, *, cashier: str) -> int:
        """Persist the cart as an open order; raises PaymentRefused for an empty cart."""
        if not cart.lines:
            raise PaymentRefused(msg(PaymentText.CART_EMPTY))
        self._check_can_write()
        with self._write_guard():
            return self.orders.create(cart, cashier=cashier)

    def void_order(self, order_id: int) -> None:
        """Void an unpaid order of this till that has no unfinished attempt."""
        order = self._open_order(order_id)
        self._check_no_blocking_attempt(order.id)
        self.orders.void(order_id)

    # ------------------------------------------------------------------ payments

    @property
    def recovered(self) -> bool:
        return self._recovered.is_set()

    def pay_native(self, order_id: int, channel: str = WECHAT) -> int:
        """Start a Native (QR) attempt with ``channel``; returns its id at once."""
        self._enabled(channel)
        order = self._payable(order_id, wechat=True)
        expires_at = self.clock.now() + timedelta(seconds=self.policy.native_ttl)
        attempt_id = self._insert_intent(order, PaymentMethod.NATIVE, expires_at=expires_at,
                                         channel=channel)
        self._start(attempt_id, lambda wf: wf.run_native())
        return attempt_id

    def pay_native_pair(self, order_id: int) -> tuple[int, int]:
        """Both channels' QRs for one order (WeChat Pay and Alipay, both enabled): both
        intents are committed in one transaction before any network call, then one lane
        job issues and polls both (:func:`~pos_app.payments.workflow.run_native_pair`):
        the first paid wins, the other is closed and confirmed; both paid is a double
        payment, recorded and announced (``PaymentEvent.double_paid``). A cancel of either
        attempt closes both. Returns ``(wechat attempt, alipay attempt)``."""
        for channel in (WECHAT, ALIPAY):
            self._enabled(channel)
        order = self._payable(order_id, wechat=True)
        expires_at = self.clock.now() + timedelta(seconds=self.policy.native_ttl)
        with self._write_guard(), self.db.transaction() as conn:
            if self.attempts.open_for_order(conn, order.id):
                raise PaymentRefused(msg(PaymentText.ORDER_BUSY))
            ids: list[int] = []
            for channel in (WECHAT, ALIPAY):
                seq = self.attempts.next_sequence(conn)
                ids.append(self.attempts.insert(
                    conn, order_id=order.id, method=PaymentMethod.NATIVE,
                    out_trade_no=out_trade_no("P", self.clock.now(), self.till_id, seq),
                    amount=order.total, expires_at=expires_at, channel=channel,
                    message=pm.stored(msg(PaymentText.WAITING_SCAN))))
        wechat_id, alipay_id = ids
        cancel = threading.Event()   # one cancel for both: a cancel closes the pair
        with self._lock:
            for attempt_id in ids:
                self._active[attempt_id] = cancel
        flows = [AttemptWorkflow(self._ctx_of(i), i, cancel) for i in ids]
        records = [self.attempts.get(i) for i in ids]

        def announce() -> None:   # the intents, before any network call's news
            for record in records:
                if record is not None:
                    self._emit(event_of(record))

        self.lane.submit(announce)

        def job() -> None:
            try:
                self._guarded_pair(flows)
            finally:
                with self._lock:
                    for attempt_id in ids:
                        self._active.pop(attempt_id, None)

        self.lane.submit(job)
        return wechat_id, alipay_id

    def _guarded_pair(self, flows: list[AttemptWorkflow]) -> None:
        """:meth:`_guarded` for a pair: a write the disk refused leaves every unfinished
        attempt of the pair to the storage retry; a bug leaves each one ``uncertain``
        (re-checked in the background) — never one of them forgotten."""
        first, second = flows
        try:
            run_native_pair(first, second)
        except (Unsaved, StorageWriteError) as exc:
            log.error("native pair %s/%s: the disk refused a write: %s",
                      first.attempt_id, second.attempt_id, exc)
            for wf in flows:
                a = self.attempts.get(wf.attempt_id)
                if a is not None and not a.state.terminal:
                    self._storage_failed(wf.attempt_id)
            return
        except Exception:
            log.exception("native pair %s/%s crashed", first.attempt_id, second.attempt_id)
            for wf in flows:
                self._mark_crashed(wf)
        for wf in flows:
            self._after_run(wf.attempt_id)

    def pay_code(self, order_id: int, auth_code: str) -> int:
        """Charge a scanned payment code with the channel it belongs to (WeChat 10–15…,
        Alipay 25–30…); returns the attempt id at once."""
        scan = classify(auth_code)
        channel = CHANNEL_OF_SCAN.get(scan.kind)
        if channel is None or scan.text != auth_code.strip():
            raise PaymentRefused(msg(PaymentText.NOT_A_WECHAT_CODE))
        code = scan.text
        self._enabled(channel)
        order = self._payable(order_id, wechat=True)
        attempt_id = self._insert_intent(order, PaymentMethod.CODEPAY,
                                         auth_code_masked=mask_code(code), channel=channel)
        self._start(attempt_id, lambda wf: wf.run_codepay(code))
        return attempt_id

    def pay_cash(self, order_id: int, tendered: Fen) -> int:
        """Record a cash payment (one local transaction). Raises ValueError
        (PaymentRefused) if ``tendered`` is not an int or is less than the total."""
        raw: object = tendered
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise PaymentRefused(msg(PaymentText.TENDERED_INVALID))
        order = self._payable(order_id, wechat=False)
        if tendered < order.total:
            raise PaymentRefused(msg(PaymentText.TENDERED_SHORT, tendered_fen=tendered,
                                     total_fen=order.total))
        change = Fen(tendered - order.total)
        with self._write_guard(), self.db.transaction() as conn:
            self._check_no_blocking_attempt(order.id)
            seq = self.attempts.next_sequence(conn)
            attempt_id = self.attempts.insert(
                conn, order_id=order.id, method=PaymentMethod.CASH,
                out_trade_no=out_trade_no("C", self.clock.now(), self.till_id, seq),
                amount=order.total, tendered=tendered, change=change)
            self.attempts.transition(   # → paid settles the order in this transaction
                attempt_id, S.PAID, validate=check_transition, note="cash received",
                message=pm.stored(pm.cash_paid(change)))
        record = self.attempts.get(attempt_id)
        assert record is not None
        self.lane.submit(lambda: self._emit(event_of(record)))
        return attempt_id

    def cancel(self, attempt_id: int) -> None:
        """Cashier cancel. A running attempt stops waiting and closes (Native) or
        reverses (code) — it may still end ``paid`` if the customer won the race.
        An unfinished attempt that is not running (e.g. ``uncertain``) is resolved
        again on the lane. Terminal attempts: no-op."""
        with self._lock:
            event = self._active.get(attempt_id)
        if event is not None:
            event.set()
            return
        a = self.attempts.get(attempt_id)
        if a is None or a.state.terminal or a.till_id != self.till_id:
            return   # another till's attempt is that till's to resolve
        self._start(attempt_id, lambda wf: wf.resolve(), recovered=False, existing=True)

    def recover(self) -> list[PaymentEvent]:
        """Resolve every unfinished attempt of this till (blocking; call off the UI thread).

        Returns the events it produced (``recovered=True``); attempts that cannot be
        resolved (network down) stay ``uncertain`` and are reported too. Afterwards
        the till accepts sales. Safe to call again later (e.g. a "retry" button)."""
        return self.lane.submit(self._recover_on_lane).result()

    def _recover_on_lane(self) -> list[PaymentEvent]:
        events: list[PaymentEvent] = []
        self.subscribe(events.append)
        try:
            with self._lock:
                busy = set(self._active)
            for a in self.attempts.unfinished():
                if a.id in busy:
                    continue
                wf = AttemptWorkflow(self._ctx_of(a.id), a.id, threading.Event(),
                                     recovered=True)
                # a codepay sent just before the crash: its "not found" grace runs in
                # the background (its order stays blocked), not before the first sale
                wf.defer_grace = True
                self._guarded(wf, lambda w: w.resolve())
        finally:
            self.unsubscribe(events.append)
            self._recovered.set()
            self._start_disk_watch()
        return [e for e in events if e.recovered]

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until everything queued on the lane so far has finished."""
        fut: Future[None] = self.lane.submit(lambda: None)
        try:
            fut.result(timeout)
        except TimeoutError:
            return False
        return True

    def shutdown(self, wait: bool = True) -> None:
        """Cancel running attempts (they close/reverse), stop the lane and, with ``wait``,
        join the background threads (re-checks, storage retry, disk watch) so nothing
        touches the database after the caller closes it."""
        self._stopping.set()
        with self._lock:
            events = list(self._active.values())
        for e in events:
            e.set()
        self.lane.shutdown(wait=wait)
        if wait:
            with self._lock:
                threads = list(self._bg_threads)
            for t in threads:
                if t is not threading.current_thread() and t.is_alive():
                    t.join(BACKGROUND_JOIN_S)

    def _spawn(self, target: Callable[[], None], name: str) -> threading.Thread:
        """A daemon thread for background work that :meth:`shutdown` waits for."""

        def run() -> None:
            try:
                target()
            finally:
                with self._lock:
                    self._bg_threads.discard(thread)

        thread = threading.Thread(target=run, name=name, daemon=True)
        with self._lock:
            self._bg_threads.add(thread)
        thread.start()
        return thread

    # ------------------------------------------------------------------ storage health

    def health(self) -> Message | None:
        """What the status area should say about storage: cannot write (disk full),
        low free space, or None when all is well."""
        with self._lock:
            if self._storage_down:
                return msg(PaymentText.DISK_FULL)
        free = self.db.low_on_space()
        if free is not None:
            return msg(PaymentText.DISK_LOW, free_mb=free // 2**20)
        return None

    @property
    def can_write(self) -> bool:
        with self._lock:
            return not self._storage_down

    def subscribe_health(self, callback: Callable[[Message | None], None]) -> None:
        """``callback(message)`` whenever :meth:`health` changes (from a background
        thread); called at once with the last known value (no disk access: safe on the
        UI thread — free space is first looked at when :meth:`recover` runs)."""
        with self._lock:
            self._health_subscribers.append(callback)
            known = self._health
        try:
            callback(known)
        except Exception:
            log.exception("health subscriber failed")

    def unsubscribe_health(self, callback: Callable[[Message | None], None]) -> None:
        with self._lock:
            if callback in self._health_subscribers:
                self._health_subscribers.remove(callback)

    def _publish_health(self) -> None:
        try:
            now = self.health()
        except Exception:
            log.exception("health check failed")
            return
        with self._lock:
            changed = now != self._health
            self._health = now
            subscribers = list(self._health_subscribers) if changed else []
        for cb in subscribers:
            try:
                cb(now)
            except Exception:
                log.exception("health subscriber failed")

    def _check_can_write(self) -> None:
        with self._lock:
            down = self._storage_down
        if down:
            raise PaymentRefused(msg(PaymentText.CANNOT_SAVE))

    @contextmanager
    def _write_guard(self) -> Iterator[None]:
        """A write the disk refuses becomes "cannot save" (nothing stored) and starts
        the till's storage retry."""
        try:
            yield
        except StorageWriteError as exc:
            self._storage_failed(None)
            raise PaymentRefused(msg(PaymentText.CANNOT_SAVE)) from exc

    def _storage_failed(self, attempt_id: int | None) -> None:
        """The disk refused a write: stop new sales; retry in the background."""
        with self._lock:
            if attempt_id is not None:
                self._unsaved.add(attempt_id)
            start = not self._storage_down and not self._stopping.is_set()
            self._storage_down = True
        self._publish_health()
        if start:
            self._spawn(self._storage_retry_loop, "storage-retry")

    def _storage_retry_loop(self) -> None:
        """Until the disk accepts writes: probe it; then resolve every attempt whose
        change was refused (re-asking the channel) and reopen the till for sales."""
        wait = self.policy.storage_retry_first
        try:
            while True:
                if self._bg_waiter.wait(self._stopping, wait):
                    return
                wait = min(wait * 2, self.policy.storage_retry_max)
                if not self.db.probe_write():
                    continue
                with self._lock:
                    pending = sorted(self._unsaved)
                    self._unsaved.clear()
                for attempt_id in pending:
                    a = self.attempts.get(attempt_id)
                    if a is None or a.state.terminal:
                        continue
                    if not self._run_here(attempt_id, lambda wf: wf.resolve()):
                        with self._lock:   # running elsewhere: look again next round
                            self._unsaved.add(attempt_id)
                with self._lock:
                    if self._unsaved:
                        continue
                    self._storage_down = False
                log.info("the disk accepts writes again")
                self._publish_health()
                return
        except Exception:
            log.exception("storage retry loop failed")
            with self._lock:
                self._storage_down = False   # let the next write try (and fail) for real
            self._publish_health()

    def _start_disk_watch(self) -> None:
        """Look at free space now (start-up warning) and every disk_check_interval."""
        free = self.db.low_on_space()
        if free is not None:
            log.warning("low disk space: %d MB free", free // 2**20)
        self._publish_health()
        with self._lock:
            if self._disk_watch is not None:
                return
            self._disk_watch = threading.current_thread()   # claimed: start it once
        self._disk_watch = self._spawn(self._disk_watch_loop, "disk-watch")

    def _disk_watch_loop(self) -> None:
        # real time: only a look at free space, nothing a test needs to step through
        while not self._stopping.wait(self.policy.disk_check_interval):
            self._publish_health()

    # ------------------------------------------------------------------ background re-check

    def _recheckable(self, a: PaymentAttempt) -> bool:
        """An unknown outcome the channel can settle (not an amount mismatch or a bug:
        those need a person)."""
        if a.state != S.UNCERTAIN:
            return False
        message = pm.from_stored(a.message)
        return message is None or message.key not in (PaymentText.UNCERTAIN_AMOUNT,
                                                      PaymentText.UNCERTAIN_INTERNAL)

    def _schedule_recheck(self, attempt_id: int) -> None:
        with self._lock:
            if attempt_id in self._rechecking or self._stopping.is_set():
                return
            self._rechecking.add(attempt_id)
        self._spawn(lambda: self._recheck_loop(attempt_id), f"recheck-{attempt_id}")

    def _recheck_loop(self, attempt_id: int) -> None:
        """Resolve an ``uncertain`` attempt again after 2, 4, 8 … ``recheck_max`` s until
        it is settled (a QR is not re-checked before its time_expire)."""
        wait = self.policy.recheck_first
        try:
            while True:
                a = self.attempts.get(attempt_id)
                if a is None or not self._recheckable(a):
                    return
                delay = wait
                if a.method == PaymentMethod.NATIVE and a.expires_at is not None:
                    delay = max(delay, (a.expires_at - self.clock.now()).total_seconds() + 1)
                if self._bg_waiter.wait(self._stopping, delay):
                    return
                wait = min(wait * 2, self.policy.recheck_max)
                a = self.attempts.get(attempt_id)
                if a is None or not self._recheckable(a):
                    return
                log.info("re-checking attempt %s %s", a.id, a.out_trade_no)
                self._run_here(attempt_id, lambda wf: wf.resolve())
        except Exception:
            log.exception("background re-check of attempt %s failed", attempt_id)
        finally:
            with self._lock:
                self._rechecking.discard(attempt_id)

    def _run_here(self, attempt_id: int, run: Callable[[AttemptWorkflow], None]) -> bool:
        """Run a workflow on the calling (background) thread; False if the attempt is
        already running somewhere."""
        cancel = threading.Event()
        with self._lock:
            if attempt_id in self._active:
                return False
            self._active[attempt_id] = cancel
        try:
            self._guarded(AttemptWorkflow(self._ctx_of(attempt_id), attempt_id, cancel), run)
        finally:
            with self._lock:
                self._active.pop(attempt_id, None)
        return True

    # ------------------------------------------------------------------ read API

    def order(self, order_id: int) -> Order | None:
        return self.orders.get(order_id)

    def order_lines(self, order_id: int) -> list[OrderLine]:
        return self.orders.lines(order_id)

    def recent_orders(self, limit: int = 50) -> list[Order]:
        return self.orders.recent(limit)

    def attempt(self, attempt_id: int) -> PaymentAttempt | None:
        return self.attempts.get(attempt_id)

    def attempts_for_order(self, order_id: int) -> list[PaymentAttempt]:
        return self.attempts.for_order(order_id)

    def attempt_events(self, attempt_id: int) -> list[AttemptEvent]:
        return self.attempts.events(attempt_id)

    def unfinished_attempts(self) -> list[PaymentAttempt]:
        return self.attempts.unfinished()

    def current_event(self, attempt_id: int) -> PaymentEvent | None:
        """The attempt's committed state as an event (for re-displaying a dialog)."""
        a = self.attempts.get(attempt_id)
        return None if a is None else event_of(a)

    # ------------------------------------------------------------------ internals

    def _description(self, order_id: int) -> str:
        lines = self.orders.lines(order_id)   # never empty: create_order refuses an empty cart
        first = lines[0].name
        more = "等" if len(lines) > 1 or lines[0].quantity > 1 else ""
        return f"{self.store_name}-{first}{more}"  # the client fits it to the field

    def _open_order(self, order_id: int) -> Order:
        order = self.orders.get(order_id)
        if order is None or order.till_id != self.till_id:
            raise PaymentRefused(msg(PaymentText.NO_SUCH_ORDER, order_id=order_id))
        if order.status == OrderStatus.PAID:
            raise PaymentRefused(msg(PaymentText.ORDER_ALREADY_PAID))
        if order.status != OrderStatus.OPEN:
            raise PaymentRefused(msg(PaymentText.ORDER_NOT_OPEN))
        return order

    def _check_no_blocking_attempt(self, order_id: int) -> None:
        for a in self.attempts.for_order(order_id):
            if a.state == S.PAID:
                raise PaymentRefused(msg(PaymentText.ORDER_ALREADY_PAID))
            if a.state == S.UNCERTAIN:
                raise PaymentRefused(msg(PaymentText.ORDER_UNCERTAIN))
            if not a.state.terminal:
                raise PaymentRefused(msg(PaymentText.ORDER_IN_PROGRESS))

    def _enabled(self, channel: str) -> None:
        if channel not in self.channels:
            raise PaymentRefused(msg(PaymentText.CHANNEL_NOT_ENABLED))

    def _ctx_of(self, attempt_id: int) -> WorkflowContext:
        """The workflow context speaking to the attempt's own channel."""
        a = self.attempts.get(attempt_id)
        name = a.channel if a is not None else WECHAT
        return replace(self._ctx, gateway=self.channels.channel(name))

    def _payable(self, order_id: int, *, wechat: bool) -> Order:
        if not self._recovered.is_set():
            raise RecoveryPending(msg(PaymentText.RECOVERY_PENDING))
        self._check_can_write()
        order = self._open_order(order_id)
        self._check_no_blocking_attempt(order.id)
        if wechat and order.total < 1:
            raise PaymentRefused(msg(PaymentText.ZERO_AMOUNT))
        return order

    def _insert_intent(self, order: Order, method: PaymentMethod, *,
                       auth_code_masked: str = "", expires_at: datetime | None = None,
                       channel: str = WECHAT) -> int:
        with self._write_guard(), self.db.transaction() as conn:
            # Re-check inside the write transaction: two fast clicks must not make two.
            if self.attempts.open_for_order(conn, order.id):
                raise PaymentRefused(msg(PaymentText.ORDER_BUSY))
            seq = self.attempts.next_sequence(conn)
            return self.attempts.insert(
                conn, order_id=order.id, method=method,
                out_trade_no=out_trade_no("P", self.clock.now(), self.till_id, seq),
                amount=order.total, auth_code_masked=auth_code_masked, expires_at=expires_at,
                channel=channel, message=pm.stored(msg(PaymentText.WAITING_SCAN if method == PaymentMethod.NATIVE
                                      else PaymentText.CHARGING)))

    def _start(self, attempt_id: int, run: Callable[[AttemptWorkflow], None], *,
               recovered: bool = False, existing: bool = False) -> None:
        cancel = threading.Event()
        with self._lock:
            if attempt_id in self._active:
                return
            self._active[attempt_id] = cancel
        wf = AttemptWorkflow(self._ctx_of(attempt_id), attempt_id, cancel, recovered=recovered)
        if not existing:
            a = self.attempts.get(attempt_id)
            assert a is not None
            self.lane.submit(lambda: self._emit(event_of(a)))

        def job() -> None:
            try:
                self._guarded(wf, run)
            finally:
                with self._lock:
                    self._active.pop(attempt_id, None)

        self.lane.submit(job)

    def _recheck_later(self, attempt_id: int, not_before: datetime) -> None:
        """Resolve ``attempt_id`` again once ``not_before`` has passed (a close that was
        not confirmed: the customer could pay until then). Waits off the lane."""
        def wait_then_resolve() -> None:
            delay = (not_before - self.clock.now()).total_seconds() + 1.0
            if self.waiter.wait(self._stopping, max(delay, 0.0)):
                return
            def resolve() -> None:
                if self._stopping.is_set():
                    return
                try:
                    self._start(attempt_id, lambda wf: wf.resolve(), existing=True)
                except RuntimeError:  # the lane began shutting down under this job
                    with self._lock:
                        self._active.pop(attempt_id, None)
                    log.info("re-check of attempt %s dropped: till stopping", attempt_id)

            try:  # via the lane: starts after the job that asked for it has finished
                self.lane.submit(resolve)
            except RuntimeError:  # the lane was shut down meanwhile
                log.info("re-check of attempt %s dropped: till stopping", attempt_id)

        self._spawn(wait_then_resolve, f"recheck-{attempt_id}")

    def _guarded(self, wf: AttemptWorkflow, run: Callable[[AttemptWorkflow], None]) -> None:
        """Run a workflow; a bug leaves the attempt ``uncertain``; a write the disk refused
        leaves it as it was for the storage retry. An unknown outcome is re-checked."""
        try:
            run(wf)
        except Unsaved as exc:   # every write of the workflow refused by the disk ends here
            log.error("%s: retried once the disk accepts writes", exc)
            self._storage_failed(wf.attempt_id)
            return
        except Exception:
            log.exception("payment workflow for attempt %s crashed", wf.attempt_id)
            self._mark_crashed(wf)
        self._after_run(wf.attempt_id)

    def _mark_crashed(self, wf: AttemptWorkflow) -> None:
        """After a workflow bug: its attempt, unless final, is ``uncertain`` (re-checked
        in the background); a write the disk refuses leaves it to the storage retry."""
        try:
            a = self.attempts.get(wf.attempt_id)
            if a is not None and not a.state.terminal and a.state != S.UNCERTAIN:
                rec = self.attempts.transition(
                    wf.attempt_id, S.UNCERTAIN, validate=check_transition,
                    note="workflow crashed",
                    message=pm.stored(msg(PaymentText.UNCERTAIN_INTERNAL)))
                self._emit(event_of(rec, recovered=wf.recovered))
        except StorageWriteError:
            self._storage_failed(wf.attempt_id)
        except Exception:
            log.exception("could not mark attempt %s uncertain", wf.attempt_id)

    def _after_run(self, attempt_id: int) -> None:
        try:
            a = self.attempts.get(attempt_id)
            if a is not None and self._recheckable(a):
                self._schedule_recheck(attempt_id)
        except Exception:
            log.exception("attempt %s: cannot schedule a re-check", attempt_id)


if TYPE_CHECKING:
    def _conforms(t: TillService) -> Till:  # static check: TillService implements api.Till
        return t
