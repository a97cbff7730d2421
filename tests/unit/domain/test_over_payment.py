"""An order paid twice: the over-payment, what is still owed back, and the status its
refunds give it (refunds first cover the over-payment; only the rest refunds the sale)."""

from __future__ import annotations

import pytest

from pos_app.domain.order import (
    OrderStatus,
    over_payment,
    owed_refund,
    settled_status,
    status_after_refunds,
)

P, PR, R = OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED


@pytest.mark.parametrize(("total", "paid", "over"), [
    (300, [300], 0),               # one payment: nothing over
    (300, [100, 200], 0),          # a split (cash + QR) adds up to the total
    (300, [300, 300], 300),        # both QRs of a pair paid
    (300, [300, 300, 300], 600),
    (300, [], 0),
    (300, [200], 0),               # (short: never negative)
])
def test_over_payment_is_what_the_payments_took_beyond_the_total(
        total: int, paid: list[int], over: int) -> None:
    assert over_payment(total, paid) == over
    assert over_payment(total, iter(paid)) == over          # any iterable, read once


@pytest.mark.parametrize(("refunded", "owed"), [
    ([], 300), ([100], 200), ([100, 200], 0), ([300, 50], 0), ([1000], 0)])
def test_refunds_cover_the_over_payment_first(refunded: list[int], owed: int) -> None:
    assert owed_refund(300, [300, 300], refunded) == owed
    assert owed_refund(300, [300], refunded) == 0           # not paid twice: nothing owed


@pytest.mark.parametrize(("refunded", "status"), [
    ([], P), ([300], P), ([100, 200], P),     # the double payment given back: still a sale
    ([301], PR), ([300, 100], PR),            # beyond it: the sale is being refunded
    ([600], R), ([300, 300], R), ([700], R)])
def test_the_status_of_an_order_paid_twice(refunded: list[int], status: OrderStatus) -> None:
    assert settled_status(300, [300, 300], refunded) is status


@pytest.mark.parametrize("refunded", [[], [1], [299], [300], [400], [100, 200]])
def test_paid_once_the_status_is_the_rule_of_today(refunded: list[int]) -> None:
    assert settled_status(300, [300], refunded) is status_after_refunds(300, refunded)
    assert settled_status(300, [100, 200], refunded) is status_after_refunds(300, refunded)
