from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.refund import RefundState
from pos_app.domain.text import msg
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import AuthError, PinAuthenticator
from pos_app.manager.refunds import (
    RefundError,
    RefundRequest,
    RefundService,
    allocate,
    line_refund_amount,
    refund_message,
)
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.wechatpay.errors import RequestTimeoutError
from pos_app.wechatpay.models import RefundStatus

from .helpers import (
    MANAGER_PIN,
    T0,
    Clock,
    FakeRefundGateway,
    all_refunds,
    api_error,
    order,
    refused,
    seeded_store,
)

NATIVE, CASH, CODE = PaymentMethod.NATIVE, PaymentMethod.CASH, PaymentMethod.CODEPAY


def make(gateway: FakeRefundGateway | None = None):  # type: ignore[no-untyped-def]
    store, clock = seeded_store(), Clock(T0 + timedelta(hours=1))
    gw = FakeRefundGateway() if gateway is None else gateway
    counter = iter(range(1, 1000))
    svc = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store, clock=clock),
                        clock=clock,
                        new_refund_no=lambda now: f"RFTEST{next(counter):04d}")
    return store, gw, svc, clock


def req(order_id: int, **kw: object) -> RefundRequest:
    base: dict[str, object] = dict(order_id=order_id, cashier="amy", manager="boss",
                                   manager_pin=MANAGER_PIN, reason="顾客退货")
    base.update(kw)
    return RefundRequest(**base)  # type: ignore[arg-type]


def test_full_refund_persists_intent_before_calling_gateway() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    seen_states: list[RefundState] = []
    real_refund = gw.refund

    def spy(**kw):  # type: ignore[no-untyped-def]
        rec = next(r for r in all_refunds(store).values() if r.out_refund_no == kw["out_refund_no"])
        seen_states.append(rec.state)
        return real_refund(**kw)

    gw.refund = spy  # type: ignore[method-assign]
    [rec] = svc.request_refund(req(1, full=True))
    assert seen_states == [RefundState.PENDING]
    assert rec.state is RefundState.PROCESSING and rec.amount == 1000
    assert rec.out_refund_no == "RFTEST0001" and rec.approved_by == "boss"
    assert gw.refunds["RFTEST0001"].total == 1000
    gw.settle("RFTEST0001", RefundStatus.SUCCESS)
    assert svc.refresh(rec.refund_id).state is RefundState.SUCCESS
    entry = next(e for e in store.audit_entries() if e.action == "refund.requested")
    assert entry.actor == "amy" and entry.detail["amount"] == 1000
    assert entry.detail["reason"] == "顾客退货" and entry.detail["approved_by"] == "boss"
    # The PIN must not leak into what is stored or logged: every text field of the audit
    # entries and refund rows (not their timestamps, whose microseconds may hold any digits).
    texts = [t for e in store.audit_entries()
             for t in (e.actor, e.action, json.dumps(e.detail, ensure_ascii=False))]
    texts += [t for r in all_refunds(store).values()
              for t in (r.out_refund_no, r.reason, r.requested_by, r.approved_by, r.message,
                        r.wechat_refund_id)]
    assert texts and not [t for t in texts if MANAGER_PIN in t]
    assert MANAGER_PIN not in repr(req(1)) and "manager_pin" not in repr(req(1))


def test_over_refund_refused_and_nothing_stored() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_EXCEEDS_REFUNDABLE)):
        svc.request_refund(req(1, amount=Fen(1001)))
    assert all_refunds(store) == {} and gw.sent == []


def test_partial_refunds_sum_to_at_most_paid() -> None:
    store, gw, svc, _ = make()
    order(store, 1, CODE, 1000)
    svc.request_refund(req(1, amount=Fen(300)))
    svc.request_refund(req(1, amount=Fen(500)))
    assert svc.refundable(1).refundable == 200
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_EXCEEDS_REFUNDABLE)):
        svc.request_refund(req(1, amount=Fen(201)))
    svc.request_refund(req(1, amount=Fen(200)))
    assert svc.refundable(1).refundable == 0
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOTHING_TO_REFUND)):
        svc.request_refund(req(1, full=True))
    assert len(set(gw.sent)) == 3


def test_closed_refund_frees_the_amount_and_a_new_number_is_used() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_EXCEEDS_REFUNDABLE)):
        svc.request_refund(req(1, amount=Fen(1)))
    gw.settle(rec.out_refund_no, RefundStatus.CLOSED)
    closed = svc.refresh(rec.refund_id)
    assert closed.state is RefundState.CLOSED
    assert refund_message(closed) == msg(ManagerText.REFUND_CLOSED)  # "nothing was refunded"
    assert svc.refundable(1).refundable == 1000
    [again] = svc.request_refund(req(1, full=True))
    assert again.out_refund_no != rec.out_refund_no and again.amount == 1000


def test_lost_reply_retry_queries_and_reuses_same_number() -> None:
    store, gw, svc, _ = make(FakeRefundGateway(lose_reply_next=1))
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(400)))
    assert rec.state is RefundState.PENDING
    assert refund_message(rec) == msg(ManagerText.REFUND_PENDING)  # "same refund number"
    assert svc.refundable(1).refundable == 600          # unknown counts as taken
    done = svc.retry(rec.refund_id)
    assert done.state is RefundState.PROCESSING and done.out_refund_no == rec.out_refund_no
    assert gw.sent == [rec.out_refund_no]                # found by query, not re-sent


def test_request_never_arrived_is_resent_with_same_number() -> None:
    store, gw, svc, _ = make(FakeRefundGateway(fail_next=[RequestTimeoutError("connect")]))
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(400)))
    assert rec.state is RefundState.PENDING and gw.refunds == {}
    gw.fail_next.append(api_error(500, "SYSTEM_ERROR"))
    assert svc.retry(rec.refund_id).state is RefundState.PENDING
    done = svc.retry(rec.refund_id)
    assert done.state is RefundState.PROCESSING
    assert gw.sent == [rec.out_refund_no] * 3
    assert gw.refunds[rec.out_refund_no].refund == 400


def test_definite_refusal_fails_and_frees_amount() -> None:
    store, _gw, svc, _ = make(FakeRefundGateway(fail_next=[api_error(403, "NOT_ENOUGH")]))
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    assert rec.state is RefundState.FAILED and "NOT_ENOUGH" in rec.message
    assert refund_message(rec).key is ManagerText.REFUND_REFUSED_BALANCE   # top up, then again
    assert svc.refundable(1).refundable == 1000


def test_manager_pin_and_reason_required() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_WRONG_PIN_TRIES_LEFT)):
        svc.request_refund(req(1, full=True, manager_pin="0912"))
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_MAY_NOT_APPROVE)):
        svc.request_refund(req(1, full=True, manager="amy", manager_pin="1397"))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_REASON_REQUIRED)):
        svc.request_refund(req(1, full=True, reason="  "))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_REASON_TOO_LONG)):
        svc.request_refund(req(1, full=True, reason="x" * 81))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_CHOOSE_MODE)):
        svc.request_refund(req(1, full=True, amount=Fen(5)))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_AMOUNT_NOT_FEN)):
        svc.request_refund(req(1, amount=12.5))
    assert all_refunds(store) == {} and gw.sent == []


def test_refund_by_lines_with_order_discount_is_exact() -> None:
    store, _gw, svc, _ = make()
    # lines net 900 + 101 = 1001, order discount 101 → total 900
    order(store, 1, NATIVE, 900, lines=(("可乐", 3, 900), ("口香糖", 1, 101)))
    values = [lr.value for lr in svc.refundable(1).lines]
    assert sum(values) == 900 and values == allocate(900, [900, 101])
    a1 = svc.quote(1, {1: 1})
    svc.request_refund(req(1, lines={1: 1}))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_LINE_QUANTITY_TOO_LARGE)):
        svc.request_refund(req(1, lines={1: 3}))          # only 2 left
    svc.request_refund(req(1, lines={1: 2}))
    a23 = sum(r.amount for r in all_refunds(store).values()) - a1
    assert a1 + a23 == values[0]
    [last] = svc.request_refund(req(1, full=True))
    assert last.lines == ((2, 1),) and last.amount == values[1]
    assert svc.refundable(1).refundable == 0


def test_line_amount_telescopes() -> None:
    for value, qty in ((1000, 3), (7, 4), (899, 7)):
        steps = [line_refund_amount(value, qty, k, 1) for k in range(qty)]
        assert sum(steps) == value and max(steps) - min(steps) <= 1


def test_cash_refund_needs_no_gateway() -> None:
    store, _, _, clock = make()
    svc = RefundService(store, None, PinAuthenticator(store, clock=clock), clock=clock)
    order(store, 1, CASH, 2350)
    order(store, 2, NATIVE, 100)
    [rec] = svc.request_refund(req(1, amount=Fen(350)))
    assert rec.state is RefundState.SUCCESS and rec.method is CASH
    assert refund_message(rec) == msg(ManagerText.REFUND_GIVE_BACK_CASH, amount_fen=350)
    # offline: no WeChat refunds
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_OFFLINE)):
        svc.request_refund(req(2, full=True))


def test_split_tender_refunds_wechat_first_then_cash() -> None:
    store, _gw, svc, _ = make()
    order(store, 1, NATIVE, 1000, split_cash=300)
    recs = svc.request_refund(req(1, amount=Fen(800)))
    assert [(r.method, r.amount) for r in recs] == [(NATIVE, 700), (CASH, 100)]
    assert recs[1].state is RefundState.SUCCESS
    assert svc.refundable(1).refundable == 200
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_EXCEEDS_REFUNDABLE)):
        svc.request_refund(req(1, amount=Fen(1), attempt_id=10))   # WeChat part exhausted


def test_follow_polls_until_final() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    waits: list[float] = []

    def wait(s: float) -> bool:
        waits.append(s)
        if len(waits) == 2:
            gw.settle(rec.out_refund_no, RefundStatus.SUCCESS)
        return True

    assert svc.follow(rec.refund_id, wait=wait).state is RefundState.SUCCESS
    assert waits == [60, 60]


def test_abnormal_is_final_and_still_counts_as_taken() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    gw.settle(rec.out_refund_no, RefundStatus.ABNORMAL)
    ab = svc.refresh(rec.refund_id)
    assert ab.state is RefundState.ABNORMAL
    assert refund_message(ab) == msg(ManagerText.REFUND_ABNORMAL)  # "merchant portal"
    assert svc.refundable(1).refundable == 0


def test_refund_window_one_year() -> None:
    store, _gw, svc, clock = make()
    order(store, 1, NATIVE, 1000)
    clock.advance(days=366)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_TOO_OLD)):
        svc.request_refund(req(1, full=True))


def test_find_and_search() -> None:
    store, _, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    order(store, 2, CODE, 2500)
    assert svc.find_order("1").order_id == 1           # type: ignore[union-attr]
    assert svc.find_order("T000002-1").order_id == 2       # type: ignore[union-attr]
    assert svc.find_order("4200000000002").order_id == 2   # type: ignore[union-attr]
    assert svc.find_order("nope") is None and svc.find_order(" ") is None
    day = date(2026, 11, 22)
    assert [o.order_id for o in svc.search_orders(day, Fen(2500))] == [2]
    assert len(svc.search_orders(day)) == 2 and svc.search_orders(date(2026, 11, 21)) == []


def test_resume_retries_unfinished() -> None:
    store, _gw, svc, _ = make(FakeRefundGateway(lose_reply_next=1))
    order(store, 1, NATIVE, 1000)
    svc.request_refund(req(1, full=True))
    [resumed] = svc.resume()
    assert resumed.state is RefundState.PROCESSING


def test_double_tap_cannot_refund_twice() -> None:
    import threading

    store, _gw, svc, _ = make()
    order(store, 1, CASH, 1000)
    results: list[object] = []
    barrier = threading.Barrier(2)

    def tap() -> None:
        barrier.wait()
        try:
            results.append(svc.request_refund(req(1, full=True)))
        except RefundError as exc:
            results.append(exc)

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(type(r).__name__ for r in results) == ["RefundError", "list"]
    assert sum(r.amount for r in all_refunds(store).values()) == 1000
