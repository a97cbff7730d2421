"""Both channels' QRs for one order (issue 16), on the real SQLite store with a fake
WeChat Pay and a fake second channel behind the real adapter: both intents committed
before any network call; the first PAID wins and the other QR is closed (confirmed);
both paid is a double payment — one sale, the second payment recorded, audited and
announced (a refund is owed); a crash with both QRs open leaves both to recovery, which
resolves both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.messages import PaymentText
from pos_app.payments.till import PaymentRefused, TillService
from pos_app.storage.db import Database
from tests.helpers.clock import InstantWaiter, ManualClock
from tests.unit.payments.fakes import FakeGateway

S = AttemptState


class Crash(BaseException):
    """The process dies here (nothing below the lane catches it)."""


class Pair:
    def __init__(self, tmp: Path) -> None:
        self.clock = ManualClock()
        self.waiter = InstantWaiter(self.clock)
        self.wechat = FakeGateway(self.clock)
        self.alipay = FakeGateway(self.clock)
        self.db = Database(tmp / "t.sqlite3")
        self.events: list[PaymentEvent] = []
        self.on_poll: Callable[[int], None] = lambda _n: None
        self.polls = 0
        self.till = self.make_till()

    def make_till(self) -> TillService:
        till = TillService(self.db, {"wechat": WechatChannel(self.wechat, None),
                                     "alipay": WechatChannel(self.alipay, None)},
                           clock=self.clock, waiter=self.waiter, fault_hook=self._hook)
        till.subscribe(self.events.append)
        till.recover()
        return till

    def _hook(self, name: str) -> None:
        if name == "polling":
            self.polls += 1
            self.on_poll(self.polls)

    def order(self) -> int:
        cart = Cart()
        cart.add(Product("COKE", "可口可乐 330ml", Fen(300), "6901234567011"))
        return self.till.create_order(cart, cashier="alice")

    def otn(self, attempt_id: int) -> str:
        a = self.till.attempt(attempt_id)
        assert a is not None
        return a.out_trade_no

    def state(self, attempt_id: int) -> AttemptState:
        a = self.till.attempt(attempt_id)
        assert a is not None
        return a.state

    def audit(self, what: str) -> int:
        return int(self.db.connection().execute(
            "SELECT COUNT(*) FROM audit_log WHERE what = ?", (what,)).fetchone()[0])


@pytest.fixture
def p(tmp_path: Path) -> Iterator[Pair]:
    pair = Pair(tmp_path)
    yield pair
    pair.till.shutdown()
    pair.db.close()


def test_intents_first_then_one_pays_and_the_other_is_closed(p: Pair) -> None:
    oid = p.order()
    seen: list[tuple[int, ...]] = []

    def pay_wechat(n: int) -> None:
        if n == 1:
            # both intents were committed before the first network call
            seen.append(tuple(len(g.calls) for g in (p.wechat, p.alipay)))
            p.alipay.pay(p.otn(ali))      # the customer scans the Alipay QR and pays
    p.on_poll = pay_wechat
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert p.state(ali) is S.PAID and p.state(wx) is S.CLOSED
    assert seen == [(1, 1)]                     # one prepay each, then polling
    assert p.wechat.count("close") == 1 and p.alipay.count("close") == 0
    order = p.till.order(oid)
    assert order is not None and order.status is OrderStatus.PAID
    assert order.paid_attempt_id == ali
    closed = [e for e in p.events if e.attempt_id == wx and e.state is S.CLOSED]
    assert closed and closed[-1].message is not None
    assert closed[-1].message.key is PaymentText.CLOSED_OTHER_CHANNEL
    assert not any(e.double_paid for e in p.events) and p.audit("double_payment") == 0
    # both QRs had their codes out at the same time
    codes = {e.attempt_id: e.code_url for e in p.events if e.state is S.AWAITING_CUSTOMER}
    assert set(codes) == {wx, ali} and all(codes.values())


@pytest.mark.logs_errors   # storage logs the double payment as an ERROR
def test_both_paid_is_one_sale_and_a_flagged_refund(p: Pair) -> None:
    oid = p.order()

    def both(n: int) -> None:
        if n == 1:                                # the customer paid both QRs
            p.wechat.pay(p.otn(wx))
            p.alipay.pay(p.otn(ali))
    p.on_poll = both
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert p.state(wx) is S.PAID and p.state(ali) is S.PAID
    order = p.till.order(oid)
    assert order is not None and order.paid_attempt_id == wx     # one sale: the first
    assert p.audit("double_payment") == 1                       # on record
    [twice] = [e for e in p.events if e.double_paid]            # announced once
    assert twice.attempt_id == ali and twice.state is S.PAID and twice.paid_late
    assert twice.message is not None and twice.message.key is PaymentText.PAID_TWICE
    first = [e for e in p.events if e.attempt_id == wx and e.state is S.PAID]
    assert first and not first[-1].double_paid


def test_cashier_cancel_closes_both(p: Pair) -> None:
    oid = p.order()
    p.on_poll = lambda n: p.till.cancel(ali) if n == 1 else None   # either one
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert p.state(wx) is S.CLOSED and p.state(ali) is S.CLOSED
    for aid in (wx, ali):                       # closed by the cancel, not by expiry
        [closed] = [e for e in p.events if e.attempt_id == aid and e.state is S.CLOSED]
        assert closed.message is not None
        assert closed.message.key is PaymentText.CLOSED_CANCELLED
    assert p.polls == 1
    order = p.till.order(oid)
    assert order is not None and order.status is OrderStatus.OPEN


def test_a_second_pair_or_qr_is_refused_while_one_is_open(p: Pair) -> None:
    oid = p.order()
    hold: list[int] = []

    def second_try(n: int) -> None:
        if n == 1:
            for start in (lambda: p.till.pay_native_pair(oid),
                          lambda: p.till.pay_native(oid, "alipay")):
                try:
                    start()
                except PaymentRefused:
                    hold.append(1)
            p.wechat.pay(p.otn(wx))
    p.on_poll = second_try
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert hold == [1, 1] and p.state(wx) is S.PAID and p.state(ali) is S.CLOSED


def test_one_channel_alone_refuses_the_pair(tmp_path: Path) -> None:
    clock = ManualClock()
    db = Database(tmp_path / "one.sqlite3")
    till = TillService(db, WechatChannel(FakeGateway(clock), None), clock=clock,
                       waiter=InstantWaiter(clock))
    till.recover()
    cart = Cart()
    cart.add(Product("COKE", "可乐", Fen(300)))
    oid = till.create_order(cart, cashier="alice")
    with pytest.raises(PaymentRefused):
        till.pay_native_pair(oid)
    assert till.attempts_for_order(oid) == []
    till.shutdown()
    db.close()


@pytest.mark.logs_errors   # the lane logs the crashed job; storage the double payment
@pytest.mark.parametrize("paid", [(), ("alipay",), ("wechat", "alipay")])
def test_crash_with_both_open_recovery_resolves_both(p: Pair, paid: tuple[str, ...]) -> None:
    oid = p.order()

    def crash(n: int) -> None:
        if n == 1:
            raise Crash()
    p.on_poll = crash
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert p.state(wx) is S.AWAITING_CUSTOMER and p.state(ali) is S.AWAITING_CUSTOMER
    p.till.shutdown()
    for name in paid:                             # paid while the till was down
        gw = p.wechat if name == "wechat" else p.alipay
        gw.pay(p.otn(wx if name == "wechat" else ali))
    p.on_poll = lambda _n: None
    p.events.clear()
    p.till = p.make_till()                        # restart: recovery
    assert p.till.wait_idle(10)
    want = {"wechat": S.PAID if "wechat" in paid else S.CLOSED,
            "alipay": S.PAID if "alipay" in paid else S.CLOSED}
    assert (p.state(wx), p.state(ali)) == (want["wechat"], want["alipay"])
    order = p.till.order(oid)
    assert order is not None
    assert (order.status is OrderStatus.PAID) == bool(paid)
    assert p.audit("double_payment") == (1 if len(paid) == 2 else 0)
    assert sum(e.double_paid for e in p.events) == (1 if len(paid) == 2 else 0)
