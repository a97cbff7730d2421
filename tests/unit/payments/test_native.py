from __future__ import annotations

from datetime import timedelta

from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState as S
from pos_app.wechatpay.errors import ApiError, RequestTimeoutError, SignatureError
from tests.unit.payments.conftest import Harness, zh
from tests.unit.payments.fakes import down


def _pay_at(h: Harness, seconds: float) -> None:
    def on_wait(_: float) -> None:
        for o in h.gw.orders.values():
            if o.kind == "native" and o.pay_at is None:
                o.pay_at = o.created + timedelta(seconds=seconds)
    h.waiter.on_wait = on_wait


def test_native_paid_detected_within_a_second(h: Harness) -> None:
    _pay_at(h, 7.3)
    oid = h.order()
    aid = h.till.pay_native(oid)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID and a.code_url.startswith("weixin://")
    assert h.states(aid) == ["created", "awaiting", "paid"]
    awaiting = next(e for e in h.events if e.state == S.AWAITING_CUSTOMER)
    assert awaiting.code_url and awaiting.expires_at is not None
    assert h.waiter.total_waited - 7.3 <= 1.0
    order = h.till.order(oid)
    assert order is not None and order.status == OrderStatus.PAID


def test_native_expiry_closes(h: Harness) -> None:
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED and "过期" in zh(a.message)
    assert h.gw.count("close") == 1
    assert abs(h.waiter.total_waited - h.till.policy.native_ttl) < 1e-6
    assert h.gw.count("query") < 150  # ~0.75 queries/s at most


def test_native_cancel_closes(h: Harness) -> None:
    h.waiter.on_wait = lambda _: h.till.cancel(aid)
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED and "取消" in zh(a.message)


def test_close_says_order_paid_means_paid(h: Harness) -> None:
    def on_wait(_: float) -> None:
        h.till.cancel(aid)
        for otn in h.gw.orders:
            h.gw.pay(otn)  # the customer paid just before the cashier pressed cancel
    # cancel wakes the lane before any poll query: close reveals ORDER_PAID
    h.waiter.on_wait = on_wait
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID and a.transaction_id
    assert h.gw.count("close") == 1


def test_prepay_lost_answer_is_retried_with_same_number(h: Harness) -> None:
    h.gw.faults["native_prepay"].append(("after", RequestTimeoutError("read")))
    h.gw.faults["native_prepay"].append(ApiError(500, "SYSTEM_ERROR", "x"))
    _pay_at(h, 2)
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    otns = {c[1] for c in h.gw.calls if c[0] == "native_prepay"}
    assert len(otns) == 1 and h.gw.count("native_prepay") == 3


def test_prepay_failing_everywhere_closes_and_nothing_charged(h: Harness) -> None:
    h.gw.faults["native_prepay"].extend([("after", SignatureError("bad"))] * 3)
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED
    assert h.gw.count("close") == 1


def test_prepay_refused_is_failed(h: Harness) -> None:
    h.gw.faults["native_prepay"].append(ApiError(403, "NO_AUTH", "无权限"))
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED and "权限" in zh(a.message)


def test_close_keeps_failing_is_uncertain(h: Harness) -> None:
    h.gw.faults["close"].extend([down() for _ in range(10)])
    h.gw.faults["query"].extend([None] * 400 + [down()])  # final query fails too
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN and "请勿重复收款" in zh(a.message)


def test_query_with_bad_signature_is_not_trusted(h: Harness) -> None:
    h.gw.faults["query"].extend([SignatureError("bad")] * 3)
    _pay_at(h, 1)
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
