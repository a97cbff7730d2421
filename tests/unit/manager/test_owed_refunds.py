"""Refunds owed for an order paid twice (issue 16: the customer paid both QRs), on the
real SQLite store. The double payment is made the honest way: the till's pair of QRs
with fake channels behind the real adapter, both paid. The service lists what is owed;
``double_payment=True`` gives exactly that back to the extra payment, once (the guard
runs again inside the write transaction); the sale stays PAID; refunds after it refund
the sale as before."""

from __future__ import annotations

import dataclasses
import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.refund import OwedRefund, RefundState
from pos_app.domain.staff import Permission, Role
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import Approval, PinAuthenticator
from pos_app.manager.refunds import RefundError, RefundRequest, RefundService, refundable_for
from pos_app.manager.shop_store import ShopStore
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.storage.payments import PaymentAttemptRepository
from pos_app.wechatpay.models import RefundStatus
from tests.unit.payments.fakes import down
from tests.unit.payments.test_native_pair import Pair

from .helpers import (
    MANAGER_PIN,
    T0,
    Clock,
    FakeRefundGateway,
    all_refunds,
    cached_hash,
    order,
    refused,
    seeded_store,
)


@dataclass
class World:
    pair: Pair
    store: ShopStore
    refunds: dict[str, FakeRefundGateway]
    svc: RefundService

    def paid_twice(self, first: str = "wechat") -> tuple[int, int, int]:
        """A ¥3.00 sale whose WeChat and Alipay QRs were both paid (WeChat first, or
        Alipay first: the WeChat Pay query fails once and its close finds it paid)."""
        p = self.pair
        oid = p.order()

        def both(n: int) -> None:
            if n == 1:
                if first == "alipay":
                    p.wechat.faults["query"].append(down())
                p.wechat.pay(p.otn(wx))
                p.alipay.pay(p.otn(ali))
        p.on_poll = both
        wx, ali = p.till.pay_native_pair(oid)
        assert p.till.wait_idle(10)
        p.on_poll = lambda _n: None
        assert p.state(wx) is AttemptState.PAID and p.state(ali) is AttemptState.PAID
        sale = p.till.order(oid)
        assert sale is not None and sale.paid_attempt_id == (wx if first == "wechat" else ali)
        return oid, wx, ali

    def status(self, order_id: int) -> OrderStatus:
        found = self.pair.till.order(order_id)
        assert found is not None
        return found.status


def service(store: ShopStore, gateways: dict[str, FakeRefundGateway], clock: Clock,
            auth: PinAuthenticator | None = None) -> RefundService:
    counter = itertools.count(1)
    return RefundService(store, {k: WechatChannel(g, None) for k, g in gateways.items()},
                         auth or PinAuthenticator(store, clock=clock), clock=clock,
                         new_refund_no=lambda now: f"RFTEST{next(counter):04d}")


@pytest.fixture
def w(tmp_path: Path) -> Iterator[World]:
    pair = Pair(tmp_path)
    store = ShopStore(pair.db)
    store.add_user("boss", Role.MANAGER, cached_hash(MANAGER_PIN))
    gateways = {"wechat": FakeRefundGateway(), "alipay": FakeRefundGateway()}
    yield World(pair, store, gateways, service(store, gateways, pair.clock))
    pair.till.shutdown()
    pair.db.close()


def req(order_id: int, **kw: object) -> RefundRequest:
    base: dict[str, object] = dict(order_id=order_id, cashier="amy", manager="boss",
                                   manager_pin=MANAGER_PIN, reason="重复付款")
    base.update(kw)
    return RefundRequest(**base)  # type: ignore[arg-type]


@pytest.mark.logs_errors          # storage logs the double payment as an ERROR
def test_paid_twice_is_owed_refunded_once_and_the_sale_stays_paid(w: World) -> None:
    oid, wx, ali = w.paid_twice()
    assert w.svc.owed_refunds() == [OwedRefund(oid, str(oid), ali, "alipay", Fen(300))]
    summary = w.svc.refundable(oid)
    assert (summary.owed, summary.paid, summary.refundable) == (300, 600, 600)
    [rec] = w.svc.request_refund(req(oid, double_payment=True))
    assert (rec.attempt_id, rec.channel, rec.amount, rec.lines) == (ali, "alipay", 300, ())
    assert rec.state is RefundState.PROCESSING and rec.out_trade_no == w.pair.otn(ali)
    assert w.refunds["alipay"].sent == [rec.out_refund_no] and w.refunds["wechat"].sent == []
    assert w.status(oid) is OrderStatus.PAID                # the sale is still a sale
    assert w.svc.owed_refunds() == []                       # the banner goes
    entry = next(e for e in w.store.audit_entries() if e.action == "refund.requested")
    assert entry.detail["double_payment"] is True and entry.detail["lines"] == []
    # a second tap: refused, nothing stored or sent
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOTHING_OWED)):
        w.svc.request_refund(req(oid, double_payment=True))
    assert len(all_refunds(w.store)) == 1 and len(w.refunds["alipay"].sent) == 1
    # a refund of the sale after it behaves as today: back to the payment that paid it
    [part] = w.svc.request_refund(req(oid, amount=Fen(100)))
    assert part.attempt_id == wx and w.status(oid) is OrderStatus.PARTIALLY_REFUNDED
    [rest] = w.svc.request_refund(req(oid, full=True))
    assert (rest.attempt_id, rest.amount) == (wx, 200)
    assert w.status(oid) is OrderStatus.REFUNDED and w.svc.owed_refunds() == []
    assert sum(r.amount for r in all_refunds(w.store).values()) == 600


@pytest.mark.logs_errors
def test_an_owed_refund_that_came_to_nothing_is_owed_again(w: World) -> None:
    oid, _wx, ali = w.paid_twice()
    [rec] = w.svc.request_refund(req(oid, double_payment=True))
    assert w.svc.owed_refunds() == []                 # in flight counts (it may have left)
    w.refunds["alipay"].settle(rec.out_refund_no, RefundStatus.CLOSED)
    assert w.svc.refresh(rec.refund_id).state is RefundState.CLOSED
    assert w.svc.owed_refunds() == [OwedRefund(oid, str(oid), ali, "alipay", Fen(300))]
    [again] = w.svc.request_refund(req(oid, double_payment=True))
    assert again.amount == 300 and again.out_refund_no != rec.out_refund_no
    w.refunds["alipay"].settle(again.out_refund_no, RefundStatus.SUCCESS)
    assert w.svc.refresh(again.refund_id).state is RefundState.SUCCESS
    assert w.svc.owed_refunds() == [] and w.status(oid) is OrderStatus.PAID


@pytest.mark.logs_errors
def test_a_refund_before_it_covers_the_double_payment_first(w: World) -> None:
    oid, wx, ali = w.paid_twice()
    [first] = w.svc.request_refund(req(oid, amount=Fen(100)))
    assert first.attempt_id == wx and w.status(oid) is OrderStatus.PAID
    assert w.svc.owed_refunds() == [OwedRefund(oid, str(oid), ali, "alipay", Fen(200))]
    [rec] = w.svc.request_refund(req(oid, double_payment=True))
    assert (rec.attempt_id, rec.amount) == (ali, 200)
    assert w.status(oid) is OrderStatus.PAID and w.svc.owed_refunds() == []


@pytest.mark.logs_errors
def test_double_tap_is_refused_inside_the_write_transaction(w: World) -> None:
    """Two taps validated over the same (no) refunds: the guard inside the write
    transaction lets one through; the other is refused and writes nothing."""
    oid, _wx, ali = w.paid_twice()
    both_validated = threading.Barrier(2, timeout=10)

    class SlowApproval(PinAuthenticator):
        def authorize(self, name: str, pin: str, permission: Permission) -> Approval:
            approval = super().authorize(name, pin, permission)
            both_validated.wait()
            return approval

    svc = service(w.store, w.refunds, w.pair.clock, SlowApproval(w.store, clock=w.pair.clock))
    results: list[object] = []

    def tap() -> None:
        try:
            results.append(svc.request_refund(req(oid, double_payment=True)))
        except RefundError as exc:
            results.append(exc)

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    [refusal] = [r for r in results if isinstance(r, RefundError)]
    assert str(refusal).startswith(ManagerText.REFUND_NOTHING_OWED.value)
    assert [(r.attempt_id, r.amount) for r in all_refunds(w.store).values()] == [(ali, 300)]
    assert len(w.refunds["alipay"].sent) == 1 and w.status(oid) is OrderStatus.PAID


@pytest.mark.logs_errors
def test_the_mode_is_exclusive_and_needs_a_double_payment(w: World) -> None:
    oid, wx, _ali = w.paid_twice()
    for other in ({"full": True}, {"amount": Fen(300)}, {"lines": {1: 1}},
                  {"attempt_id": wx}):              # (not the extra payment)
        with pytest.raises(RefundError, match=refused(ManagerText.REFUND_CHOOSE_MODE)):
            w.svc.request_refund(req(oid, double_payment=True, **other))
    once = w.pair.order()
    w.pair.till.pay_cash(once, Fen(500))
    assert w.pair.till.wait_idle(10)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOTHING_OWED)):
        w.svc.request_refund(req(once, double_payment=True))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_REASON_REQUIRED)):
        w.svc.request_refund(req(oid, double_payment=True, reason=" "))
    assert all_refunds(w.store) == {} and w.svc.owed_refunds()[0].order_id == oid


def _pay_again(store: ShopStore, order_id: int, n: int) -> int:
    """Another PAID attempt for a paid order (what settle_paid puts on record)."""
    attempts = PaymentAttemptRepository(store.db, Clock(T0))
    with store.db.transaction() as conn:
        aid = attempts.insert(conn, order_id=order_id, method=PaymentMethod.NATIVE,
                              out_trade_no=f"T{order_id:06d}-{n}", amount=Fen(300),
                              channel="alipay")
    attempts.transition(aid, AttemptState.PAID, transaction_id=f"2026{order_id}{n}")
    return aid


@pytest.mark.logs_errors
def test_an_extra_payment_that_cannot_carry_the_owed_amount_is_refused() -> None:
    """Paid three times: ¥6.00 owed, each extra payment ¥3.00 — refused with a clear
    message (give it back by amount); nothing stored."""
    store = seeded_store()
    gateways = {"wechat": FakeRefundGateway(), "alipay": FakeRefundGateway()}
    svc = service(store, gateways, Clock(T0))
    order(store, 1, PaymentMethod.NATIVE, 300)
    extras = [_pay_again(store, 1, 2), _pay_again(store, 1, 3)]
    [owed] = svc.owed_refunds()
    assert owed.amount == 600 and owed.attempt_id in extras and owed.channel == "alipay"
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_OWED_EXCEEDS_PAYMENT)) \
            as caught:
        svc.request_refund(req(1, double_payment=True))
    assert dict(caught.value.message.params) == {"left_fen": 300, "owed_fen": 600}
    assert all_refunds(store) == {}
    svc.request_refund(req(1, amount=Fen(300), attempt_id=extras[0]))   # one by amount …
    assert svc.owed_refunds() == [OwedRefund(1, "1", extras[1], "alipay", Fen(300))]
    [rec] = svc.request_refund(req(1, double_payment=True))             # … then it fits
    assert (rec.attempt_id, rec.amount) == (extras[1], 300)
    assert svc.owed_refunds() == []
    sale = store.get_order(1)
    assert sale is not None and store.find_order("1") == sale


@pytest.mark.logs_errors
def test_what_is_owed_goes_back_to_the_extra_payment_even_when_the_first_has_more_left(
        w: World) -> None:
    oid, wx, ali = w.paid_twice()
    [part] = w.svc.request_refund(req(oid, amount=Fen(100), attempt_id=ali))
    assert part.attempt_id == ali and w.status(oid) is OrderStatus.PAID
    assert w.svc.owed_refunds() == [OwedRefund(oid, str(oid), ali, "alipay", Fen(200))]
    [rec] = w.svc.request_refund(req(oid, double_payment=True))
    assert (rec.attempt_id, rec.amount) == (ali, 200)          # not the ¥3.00 left on wx
    assert w.svc.refundable(oid).payments[0].payment.attempt_id == wx
    assert w.status(oid) is OrderStatus.PAID and w.svc.owed_refunds() == []


@pytest.mark.logs_errors
def test_alipay_paid_first_what_is_owed_goes_back_to_wechat_pay(w: World) -> None:
    """The sale was settled by the later attempt (Alipay's): the extra payment is the
    WeChat Pay one, though its attempt id comes first."""
    oid, wx, ali = w.paid_twice(first="alipay")
    assert wx < ali
    assert w.svc.owed_refunds() == [OwedRefund(oid, str(oid), wx, "wechat", Fen(300))]
    [rec] = w.svc.request_refund(req(oid, double_payment=True))
    assert (rec.attempt_id, rec.channel, rec.amount) == (wx, "wechat", 300)
    assert w.refunds["wechat"].sent == [rec.out_refund_no] and w.refunds["alipay"].sent == []
    assert w.status(oid) is OrderStatus.PAID and w.svc.owed_refunds() == []


@pytest.mark.logs_errors
def test_one_fen_still_owed_is_listed_and_given_back(w: World) -> None:
    oid, _wx, ali = w.paid_twice()
    w.svc.request_refund(req(oid, amount=Fen(299), attempt_id=ali))
    assert w.svc.owed_refunds() == [OwedRefund(oid, str(oid), ali, "alipay", Fen(1))]
    assert w.svc.refundable(oid).owed == 1
    [rec] = w.svc.request_refund(req(oid, double_payment=True))
    assert (rec.attempt_id, rec.amount) == (ali, 1)
    assert w.svc.owed_refunds() == [] and w.status(oid) is OrderStatus.PAID
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOTHING_OWED)):
        w.svc.request_refund(req(oid, double_payment=True))


@pytest.mark.logs_errors
def test_an_order_settled_by_an_unknown_attempt_owes_back_to_its_later_payment(
        w: World) -> None:
    """No settling attempt on record (``paid_attempt_id`` NULL): the first payment is taken
    as the sale's, the extra is a later one — even when the first has more left."""
    oid, wx, ali = w.paid_twice()
    w.svc.request_refund(req(oid, amount=Fen(100), attempt_id=ali))
    known = w.svc.refundable(oid)
    unknown = refundable_for(dataclasses.replace(known.order, paid_attempt_id=None),
                             known.refunds)
    assert [p.payment.attempt_id for p in unknown.payments] == [wx, ali]
    assert [p.refundable for p in unknown.payments] == [300, 200]
    extra = unknown.extra_payment
    assert extra is not None and extra.payment.attempt_id == ali and unknown.owed == 200


@pytest.mark.logs_errors
def test_an_owed_refund_past_the_channels_deadline_is_refused(w: World) -> None:
    """The extra payment is checked as any refund's payment: Alipay takes refunds for
    three months; after that the owed refund is refused and nothing is stored or sent."""
    oid, _wx, ali = w.paid_twice()
    w.pair.clock.advance(days=100)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_TOO_OLD_ALIPAY)):
        w.svc.request_refund(req(oid, double_payment=True))
    assert all_refunds(w.store) == {} and w.refunds["alipay"].sent == []
    assert [o.attempt_id for o in w.svc.owed_refunds()] == [ali]      # still owed
