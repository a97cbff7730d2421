"""An order paid twice, on the real SQLite store: the order keeps its first payment, the
store lists it as over-paid, and its status follows the refunds with the over-payment
covered first (a refund of the double payment leaves the sale PAID)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.refund import NewRefund, RefundState
from pos_app.storage.db import Database
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository
from pos_app.storage.refunds import RefundRepository
from tests.helpers.clock import ManualClock

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
RS = RefundState


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "pos.sqlite3")


def _order(db: Database, clock: ManualClock, *amounts: int, total: int = 1000) -> tuple[int, list[int]]:
    """An order of ``total`` with one attempt per amount, each made PAID in turn (the
    second onwards: the storage's double payment)."""
    cart = Cart()
    cart.add(Product("A", "可乐", Fen(total)), 1)
    oid = OrderRepository(db, clock).create(cart, cashier="amy")
    attempts = PaymentAttemptRepository(db, clock)
    ids = []
    for n, amount in enumerate(amounts, start=1):
        with db.transaction() as conn:
            aid = attempts.insert(conn, order_id=oid, method=PaymentMethod.NATIVE,
                                  out_trade_no=f"P{oid}-{n}", amount=Fen(amount),
                                  channel="alipay" if n % 2 == 0 else "wechat")
        attempts.transition(aid, AttemptState.PAID, transaction_id=f"42{oid}{n}")
        ids.append(aid)
    return oid, ids


def _refund(oid: int, aid: int, no: str, amount: int) -> NewRefund:
    return NewRefund(order_id=oid, attempt_id=aid, method=PaymentMethod.NATIVE,
                     out_refund_no=no, out_trade_no="x", amount=Fen(amount),
                     payment_total=Fen(1000), reason="重复付款", requested_by="amy",
                     approved_by="boss", created_at=T0)


@pytest.mark.logs_errors          # storage logs the double payment as an ERROR
def test_an_order_paid_twice_is_listed_with_its_first_payment(db: Database) -> None:
    clock = ManualClock(T0)
    once, _ = _order(db, clock, 1000)
    split, _ = _order(db, clock, 400, 600)            # a split adds up: not over-paid
    twice, (first, second) = _order(db, clock, 1000, 1000)
    orders = OrderRepository(db, clock)
    [sale] = orders.overpaid_sales()
    assert sale.order_id == twice and sale.paid_attempt_id == first
    assert [p.attempt_id for p in sale.payments] == [first, second]
    assert [p.channel for p in sale.payments] == ["wechat", "alipay"]
    assert sale.over_payment == 1000
    assert orders.sale(once).over_payment == 0      # type: ignore[union-attr]
    assert orders.sale(split).over_payment == 0     # type: ignore[union-attr]
    # refunded or not, it stays listed (what is still owed is the service's business)
    RefundRepository(db, clock).add(twice, lambda _: [_refund(twice, second, "RF1", 1000)])
    assert [s.order_id for s in orders.overpaid_sales()] == [twice]


@pytest.mark.logs_errors
def test_refunds_first_cover_the_double_payment(db: Database) -> None:
    clock = ManualClock(T0)
    oid, (first, second) = _order(db, clock, 1000, 1000)
    orders, refunds = OrderRepository(db, clock), RefundRepository(db, clock)

    def status() -> OrderStatus:
        order = orders.get(oid)
        assert order is not None
        return order.status

    assert status() is OrderStatus.PAID
    [part] = refunds.add(oid, lambda _: [_refund(oid, second, "RF1", 400)])
    assert status() is OrderStatus.PAID                     # part of the double payment
    refunds.add(oid, lambda _: [_refund(oid, second, "RF2", 600)])
    assert status() is OrderStatus.PAID                     # all of it: still a sale
    refunds.add(oid, lambda _: [_refund(oid, first, "RF3", 1)])
    assert status() is OrderStatus.PARTIALLY_REFUNDED       # beyond it: the sale
    refunds.transition(part.refund_id, RS.CLOSED)           # nothing came of RF1 after all
    assert status() is OrderStatus.PAID                     # 600 + 1 of the 1000 over
    refunds.add(oid, lambda _: [_refund(oid, first, "RF4", 1399)])
    assert status() is OrderStatus.REFUNDED                 # 2000 taken of 2000 paid
    assert orders.get(oid).paid_attempt_id == first         # type: ignore[union-attr]


@pytest.mark.logs_errors
def test_a_refund_that_leaves_the_status_leaves_the_order_untouched(db: Database) -> None:
    """The order's ``updated_at`` is when it last changed (the hub's snapshot dates the
    order by it): a refund of the double payment, which leaves the sale PAID, does not
    touch it; one that changes the status stamps its time."""
    clock = ManualClock(T0)
    oid, (first, second) = _order(db, clock, 1000, 1000)
    orders, refunds = OrderRepository(db, clock), RefundRepository(db, clock)
    paid = orders.get(oid)
    assert paid is not None
    clock.advance(minutes=5)
    refunds.add(oid, lambda _: [_refund(oid, second, "RF1", 1000)])
    same = orders.get(oid)
    assert same is not None and same.status is OrderStatus.PAID
    assert same.updated_at == paid.updated_at
    clock.advance(minutes=5)
    refunds.add(oid, lambda _: [_refund(oid, first, "RF2", 1)])      # beyond it: the sale
    changed = orders.get(oid)
    assert changed is not None and changed.status is OrderStatus.PARTIALLY_REFUNDED
    assert changed.updated_at == clock.now() != paid.updated_at
