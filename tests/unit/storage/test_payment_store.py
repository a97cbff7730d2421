"""The payment attempts repository on its own (issue 17): the storage tests alone must
notice a wrong query — e.g. a lookup by out_trade_no that finds nothing would make
reconciliation book an already-booked sale a second time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.storage.catalog import demo_products
from pos_app.storage.db import Database
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository
from tests.helpers.clock import ManualClock

S = AttemptState
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "pos.sqlite3")


def _order(db: Database, clock: ManualClock, till: str = "01") -> int:
    cart = Cart()
    cart.add(demo_products()[0], 2)
    return OrderRepository(db, clock, till_id=till).create(cart, cashier="amy")


def _attempt(db: Database, repo: PaymentAttemptRepository, oid: int, otn: str,
             state: AttemptState = S.CREATED, amount: int = 600,
             method: PaymentMethod = PaymentMethod.NATIVE) -> int:
    with db.transaction() as conn:
        return repo.insert(conn, order_id=oid, method=method, out_trade_no=otn,
                           amount=Fen(amount), state=state)


def test_lookup_by_out_trade_no_is_exact(db: Database) -> None:
    clock = ManualClock(T0)
    repo = PaymentAttemptRepository(db, clock)
    oid = _order(db, clock)
    first = _attempt(db, repo, oid, "P20261122100000010001")
    second = _attempt(db, repo, oid, "P20261122100000010002", state=S.PAID)
    found = repo.by_out_trade_no("P20261122100000010002")
    assert found is not None
    assert (found.id, found.order_id, found.state, found.amount) == (second, oid, S.PAID, 600)
    assert found.out_trade_no == "P20261122100000010002"
    one = repo.by_out_trade_no("P20261122100000010001")
    assert one is not None and one.id == first and one.state is S.CREATED
    # compared exactly: no prefix, no case folding, no trimming, nothing unknown
    for other in ("P2026112210000001000", "p20261122100000010002",
                  " P20261122100000010002", "P20261122100000010003", ""):
        assert repo.by_out_trade_no(other) is None


def test_paid_transition_books_the_payment_and_settles_the_order(db: Database) -> None:
    clock = ManualClock(T0)
    repo = PaymentAttemptRepository(db, clock)
    orders = OrderRepository(db, clock)
    oid = _order(db, clock)
    aid = _attempt(db, repo, oid, "P1")
    clock.advance(30)
    rec = repo.transition(aid, S.PAID, note="paid", transaction_id="4200001")
    assert rec.state is S.PAID and rec.transaction_id == "4200001"
    order = orders.get(oid)
    assert order is not None and order.status is OrderStatus.PAID
    assert order.paid_attempt_id == aid
    [paid] = repo.paid_between(T0, T0 + timedelta(minutes=1))
    assert (paid.attempt_id, paid.order_id, paid.amount) == (aid, oid, 600)
    assert paid.paid_at == T0 + timedelta(seconds=30)
    assert [e.note for e in repo.events(aid)] == ["intent", "paid"]


def test_paid_at_can_be_given_for_a_repair(db: Database) -> None:
    clock = ManualClock(T0 + timedelta(days=1))
    repo = PaymentAttemptRepository(db, clock)
    oid = _order(db, clock)
    aid = _attempt(db, repo, oid, "P1", state=S.UNCERTAIN)
    repo.transition(aid, S.PAID, paid_at=T0)
    assert [p.attempt_id for p in repo.paid_between(T0, T0 + timedelta(seconds=1))] == [aid]
    assert repo.paid_between(T0 + timedelta(seconds=1), T0 + timedelta(days=2)) == []


def test_paid_between_is_half_open_and_per_till(db: Database) -> None:
    clock = ManualClock(T0)
    mine = PaymentAttemptRepository(db, clock, till_id="01")
    theirs = PaymentAttemptRepository(db, clock, till_id="02")
    a = _attempt(db, mine, _order(db, clock), "P1", state=S.PAID)
    clock.advance(60)
    b = _attempt(db, theirs, _order(db, clock, "02"), "P2", state=S.PAID)
    _attempt(db, mine, _order(db, clock), "P3", state=S.CLOSED)
    end = T0 + timedelta(seconds=60)
    assert [p.attempt_id for p in mine.paid_between(T0, end)] == [a]          # end excluded
    assert [p.attempt_id for p in mine.paid_between(T0, end + timedelta(seconds=1))] == [a, b]
    assert [p.attempt_id for p in mine.paid_between(T0, end + timedelta(1), "02")] == [b]
    assert [p.attempt_id for p in mine.paid_between(T0, end + timedelta(1), "01")] == [a]
    assert mine.paid_between(T0 + timedelta(microseconds=1), end) == []      # start included


def test_unfinished_and_unresolved_counts(db: Database) -> None:
    clock = ManualClock(T0)
    mine = PaymentAttemptRepository(db, clock, till_id="01")
    theirs = PaymentAttemptRepository(db, clock, till_id="02")
    oid = _order(db, clock)
    ids = {state: _attempt(db, mine, oid, f"P{state.value}", state=state) for state in S}
    other = _attempt(db, theirs, _order(db, clock, "02"), "Q1", state=S.UNCERTAIN)
    open_states = [S.CREATED, S.AWAITING_CUSTOMER, S.UNCERTAIN]
    assert [a.id for a in mine.unfinished()] == [ids[s] for s in open_states]
    assert [a.id for a in theirs.unfinished()] == [other]
    assert mine.unresolved_count("01") == 3 and mine.unresolved_count("02") == 1
    assert mine.unresolved_count() == 4
    with db.transaction() as conn:
        blocking = mine.open_for_order(conn, oid)
    assert [a.id for a in blocking] == sorted([ids[S.PAID], *(ids[s] for s in open_states)])


def test_note_keeps_state_and_records_error_and_message(db: Database) -> None:
    clock = ManualClock(T0)
    repo = PaymentAttemptRepository(db, clock)
    aid = _attempt(db, repo, _order(db, clock), "P1", state=S.AWAITING_CUSTOMER)
    clock.advance(5)
    repo.note(aid, "query USERPAYING")
    a = repo.get(aid)
    assert a is not None and a.last_error in (None, "") and a.updated_at == T0
    repo.note(aid, "query failed", last_error="timeout", message="payment.checking")
    a = repo.get(aid)
    assert a is not None and a.state is S.AWAITING_CUSTOMER
    assert (a.last_error, a.message) == ("timeout", "payment.checking")
    assert a.updated_at == T0 + timedelta(seconds=5)
    assert [(e.from_state, e.to_state) for e in repo.events(aid)][1:] == [
        (S.AWAITING_CUSTOMER, S.AWAITING_CUSTOMER)] * 2
    with pytest.raises(KeyError):
        repo.note(999, "x")
    with pytest.raises(KeyError):
        repo.transition(999, S.PAID)


def test_recent_and_next_sequence(db: Database) -> None:
    clock = ManualClock(T0)
    repo = PaymentAttemptRepository(db, clock, till_id="01")
    other = PaymentAttemptRepository(db, clock, till_id="02")
    oid = _order(db, clock)
    with db.transaction() as conn:
        assert repo.next_sequence(conn) == 1
    ids = [_attempt(db, repo, oid, f"P{i}") for i in range(3)]
    _attempt(db, other, _order(db, clock, "02"), "Q1")
    with db.transaction() as conn:
        assert repo.next_sequence(conn) == 5
    assert [a.id for a in repo.recent()] == ids[::-1]
    assert [a.id for a in repo.recent(limit=2)] == ids[:0:-1]
    assert [a.id for a in repo.for_order(oid)] == ids


def test_a_booked_payment_carries_what_the_customer_paid_and_what_is_settled(
        db: Database) -> None:
    """A WeChat payment of 1000 fen with a 150-fen coupon, 100 of it merchant-funded: the
    customer paid 850, the shop is settled 900; a payment without figures: its amount."""
    clock = ManualClock(T0)
    repo = PaymentAttemptRepository(db, clock)
    oid = _order(db, clock)
    coupon = _attempt(db, repo, oid, "P1", amount=1000)
    repo.transition(coupon, S.PAID, payer_total_fen=850, coupon_fen=150, merchant_coupon_fen=100)
    plain = _attempt(db, repo, _order(db, clock), "P2", amount=600)
    repo.transition(plain, S.PAID)
    booked = {p.attempt_id: p for p in repo.paid_between(T0, T0 + timedelta(seconds=1))}
    assert (booked[coupon].amount, booked[coupon].customer_paid, booked[coupon].settlement,
            booked[coupon].coupon, booked[coupon].merchant_coupon) == (1000, 850, 900, 150, 100)
    assert (booked[plain].customer_paid, booked[plain].settlement) == (600, 600)
    assert booked[plain].payer_total is None and booked[coupon].channel == "wechat"
