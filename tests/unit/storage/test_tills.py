"""Two tills on one SQLite file: each recovers, cancels, sells into and reports on its own
shift and attempts only — never another till's in-flight payment."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.manager.services import build_manager_services
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.till import PaymentRefused, TillService
from pos_app.storage.db import Database
from tests.helpers.clock import InstantWaiter, ManualClock
from tests.unit.payments.fakes import FakeGateway


class HeldWaiter:
    """Blocks the payment lane's first wait until released: the payment stays in flight."""

    def __init__(self) -> None:
        self.waiting = threading.Event()
        self.release = threading.Event()

    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        self.waiting.set()
        self.release.wait(10)
        return True          # then the cashier "cancels": the attempt closes


def _cart() -> Cart:
    cart = Cart()
    cart.add(Product("COKE", "可口可乐 330ml", Fen(300), "6901234567011"), 2)
    return cart


@pytest.fixture
def two_tills(tmp_path: Path) -> Iterator[tuple[TillService, TillService, FakeGateway,
                                                HeldWaiter]]:
    clock = ManualClock()
    gw = FakeGateway(clock)
    held = HeldWaiter()
    a = TillService(Database(tmp_path / "shop.sqlite3"), WechatChannel(gw, None), till_id="A1",
                    clock=clock, waiter=held)
    b = TillService(Database(tmp_path / "shop.sqlite3"), WechatChannel(gw, None), till_id="B2",
                    clock=clock,
                    waiter=InstantWaiter(clock))
    a.recover()
    yield a, b, gw, held
    held.release.set()
    for till in (a, b):
        till.shutdown()
        till.db.close()


def test_second_till_never_recovers_or_cancels_the_firsts_payment(two_tills) -> None:  # type: ignore[no-untyped-def]
    a, b, gw, held = two_tills
    order = a.create_order(_cart(), cashier="amy")
    attempt = a.pay_native(order)
    assert held.waiting.wait(10)                       # till A's QR is up, customer scanning
    otn = a.attempt(attempt).out_trade_no  # type: ignore[union-attr]
    events = b.recover()                               # till B starts on the same database
    b.cancel(attempt)
    assert b.wait_idle(10)
    assert events == [] and b.unfinished_attempts() == []
    assert [c for c in gw.calls if c[1] == otn] == [("native_prepay", otn)]
    assert a.attempt(attempt).state is AttemptState.AWAITING_CUSTOMER  # type: ignore[union-attr]
    assert [x.id for x in a.unfinished_attempts()] == [attempt]
    with pytest.raises(PaymentRefused):                # B cannot take A's order either
        b.pay_cash(order, Fen(1000))
    held.release.set()                                 # A's own lane finishes it
    assert a.wait_idle(10)
    assert a.attempt(attempt).state is AttemptState.CLOSED  # type: ignore[union-attr]


def test_shifts_and_sales_belong_to_their_till(two_tills) -> None:  # type: ignore[no-untyped-def]
    a, b, _gw, _held = two_tills
    b.recover()
    ma = build_manager_services(a.db, None, till_id="A1", clock=a.clock)
    mb = build_manager_services(b.db, None, till_id="B2", clock=b.clock)
    shift_a = ma.shifts.open("amy", Fen(1000))
    assert mb.shifts.current() is None                 # A's open shift is not B's
    shift_b = mb.shifts.open("bob", Fen(2000))
    sold_a = a.create_order(_cart(), cashier="amy")
    sold_b = b.create_order(_cart(), cashier="bob")
    a.pay_cash(sold_a, Fen(600))
    b.pay_cash(sold_b, Fen(1000))
    assert a.wait_idle(10) and b.wait_idle(10)
    assert a.order(sold_a).shift_id == shift_a.shift_id  # type: ignore[union-attr]
    assert b.order(sold_b).shift_id == shift_b.shift_id  # type: ignore[union-attr]
    assert a.order(sold_a).till_id == "A1"  # type: ignore[union-attr]
    xa, xb = ma.shifts.x_report("amy"), mb.shifts.x_report("bob")
    assert xa.total_sales.amount == 600 and xb.total_sales.amount == 600
    assert xa.expected_cash == 1600 and xb.expected_cash == 2600


def test_unfinished_refunds_are_resumed_by_their_own_till(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from pos_app.domain.payment import PaymentMethod
    from pos_app.domain.refund import NewRefund
    from pos_app.storage.orders import OrderRepository
    from pos_app.storage.refunds import RefundRepository

    db = Database(tmp_path / "shop.sqlite3")
    oid = OrderRepository(db, till_id="A1").create(_cart(), cashier="amy")
    new = NewRefund(order_id=oid, attempt_id=0, method=PaymentMethod.NATIVE,
                    out_refund_no="RF1", out_trade_no="", amount=Fen(100),
                    payment_total=Fen(600), reason="x", requested_by="amy",
                    approved_by="boss", created_at=datetime.now(UTC))
    RefundRepository(db, till_id="A1").add(oid, lambda existing: [new])
    assert [r.out_refund_no for r in RefundRepository(db, till_id="A1").unfinished()] == ["RF1"]
    assert RefundRepository(db, till_id="B2").unfinished() == []
    db.close()


@pytest.mark.logs_errors
def test_payment_intent_recheck_inside_the_write_transaction(tmp_path: Path) -> None:
    """Two connections (two TillService objects of one till, two threads) pass the
    pre-checks for the same order at the same moment: the re-check inside the write
    transaction lets exactly one payment intent through."""
    clock = ManualClock()
    gw = FakeGateway(clock)
    tills = [TillService(Database(tmp_path / "shop.sqlite3"), gw, till_id="A1", clock=clock,
                         waiter=InstantWaiter(clock)) for _ in range(2)]
    for t in tills:
        t.recover()
    order = tills[0].create_order(_cart(), cashier="amy")
    both_checked = threading.Barrier(2, timeout=10)
    for t in tills:
        checked = t._payable

        def payable(order_id: int, *, wechat: bool, _checked=checked):  # type: ignore[no-untyped-def]
            found = _checked(order_id, wechat=wechat)
            both_checked.wait()
            return found

        t._payable = payable  # type: ignore[method-assign]
    results: list[object] = []

    def pay(t: TillService) -> None:
        try:
            results.append(t.pay_native(order))
        except PaymentRefused as exc:
            results.append(exc)

    threads = [threading.Thread(target=pay, args=(t,)) for t in tills]
    for th in threads:
        th.start()
    for th in threads:
        th.join(20)
    try:
        assert sorted(type(r).__name__ for r in results) == ["PaymentRefused", "int"]
        assert len(tills[0].attempts_for_order(order)) == 1
    finally:
        for t in tills:
            t.shutdown()
            t.db.close()
