"""Both channels' QRs for one order (issue 16), on the real SQLite store with a fake
WeChat Pay and a fake second channel behind the real adapter: both intents committed
before any network call; the first PAID wins and the other QR is closed (confirmed);
both paid is a double payment — one sale, the second payment recorded, audited and
announced (a refund is owed); a crash with both QRs open leaves both to recovery, which
resolves both."""

from __future__ import annotations

import threading
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
from pos_app.payments.messages import PaymentText, from_stored
from pos_app.payments.policy import PollPolicy
from pos_app.payments.till import PaymentRefused, TillService
from pos_app.storage.db import Database
from pos_app.wechatpay.errors import ApiError
from pos_app.wechatpay.models import TradeState
from tests.helpers.clock import InstantWaiter, ManualClock
from tests.helpers.refused_write import refuse_transition_once
from tests.helpers.waiting import until
from tests.unit.payments.fakes import FakeGateway, down

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

    def make_till(self, policy: PollPolicy | None = None) -> TillService:
        till = TillService(self.db, {"wechat": WechatChannel(self.wechat, None),
                                     "alipay": WechatChannel(self.alipay, None)},
                           clock=self.clock, waiter=self.waiter, fault_hook=self._hook,
                           policy=policy, background_waiter=InstantWaiter(self.clock))
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
    stored = p.till.attempt(ali)                                # its own record says so
    assert stored is not None and '"payment.paid_twice"' in (stored.message or "")
    assert [e.note for e in p.till.attempt_events(ali)][-1] == "paid twice: a refund is owed"


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




def test_both_intents_are_announced_before_any_news_of_the_network(p: Pair) -> None:
    oid = p.order()
    p.on_poll = lambda n: p.alipay.pay(p.otn(ali)) if n == 1 else None
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert [(e.attempt_id, e.state) for e in p.events[:2]] == [(wx, S.CREATED),
                                                               (ali, S.CREATED)]
    assert p.state(ali) is S.PAID and p.state(wx) is S.CLOSED


def test_a_free_order_is_refused_the_pair(p: Pair) -> None:
    cart = Cart()
    cart.add(Product("GIFT", "赠品", Fen(300)), 1)
    cart.set_order_discount(Fen(300))
    oid = p.till.create_order(cart, cashier="alice")
    with pytest.raises(PaymentRefused) as exc:
        p.till.pay_native_pair(oid)
    assert exc.value.message.key is PaymentText.ZERO_AMOUNT
    assert p.till.attempts_for_order(oid) == [] and p.wechat.calls == p.alipay.calls == []


def test_racing_pairs_for_one_order_make_one_pair(
        p: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two presses at the same moment pass every check outside the write transaction:
    the re-check inside it lets one pair through and refuses the other (one charge)."""
    oid = p.order()
    barrier = threading.Barrier(2, timeout=10)
    checked = TillService._payable

    def payable_then_wait(self: TillService, order_id: int, *, wechat: bool):  # type: ignore[no-untyped-def]
        order = checked(self, order_id, wechat=wechat)
        barrier.wait()            # both have passed every check outside the transaction
        return order

    monkeypatch.setattr(TillService, "_payable", payable_then_wait)
    started: list[tuple[int, int]] = []
    refused: list[object] = []

    def press() -> None:
        try:
            started.append(p.till.pay_native_pair(oid))
        except PaymentRefused as exc:
            refused.append(exc.message.key)

    gate = threading.Event()      # hold the lane: the first pair stays in flight
    p.till.lane.submit(lambda: gate.wait(10))
    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    try:
        assert len(started) == 1 and refused == [PaymentText.ORDER_BUSY]
        assert sorted(a.id for a in p.till.attempts_for_order(oid)) == sorted(started[0])
    finally:
        gate.set()
        assert p.till.wait_idle(10)


@pytest.mark.logs_errors   # the lane logs the bug
def test_a_bug_in_the_pair_leaves_both_uncertain_and_a_cancel_resolves_them(p: Pair) -> None:
    oid = p.order()

    def bug(n: int) -> None:
        if n == 1:
            raise RuntimeError("a bug below the pair")
    p.on_poll = bug
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    for aid in (wx, ali):                 # never forgotten: uncertain, told, for a person
        a = p.till.attempt(aid)
        assert a is not None and a.state is S.UNCERTAIN
        stored = from_stored(a.message)
        assert stored is not None and stored.key is PaymentText.UNCERTAIN_INTERNAL
        assert [e.state for e in p.events if e.attempt_id == aid][-1] is S.UNCERTAIN
    p.on_poll = lambda _n: None
    for aid in (wx, ali):                 # the cashier's cancel resolves each again
        p.till.cancel(aid)
    assert until(lambda: p.state(wx) is S.CLOSED and p.state(ali) is S.CLOSED)
    assert p.wechat.count("close") >= 1 and p.alipay.count("close") >= 1


@pytest.mark.logs_errors   # the refused write is logged
def test_a_write_the_disk_refused_leaves_both_to_the_storage_retry(
        p: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    """The customer pays the Alipay QR and the disk refuses that PAID once: both
    attempts go to the till's storage retry, which saves the payment and closes the
    other QR — neither is left to a restart."""
    p.till.shutdown()
    p.till = p.make_till(PollPolicy(storage_retry_first=0.02, storage_retry_max=0.05))
    refused = refuse_transition_once(monkeypatch, p.till.attempts, S.PAID)
    oid = p.order()
    p.on_poll = lambda n: p.alipay.pay(p.otn(ali)) if n == 1 else None
    wx, ali = p.till.pay_native_pair(oid)
    assert until(lambda: p.state(ali) is S.PAID and p.state(wx) is S.CLOSED)
    assert refused == [S.PAID]
    order = p.till.order(oid)
    assert order is not None and order.paid_attempt_id == ali
    assert until(lambda: p.till.can_write)


@pytest.mark.logs_errors   # storage logs the double payment as an ERROR
def test_alipay_paid_first_and_the_wechat_close_finds_it_paid_too(p: Pair) -> None:
    """The WeChat Pay query fails while both are paid: Alipay wins; closing the WeChat
    QR answers "already paid" — a second payment, recorded and announced as one."""
    oid = p.order()

    def both(n: int) -> None:
        if n == 1:
            p.wechat.faults["query"].append(down())
            p.wechat.pay(p.otn(wx))
            p.alipay.pay(p.otn(ali))
    p.on_poll = both
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert p.state(wx) is S.PAID and p.state(ali) is S.PAID
    assert p.wechat.count("close") == 1 and p.alipay.count("close") == 0
    order = p.till.order(oid)
    assert order is not None and order.paid_attempt_id == ali
    assert p.audit("double_payment") == 1
    [twice] = [e for e in p.events if e.double_paid]
    assert twice.attempt_id == wx and twice.state is S.PAID and twice.paid_late
    assert twice.message is not None and twice.message.key is PaymentText.PAID_TWICE


def test_both_prepays_refused_end_both_failed_and_nothing_is_polled(p: Pair) -> None:
    oid = p.order()
    for gw in (p.wechat, p.alipay):
        gw.faults["native_prepay"].append(ApiError(400, "PARAM_ERROR", "参数错误"))
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert p.state(wx) is S.FAILED and p.state(ali) is S.FAILED
    assert p.polls == 0 and p.wechat.count("query") == p.alipay.count("query") == 0
    order = p.till.order(oid)
    assert order is not None and order.status is OrderStatus.OPEN


def test_the_pair_polls_on_the_native_schedule_from_its_start_until_time_expire(
        p: Pair) -> None:
    """The schedule counts from the pair's own start (not the till's), and the last poll
    is at time_expire itself, also when the QR's life does not end on a poll step (181 s):
    a payment in its last second is found."""
    p.till.shutdown()
    p.till = p.make_till(PollPolicy(native_ttl=181.0))
    p.clock.advance(hours=1)                      # the till has been up for an hour
    oid = p.order()
    t0 = p.clock.now()
    at: list[float] = []

    def poll(_n: int) -> None:
        at.append((p.clock.now() - t0).total_seconds())
        if at[-1] == 181.0:                       # the customer paid in the last second
            p.alipay.pay(p.otn(ali))
    p.on_poll = poll
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert at[:6] == [0.5, 1.0, 1.5, 2.0, 3.0, 4.0]
    assert at[-3:] == [178.0, 180.0, 181.0]
    assert p.state(ali) is S.PAID and p.state(wx) is S.CLOSED
    assert p.alipay.count("close") == 0


def test_a_qr_the_channel_closed_ends_closed_and_the_other_is_polled_on(p: Pair) -> None:
    """The Alipay QR is found closed (by the channel, not by this till): it ends closed
    with nothing more sent for it; the WeChat Pay QR is polled on and paid."""
    oid = p.order()

    def poll(n: int) -> None:
        if n == 1:
            p.alipay.orders[p.otn(ali)].state = TradeState.CLOSED
        if n == 3:
            p.wechat.pay(p.otn(wx))
    p.on_poll = poll
    wx, ali = p.till.pay_native_pair(oid)
    assert p.till.wait_idle(10)
    assert p.state(ali) is S.CLOSED and p.state(wx) is S.PAID
    assert p.polls == 3
    assert p.alipay.count("query") == 1 and p.alipay.count("close") == 0
    assert p.wechat.count("query") == 3 and p.wechat.count("close") == 0
    [closed] = [e for e in p.events if e.attempt_id == ali and e.state is S.CLOSED]
    assert closed.message is not None and closed.message.key is PaymentText.CLOSED_EXPIRED
    order = p.till.order(oid)
    assert order is not None and order.paid_attempt_id == wx


def test_a_close_not_confirmed_is_rechecked_in_the_background(p: Pair) -> None:
    """The cashier cancels the pair; Alipay's side cannot be reached for a while, so its
    close stays unconfirmed (uncertain) when the pair's job ends: the till re-checks it
    in the background until it is known — no cashier, no restart."""
    oid = p.order()
    p.alipay.faults["close"].extend(down() for _ in range(40))
    p.alipay.faults["query"].extend(down() for _ in range(40))

    def cancel(n: int) -> None:
        if n == 1:
            p.till.cancel(wx)
    p.on_poll = cancel
    wx, ali = p.till.pay_native_pair(oid)
    assert until(lambda: p.state(wx) is S.CLOSED)
    assert until(lambda: any(e.attempt_id == ali and e.state is S.UNCERTAIN
                             for e in p.events))            # not known when the job ended
    assert until(lambda: p.state(ali) is S.CLOSED)           # the background re-check
    assert not p.alipay.faults["query"] or not p.alipay.faults["close"]
