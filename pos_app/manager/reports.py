"""X/Z shift reports: arithmetic (pure), fixed-width text rendering and CSV.

Expected cash = opening float + cash sales − cash refunds + cash in − cash out (存取款,
the shift's cash movements). A cash sale counts its amount towards the order (the change
has already been given back), never the tendered.

Discounts given (from the stored orders whose sale falls in the shift): amounts off lines,
percentages (off lines or the order), amounts off the order and 抹零 rounding, in fen,
with the number of sales that had each.

Blind count: an X made for someone who may not close the shift (a cashier) is *blind* —
the drawer arithmetic and the expected cash are left out of the text and the CSV, so the
count at the Z is an honest one. The Z shows them once the counted cash is in, with the
manager who approved it.

Coupons (WeChat 代金券/立减): sales count the order total; the report also shows what the
customers paid and what WeChat will settle — a merchant-funded (NOCASH) coupon reduces
the settlement, a pre-funded (CASH) one does not.

Refunds owed: every order paid twice (both QRs of a pair paid) whose extra money has not
been given back yet, at the time of the report (any shift: it is a to-do, not a figure of
the shift) — one line per order, its number, the channel and what is still owed.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pos_app.domain.cash import CashDirection, CashMovement
from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import Fen, format_yuan
from pos_app.domain.order import OrderDiscounts
from pos_app.domain.payment import ALIPAY, CASH_CHANNEL, WECHAT, PaidPayment, PaymentMethod
from pos_app.domain.refund import OwedRefund, RefundState
from pos_app.domain.refund import Refund as RefundRecord
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
class DiscountTotals:
    """Discounts given in the shift by kind: (number of sales with it, fen)."""

    line: MethodTotals = MethodTotals()         # amounts off lines
    percent: MethodTotals = MethodTotals()      # percentages off lines or the order
    order: MethodTotals = MethodTotals()        # amounts off the whole order
    round_off: MethodTotals = MethodTotals()    # 抹零
    sales: int = 0                              # sales with any discount

    @property
    def total(self) -> MethodTotals:
        return MethodTotals(self.sales, Fen(self.line.amount + self.percent.amount
                                            + self.order.amount + self.round_off.amount))


def total_discounts(orders: Iterable[OrderDiscounts]) -> DiscountTotals:
    line = percent = order = round_off = MethodTotals()
    sales = 0
    for o in orders:
        sales += 1 if o.total else 0
        if o.line_amount:
            line = line.plus(o.line_amount)
        if o.line_percent or o.order_percent:
            percent = percent.plus(o.line_percent + o.order_percent)
        if o.order_amount:
            order = order.plus(o.order_amount)
        if o.round_off:
            round_off = round_off.plus(o.round_off)
    return DiscountTotals(line, percent, order, round_off, sales)


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
    discounts: DiscountTotals = DiscountTotals()
    movements: tuple[CashMovement, ...] = ()        # the shift's cash in / cash out
    blind: bool = False                             # leave the expected cash out (X)
    #: the same sales / refunds by payment channel ("wechat", "alipay" …, "cash")
    sales_by_channel: dict[str, MethodTotals] = field(default_factory=dict)
    refunds_by_channel: dict[str, MethodTotals] = field(default_factory=dict)
    #: orders paid twice still owed money back when the report was made (any shift)
    owed_refunds: tuple[OwedRefund, ...] = ()

    @property
    def cash_in(self) -> MethodTotals:
        return _movement_totals(self.movements, CashDirection.IN)

    @property
    def cash_out(self) -> MethodTotals:
        return _movement_totals(self.movements, CashDirection.OUT)

    @property
    def approved_by(self) -> str:
        """The manager whose PIN approved the Z ("" on an X)."""
        return self.shift.approved_by if self.kind is ReportKind.Z else ""

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


def _movement_totals(movements: Iterable[CashMovement], direction: CashDirection
                     ) -> MethodTotals:
    out = MethodTotals()
    for m in movements:
        if m.direction is direction:
            out = out.plus(m.amount)
    return out


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
    discounts: Iterable[OrderDiscounts] = (),
    movements: Iterable[CashMovement] = (),
    blind: bool = False,
    owed: Iterable[OwedRefund] = (),
) -> ShiftReport:
    """Totals for the shift from the payments, refunds and discounted sales inside its
    time window and the cash movements of the shift. ``blind`` only applies to an X;
    ``owed``: the refunds owed for orders paid twice (listed as they are)."""
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
    moved = tuple(m for m in movements if m.shift_id == shift.shift_id)
    expected = Fen(shift.opening_float + sales[PaymentMethod.CASH].amount
                   - refs[PaymentMethod.CASH].amount + sum(m.signed for m in moved))
    return ShiftReport(kind, shift, generated_at, generated_by, sales, refs, in_progress,
                       shift.opening_float, expected, counted_cash, unresolved_payments,
                       coupons, Fen(customer_paid), Fen(merchant_coupons),
                       total_discounts(discounts), moved, blind and kind is ReportKind.X,
                       sales_by_channel=dict(sorted(sales_ch.items())),
                       refunds_by_channel=dict(sorted(refs_ch.items())),
                       owed_refunds=tuple(owed))


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
    APPROVED_BY = "report.approved_by"
    DISCOUNTS = "report.discounts"
    DISCOUNT_LINE = "report.discount.line"
    DISCOUNT_PERCENT = "report.discount.percent"
    DISCOUNT_ORDER = "report.discount.order"
    DISCOUNT_ROUND_OFF = "report.discount.round_off"
    CASH_MOVEMENTS = "report.cash_movements"
    CASH_IN = "report.cash_in"
    CASH_OUT = "report.cash_out"
    BLIND = "report.blind"
    METHOD_NATIVE = "report.method.native"
    METHOD_CODEPAY = "report.method.codepay"
    METHOD_CASH = "report.method.cash"
    BY_CHANNEL = "report.by_channel"
    CHANNEL_WECHAT = "report.channel.wechat"
    CHANNEL_ALIPAY = "report.channel.alipay"
    CHANNEL_CASH = "report.channel.cash"
    OWED = "report.owed"


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


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns."""
    out = ""
    for c in text:
        if display_width(out + c) > width:
            break
        out += c
    return out


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
        if report.approved_by:
            out.append(pad_between(L(ReportText.APPROVED_BY), report.approved_by, width))
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
    if report.owed_refunds:            # paid twice, not given back yet: one line each
        out += [rule, L(ReportText.OWED)]
        for o in report.owed_refunds:
            label = (render(msg(CHANNEL_LABELS[o.channel])) if o.channel in CHANNEL_LABELS
                     else o.channel)
            out.append(pad_between(f" #{o.order_no} {label}", money(o.amount), width))
    if report.coupons.count:
        out += [rule, L(ReportText.COUPONS),
                pad_between(f" {L(ReportText.ORDER_TOTAL)}", money(report.channel_sales), width),
                pad_between(f" {L(ReportText.CUSTOMER_PAID)}", money(report.customer_paid), width),
                pad_between(f" {L(ReportText.COUPONS)} x{report.coupons.count}",
                            money(report.coupons.amount), width),
                pad_between(f" {L(ReportText.SETTLEMENT)}", money(report.settlement), width)]
    d = report.discounts
    if d.sales:
        out += [rule, L(ReportText.DISCOUNTS)]
        for label, t in ((ReportText.DISCOUNT_LINE, d.line),
                         (ReportText.DISCOUNT_PERCENT, d.percent),
                         (ReportText.DISCOUNT_ORDER, d.order),
                         (ReportText.DISCOUNT_ROUND_OFF, d.round_off)):
            out.append(pad_between(f" {L(label)} x{t.count}", money(t.amount), width))
        out.append(pad_between(f" {L(ReportText.TOTAL)} x{d.total.count}",
                               money(d.total.amount), width))
    out += [rule, L(ReportText.NET)]
    for m in METHODS:
        out.append(pad_between(f" {L(m)}", money(report.net(m)), width))
    if report.movements:
        out += [rule, L(ReportText.CASH_MOVEMENTS)]
        for mv in report.movements:      # two lines each: when, who, amount; the reason
            amount = ("+" if mv.signed > 0 else "") + money(mv.signed)
            who = mv.done_by + (f"/{mv.approved_by}" if mv.approved_by else "")
            out.append(pad_between(f" {mv.at.astimezone(SHOP_TZ):%H:%M} {who}", amount, width))
            out.append("   " + _clip(mv.reason, width - 3))
    out += [rule, pad_between(L(ReportText.FLOAT), money(report.opening_float), width)]
    if report.blind:
        out.append(L(ReportText.BLIND))
    else:
        out += [pad_between(f"+ {L(ReportText.CASH_SALES)}",
                            money(report.sales[PaymentMethod.CASH].amount), width),
                pad_between(f"- {L(ReportText.CASH_REFUNDS)}",
                            money(report.refunds[PaymentMethod.CASH].amount), width)]
        if report.movements:
            out += [pad_between(f"+ {L(ReportText.CASH_IN)} x{report.cash_in.count}",
                                money(report.cash_in.amount), width),
                    pad_between(f"- {L(ReportText.CASH_OUT)} x{report.cash_out.count}",
                                money(report.cash_out.amount), width)]
        out.append(pad_between(f"= {L(ReportText.EXPECTED)}", money(report.expected_cash),
                               width))
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
    write it with a BOM, ``utf-8-sig``, for Excel). After the refunds in progress, one
    ``refund_owed`` row per order paid twice still owed money back (``method`` = ``order
    number channel``). After the money rows: the discounts by
    kind (``count`` = sales with it), the cash in / cash out totals, then one
    ``cash_movement`` row per movement (``method`` = ``in|out reason (by[/approver])``,
    the amount signed) and ``approved_by`` (``method`` = the manager, Z only). A blind X
    leaves ``expected_cash`` empty."""
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
    for o in report.owed_refunds:
        row("refund_owed", f"{o.order_no} {o.channel}", 1, o.amount)
    row("opening_float", "cash", "", report.opening_float)
    row("expected_cash", "cash", "", None if report.blind else report.expected_cash)
    row("counted_cash", "cash", "", report.counted_cash)
    row("difference", "cash", "", report.difference)
    row("unresolved_payments", "", report.unresolved_payments, None)
    row("channel_order_total", "", "", report.channel_sales)
    row("customer_paid", "", "", report.customer_paid)
    row("coupons", "", report.coupons.count, report.coupons.amount)
    row("settlement", "", "", report.settlement)
    d = report.discounts
    for section, t in (("discount_line", d.line), ("discount_percent", d.percent),
                       ("discount_order", d.order), ("discount_round_off", d.round_off),
                       ("discount_total", d.total)):
        row(section, "", t.count, t.amount)
    row("cash_in", "cash", report.cash_in.count, report.cash_in.amount)
    row("cash_out", "cash", report.cash_out.count, report.cash_out.amount)
    for mv in report.movements:
        who = mv.done_by + (f"/{mv.approved_by}" if mv.approved_by else "")
        row("cash_movement", f"{mv.direction.value} {mv.reason} ({who})", 1, mv.signed)
    row("approved_by", report.approved_by, "", None)
    return buf.getvalue()
