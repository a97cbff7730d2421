"""Alipay (当面付) as a :class:`~pos_app.payments.gateway.PaymentChannel`: the
:class:`pos_app.alipay.AlipayClient` behind the neutral vocabulary.

The SDK already sorts every answer into outcome-unknown or a refusal
(:attr:`~pos_app.alipay.AlipayError.outcome_unknown`) and classifies refusals by
:class:`~pos_app.alipay.ErrorKind`; this adapter branches on those only — no Alipay
code appears here. How the Alipay calls map:

* payment code → ``alipay.trade.pay``: paid → :class:`Paid`; ``WAIT_BUYER_PAY`` /
  ``10003`` → :class:`AwaitingCustomer` (the workflow polls like USERPAYING, then
  reverses); ``20000``, ``ACQ.SYSTEM_ERROR``, ``ACQ.TRADE_HAS_SUCCESS``, timeouts, a
  bad signature … → :class:`Unknown` (the workflow queries first, then cancels).
* QR → ``alipay.trade.precreate`` with ``qr_code_timeout_express`` = the whole minutes
  left before ``time_expire`` (rounded *down*: Alipay's QR must never outlive the
  attempt's expiry). An unscanned QR has no trade yet: query answers
  :class:`NotFound` and close cannot stop it — the workflow then confirms until
  ``time_expire`` (see :meth:`AttemptWorkflow._confirm_closed`).
* reverse → ``alipay.trade.cancel`` (closes an unpaid trade, refunds a paid one);
  close → ``alipay.trade.close`` (a refused close is told apart by a query).
* refunds → ``alipay.trade.refund`` with ``out_request_no`` = our ``out_refund_no``
  (idempotent); refund query → ``alipay.trade.fastpay.refund.query``.
* bills → the bill download URL, fetched and parsed at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import httpx

from pos_app.alipay import (
    AlipayClient,
    AlipayConfig,
    AlipayError,
    CancelAction,
    ConfigError,
    ErrorKind,
    GatewayError,
    MalformedResponseError,
    Trade,
)
from pos_app.alipay import BillRow as AlipayBillRow
from pos_app.alipay.models import BillRowKind
from pos_app.domain.money import Fen
from pos_app.domain.scan import mask_codes_in
from pos_app.payments.gateway import (
    AlreadyPaid,
    AwaitingCustomer,
    BillNotReady,
    BillRow,
    BillType,
    BillUnreadable,
    ChannelError,
    ChargeResult,
    Closed,
    CloseResult,
    NotFound,
    Paid,
    QrIssued,
    QrResult,
    RefundProgress,
    RefundQuery,
    RefundRefused,
    RefundResult,
    RefundSeen,
    RefusalReason,
    Refused,
    Rejected,
    Retry,
    Reversed,
    ReverseResult,
    TradeBill,
    TradeStatus,
    Unknown,
)

log = logging.getLogger("pos_app.payments")

R = RefusalReason
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

#: A verified payment refusal (nothing charged) → the neutral reason.
REFUSALS: dict[ErrorKind, RefusalReason] = {
    ErrorKind.AUTH_CODE_INVALID: R.CODE_INVALID,
    ErrorKind.INSUFFICIENT_FUNDS: R.INSUFFICIENT_BALANCE,
    ErrorKind.PAYMENT_REFUSED: R.OTHER,
    # Each number is sent once: a closed trade or different fields under it is some
    # other order's (never adopt its state).
    ErrorKind.TRADE_CLOSED: R.NUMBER_COLLISION,
    ErrorKind.CONFLICT: R.NUMBER_COLLISION,
    ErrorKind.INVALID_REQUEST: R.PARAMS,
    ErrorKind.MERCHANT_SETUP: R.MERCHANT_CONFIG,
}


def describe(exc: BaseException) -> str:
    """Short, secret-free text for logs / ``last_error`` (payment codes masked)."""
    return mask_codes_in(f"{type(exc).__name__}: {exc}")[:300]


def refusal_of(exc: GatewayError) -> Refused:
    reason = REFUSALS.get(exc.kind, R.OTHER)
    detail = (exc.sub_msg or exc.msg) if reason is R.OTHER else describe(exc)
    return Refused(reason, mask_codes_in(detail)[:300])


def _paid_at(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
    except ValueError:
        return None


def paid_of(trade: Trade) -> Paid:
    total, payer = trade.total_fen, trade.buyer_pay_fen
    discount = Fen(total - payer) if total is not None and payer is not None \
        and payer <= total else Fen(0)
    return Paid(transaction_id=trade.trade_no, out_trade_no=trade.out_trade_no, total=total,
                payer_total=payer, discount_total=discount, paid_at=_paid_at(trade.paid_at))


def status_of(trade: Trade) -> TradeStatus:
    if trade.paid:
        return paid_of(trade)
    if trade.waiting_for_customer:
        return AwaitingCustomer()
    return Closed()  # TRADE_CLOSED: closed/cancelled unpaid, or paid and returned in full


#: Alipay counts the QR's timeout from when it receives the request: keep this margin.
QR_MARGIN_S = 1.0


def qr_minutes(time_expire: datetime, now: datetime) -> int:
    """Whole minutes that surely end before ``time_expire`` (0 when less than one)."""
    left = (time_expire - now).total_seconds() - QR_MARGIN_S
    return max(0, min(int(left // 60), 120))


class AlipayChannel:
    """Alipay behind the neutral channel protocol."""

    name = "alipay"

    def __init__(self, client: AlipayClient, *,
                 now: Callable[[], datetime] | None = None) -> None:
        self.client = client
        self._now = now or (lambda: datetime.now(UTC))

    @classmethod
    def from_config(cls, cfg: AlipayConfig, *,
                    transport: httpx.BaseTransport | None = None) -> AlipayChannel:
        return cls(AlipayClient.from_config(cfg, transport=transport))

    # ------------------------------------------------------------------ payments

    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> QrResult:
        minutes = qr_minutes(time_expire, self._now())
        if minutes < 1:  # Alipay's shortest QR would outlive the attempt: send nothing
            return Refused(R.PARAMS, "less than a minute left before time_expire")
        try:
            qr = self.client.precreate(out_trade_no=out_trade_no, total_fen=total,
                                       subject=description, qr_timeout_minutes=minutes)
        except ConfigError as exc:
            return Refused(R.MERCHANT_CONFIG, str(exc))
        except GatewayError as exc:
            return Unknown(describe(exc)) if exc.outcome_unknown else refusal_of(exc)
        except AlipayError as exc:
            return Unknown(describe(exc))
        except ValueError as exc:  # refused before sending
            return Refused(R.PARAMS, str(exc))
        return QrIssued(qr.qr_code)

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> ChargeResult:
        try:
            trade = self.client.pay(out_trade_no=out_trade_no, auth_code=auth_code,
                                    total_fen=total, subject=description)
        except ConfigError as exc:
            return Refused(R.MERCHANT_CONFIG, str(exc))
        except GatewayError as exc:
            return Unknown(describe(exc)) if exc.outcome_unknown else refusal_of(exc)
        except AlipayError as exc:  # transport, timeout, bad signature, malformed …
            return Unknown(describe(exc))
        except ValueError as exc:  # refused before sending
            return Refused(R.PARAMS, mask_codes_in(str(exc)))
        if trade.paid:
            return paid_of(trade)
        return AwaitingCustomer()

    def query(self, out_trade_no: str) -> TradeStatus:
        try:
            trade = self.client.query(out_trade_no)
        except (AlipayError, ValueError) as exc:
            return Unknown(describe(exc))
        return NotFound() if trade is None else status_of(trade)

    def close(self, out_trade_no: str) -> CloseResult:
        try:
            closed = self.client.close(out_trade_no)
        except GatewayError as exc:
            if exc.outcome_unknown:
                return Retry(describe(exc))
            if exc.kind is ErrorKind.TRADE_STATE:
                # Not closable: paid (the customer won) or already closed — ask.
                status = self.query(out_trade_no)
                if isinstance(status, Paid):
                    return AlreadyPaid()
                if isinstance(status, Closed):
                    return Closed()
                if isinstance(status, Unknown):
                    return Retry(status.detail)
            return Rejected(describe(exc))
        except (AlipayError, ValueError) as exc:
            return Retry(describe(exc))
        return Closed() if closed else NotFound()

    def reverse(self, out_trade_no: str) -> ReverseResult:
        try:
            result = self.client.cancel(out_trade_no)
        except GatewayError as exc:
            if exc.outcome_unknown:   # retry_flag=Y, system error …
                return Retry(describe(exc))
            return Rejected(describe(exc))   # e.g. past the cancel window
        except (AlipayError, ValueError) as exc:
            return Retry(describe(exc))
        if result.action is CancelAction.NONE:
            return NotFound()
        return Reversed()   # closed unpaid, or paid and returned in full

    # ------------------------------------------------------------------ refunds

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> RefundResult:
        try:
            done = self.client.refund(out_trade_no=out_trade_no, out_request_no=out_refund_no,
                                      refund_fen=refund, reason=reason)
        except GatewayError as exc:
            if exc.outcome_unknown:
                return Unknown(describe(exc))
            return RefundRefused(describe(exc))
        except AlipayError as exc:
            return Unknown(describe(exc))
        except ValueError as exc:
            return RefundRefused(str(exc))
        # fund_change=N: a repeat of a refund already made under this number (or one
        # Alipay has not finished): the refund query decides.
        progress = RefundProgress.SUCCESS if done.money_moved else RefundProgress.PROCESSING
        return RefundSeen(out_refund_no=out_refund_no, progress=progress, amount=refund,
                          channel_refund_no=done.trade_no)

    def query_refund(self, out_refund_no: str, *, out_trade_no: str = "") -> RefundQuery:
        if not out_trade_no:
            return Unknown("Alipay refund query needs the order's out_trade_no")
        try:
            record = self.client.refund_query(out_trade_no=out_trade_no,
                                              out_request_no=out_refund_no)
        except (AlipayError, ValueError) as exc:
            return Unknown(describe(exc))
        if record is None:   # no successful refund under that number: re-send it (same no)
            return NotFound()
        return RefundSeen(out_refund_no=out_refund_no, progress=RefundProgress.SUCCESS,
                          amount=record.refund_fen, channel_refund_no=record.trade_no)

    # ------------------------------------------------------------------ bills

    def trade_bill(self, bill_date: date, bill_type: BillType = BillType.ALL) -> TradeBill:
        try:
            bill = self.client.download_bill(bill_date)
        except GatewayError as exc:
            if exc.kind is ErrorKind.BILL_NOT_READY:   # today, or not generated yet
                raise BillNotReady(describe(exc)) from exc
            raise ChannelError(describe(exc)) from exc
        except MalformedResponseError as exc:
            if str(exc).startswith("bill"):
                raise BillUnreadable(describe(exc)) from exc
            raise ChannelError(describe(exc)) from exc
        except (AlipayError, ValueError) as exc:
            raise ChannelError(describe(exc)) from exc
        rows = tuple(bill_row(r) for r in bill.rows)
        if bill_type is BillType.SUCCESS:
            rows = tuple(r for r in rows if not r.is_refund)
        elif bill_type is BillType.REFUND:
            rows = tuple(r for r in rows if r.is_refund)
        return TradeBill(rows, None, bill_date)


def bill_row(row: AlipayBillRow) -> BillRow:
    """One detail row of Alipay's bill in the neutral shape (refund amounts positive)."""
    when = row.finished or row.created
    kind = str(row.kind.value)
    if row.kind is BillRowKind.TRADE:
        return BillRow(trade_time=when, transaction_id=row.trade_no,
                       out_trade_no=row.out_trade_no, order_amount=row.amount_fen,
                       settlement_total=row.received_fen, trade_type=kind)
    # A refund made by a cancel (撤销 after paying) is a reversal, not one of our refunds
    # (ours always carry our out_refund_no as the request number).
    reversal = not row.out_request_no or row.out_request_no.endswith("_cancel")
    return BillRow(trade_time=when, transaction_id=row.trade_no, out_trade_no=row.out_trade_no,
                   order_amount=Fen(0), settlement_total=Fen(0), is_refund=True,
                   is_reversal=reversal, trade_type=kind, out_refund_no=row.out_request_no,
                   requested_refund=Fen(-row.amount_fen), refund_amount=Fen(-row.received_fen),
                   refund_progress=RefundProgress.SUCCESS, refund_status=kind)
