"""Sales reports on the real SQLite store, every figure against numbers worked out by
hand here (issue 16). Refunds follow the X/Z rules: taken refunds count on the day they
were made, a FAILED one does not; shop days are Beijing days, not UTC days."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product, open_price_item
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.refund import RefundState
from pos_app.manager.messages import ManagerError
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.refunds import RefundRequest, RefundService
from pos_app.manager.sales_report import (
    Figures,
    SalesReports,
    SalesReportText,
    sales_report_csv,
)
from pos_app.manager.shop_store import ShopStore
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository

from .helpers import MANAGER_PIN, Clock, FakeRefundGateway, api_error, refused, seeded_store

NATIVE, CASH, CODE = PaymentMethod.NATIVE, PaymentMethod.CASH, PaymentMethod.CODEPAY
COKE = Product("COKE", "可乐", Fen(300), "6901234567014", category="饮料")
BREAD = Product("BREAD", "面包", Fen(550), "6901234567079", category="食品")


def bj(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """Beijing wall time on 2026-11-<day> as an aware UTC instant."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC).replace(
        tzinfo=None).replace(tzinfo=UTC) - _EIGHT


_EIGHT = datetime(2026, 1, 1, 8, tzinfo=UTC) - datetime(2026, 1, 1, tzinfo=UTC)


def sell(store: ShopStore, cart: Cart, method: PaymentMethod, cashier: str,
         at: datetime) -> int:
    clock = Clock(at)
    orders = OrderRepository(store.db, clock, till_id=store.till_id)
    attempts = PaymentAttemptRepository(store.db, clock, till_id=store.till_id)
    oid = orders.create(cart, cashier=cashier)
    with store.db.transaction() as conn:
        aid = attempts.insert(conn, order_id=oid, method=method, amount=cart.total,
                              state=AttemptState.PAID, out_trade_no=f"T{oid:06d}-1",
                              transaction_id=f"42000{oid:08d}" if method is not CASH else "")
        orders.set_status(conn, oid, OrderStatus.PAID, paid_attempt_id=aid)
    return oid


def cart(*lines: tuple[Product, int], order_discount: int = 0) -> Cart:
    c = Cart()
    for product, qty in lines:
        c.add(product, qty)
    c.set_order_discount(Fen(order_discount))
    return c


@pytest.fixture
def shop() -> ShopStore:
    """Two shop days of sales (see each line), refunds, and a sale after the range."""
    store = seeded_store()
    ProductRepository(store.db).upsert(COKE)
    ProductRepository(store.db).upsert(BREAD)
    # 22 Nov 10:05: 2 可乐 + 1 面包 = 11.50 − 0.50 off = 11.00, WeChat QR, amy
    a = sell(store, cart((COKE, 2), (BREAD, 1), order_discount=50), NATIVE, "amy", bj(22, 10, 5))
    # 22 Nov 14:30: 3 面包 = 16.50 cash, bob
    b = sell(store, cart((BREAD, 3)), CASH, "bob", bj(22, 14, 30))
    # 22 Nov 23:59:30: 1 可乐 = 3.00 payment code, amy
    c = sell(store, cart((COKE, 1)), CODE, "amy", bj(22, 23, 59, 30))
    # 23 Nov 00:00:30 (still 22 Nov in UTC): open-price 水果 8.88 cash, bob
    sell(store, cart((open_price_item("水果", Fen(888)), 1)), CASH, "bob", bj(23, 0, 0, 30))
    # 24 Nov 10:00: after the range
    sell(store, cart((COKE, 3)), NATIVE, "amy", bj(24, 10))

    clock = Clock(bj(23, 9))
    gw = FakeRefundGateway()
    refunds = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store, clock=clock),
                            clock=clock)
    # 23 Nov 09:00: one 面包 of order b back in cash (5.50)
    [r1] = refunds.request_refund(RefundRequest(b, "bob", "boss", MANAGER_PIN, "退货",
                                                lines={1: 1}))
    assert (r1.amount, r1.state) == (550, RefundState.SUCCESS)
    clock.advance(minutes=10)
    # 23 Nov 09:10: 2.00 of order a by amount (WeChat: stays PROCESSING, which counts)
    [r2] = refunds.request_refund(RefundRequest(a, "amy", "boss", MANAGER_PIN, "退货",
                                                amount=Fen(200)))
    assert r2.state is RefundState.PROCESSING
    clock.advance(minutes=10)
    # 23 Nov 09:20: 1.00 of order c refused by WeChat Pay: FAILED, does not count
    gw.fail_next.append(api_error(400, "PARAM_ERROR"))
    [r3] = refunds.request_refund(RefundRequest(c, "amy", "boss", MANAGER_PIN, "退货",
                                                amount=Fen(100)))
    assert r3.state is RefundState.FAILED
    return store


def F(sales_count: int, sales: int, refund_count: int = 0, refunds: int = 0,
      quantity: int = 0, refunded_quantity: int = 0) -> Figures:
    return Figures(sales_count, Fen(sales), refund_count, Fen(refunds), quantity,
                   refunded_quantity)


def test_two_days_every_table(shop: ShopStore) -> None:
    report = SalesReports(shop.db).report(date(2026, 11, 22), date(2026, 11, 23))
    # sales 11.00 + 16.50 + 3.00 + 8.88; refunds 5.50 + 2.00 (the FAILED 1.00 does not count)
    assert report.totals == F(4, 3938, 2, 750)
    assert report.totals.net == 3188
    assert report.by_day == ((date(2026, 11, 22), F(3, 3050)),
                             (date(2026, 11, 23), F(1, 888, 2, 750)))
    hours = {h: f for h, f in report.by_hour if f != Figures()}
    assert hours == {10: F(1, 1100), 14: F(1, 1650), 23: F(1, 300), 0: F(1, 888),
                     9: F(0, 0, 2, 750)}
    assert [h for h, _ in report.by_hour] == list(range(24))
    assert dict(report.by_method) == {NATIVE: F(1, 1100, 1, 200), CODE: F(1, 300),
                                      CASH: F(2, 2538, 1, 550)}
    assert report.by_cashier == (("bob", F(2, 2538, 1, 550)), ("amy", F(2, 1400, 1, 200)))
    # order a's 11.00 over its lines 6.00 / 5.50: 5.74 (largest remainder) and 5.26;
    # its 2.00 refund over those: 1.04 and 0.96
    rows = [(p.sku, p.name, p.category, p.figures) for p in report.by_product]
    assert rows == [
        ("BREAD", "面包", "食品", F(2, 526 + 1650, 2, 96 + 550, 4, 1)),
        ("OPEN-水果", "水果", "水果", F(1, 888, 0, 0, 1)),
        ("COKE", "可乐", "饮料", F(2, 574 + 300, 1, 104, 3)),
    ]
    assert sum(p.figures.net for p in report.by_product) == report.totals.net
    assert report.by_category == (("食品", F(2, 2176, 2, 646, 4, 1)), ("水果", F(1, 888, 0, 0, 1)),
                                  ("饮料", F(2, 874, 1, 104, 3)))


def test_one_shop_day_is_a_beijing_day(shop: ShopStore) -> None:
    report = SalesReports(shop.db).report(date(2026, 11, 22), date(2026, 11, 22))
    assert report.totals == F(3, 3050)           # the 00:00:30 sale is the 23rd's
    day23 = SalesReports(shop.db).report(date(2026, 11, 23), date(2026, 11, 23))
    assert day23.totals == F(1, 888, 2, 750)
    assert day23.by_day == ((date(2026, 11, 23), F(1, 888, 2, 750)),)


def test_csv_carries_every_table(shop: ShopStore) -> None:
    report = SalesReports(shop.db).report(date(2026, 11, 22), date(2026, 11, 23))
    rows = list(csv.DictReader(io.StringIO(sales_report_csv(report))))
    first = rows[0]
    assert (first["section"], first["key"], first["sales_fen"], first["refunds_fen"],
            first["net_fen"], first["net_yuan"]) == (
        "range", "2026-11-22/2026-11-23", "3938", "750", "3188", "31.88")
    sections = [r["section"] for r in rows]
    assert sections.count("day") == 2 and sections.count("hour") == 24
    bread = next(r for r in rows if r["section"] == "product" and r["key"] == "BREAD")
    assert (bread["name"], bread["category"], bread["quantity"], bread["refunded_quantity"],
            bread["net_fen"]) == ("面包", "食品", "4", "1", "1530")
    cash = next(r for r in rows if r["section"] == "method" and r["key"] == "cash")
    assert (cash["sales_count"], cash["net_fen"]) == ("2", "1988")
    assert [r["key"] for r in rows if r["section"] == "cashier"] == ["bob", "amy"]


def test_bad_ranges_are_refused(shop: ShopStore) -> None:
    reports = SalesReports(shop.db)
    with pytest.raises(ManagerError, match=refused(SalesReportText.BAD_RANGE)):
        reports.report(date(2026, 11, 23), date(2026, 11, 22))
    with pytest.raises(ManagerError, match=refused(SalesReportText.TOO_LONG)):
        reports.report(date(2000, 1, 1), date(2026, 11, 22))


def test_an_empty_range_is_all_zero(shop: ShopStore) -> None:
    report = SalesReports(shop.db).report(date(2026, 10, 1), date(2026, 10, 3))
    assert report.totals == Figures()
    assert len(report.by_day) == 3 and report.by_product == () and report.by_cashier == ()


def test_a_refund_of_some_units_is_shared_by_units() -> None:
    """One 可乐 of two and one 面包 of four back: 3.00 and 5.50 — by units, not by the
    lines' amounts (which would give 1.82 and 6.68)."""
    store = seeded_store()
    for p in (COKE, BREAD):
        ProductRepository(store.db).upsert(p)
    oid = sell(store, cart((COKE, 2), (BREAD, 4)), NATIVE, "amy", bj(22, 10))
    clock = Clock(bj(22, 11))
    refunds = RefundService(store, WechatChannel(FakeRefundGateway(), None),
                            PinAuthenticator(store, clock=clock), clock=clock)
    [r] = refunds.request_refund(RefundRequest(oid, "amy", "boss", MANAGER_PIN, "退货",
                                               lines={1: 1, 2: 1}))
    assert r.amount == 850
    report = SalesReports(store.db).report(date(2026, 11, 22), date(2026, 11, 22))
    assert {p.sku: (p.figures.refunds, p.figures.refunded_quantity)
            for p in report.by_product} == {"COKE": (300, 1), "BREAD": (550, 1)}


def test_till_filter_and_names_as_sold_on_two_tills() -> None:
    """Two tills on one database: the report for all of them, for each (payments taken
    and refunds made there), the till ids found in the data; products named as sold —
    renamed since (the latest sale's name), deactivated since (still there), weighed
    (without the weight)."""
    store = seeded_store("01")
    second = ShopStore(store.db, till_id="02")
    repo = ProductRepository(store.db)
    for p in (COKE, BREAD):
        repo.upsert(p)
    apple = Product("APPLE", "苹果", Fen(1298), category="水果", scale_code="12")
    repo.upsert(apple)
    sell(store, cart((COKE, 2)), NATIVE, "amy", bj(22, 9))                      # 01: 6.00
    renamed = Product("COKE", "可口可乐", Fen(300), "6901234567014", category="饮料")
    repo.upsert(renamed)
    b = sell(second, cart((renamed, 1), (BREAD, 1)), CASH, "bob", bj(22, 10))  # 02: 8.50
    sell(second, cart((Product("APPLE", "苹果 0.532kg", Fen(691), category="水果"), 1)),
         CASH, "bob", bj(22, 11))                                               # 02: 6.91
    repo.set_active("BREAD", False)                     # deactivated after it was sold
    clock = Clock(bj(22, 12))
    refunds = RefundService(second, WechatChannel(FakeRefundGateway(), None),
                            PinAuthenticator(second, clock=clock), clock=clock)
    [r] = refunds.request_refund(RefundRequest(b, "bob", "boss", MANAGER_PIN, "退货",
                                               lines={2: 1}))                # 面包 back at 02
    assert r.amount == 550
    reports = SalesReports(store.db)
    assert reports.tills() == ["01", "02"]
    day = date(2026, 11, 22)
    every = reports.report(day, day)
    assert every.till_id is None and every.totals == F(3, 600 + 850 + 691, 1, 550)
    names = {p.sku: p.name for p in every.by_product}
    # the line of order 1 says 可乐, the later sale 可口可乐 (the newest name wins); the
    # product renamed in the catalogue again now changes nothing in the report
    repo.upsert(Product("COKE", "Coca-Cola", Fen(300), "6901234567014", category="饮料"))
    assert {p.sku: p.name for p in reports.report(day, day).by_product} == names == {
        "COKE": "可口可乐", "BREAD": "面包", "APPLE": "苹果"}
    one = reports.report(day, day, "01")
    assert one.till_id == "01" and one.totals == F(1, 600)
    assert [(p.sku, p.name, p.figures) for p in one.by_product] == [
        ("COKE", "可乐", F(1, 600, 0, 0, 2))]
    two = reports.report(day, day, "02")
    assert two.totals == F(2, 850 + 691, 1, 550)
    assert {p.sku: (p.name, p.figures.net) for p in two.by_product} == {
        "APPLE": ("苹果", 691), "COKE": ("可口可乐", 300), "BREAD": ("面包", 0)}
    assert two.by_cashier == (("bob", F(2, 1541, 1, 550)),)
    assert reports.report(day, day, "03").totals == Figures()
    rows = list(csv.DictReader(io.StringIO(sales_report_csv(two))))
    assert (rows[1]["section"], rows[1]["key"], rows[1]["net_fen"]) == ("till", "02", "991")
