"""Sales reports for any range of shop days: by day, by hour, by product, by category,
by payment method and by cashier — integer fen, no Qt (the UI draws the charts).

The rules are the X/Z report's (:mod:`pos_app.manager.reports`), over shop days
(:data:`pos_app.domain.clock.SHOP_TZ`) instead of a shift:

* a sale is a payment booked (``paid_at``) in the range, counted at the order amount it
  paid (cash: not the tendered), on the day and hour it was paid;
* a refund is one that is *taken* (:attr:`~pos_app.domain.refund.RefundState.taken`:
  not CLOSED/FAILED) created in the range, subtracted on the day and hour it was made,
  under the method of the payment it returns and the cashier who sold the order;
* net = sales − refunds.

By product and category the order total is split over its lines in proportion to their
amounts (largest remainder, exact — as refunds value lines), so the product rows add up
to the sales exactly; a refund is split over the lines it names (by units) or, with no
lines, over all of the order's lines. Sales of orders with no lines (found only at the
payment service by reconciliation) are in the row with an empty SKU.

A product row is named as the product was sold (the name on the order line; the latest
sale's if it was renamed within the range; a weighed line without its weight). A report
covers every till, or one (``till_id``: payments taken and refunds made at that till).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pos_app.domain.clock import SHOP_TZ, day_window
from pos_app.domain.money import Fen, format_yuan
from pos_app.domain.payment import PaidPayment, PaymentMethod
from pos_app.domain.refund import Refund
from pos_app.domain.text import MessageKey, msg, register
from pos_app.manager.messages import ManagerError
from pos_app.manager.refunds import allocate
from pos_app.storage.db import Database
from pos_app.storage.sales import SalesRepository, SoldOrder

MAX_DAYS = 3660
#: a weighed line's name ends with its weight (pos_app.sale.weighed.weight_text)
_WEIGHT_SUFFIX = re.compile(r" \d+\.\d{3}kg$")
_UNIT_SCALE = 1_000_000  # weights of refunded units (exact enough for fen shares)


@register({"sales_report.too_long": ("max_days",)})
class SalesReportText(MessageKey):
    BAD_RANGE = "sales_report.bad_range"
    TOO_LONG = "sales_report.too_long"


@dataclass(frozen=True)
class Figures:
    """Sales and refunds of one row (count = payments / refunds; quantity = units)."""

    sales_count: int = 0
    sales: Fen = Fen(0)
    refund_count: int = 0
    refunds: Fen = Fen(0)
    quantity: int = 0
    refunded_quantity: int = 0

    @property
    def net(self) -> Fen:
        return Fen(self.sales - self.refunds)

    def sale(self, amount: int, quantity: int = 0) -> Figures:
        return Figures(self.sales_count + 1, Fen(self.sales + amount), self.refund_count,
                       self.refunds, self.quantity + quantity, self.refunded_quantity)

    def refund(self, amount: int, quantity: int = 0) -> Figures:
        return Figures(self.sales_count, self.sales, self.refund_count + 1,
                       Fen(self.refunds + amount), self.quantity,
                       self.refunded_quantity + quantity)


@dataclass(frozen=True)
class ProductRow:
    sku: str
    name: str
    category: str
    figures: Figures


@dataclass(frozen=True)
class SalesReport:
    first_day: date
    last_day: date
    totals: Figures
    by_day: tuple[tuple[date, Figures], ...]           # every day of the range
    by_hour: tuple[tuple[int, Figures], ...]           # 0..23, shop time
    by_method: tuple[tuple[PaymentMethod, Figures], ...]
    by_cashier: tuple[tuple[str, Figures], ...]        # net, highest first
    by_product: tuple[ProductRow, ...]                 # net, highest first (top sellers)
    by_category: tuple[tuple[str, Figures], ...]       # net, highest first ("" = none)
    till_id: str | None = None                         # None: every till

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def report_window(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """``[start of first_day, end of last_day)`` in shop time; refuses a reversed or
    over-long range with a :class:`ManagerError`."""
    if last_day < first_day:
        raise ManagerError(msg(SalesReportText.BAD_RANGE))
    if (last_day - first_day).days + 1 > MAX_DAYS:
        raise ManagerError(msg(SalesReportText.TOO_LONG, max_days=MAX_DAYS))
    return day_window(first_day)[0], day_window(last_day)[1]


def _line_values(order: SoldOrder) -> list[Fen]:
    """The order total split over its lines (what each line brought in)."""
    return allocate(order.total, [int(ln.net) for ln in order.lines])


@dataclass
class _Acc:
    rows: dict[object, Figures] = field(default_factory=dict)

    def sale(self, key: object, amount: int, quantity: int = 0) -> None:
        self.rows[key] = self.rows.get(key, Figures()).sale(amount, quantity)

    def refund(self, key: object, amount: int, quantity: int = 0) -> None:
        self.rows[key] = self.rows.get(key, Figures()).refund(amount, quantity)

    def get(self, key: object) -> Figures:
        return self.rows.get(key, Figures())


def _top(rows: Mapping[object, Figures]) -> list[tuple[object, Figures]]:
    return sorted(rows.items(), key=lambda kv: (-kv[1].net, -kv[1].sales, str(kv[0])))


def sold_name(name: str) -> str:
    """An order line's name as a product row shows it: a weighed line without its weight
    ("苹果 0.532kg" → "苹果")."""
    return _WEIGHT_SUFFIX.sub("", name)


def build_sales_report(first_day: date, last_day: date, payments: Iterable[PaidPayment],
                       refunds: Iterable[Refund], orders: Mapping[int, SoldOrder],
                       till_id: str | None = None) -> SalesReport:
    """The report from the range's payments and refunds (pure; see the module rules)."""
    start, end = report_window(first_day, last_day)
    total, days, hours, methods, cashiers = _Acc(), _Acc(), _Acc(), _Acc(), _Acc()
    products, categories = _Acc(), _Acc()
    names: dict[str, tuple[str, str]] = {"": ("", "")}
    empty = SoldOrder(0, "", Fen(0), ())

    for p in payments:
        if not start <= p.paid_at < end:
            continue
        local = p.paid_at.astimezone(SHOP_TZ)
        order = orders.get(p.order_id, empty)
        for acc, key in ((total, None), (days, local.date()), (hours, local.hour),
                         (methods, p.method), (cashiers, order.cashier)):
            acc.sale(key, p.amount)
        # the payment's share of each line (an order paid in one go: the line values)
        values = allocate(p.amount, [int(v) for v in _line_values(order)]) if order.lines \
            else []
        if not values:
            products.sale("", p.amount)
            categories.sale("", p.amount)
        for ln, value in zip(order.lines, values, strict=True):
            names[ln.sku] = (sold_name(ln.name), ln.category)   # payments by paid_at: latest
            products.sale(ln.sku, value, ln.quantity)
            categories.sale(ln.category, value, ln.quantity)

    for r in refunds:
        if not r.state.taken or not start <= r.created_at < end:
            continue
        local = r.created_at.astimezone(SHOP_TZ)
        order = orders.get(r.order_id, empty)
        for acc, key in ((total, None), (days, local.date()), (hours, local.hour),
                         (methods, r.method), (cashiers, order.cashier)):
            acc.refund(key, r.amount)
        values = _line_values(order)
        by_no = {ln.line_no: (ln, v) for ln, v in zip(order.lines, values, strict=True)}
        picked = [(by_no[no][0], by_no[no][1], q) for no, q in r.lines if no in by_no] \
            if r.lines else [(ln, v, 0) for ln, v in by_no.values()]
        weights = [int(v) * q * _UNIT_SCALE // ln.quantity if q else int(v)
                   for ln, v, q in picked]
        shares = allocate(r.amount, weights) if sum(weights) > 0 else []
        if not shares:
            products.refund("", r.amount)
            categories.refund("", r.amount)
        for (ln, _v, q), share in zip(picked, shares, strict=True):
            names.setdefault(ln.sku, (sold_name(ln.name), ln.category))
            products.refund(ln.sku, share, q)
            categories.refund(ln.category, share, q)

    n_days = (last_day - first_day).days + 1
    all_days = [first_day + timedelta(days=i) for i in range(n_days)]
    return SalesReport(
        first_day, last_day, total.get(None),
        tuple((d, days.get(d)) for d in all_days),
        tuple((h, hours.get(h)) for h in range(24)),
        tuple((m, methods.get(m)) for m in PaymentMethod
              if m in methods.rows or m in (PaymentMethod.NATIVE, PaymentMethod.CODEPAY,
                                            PaymentMethod.CASH)),
        tuple((str(k), f) for k, f in _top(cashiers.rows)),
        tuple(ProductRow(str(k), names.get(str(k), ("", ""))[0],
                         names.get(str(k), ("", ""))[1], f) for k, f in _top(products.rows)),
        tuple((str(k), f) for k, f in _top(categories.rows)),
        till_id,
    )


class SalesReports:
    """The sales reports screen's service (blocking: run it off the UI thread)."""

    def __init__(self, db: Database) -> None:
        self._repo = SalesRepository(db)

    def report(self, first_day: date, last_day: date, till_id: str | None = None
               ) -> SalesReport:
        """The range's report for every till, or for ``till_id``'s payments and refunds."""
        start, end = report_window(first_day, last_day)
        payments = self._repo.paid_between(start, end, till_id)
        refunds = self._repo.refunds_between(start, end, till_id)
        orders = self._repo.orders([p.order_id for p in payments]
                                   + [r.order_id for r in refunds])
        return build_sales_report(first_day, last_day, payments, refunds, orders, till_id)

    def tills(self) -> list[str]:
        """The till ids found in the data (the screen's till filter)."""
        return self._repo.tills()


def sales_report_csv(report: SalesReport) -> str:
    """Every table of the report, one row per figure: ``section,key,name,category,
    sales_count,quantity,sales_fen,refund_count,refunded_quantity,refunds_fen,net_fen,
    net_yuan`` (write with a BOM, ``utf-8-sig``, for Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["section", "key", "name", "category", "sales_count", "quantity", "sales_fen",
                "refund_count", "refunded_quantity", "refunds_fen", "net_fen", "net_yuan"])

    def row(section: str, key: str, f: Figures, name: str = "", category: str = "") -> None:
        w.writerow([section, key, name, category, f.sales_count, f.quantity, int(f.sales),
                    f.refund_count, f.refunded_quantity, int(f.refunds), int(f.net),
                    format_yuan(f.net)])

    row("range", f"{report.first_day.isoformat()}/{report.last_day.isoformat()}", report.totals)
    row("till", report.till_id or "*", report.totals)
    for d, f in report.by_day:
        row("day", d.isoformat(), f)
    for h, f in report.by_hour:
        row("hour", f"{h:02d}", f)
    for m, f in report.by_method:
        row("method", m.value, f)
    for c, f in report.by_cashier:
        row("cashier", c, f)
    for pr in report.by_product:
        row("product", pr.sku, pr.figures, pr.name, pr.category)
    for cat, f in report.by_category:
        row("category", cat, f)
    return buf.getvalue()
