"""Daily reconciliation against the payment channel's trade statement.

The channel adapter downloads, verifies and parses the statement into neutral
:class:`~pos_app.payments.gateway.BillRow` values (int fen); this module only diffs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from pos_app.domain.clock import SHOP_TZ, Clock, SystemClock, day_window
from pos_app.domain.money import Fen, format_yuan
from pos_app.domain.payment import WECHAT, PaidPayment, PaymentMethod
from pos_app.domain.refund import Refund as RefundRecord
from pos_app.domain.refund import RefundState
from pos_app.domain.text import Message, msg
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.store import ReconcileStore
from pos_app.payments.gateway import (
    BillNotReady,
    BillRow,
    BillUnreadable,
    Paid,
    RefundProgress,
    TradeBill,
    TradeStatus,
)

log = logging.getLogger("pos_app.manager.reconcile")

#: The parsed statement (the name reconciliation used before the channel seam).
ParsedBill = TradeBill


# --------------------------------------------------------------------------- diff


class MismatchKind(StrEnum):
    REMOTE_ONLY_PAYMENT = "remote_only_payment"      # paid at WeChat, missing locally
    LOCAL_ONLY_PAYMENT = "local_only_payment"        # paid locally, not in the bill
    AMOUNT_MISMATCH = "amount_mismatch"
    SETTLEMENT_MISMATCH = "settlement_mismatch"      # same total, different settlement
    REMOTE_ONLY_REFUND = "remote_only_refund"
    LOCAL_ONLY_REFUND = "local_only_refund"
    REFUND_AMOUNT_MISMATCH = "refund_amount_mismatch"
    REFUND_STATUS_MISMATCH = "refund_status_mismatch"


MISMATCH_MESSAGES: dict[MismatchKind, ManagerText] = {
    MismatchKind.REMOTE_ONLY_PAYMENT: ManagerText.RECONCILE_REMOTE_ONLY_PAYMENT,
    MismatchKind.LOCAL_ONLY_PAYMENT: ManagerText.RECONCILE_LOCAL_ONLY_PAYMENT,
    MismatchKind.AMOUNT_MISMATCH: ManagerText.RECONCILE_AMOUNT_MISMATCH,
    MismatchKind.SETTLEMENT_MISMATCH: ManagerText.RECONCILE_SETTLEMENT_MISMATCH,
    MismatchKind.REMOTE_ONLY_REFUND: ManagerText.RECONCILE_REMOTE_ONLY_REFUND,
    MismatchKind.LOCAL_ONLY_REFUND: ManagerText.RECONCILE_LOCAL_ONLY_REFUND,
    MismatchKind.REFUND_AMOUNT_MISMATCH: ManagerText.RECONCILE_REFUND_AMOUNT_MISMATCH,
    MismatchKind.REFUND_STATUS_MISMATCH: ManagerText.RECONCILE_REFUND_STATUS_MISMATCH,
}


@dataclass(frozen=True)
class Mismatch:
    kind: MismatchKind
    out_trade_no: str
    remote_amount: Fen | None = None
    local_amount: Fen | None = None
    out_refund_no: str = ""
    transaction_id: str = ""
    detail: str = ""
    channel: str = WECHAT          # whose bill it was found in

    @property
    def message(self) -> Message:
        return msg(MISMATCH_MESSAGES[self.kind])

    @property
    def fixable(self) -> bool:
        return self.kind is MismatchKind.REMOTE_ONLY_PAYMENT


@dataclass(frozen=True)
class ReconcileReport:
    bill_date: str
    matched_payments: int
    matched_refunds: int
    remote_payment_total: Fen
    local_payment_total: Fen
    remote_refund_total: Fen
    local_refund_total: Fen
    mismatches: tuple[Mismatch, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)
    #: The channel has no statement for this (settled) day: it saw no trades of ours.
    no_trades: bool = False
    #: What the shop will be settled for the day's payments (the order totals less
    #: merchant-funded coupons), as the bill says.
    remote_settlement_total: Fen = Fen(0)
    #: The same for the local payments: what the customers paid (coupons paid the rest)
    #: and what the shop expects to be settled (order totals less merchant coupons).
    local_customer_paid_total: Fen = Fen(0)
    local_settlement_total: Fen = Fen(0)
    channel: str = WECHAT          # the channel whose bill this is

    @property
    def ok(self) -> bool:
        return not self.mismatches

    @property
    def headline(self) -> Message | None:
        """A statement about the whole day, if any (no trades at the channel)."""
        return msg(ManagerText.RECONCILE_NO_TRADES) if self.no_trades else None


_WECHAT = (PaymentMethod.NATIVE, PaymentMethod.CODEPAY)
_LOCAL_STATE_OF = {RefundProgress.SUCCESS: RefundState.SUCCESS,
                   RefundProgress.PROCESSING: RefundState.PROCESSING,
                   RefundProgress.CLOSED: RefundState.CLOSED,
                   RefundProgress.ABNORMAL: RefundState.ABNORMAL}


def reconcile(
    bill_date: str,
    bill: ParsedBill,
    payments: Iterable[PaidPayment],
    refunds: Iterable[RefundRecord],
    channel: str = WECHAT,
) -> ReconcileReport:
    """Compare ``channel``'s bill with the day's local payments and refunds of that
    channel (pure)."""
    local_pay = {p.out_trade_no: p for p in payments
                 if p.method in _WECHAT and (p.channel or WECHAT) == channel}
    local_ref = {r.out_refund_no: r for r in refunds if r.method in _WECHAT
                 and (r.channel or WECHAT) == channel and r.state is not RefundState.FAILED}
    # paid-then-reversed orders: payment row + reversal row net to nothing paid
    reversed_nos = {r.out_trade_no for r in bill.rows if r.is_reversal}
    remote_pay: dict[str, BillRow] = {}
    warnings: list[str] = []
    for row in bill.payments:
        if row.out_trade_no in remote_pay:
            warnings.append(f"duplicate payment row {row.out_trade_no}")
        if row.out_trade_no not in reversed_nos:
            remote_pay[row.out_trade_no] = row
    remote_ref = {r.out_refund_no: r for r in bill.refunds if not r.is_reversal}
    out: list[Mismatch] = []
    matched_p = matched_r = 0
    for no, row in remote_pay.items():
        lp = local_pay.get(no)
        if lp is None:
            out.append(Mismatch(MismatchKind.REMOTE_ONLY_PAYMENT, no, row.order_amount,
                                transaction_id=row.transaction_id, detail=row.trade_time))
        elif lp.amount != row.order_amount:
            out.append(Mismatch(MismatchKind.AMOUNT_MISMATCH, no, row.order_amount, lp.amount,
                                transaction_id=row.transaction_id))
        elif lp.settlement != row.settlement_total:
            # same order total, different settlement: a merchant coupon we did not record
            out.append(Mismatch(MismatchKind.SETTLEMENT_MISMATCH, no, row.settlement_total,
                                lp.settlement, transaction_id=row.transaction_id))
        else:
            matched_p += 1
    for no, lp in local_pay.items():
        if no not in remote_pay:
            out.append(Mismatch(MismatchKind.LOCAL_ONLY_PAYMENT, no, None, lp.amount,
                                transaction_id=lp.transaction_id,
                                detail="reversed" if no in reversed_nos
                                else lp.paid_at.isoformat()))
    for rno, row in remote_ref.items():
        lr = local_ref.get(rno)
        if lr is None:
            out.append(Mismatch(MismatchKind.REMOTE_ONLY_REFUND, row.out_trade_no,
                                row.requested_refund, out_refund_no=rno,
                                transaction_id=row.transaction_id, detail=row.refund_status))
        elif lr.amount != row.requested_refund:
            out.append(Mismatch(MismatchKind.REFUND_AMOUNT_MISMATCH, row.out_trade_no,
                                row.requested_refund, lr.amount, out_refund_no=rno))
        elif row.refund_progress is not None and \
                (remote_state := _LOCAL_STATE_OF[row.refund_progress]) and \
                lr.state.final and remote_state.final and remote_state is not lr.state:
            out.append(Mismatch(MismatchKind.REFUND_STATUS_MISMATCH, row.out_trade_no,
                                row.requested_refund, lr.amount, out_refund_no=rno,
                                detail=f"{row.refund_status} vs {lr.state.value}"))
        else:
            matched_r += 1
    for rno, lr in local_ref.items():
        if rno not in remote_ref:
            out.append(Mismatch(MismatchKind.LOCAL_ONLY_REFUND, lr.out_trade_no, None,
                                lr.amount, out_refund_no=rno, detail=lr.state.value))
    if bill.summary is not None:
        s = bill.summary
        if s.trade_count != len(bill.rows):
            warnings.append(f"summary count {s.trade_count} != {len(bill.rows)} rows")
        settled = sum(r.settlement_total for r in bill.payments)
        if s.settlement_total != settled:
            warnings.append(f"summary settlement {format_yuan(s.settlement_total)} != rows "
                            f"{format_yuan(settled)}")
    return ReconcileReport(
        no_trades=not bill.rows and bill.summary is None,
        remote_settlement_total=Fen(sum(r.settlement_total for r in remote_pay.values())),
        local_customer_paid_total=Fen(sum(p.customer_paid for p in local_pay.values())),
        local_settlement_total=Fen(sum(p.settlement for p in local_pay.values())),
        bill_date=bill_date, matched_payments=matched_p, matched_refunds=matched_r,
        remote_payment_total=Fen(sum(r.order_amount for r in remote_pay.values())),
        local_payment_total=Fen(sum(p.amount for p in local_pay.values())),
        remote_refund_total=Fen(sum(r.requested_refund for r in remote_ref.values())),
        local_refund_total=Fen(sum(r.amount for r in local_ref.values()
                                   if r.state.taken or r.state is RefundState.CLOSED)),
        mismatches=tuple(replace(m, channel=channel) for m in out), warnings=tuple(warnings),
        channel=channel,
    )


# --------------------------------------------------------------------------- service


class BillGateway(Protocol):
    """The part of :class:`pos_app.payments.gateway.PaymentChannel` reconciliation uses."""

    def trade_bill(self, bill_date: date) -> TradeBill: ...

    def query(self, out_trade_no: str) -> TradeStatus: ...


class ReconcileService:
    """Downloads the bill for a day, diffs it, and repairs missing local payments."""

    def __init__(self, store: ReconcileStore,
                 gateway: BillGateway | Mapping[str, BillGateway], *,
                 clock: Clock | None = None) -> None:
        self._store = store
        # each channel is reconciled against its own bill
        self._gateways: dict[str, BillGateway] = (
            dict(gateway) if isinstance(gateway, Mapping) else {WECHAT: gateway})
        self._gateway = self._gateways.get(WECHAT) or next(iter(self._gateways.values()))
        self._clock = clock or SystemClock()

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self._gateways)

    def latest_day(self) -> date:
        """The last day a bill can exist for: yesterday (shop time). Today's is not
        settled — WeChat generates a day's bill after 10:00 the next morning, Alipay
        after 09:00."""
        return self._clock.now().astimezone(SHOP_TZ).date() - timedelta(days=1)

    def run_all(self, day: date) -> list[ReconcileReport]:
        """Every enabled channel's report for ``day`` (raises like :meth:`run`)."""
        return [self.run(day, channel) for channel in self._gateways]

    def run(self, day: date, channel: str | None = None) -> ReconcileReport:
        """Blocking: fetch ``channel``'s bill for the day (the first channel's if None)
        and diff it.

        Today or later is refused before asking (never "no trades" for a day that is
        not over); a bill the channel has not generated yet is "not ready, try later".
        Only a settled day without a statement is "no trades" (``report.no_trades``):
        every local payment of that channel is then unmatched. Raises ``ChannelError``."""
        if day > self.latest_day():
            raise ManagerError(msg(ManagerText.RECONCILE_NOT_SETTLED))
        name = channel or next(iter(self._gateways))
        try:
            bill = self._gateways[name].trade_bill(day)
        except BillNotReady as exc:
            raise ManagerError(msg(ManagerText.RECONCILE_BILL_NOT_READY)) from exc
        except BillUnreadable as exc:
            raise ManagerError(msg(ManagerText.RECONCILE_MALFORMED_BILL, why=exc.detail)) from exc
        return reconcile(day.isoformat(), bill, *self._local_activity(day), channel=name)

    def _local_activity(self, day: date) -> tuple[list[PaidPayment], list[RefundRecord]]:
        start, end = day_window(day)
        return (self._store.paid_payments_between(start, end),
                self._store.refunds_between(start, end))

    def fix_missing_local(self, mismatch: Mismatch, actor: str) -> PaidPayment:
        """Re-query the order at WeChat Pay and, if it really is paid, record it locally."""
        if not mismatch.fixable:
            raise ManagerError(msg(ManagerText.RECONCILE_NOT_FIXABLE))
        tx = self._gateways.get(mismatch.channel, self._gateway).query(mismatch.out_trade_no)
        if not isinstance(tx, Paid):
            raise ManagerError(msg(ManagerText.RECONCILE_REQUERY_NOT_PAID))
        if tx.total is not None and mismatch.remote_amount is not None \
                and tx.total != mismatch.remote_amount:
            raise ManagerError(msg(ManagerText.RECONCILE_REQUERY_AMOUNT_DIFFERS))
        # a re-query that does not report the order amount: the bill's amount (never book
        # a recovered sale at 0.00)
        tx = replace(tx, out_trade_no=tx.out_trade_no or mismatch.out_trade_no,
                     total=tx.total if tx.total is not None else mismatch.remote_amount)
        pay = self._store.record_missing_payment(tx, self._paid_at(tx, mismatch),
                                                 channel=mismatch.channel)
        self._store.audit(actor, "reconcile.fix_missing_local", {
            "out_trade_no": tx.out_trade_no, "transaction_id": tx.transaction_id,
            "amount": pay.amount})
        return pay

    def _paid_at(self, tx: Paid, mismatch: Mismatch) -> datetime:
        """The channel's paid time, else the bill's trade time (Beijing time), else now."""
        if tx.paid_at is not None:
            return tx.paid_at.astimezone(UTC)
        try:
            bill_time = datetime.strptime(mismatch.detail, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return self._clock.now()
        return bill_time.replace(tzinfo=SHOP_TZ).astimezone(UTC)


def mismatches_by_kind(report: ReconcileReport) -> dict[MismatchKind, Sequence[Mismatch]]:
    out: dict[MismatchKind, list[Mismatch]] = {}
    for m in report.mismatches:
        out.setdefault(m.kind, []).append(m)
    return dict(out)
