"""Adversarial review findings: each test pins one money-critical bug that was fixed."""

from __future__ import annotations

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState as S
from pos_app.domain.payment import PaymentMethod
from pos_app.payments.ids import out_trade_no
from pos_app.payments.till import PaymentRefused
from pos_app.wechatpay.errors import ApiError, RequestTimeoutError
from pos_app.wechatpay.models import TradeState, Transaction
from tests.unit.payments.conftest import Harness, zh
from tests.unit.payments.fakes import FakeOrder

CODE = "134567890123456789"


def _assert_blocked_not_paid(h: Harness, oid: int, aid: int) -> None:
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN, a
    assert "金额" in zh(a.message)
    order = h.till.order(oid)
    assert order is not None and order.status == OrderStatus.OPEN
    assert order.paid_attempt_id is None
    with pytest.raises(PaymentRefused) as refused:  # no second charge either
        h.till.pay_cash(oid, Fen(10_000))
    assert "结果未知" in zh(refused.value.message)


# -- finding 1: a SUCCESS for a different amount must not silently pay the order


@pytest.mark.logs_errors
def test_native_paid_with_wrong_total_is_not_paid(h: Harness) -> None:
    oid = h.order(price=300)

    def on_wait(_: float) -> None:
        for otn, o in h.gw.orders.items():
            if o.state == TradeState.NOTPAY:
                o.total = 1          # WeChat Pay reports 0.01 yuan paid for a 3.00 sale
                h.gw.pay(otn)

    h.waiter.on_wait = on_wait
    aid = h.till.pay_native(oid)
    h.run()
    _assert_blocked_not_paid(h, oid, aid)


@pytest.mark.logs_errors
def test_codepay_success_with_wrong_total_is_not_paid(h: Harness) -> None:
    def codepay(*, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> Transaction:
        h.gw.calls.append(("codepay", out_trade_no))
        return Transaction(out_trade_no=out_trade_no, trade_state=TradeState.SUCCESS,
                           transaction_id="4200000000000001", total=Fen(total - 100))

    h.gw.codepay = codepay  # type: ignore[method-assign]
    oid = h.order(price=300)
    aid = h.till.pay_code(oid, CODE)
    h.run()
    _assert_blocked_not_paid(h, oid, aid)


@pytest.mark.logs_errors
def test_recovery_of_wrong_total_stays_uncertain(tmp_path) -> None:  # type: ignore[no-untyped-def]
    h = Harness(tmp_path)
    oid = h.order(price=300)
    with h.db.transaction() as conn:
        seq = h.till.attempts.next_sequence(conn)
        otn = out_trade_no("P", h.clock.now(), "01", seq)
        aid = h.till.attempts.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY,
                                     out_trade_no=otn, amount=Fen(300))
    h.gw.orders[otn] = FakeOrder("codepay", 30, TradeState.USERPAYING, h.clock.now())
    h.gw.pay(otn)
    events = h.till.recover()
    assert [(e.attempt_id, e.state) for e in events] == [(aid, S.UNCERTAIN)]
    _assert_blocked_not_paid(h, oid, aid)
    h.till.shutdown()


# -- finding 2: an unexpected exception from a query must not abort the workflow


@pytest.mark.logs_errors
def test_query_bug_mid_poll_keeps_polling(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = ("pay_after", 3.2)
    h.gw.faults["query"].extend([KeyError("trade_state"), RuntimeError("client closed")])
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    order = h.till.order(oid)
    assert order is not None and order.status == OrderStatus.PAID


@pytest.mark.logs_errors
def test_close_order_paid_with_failing_lookup_is_paid(h: Harness) -> None:
    def on_wait(_: float) -> None:
        if h.waiter.total_waited >= 2:
            for otn in list(h.gw.orders):
                if not h.gw.orders[otn].state.paid:
                    h.gw.pay(otn)
            h.gw.faults["query"].append(ValueError("unparsable"))
            h.till.cancel(aid)

    h.waiter.on_wait = on_wait
    oid = h.order()
    aid = h.till.pay_native(oid)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID  # close said ORDER_PAID: that is known
    order = h.till.order(oid)
    assert order is not None and order.status == OrderStatus.PAID


# -- finding 3: a refusal on a *retry* after an unknown outcome is no proof of "nothing"


def test_prepay_refused_on_retry_after_unknown_closes(h: Harness) -> None:
    h.gw.faults["native_prepay"].append(("after", RequestTimeoutError("read")))
    h.gw.faults["native_prepay"].append(ApiError(400, "INVALID_REQUEST", "参数与首次请求时不一致"))
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED
    assert h.gw.count("close") == 1
    assert h.gw.orders[a.out_trade_no].state == TradeState.CLOSED


# -- finding 4: recovery of a USERPAYING code attempt that WeChat Pay no longer knows


def test_recovery_awaiting_codepay_not_found_is_not_a_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    h = Harness(tmp_path)
    oid = h.order()
    with h.db.transaction() as conn:
        seq = h.till.attempts.next_sequence(conn)
        otn = out_trade_no("P", h.clock.now(), "01", seq)
        aid = h.till.attempts.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY,
                                     out_trade_no=otn, amount=Fen(300),
                                     state=S.AWAITING_CUSTOMER)
    h.clock.advance(60)
    events = h.till.recover()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED, a
    assert "内部错误" not in zh(a.message)
    assert [e.state for e in events] == [S.CLOSED]
    assert h.gw.count("reverse") == 1
    h.till.shutdown()



@pytest.mark.logs_errors
def test_still_uncertain_keeps_the_newest_reason(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.payments.fakes import down

    h = Harness(tmp_path)
    oid = h.order(price=300)
    with h.db.transaction() as conn:
        seq = h.till.attempts.next_sequence(conn)
        otn = out_trade_no("P", h.clock.now(), "01", seq)
        aid = h.till.attempts.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY,
                                     out_trade_no=otn, amount=Fen(300))
    h.gw.orders[otn] = FakeOrder("codepay", 30, TradeState.USERPAYING, h.clock.now())
    h.gw.pay(otn)
    h.gw.faults["query"].append(down())
    h.till.recover()                       # offline: uncertain, "无法连接"
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN and "无法连接" in zh(a.message)
    h.till.cancel(aid)                     # the cashier's "retry": now the mismatch shows
    h.run()
    _assert_blocked_not_paid(h, oid, aid)  # the stored message names the amount problem
    current = h.till.current_event(aid)
    assert current is not None and "金额" in zh(current.message)
    h.till.shutdown()


def test_wechat_text_fits_bytes_and_drops_emoji() -> None:
    from pos_app.wechatpay.payloads import wechat_text

    name = "便利店-" + "可口可乐🥤" * 40
    out = wechat_text(name, 127)
    assert len(out.encode("utf-8")) <= 127
    assert "🥤" not in out and out.startswith("便利店-可口可乐可口可乐")
    assert wechat_text("abc", 127) == "abc"
