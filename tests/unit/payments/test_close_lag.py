"""Issue 11 item 1: a close soon after creation may not take effect (WeChat: within
5 minutes), and a customer who already scanned can pay until time_expire. After the
cashier cancels a QR, the till watches the order until the close is confirmed or
time_expire has passed; a payment that lands meanwhile ends PAID, announced as paid late.
The lane is held only for ``close_confirm_window``: then the attempt is uncertain (the
order stays blocked) and the till re-checks it after time_expire, off the lane."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState as S
from pos_app.payments.messages import PaymentText, from_stored
from tests.unit.payments.conftest import Harness, zh


def _cancel_then_pay(h: Harness, cancel_at: float, pay_at: float | None) -> None:
    def on_wait(_: float) -> None:
        if h.waiter.total_waited >= cancel_at:
            h.till.cancel(aid)
        if pay_at is not None:
            for o in h.gw.orders.values():
                if o.kind == "native" and o.pay_at is None:
                    o.pay_at = o.created + timedelta(seconds=pay_at)
    h.waiter.on_wait = on_wait
    aid = h.till.pay_native(h.order())
    h.run()


def _settle(h: Harness) -> None:
    """Wait for the re-check (a thread that waits in virtual time, then uses the lane)."""
    for _ in range(500):
        h.run()
        if all(a.state.terminal for a in h.till.attempts_for_order(1)):
            return
        time.sleep(0.01)


@pytest.mark.parametrize("lag", ["ignored", "not_exist"])
def test_payment_after_an_ineffective_close_ends_paid_late(h: Harness, lag: str) -> None:
    h.gw.close_lag = lag
    _cancel_then_pay(h, cancel_at=2, pay_at=20)
    _settle(h)
    [a] = h.till.attempts_for_order(1)
    assert a.state == S.PAID and a.transaction_id
    # the lane was released with the order blocked (uncertain: the customer may still pay)
    assert h.states(a.id) == ["created", "awaiting", "uncertain", "paid"]
    held = next(e for e in h.events if e.state == S.UNCERTAIN)
    assert held.message is not None and "顾客仍可能付款" in zh(held.message)
    order = h.till.order(a.order_id)
    assert order is not None and order.status == OrderStatus.PAID
    last = [e for e in h.events if e.attempt_id == a.id][-1]
    assert last.state == S.PAID and last.paid_late
    m = from_stored(a.message)
    assert m is not None and m.key is PaymentText.PAID_LATE and "退款" in zh(a.message)
    assert h.gw.count("close") == 1                      # watched by query, not re-closed
    held = h.till.policy.close_confirm_window
    assert 2 + held <= h.waiter.total_waited <= h.till.policy.native_ttl + 2


@pytest.mark.parametrize("lag", ["ignored", "not_exist"])
def test_unpaid_after_an_ineffective_close_is_closed_at_time_expire(h: Harness, lag: str) -> None:
    h.gw.close_lag = lag
    _cancel_then_pay(h, cancel_at=2, pay_at=None)
    _settle(h)
    [a] = h.till.attempts_for_order(1)
    assert a.state == S.CLOSED and "取消" in zh(a.message)
    assert h.waiter.total_waited >= h.till.policy.native_ttl
    assert not any(e.paid_late for e in h.events)


def test_a_payment_after_time_expire_cannot_happen_and_is_not_waited_for(h: Harness) -> None:
    h.gw.close_lag = "ignored"
    _cancel_then_pay(h, cancel_at=2, pay_at=h.till.policy.native_ttl + 5)
    _settle(h)
    [a] = h.till.attempts_for_order(1)
    assert a.state == S.CLOSED
    assert not any(e.paid_late for e in h.events)


def test_effective_close_is_confirmed_at_once(h: Harness) -> None:
    _cancel_then_pay(h, cancel_at=2, pay_at=None)
    [a] = h.till.attempts_for_order(1)
    assert a.state == S.CLOSED and h.waiter.total_waited < 3
    closing = h.gw.calls.index(("close", a.out_trade_no))
    assert ("query", a.out_trade_no) in h.gw.calls[closing:]     # confirmed, not assumed


def test_close_system_error_during_the_lag_stays_uncertain_not_closed(h: Harness) -> None:
    h.gw.close_lag = "system_error"
    _cancel_then_pay(h, cancel_at=2, pay_at=None)
    [a] = h.till.attempts_for_order(1)
    assert a.state == S.UNCERTAIN and "请勿重复收款" in zh(a.message)
    # later (recovery / the cashier's retry, after the lag): resolved for good
    h.clock.advance(400)
    h.till.cancel(a.id)
    h.run()
    again = h.till.attempt(a.id)
    assert again is not None and again.state == S.CLOSED


def test_shutdown_drops_a_pending_re_check(h: Harness) -> None:
    h.gw.close_lag = "ignored"
    h.waiter.on_wait = None
    h.till.shutdown()                       # re-check threads see the till stopping
    h.till = h.make_till()
    h.till.recover()
    aid = h.till.pay_native(h.order())
    h.till.cancel(aid)
    h.run()
    h.till._stopping.set()
    a = h.till.attempt(aid)
    assert a is not None and a.state in (S.UNCERTAIN, S.CLOSED)
