from __future__ import annotations

import pytest

from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState as S
from pos_app.payments.till import PaymentRefused
from pos_app.wechatpay.errors import ApiError, RequestTimeoutError, SignatureError
from tests.unit.payments.conftest import Harness, zh
from tests.unit.payments.fakes import down

CODE = "134567890123456789"


def test_success_pays_order_once(h: Harness) -> None:
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID and a.transaction_id
    assert h.states(aid) == ["created", "paid"]
    order = h.till.order(oid)
    assert order is not None and order.status == OrderStatus.PAID
    assert order.paid_attempt_id == aid
    assert h.gw.count("codepay") == 1 and h.gw.count("reverse") == 0


def test_userpaying_then_paid_is_detected_quickly(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = ("pay_after", 3.2)
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    h.run()
    assert h.states(aid) == ["created", "awaiting", "paid"]
    # paid at t=3.2 s; the dense schedule sees it within one 1 s step
    assert h.waiter.total_waited <= 4.2
    assert h.gw.count("reverse") == 0


def test_userpaying_forever_is_reversed_at_deadline(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.reverse_refused_while_paying = False
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.REVERSED
    assert h.waiter.total_waited <= h.till.policy.codepay_deadline
    assert 8 <= h.gw.count("query") <= 25  # dense early, polite later
    assert h.gw.orders[a.out_trade_no].state.value == "REVOKED"


def test_cashier_cancel_during_userpaying_reverses(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.reverse_refused_while_paying = False
    oid = h.order()

    def on_wait(_: float) -> None:
        if h.waiter.total_waited >= 2:
            h.till.cancel(aid)

    h.waiter.on_wait = on_wait
    aid = h.till.pay_code(oid, CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.REVERSED and "取消" in zh(a.message)
    assert h.waiter.total_waited < 5


def test_cancel_after_customer_paid_ends_paid(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = ("pay_after", 1.0)
    oid = h.order()
    h.waiter.on_wait = lambda _: h.till.cancel(aid)
    aid = h.till.pay_code(oid, CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state in (S.PAID, S.REVERSED)
    if a.state == S.REVERSED:
        assert h.gw.orders[a.out_trade_no].state.value == "REVOKED"


def test_payerror_is_reversed(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = ("fail_after", 2.0)
    h.gw.reverse_refused_while_paying = False
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.REVERSED and "失败" in zh(a.message)


def test_systemerror_but_charged_waits_5s_then_queries(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = "systemerror_charged"
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert h.waiter.total_waited == pytest.approx(5.0)
    assert h.gw.count("reverse") == 0


@pytest.mark.parametrize("exc", [RequestTimeoutError("read timeout"),
                                 SignatureError("bad signature"),
                                 ApiError(500, "SYSTEM_ERROR", "系统异常")])
def test_lost_answer_after_charge_is_paid_not_failed(h: Harness, exc: Exception) -> None:
    h.gw.faults["codepay"].append(("after", exc))
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert h.gw.count("codepay") == 1  # never re-sent


def test_request_never_arrived_ends_failed_not_charged(h: Harness) -> None:
    h.gw.faults["codepay"].append(RequestTimeoutError("connect timeout"))
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED
    assert h.gw.count("reverse") == 1


def test_business_refusal_fails_with_clear_message(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = ApiError(403, "NOTENOUGH", "余额不足")
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED
    assert "余额不足" in zh(a.message) and "未扣款" in zh(a.message)
    assert h.gw.count("query") == 0 and h.gw.count("reverse") == 0
    # a fresh code gets a fresh out_trade_no
    aid2 = h.till.pay_code(oid, "134567890123450000")
    h.run()
    a2 = h.till.attempt(aid2)
    assert a2 is not None and a2.state == S.PAID and a2.out_trade_no != a.out_trade_no


def test_reverse_recall_is_retried(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.reverse_refused_while_paying = False
    h.gw.reverse_recalls = 2
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.REVERSED
    assert h.gw.count("reverse") == 3


def test_reverse_that_keeps_failing_is_uncertain_and_blocks_recharge(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.faults["reverse"].extend([down() for _ in range(20)])
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN and "请勿重复收款" in zh(a.message)
    with pytest.raises(PaymentRefused) as refused:
        h.till.pay_code(oid, "134567890123450000")
    assert "结果未知" in zh(refused.value.message)
    with pytest.raises(ValueError):
        h.till.pay_cash(oid, 1000)
    # network back: recovery resolves it and the order can be paid again
    h.gw.faults["reverse"].clear()
    h.gw.reverse_refused_while_paying = False
    events = h.till.recover()
    assert [e.state for e in events if e.attempt_id == aid] == [S.REVERSED]
    assert all(e.recovered for e in events)
    cid = h.till.pay_cash(oid, 500)
    a2 = h.till.attempt(cid)
    assert a2 is not None and a2.state == S.PAID and a2.change == 200


def test_invalid_code_and_guards_change_nothing(h: Harness) -> None:
    oid = h.order()
    with pytest.raises(PaymentRefused) as refused:
        h.till.pay_code(oid, "6901234567011")
    assert "不是付款码" in zh(refused.value.message)
    assert h.till.attempts_for_order(oid) == []
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.reverse_refused_while_paying = False
    aid = h.till.pay_code(oid, CODE)
    with pytest.raises(ValueError):  # in flight
        h.till.pay_native(oid)
    h.till.cancel(aid)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None
    # cancelled before the lane sent it (nothing sent) or after (reversed)
    assert (a.state, h.gw.count("codepay")) in ((S.FAILED, 0), (S.REVERSED, 1))


def test_auth_code_is_only_stored_masked(h: Harness) -> None:
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.auth_code_masked == "1345****6789"
    h.db.close()
    raw = b"".join(p.read_bytes() for p in h.db.path.parent.iterdir() if p.is_file())
    assert CODE.encode() not in raw


def test_customer_finishing_while_reverse_is_refused_ends_paid(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = ("pay_after", 3.0)  # reverse refused while the box is open
    h.waiter.on_wait = lambda _: h.till.cancel(aid)
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert h.gw.orders[a.out_trade_no].state.value == "SUCCESS"  # not reversed/refunded


def test_error_text_never_holds_an_auth_code() -> None:
    from pos_app.payments.workflow import describe_error
    text = describe_error(ApiError(400, "PARAM_ERROR", f"bad {CODE}"))
    assert CODE not in text and "1345****6789" in text
