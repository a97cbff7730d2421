"""Trade-bill (交易账单) parser: WeChat's CSV into typed rows, for every ``bill_type``.

Format (wechatpay-api.md §12, WeChat's format-trade page): line 1 is the detail header,
then one row per payment / refund / reversal with every field prefixed by a backtick, then
the summary header (``总交易单数,…``) and one summary row. Columns are found by their header
name (WeChat warns their order is not fixed). ``bill_type`` decides the columns:

* ``ALL``: payments, refunds and reversals (27 columns);
* ``SUCCESS``: payments only, no refund columns (20);
* ``REFUND``: refunds and reversals, ALL's columns plus 退款申请时间/退款成功时间 (29).

``交易状态`` is the money movement, not the order state: ``SUCCESS`` money in, ``REFUND`` a
refund out, ``REVOKED`` a reversed (撤销) payment-code sale's money going back — a REVOKED
row is not a refund and must be matched to the reversal.

Amounts are 元 text (``12.34``) turned into int fen; the fee (5 decimals) into 1e-5 元.
Every malformed bill raises :class:`~pos_app.wechatpay.errors.BillFormatError` with the
1-based line number; nothing else escapes (``csv.Error`` included).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pos_app.domain.money import Fen
from pos_app.wechatpay.errors import BillFormatError

BILL_TYPES = ("ALL", "SUCCESS", "REFUND")
SUMMARY_FIRST = "总交易单数"
MAX_BILL_LINES = 2_000_000

_COMMON = ("交易时间", "公众账号ID", "商户号", "设备号", "微信订单号", "商户订单号", "交易类型", "交易状态")
_REFUND_COLS = ("微信退款单号", "商户退款单号", "退款金额", "退款状态")
REQUIRED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "ALL": (*_COMMON, "应结订单金额", "代金券金额", "订单金额", *_REFUND_COLS, "申请退款金额"),
    "SUCCESS": (*_COMMON, "应结订单金额", "代金券金额", "订单金额"),
    "REFUND": _COMMON + _REFUND_COLS + ("退款申请时间", "退款成功时间", "申请退款金额"),
}
ROW_STATES = ("SUCCESS", "REFUND", "REVOKED")
_YUAN_RE = re.compile(r"^(-?)(\d{1,12})(?:\.(\d{1,2}))?$")
_FEE_RE = re.compile(r"^(-?)(\d{1,12})(?:\.(\d{1,5}))?$")
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


@dataclass(frozen=True)
class BillRow:
    """One detail row; ``fields`` holds every column by header name (backtick removed)."""

    line: int
    fields: Mapping[str, str]

    def _get(self, name: str) -> str:
        return self.fields.get(name, "")

    @property
    def state(self) -> str:
        """``SUCCESS`` (money in), ``REFUND`` (refund out) or ``REVOKED`` (reversal out)."""
        return self._get("交易状态")

    @property
    def trade_time(self) -> str:
        return self._get("交易时间")

    @property
    def out_trade_no(self) -> str:
        return self._get("商户订单号")

    @property
    def transaction_id(self) -> str:
        return self._get("微信订单号")

    @property
    def device_id(self) -> str:
        return self._get("设备号")

    @property
    def trade_type(self) -> str:
        return self._get("交易类型")

    @property
    def out_refund_no(self) -> str:
        return self._get("商户退款单号")

    @property
    def refund_id(self) -> str:
        return self._get("微信退款单号")

    @property
    def refund_status(self) -> str:
        return self._get("退款状态")

    def fen(self, column: str) -> Fen:
        """An amount column in fen (0 when the bill type has no such column)."""
        text = self._get(column)
        return _yuan_to_fen(text, self.line, column) if text else Fen(0)

    @property
    def order_total(self) -> Fen:
        """订单金额: the order total (payments)."""
        return self.fen("订单金额")

    @property
    def settlement(self) -> Fen:
        """应结订单金额: what the shop is settled (total less merchant-funded coupons)."""
        return self.fen("应结订单金额")

    @property
    def coupon(self) -> Fen:
        """代金券金额: merchant-funded (NOCASH) coupons on this payment."""
        return self.fen("代金券金额")

    @property
    def refund(self) -> Fen:
        """退款金额: money going back on a REFUND / REVOKED row."""
        return self.fen("退款金额")

    @property
    def refund_applied(self) -> Fen:
        """申请退款金额: the refund asked for."""
        return self.fen("申请退款金额")


@dataclass(frozen=True)
class ParsedTradeBill:
    bill_type: str
    header: tuple[str, ...]
    rows: tuple[BillRow, ...]
    summary: Mapping[str, str]

    def summary_fen(self, column: str) -> Fen:
        text = self.summary.get(column, "")
        return _yuan_to_fen(text, 0, column) if text else Fen(0)

    @property
    def count(self) -> int:
        return int(self.summary.get(SUMMARY_FIRST, "0").split(".")[0] or 0)


def _yuan_to_fen(text: str, line: int, column: str) -> Fen:
    m = _YUAN_RE.match(text)
    if m is None:
        raise BillFormatError(line, f"{column} {text[:40]!r} is not an amount in yuan")
    sign, whole, frac = m.group(1), m.group(2), (m.group(3) or "").ljust(2, "0")
    value = int(whole) * 100 + int(frac)
    return Fen(-value if sign else value)


def fee_units(text: str, line: int = 0) -> int:
    """手续费 (5 decimals) → integer 1e-5 元 units."""
    m = _FEE_RE.match(text)
    if m is None:
        raise BillFormatError(line, f"手续费 {text[:40]!r} is not an amount")
    value = int(m.group(2)) * 100_000 + int((m.group(3) or "").ljust(5, "0"))
    return -value if m.group(1) else value


def _cells(raw: list[str], line: int) -> list[str]:
    out = []
    for cell in raw:
        if "\x00" in cell:
            raise BillFormatError(line, "NUL character in a field")
        out.append(cell[1:] if cell.startswith("`") else cell)
    return out


def parse_trade_bill(text: str, bill_type: str = "ALL") -> ParsedTradeBill:
    """Parse a trade bill of ``bill_type`` (see module docstring). Raises BillFormatError."""
    if bill_type not in BILL_TYPES:
        raise ValueError(f"bill_type must be one of {BILL_TYPES}")
    if not isinstance(text, str):
        raise BillFormatError(0, "bill is not text")
    lines = text.lstrip("\ufeff").splitlines()
    if len(lines) > MAX_BILL_LINES:
        raise BillFormatError(MAX_BILL_LINES, "too many lines")
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) < 3:
        raise BillFormatError(max(1, len(lines)), "a bill has a header, a summary header and a summary row")
    parsed: list[list[str]] = []
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise BillFormatError(number, "NUL character")
        try:
            rows = list(csv.reader([line], strict=True))
        except csv.Error as exc:
            raise BillFormatError(number, f"not CSV ({exc})") from None
        if len(rows) != 1:
            raise BillFormatError(number, "not one CSV record")
        parsed.append(_cells(rows[0], number))
    header = tuple(parsed[0])
    if len(set(header)) != len(header):
        raise BillFormatError(1, "duplicate column in the header")
    missing = [c for c in REQUIRED_COLUMNS[bill_type] if c not in header]
    if missing:
        raise BillFormatError(1, f"not a {bill_type} trade bill: missing column(s) {', '.join(missing)}")
    summary_at = next((i for i, row in enumerate(parsed) if i > 0 and row and row[0] == SUMMARY_FIRST), None)
    if summary_at is None:
        raise BillFormatError(len(lines), "summary header (总交易单数,…) missing")
    if summary_at != len(parsed) - 2:
        raise BillFormatError(summary_at + 2, "exactly one summary row must follow the summary header")
    detail: list[BillRow] = []
    for index in range(1, summary_at):
        number = index + 1
        cells = parsed[index]
        if len(cells) != len(header):
            raise BillFormatError(number, f"{len(cells)} fields, the header has {len(header)}")
        row = BillRow(number, dict(zip(header, cells, strict=True)))
        _check_row(row, bill_type)
        detail.append(row)
    summary_header, summary_values = parsed[summary_at], parsed[summary_at + 1]
    if len(summary_header) != len(summary_values):
        raise BillFormatError(summary_at + 2, "summary row and summary header differ in length")
    summary = dict(zip(summary_header, summary_values, strict=True))
    count = summary.get(SUMMARY_FIRST, "")
    if not re.fullmatch(r"\d{1,9}(\.0+)?", count):
        raise BillFormatError(summary_at + 2, f"总交易单数 {count[:20]!r} is not a count")
    bill = ParsedTradeBill(bill_type, header, tuple(detail), summary)
    if bill.count != len(detail):
        raise BillFormatError(summary_at + 2, f"summary counts {bill.count} rows, the bill has {len(detail)}")
    for column in summary_header[1:]:
        if column in ("手续费总金额",):
            fee_units(summary[column], summary_at + 2)
        else:
            _yuan_to_fen(summary[column], summary_at + 2, column)
    return bill


def _check_row(row: BillRow, bill_type: str) -> None:
    if row.state not in ROW_STATES:
        raise BillFormatError(row.line, f"交易状态 {row.state[:20]!r} is not SUCCESS/REFUND/REVOKED")
    if bill_type == "SUCCESS" and row.state != "SUCCESS":
        raise BillFormatError(row.line, "a SUCCESS bill holds payments only")
    if bill_type == "REFUND" and row.state == "SUCCESS":
        raise BillFormatError(row.line, "a REFUND bill holds refunds and reversals only")
    if not _TIME_RE.match(row.trade_time):
        raise BillFormatError(row.line, f"交易时间 {row.trade_time[:30]!r} is not yyyy-MM-dd HH:mm:ss")
    if not row.out_trade_no:
        raise BillFormatError(row.line, "商户订单号 missing")
    for column in ("应结订单金额", "代金券金额", "订单金额", "退款金额", "申请退款金额", "充值券退款金额"):
        if column in row.fields:
            row.fen(column)
    if "手续费" in row.fields:
        fee_units(row.fields["手续费"], row.line)
