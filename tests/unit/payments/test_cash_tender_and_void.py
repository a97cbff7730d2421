"""Cash tender validation and voiding an order (gaps the full mutation run of payments/till.py
found, issue 17): each refusal matched on its message key, nothing stored, nothing sent."""

from __future__ import annotations

import threading

import pytest

from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState
from pos_app.payments.messages import PaymentText
from pos_app.payments.till import PaymentRefused
from tests.unit.payments.conftest import Harness


def _key(exc: pytest.ExceptionInfo[PaymentRefused]) -> object:
    return exc.value.message.key


@pytest.mark.parametrize("tendered", [500.0, 300.5, "500", True])
def test_a_tender_that_is_not_whole_fen_is_refused_and_nothing_is_stored(
        h: Harness, tendered: object) -> None:
    oid = h.order(price=1)   # 1 fen: even True (== 1) or 500.0 would cover the total
    with pytest.raises(PaymentRefused) as exc:
        h.till.pay_cash(oid, tendered)  # type: ignore[arg-type]
    assert _key(exc) is PaymentText.TENDERED_INVALID
    assert h.till.attempts_for_order(oid) == []
    order = h.till.order(oid)
    assert order is not None and order.status is OrderStatus.OPEN


def test_cash_exactly_the_total_is_taken_with_no_change(h: Harness) -> None:
    oid = h.order(price=300)
    with pytest.raises(PaymentRefused) as exc:
        h.till.pay_cash(oid, 299)  # type: ignore[arg-type]
    assert _key(exc) is PaymentText.TENDERED_SHORT
    aid = h.till.pay_cash(oid, 300)  # type: ignore[arg-type]
    a = h.till.attempt(aid)
    assert a is not None and a.state is AttemptState.PAID
    assert (a.amount, a.tendered, a.change) == (300, 300, 0)
    h.run()
    # a live payment, not one found at start-up
    assert [(e.state, e.recovered) for e in h.events if e.attempt_id == aid] == [
        (AttemptState.PAID, False)]


def test_voiding_an_open_order_voids_it_and_it_cannot_be_paid_after(h: Harness) -> None:
    oid = h.order()
    h.till.void_order(oid)
    order = h.till.order(oid)
    assert order is not None and order.status is OrderStatus.VOIDED
    for start in (lambda: h.till.pay_cash(oid, 500),  # type: ignore[arg-type]
                  lambda: h.till.pay_native(oid)):
        with pytest.raises(PaymentRefused) as exc:
            start()
        assert _key(exc) is PaymentText.ORDER_NOT_OPEN
    assert h.till.attempts_for_order(oid) == [] and h.gw.calls == []


def test_an_order_with_a_payment_under_way_cannot_be_voided(h: Harness) -> None:
    oid = h.order()
    gate = threading.Event()
    h.till.lane.submit(lambda: gate.wait(10))   # the QR attempt waits its turn on the lane
    try:
        aid = h.till.pay_native(oid)
        with pytest.raises(PaymentRefused) as exc:
            h.till.void_order(oid)
        assert _key(exc) is PaymentText.ORDER_IN_PROGRESS
        order = h.till.order(oid)
        assert order is not None and order.status is OrderStatus.OPEN
        a = h.till.attempt(aid)
        assert a is not None and a.state is AttemptState.CREATED
    finally:
        gate.set()
    h.run()


def test_a_paid_order_cannot_be_voided(h: Harness) -> None:
    oid = h.order()
    h.till.pay_cash(oid, 500)  # type: ignore[arg-type]
    with pytest.raises(PaymentRefused) as exc:
        h.till.void_order(oid)
    assert _key(exc) is PaymentText.ORDER_ALREADY_PAID
    order = h.till.order(oid)
    assert order is not None and order.status is OrderStatus.PAID
