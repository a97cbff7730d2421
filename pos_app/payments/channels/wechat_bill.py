"""WeChat Pay's daily trade bill (``bill_type=ALL`` CSV) → neutral bill rows.

Bill format (docs §12): optional UTF-8 BOM; a detail header; detail rows whose every field
is prefixed by a backtick; then a summary header and one summary row. Amounts are 元 and
are read with :func:`pos_app.domain.money.parse_yuan` (integers only, never floats).
"""

from __future__ import annotations

import csv
import io

from pos_app.domain.money import Fen, MoneyFormatError, parse_yuan
from pos_app.payments.gateway import (
    BillRow,
    BillSummary,
    BillUnreadable,
    RefundProgress,
    TradeBill,
)

SUMMARY_FIRST_COLUMN = "总交易单数"

_PROGRESS = {"SUCCESS": RefundProgress.SUCCESS, "PROCESSING": RefundProgress.PROCESSING,
             "CLOSED": RefundProgress.CLOSED, "ABNORMAL": RefundProgress.ABNORMAL}


class BillFormatError(BillUnreadable):
    """The bill text is not the §12 ALL format."""


def _bad(why: str) -> BillFormatError:
    return BillFormatError(f"malformed trade bill: {why}")


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


def parse_trade_bill(text: str) -> TradeBill:
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
        state = get(r, "交易状态")
        out_refund_no = get(r, "商户退款单号")
        out_refund_no = "" if out_refund_no == "0" else out_refund_no
        refund_status = get(r, "退款状态")
        details.append(BillRow(
            trade_time=get(r, "交易时间"), transaction_id=get(r, "微信订单号"),
            out_trade_no=get(r, "商户订单号"), trade_type=get(r, "交易类型"),
            is_refund=bool(out_refund_no) or state == "REFUND",
            is_reversal=state == "REVOKED",
            settlement_total=_fen(settle, "应结订单金额"),
            order_amount=_fen(order_amount, "订单金额"),
            refund_id=get(r, "微信退款单号"), out_refund_no=out_refund_no,
            refund_amount=_fen(refund, "退款金额"),
            requested_refund=_fen(requested, "申请退款金额"),
            refund_progress=_PROGRESS.get(refund_status), refund_status=refund_status,
            fee=get(r, "手续费"),
        ))
        i += 1
    return TradeBill(tuple(details), summary)


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
