"""Refund limits and rules the mutation sampler found unguarded (issue 17), on the real
SQLite store: the 50-refunds cap per payment, the one-year window to the second,
allocation with all-zero weights, retries that must never reach the gateway."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.refund import NewRefund, RefundState
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.refunds import (
    MAX_REFUNDS_PER_PAYMENT,
    REFUND_WINDOW,
    RefundError,
    RefundService,
    allocate,
)
from pos_app.manager.shop_store import ShopStore
from pos_app.payments.channels.wechat import WechatChannel

from .helpers import (
    T0,
    Clock,
    FakeRefundGateway,
    _repos,
    all_refunds,
    order,
    refused,
    seeded_store,
)
from .test_refunds import make, req

NATIVE, CASH, CODE = PaymentMethod.NATIVE, PaymentMethod.CASH, PaymentMethod.CODEPAY
CAP = 50        # WeChat Pay: at most 50 partial refunds per payment (literal on purpose)
_SEQ = itertools.count()


def _second_wechat_payment(store: ShopStore, order_id: int, amount: int) -> int:
    """The double-payment case: the customer also paid the same order by payment code."""
    _, attempts = _repos(store, T0 + timedelta(minutes=1))
    with store.db.transaction() as conn:
        return attempts.insert(conn, order_id=order_id, method=CODE, amount=Fen(amount),
                               state=AttemptState.PAID, out_trade_no=f"T{order_id:06d}-2",
                               transaction_id=f"42001{order_id:08d}")


def _seed_refunds(store: ShopStore, order_id: int, attempt_id: int, count: int,
                  state: RefundState = RefundState.SUCCESS) -> None:
    """``count`` 1-fen refunds of one payment in ``state``, stored directly."""
    order_ = store.get_order(order_id)
    assert order_ is not None
    pay = next(p for p in order_.payments if p.attempt_id == attempt_id)
    for _ in range(count):
        store.add_refunds(order_id, lambda _existing: [NewRefund(
            order_id=order_id, attempt_id=attempt_id, method=pay.method,
            out_refund_no=f"RFSEED{attempt_id:03d}{next(_SEQ):05d}", out_trade_no=pay.out_trade_no,
            amount=Fen(1), payment_total=pay.amount, reason="seed", requested_by="amy",
            approved_by="boss", created_at=T0, state=state)])


def test_refund_cap_is_counted_per_payment_with_two_wechat_payments() -> None:
    store, gw, svc, _ = make()
    first = order(store, 1, NATIVE, 1000).payments[0].attempt_id
    second = _second_wechat_payment(store, 1, 1000)
    sale = store.get_order(1)
    assert sale is not None and {p.attempt_id for p in sale.payments} == {first, second}
    _seed_refunds(store, 1, first, CAP)
    counts = {p.payment.attempt_id: p.refund_count for p in svc.refundable(1).payments}
    assert counts == {first: CAP, second: 0}
    # the payment with 50 refunds takes no more …
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_TOO_MANY_REFUNDS)):
        svc.request_refund(req(1, amount=Fen(1), attempt_id=first))
    assert gw.sent == []
    # … the other one of the same order still can (the double payment owed back)
    [rec] = svc.request_refund(req(1, full=True, attempt_id=second))
    assert rec.attempt_id == second and rec.amount == 1000 and gw.sent == [rec.out_refund_no]


def test_refund_cap_allows_the_fiftieth_and_refuses_the_fifty_first() -> None:
    store, gw, svc, _ = make()
    pid = order(store, 1, CODE, 1000).payments[0].attempt_id
    _seed_refunds(store, 1, pid, CAP - 1)
    svc.request_refund(req(1, amount=Fen(1)))          # the 50th
    assert len(all_refunds(store)) == CAP == MAX_REFUNDS_PER_PAYMENT
    before = all_refunds(store)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_TOO_MANY_REFUNDS)):
        svc.request_refund(req(1, amount=Fen(1)))
    assert all_refunds(store) == before and len(gw.sent) == 1


def test_failed_refunds_do_not_count_towards_the_cap() -> None:
    store, _gw, svc, _ = make()
    pid = order(store, 1, CODE, 1000).payments[0].attempt_id
    _seed_refunds(store, 1, pid, 1, RefundState.PENDING)
    _seed_refunds(store, 1, pid, CAP - 1)
    rid = min(all_refunds(store))
    store.update_refund(rid, state=RefundState.FAILED, at=T0, message="x")
    assert svc.refundable(1).payments[0].refund_count == CAP - 1
    svc.request_refund(req(1, amount=Fen(1)))


def test_refund_window_is_365_days_to_the_second() -> None:
    store, gw, svc, clock = make()
    paid_at = order(store, 1, NATIVE, 1000).payments[0].paid_at
    clock.set(paid_at + timedelta(days=365, seconds=1))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_TOO_OLD)):
        svc.request_refund(req(1, amount=Fen(100)))
    assert all_refunds(store) == {} and gw.sent == []
    store2, gw2, svc2, clock2 = make()
    paid_at = order(store2, 1, NATIVE, 1000).payments[0].paid_at
    clock2.set(paid_at + timedelta(days=365))               # exactly 365 days ago: allowed
    [rec] = svc2.request_refund(req(1, amount=Fen(100)))
    assert rec.amount == 100 and gw2.sent == [rec.out_refund_no]
    assert timedelta(days=365) == REFUND_WINDOW


def test_cash_payments_have_no_refund_window() -> None:
    store, _gw, svc, clock = make()
    order(store, 1, CASH, 1000)
    clock.advance(days=800)
    [rec] = svc.request_refund(req(1, amount=Fen(100)))
    assert rec.state is RefundState.SUCCESS


def test_allocate_with_all_zero_weights_does_not_divide_by_zero() -> None:
    assert allocate(500, [0, 0, 0]) == [0, 0, 0]
    assert allocate(0, []) == []
    assert allocate(7, [0, 1, 0]) == [0, 7, 0]
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]        # largest remainder, first wins ties
    assert allocate(100, [1, 2]) == [33, 67]


def test_retrying_a_cash_refund_never_reaches_wechat() -> None:
    store, gw, svc, _ = make()
    order(store, 1, CASH, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(300)))
    assert rec.state is RefundState.SUCCESS and gw.sent == []
    again = svc.retry(rec.refund_id)
    assert again.state is RefundState.SUCCESS and gw.sent == []
    assert svc.refresh(rec.refund_id) == again and gw.sent == []
    assert svc.resume() == [] and gw.sent == []


def test_retrying_a_refund_that_is_not_pending_makes_no_refund_call() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    assert rec.state is RefundState.PROCESSING and gw.sent == [rec.out_refund_no]
    out = svc.retry(rec.refund_id)
    assert out.state is RefundState.PROCESSING and gw.sent == [rec.out_refund_no]


def test_offline_wechat_refund_is_refused_with_nothing_stored() -> None:
    store, _, _, clock = make()
    svc = RefundService(store, None, PinAuthenticator(store, clock=clock), clock=clock)
    order(store, 1, NATIVE, 1000)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_OFFLINE)):
        svc.request_refund(req(1, full=True))
    assert all_refunds(store) == {} and store.audit_entries("refund.requested") == []
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_OFFLINE)):
        svc.request_refund(req(1, amount=Fen(1)))
    assert all_refunds(store) == {}


def test_offline_split_tender_refund_is_refused_whole() -> None:
    """WeChat part first: offline, nothing is stored — not even the cash part."""
    store, _, _, clock = make()
    svc = RefundService(store, None, PinAuthenticator(store, clock=clock), clock=clock)
    order(store, 1, NATIVE, 1000, split_cash=300)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_OFFLINE)):
        svc.request_refund(req(1, amount=Fen(800)))
    assert all_refunds(store) == {}


def test_retry_of_unknown_refund_resends_same_number_once() -> None:
    gw = FakeRefundGateway()
    store = seeded_store()
    clock = Clock(T0 + timedelta(hours=1))
    svc = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store, clock=clock),
                        clock=clock, new_refund_no=lambda _now: "RFONE")
    order(store, 1, NATIVE, 1000)
    from pos_app.wechatpay.errors import TransportError
    gw.fail_next.append(TransportError("connection refused"))
    [rec] = svc.request_refund(req(1, full=True))
    assert rec.state is RefundState.PENDING and gw.refunds == {}
    out = svc.retry(rec.refund_id)
    assert out.state is RefundState.PROCESSING and gw.sent == ["RFONE", "RFONE"]


def test_retry_while_the_query_goes_unanswered_sends_nothing() -> None:
    """The refund's fate is unknown and the query is not answered either: stay PENDING,
    note why, and do not send it again blind."""
    from pos_app.wechatpay.errors import TransportError

    store, gw, svc, _ = make(FakeRefundGateway(fail_next=[TransportError("refused")]))
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(400)))
    assert rec.state is RefundState.PENDING and gw.sent == [rec.out_refund_no]

    def unanswered(_no: str) -> object:
        raise TransportError("query timed out")

    gw.query_refund = unanswered  # type: ignore[method-assign,assignment]
    out = svc.retry(rec.refund_id)
    assert out.state is RefundState.PENDING and "query timed out" in out.message
    assert gw.sent == [rec.out_refund_no]


def test_refused_refund_says_why() -> None:
    from pos_app.domain.text import msg
    from pos_app.manager.refunds import refund_message
    from pos_app.wechatpay.errors import ApiError

    store, _gw, svc, _ = make(FakeRefundGateway(fail_next=[ApiError(400, "PARAM_ERROR", "参数错误")]))
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(400)))
    assert rec.state is RefundState.FAILED
    assert refund_message(rec) == msg(ManagerText.REFUND_REFUSED_DETAIL,
                                      detail="PARAM_ERROR 参数错误")
    assert svc.refundable(1).refundable == 1000          # a refusal took nothing


def test_split_tender_refund_by_lines_records_the_lines_once() -> None:
    store, _gw, svc, _ = make()
    order(store, 1, NATIVE, 1000, split_cash=600, lines=(("A", 1, 500), ("B", 1, 500)))
    recs = svc.request_refund(req(1, lines={1: 1, 2: 1}))
    assert [(r.method, r.amount) for r in recs] == [(NATIVE, 400), (CASH, 600)]
    assert [r.lines for r in recs] == [((1, 1), (2, 1)), ()]
    assert all(lr.remaining_quantity == 0 for lr in svc.refundable(1).lines)
