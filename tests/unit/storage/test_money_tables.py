"""Orders, refunds and shifts repositories on their own (issue 17): the storage tests
alone must notice a wrong line in the tables money lives in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, IllegalTransitionError, PaymentMethod
from pos_app.domain.refund import NewRefund, RefundState
from pos_app.storage.audit import AuditLog
from pos_app.storage.db import Database
from pos_app.storage.errors import ConflictError
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository
from pos_app.storage.refunds import RefundRepository
from pos_app.storage.shifts import ShiftRepository
from tests.helpers.clock import ManualClock

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
RS = RefundState


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "pos.sqlite3")


def _cart(*prices: int) -> Cart:
    cart = Cart()
    for i, price in enumerate(prices or (500,)):
        cart.add(Product(f"SKU{i}", f"商品{i}", Fen(price), f"690000000000{i}"), 1)
    return cart


def _paid_order(db: Database, clock: ManualClock, total: int = 1000, till: str = "01",
                otn: str = "P1", tid: str = "4200000001") -> tuple[int, int]:
    orders = OrderRepository(db, clock, till_id=till)
    attempts = PaymentAttemptRepository(db, clock, till_id=till)
    oid = orders.create(_cart(total), cashier="amy")
    with db.transaction() as conn:
        aid = attempts.insert(conn, order_id=oid, method=PaymentMethod.NATIVE,
                              out_trade_no=otn, amount=Fen(total))
    attempts.transition(aid, AttemptState.PAID, transaction_id=tid)
    return oid, aid


def _intent(oid: int, aid: int, no: str, amount: int, *, state: RS = RS.PENDING,
            lines: tuple[tuple[int, int], ...] = (), at: datetime = T0) -> NewRefund:
    return NewRefund(order_id=oid, attempt_id=aid, method=PaymentMethod.NATIVE,
                     out_refund_no=no, out_trade_no="P1", amount=Fen(amount),
                     payment_total=Fen(1000), reason="退货", requested_by="amy",
                     approved_by="boss", created_at=at, state=state, lines=lines)


# --------------------------------------------------------------------- orders


def test_order_lines_are_numbered_from_one(db: Database) -> None:
    orders = OrderRepository(db, ManualClock(T0))
    oid = orders.create(_cart(300, 450), cashier="amy")
    assert [(ln.line_no, ln.sku, ln.net) for ln in orders.lines(oid)] == [
        (1, "SKU0", 300), (2, "SKU1", 450)]
    with pytest.raises(ValueError):
        orders.create(Cart(), cashier="amy")


def test_void_only_an_open_order(db: Database) -> None:
    clock = ManualClock(T0)
    orders = OrderRepository(db, clock)
    oid = orders.create(_cart(), cashier="amy")
    orders.void(oid)
    order = orders.get(oid)
    assert order is not None and order.status is OrderStatus.VOIDED
    paid, _ = _paid_order(db, clock, otn="P2")
    for bad in (oid, paid, 999):
        with pytest.raises(ConflictError):
            orders.void(bad)
    order = orders.get(paid)
    assert order is not None and order.status is OrderStatus.PAID


def test_find_sale_by_number_out_trade_no_or_transaction_id(db: Database) -> None:
    clock = ManualClock(T0)
    orders = OrderRepository(db, clock)
    oid, aid = _paid_order(db, clock, otn="P20261122100000010001", tid="4200000123")
    for key in (str(oid), f" {oid} ", "P20261122100000010001", "4200000123"):
        sale = orders.find_sale(key)
        assert sale is not None and sale.order_id == oid, key
        assert [p.attempt_id for p in sale.payments] == [aid]
    for key in ("", "P2026112210000001000", "42000001", "999"):
        assert orders.find_sale(key) is None, key
    # a long all-digit key is a transaction id, not an order number
    long_oid, _ = _paid_order(db, clock, otn="P9", tid="4200000000123456789012")
    sale = orders.find_sale("4200000000123456789012")
    assert sale is not None and sale.order_id == long_oid


def test_search_sales_settled_in_window(db: Database) -> None:
    clock = ManualClock(T0)
    orders = OrderRepository(db, clock)
    a, _ = _paid_order(db, clock, 1000, otn="P1")
    orders.create(_cart(), cashier="amy")                     # open: not a sale
    clock.advance(hours=1)
    b, _ = _paid_order(db, clock, 2500, otn="P2")
    found = orders.search_sales(T0, T0 + timedelta(days=1))
    assert [s.order_id for s in found] == [a, b]
    assert [s.order_id for s in orders.search_sales(T0, T0 + timedelta(days=1), Fen(2500))] == [b]
    assert [s.order_id for s in orders.search_sales(T0, T0 + timedelta(hours=1))] == [a]


@pytest.mark.logs_errors
def test_a_second_paid_attempt_is_put_on_record(db: Database) -> None:
    clock = ManualClock(T0)
    attempts = PaymentAttemptRepository(db, clock)
    oid, first = _paid_order(db, clock)
    with db.transaction() as conn:
        second = attempts.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY,
                                 out_trade_no="P2", amount=Fen(1000))
    attempts.transition(second, AttemptState.PAID)
    order = OrderRepository(db, clock).get(oid)
    assert order is not None and order.paid_attempt_id == first
    [entry] = AuditLog(db).entries("double_payment")
    assert entry.detail == {"order_id": oid, "attempt_id": second, "paid_attempt_id": first}


# --------------------------------------------------------------------- refunds


def test_refund_lines_keep_positive_quantities_only(db: Database) -> None:
    clock = ManualClock(T0)
    oid, aid = _paid_order(db, clock)
    refunds = RefundRepository(db, clock)
    [rec] = refunds.add(oid, lambda _: [_intent(oid, aid, "RF1", 300, lines=((1, 1), (2, 0)))])
    assert rec.lines == ((1, 1),)
    got = refunds.get(rec.refund_id)
    assert got == rec and refunds.get(999) is None
    assert refunds.add(oid, lambda _: []) == []
    with pytest.raises(ValueError):
        refunds.add(oid, lambda _: [_intent(oid + 1, aid, "RF2", 1)])
    assert [r.out_refund_no for r in refunds.for_order(oid)] == ["RF1"]


def test_refund_events_and_order_status(db: Database) -> None:
    clock = ManualClock(T0)
    oid, aid = _paid_order(db, clock)
    refunds = RefundRepository(db, clock)
    orders = OrderRepository(db, clock)
    [rec] = refunds.add(oid, lambda _: [_intent(oid, aid, "RF1", 1000)])
    assert orders.get(oid).status is OrderStatus.REFUNDED  # type: ignore[union-attr]
    refunds.transition(rec.refund_id, RS.PENDING, message="timeout")
    refunds.transition(rec.refund_id, RS.CLOSED, wechat_refund_id="5001", note="closed")
    events = refunds.events(rec.refund_id)
    assert [(e.from_state, e.to_state, e.note) for e in events] == [
        (None, RS.PENDING, "intent"), (RS.PENDING, RS.PENDING, "timeout"),
        (RS.PENDING, RS.CLOSED, "closed")]
    assert orders.get(oid).status is OrderStatus.PAID  # type: ignore[union-attr]
    closed = refunds.get(rec.refund_id)
    assert closed is not None and closed.wechat_refund_id == "5001"
    with pytest.raises(IllegalTransitionError):
        refunds.transition(rec.refund_id, RS.SUCCESS)
    with pytest.raises(KeyError):
        refunds.transition(999, RS.SUCCESS)


def test_refunds_between_and_unfinished_per_till(db: Database) -> None:
    clock = ManualClock(T0)
    oid, aid = _paid_order(db, clock)
    mine = RefundRepository(db, clock, till_id="01")
    theirs = RefundRepository(db, clock, till_id="02")
    [a] = mine.add(oid, lambda _: [_intent(oid, aid, "RF1", 100)])
    [b] = theirs.add(oid, lambda _: [_intent(oid, aid, "RF2", 100,
                                             at=T0 + timedelta(minutes=1))])
    [c] = mine.add(oid, lambda _: [_intent(oid, aid, "RF3", 100, state=RS.SUCCESS)])
    day = (T0, T0 + timedelta(days=1))
    assert [r.refund_id for r in mine.between(*day)] == [a.refund_id, b.refund_id, c.refund_id]
    assert [r.refund_id for r in mine.between(*day, "02")] == [b.refund_id]
    assert [r.refund_id for r in mine.between(*day, "01")] == [a.refund_id, c.refund_id]
    assert [r.refund_id for r in mine.between(T0, T0 + timedelta(minutes=1))] == [
        a.refund_id, c.refund_id]
    assert [r.refund_id for r in mine.unfinished()] == [a.refund_id]
    assert [r.refund_id for r in theirs.unfinished()] == [b.refund_id]
    assert mine.refunded_total(oid) == 300


# --------------------------------------------------------------------- shifts


def test_shift_open_close_per_till(db: Database) -> None:
    clock = ManualClock(T0)
    mine = ShiftRepository(db, clock, till_id="01")
    theirs = ShiftRepository(db, clock, till_id="02")
    assert mine.current() is None
    s = mine.open("amy", Fen(10000))
    assert (s.opened_by, s.opening_float, s.opened_at) == ("amy", 10000, T0)
    assert mine.current() == s and mine.get(s.shift_id) == s and mine.get(999) is None
    with pytest.raises(ConflictError):
        mine.open("bob", Fen(0))
    other = theirs.open("bob", Fen(0))                  # another till: its own shift
    with pytest.raises(ConflictError):
        theirs.close(s.shift_id, "bob", Fen(0))           # not that till's shift
    clock.advance(hours=8)
    closed = mine.close(s.shift_id, "amy", Fen(12345))
    assert (closed.closed_by, closed.counted_cash, closed.closed_at) == (
        "amy", 12345, T0 + timedelta(hours=8))
    assert mine.current() is None and theirs.current() == other
    with pytest.raises(ConflictError):
        mine.close(s.shift_id, "amy", Fen(0))             # already closed
    oid = OrderRepository(db, clock, till_id="02").create(_cart(), cashier="bob")
    assert [o.id for o in OrderRepository(db, clock).for_shift(other.shift_id)] == [oid]


def test_refunds_leave_an_unsettled_orders_status_alone(db: Database) -> None:
    clock = ManualClock(T0)
    orders = OrderRepository(db, clock)
    oid = orders.create(_cart(1000), cashier="amy")
    refunds = RefundRepository(db, clock)
    refunds.add(oid, lambda _: [_intent(oid, 0, "RF1", 1000)])
    assert orders.get(oid).status is OrderStatus.OPEN  # type: ignore[union-attr]


def test_set_status_records_the_paying_attempt(db: Database) -> None:
    clock = ManualClock(T0)
    orders = OrderRepository(db, clock)
    attempts = PaymentAttemptRepository(db, clock)
    oid = orders.create(_cart(1000), cashier="amy")
    with db.transaction() as conn:
        aid = attempts.insert(conn, order_id=oid, method=PaymentMethod.CASH, out_trade_no="C1",
                              amount=Fen(1000), state=AttemptState.PAID)
        orders.set_status(conn, oid, OrderStatus.PAID, paid_attempt_id=aid)
    order = orders.get(oid)
    assert order is not None and order.status is OrderStatus.PAID and order.paid_attempt_id == aid


def test_recent_attempts_default_to_fifty(db: Database) -> None:
    clock = ManualClock(T0)
    attempts = PaymentAttemptRepository(db, clock)
    oid = OrderRepository(db, clock).create(_cart(), cashier="amy")
    with db.transaction() as conn:
        ids = [attempts.insert(conn, order_id=oid, method=PaymentMethod.NATIVE,
                               out_trade_no=f"P{i}", amount=Fen(500)) for i in range(51)]
    assert [a.id for a in attempts.recent()] == ids[:0:-1]


def test_an_order_recovered_from_the_bill_is_open_and_dated_as_the_bill(db: Database) -> None:
    """Reconciliation's order for a payment found only at the channel: this till's, open
    (the attempt the caller adds pays it), the total as the bill says, at the bill's time."""
    clock = ManualClock(T0 + timedelta(days=1))
    orders = OrderRepository(db, clock, till_id="02")
    at = T0 - timedelta(hours=3)
    with db.transaction() as conn:
        oid = orders.insert_recovered(conn, Fen(1234), at)
    got = orders.get(oid)
    assert got is not None
    assert (got.id, got.till_id, got.cashier, got.status, got.subtotal, got.discount,
            got.total, got.paid_attempt_id, got.shift_id, got.created_at, got.updated_at) == (
        oid, "02", "reconcile", OrderStatus.OPEN, 1234, 0, 1234, None, None, at, at)
    with db.transaction() as conn:
        assert orders.insert_recovered(conn, Fen(1), at) == oid + 1


def test_a_refund_row_names_its_payments_channel_and_is_returned_as_stored(
        db: Database) -> None:
    clock = ManualClock(T0)
    oid, aid = _paid_order(db, clock)
    refunds = RefundRepository(db, clock)
    [rec] = refunds.add(oid, lambda _: [_intent(oid, aid, "RF1", 300)])
    assert (rec.attempt_id, rec.channel, rec.out_trade_no, rec.payment_total) == (
        aid, "wechat", "P1", 1000)
    with pytest.raises(IllegalTransitionError):      # born processing: never
        refunds.add(oid, lambda _: [_intent(oid, aid, "RF2", 100, state=RS.PROCESSING)])
    assert [r.out_refund_no for r in refunds.for_order(oid)] == ["RF1"]
    out = refunds.transition(rec.refund_id, RS.PENDING, message="x" * 300)
    assert out is not None and out.refund_id == rec.refund_id and out.message == "x" * 300
    assert refunds.events(rec.refund_id)[-1].note == "x" * 200     # the event keeps 200


def test_an_attempt_change_that_is_not_paid_books_nothing(db: Database) -> None:
    clock = ManualClock(T0)
    orders = OrderRepository(db, clock)
    attempts = PaymentAttemptRepository(db, clock)
    oid = orders.create(_cart(1000), cashier="amy")
    with db.transaction() as conn:
        aid = attempts.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY,
                              out_trade_no="A1", amount=Fen(1000), channel="alipay")
    expires = T0 + timedelta(minutes=2)
    got = attempts.transition(aid, AttemptState.UNCERTAIN, expires_at=expires,
                              last_error="timeout")
    assert (got.state, got.paid_at, got.expires_at, got.last_error, got.channel) == (
        AttemptState.UNCERTAIN, None, expires, "timeout", "alipay")
    assert orders.get(oid).status is OrderStatus.OPEN  # type: ignore[union-attr]
    attempts.transition(aid, AttemptState.CLOSED)
    with pytest.raises(IllegalTransitionError):
        attempts.transition(aid, AttemptState.PAID)    # closed is final: never booked
    assert orders.get(oid).status is OrderStatus.OPEN  # type: ignore[union-attr]
    assert attempts.paid_between(T0, T0 + timedelta(days=1)) == []


def test_recent_orders_are_this_tills_latest_fifty(db: Database) -> None:
    clock = ManualClock(T0)
    mine, other = OrderRepository(db, clock, till_id="01"), OrderRepository(db, clock, till_id="02")
    ids = [mine.create(_cart(100), cashier="amy") for _ in range(51)]
    theirs = other.create(_cart(100), cashier="bob")
    assert [o.id for o in mine.recent()] == ids[::-1][:50]
    assert [o.id for o in other.recent()] == [theirs]


def test_discounts_of_one_till_or_of_all(db: Database) -> None:
    clock = ManualClock(T0)
    a, _ = _paid_order(db, clock, 1000, till="01", otn="P1")
    b, _ = _paid_order(db, clock, 1000, till="02", otn="P2")
    repo = OrderRepository(db, clock)
    window = (T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert [d.order_id for d in repo.discounts_paid_between(*window, "01")] == [a]
    assert [d.order_id for d in repo.discounts_paid_between(*window, "02")] == [b]
    assert [d.order_id for d in repo.discounts_paid_between(*window)] == [a, b]


def test_a_status_change_without_an_attempt_keeps_the_paying_attempt(db: Database) -> None:
    clock = ManualClock(T0)
    oid, aid = _paid_order(db, clock)
    orders = OrderRepository(db, clock)
    with db.transaction() as conn:
        orders.set_status(conn, oid, OrderStatus.REFUNDED)
    got = orders.get(oid)
    assert got is not None and got.status is OrderStatus.REFUNDED and got.paid_attempt_id == aid


def test_the_approving_manager_of_a_z_is_stored(db: Database) -> None:
    clock = ManualClock(T0)
    shifts = ShiftRepository(db, clock)
    s = shifts.open("amy", Fen(0), T0)
    closed = shifts.close(s.shift_id, "amy", Fen(0), T0 + timedelta(hours=8), approved_by="boss")
    assert closed.approved_by == "boss" and shifts.get(s.shift_id).approved_by == "boss"  # type: ignore[union-attr]
