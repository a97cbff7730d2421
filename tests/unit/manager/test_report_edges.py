"""Edges of the printed X/Z report the main figure tests do not reach (issue 17, found by
mutation testing of manager/reports.py), on the real SQLite store, against text worked out
here by hand: a Z whose count is exactly right, a cent over or a cent under; a shift with no
refund still in progress; a percentage given off one line only or off the order only; a
cash-in of one fen; a long movement reason cut to the paper; narrow paper where a label and
its value no longer fit. Labels are rendered as their keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.text import Message
from pos_app.manager.cash_movements import CashMovementService
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.refunds import RefundRequest, RefundService
from pos_app.manager.reports import render_text, report_csv
from pos_app.manager.shifts import ShiftService
from pos_app.manager.shop_store import ShopStore
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository

from .helpers import MANAGER_PIN, T0, Clock, order, seeded_store

CASH = PaymentMethod.CASH
W = 40


def key(message: Message) -> str:
    return message.key.value


def line(left: str, right: str, width: int = W) -> str:
    return left + " " * max(1, width - len(left) - len(right)) + right


def beijing(at: datetime) -> str:
    return (at.astimezone(UTC) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")


def _cash_shift():  # type: ignore[no-untyped-def]
    """Float 100.00; a cash sale of 10.00; a cash refund of 1.00 (done on the spot, so
    nothing is in progress). Expected cash 100.00 + 10.00 − 1.00 = 109.00."""
    store, clock = seeded_store(), Clock(T0)
    auth = PinAuthenticator(store, clock=clock)
    shifts = ShiftService(store, auth, clock=clock)
    opened = clock.now()
    shifts.open("amy", Fen(10000))
    clock.advance(minutes=1)
    order(store, 1, CASH, 1000, at=clock.now())
    [rec] = RefundService(store, None, auth, clock=clock).request_refund(
        RefundRequest(1, "amy", "boss", MANAGER_PIN, "退货", amount=Fen(100)))
    assert rec.state.value == "success"
    clock.advance(minutes=30)
    return store, clock, shifts, auth, opened


@pytest.mark.parametrize(("offset", "shown"), [(0, "0.00"), (1, "+0.01"), (-1, "-0.01")])
def test_z_of_a_cash_shift_every_line(offset: int, shown: str) -> None:
    """A count exactly right shows the difference unsigned; one fen over is "+0.01"; one
    fen short "-0.01". No refund is in progress, so no in-progress line."""
    _store, clock, shifts, _auth, opened = _cash_shift()
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(10900 + offset))
    rule = "-" * W
    zero = "0.00"
    expected = [" " * ((W - len("report.z_title")) // 2) + "report.z_title", rule,
                line("report.shift", f"#{z.shift.shift_id}"),
                line("report.opened", f"{beijing(opened)} amy"),
                line("report.closed", f"{beijing(clock.now())} amy"),
                line("report.approved_by", "boss"),
                line("report.printed", beijing(clock.now())),
                line("report.by", "amy"),
                rule, "report.sales",
                line(" report.method.native x0", zero), line(" report.method.codepay x0", zero),
                line(" report.method.cash x1", "10.00"), line(" report.total x1", "10.00"),
                rule, "report.refunds",
                line(" report.method.native x0", zero), line(" report.method.codepay x0", zero),
                line(" report.method.cash x1", "1.00"), line(" report.total x1", "1.00"),
                rule, "report.net",
                line(" report.method.native", zero), line(" report.method.codepay", zero),
                line(" report.method.cash", "9.00"),
                rule, line("report.float", "100.00"),
                line("+ report.cash_sales", "10.00"), line("- report.cash_refunds", "1.00"),
                line("= report.expected", "109.00"),
                line("report.counted", f"{(10900 + offset) / 100:.2f}"),
                line("report.difference", shown),
                rule]
    assert render_text(z, render=key, width=W) == "\n".join(expected) + "\n"
    sid = z.shift.shift_id
    rows = report_csv(z).splitlines()
    assert f"Z,{sid},refunds_in_progress,,0,0,0.00" in rows
    assert f"Z,{sid},difference,cash,,{offset},{shown.lstrip('+')}" in rows


def _paid(store: ShopStore, clock: Clock, cart: Cart, n: int) -> None:
    orders = OrderRepository(store.db, clock, till_id=store.till_id)
    attempts = PaymentAttemptRepository(store.db, clock, till_id=store.till_id)
    oid = orders.create(cart, cashier="amy")
    with store.db.transaction() as conn:
        aid = attempts.insert(conn, order_id=oid, method=CASH, amount=cart.total,
                              state=AttemptState.PAID, out_trade_no=f"E{n:06d}-1")
        orders.set_status(conn, oid, OrderStatus.PAID, paid_attempt_id=aid)


def test_a_percentage_off_one_line_only_or_the_order_only_counts_as_percent() -> None:
    """Sale 1: 10% off a 20.00 line only (2.00). Sale 2: 5% off a 30.00 order only (1.50).
    Both are percentage discounts: 2 sales, 3.50."""
    store, clock = seeded_store(), Clock(T0)
    shifts = ShiftService(store, PinAuthenticator(store, clock=clock), clock=clock)
    shifts.open("boss", Fen(0))
    clock.advance(minutes=1)
    one = Cart()
    one.add(Product("A", "A", Fen(2000), ""))
    assert one.set_line_discount_percent(0, 1000) == 200 and one.total == 1800
    _paid(store, clock, one, 1)
    two = Cart()
    two.add(Product("B", "B", Fen(3000), ""))
    assert two.set_order_discount_percent(500) == 150 and two.total == 2850
    _paid(store, clock, two, 2)
    x = shifts.x_report("boss")
    text = render_text(x, render=key, width=W).splitlines()
    i = text.index("report.discounts")
    assert text[i + 1:i + 6] == [
        line(" report.discount.line x0", "0.00"), line(" report.discount.percent x2", "3.50"),
        line(" report.discount.order x0", "0.00"), line(" report.discount.round_off x0", "0.00"),
        line(" report.total x2", "3.50")]
    assert f"X,{x.shift.shift_id},discount_percent,,2,350,3.50" in report_csv(x).splitlines()


def test_a_one_fen_cash_in_is_signed_and_a_long_reason_fills_the_paper_exactly() -> None:
    """A movement of 0.01 in shows "+0.01"; its ASCII reason of 40 characters is cut to
    the 29 columns after the 3-space indent (32-column paper)."""
    store, clock = seeded_store(), Clock(T0)
    auth = PinAuthenticator(store, clock=clock)
    shifts = ShiftService(store, auth, clock=clock)
    shifts.open("boss", Fen(0))
    clock.advance(minutes=1)
    reason = "float top-up for the morning rush hour"
    reason = (reason + " 0123456789")[:40]
    CashMovementService(store, auth, clock=clock).cash_in("amy", Fen(1), reason)
    text = render_text(shifts.x_report("boss"), render=key, width=32).splitlines()
    i = text.index("report.cash_movements")
    assert text[i + 1:i + 3] == [
        line(f" {beijing(clock.now())[-5:]} amy", "+0.01", 32), "   " + reason[:29]]
    assert len(text[i + 2]) == 32
    assert line("+ report.cash_in x1", "0.01", 32) in text


def test_on_narrow_paper_a_label_and_its_value_keep_one_space_between_them() -> None:
    """Width 16: "report.printed" and "2026-11-22 10:31" (30 columns together) overflow;
    they are printed with exactly one space between them, never run together."""
    _store, clock, shifts, _auth, _opened = _cash_shift()
    text = render_text(shifts.x_report("boss"), render=key, width=16).splitlines()
    assert f"report.printed {beijing(clock.now())}" in text
    assert "report.by   boss" in text                     # 14 columns: padded to 16
    assert "report.float 100.00" in text
