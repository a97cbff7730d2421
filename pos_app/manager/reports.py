"""X/Z shift reports: arithmetic (pure), fixed-width text rendering and CSV.

Expected cash = opening float + cash sales − cash refunds. A cash sale counts its
amount towards the order (the change has already been given back), never the tendered.

Coupons (WeChat 代金券/立减): sales count the order total; the report also shows what the
customers paid and what WeChat will settle — a merchant-funded (NOCASH) coupon reduces
the settlement, a pre-funded (CASH) one does not.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import Fen, format_yuan
from pos_app.domain.payment import ALIPAY, CASH_CHANNEL, WECHAT, PaidPayment, PaymentMethod
from pos_app.domain.refund import Refund as RefundRecord
from pos_app.domain.refund import RefundState
from pos_app.domain.shift import Shift as ShiftRecord
from pos_app.domain.text import Message, MessageKey, msg, register

METHODS: tuple[PaymentMethod, ...] = (PaymentMethod.NATIVE, PaymentMethod.CODEPAY,
                                      PaymentMethod.CASH)


class ReportKind(StrEnum):
    X = "X"     # mid-shift, changes nothing
    Z = "Z"     # closes the shift


@dataclass(frozen=True)
class MethodTotals:
    count: int = 0
    amount: Fen = Fen(0)

    def plus(self, amount: int) -> MethodTotals:
        return MethodTotals(self.count + 1, Fen(self.amount + amount))


@dataclass(frozen=True)
class ShiftReport:
    kind: ReportKind
    shift: ShiftRecord
    generated_at: datetime
    generated_by: str
    sales: dict[PaymentMethod, MethodTotals]
    refunds: dict[PaymentMethod, MethodTotals]      # refunds that took money (not CLOSED/FAILED)
    refunds_in_progress: MethodTotals               # of those, not yet SUCCESS
    opening_float: Fen
    expected_cash: Fen
    counted_cash: Fen | None = None
    unresolved_payments: int = 0                    # attempts still uncertain: not in sales
    coupons: MethodTotals = MethodTotals()          # channel payments with a coupon
    customer_paid: Fen = Fen(0)                     # channel sales: what customers paid
    merchant_coupons: Fen = Fen(0)                  # merchant-funded coupons (not settled)
    #: the same sales / refunds by payment channel ("wechat", "alipay" …, "cash")
    sales_by_channel: dict[str, MethodTotals] = field(default_factory=dict)
    refunds_by_channel: dict[str, MethodTotals] = field(default_factory=dict)

    @property
    def channel_sales(self) -> Fen:
        """Order totals of the channel (non-cash) sales."""
        return Fen(sum(t.amount for m, t in self.sales.items() if m is not PaymentMethod.CASH))

    @property
    def settlement(self) -> Fen:
        """What the channels will settle for the sales: order totals less merchant coupons."""
        return Fen(self.channel_sales - self.merchant_coupons)

    @property
    def difference(self) -> Fen | None:
        """Counted − expected (negative = cash short)."""
        return None if self.counted_cash is None else Fen(self.counted_cash - self.expected_cash)

    @property
    def total_sales(self) -> MethodTotals:
        return MethodTotals(sum(t.count for t in self.sales.values()),
                            Fen(sum(t.amount for t in self.sales.values())))

    @property
    def total_refunds(self) -> MethodTotals:
        return MethodTotals(sum(t.count for t in self.refunds.values()),
                            Fen(sum(t.amount for t in self.refunds.values())))

    def net(self, method: PaymentMethod) -> Fen:
        return Fen(self.sales[method].amount - self.refunds[method].amount)


def build_report(
    kind: ReportKind,
    shift: ShiftRecord,
    payments: Iterable[PaidPayment],
    refunds: Iterable[RefundRecord],
    *,
    generated_at: datetime,
    generated_by: str,
    counted_cash: Fen | None = None,
    unresolved_payments: int = 0,
) -> ShiftReport:
    """Totals for the shift from the payments and refunds inside its time window."""
    end = shift.closed_at or generated_at
    sales = dict.fromkeys(METHODS, MethodTotals())
    refs = dict.fromkeys(METHODS, MethodTotals())
    in_progress = coupons = MethodTotals()
    customer_paid = merchant_coupons = 0
    sales_ch: dict[str, MethodTotals] = {}
    refs_ch: dict[str, MethodTotals] = {}
    for p in payments:
        if shift.opened_at <= p.paid_at <= end:
            sales[p.method] = sales.get(p.method, MethodTotals()).plus(p.amount)
            ch = channel_of(p.channel, p.method)
            sales_ch[ch] = sales_ch.get(ch, MethodTotals()).plus(p.amount)
            if p.method is not PaymentMethod.CASH:
                customer_paid += p.customer_paid
                merchant_coupons += p.merchant_coupon
                if p.coupon:
                    coupons = coupons.plus(p.coupon)
    for r in refunds:
        if not r.state.taken or not shift.opened_at <= r.created_at <= end:
            continue
        refs[r.method] = refs.get(r.method, MethodTotals()).plus(r.amount)
        ch = channel_of(r.channel, r.method)
        refs_ch[ch] = refs_ch.get(ch, MethodTotals()).plus(r.amount)
        if r.state is not RefundState.SUCCESS:
            in_progress = in_progress.plus(r.amount)
    expected = Fen(shift.opening_float + sales[PaymentMethod.CASH].amount
                   - refs[PaymentMethod.CASH].amount)
    return ShiftReport(kind, shift, generated_at, generated_by, sales, refs, in_progress,
                       shift.opening_float, expected, counted_cash, unresolved_payments,
                       coupons, Fen(customer_paid), Fen(merchant_coupons),
                       sales_by_channel=dict(sorted(sales_ch.items())),
                       refunds_by_channel=dict(sorted(refs_ch.items())))


def channel_of(channel: str, method: PaymentMethod) -> str:
    """A payment's channel name (records from before channels: cash or WeChat Pay)."""
    if channel:
        return channel
    return CASH_CHANNEL if method is PaymentMethod.CASH else WECHAT


# --------------------------------------------------------------------------- text

@register()
class ReportText(MessageKey):
    """The labels of the printed X/Z report."""

    X_TITLE = "report.x_title"
    Z_TITLE = "report.z_title"
    SHIFT = "report.shift"
    OPENED = "report.opened"
    CLOSED = "report.closed"
    PRINTED = "report.printed"
    BY = "report.by"
    SALES = "report.sales"
    REFUNDS = "report.refunds"
    NET = "report.net"
    TOTAL = "report.total"
    IN_PROGRESS = "report.in_progress"
    FLOAT = "report.float"
    CASH_SALES = "report.cash_sales"
    CASH_REFUNDS = "report.cash_refunds"
    EXPECTED = "report.expected"
    COUNTED = "report.counted"
    DIFFERENCE = "report.difference"
    UNRESOLVED = "report.unresolved"
    COUPONS = "report.coupons"
    ORDER_TOTAL = "report.order_total"
    CUSTOMER_PAID = "report.customer_paid"
    SETTLEMENT = "report.settlement"
    METHOD_NATIVE = "report.method.native"
    METHOD_CODEPAY = "report.method.codepay"
    METHOD_CASH = "report.method.cash"
    BY_CHANNEL = "report.by_channel"
    CHANNEL_WECHAT = "report.channel.wechat"
    CHANNEL_ALIPAY = "report.channel.alipay"
    CHANNEL_CASH = "report.channel.cash"


METHOD_LABELS: dict[PaymentMethod, ReportText] = {
    PaymentMethod.NATIVE: ReportText.METHOD_NATIVE,
    PaymentMethod.CODEPAY: ReportText.METHOD_CODEPAY,
    PaymentMethod.CASH: ReportText.METHOD_CASH,
}
CHANNEL_LABELS: dict[str, ReportText] = {
    WECHAT: ReportText.CHANNEL_WECHAT,
    ALIPAY: ReportText.CHANNEL_ALIPAY,
    CASH_CHANNEL: ReportText.CHANNEL_CASH,
}
#: Renders a label in the reader's language (the UI's ``render``).
Render = Callable[[Message], str]


def display_width(text: str) -> int:
    """Columns on a receipt printer / terminal: CJK wide/fullwidth chars take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def pad_between(left: str, right: str, width: int) -> str:
    gap = width - display_width(left) - display_width(right)
    return left + " " * max(1, gap) + right


def _center(text: str, width: int) -> str:
    pad = max(0, width - display_width(text))
    return " " * (pad // 2) + text


def _ts(at: datetime) -> str:
    return at.astimezone(SHOP_TZ).strftime("%Y-%m-%d %H:%M")


def render_text(report: ShiftReport, *, render: Render, width: int = 32) -> str:
    """Printable fixed-width text (32 columns fits 58 mm paper; 48 fits 80 mm); labels
    through ``render`` (the UI's, in the UI language)."""
    def L(key: ReportText | PaymentMethod) -> str:
        return render(msg(METHOD_LABELS[key] if isinstance(key, PaymentMethod) else key))

    def money(v: int) -> str:
        return format_yuan(v)

    rule = "-" * width
    title = ReportText.X_TITLE if report.kind is ReportKind.X else ReportText.Z_TITLE
    out = [_center(L(title), width), rule]
    s = report.shift
    out.append(pad_between(L(ReportText.SHIFT), f"#{s.shift_id}", width))
    out.append(pad_between(L(ReportText.OPENED), f"{_ts(s.opened_at)} {s.opened_by}", width))
    if report.kind is ReportKind.Z and s.closed_at is not None:
        out.append(pad_between(L(ReportText.CLOSED), f"{_ts(s.closed_at)} {s.closed_by}", width))
    out.append(pad_between(L(ReportText.PRINTED), _ts(report.generated_at), width))
    out.append(pad_between(L(ReportText.BY), report.generated_by, width))
    for section, table in ((ReportText.SALES, report.sales), (ReportText.REFUNDS, report.refunds)):
        out += [rule, L(section)]
        for m in METHODS:
            t = table[m]
            out.append(pad_between(f" {L(m)} x{t.count}", money(t.amount), width))
        tot = report.total_sales if section is ReportText.SALES else report.total_refunds
        out.append(pad_between(f" {L(ReportText.TOTAL)} x{tot.count}", money(tot.amount), width))
        by_channel = (report.sales_by_channel if section is ReportText.SALES
                      else report.refunds_by_channel)
        if set(by_channel) - {WECHAT, CASH_CHANNEL}:  # a channel beyond WeChat Pay
            out.append(f" {L(ReportText.BY_CHANNEL)}")
            for name, t in by_channel.items():
                label = render(msg(CHANNEL_LABELS[name])) if name in CHANNEL_LABELS else name
                out.append(pad_between(f"  {label} x{t.count}", money(t.amount), width))
    if report.refunds_in_progress.count:
        out.append(pad_between(f" {L(ReportText.IN_PROGRESS)} x{report.refunds_in_progress.count}",
                               money(report.refunds_in_progress.amount), width))
    if report.coupons.count:
        out += [rule, L(ReportText.COUPONS),
                pad_between(f" {L(ReportText.ORDER_TOTAL)}", money(report.channel_sales), width),
                pad_between(f" {L(ReportText.CUSTOMER_PAID)}", money(report.customer_paid), width),
                pad_between(f" {L(ReportText.COUPONS)} x{report.coupons.count}",
                            money(report.coupons.amount), width),
                pad_between(f" {L(ReportText.SETTLEMENT)}", money(report.settlement), width)]
    out += [rule, L(ReportText.NET)]
    for m in METHODS:
        out.append(pad_between(f" {L(m)}", money(report.net(m)), width))
    out += [rule,
            pad_between(L(ReportText.FLOAT), money(report.opening_float), width),
            pad_between(f"+ {L(ReportText.CASH_SALES)}", money(report.sales[PaymentMethod.CASH].amount),
                        width),
            pad_between(f"- {L(ReportText.CASH_REFUNDS)}",
                        money(report.refunds[PaymentMethod.CASH].amount), width),
            pad_between(f"= {L(ReportText.EXPECTED)}", money(report.expected_cash), width)]
    if report.counted_cash is not None and report.difference is not None:
        out.append(pad_between(L(ReportText.COUNTED), money(report.counted_cash), width))
        diff = report.difference
        out.append(pad_between(L(ReportText.DIFFERENCE), ("+" if diff > 0 else "") + money(diff), width))
    if report.unresolved_payments:
        out += [rule, pad_between(L(ReportText.UNRESOLVED), f"x{report.unresolved_payments}", width)]
    out.append(rule)
    return "\n".join(out) + "\n"


def report_csv(report: ShiftReport) -> str:
    """One row per figure: ``section,method,count,amount_fen,amount_yuan`` (UTF-8 text;
    write it with a BOM, ``utf-8-sig``, for Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["report", "shift_id", "section", "method", "count", "amount_fen", "amount_yuan"])
    base = [report.kind.value, report.shift.shift_id]

    def row(section: str, method: str, count: int | str, amount: int | None) -> None:
        w.writerow([*base, section, method, count,
                    "" if amount is None else amount,
                    "" if amount is None else format_yuan(amount)])

    for m in METHODS:
        row("sales", m.value, report.sales[m].count, report.sales[m].amount)
    for m in METHODS:
        row("refunds", m.value, report.refunds[m].count, report.refunds[m].amount)
    for name, t in report.sales_by_channel.items():
        row("sales_by_channel", name, t.count, t.amount)
    for name, t in report.refunds_by_channel.items():
        row("refunds_by_channel", name, t.count, t.amount)
    row("refunds_in_progress", "", report.refunds_in_progress.count,
        report.refunds_in_progress.amount)
    row("opening_float", "cash", "", report.opening_float)
    row("expected_cash", "cash", "", report.expected_cash)
    row("counted_cash", "cash", "", report.counted_cash)
    row("difference", "cash", "", report.difference)
    row("unresolved_payments", "", report.unresolved_payments, None)
    row("channel_order_total", "", "", report.channel_sales)
    row("customer_paid", "", "", report.customer_paid)
    row("coupons", "", report.coupons.count, report.coupons.amount)
    row("settlement", "", "", report.settlement)
    return buf.getvalue()
