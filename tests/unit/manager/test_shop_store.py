"""The manager store over the till's SQLite database (no network)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, IllegalTransitionError, PaymentMethod
from pos_app.domain.refund import RefundState
from pos_app.domain.staff import Permission, Role
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.pins import Approval, PinAuthenticator
from pos_app.manager.refunds import RefundError, RefundRequest, RefundService
from pos_app.manager.shop_store import ShopStore
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.gateway import Paid
from pos_app.storage.db import Database
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository
from pos_app.storage.refunds import RefundRepository
from pos_app.storage.staff import UserRepository
from pos_app.wechatpay.models import RefundStatus

from .helpers import MANAGER_PIN, FakeRefundGateway, cached_hash, refused


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "t.sqlite3")
    UserRepository(database).add_user("boss", Role.MANAGER, cached_hash(MANAGER_PIN))
    yield database
    database.close()


def sale(db: Database, state: AttemptState = AttemptState.PAID,
         method: PaymentMethod = PaymentMethod.NATIVE, no: str = "P0001") -> int:
    cart = Cart()
    cart.add(Product("A", "可乐", Fen(300)), 3)
    cart.add(Product("B", "面包", Fen(550)), 1)
    order_id = OrderRepository(db).create(cart, cashier="amy")
    with db.transaction() as conn:
        PaymentAttemptRepository(db).insert(conn, order_id=order_id, method=method,
                                            out_trade_no=no, amount=Fen(1450), state=state)
        if state is AttemptState.PAID:
            OrderRepository(db).set_status(conn, order_id, OrderStatus.PAID)
    return order_id


def test_refund_lines_round_trip_and_order_status(db: Database) -> None:
    store = ShopStore(db)
    gw = FakeRefundGateway()
    svc = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store))
    oid = sale(db)
    order = store.find_order(str(oid))
    assert order is not None and order.total == 1450 and len(order.lines) == 2
    assert store.find_order("P0001") == order
    [rec] = svc.request_refund(RefundRequest(oid, "amy", "boss", MANAGER_PIN, "退货",
                                             lines={1: 2}))
    assert rec.lines == ((1, 2),) and rec.amount == 600 and rec.requested_by == "amy"
    assert rec.method is PaymentMethod.NATIVE and rec.payment_total == 1450
    assert rec.state is RefundState.PROCESSING
    assert OrderRepository(db).get(oid).status is OrderStatus.PARTIALLY_REFUNDED  # type: ignore[union-attr]
    assert svc.refundable(oid).lines[0].remaining_quantity == 1
    gw.settle(rec.out_refund_no, RefundStatus.CLOSED)
    assert svc.refresh(rec.refund_id).state is RefundState.CLOSED
    assert OrderRepository(db).get(oid).status is OrderStatus.PAID  # type: ignore[union-attr]
    assert db.connection().execute("SELECT state FROM refunds").fetchone()[0] == "closed"
    [full] = svc.request_refund(RefundRequest(oid, "amy", "boss", MANAGER_PIN, "退货", full=True))
    assert full.amount == 1450
    assert OrderRepository(db).get(oid).status is OrderStatus.REFUNDED  # type: ignore[union-attr]
    now = datetime.now(UTC)
    assert len(store.refunds_between(now - timedelta(minutes=1), now + timedelta(minutes=1))) == 2
    assert [r.refund_id for r in store.unfinished_refunds()] == [full.refund_id]
    assert len(store.paid_payments_between(now - timedelta(minutes=1),
                                           now + timedelta(minutes=1))) == 1


def test_missing_payment_repair(db: Database) -> None:
    store = ShopStore(db)
    uncertain = sale(db, AttemptState.UNCERTAIN, PaymentMethod.CODEPAY, "P0002")
    sale(db, AttemptState.CLOSED, PaymentMethod.NATIVE, "P0003")
    assert store.unresolved_attempt_count() == 1
    tx = Paid(out_trade_no="P0002", transaction_id="4200009", by_code=True,
              total=Fen(1450))
    pay = store.record_missing_payment(tx, datetime.now(UTC))
    assert pay.order_id == uncertain and pay.transaction_id == "4200009"
    assert OrderRepository(db).get(uncertain).status is OrderStatus.PAID  # type: ignore[union-attr]
    assert store.unresolved_attempt_count() == 0
    with pytest.raises(ManagerError, match=refused(ManagerText.RECONCILE_LOCAL_ATTEMPT_FINAL)):
        store.record_missing_payment(Paid(out_trade_no="P0003", total=Fen(1450)),
                                     datetime.now(UTC))
    new = store.record_missing_payment(
        Paid(out_trade_no="PX9", transaction_id="42X", by_code=False,
             total=Fen(777)), datetime.now(UTC))
    assert new.amount == 777 and store.find_order("42X") is not None


def test_repaired_payment_is_booked_at_the_given_paid_time(db: Database) -> None:
    """Review R3: ``at`` is when WeChat Pay took the money (success_time); a repair run the
    next day must not move the sale into the day (and shift) it was repaired in."""
    store = ShopStore(db)
    sale(db, AttemptState.UNCERTAIN, PaymentMethod.CODEPAY, "P0005")
    paid_at = datetime.now(UTC) - timedelta(days=1)
    tx = Paid(out_trade_no="P0005", transaction_id="4200010",
              by_code=True, total=Fen(1450))
    assert store.record_missing_payment(tx, paid_at).paid_at == paid_at
    new = store.record_missing_payment(
        Paid(out_trade_no="PX10", transaction_id="42Y", by_code=False,
             total=Fen(300)), paid_at)
    assert new.paid_at == paid_at
    day = store.paid_payments_between(paid_at - timedelta(seconds=1), paid_at + timedelta(seconds=1))
    assert {p.out_trade_no for p in day} == {"P0005", "PX10"}


def test_shift_round_trip(db: Database) -> None:
    store = ShopStore(db)
    at = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    shift = store.open_shift("amy", Fen(5000), at)
    with pytest.raises(ManagerError, match=refused(ManagerText.SHIFT_ALREADY_OPEN)):
        store.open_shift("amy", Fen(5000), at)
    assert store.current_shift() == shift and shift.opened_at == at
    closed = store.close_shift(shift.shift_id, "amy", Fen(5100), at + timedelta(hours=8))
    assert closed.counted_cash == 5100 and store.current_shift() is None


def test_abnormal_refund_counts_against_the_order(db: Database) -> None:
    """The live rule: an ABNORMAL refund left the merchant's account — it counts against
    what can still be refunded and in the order's status; CLOSED gives it back."""
    store = ShopStore(db)
    gw = FakeRefundGateway()
    svc = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store))
    oid = sale(db)
    [rec] = svc.request_refund(RefundRequest(oid, "amy", "boss", MANAGER_PIN, "退货",
                                             amount=Fen(1450)))
    gw.settle(rec.out_refund_no, RefundStatus.ABNORMAL)
    assert svc.refresh(rec.refund_id).state is RefundState.ABNORMAL
    assert RefundRepository(db).refunded_total(oid) == 1450
    assert OrderRepository(db).get(oid).status is OrderStatus.REFUNDED  # type: ignore[union-attr]
    assert svc.refundable(oid).refundable == 0
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOTHING_TO_REFUND)):
        svc.request_refund(RefundRequest(oid, "amy", "boss", MANAGER_PIN, "再退", full=True))


def test_refund_state_machine_and_append_only_events(db: Database) -> None:
    store = ShopStore(db)
    svc = RefundService(store, WechatChannel(FakeRefundGateway(), None), PinAuthenticator(store))
    oid = sale(db)
    [rec] = svc.request_refund(RefundRequest(oid, "amy", "boss", MANAGER_PIN, "退货",
                                             amount=Fen(100)))
    repo = RefundRepository(db)
    assert [(e.from_state, e.to_state) for e in repo.events(rec.refund_id)] == [
        (None, RefundState.PENDING), (RefundState.PENDING, RefundState.PROCESSING)]
    repo.transition(rec.refund_id, RefundState.SUCCESS)
    with pytest.raises(IllegalTransitionError):          # final: nothing moves it back
        repo.transition(rec.refund_id, RefundState.PENDING)
    assert repo.get(rec.refund_id).state is RefundState.SUCCESS  # type: ignore[union-attr]
    assert len(repo.events(rec.refund_id)) == 3
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.connection().execute("UPDATE refund_events SET note = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.connection().execute("DELETE FROM refund_events")


def test_double_tap_refund_race_two_connections(tmp_path: Path) -> None:
    """Two refund requests validated at the same moment on two connections (two threads,
    two Database objects on one file): the guard inside the write transaction lets one
    through; the other is refused and writes nothing."""
    path = tmp_path / "race.sqlite3"
    first = Database(path)
    UserRepository(first).add_user("boss", Role.MANAGER, cached_hash(MANAGER_PIN))
    oid = sale(first)
    both_validated = threading.Barrier(2, timeout=10)

    class SlowApproval(PinAuthenticator):
        def authorize(self, name: str, pin: str, permission: Permission) -> Approval:
            approval = super().authorize(name, pin, permission)
            both_validated.wait()        # both have planned over the same (empty) refunds
            return approval

    results: list[object] = []

    def tap(db: Database) -> None:
        store = ShopStore(db)
        svc = RefundService(store, WechatChannel(FakeRefundGateway(), None), SlowApproval(store))
        try:
            results.append(svc.request_refund(
                RefundRequest(oid, "amy", "boss", MANAGER_PIN, "双击", full=True)))
        except RefundError as exc:
            results.append(exc)
        finally:
            db.close()

    second = Database(path)
    threads = [threading.Thread(target=tap, args=(d,)) for d in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    refused = [r for r in results if isinstance(r, RefundError)]
    done = [r for r in results if isinstance(r, list)]
    assert len(refused) == 1 and len(done) == 1, results
    check = Database(path)
    try:
        assert [r.amount for r in RefundRepository(check).for_order(oid)] == [1450]
    finally:
        check.close()
