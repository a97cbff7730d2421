"""The X/Z figures issue 10 and 16 added, against numbers worked out here by hand, on the
real SQLite store: discounts given by kind (line amount, percentage, order amount, 抹零)
read back from the stored orders; cash in / cash out (存取款) in the expected cash, the
text and the CSV; the Z names the manager who approved it; the refusals of a cash
movement change nothing."""

from __future__ import annotations

import unicodedata

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.text import Message
from pos_app.manager.cash_movements import CashMovementError, CashMovementService, CashText
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import AuthError, PinAuthenticator
from pos_app.manager.reports import render_text, report_csv
from pos_app.manager.shifts import ShiftService
from pos_app.manager.shop_store import ShopStore
from pos_app.storage.errors import StorageBugError
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository

from .helpers import CASHIER_PIN, MANAGER_PIN, T0, Clock, seeded_store

W = 40
COLA = Product("COLA", "可乐", Fen(350), "")
BREAD = Product("BREAD", "面包", Fen(1280), "")
TEA = Product("TEA", "Tea", Fen(999), "")


def key(message: Message) -> str:
    return message.key.value


def cols(text: str) -> int:
    """Printer columns: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in text)


def line(left: str, right: str) -> str:
    return left + " " * max(1, W - cols(left) - cols(right)) + right


def _paid(store: ShopStore, clock: Clock, cart: Cart, method: PaymentMethod, n: int) -> int:
    """Store ``cart`` as an order of this till and pay it now (the real repositories)."""
    orders = OrderRepository(store.db, clock, till_id=store.till_id)
    attempts = PaymentAttemptRepository(store.db, clock, till_id=store.till_id)
    oid = orders.create(cart, cashier="amy")
    with store.db.transaction() as conn:
        aid = attempts.insert(conn, order_id=oid, method=method, amount=cart.total,
                              state=AttemptState.PAID, out_trade_no=f"K{n:06d}-1",
                              transaction_id=f"42000{n:08d}" if method.value != "cash" else "")
        orders.set_status(conn, oid, OrderStatus.PAID, paid_attempt_id=aid)
    return oid


def _day():  # type: ignore[no-untyped-def]
    store, clock = seeded_store(), Clock(T0)
    auth = PinAuthenticator(store, clock=clock)
    shifts = ShiftService(store, auth, clock=clock)
    cash = CashMovementService(store, auth, clock=clock)
    # a discounted sale before the shift must not count
    early = Cart()
    early.add(COLA, 2)
    early.set_line_discount(0, Fen(100))
    _paid(store, clock, early, PaymentMethod.CASH, 1)
    clock.advance(minutes=5)
    shifts.open("amy", Fen(20000))                                  # float 200.00
    clock.advance(minutes=1)
    # sale A (cash): bread 12.80 with 1.30 off the line → 11.50; 抹零 → 11.00 (0.50)
    a = Cart()
    a.add(BREAD)
    a.set_line_discount(0, Fen(130))
    assert a.round_off(100) == 50 and a.total == 1100
    _paid(store, clock, a, PaymentMethod.CASH, 2)
    # sale B (native): 3 × cola 10.50, 10% off the line (1.05) → 9.45; tea 9.99;
    # 5% off the order: 19.44 × 5% = 0.972 → 0.97 → 18.47; 抹零 to the jiao → 18.40 (0.07)
    b = Cart()
    b.add(COLA, 3)
    b.add(TEA)
    assert b.set_line_discount_percent(0, 1000) == 105
    assert b.set_order_discount_percent(500) == 97
    assert b.round_off(10) == 7 and b.total == 1840
    _paid(store, clock, b, PaymentMethod.NATIVE, 3)
    # sale C (cash): tea 9.99 with 2.00 off the order → 7.99
    c = Cart()
    c.add(TEA)
    c.set_order_discount(Fen(200))
    _paid(store, clock, c, PaymentMethod.CASH, 4)
    # sale D (cash): cola, no discount → 3.50
    d = Cart()
    d.add(COLA)
    _paid(store, clock, d, PaymentMethod.CASH, 5)
    clock.advance(minutes=10)
    cash.cash_in("amy", Fen(5000), "找零备用金")                      # + 50.00
    clock.advance(minutes=10)
    cash.cash_out("amy", Fen(3260), "付供应商 牛奶", "boss", MANAGER_PIN)   # − 32.60
    clock.advance(minutes=10)
    return store, clock, shifts, cash


# Hand-computed: discounts line amount 1 sale 1.30; percentage 1 sale 1.05 + 0.97 = 2.02;
# order amount 1 sale 2.00; 抹零 2 sales 0.50 + 0.07 = 0.57; 3 sales, 5.89 in all.
# Cash sales 11.00 + 7.99 + 3.50 = 22.49; expected 200.00 + 22.49 + 50.00 − 32.60 = 239.89.
DISCOUNTS = {"line": (1, 130), "percent": (1, 202), "order": (1, 200), "round_off": (2, 57)}
CASH_SALES = 1100 + 799 + 350
EXPECTED = 20000 + CASH_SALES + 5000 - 3260
assert (CASH_SALES, EXPECTED) == (2249, 23989)


def test_discounts_by_kind_come_from_the_stored_orders() -> None:
    _store, _clock, shifts, _cash = _day()
    x = shifts.x_report("boss")
    d = x.discounts
    assert {"line": (d.line.count, d.line.amount), "percent": (d.percent.count, d.percent.amount),
            "order": (d.order.count, d.order.amount),
            "round_off": (d.round_off.count, d.round_off.amount)} == DISCOUNTS
    assert (d.total.count, d.total.amount) == (3, 589)
    text = render_text(x, render=key, width=W).splitlines()
    i = text.index("report.discounts")
    assert text[i + 1:i + 6] == [
        line(" report.discount.line x1", "1.30"), line(" report.discount.percent x1", "2.02"),
        line(" report.discount.order x1", "2.00"), line(" report.discount.round_off x2", "0.57"),
        line(" report.total x3", "5.89")]
    sid = x.shift.shift_id
    rows = report_csv(x).splitlines()
    for row in (f"X,{sid},discount_line,,1,130,1.30", f"X,{sid},discount_percent,,1,202,2.02",
                f"X,{sid},discount_order,,1,200,2.00", f"X,{sid},discount_round_off,,2,57,0.57",
                f"X,{sid},discount_total,,3,589,5.89"):
        assert row in rows


def test_cash_movements_in_expected_cash_text_and_csv() -> None:
    _store, _clock, shifts, _cash = _day()
    x = shifts.x_report("boss")
    assert x.sales[PaymentMethod.CASH].amount == CASH_SALES
    assert (x.cash_in.count, x.cash_in.amount, x.cash_out.count, x.cash_out.amount) == (
        1, 5000, 1, 3260)
    assert x.expected_cash == EXPECTED
    text = render_text(x, render=key, width=W).splitlines()
    i = text.index("report.cash_movements")
    assert text[i + 1:i + 5] == [line(" 10:16 amy", "+50.00"), "   找零备用金",
                                 line(" 10:26 amy/boss", "-32.60"), "   付供应商 牛奶"]
    j = text.index(line("report.float", "200.00"))
    assert text[j + 1:j + 6] == [
        line("+ report.cash_sales", "22.49"), line("- report.cash_refunds", "0.00"),
        line("+ report.cash_in x1", "50.00"), line("- report.cash_out x1", "32.60"),
        line("= report.expected", "239.89")]
    sid = x.shift.shift_id
    rows = report_csv(x).splitlines()
    assert f"X,{sid},expected_cash,cash,,23989,239.89" in rows
    assert f"X,{sid},cash_in,cash,1,5000,50.00" in rows
    assert f"X,{sid},cash_out,cash,1,3260,32.60" in rows
    assert f"X,{sid},cash_movement,in 找零备用金 (amy),1,5000,50.00" in rows
    assert f"X,{sid},cash_movement,out 付供应商 牛奶 (amy/boss),1,-3260,-32.60" in rows


def test_z_counts_movements_and_names_the_approving_manager() -> None:
    store, _clock, shifts, _cash = _day()
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(23900))
    assert (z.expected_cash, z.difference, z.approved_by) == (EXPECTED, -89, "boss")
    assert store.current_shift() is None
    assert line("report.approved_by", "boss") in render_text(z, render=key, width=W).splitlines()
    assert f"Z,{z.shift.shift_id},approved_by,boss,,," in report_csv(z).splitlines()
    [closed] = [e for e in store.audit_entries("shift.close")]
    assert closed.detail["approved_by"] == "boss"
    assert closed.detail["expected_cash"] == EXPECTED


def test_cashier_x_is_blind_even_with_movements() -> None:
    _store, _clock, shifts, _cash = _day()
    x = shifts.x_report("amy")
    text = render_text(x, render=key, width=W)
    assert x.blind and "report.expected" not in text and "239.89" not in text
    assert "report.cash_in" not in text and "report.blind" in text


def test_movements_are_audited_and_stored_in_the_shift() -> None:
    store, _clock, shifts, cash = _day()
    shift = shifts.current()
    assert shift is not None
    moves = cash.movements()
    assert [(m.direction.value, m.amount, m.reason, m.done_by, m.approved_by, m.shift_id)
            for m in moves] == [("in", 5000, "找零备用金", "amy", "", shift.shift_id),
                                ("out", 3260, "付供应商 牛奶", "amy", "boss", shift.shift_id)]
    audit = [(e.action, e.actor, e.detail["amount_fen"], e.detail["approved_by"])
             for e in store.audit_entries() if e.action.startswith("cash.")]
    assert audit == [("cash.in", "amy", 5000, ""), ("cash.out", "amy", 3260, "boss")]
    with pytest.raises(StorageBugError), store.db.transaction() as conn:   # append-only
        conn.execute("UPDATE cash_movements SET amount_fen = 1")


def _refused(fn, key_: object) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((CashMovementError, AuthError)) as info:
        fn()
    assert info.value.message.key is key_


@pytest.mark.parametrize("amount", [0, -100, 10_000_001, True, 1.5])
def test_bad_amounts_refused_nothing_stored(amount: object) -> None:
    _store, _clock, _shifts, cash = _day()
    before = cash.movements()
    _refused(lambda: cash.cash_in("amy", amount, "x"), CashText.AMOUNT_OUT_OF_RANGE)  # type: ignore[arg-type]
    _refused(lambda: cash.cash_out("amy", amount, "x", "boss", MANAGER_PIN),  # type: ignore[arg-type]
             CashText.AMOUNT_OUT_OF_RANGE)
    assert cash.movements() == before


def test_refusals_change_nothing() -> None:
    store, _clock, shifts, cash = _day()
    before = cash.movements()
    _refused(lambda: cash.cash_in("amy", Fen(100), "   "), CashText.REASON_REQUIRED)
    _refused(lambda: cash.cash_in("amy", Fen(100), "x" * 61), CashText.REASON_TOO_LONG)
    _refused(lambda: cash.cash_out("amy", Fen(100), "x", "boss", "9999"),
             ManagerText.AUTH_WRONG_PIN_TRIES_LEFT)
    _refused(lambda: cash.cash_out("amy", Fen(100), "x", "amy", CASHIER_PIN),
             ManagerText.AUTH_MAY_NOT_APPROVE)           # a cashier may not approve
    # more than the drawer should hold (239.89): refused, one fen less is fine
    _refused(lambda: cash.cash_out("amy", Fen(EXPECTED + 1), "x", "boss", MANAGER_PIN),
             CashText.MORE_THAN_DRAWER)
    assert cash.movements() == before
    assert [a.action for a in store.audit_entries() if a.action.startswith("cash.")] == [
        "cash.in", "cash.out"]
    cash.cash_out("amy", Fen(EXPECTED), "bank", "boss", MANAGER_PIN)
    assert shifts.x_report("boss").expected_cash == 0
    shifts.close("amy", "boss", MANAGER_PIN, Fen(0))
    _refused(lambda: cash.cash_in("amy", Fen(100), "x"), ManagerText.SHIFT_NONE_OPEN)


def test_a_cash_out_without_approver_is_refused_by_the_database() -> None:
    store, _clock, _shifts, _cash = _day()
    with pytest.raises(StorageBugError), store.db.transaction() as conn:
        conn.execute("INSERT INTO cash_movements (till_id, shift_id, direction, amount_fen,"
                     " reason, done_by, approved_by, at) VALUES ('01', 1, 'out', 5, 'x',"
                     " 'amy', '', '2026-01-01T00:00:00+00:00')")


def test_another_shifts_movements_do_not_count() -> None:
    """Another till's shift (its own cash in) stays out; given every movement,
    build_report still counts only its own shift's."""
    from dataclasses import replace

    from pos_app.manager.reports import ReportKind, build_report

    store, clock, shifts, _cash = _day()
    other = ShopStore(store.db, clock, till_id="02")
    other_auth = PinAuthenticator(other, clock=clock)
    ShiftService(other, other_auth, clock=clock).open("amy", Fen(0))
    CashMovementService(other, other_auth, clock=clock).cash_in("amy", Fen(777), "x")
    x = shifts.x_report("boss")
    assert (x.cash_in.amount, x.expected_cash) == (5000, EXPECTED)
    shift = shifts.current()
    assert shift is not None
    mine = store.cash_movements(shift.shift_id)
    stray = replace(mine[0], id=99, shift_id=shift.shift_id + 1)
    r = build_report(ReportKind.X, shift, [], [], generated_at=clock.now(), generated_by="boss",
                     movements=[*mine, stray])
    assert r.cash_in.amount == 5000 and r.movements == tuple(mine)


def test_a_long_reason_is_cut_to_the_paper_width() -> None:
    _store, _clock, shifts, cash = _day()
    cash.cash_in("amy", Fen(1), "零钱" * 20)                     # 80 columns wide
    text = render_text(shifts.x_report("boss"), render=key, width=32).splitlines()
    assert "   " + "零钱" * 7 in text          # 3 + 28 columns: a wide char more would be 33


def test_coupons_and_a_second_channel_on_the_x_text_and_csv() -> None:
    """Cash 5.00; WeChat 10.00 with a 1.50 coupon (1.00 merchant-funded, customer paid
    8.50); WeChat 3.00; Alipay 20.00; an Alipay refund of 4.00. By hand: channel orders
    33.00, customers paid 31.50, settlement 32.00; by channel sales alipay 1/20.00, cash
    1/5.00, wechat 2/13.00; refunds alipay 1/4.00."""
    from pos_app.domain.payment import ALIPAY
    from pos_app.domain.refund import NewRefund, RefundState

    store, clock = seeded_store(), Clock(T0)
    shifts = ShiftService(store, PinAuthenticator(store, clock=clock), clock=clock)
    shifts.open("amy", Fen(10000))
    clock.advance(minutes=1)
    attempts = PaymentAttemptRepository(store.db, clock, till_id=store.till_id)
    orders = OrderRepository(store.db, clock, till_id=store.till_id)

    def sale(n: int, total: int, method: PaymentMethod, channel: str | None = None,
             **figures: int) -> tuple[int, int]:
        cart = Cart()
        cart.add(Product(f"P{n}", f"商品{n}", Fen(total), ""))
        oid = orders.create(cart, cashier="amy")
        with store.db.transaction() as conn:
            aid = attempts.insert(conn, order_id=oid, method=method, amount=Fen(total),
                                  out_trade_no=f"K{n:06d}-1", channel=channel)
        attempts.transition(aid, AttemptState.PAID, **figures)
        return oid, aid

    sale(1, 500, PaymentMethod.CASH)
    sale(2, 1000, PaymentMethod.NATIVE, payer_total_fen=850, coupon_fen=150,
         merchant_coupon_fen=100)
    sale(3, 300, PaymentMethod.CODEPAY)
    order_id, ali = sale(4, 2000, PaymentMethod.CODEPAY, ALIPAY)
    store.add_refunds(order_id, lambda _e: [NewRefund(
        order_id=order_id, attempt_id=ali, method=PaymentMethod.CODEPAY,
        out_refund_no="RFALI1", out_trade_no="K000004-1", amount=Fen(400),
        payment_total=Fen(2000), reason="退货", requested_by="amy", approved_by="boss",
        created_at=clock.now(), state=RefundState.PENDING)])
    clock.advance(minutes=1)
    x = shifts.x_report("boss")
    assert (x.channel_sales, x.customer_paid, x.merchant_coupons, x.settlement) == (
        3300, 3150, 100, 3200)
    assert (x.coupons.count, x.coupons.amount) == (1, 150)
    assert {k: (t.count, t.amount) for k, t in x.sales_by_channel.items()} == {
        "alipay": (1, 2000), "cash": (1, 500), "wechat": (2, 1300)}
    assert list(x.sales_by_channel) == ["alipay", "cash", "wechat"]
    assert {k: (t.count, t.amount) for k, t in x.refunds_by_channel.items()} == {
        "alipay": (1, 400)}
    text = render_text(x, render=key, width=W).splitlines()
    i = text.index(line(" report.total x4", "38.00"))
    assert text[i + 1:i + 5] == [
        " report.by_channel", line("  report.channel.alipay x1", "20.00"),
        line("  report.channel.cash x1", "5.00"), line("  report.channel.wechat x2", "13.00")]
    j = text.index(line(" report.total x1", "4.00"))
    assert text[j + 1:j + 3] == [" report.by_channel", line("  report.channel.alipay x1", "4.00")]
    k = text.index("report.coupons")
    assert text[k + 1:k + 5] == [
        line(" report.order_total", "33.00"), line(" report.customer_paid", "31.50"),
        line(" report.coupons x1", "1.50"), line(" report.settlement", "32.00")]
    sid = x.shift.shift_id
    rows = report_csv(x).splitlines()
    for row in (f"X,{sid},sales_by_channel,alipay,1,2000,20.00",
                f"X,{sid},sales_by_channel,cash,1,500,5.00",
                f"X,{sid},sales_by_channel,wechat,2,1300,13.00",
                f"X,{sid},refunds_by_channel,alipay,1,400,4.00",
                f"X,{sid},channel_order_total,,,3300,33.00",
                f"X,{sid},customer_paid,,,3150,31.50",
                f"X,{sid},coupons,,1,150,1.50",
                f"X,{sid},settlement,,,3200,32.00"):
        assert row in rows


def test_records_from_before_channels_count_as_cash_or_wechat() -> None:
    from pos_app.manager.reports import channel_of

    assert channel_of("", PaymentMethod.CASH) == "cash"
    assert channel_of("", PaymentMethod.NATIVE) == "wechat"
    assert channel_of("", PaymentMethod.CODEPAY) == "wechat"
    assert channel_of("alipay", PaymentMethod.CODEPAY) == "alipay"


def test_a_sale_counts_as_discounted_whatever_its_kinds_add_up_to() -> None:
    """Each sale below has two kinds of discount of the same amount: every one counts as
    one discounted sale (the kinds are added, never set against each other)."""
    store, clock = seeded_store(), Clock(T0)
    shifts = ShiftService(store, PinAuthenticator(store, clock=clock), clock=clock)
    shifts.open("amy", Fen(0))
    clock.advance(minutes=1)
    line_and_round = Cart()                       # 12.80 − 0.40 off the line, 抹零 0.40
    line_and_round.add(BREAD)
    line_and_round.set_line_discount(0, Fen(40))
    assert line_and_round.round_off(100) == 40
    amount_and_percent = Cart()                   # 0.35 off tea, 10% off cola (0.35)
    amount_and_percent.add(TEA)
    amount_and_percent.add(COLA)
    amount_and_percent.set_line_discount(0, Fen(35))
    assert amount_and_percent.set_line_discount_percent(1, 1000) == 35
    order_and_round = Cart()                      # 0.40 off the order, 抹零 0.40
    order_and_round.add(BREAD)
    order_and_round.set_order_discount(Fen(40))
    assert order_and_round.round_off(100) == 40
    percent_and_round = Cart()                    # 10% off 5.00 (0.50), 抹零 0.50
    percent_and_round.add(Product("FIVE", "五元", Fen(500), ""))
    assert percent_and_round.set_order_discount_percent(1000) == 50
    assert percent_and_round.round_off(100) == 50
    for n, cart in enumerate((line_and_round, amount_and_percent, order_and_round,
                              percent_and_round), start=1):
        _paid(store, clock, cart, PaymentMethod.CASH, n)
    clock.advance(minutes=1)
    d = shifts.x_report("boss").discounts
    assert (d.total.count, d.total.amount) == (4, 80 + 70 + 80 + 100)
    assert (d.line.count, d.percent.count, d.order.count, d.round_off.count) == (2, 2, 1, 3)
