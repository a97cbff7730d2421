"""Refunds against the original order (Qt-free, blocking: run off the UI thread).

Rules: manager approval by PIN; a reason; refundable = paid − refunds that are not
CLOSED/FAILED, per payment and per line quantity, never more — checked again inside the
database write transaction that stores the intent (a double tap, or a second till, cannot
refund twice); the refund intent with its ``out_refund_no`` is committed *before* the
gateway is called; after an unknown outcome
the same ``out_refund_no`` is queried and, if WeChat Pay never saw it, re-sent unchanged.
Cash sales are refunded in cash (no gateway call).

An order paid twice (both QRs of a pair paid; :func:`pos_app.domain.order.over_payment`)
owes the customer the extra money: :meth:`RefundService.owed_refunds` lists what is still
owed, and ``RefundRequest(double_payment=True)`` gives exactly that back to the extra
payment (no lines; the sale stays PAID — refunds first cover the over-payment).

A refund the channel has not finished (PENDING/PROCESSING) is followed in the background
on a worker of its own (as payments are) until it is final — no dialog needs to stay open,
no restart — and subscribers hear the result (:class:`RefundUpdate`).
"""

from __future__ import annotations

import calendar
import itertools
import logging
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from pos_app.domain.clock import SHOP_TZ, Clock, SystemClock, day_window
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderLine as SoldLine
from pos_app.domain.order import SaleOrder, owed_refund
from pos_app.domain.payment import ALIPAY, WECHAT, PaidPayment, PaymentMethod
from pos_app.domain.refund import NewRefund, OwedRefund, RefundState
from pos_app.domain.refund import Refund as RefundRecord
from pos_app.domain.staff import Permission
from pos_app.domain.text import Message, msg
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.pins import Approval, PinAuthenticator
from pos_app.manager.store import OwedLookup, RefundStore
from pos_app.payments.gateway import (
    RefundProgress,
    RefundQuery,
    RefundRefusal,
    RefundRefused,
    RefundResult,
    RefundSeen,
    RefundThrottled,
    Unknown,
)

log = logging.getLogger("pos_app.manager.refunds")

REFUND_WINDOW = timedelta(days=365)   # WeChat Pay: a payment can be refunded for a year
ALIPAY_REFUND_MONTHS = 3              # Alipay 当面付: three months, then TRADE_FINISHED


def refund_deadline(channel: str, paid_at: datetime) -> datetime:
    """Until when the channel accepts a refund of a payment made at ``paid_at``: a year
    for WeChat Pay, three calendar months (Beijing time) for Alipay."""
    if channel != ALIPAY:
        return paid_at + REFUND_WINDOW
    local = paid_at.astimezone(SHOP_TZ)
    months = local.month - 1 + ALIPAY_REFUND_MONTHS
    year, month = local.year + months // 12, months % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)
MAX_REFUNDS_PER_PAYMENT = 50
MAX_REASON_LEN = 80
#: Query schedule (seconds between queries): every minute for 5 min, then 5/10/20/30 min.
DEFAULT_POLL_SCHEDULE: tuple[float, ...] = (60, 60, 60, 60, 60, 300, 600, 1200, 1800)
#: A refund still processing after this long is going to a bank card (WeChat: 1–3
#: working days, longer for some banks): say so instead of "a few minutes".
LONG_PROCESSING = timedelta(hours=1)
BANK_CARD_DAYS = 3
#: Notes stored in a refund's ``message`` that the service reads back (not shown as is).
_THROTTLED = "throttled until "
_BALANCE = "balance: "


class RefundGateway(Protocol):
    """The part of :class:`pos_app.payments.gateway.PaymentChannel` refunds use."""

    def refund(
        self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen, reason: str
    ) -> RefundResult: ...

    def query_refund(self, out_refund_no: str, *, out_trade_no: str = "") -> RefundQuery: ...


class RefundError(ManagerError):
    """A refund request refused locally: nothing was stored or sent."""


@dataclass(frozen=True)
class RefundRequest:
    order_id: int
    cashier: str
    manager: str
    manager_pin: str
    reason: str
    amount: Fen | None = None                 # refund by amount …
    lines: Mapping[int, int] | None = None    # … or by line_no → quantity …
    full: bool = False                        # … or everything still refundable …
    attempt_id: int | None = None             # refund only this payment (default: any)
    double_payment: bool = False              # … or what a double payment still owes

    def __repr__(self) -> str:  # keep the PIN out of logs and tracebacks
        return (f"RefundRequest(order_id={self.order_id}, cashier={self.cashier!r}, "
                f"manager={self.manager!r}, amount={self.amount}, lines={self.lines}, "
                f"full={self.full}, attempt_id={self.attempt_id}, "
                f"double_payment={self.double_payment})")


@dataclass(frozen=True)
class PaymentRefundable:
    payment: PaidPayment
    refunded: Fen               # taken by refunds (PENDING/PROCESSING/SUCCESS/ABNORMAL)
    refundable: Fen
    refund_count: int


@dataclass(frozen=True)
class LineRefundable:
    line: SoldLine
    value: Fen                  # share of the order total carried by this line
    refunded_quantity: int

    @property
    def remaining_quantity(self) -> int:
        return self.line.quantity - self.refunded_quantity


@dataclass(frozen=True)
class OrderRefundable:
    order: SaleOrder
    payments: tuple[PaymentRefundable, ...]
    lines: tuple[LineRefundable, ...]
    refunds: tuple[RefundRecord, ...]

    @property
    def refundable(self) -> Fen:
        return Fen(sum(p.refundable for p in self.payments))

    @property
    def paid(self) -> Fen:
        return Fen(sum(p.payment.amount for p in self.payments))

    @property
    def owed(self) -> Fen:
        """What a double payment still owes the customer (0: none, or refunded)."""
        return owed_refund(self.order.total, (p.payment.amount for p in self.payments),
                           (r.amount for r in self.refunds if r.state.taken))

    @property
    def extra_payment(self) -> PaymentRefundable | None:
        """The payment an owed refund goes back to: a PAID payment that is not the one
        that settled the order (of several, the one with the most left to refund)."""
        others = [p for p in self.payments
                  if p.payment.attempt_id != self.order.paid_attempt_id]
        if self.order.paid_attempt_id is None:   # (not settled by a known attempt)
            others = list(self.payments[1:])
        return max(others, key=lambda p: (p.refundable, p.payment.attempt_id), default=None)


# --------------------------------------------------------------------------- pure rules


def allocate(total: int, weights: Sequence[int]) -> list[Fen]:
    """Split ``total`` fen over ``weights`` proportionally (largest remainder, exact sum)."""
    wsum = sum(weights)
    if wsum <= 0:
        return [Fen(0) for _ in weights]
    shares = [total * w // wsum for w in weights]
    rems = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % wsum), i))
    for i in rems[: total - sum(shares)]:
        shares[i] += 1
    return [Fen(s) for s in shares]


def line_refund_amount(value: int, quantity: int, already: int, count: int) -> Fen:
    """Amount for refunding ``count`` more units of a line worth ``value`` for
    ``quantity`` units, ``already`` units refunded before. Telescopes: refunding every
    unit in any number of steps sums to exactly ``value``."""
    return Fen(value * (already + count) // quantity - value * already // quantity)


def refundable_for(order: SaleOrder, refunds: Iterable[RefundRecord]) -> OrderRefundable:
    """What can still be refunded of ``order`` given its refunds so far."""
    refunds = tuple(refunds)
    taken = [r for r in refunds if r.state.taken]
    pays = []
    for p in order.payments:
        mine = [r for r in taken if r.attempt_id == p.attempt_id]
        used = sum(r.amount for r in mine)
        count = sum(1 for r in refunds if r.attempt_id == p.attempt_id
                    and r.state is not RefundState.FAILED)
        pays.append(PaymentRefundable(p, Fen(used), Fen(max(0, p.amount - used)), count))
    values = allocate(order.total, [max(0, ln.net) for ln in order.lines])
    lines = []
    for ln, value in zip(order.lines, values, strict=True):
        qty = sum(q for r in taken for (no, q) in r.lines if no == ln.line_no)
        lines.append(LineRefundable(ln, value, qty))
    return OrderRefundable(order, tuple(pays), tuple(lines), refunds)


def plan_allocation(
    summary: OrderRefundable, amount: int, attempt_id: int | None
) -> list[tuple[PaidPayment, Fen]]:
    """Which payments a refund of ``amount`` goes back to: the chosen one, else WeChat
    payments first (original tender), then cash. Raises RefundError if it can't fit."""
    cands = [p for p in summary.payments if p.refundable > 0]
    if attempt_id is not None:
        cands = [p for p in cands if p.payment.attempt_id == attempt_id]
    cands.sort(key=lambda p: (p.payment.method is PaymentMethod.CASH, p.payment.paid_at))
    if amount > sum(p.refundable for p in cands):
        raise RefundError(msg(ManagerText.REFUND_EXCEEDS_REFUNDABLE,
                              refundable_fen=sum(p.refundable for p in cands)))
    plan: list[tuple[PaidPayment, Fen]] = []
    left = amount
    for p in cands:
        if left <= 0:
            break
        part = min(left, p.refundable)
        plan.append((p.payment, Fen(part)))
        left -= part
    return plan


def owed_refund_of(order: SaleOrder, refunds: Iterable[RefundRecord]) -> OwedRefund | None:
    """What ``order`` still owes its customer of a double payment (None: nothing), and
    the extra payment it goes back to."""
    summary = refundable_for(order, refunds)
    extra = summary.extra_payment
    if summary.owed <= 0 or extra is None:
        return None
    return OwedRefund(order.order_id, order.order_no, extra.payment.attempt_id,
                      extra.payment.channel, summary.owed)


def owed_refunds(store: OwedLookup) -> list[OwedRefund]:
    """Every order paid twice whose over-payment the refunds so far do not cover (every
    till; blocking)."""
    found = (owed_refund_of(o, store.refunds_for_order(o.order_id))
             for o in store.overpaid_orders())
    return [o for o in found if o is not None]


def plan_owed(summary: OrderRefundable, attempt_id: int | None = None
              ) -> tuple[PaidPayment, Fen]:
    """Where what a double payment still owes goes back: the extra payment alone (raises
    RefundError when nothing is owed, or that payment cannot carry it)."""
    owed, extra = summary.owed, summary.extra_payment
    if owed <= 0 or extra is None:
        raise RefundError(msg(ManagerText.REFUND_NOTHING_OWED))
    if attempt_id is not None and attempt_id != extra.payment.attempt_id:
        raise RefundError(msg(ManagerText.REFUND_CHOOSE_MODE))
    if extra.refundable < owed:
        raise RefundError(msg(ManagerText.REFUND_OWED_EXCEEDS_PAYMENT,
                              left_fen=extra.refundable, owed_fen=owed))
    return extra.payment, owed


STATUS_MESSAGES: dict[RefundState, ManagerText] = {
    RefundState.PENDING: ManagerText.REFUND_PENDING,
    RefundState.PROCESSING: ManagerText.REFUND_PROCESSING,
    RefundState.SUCCESS: ManagerText.REFUND_SUCCESS,
    RefundState.CLOSED: ManagerText.REFUND_CLOSED,
    RefundState.ABNORMAL: ManagerText.REFUND_ABNORMAL,
    RefundState.FAILED: ManagerText.REFUND_REFUSED,
}


def retry_not_before(record: RefundRecord) -> datetime | None:
    """When a refund the channel asked us to slow down for may be sent again (None: any
    time). WeChat: partial refunds of one order at least a minute apart; rate limits."""
    if record.state is not RefundState.PENDING or not record.message.startswith(_THROTTLED):
        return None
    try:
        return datetime.fromisoformat(record.message[len(_THROTTLED):].split(" ", 1)[0])
    except ValueError:
        return None


def refund_message(record: RefundRecord, now: datetime | None = None) -> Message:
    """What a refund's state means for the cashier (a cash refund: give the money back).

    Each outcome says what to do next: throttled → when to retry; refused for the
    merchant's balance → top it up; long processing → a bank card takes days; abnormal →
    WeChat's abnormal-refund handling (another account, or offline)."""
    if record.method is PaymentMethod.CASH and record.state is RefundState.SUCCESS:
        return msg(ManagerText.REFUND_GIVE_BACK_CASH, amount_fen=record.amount)
    if record.state is RefundState.FAILED and record.message.startswith(_BALANCE):
        return msg(ManagerText.REFUND_REFUSED_BALANCE)
    if record.message and record.state is RefundState.FAILED:
        return msg(ManagerText.REFUND_REFUSED_DETAIL, detail=record.message)
    at = retry_not_before(record)
    if at is not None:
        return msg(ManagerText.REFUND_THROTTLED, at=f"{at.astimezone(SHOP_TZ):%H:%M:%S}")
    if record.state is RefundState.PROCESSING and now is not None \
            and now - record.created_at >= LONG_PROCESSING:
        return msg(ManagerText.REFUND_PROCESSING_LONG, days=BANK_CARD_DAYS)
    return msg(STATUS_MESSAGES[record.state])


_STATUS_MAP = {
    RefundProgress.SUCCESS: RefundState.SUCCESS,
    RefundProgress.PROCESSING: RefundState.PROCESSING,
    RefundProgress.CLOSED: RefundState.CLOSED,
    RefundProgress.ABNORMAL: RefundState.ABNORMAL,
}


FOLLOWED_MESSAGES: dict[RefundState, ManagerText] = {
    RefundState.SUCCESS: ManagerText.REFUND_FOLLOWED_SUCCESS,
    RefundState.CLOSED: ManagerText.REFUND_FOLLOWED_CLOSED,
    RefundState.ABNORMAL: ManagerText.REFUND_FOLLOWED_ABNORMAL,
}


@dataclass(frozen=True)
class RefundUpdate:
    """A refund followed in the background reached its final state."""

    record: RefundRecord
    message: Message          # for the status area


def followed_message(record: RefundRecord) -> Message:
    key = FOLLOWED_MESSAGES.get(record.state)
    if key is None:
        return refund_message(record)
    return msg(key, amount_fen=record.amount, out_refund_no=record.out_refund_no)


def new_out_refund_no(now: datetime) -> str:
    """``RF`` + Beijing time + 8 random hex: unique, ≤ 64 chars of ``[0-9A-Za-z]``."""
    return f"RF{now.astimezone(SHOP_TZ):%Y%m%d%H%M%S}{secrets.token_hex(4)}"


# --------------------------------------------------------------------------- service


class RefundService:
    """Finds orders, checks limits, runs refunds and follows them to a final state."""

    def __init__(
        self,
        store: RefundStore,
        gateway: RefundGateway | Mapping[str, RefundGateway] | None,
        auth: PinAuthenticator,
        *,
        clock: Clock | None = None,
        new_refund_no: Callable[[datetime], str] = new_out_refund_no,
        follow_schedule: Sequence[float] = DEFAULT_POLL_SCHEDULE,
        background_wait: Callable[[float], bool] | None = None,
    ) -> None:
        """``follow_schedule``: the background follow's waits (the last one repeats until
        the refund is final); ``background_wait(s)``: its sleep, False to stop (default:
        real time until :meth:`shutdown`)."""
        self._store = store
        # a refund goes back through the channel of the payment it returns
        self._gateways: dict[str, RefundGateway] = (
            {} if gateway is None else dict(gateway) if isinstance(gateway, Mapping)
            else {WECHAT: gateway})
        self._auth = auth
        self._clock = clock or SystemClock()
        self._new_no = new_refund_no
        self._schedule = tuple(follow_schedule) or DEFAULT_POLL_SCHEDULE
        self._stopping = threading.Event()
        self._bg_wait = background_wait or (lambda s: not self._stopping.wait(s))
        self._bg_lock = threading.Lock()
        self._following: set[int] = set()
        self._subscribers: list[Callable[[RefundUpdate], None]] = []
        self._refund_locks: dict[int, threading.Lock] = {}

    # ---- lookup
    def find_order(self, key: str) -> SaleOrder | None:
        """By order number, out_trade_no or WeChat transaction_id."""
        # the store strips the key's surrounding spaces; a blank key finds nothing
        return self._store.find_order(key) if key.strip() else None

    def search_orders(self, day: date, amount: Fen | None = None) -> list[SaleOrder]:
        start, end = day_window(day)
        return self._store.search_orders(start, end, amount)

    def refundable(self, order_id: int) -> OrderRefundable:
        order = self._order(order_id)
        return refundable_for(order, self._store.refunds_for_order(order_id))

    def owed_refunds(self) -> list[OwedRefund]:
        """Every order paid twice whose over-payment the refunds so far do not cover:
        what is still owed, and the extra payment it goes back to (blocking)."""
        return owed_refunds(self._store)

    def quote(self, order_id: int, lines: Mapping[int, int]) -> Fen:
        """Amount a by-lines refund would return (raises RefundError on bad quantities)."""
        return self._lines_amount(self.refundable(order_id), lines)

    # ---- doing it
    def request_refund(self, req: RefundRequest) -> list[RefundRecord]:
        """Validate, approve, persist, then send. One record per payment refunded.

        Raises :class:`RefundError` / :class:`~pos_app.manager.pins.AuthError` before
        anything is stored; after that, outcomes are reported in the records' state."""
        persisted = self._validate_and_persist(req)
        out = [rec if rec.method is PaymentMethod.CASH else self._send(rec) for rec in persisted]
        for rec in out:
            if not rec.state.final and rec.method is not PaymentMethod.CASH:
                self.follow_in_background(rec.refund_id)
        return out

    def _validate_and_persist(self, req: RefundRequest) -> list[RefundRecord]:
        reason = req.reason.strip()
        if not reason:
            raise RefundError(msg(ManagerText.REFUND_REASON_REQUIRED))
        if len(reason) > MAX_REASON_LEN:
            raise RefundError(msg(ManagerText.REFUND_REASON_TOO_LONG, max=MAX_REASON_LEN))
        summary = self.refundable(req.order_id)
        now = self._clock.now()
        self._plan(req, summary, now)          # refuse before asking for the PIN
        approval = self._auth.authorize(req.manager, req.manager_pin, Permission.REFUND)

        def build(existing: list[RefundRecord]) -> list[NewRefund]:
            # Inside the write transaction: plan again over the refunds stored *now*
            # (a double tap or another till may have refunded meanwhile).
            fresh = refundable_for(summary.order, existing)
            plan, lines = self._plan(req, fresh, now)
            return [self._new_refund(fresh.order, payment, part, reason, req.cashier,
                                     approval, lines if i == 0 else ())
                    for i, (payment, part) in enumerate(plan)]

        records = self._store.add_refunds(req.order_id, build)
        for rec in records:
            self._store.audit(req.cashier, "refund.requested", {
                "order_no": summary.order.order_no, "out_refund_no": rec.out_refund_no,
                "method": str(rec.method), "amount": rec.amount, "reason": reason,
                "approved_by": approval.approver, "lines": [list(x) for x in rec.lines],
                "double_payment": req.double_payment,
            })
        return records

    def _plan(self, req: RefundRequest, summary: OrderRefundable, now: datetime
              ) -> tuple[list[tuple[PaidPayment, Fen]], tuple[tuple[int, int], ...]]:
        """Which payments give back how much, and which line quantities (raises
        :class:`RefundError`)."""
        modes = sum((req.full, req.amount is not None, req.lines is not None,
                     req.double_payment))
        if modes != 1:
            raise RefundError(msg(ManagerText.REFUND_CHOOSE_MODE))
        lines: tuple[tuple[int, int], ...] = ()
        if req.double_payment:
            return self._plan_owed(req, summary, now), lines
        if req.full:
            amount = (summary.refundable if req.attempt_id is None else Fen(sum(
                p.refundable for p in summary.payments if p.payment.attempt_id == req.attempt_id)))
            lines = tuple((lr.line.line_no, lr.remaining_quantity) for lr in summary.lines
                          if lr.remaining_quantity > 0)
        elif req.lines is not None:
            amount = self._lines_amount(summary, req.lines)
            lines = tuple(sorted((no, q) for no, q in req.lines.items() if q > 0))
        else:
            assert req.amount is not None
            amount = req.amount
            if type(amount) is not int:  # bool/float guard at the trust boundary
                raise RefundError(msg(ManagerText.REFUND_AMOUNT_NOT_FEN))
        if amount <= 0:
            raise RefundError(msg(ManagerText.REFUND_NOTHING_TO_REFUND))
        plan = plan_allocation(summary, amount, req.attempt_id)
        for payment, _ in plan:
            self._check_payment(summary, payment, now)
        return plan, lines

    def _plan_owed(self, req: RefundRequest, summary: OrderRefundable, now: datetime
                   ) -> list[tuple[PaidPayment, Fen]]:
        """What a double payment still owes, back to the extra payment alone."""
        payment, owed = plan_owed(summary, req.attempt_id)
        self._check_payment(summary, payment, now)
        return [(payment, owed)]

    def retry(self, refund_id: int) -> RefundRecord:
        """Resolve a PENDING refund: query it; if WeChat Pay never saw it, re-send it with
        the SAME out_refund_no and amounts. Other states are just refreshed."""
        with self._lock_for(refund_id):   # the dialog and the background may both ask
            return self._retry(refund_id)

    def _retry(self, refund_id: int) -> RefundRecord:
        rec = self._refund(refund_id)
        if rec.state is not RefundState.PENDING:
            return self.refresh(refund_id)
        not_before = retry_not_before(rec)
        if not_before is not None and self._clock.now() < not_before:
            return rec          # the channel asked us to wait: the message says until when
        gw = self._need_gateway(rec.channel)
        remote = gw.query_refund(rec.out_refund_no, out_trade_no=rec.out_trade_no)
        if isinstance(remote, Unknown):
            return self._store.update_refund(rec.refund_id, state=RefundState.PENDING,
                                             at=self._clock.now(), message=remote.detail)
        if isinstance(remote, RefundSeen):
            return self._apply(rec, remote)
        return self._send(rec)

    def refresh(self, refund_id: int) -> RefundRecord:
        """Query WeChat Pay for a refund's current status (no-op for final/cash ones)."""
        rec = self._refund(refund_id)
        if rec.state.final or rec.method is PaymentMethod.CASH:
            return rec
        gw = self._need_gateway(rec.channel)
        remote = gw.query_refund(rec.out_refund_no, out_trade_no=rec.out_trade_no)
        if isinstance(remote, Unknown):
            log.warning("refund query %s failed: %s", rec.out_refund_no, remote.detail)
            return rec
        if not isinstance(remote, RefundSeen):
            return rec
        return self._apply(rec, remote)

    def follow(
        self,
        refund_id: int,
        *,
        wait: Callable[[float], bool],
        schedule: Sequence[float] = DEFAULT_POLL_SCHEDULE,
    ) -> RefundRecord:
        """Poll until SUCCESS/CLOSED/ABNORMAL (or the schedule runs out). ``wait(s)``
        sleeps ``s`` seconds and returns False to stop early (e.g. ``Event.wait`` negated)."""
        rec = self.retry(refund_id)
        for delay in schedule:
            if rec.state.final:
                break
            if not wait(delay):
                break
            rec = self.retry(refund_id)
        return rec

    def resume(self) -> list[RefundRecord]:
        """After a restart: retry/refresh every unfinished refund once, then follow the
        ones still unfinished in the background."""
        out = [self.retry(r.refund_id) for r in self._store.unfinished_refunds()
               if r.method is not PaymentMethod.CASH]
        for rec in out:
            if not rec.state.final:
                self.follow_in_background(rec.refund_id)
        return out

    # ---- background follow
    def subscribe(self, callback: Callable[[RefundUpdate], None]) -> None:
        """``callback(update)`` (from the follow worker) when a followed refund is final."""
        with self._bg_lock:
            self._subscribers.append(callback)

    def unsubscribe(self, callback: Callable[[RefundUpdate], None]) -> None:
        with self._bg_lock:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

    def following(self) -> set[int]:
        with self._bg_lock:
            return set(self._following)

    def follow_in_background(self, refund_id: int) -> None:
        """Follow a refund on a worker of its own until it is final (idempotent)."""
        with self._bg_lock:
            if refund_id in self._following or self._stopping.is_set():
                return
            self._following.add(refund_id)
        threading.Thread(target=self._follow_loop, args=(refund_id,),
                         name=f"refund-background-{refund_id}", daemon=True).start()

    def shutdown(self) -> None:
        """Stop the background follows (their refunds are resumed at the next start)."""
        self._stopping.set()

    def _follow_loop(self, refund_id: int) -> None:
        try:
            waits = itertools.chain(self._schedule, itertools.repeat(self._schedule[-1]))
            for delay in waits:
                if not self._bg_wait(delay):
                    return
                try:
                    rec = self.retry(refund_id)
                except Exception:   # a storage hiccup: the next round asks again
                    log.exception("background follow of refund %s failed", refund_id)
                    continue
                if rec.state.final:
                    self._tell(RefundUpdate(rec, followed_message(rec)))
                    return
        finally:
            with self._bg_lock:
                self._following.discard(refund_id)

    def _tell(self, update: RefundUpdate) -> None:
        with self._bg_lock:
            subscribers = list(self._subscribers)
        for cb in subscribers:
            try:
                cb(update)
            except Exception:
                log.exception("refund update subscriber failed")

    def _lock_for(self, refund_id: int) -> threading.Lock:
        with self._bg_lock:
            return self._refund_locks.setdefault(refund_id, threading.Lock())

    # ---- internals
    def _order(self, order_id: int) -> SaleOrder:
        order = self._store.get_order(order_id)
        if order is None:
            raise RefundError(msg(ManagerText.REFUND_ORDER_NOT_FOUND))
        return order

    def _refund(self, refund_id: int) -> RefundRecord:
        rec = self._store.get_refund(refund_id)
        if rec is None:
            raise RefundError(msg(ManagerText.REFUND_NOT_FOUND))
        return rec

    def _need_gateway(self, channel: str) -> RefundGateway:
        gateway = self._gateways.get(channel or WECHAT)
        if gateway is None:   # offline, or that channel is not enabled on this till
            raise RefundError(msg(ManagerText.REFUND_OFFLINE))
        return gateway

    def _lines_amount(self, summary: OrderRefundable, lines: Mapping[int, int]) -> Fen:
        by_no = {lr.line.line_no: lr for lr in summary.lines}
        total = 0
        for no, qty in lines.items():
            lr = by_no.get(no)
            if lr is None or isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
                raise RefundError(msg(ManagerText.REFUND_INVALID_LINE))
            if qty > lr.remaining_quantity:
                raise RefundError(msg(ManagerText.REFUND_LINE_QUANTITY_TOO_LARGE,
                                      name=lr.line.name, remaining=lr.remaining_quantity))
            total += line_refund_amount(lr.value, lr.line.quantity, lr.refunded_quantity, qty)
        return Fen(total)

    def _check_payment(self, summary: OrderRefundable, payment: PaidPayment,
                       now: datetime) -> None:
        if payment.method is PaymentMethod.CASH:
            return
        self._need_gateway(payment.channel)
        if now > refund_deadline(payment.channel, payment.paid_at):
            raise RefundError(msg(ManagerText.REFUND_TOO_OLD_ALIPAY
                                  if payment.channel == ALIPAY else ManagerText.REFUND_TOO_OLD))
        count = next(p.refund_count for p in summary.payments if p.payment is payment)
        if count >= MAX_REFUNDS_PER_PAYMENT:
            raise RefundError(msg(ManagerText.REFUND_TOO_MANY_REFUNDS,
                                  max=MAX_REFUNDS_PER_PAYMENT))

    def _new_refund(self, order: SaleOrder, payment: PaidPayment, amount: Fen, reason: str,
                    cashier: str, approval: Approval, lines: tuple[tuple[int, int], ...]
                    ) -> NewRefund:
        now = self._clock.now()
        cash = payment.method is PaymentMethod.CASH
        return NewRefund(
            order_id=order.order_id, attempt_id=payment.attempt_id, method=payment.method,
            out_refund_no=self._new_no(now), out_trade_no=payment.out_trade_no,
            amount=amount, payment_total=payment.amount, reason=reason,
            requested_by=cashier, approved_by=approval.approver, created_at=now,
            state=RefundState.SUCCESS if cash else RefundState.PENDING, lines=lines,
        )

    def _send(self, rec: RefundRecord) -> RefundRecord:
        gw = self._need_gateway(rec.channel)
        remote = gw.refund(out_refund_no=rec.out_refund_no, out_trade_no=rec.out_trade_no,
                           refund=rec.amount, total=rec.payment_total, reason=rec.reason)
        if isinstance(remote, Unknown):
            return self._unknown(rec, remote.detail)
        if isinstance(remote, RefundThrottled):
            # Not accepted (yet): stays pending under the same number, sent again after
            # the wait (a query first, as after any unclear answer).
            until = self._clock.now() + timedelta(seconds=remote.retry_after_s)
            log.warning("refund %s throttled until %s: %s", rec.out_refund_no,
                        until.isoformat(), remote.detail)
            return self._store.update_refund(
                rec.refund_id, state=RefundState.PENDING, at=self._clock.now(),
                message=f"{_THROTTLED}{until.isoformat()} {remote.detail}"[:300])
        if isinstance(remote, RefundRefused):
            note = (_BALANCE if remote.reason is RefundRefusal.BALANCE else "") + remote.detail
            out = self._store.update_refund(rec.refund_id, state=RefundState.FAILED,
                                            at=self._clock.now(), message=note)
            self._store.audit(rec.requested_by, "refund.failed",
                              {"out_refund_no": rec.out_refund_no, "detail": remote.detail})
            return out
        return self._apply(rec, remote)

    def _unknown(self, rec: RefundRecord, detail: str) -> RefundRecord:
        log.warning("refund %s outcome unknown: %s", rec.out_refund_no, detail)
        return self._store.update_refund(rec.refund_id, state=RefundState.PENDING,
                                         at=self._clock.now(), message=detail)

    def _apply(self, rec: RefundRecord, remote: RefundSeen) -> RefundRecord:
        state = _STATUS_MAP[remote.progress]
        if state is rec.state and remote.channel_refund_no == rec.wechat_refund_id:
            return rec
        out = self._store.update_refund(rec.refund_id, state=state, at=self._clock.now(),
                                        wechat_refund_id=remote.channel_refund_no)
        if state.final:
            self._store.audit(rec.requested_by, f"refund.{state.value}",
                              {"out_refund_no": rec.out_refund_no, "amount": rec.amount})
        return out
