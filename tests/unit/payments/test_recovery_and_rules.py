from __future__ import annotations

from datetime import timedelta

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import (
    TRANSITIONS,
    IllegalTransitionError,
    PaymentMethod,
    check_transition,
)
from pos_app.domain.payment import AttemptState as S
from pos_app.domain.scan import mask_code as mask_auth_code
from pos_app.payments.ids import OUT_TRADE_NO_RE, out_trade_no
from pos_app.payments.till import PaymentRefused, RecoveryPending
from pos_app.wechatpay.models import TradeState
from tests.unit.payments.conftest import Harness, zh
from tests.unit.payments.fakes import FakeOrder, down


def _intent(h: Harness, method: PaymentMethod, oid: int) -> tuple[int, str]:
    """An attempt committed as intent only (as if the process died right after)."""
    with h.db.transaction() as conn:
        seq = h.till.attempts.next_sequence(conn)
        otn = out_trade_no("P", h.clock.now(), "01", seq)
        aid = h.till.attempts.insert(
            conn, order_id=oid, method=method, out_trade_no=otn, amount=Fen(300),
            expires_at=h.clock.now() + timedelta(minutes=3))
    return aid, otn


def test_transition_table() -> None:
    for state in S:
        for to in S:
            if to in TRANSITIONS[state]:
                check_transition(state, to)
            else:
                with pytest.raises(IllegalTransitionError):
                    check_transition(state, to)
    for terminal in (S.PAID, S.CLOSED, S.REVERSED, S.FAILED):
        assert terminal.terminal and not TRANSITIONS[terminal]
    assert S.FAILED not in TRANSITIONS[S.AWAITING_CUSTOMER]


def test_illegal_transition_is_rejected_by_repository(h: Harness) -> None:
    cid = h.till.pay_cash(h.order(), Fen(300))
    with pytest.raises(IllegalTransitionError):
        h.till.attempts.transition(cid, S.REVERSED, validate=check_transition)
    assert [e.to_state for e in h.till.attempt_events(cid)] == [S.CREATED, S.PAID]


def test_out_trade_no_format_and_uniqueness(h: Harness) -> None:
    oid = h.order()
    a1 = h.till.pay_code(oid, "134567890123456789")
    h.gw.codepay_plan["134567890123450000"] = "success"
    h.run()
    oid2 = h.order()
    a2 = h.till.pay_native(oid2)
    h.till.cancel(a2)
    h.run()
    n1, n2 = h.till.attempt(a1), h.till.attempt(a2)
    assert n1 is not None and n2 is not None
    assert OUT_TRADE_NO_RE.match(n1.out_trade_no) and OUT_TRADE_NO_RE.match(n2.out_trade_no)
    assert n1.out_trade_no != n2.out_trade_no
    assert mask_auth_code("130061098828009406") == "1300****9406"


def test_pay_refused_until_recovery_ran(tmp_path) -> None:  # type: ignore[no-untyped-def]
    h = Harness(tmp_path)
    oid = h.order()
    with pytest.raises(RecoveryPending):
        h.till.pay_native(oid)
    with pytest.raises(RecoveryPending):
        h.till.pay_cash(oid, Fen(300))
    assert h.till.recover() == []
    h.till.pay_cash(oid, Fen(300))
    h.till.shutdown()


def test_recovery_resolves_every_kind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    h = Harness(tmp_path)
    now = h.clock.now()
    paid_aid, paid_otn = _intent(h, PaymentMethod.CODEPAY, h.order())
    h.gw.orders[paid_otn] = FakeOrder("codepay", 300, TradeState.USERPAYING, now)
    h.gw.pay(paid_otn)
    paying_aid, paying_otn = _intent(h, PaymentMethod.CODEPAY, h.order())
    h.gw.orders[paying_otn] = FakeOrder("codepay", 300, TradeState.USERPAYING, now)
    native_aid, native_otn = _intent(h, PaymentMethod.NATIVE, h.order())
    h.gw.orders[native_otn] = FakeOrder("native", 300, TradeState.NOTPAY, now)
    unsent_code, _ = _intent(h, PaymentMethod.CODEPAY, h.order())
    unsent_native, _ = _intent(h, PaymentMethod.NATIVE, h.order())
    h.clock.advance(60)  # restart a minute later: not-found is trustworthy
    events = h.till.recover()
    final = {e.attempt_id: e.state for e in events}
    assert final == {paid_aid: S.PAID, paying_aid: S.REVERSED, native_aid: S.CLOSED,
                     unsent_code: S.FAILED, unsent_native: S.CLOSED}
    assert all(e.recovered for e in events)
    assert h.gw.orders[paying_otn].state == TradeState.REVOKED
    assert h.gw.orders[native_otn].state == TradeState.CLOSED
    paid = h.till.attempt(paid_aid)
    assert paid is not None
    order = h.till.order(paid.order_id)
    assert order is not None and order.status == OrderStatus.PAID
    assert h.till.unfinished_attempts() == []
    h.till.shutdown()


def test_recovery_offline_stays_uncertain_and_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    h = Harness(tmp_path)
    oid = h.order()
    aid, _ = _intent(h, PaymentMethod.NATIVE, oid)
    h.gw.faults["query"].append(down())
    events = h.till.recover()
    assert [(e.attempt_id, e.state) for e in events] == [(aid, S.UNCERTAIN)]
    assert "无法连接" in zh(events[0].message)
    with pytest.raises(PaymentRefused) as refused:
        h.till.pay_native(oid)
    assert "结果未知" in zh(refused.value.message)
    h.till.shutdown()


def test_cash_change_and_validation(h: Harness) -> None:
    oid = h.order(price=1250, qty=2)
    with pytest.raises(PaymentRefused) as refused:
        h.till.pay_cash(oid, Fen(2000))
    assert "少于应收" in zh(refused.value.message)
    assert h.till.attempts_for_order(oid) == []
    aid = h.till.pay_cash(oid, Fen(5000))
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID and a.change == 2500 and a.tendered == 5000
    assert [e.change for e in h.events if e.attempt_id == aid] == [2500]
    with pytest.raises(PaymentRefused) as refused:
        h.till.pay_code(oid, "134567890123456789")
    assert "已付款" in zh(refused.value.message)


@pytest.mark.logs_errors
def test_subscriber_errors_do_not_break_the_lane(h: Harness) -> None:
    def bad(_: object) -> None:
        raise RuntimeError("ui bug")
    h.till.subscribe(bad)
    aid = h.till.pay_code(h.order(), "134567890123456789")
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID


def test_crashing_gateway_bug_leaves_uncertain(h: Harness) -> None:
    def boom(_: str) -> bool:
        raise ZeroDivisionError
    h.gw.codepay_plan["134567890123456789"] = "forever"
    h.gw.reverse = boom  # type: ignore[method-assign]
    h.gw.faults["query"].extend([down()] * 100)
    aid = h.till.pay_code(h.order(), "134567890123456789")
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN
