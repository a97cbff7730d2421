"""Blocking per-attempt workflows run on the payment lane (no Qt, injectable time).

Rules (WeChat Pay micropay/Native flow, notes §4–8):

* every state change is committed (attempt row + audit event + order status in one
  transaction) *before* subscribers hear of it;
* an error with ``outcome_unknown`` (timeout, 5xx, SYSTEMERROR, bad signature …) is
  never a failure: the order is queried, and a payment code is reversed if the
  outcome stays unclear; only a verified business refusal is ``failed``;
* a reverse that keeps failing, or a close that keeps failing, ends ``uncertain``.

``hook(name)`` is called at named points (``intent_committed``, ``response_received``,
``committed:<state>``, ``polling``, ``reversing``, ``closing``); the fault-injection
tests use it to SIGKILL the process there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pos_app.domain.scan import mask_codes_in
from pos_app.payments import messages as msg
from pos_app.payments.api import AttemptState, PaymentEvent, PaymentMethod
from pos_app.payments.clock import Clock, Waiter
from pos_app.payments.gateway import PaymentGateway
from pos_app.payments.policy import PollPolicy
from pos_app.payments.states import check_transition
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import AttemptRecord, PaymentAttemptRepository
from pos_app.wechatpay.errors import ApiError, ConfigError, WechatPayError
from pos_app.wechatpay.models import TradeState, Transaction

log = logging.getLogger("pos_app.payments")

S = AttemptState


def describe_error(exc: BaseException) -> str:
    """Short, secret-free text for ``last_error`` and logs (auth codes masked)."""
    if isinstance(exc, ApiError):
        text = f"{exc.status} {exc.code}: {exc.message}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return mask_codes_in(text)[:300]


def _offline_or_internal(err: BaseException) -> str:
    """An unanswered query is "offline"; anything else (a bug) says so."""
    return msg.UNCERTAIN_OFFLINE if isinstance(err, WechatPayError) else msg.UNCERTAIN_INTERNAL


@dataclass
class WorkflowContext:
    repo: PaymentAttemptRepository
    orders: OrderRepository
    gateway: PaymentGateway
    policy: PollPolicy
    clock: Clock
    waiter: Waiter
    emit: Callable[[PaymentEvent], None]
    hook: Callable[[str], None]
    description: Callable[[int], str]


def event_of(a: AttemptRecord, *, recovered: bool = False, message: str | None = None
             ) -> PaymentEvent:
    return PaymentEvent(
        order_id=a.order_id, attempt_id=a.id, method=a.method, state=a.state, amount=a.amount,
        out_trade_no=a.out_trade_no, code_url=a.code_url, expires_at=a.expires_at,
        message=a.message if message is None else message, transaction_id=a.transaction_id,
        change=a.change, recovered=recovered,
    )


class AttemptWorkflow:
    """Drives one attempt to a terminal (or ``uncertain``) state."""

    def __init__(self, ctx: WorkflowContext, attempt_id: int, cancel: threading.Event,
                 *, recovered: bool = False) -> None:
        self.ctx = ctx
        self.attempt_id = attempt_id
        self.cancel = cancel
        self.recovered = recovered
        self._never = threading.Event()  # for waits the cashier must not cut short

    # ------------------------------------------------------------------ plumbing

    @property
    def a(self) -> AttemptRecord:
        record = self.ctx.repo.get(self.attempt_id)
        assert record is not None
        return record

    def _set(self, to: AttemptState, note: str, message: str, **fields: Any) -> AttemptRecord:
        """Commit ``to`` (or just note it if already there), then tell subscribers."""
        current = self.a
        if current.state == to:
            last_error = fields.get("last_error")
            self.ctx.repo.note(self.attempt_id, f"{note} (still {to})",
                               last_error=last_error if isinstance(last_error, str) else None,
                               message=message)
            record = self.a
            event = event_of(record, recovered=self.recovered)
        else:
            record = self.ctx.repo.transition(
                self.attempt_id, to, validate=check_transition, note=note,
                message=message, **fields)   # → paid settles the order in the same commit
            event = event_of(record, recovered=self.recovered)
        log.info("attempt %s %s → %s (%s)", record.id, record.out_trade_no, to, note)
        self.ctx.hook(f"committed:{to.value}")
        self.ctx.emit(event)
        return record

    def _progress(self, note: str, message: str, error: BaseException | None = None) -> None:
        """Record an observation without a state change and tell subscribers."""
        self.ctx.repo.note(self.attempt_id, note,
                           last_error=describe_error(error) if error else None)
        self.ctx.emit(event_of(self.a, recovered=self.recovered, message=message))

    def _paid(self, txn: Transaction | None, note: str) -> None:
        """WeChat Pay says paid: commit ``paid`` — unless the paid total is not the
        attempt's amount, which must never silently settle the order (→ uncertain)."""
        tid = txn.transaction_id if txn is not None else ""
        total = txn.total if txn is not None else None
        if not tid or total is None:
            q, _ = self._query()
            if q is not None and q.trade_state.paid:
                tid = tid or q.transaction_id
                total = q.total if total is None else total
        amount = self.a.amount
        if total is not None and total != amount:
            text = f"paid total {total} fen != attempt amount {amount} fen"
            log.error("attempt %s %s: %s", self.attempt_id, self.a.out_trade_no, text)
            self._set(S.UNCERTAIN, f"{note}: {text}", msg.uncertain_amount(total, amount),
                      transaction_id=tid, last_error=text)
            return
        self._set(S.PAID, note, msg.PAID, transaction_id=tid)

    def _query(self) -> tuple[Transaction | None, BaseException | None]:
        """Query; *any* failure (a bug or an unwrapped library error included) is
        reported as a failed query, so polling / reversing carries on."""
        try:
            return self.ctx.gateway.query(self.a.out_trade_no), None
        except Exception as exc:
            if not isinstance(exc, WechatPayError):
                log.error("query %s raised an unexpected %s", self.a.out_trade_no,
                          type(exc).__name__)
            log.warning("query %s failed: %s", self.a.out_trade_no, describe_error(exc))
            return None, exc

    # ------------------------------------------------------------------ payment code

    def run_codepay(self, auth_code: str) -> None:
        a = self.a
        self.ctx.hook("intent_committed")
        if self.cancel.is_set():
            self._set(S.FAILED, "cancelled before sending", msg.CANCELLED_BEFORE_SEND)
            return
        try:
            txn = self.ctx.gateway.codepay(
                out_trade_no=a.out_trade_no, description=self.ctx.description(a.order_id),
                total=a.amount, auth_code=auth_code)
        except ConfigError as exc:
            self.ctx.hook("response_received")
            self._set(S.FAILED, f"config: {describe_error(exc)}",
                      f"微信支付配置错误：{exc}（未扣款）", last_error=describe_error(exc))
            return
        except ApiError as exc:
            self.ctx.hook("response_received")
            if not exc.outcome_unknown:
                # Includes ORDERPAID / OUT_TRADE_NO_USED: this number was sent exactly
                # once, so "already exists" is a number collision with some *other*
                # order — our request charged nothing. Never adopt that order's state.
                self._set(S.FAILED, f"refused {exc.code}",
                          msg.refusal_message(exc.code, exc.message),
                          last_error=describe_error(exc))
                return
            if exc.code in ("USERPAYING", "USER_PAYING"):
                self._set(S.AWAITING_CUSTOMER, "codepay USERPAYING (202)", msg.WAITING_PASSWORD,
                          last_error=describe_error(exc))
                self._poll_codepay(self.ctx.policy.codepay_poll.interval(0.0))
                return
            self._progress(f"codepay unknown: {describe_error(exc)}", msg.CHECKING, exc)
            self._poll_codepay(self.ctx.policy.unknown_first_wait)
            return
        except Exception as exc:  # transport, bad signature, malformed: outcome unknown
            self.ctx.hook("response_received")
            self._progress(f"codepay unknown: {describe_error(exc)}", msg.CHECKING, exc)
            self._poll_codepay(self.ctx.policy.unknown_first_wait)
            return
        self.ctx.hook("response_received")
        self._handle_codepay_state(txn, first=True)

    def _handle_codepay_state(self, txn: Transaction, *, first: bool) -> None:
        state = txn.trade_state
        if state.paid:
            self._paid(txn, "codepay SUCCESS")
        elif state == TradeState.USERPAYING:
            self._set(S.AWAITING_CUSTOMER, "USERPAYING", msg.WAITING_PASSWORD)
            self._poll_codepay(self.ctx.policy.codepay_poll.interval(0.0))
        elif state == TradeState.PAYERROR:
            self._reverse(msg.REVERSED_PAYERROR, query_first=False)
        else:
            self._progress(f"codepay returned {state}", msg.CHECKING)
            self._poll_codepay(self.ctx.policy.codepay_poll.interval(0.0))

    def _poll_codepay(self, first_wait: float) -> None:
        """Query until paid / refused / deadline / cancel, then reverse if unresolved."""
        policy, clock = self.ctx.policy, self.ctx.clock
        start = clock.monotonic()
        wait = first_wait
        reason = msg.REVERSED_TIMEOUT
        while True:
            elapsed = clock.monotonic() - start
            if elapsed + wait > policy.codepay_deadline:
                break
            if self.ctx.waiter.wait(self.cancel, wait):
                reason = msg.REVERSED_CANCELLED
                break
            self.ctx.hook("polling")
            txn, err = self._query()
            wait = policy.codepay_poll.interval(clock.monotonic() - start)
            if err is not None or txn is None:
                continue
            state = txn.trade_state
            if state.paid:
                self._paid(txn, "query SUCCESS")
                return
            if state == TradeState.USERPAYING:
                if self.a.state != S.AWAITING_CUSTOMER:
                    self._set(S.AWAITING_CUSTOMER, "query USERPAYING", msg.WAITING_PASSWORD)
                continue
            if state == TradeState.PAYERROR:
                self._reverse(msg.REVERSED_PAYERROR, query_first=False)
                return
            if state == TradeState.REVOKED:
                self._set(S.REVERSED, "query REVOKED", msg.REVERSED_UNKNOWN)
                return
            if state == TradeState.CLOSED:
                self._set(S.CLOSED, "query CLOSED", msg.CLOSED_NEVER_CREATED)
                return
        self._reverse(reason, query_first=True)

    def _reverse(self, reason: str, *, query_first: bool) -> None:
        """Reverse (撤销) until done; recall=Y / errors retry with backoff; else uncertain."""
        if query_first:
            txn, _ = self._query()
            if txn is not None and txn.trade_state.paid:
                self._paid(txn, "query SUCCESS before reverse")
                return
            if txn is not None and txn.trade_state == TradeState.REVOKED:
                self._set(S.REVERSED, "already REVOKED", reason)
                return
        waits = (0.0, *self.ctx.policy.reverse_retry_waits)
        last: BaseException | None = None
        box_open = False
        for wait in waits:
            if wait:
                self.ctx.waiter.wait(self._never, wait)
            if box_open:
                # Reverse was refused because the password box was open: if the
                # customer has completed it meanwhile, the sale is simply paid
                # (better than reversing, which would refund it).
                txn, _ = self._query()
                if txn is not None and txn.trade_state.paid:
                    self._paid(txn, "paid while reverse was refused (USERPAYING)")
                    return
                box_open = False
            self.ctx.hook("reversing")
            try:
                done = self.ctx.gateway.reverse(self.a.out_trade_no)
            except ApiError as exc:
                last = exc
                if exc.code in msg.NOT_FOUND_CODES:
                    # WeChat Pay never accepted the charge: nothing to undo.
                    to = S.FAILED if self.a.state != S.AWAITING_CUSTOMER else S.CLOSED
                    self._set(to, "reverse: order not found", msg.FAILED_NOT_FOUND,
                              last_error=describe_error(exc))
                    return
                if not exc.outcome_unknown and exc.code not in ("USERPAYING", "USER_PAYING"):
                    break  # e.g. REVERSE_EXPIRE: retrying will not help
                self.ctx.repo.note(self.attempt_id, f"reverse retry: {describe_error(exc)}",
                                   last_error=describe_error(exc))
                box_open = exc.code in ("USERPAYING", "USER_PAYING")
                continue
            except Exception as exc:
                last = exc
                self.ctx.repo.note(self.attempt_id, f"reverse retry: {describe_error(exc)}",
                                   last_error=describe_error(exc))
                continue
            if done:
                self._set(S.REVERSED, "reversed", reason)
                return
            self.ctx.repo.note(self.attempt_id, "reverse recall=Y")
        # Reverse did not go through: the truth is whatever WeChat Pay says now.
        txn, _ = self._query()
        if txn is not None and txn.trade_state.paid:
            self._paid(txn, "reverse failed; order is paid")
        elif txn is not None and txn.trade_state == TradeState.REVOKED:
            self._set(S.REVERSED, "query REVOKED after reverse errors", reason)
        else:
            self._set(S.UNCERTAIN, f"reverse failed: {describe_error(last) if last else '?'}",
                      msg.UNCERTAIN_REVERSE,
                      last_error=describe_error(last) if last else "reverse failed")

    # ------------------------------------------------------------------ Native

    def run_native(self) -> None:
        a = self.a
        self.ctx.hook("intent_committed")
        if self.cancel.is_set():
            self._set(S.CLOSED, "cancelled before sending", msg.CANCELLED_BEFORE_SEND)
            return
        assert a.expires_at is not None
        code_url = ""
        last: BaseException | None = None
        first = True
        for wait in (0.0, *self.ctx.policy.prepay_retry_waits):
            if not first and self.ctx.waiter.wait(self.cancel, wait):
                break
            try:
                code_url = self.ctx.gateway.native_prepay(
                    out_trade_no=a.out_trade_no, description=self.ctx.description(a.order_id),
                    total=a.amount, time_expire=a.expires_at)
                break
            except ConfigError as exc:
                if not first:
                    last = exc
                    break  # an earlier send may have created the order: close it below
                self.ctx.hook("response_received")
                self._set(S.FAILED, f"config: {describe_error(exc)}",
                          f"微信支付配置错误：{exc}（未扣款）", last_error=describe_error(exc))
                return
            except ApiError as exc:
                last = exc
                if not exc.outcome_unknown and first:
                    # First send refused (a number collision included): nothing created.
                    self.ctx.hook("response_received")
                    self._set(S.FAILED, f"refused {exc.code}",
                              msg.refusal_message(exc.code, exc.message),
                              last_error=describe_error(exc))
                    return
                if not exc.outcome_unknown:
                    # A retry after an unknown outcome was refused (our own earlier order
                    # exists, or "params differ"): that proves nothing — close it below.
                    break
                self.ctx.repo.note(self.attempt_id, f"prepay retry: {describe_error(exc)}",
                                   last_error=describe_error(exc))
            except Exception as exc:
                last = exc
                self.ctx.repo.note(self.attempt_id, f"prepay retry: {describe_error(exc)}",
                                   last_error=describe_error(exc))
            finally:
                first = False
        self.ctx.hook("response_received")
        if not code_url:
            # The QR was never shown, so no customer can pay it; make sure it is closed.
            log.warning("native prepay for %s failed: %s", a.out_trade_no,
                        describe_error(last) if last else "cancelled")
            reason = msg.CLOSED_CANCELLED if self.cancel.is_set() else msg.CLOSED_PREPAY_FAILED
            self._close_native(reason)
            return
        self._set(S.AWAITING_CUSTOMER, "code_url issued", msg.WAITING_SCAN, code_url=code_url)
        self._poll_native()

    def _poll_native(self) -> None:
        policy, clock = self.ctx.policy, self.ctx.clock
        expires_at = self.a.expires_at
        assert expires_at is not None
        start = clock.monotonic()
        reason = msg.CLOSED_EXPIRED
        while True:
            remaining = (expires_at - clock.now()).total_seconds()
            if remaining <= 0:
                break
            wait = min(policy.native_poll.interval(clock.monotonic() - start), remaining)
            if self.ctx.waiter.wait(self.cancel, wait):
                reason = msg.CLOSED_CANCELLED
                break
            self.ctx.hook("polling")
            txn, _ = self._query()
            if txn is None:
                continue
            if txn.trade_state.paid:
                self._paid(txn, "query SUCCESS")
                return
            if txn.trade_state in (TradeState.CLOSED, TradeState.REVOKED):
                self._set(S.CLOSED, f"query {txn.trade_state}", msg.CLOSED_EXPIRED)
                return
        self._close_native(reason)

    def _close_native(self, reason: str) -> None:
        """Close (idempotent) with retries; ORDER_PAID means the customer won → paid."""
        last: BaseException | None = None
        for wait in (0.0, *self.ctx.policy.close_retry_waits):
            if wait:
                self.ctx.waiter.wait(self._never, wait)
            self.ctx.hook("closing")
            try:
                self.ctx.gateway.close(self.a.out_trade_no)
            except ApiError as exc:
                last = exc
                if exc.code in ("ORDER_PAID", "ORDERPAID"):
                    self._paid(None, "close: ORDER_PAID")
                    return
                if exc.code in ("ORDER_CLOSED", "ORDERCLOSED"):
                    self._set(S.CLOSED, "close: already closed", reason)
                    return
                if exc.code in msg.NOT_FOUND_CODES:
                    self._set(S.CLOSED, "close: order not found", reason)
                    return
                self.ctx.repo.note(self.attempt_id, f"close retry: {describe_error(exc)}",
                                   last_error=describe_error(exc))
                if not exc.outcome_unknown:
                    break
                continue
            except Exception as exc:
                last = exc
                self.ctx.repo.note(self.attempt_id, f"close retry: {describe_error(exc)}",
                                   last_error=describe_error(exc))
                continue
            self._set(S.CLOSED, "closed", reason)
            return
        txn, _ = self._query()
        if txn is not None and txn.trade_state.paid:
            self._paid(txn, "close failed; order is paid")
        elif txn is not None and txn.trade_state in (TradeState.CLOSED, TradeState.REVOKED):
            self._set(S.CLOSED, "query CLOSED after close errors", reason)
        else:
            self._set(S.UNCERTAIN, f"close failed: {describe_error(last) if last else '?'}",
                      msg.UNCERTAIN_CLOSE,
                      last_error=describe_error(last) if last else "close failed")

    # ------------------------------------------------------------------ recovery

    def resolve(self) -> None:
        """Bring an unfinished attempt found in the DB (start-up, or a retry of an
        uncertain one) to a final state: query first, then close / reverse."""
        a = self.a
        if a.state.terminal:
            return
        if a.method == PaymentMethod.CASH:
            # Cash is committed as paid in the intent transaction; a leftover is a bug.
            self._set(S.FAILED, "unfinished cash attempt", "现金收款未完成，未记账")
            return
        txn, err = self._query()
        if err is not None:
            self._set(S.UNCERTAIN, f"resolve: query failed: {describe_error(err)}",
                      _offline_or_internal(err), last_error=describe_error(err))
            return
        if txn is None and a.method == PaymentMethod.CODEPAY:
            age = (self.ctx.clock.now() - a.updated_at).total_seconds()
            grace = min(self.ctx.policy.not_found_grace, self.ctx.policy.not_found_grace - age)
            if grace > 0:
                # A codepay sent just before a crash may still be in flight: re-ask later.
                self.ctx.waiter.wait(self._never, grace)
                txn, err = self._query()
                if err is not None:
                    self._set(S.UNCERTAIN, f"resolve: query failed: {describe_error(err)}",
                              _offline_or_internal(err), last_error=describe_error(err))
                    return
        if txn is None:
            if a.method == PaymentMethod.NATIVE:
                self._set(S.CLOSED, "resolve: order not found", msg.CLOSED_NEVER_CREATED)
            elif self.a.state == S.AWAITING_CUSTOMER:
                # WeChat Pay once said USERPAYING and now knows no such order: do not
                # guess (awaiting → failed is illegal) — reverse, which settles it.
                self._reverse(msg.REVERSED_UNKNOWN, query_first=False)
            else:
                self._set(S.FAILED, "resolve: order not found", msg.FAILED_NOT_FOUND)
            return
        state = txn.trade_state
        if state.paid:
            self._paid(txn, "resolve: SUCCESS")
        elif state == TradeState.REVOKED:
            self._set(S.REVERSED, "resolve: REVOKED", msg.REVERSED_UNKNOWN)
        elif state == TradeState.CLOSED:
            self._set(S.CLOSED, "resolve: CLOSED", msg.CLOSED_EXPIRED)
        elif a.method == PaymentMethod.NATIVE:
            self._close_native(msg.CLOSED_CANCELLED)
        else:
            self._reverse(msg.REVERSED_UNKNOWN, query_first=False)
