"""Daily reconciliation against the WeChat Pay trade bill (``bill_type=ALL`` CSV).

Bill format (docs §12): optional UTF-8 BOM; a detail header; detail rows whose every field
is prefixed by a backtick; then a summary header and one summary row. Amounts are 元 and
are read with :func:`pos_app.domain.money.parse_yuan` (integers only, never floats).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Protocol

from pos_app.domain.money import Fen, MoneyFormatError, format_yuan, parse_yuan
from pos_app.domain.text import Message, msg
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.refunds import CHINA_TZ, day_window
from pos_app.manager.store import PaidPayment, ReconcileStore, RefundRecord, RefundState
from pos_app.payments.api import PaymentMethod
from pos_app.wechatpay.errors import ApiError
from pos_app.wechatpay.models import TradeBill, Transaction

log = logging.getLogger("pos_app.manager.reconcile")

SUMMARY_FIRST_COLUMN = "总交易单数"
#: ``/v3/bill/tradebill`` error meaning "no trades that day" (not "try later").
NO_STATEMENT = "NO_STATEMENT_EXIST"


class BillFormatError(ManagerError):
    """The bill text is not the §12 ALL format."""


def _bad(why: str) -> BillFormatError:
    return BillFormatError(msg(ManagerText.RECONCILE_MALFORMED_BILL, why=why))


@dataclass(frozen=True)
class BillRow:
    """One detail row of the ALL bill (a payment, or a refund when ``out_refund_no``)."""

    trade_time: str
    transaction_id: str
    out_trade_no: str
    trade_type: str
    trade_state: str
    settlement_total: Fen          # 应结订单金额
    order_amount: Fen              # 订单金额 (= settlement total for old-format bills)
    refund_id: str
    out_refund_no: str
    refund_amount: Fen             # 退款金额
    requested_refund: Fen          # 申请退款金额 (= refund amount for old-format bills)
    refund_type: str
    refund_status: str
    fee: str                       # 手续费 as printed (5 decimals: not fen)

    @property
    def is_refund(self) -> bool:
        return self.out_refund_no not in ("", "0") or self.trade_state == "REFUND"

    @property
    def is_reversal(self) -> bool:
        """A payment-code order reversed (撤销) after it was paid: money went back."""
        return self.trade_state == "REVOKED"


@dataclass(frozen=True)
class BillSummary:
    trade_count: int
    settlement_total: Fen
    refund_total: Fen
    order_total: Fen | None
    requested_refund_total: Fen | None
    fee_total: str


@dataclass(frozen=True)
class ParsedBill:
    rows: tuple[BillRow, ...]
    summary: BillSummary | None

    @property
    def payments(self) -> tuple[BillRow, ...]:
        return tuple(r for r in self.rows if not r.is_refund)

    @property
    def refunds(self) -> tuple[BillRow, ...]:
        return tuple(r for r in self.rows if r.is_refund)


def _clean(field_text: str) -> str:
    f = field_text.strip()
    return f[1:] if f.startswith("`") else f


def _fen(text: str, column: str) -> Fen:
    if text == "":
        return Fen(0)
    try:
        return parse_yuan(text)
    except MoneyFormatError as exc:
        raise _bad(f"{column}={text!r}") from exc


def _count(text: str) -> int:
    whole, _, frac = text.partition(".")
    if not whole.isdigit() or frac.strip("0"):
        raise _bad(f"总交易单数={text!r}")
    return int(whole)


def parse_trade_bill(text: str) -> ParsedBill:
    """Parse an ALL (or old-format) trade bill. Raises :class:`BillFormatError`."""
    text = text.removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise _bad("empty")
    header = [_clean(c) for c in rows[0]]
    col = {name: i for i, name in enumerate(header)}
    for need in ("交易时间", "微信订单号", "商户订单号", "交易状态"):
        if need not in col:
            raise _bad(f"missing column {need}")
    if "应结订单金额" not in col and "订单金额" not in col:
        raise _bad("missing column 订单金额")

    def get(r: list[str], name: str) -> str:
        i = col.get(name)
        return _clean(r[i]) if i is not None and i < len(r) else ""

    details: list[BillRow] = []
    summary: BillSummary | None = None
    i = 1
    while i < len(rows):
        r = rows[i]
        if _clean(r[0]) == SUMMARY_FIRST_COLUMN:
            summary = _parse_summary(rows[i], rows[i + 1] if i + 1 < len(rows) else None)
            break
        if len(r) < len(header) - 1:
            raise _bad(f"line {i + 1} has {len(r)} fields, expected {len(header)}")
        settle = get(r, "应结订单金额") or get(r, "订单金额")
        order_amount = get(r, "订单金额") or settle
        refund = get(r, "退款金额")
        requested = get(r, "申请退款金额") or refund
        details.append(BillRow(
            trade_time=get(r, "交易时间"), transaction_id=get(r, "微信订单号"),
            out_trade_no=get(r, "商户订单号"), trade_type=get(r, "交易类型"),
            trade_state=get(r, "交易状态"),
            settlement_total=_fen(settle, "应结订单金额"),
            order_amount=_fen(order_amount, "订单金额"),
            refund_id=get(r, "微信退款单号"), out_refund_no=get(r, "商户退款单号"),
            refund_amount=_fen(refund, "退款金额"),
            requested_refund=_fen(requested, "申请退款金额"),
            refund_type=get(r, "退款类型"), refund_status=get(r, "退款状态"),
            fee=get(r, "手续费"),
        ))
        i += 1
    return ParsedBill(tuple(details), summary)


def _parse_summary(head_row: list[str], value_row: list[str] | None) -> BillSummary:
    if value_row is None:
        raise _bad("summary row missing")
    head = [_clean(c) for c in head_row]
    vals = {h: _clean(v) for h, v in zip(head, value_row, strict=False)}

    def opt(name: str) -> Fen | None:
        return _fen(vals[name], name) if name in vals else None

    return BillSummary(
        trade_count=_count(vals.get(SUMMARY_FIRST_COLUMN, "")),
        settlement_total=_fen(vals.get("应结订单总金额", ""), "应结订单总金额"),
        refund_total=_fen(vals.get("退款总金额", ""), "退款总金额"),
        order_total=opt("订单总金额"),
        requested_refund_total=opt("申请退款总金额"),
        fee_total=vals.get("手续费总金额", ""),
    )


# --------------------------------------------------------------------------- diff


class MismatchKind(StrEnum):
    REMOTE_ONLY_PAYMENT = "remote_only_payment"      # paid at WeChat, missing locally
    LOCAL_ONLY_PAYMENT = "local_only_payment"        # paid locally, not in the bill
    AMOUNT_MISMATCH = "amount_mismatch"
    REMOTE_ONLY_REFUND = "remote_only_refund"
    LOCAL_ONLY_REFUND = "local_only_refund"
    REFUND_AMOUNT_MISMATCH = "refund_amount_mismatch"
    REFUND_STATUS_MISMATCH = "refund_status_mismatch"


MISMATCH_MESSAGES: dict[MismatchKind, ManagerText] = {
    MismatchKind.REMOTE_ONLY_PAYMENT: ManagerText.RECONCILE_REMOTE_ONLY_PAYMENT,
    MismatchKind.LOCAL_ONLY_PAYMENT: ManagerText.RECONCILE_LOCAL_ONLY_PAYMENT,
    MismatchKind.AMOUNT_MISMATCH: ManagerText.RECONCILE_AMOUNT_MISMATCH,
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

    @property
    def ok(self) -> bool:
        return not self.mismatches


_WECHAT = (PaymentMethod.NATIVE, PaymentMethod.CODEPAY)
_LOCAL_STATE_OF = {"SUCCESS": RefundState.SUCCESS, "PROCESSING": RefundState.PROCESSING,
                   "CLOSED": RefundState.CLOSED, "ABNORMAL": RefundState.ABNORMAL}


def reconcile(
    bill_date: str,
    bill: ParsedBill,
    payments: Iterable[PaidPayment],
    refunds: Iterable[RefundRecord],
) -> ReconcileReport:
    """Compare the bill with the day's local WeChat payments and refunds (pure)."""
    local_pay = {p.out_trade_no: p for p in payments if p.method in _WECHAT}
    local_ref = {r.out_refund_no: r for r in refunds
                 if r.method in _WECHAT and r.state is not RefundState.FAILED}
    # paid-then-reversed orders: payment row + REVOKED row net to nothing paid
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
        else:
            matched_p += 1
    for no, lp in local_pay.items():
        if no not in remote_pay:
            out.append(Mismatch(MismatchKind.LOCAL_ONLY_PAYMENT, no, None, lp.amount,
                                transaction_id=lp.transaction_id,
                                detail="REVOKED" if no in reversed_nos
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
        elif (remote_state := _LOCAL_STATE_OF.get(row.refund_status)) is not None and \
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
        bill_date=bill_date, matched_payments=matched_p, matched_refunds=matched_r,
        remote_payment_total=Fen(sum(r.order_amount for r in remote_pay.values())),
        local_payment_total=Fen(sum(p.amount for p in local_pay.values())),
        remote_refund_total=Fen(sum(r.requested_refund for r in remote_ref.values())),
        local_refund_total=Fen(sum(r.amount for r in local_ref.values()
                                   if r.state.taken or r.state is RefundState.CLOSED)),
        mismatches=tuple(out), warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- service


class BillGateway(Protocol):
    def trade_bill(self, bill_date: date) -> TradeBill: ...

    def query(self, out_trade_no: str) -> Transaction | None: ...


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ReconcileService:
    """Downloads the bill for a day, diffs it, and repairs missing local payments."""

    def __init__(self, store: ReconcileStore, gateway: BillGateway, *,
                 clock: Callable[[], datetime] = _utcnow) -> None:
        self._store = store
        self._gateway = gateway
        self._clock = clock

    def run(self, day: date) -> ReconcileReport:
        """Blocking: fetch the day's bill (available after ~10:00 next day) and diff it."""
        try:
            bill = self._gateway.trade_bill(day)
        except ApiError as exc:
            if exc.code != NO_STATEMENT:
                raise
            # WeChat Pay had no trades that day: every local WeChat payment is unmatched.
            return reconcile(day.isoformat(), ParsedBill((), None),
                             *self._local_activity(day))
        return self.reconcile_text(day, bill.text)

    def reconcile_text(self, day: date, text: str) -> ReconcileReport:
        return reconcile(day.isoformat(), parse_trade_bill(text), *self._local_activity(day))

    def _local_activity(self, day: date) -> tuple[list[PaidPayment], list[RefundRecord]]:
        start, end = day_window(day)
        return (self._store.paid_payments_between(start, end),
                self._store.refunds_between(start, end))

    def fix_missing_local(self, mismatch: Mismatch, actor: str) -> PaidPayment:
        """Re-query the order at WeChat Pay and, if it really is paid, record it locally."""
        if not mismatch.fixable:
            raise ManagerError(msg(ManagerText.RECONCILE_NOT_FIXABLE))
        tx = self._gateway.query(mismatch.out_trade_no)
        if tx is None or not tx.trade_state.paid:
            raise ManagerError(msg(ManagerText.RECONCILE_REQUERY_NOT_PAID))
        if tx.total is not None and mismatch.remote_amount is not None \
                and tx.total != mismatch.remote_amount:
            raise ManagerError(msg(ManagerText.RECONCILE_REQUERY_AMOUNT_DIFFERS))
        pay = self._store.record_missing_payment(tx, self._paid_at(tx, mismatch))
        self._store.audit(actor, "reconcile.fix_missing_local", {
            "out_trade_no": tx.out_trade_no, "transaction_id": tx.transaction_id,
            "amount": pay.amount})
        return pay

    def _paid_at(self, tx: Transaction, mismatch: Mismatch) -> datetime:
        """WeChat Pay's success_time, else the bill's 交易时间 (Beijing time), else now."""
        try:
            when = datetime.fromisoformat(tx.success_time) if tx.success_time else None
        except ValueError:
            when = None
        if when is not None and when.tzinfo is not None:
            return when.astimezone(UTC)
        try:
            bill_time = datetime.strptime(mismatch.detail, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return self._clock()
        return bill_time.replace(tzinfo=CHINA_TZ).astimezone(UTC)


def mismatches_by_kind(report: ReconcileReport) -> dict[MismatchKind, Sequence[Mismatch]]:
    out: dict[MismatchKind, list[Mismatch]] = {}
    for m in report.mismatches:
        out.setdefault(m.kind, []).append(m)
    return dict(out)
