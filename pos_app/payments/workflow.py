"""Blocking per-attempt workflows run on the payment lane (no Qt, injectable time).

Rules (WeChat Pay micropay/Native flow, notes §4–8):

* every state change is committed (attempt row + audit event + order status in one
  transaction) *before* subscribers hear of it;
* the channel answers in the neutral vocabulary of :mod:`pos_app.payments.gateway`;
  an :class:`~pos_app.payments.gateway.Unknown` (timeout, 5xx, bad signature …) is
  never a failure: the order is queried, and a payment code is reversed if the
  outcome stays unclear; only a :class:`~pos_app.payments.gateway.Refused` is ``failed``;
* a reverse that keeps failing, or a close that keeps failing, ends ``uncertain``.

``hook(name)`` is called at named points (``intent_committed``, ``response_received``,
``committed:<state>``, ``polling``, ``reversing``, ``closing``); the fault-injection
tests use it to SIGKILL the process there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pos_app.domain.clock import Clock, Waiter
from pos_app.domain.payment import AttemptState, PaymentMethod, check_transition
from pos_app.domain.payment import PaymentAttempt as AttemptRecord
from pos_app.domain.scan import mask_codes_in
from pos_app.domain.text import Message, msg
from pos_app.payments import messages as pm
from pos_app.payments.api import PaymentEvent
from pos_app.payments.gateway import (
    AlreadyPaid,
    AwaitingCustomer,
    Closed,
    NotFound,
    NotSent,
    Paid,
    PayFailed,
    PaymentChannel,
    QrIssued,
    Refused,
    Rejected,
    Reversed,
    TradeStatus,
    Unknown,
)
from pos_app.payments.messages import PaymentText as T
from pos_app.payments.policy import PollPolicy
from pos_app.storage.errors import StorageWriteError
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository

log = logging.getLogger("pos_app.payments")

S = AttemptState


def describe_error(exc: BaseException) -> str:
    """Short, secret-free text for ``last_error`` and logs (auth codes masked)."""
    text = f"{type(exc).__name__}: {exc}"
    return mask_codes_in(text)[:300]


def _mask(detail: str) -> str:
    return mask_codes_in(detail)[:300]


def _coupon_fields(paid: Paid | None) -> dict[str, int]:
    """What the customer paid and the coupons, to store on the paid attempt."""
    if paid is None or (paid.payer_total is None and not paid.discount_total):
        return {}
    coupon = max(0, paid.discount_total)
    fields = {"coupon_fen": coupon, "merchant_coupon_fen": min(max(0, paid.merchant_discount),
                                                               coupon)}
    if paid.payer_total is not None:
        fields["payer_total_fen"] = paid.payer_total
    return fields


class Unsaved(Exception):
    """The disk refused to store a state change (the channel's answer is known, the row
    still says the old state). The workflow stops; the till retries the attempt once the
    disk accepts writes (re-asking the channel, so nothing is lost or guessed)."""

    def __init__(self, attempt_id: int, to: AttemptState, cause: StorageWriteError) -> None:
        super().__init__(f"attempt {attempt_id}: cannot store {to}: {cause}")
        self.attempt_id = attempt_id
        self.to = to
        self.cause = cause


class QueryFailed(Exception):
    """A query the channel could not answer (:class:`Unknown`): "offline"."""


def _offline_or_internal(err: BaseException) -> Message:
    """An unanswered query is "offline"; anything else (a bug) says so."""
    return msg(T.UNCERTAIN_OFFLINE if isinstance(err, QueryFailed) else T.UNCERTAIN_INTERNAL)


@dataclass
class WorkflowContext:
    repo: PaymentAttemptRepository
    orders: OrderRepository
    gateway: PaymentChannel
    policy: PollPolicy
    clock: Clock
    waiter: Waiter
    emit: Callable[[PaymentEvent], None]
    hook: Callable[[str], None]
    description: Callable[[int], str]
    #: ``recheck(attempt_id, not_before)``: resolve the attempt again at that time
    #: (scheduled by the till, off the lane).
    recheck: Callable[[int, datetime], None] = field(default=lambda _aid, _when: None)


def event_of(a: AttemptRecord, *, recovered: bool = False, message: Message | None = None,
             paid_late: bool = False, double_paid: bool = False) -> PaymentEvent:
    return PaymentEvent(
        order_id=a.order_id, attempt_id=a.id, method=a.method, state=a.state, amount=a.amount,
        out_trade_no=a.out_trade_no, code_url=a.code_url, expires_at=a.expires_at,
        message=pm.from_stored(a.message) if message is None else message,
        transaction_id=a.transaction_id, change=a.change, recovered=recovered,
        paid_late=paid_late, payer_total=a.payer_total, coupon=a.coupon,
        channel=a.channel, double_paid=double_paid,
    )


class AttemptWorkflow:
    """Drives one attempt to a terminal (or ``uncertain``) state."""

    def __init__(self, ctx: WorkflowContext, attempt_id: int, cancel: threading.Event,
                 *, recovered: bool = False) -> None:
        self.ctx = ctx
        self.attempt_id = attempt_id
        self.cancel = cancel
        self.recovered = recovered
        #: start-up recovery: a codepay's "not found" grace is left to a background
        #: re-check (``ctx.recheck``) instead of being waited out here
        self.defer_grace = False
        self._never = threading.Event()  # for waits the cashier must not cut short

    # ------------------------------------------------------------------ plumbing

    @property
    def a(self) -> AttemptRecord:
        record = self.ctx.repo.get(self.attempt_id)
        assert record is not None
        return record

    def _set(self, to: AttemptState, note: str, message: Message, *, paid_late: bool = False,
             **fields: Any) -> AttemptRecord:
        """Commit ``to`` (or just note it if already there), then tell subscribers."""
        current = self.a
        text = pm.stored(message)
        if current.state == to:
            last_error = fields.get("last_error")
            if self._note(f"{note} (still {to})",
                          last_error=last_error if isinstance(last_error, str) else None,
                          message=text):
                record = self.a
                event = event_of(record, recovered=self.recovered, paid_late=paid_late)
            else:  # the state is committed already: only the note is lost
                record = current
                event = event_of(record, recovered=self.recovered, message=message,
                                 paid_late=paid_late)
        else:
            try:
                record = self.ctx.repo.transition(
                    self.attempt_id, to, validate=check_transition, note=note,
                    message=text, **fields)   # → paid settles the order in the same commit
            except StorageWriteError as exc:
                # Nothing stored: tell the cashier what is known (the committed state
                # stays), and leave the attempt for the till's retry.
                log.error("attempt %s %s → %s not stored: %s", current.id,
                          current.out_trade_no, to, exc)
                self.ctx.emit(event_of(current, recovered=self.recovered, message=msg(
                    T.PAID_UNSAVED if to == S.PAID else T.UNSAVED)))
                raise Unsaved(self.attempt_id, to, exc) from exc
            if to == S.PAID and self._paid_by_another(record):
                # both QRs of a pair paid: storage logged and audited it (double_payment);
                # the attempt's own record says so too (its history, the events after a
                # restart); a note the disk refuses loses only that (_note logs it).
                # The event says it whatever the note's fate.
                twice = msg(T.PAID_TWICE)
                self._note("paid twice: a refund is owed", message=pm.stored(twice))
                event = event_of(record, recovered=self.recovered, paid_late=True,
                                 message=twice, double_paid=True)
            else:
                event = event_of(record, recovered=self.recovered, paid_late=paid_late)
        log.info("attempt %s %s → %s (%s)", record.id, record.out_trade_no, to, note)
        self.ctx.hook(f"committed:{to.value}")
        self.ctx.emit(event)
        return record

    def _note(self, note: str, *, last_error: str | None = None,
              message: str | None = None) -> bool:
        """Record an observation (no state change). A disk that refuses the write loses
        only the note: the workflow goes on (False is returned)."""
        try:
            self.ctx.repo.note(self.attempt_id, note, last_error=last_error, message=message)
        except StorageWriteError as exc:
            log.error("attempt %s: note not stored (%s): %s", self.attempt_id, exc, note)
            return False
        return True

    def _progress(self, note: str, message: Message, error: str | None = None) -> None:
        """Record an observation without a state change and tell subscribers."""
        self._note(note, last_error=error)
        self.ctx.emit(event_of(self.a, recovered=self.recovered, message=message))

    def _paid(self, paid: Paid | None, note: str, *, late: bool = False) -> None:
        """The channel says paid: commit ``paid`` — unless the paid total is not the
        attempt's amount, which must never silently settle the order (→ uncertain)."""
        tid = paid.transaction_id if paid is not None else ""
        total = paid.total if paid is not None else None
        if not tid or total is None:
            q, _ = self._query()
            if isinstance(q, Paid):
                tid = tid or q.transaction_id
                total = q.total if total is None else total
                paid = paid if paid is not None and paid.payer_total is not None else q
        amount = self.a.amount
        if total is not None and total != amount:
            text = f"paid total {total} fen != attempt amount {amount} fen"
            log.error("attempt %s %s: %s", self.attempt_id, self.a.out_trade_no, text)
            self._set(S.UNCERTAIN, f"{note}: {text}", pm.uncertain_amount(total, amount),
                      transaction_id=tid, last_error=text)
            return
        self._set(S.PAID, note, msg(T.PAID_LATE if late else T.PAID), paid_late=late,
                  transaction_id=tid, **_coupon_fields(paid))

    def _query(self) -> tuple[TradeStatus | None, BaseException | None]:
        """Query; an :class:`Unknown` answer or *any* exception (a bug included) is
        reported as a failed query, so polling / reversing carries on."""
        try:
            status = self.ctx.gateway.query(self.a.out_trade_no)
        except Exception as exc:
            log.error("query %s raised an unexpected %s", self.a.out_trade_no,
                      type(exc).__name__)
            log.warning("query %s failed: %s", self.a.out_trade_no, describe_error(exc))
            return None, exc
        if isinstance(status, Unknown):
            log.warning("query %s failed: %s", self.a.out_trade_no, _mask(status.detail))
            return None, QueryFailed(_mask(status.detail))
        return status, None

    # ------------------------------------------------------------------ payment code

    def run_codepay(self, auth_code: str) -> None:
        a = self.a
        self.ctx.hook("intent_committed")
        if self.cancel.is_set():
            self._set(S.FAILED, "cancelled before sending", msg(T.CANCELLED_BEFORE_SEND))
            return
        try:
            result = self.ctx.gateway.codepay(
                out_trade_no=a.out_trade_no, description=self.ctx.description(a.order_id),
                total=a.amount, auth_code=auth_code)
        except Exception as exc:  # a bug below the adapter: the outcome is unknown
            result = Unknown(describe_error(exc))
        self.ctx.hook("response_received")
        if isinstance(result, Refused):
            # Includes a number collision: this number was sent exactly once, so an
            # existing order with it is some *other* order — our request charged nothing.
            detail = _mask(result.detail)
            self._set(S.FAILED, f"refused {result.reason}: {detail}",
                      pm.refused(result.reason, detail), last_error=detail)
        elif isinstance(result, NotSent):
            # The request never left the till (connection refused …): nothing charged.
            detail = _mask(result.detail)
            self._set(S.FAILED, f"codepay not sent: {detail}", msg(T.NOT_SENT_OFFLINE),
                      last_error=detail)
        elif isinstance(result, Unknown):
            detail = _mask(result.detail)
            self._progress(f"codepay unknown: {detail}", msg(T.CHECKING), detail)
            self._poll_codepay(self.ctx.policy.unknown_first_wait)
        elif isinstance(result, Paid):
            self._paid(result, "codepay paid")
        elif isinstance(result, AwaitingCustomer):
            self._set(S.AWAITING_CUSTOMER, "codepay: customer paying", msg(T.WAITING_PASSWORD))
            self._poll_codepay(self.ctx.policy.codepay_poll.interval(0.0))
        elif isinstance(result, PayFailed):
            self._reverse(msg(T.REVERSED_PAYERROR), query_first=False)
        else:  # Open: accepted, not yet decided
            self._progress(f"codepay returned {type(result).__name__}", msg(T.CHECKING))
            self._poll_codepay(self.ctx.policy.codepay_poll.interval(0.0))

    def _poll_codepay(self, first_wait: float) -> None:
        """Query until paid / refused / deadline / cancel, then reverse if unresolved."""
        policy, clock = self.ctx.policy, self.ctx.clock
        start = clock.monotonic()
        wait = first_wait
        reason = msg(T.REVERSED_TIMEOUT)
        while True:
            elapsed = clock.monotonic() - start
            if elapsed + wait > policy.codepay_deadline:
                break
            if self.ctx.waiter.wait(self.cancel, wait):
                reason = msg(T.REVERSED_CANCELLED)
                break
            self.ctx.hook("polling")
            status, err = self._query()
            wait = policy.codepay_poll.interval(clock.monotonic() - start)
            if err is not None or status is None or isinstance(status, NotFound):
                continue
            if isinstance(status, Paid):
                self._paid(status, "query paid")
                return
            if isinstance(status, AwaitingCustomer):
                if self.a.state != S.AWAITING_CUSTOMER:
                    self._set(S.AWAITING_CUSTOMER, "query: customer paying",
                              msg(T.WAITING_PASSWORD))
                continue
            if isinstance(status, PayFailed):
                self._reverse(msg(T.REVERSED_PAYERROR), query_first=False)
                return
            if isinstance(status, Reversed):
                self._set(S.REVERSED, "query reversed", msg(T.REVERSED_UNKNOWN))
                return
            if isinstance(status, Closed):
                self._set(S.CLOSED, "query closed", msg(T.CLOSED_NEVER_CREATED))
                return
        self._reverse(reason, query_first=True)

    def _reverse(self, reason: Message, *, query_first: bool) -> None:
        """Reverse (撤销) until done; "call again" / errors retry with backoff; else
        uncertain."""
        if query_first:
            status, _ = self._query()
            if isinstance(status, Paid):
                self._paid(status, "query paid before reverse")
                return
            if isinstance(status, Reversed):
                self._set(S.REVERSED, "already reversed", reason)
                return
        waits = (0.0, *self.ctx.policy.reverse_retry_waits)
        last = ""
        box_open = False
        for wait in waits:
            if wait:
                self.ctx.waiter.wait(self._never, wait)
            if box_open:
                # Reverse was refused because the password box was open: if the
                # customer has completed it meanwhile, the sale is simply paid
                # (better than reversing, which would refund it).
                status, _ = self._query()
                if isinstance(status, Paid):
                    self._paid(status, "paid while reverse was refused (customer paying)")
                    return
                box_open = False
            self.ctx.hook("reversing")
            try:
                result = self.ctx.gateway.reverse(self.a.out_trade_no)
            except Exception as exc:  # a bug below the adapter: try again
                last = describe_error(exc)
                self._note(f"reverse retry: {last}", last_error=last)
                continue
            if isinstance(result, Reversed):
                self._set(S.REVERSED, "reversed", reason)
                return
            if isinstance(result, NotFound):
                # The channel never accepted the charge: nothing to undo.
                to = S.FAILED if self.a.state != S.AWAITING_CUSTOMER else S.CLOSED
                self._set(to, "reverse: order not found", msg(T.FAILED_NOT_FOUND),
                          last_error="reverse: order not found")
                return
            if isinstance(result, Rejected):
                last = _mask(result.detail)
                break  # e.g. too late to reverse: retrying will not help
            if isinstance(result, AwaitingCustomer):
                last = "reverse refused: customer paying"
                self._note(f"reverse retry: {last}", last_error=last)
                box_open = True
                continue
            if result.error:
                last = _mask(result.detail)
                self._note(f"reverse retry: {last}", last_error=last)
            else:
                self._note(f"reverse {result.detail}")
        # Reverse did not go through: the truth is whatever the channel says now.
        status, _ = self._query()
        if isinstance(status, Paid):
            self._paid(status, "reverse failed; order is paid")
        elif isinstance(status, Reversed):
            self._set(S.REVERSED, "query reversed after reverse errors", reason)
        else:
            self._set(S.UNCERTAIN, f"reverse failed: {last or '?'}",
                      msg(T.UNCERTAIN_REVERSE), last_error=last or "reverse failed")

    def _paid_by_another(self, record: AttemptRecord) -> bool:
        """After a PAID commit: was the order settled by another attempt (a double
        payment, a refund owed)? ``paid_attempt_id`` is set once, by the first PAID."""
        order = self.ctx.orders.get(record.order_id)
        return order is not None and order.paid_attempt_id not in (None, record.id)

    # ------------------------------------------------------------------ Native

    def run_native(self) -> None:
        poll_native([self] if self._issue_qr() else [])

    def _issue_qr(self) -> bool:
        """Prepay (with its retries) and commit ``awaiting_customer`` with the QR: True.
        False when the attempt ended instead (not sent, refused, closed, cancelled)."""
        a = self.a
        self.ctx.hook("intent_committed")
        if self.cancel.is_set():
            self._set(S.CLOSED, "cancelled before sending", msg(T.CANCELLED_BEFORE_SEND))
            return False
        assert a.expires_at is not None
        code_url = ""
        last = ""
        first = True
        for wait in (0.0, *self.ctx.policy.prepay_retry_waits):
            if not first and self.ctx.waiter.wait(self.cancel, wait):
                break
            try:
                result = self.ctx.gateway.native_prepay(
                    out_trade_no=a.out_trade_no, description=self.ctx.description(a.order_id),
                    total=a.amount, time_expire=a.expires_at)
            except Exception as exc:  # a bug below the adapter: the outcome is unknown
                result = Unknown(describe_error(exc))
            was_first, first = first, False
            if isinstance(result, QrIssued):
                code_url = result.code_url
                break
            if isinstance(result, NotSent) and was_first:
                # The first request never left the till: no order exists, nobody can pay.
                last = _mask(result.detail)
                self.ctx.hook("response_received")
                self._set(S.FAILED, f"prepay not sent: {last}", msg(T.NOT_SENT_OFFLINE),
                          last_error=last)
                return False
            if isinstance(result, Refused):
                last = _mask(result.detail)
                if was_first:
                    # First send refused (a number collision included): nothing created.
                    self.ctx.hook("response_received")
                    self._set(S.FAILED, f"refused {result.reason}: {last}",
                              pm.refused(result.reason, last), last_error=last)
                    return False
                # A retry after an unknown outcome was refused (our own earlier order
                # exists, or "params differ"): that proves nothing — close it below.
                break
            last = _mask(result.detail)
            self._note(f"prepay retry: {last}", last_error=last)
        self.ctx.hook("response_received")
        if not code_url:
            # The QR was never shown, so no customer can pay it; make sure it is closed.
            log.warning("native prepay for %s failed: %s", a.out_trade_no, last or "cancelled")
            reason = msg(T.CLOSED_CANCELLED if self.cancel.is_set() else T.CLOSED_PREPAY_FAILED)
            self._close_native(reason)
            return False
        self._set(S.AWAITING_CUSTOMER, "code_url issued", msg(T.WAITING_SCAN), code_url=code_url)
        return True

    def _poll_step(self) -> bool:
        """One query of a QR being polled: True when the attempt ended (paid/closed)."""
        status, _ = self._query()
        if isinstance(status, Paid):
            self._paid(status, "query paid")
            return True
        if isinstance(status, Closed | Reversed):
            self._set(S.CLOSED, f"query {type(status).__name__}", msg(T.CLOSED_EXPIRED))
            return True
        return False

    def _close_native(self, reason: Message) -> None:
        """Close (idempotent) with retries; "already paid" means the customer won → paid."""
        last = ""
        for wait in (0.0, *self.ctx.policy.close_retry_waits):
            if wait:
                self.ctx.waiter.wait(self._never, wait)
            self.ctx.hook("closing")
            try:
                result = self.ctx.gateway.close(self.a.out_trade_no)
            except Exception as exc:  # a bug below the adapter: try again
                last = describe_error(exc)
                self._note(f"close retry: {last}", last_error=last)
                continue
            if isinstance(result, AlreadyPaid):
                self._paid(None, "close: already paid", late=self._cashier_cancelled(reason))
                return
            if isinstance(result, Closed | NotFound):
                self._confirm_closed(reason, "closed" if isinstance(result, Closed)
                                     else "close: order not found")
                return
            last = _mask(result.detail)
            self._note(f"close retry: {last}", last_error=last)
            if isinstance(result, Rejected):
                break
        status, _ = self._query()
        if isinstance(status, Paid):
            self._paid(status, "close failed; order is paid",
                       late=self._cashier_cancelled(reason))
        elif isinstance(status, Closed | Reversed):
            self._set(S.CLOSED, "query closed after close errors", reason)
        else:
            self._set(S.UNCERTAIN, f"close failed: {last or '?'}", msg(T.UNCERTAIN_CLOSE),
                      last_error=last or "close failed")

    def _cashier_cancelled(self, reason: Message) -> bool:
        # the pair's other QR paid: a payment here after the close is announced as well
        return reason.key in (T.CLOSED_CANCELLED, T.CLOSED_OTHER_CHANNEL)

    def _confirm_closed(self, reason: Message, note: str) -> None:
        """A close was answered, but a close soon after creation may not take effect
        (channels sync order state with a lag; WeChat: within 5 minutes) and a customer
        who already scanned can pay until ``time_expire``. Once a QR was shown, query
        until the channel confirms *closed*, or ``time_expire`` has passed; a payment
        that lands meanwhile ends ``paid`` (announced as paid late when the cashier had
        cancelled), never left for the next day's reconciliation. The lane is held for
        at most ``policy.close_confirm_window``: after that the attempt is ``uncertain``
        (the order stays blocked: the customer may still pay) and the till re-checks it
        once ``time_expire`` has passed."""
        a = self.a
        if not a.code_url or a.expires_at is None:
            self._set(S.CLOSED, note, reason)  # no QR was ever shown: nobody can pay it
            return
        policy, clock = self.ctx.policy, self.ctx.clock
        start = clock.monotonic()
        late = self._cashier_cancelled(reason)
        noted = False
        while True:
            past_expiry = clock.now() >= a.expires_at
            self.ctx.hook("confirming")
            status, err = self._query()
            if isinstance(status, Paid):
                self._paid(status, f"{note}; paid after the close", late=late)
                return
            if isinstance(status, Closed | Reversed):
                self._set(S.CLOSED, f"{note}; confirmed {type(status).__name__}", reason)
                return
            if past_expiry:
                if isinstance(status, AwaitingCustomer):
                    # Scanned after the close (a channel with no order before the scan,
                    # e.g. Alipay): the customer is confirming — close it again.
                    self._set(S.UNCERTAIN, f"{note}; customer paying after the close",
                              msg(T.UNCERTAIN_CLOSE), last_error="customer paying")
                    self.ctx.recheck(self.attempt_id, clock.now())
                elif err is None:  # Open / NotFound after time_expire: nobody can pay now
                    self._set(S.CLOSED, f"{note}; not paid by time_expire", reason)
                else:
                    self._set(S.UNCERTAIN, f"{note}; unconfirmed: {describe_error(err)}",
                              msg(T.UNCERTAIN_CLOSE), last_error=describe_error(err))
                return
            if clock.monotonic() - start >= policy.close_confirm_window:
                self._set(S.UNCERTAIN, f"{note}; close not confirmed, re-check at expiry",
                          msg(T.UNCERTAIN_CLOSE), last_error="close not confirmed")
                self.ctx.recheck(self.attempt_id, a.expires_at)
                return
            remaining = (a.expires_at - clock.now()).total_seconds()
            wait = min(policy.native_poll.interval(clock.monotonic() - start),
                       max(remaining, 0.0))
            if not noted:
                self._note(f"{note}; close not confirmed yet")
                noted = True
            self.ctx.waiter.wait(self._never, wait)

    # ------------------------------------------------------------------ recovery

    def resolve(self) -> None:
        """Bring an unfinished attempt found in the DB (start-up, or a retry of an
        uncertain one) to a final state: query first, then close / reverse."""
        a = self.a
        if a.state.terminal:
            return
        if a.method == PaymentMethod.CASH:
            # Cash is committed as paid in the intent transaction; a leftover is a bug.
            self._set(S.FAILED, "unfinished cash attempt", msg(T.CASH_UNFINISHED))
            return
        status, err = self._query()
        if err is not None:
            self._set(S.UNCERTAIN, f"resolve: query failed: {describe_error(err)}",
                      _offline_or_internal(err), last_error=describe_error(err))
            return
        if isinstance(status, NotFound) and a.method == PaymentMethod.CODEPAY:
            age = (self.ctx.clock.now() - a.updated_at).total_seconds()
            grace = min(self.ctx.policy.not_found_grace, self.ctx.policy.not_found_grace - age)
            if grace > 0 and self.defer_grace:
                # Sent just before a crash, maybe still in flight: re-ask after the grace
                # in the background; the attempt stays unfinished, so its order stays
                # blocked (it cannot be charged again) while new sales go ahead.
                self._progress("resolve: not found yet; re-check after the grace",
                               msg(T.CHECKING))
                self.ctx.recheck(self.attempt_id,
                                 self.ctx.clock.now() + timedelta(seconds=grace))
                return
            if grace > 0:
                # A codepay sent just before a crash may still be in flight: re-ask later.
                self.ctx.waiter.wait(self._never, grace)
                status, err = self._query()
                if err is not None:
                    self._set(S.UNCERTAIN, f"resolve: query failed: {describe_error(err)}",
                              _offline_or_internal(err), last_error=describe_error(err))
                    return
        if isinstance(status, NotFound):
            if a.method == PaymentMethod.NATIVE and a.code_url and a.expires_at is not None \
                    and self.ctx.clock.now() < a.expires_at:
                # A QR was shown and may still be scanned: some channels (Alipay) know no
                # order until a customer scans it. Close, then confirm until time_expire.
                self._close_native(msg(T.CLOSED_CANCELLED))
            elif a.method == PaymentMethod.NATIVE:
                self._set(S.CLOSED, "resolve: order not found", msg(T.CLOSED_NEVER_CREATED))
            elif self.a.state == S.AWAITING_CUSTOMER:
                # The channel once said "customer paying" and now knows no such order: do
                # not guess (awaiting → failed is illegal) — reverse, which settles it.
                self._reverse(msg(T.REVERSED_UNKNOWN), query_first=False)
            else:
                self._set(S.FAILED, "resolve: order not found", msg(T.FAILED_NOT_FOUND))
            return
        if isinstance(status, Paid):  # after an unknown outcome: paid late, announce it
            self._paid(status, "resolve: paid", late=a.state == S.UNCERTAIN)
        elif isinstance(status, Reversed):
            self._set(S.REVERSED, "resolve: reversed", msg(T.REVERSED_UNKNOWN))
        elif isinstance(status, Closed):
            self._set(S.CLOSED, "resolve: closed", msg(T.CLOSED_EXPIRED))
        elif a.method == PaymentMethod.NATIVE:
            self._close_native(msg(T.CLOSED_CANCELLED))
        else:
            self._reverse(msg(T.REVERSED_UNKNOWN), query_first=False)


def run_native_pair(first: AttemptWorkflow, second: AttemptWorkflow) -> None:
    """Both channels' QRs for one order (one attempt each, both intents committed, sharing
    one cancel event), on the lane as one job: issue both, then :func:`poll_native` both.
    After a crash, recovery resolves each attempt on its own (query, then close/confirm)."""
    poll_native([wf for wf in (first, second) if wf._issue_qr()])


def poll_native(live: list[AttemptWorkflow]) -> None:
    """Poll the issued QRs of one payment (one, or both of a pair; they share one cancel
    event) until they end. The first PAID wins and every QR still open is closed through
    the close-confirm path (:meth:`AttemptWorkflow._close_native`: closed, then queried
    until the channel confirms or ``time_expire``). Should the customer have paid that one
    too, it ends PAID as well: a double payment, recorded by storage and announced
    (``double_paid``: a refund is owed) — never silent. Expiry or a cashier cancel closes
    every open QR the same way."""
    if not live:
        return
    first = live[0]
    ctx = first.ctx
    policy, clock = ctx.policy, ctx.clock
    expires_at = min(e for e in (wf.a.expires_at for wf in live) if e is not None)
    start = clock.monotonic()
    reason = msg(T.CLOSED_EXPIRED)
    while live:
        remaining = (expires_at - clock.now()).total_seconds()
        if remaining <= 0:
            break
        wait = min(policy.native_poll.interval(clock.monotonic() - start), remaining)
        if ctx.waiter.wait(first.cancel, wait):
            reason = msg(T.CLOSED_CANCELLED)
            break
        ctx.hook("polling")
        paid = False
        for wf in list(live):
            if wf._poll_step():
                live.remove(wf)
                paid = paid or wf.a.state == S.PAID
        if paid:
            reason = msg(T.CLOSED_OTHER_CHANNEL)
            break
    for wf in live:
        wf._close_native(reason)
