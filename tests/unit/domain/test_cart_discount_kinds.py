"""The cart remembers how each discount was given (amount, percentage, 抹零), so the X/Z can
total them by kind; a new discount replaces the old one's kind, amounts stay exact fen."""

from __future__ import annotations

import pytest

from pos_app.domain.cart import Cart, CartError, DiscountKind
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen

TEA = Product("TEA", "茶", Fen(999), "")


def _cart() -> Cart:
    c = Cart()
    c.add(TEA, 2)                                      # 19.98
    return c


def test_percentage_then_round_off_then_an_amount() -> None:
    c = _cart()
    assert c.set_order_discount_percent(1000) == 200     # 10 % of 19.98 = 1.998 → 2.00
    assert c.order_discount_kind is DiscountKind.PERCENT and c.round_off_amount == 0
    assert c.round_off(100) == 98 and c.total == 1700
    assert (c.order_discount, c.order_discount_kind, c.round_off_amount) == (
        298, DiscountKind.PERCENT, 98)
    c.set_order_discount(Fen(100))                       # replaces both
    assert (c.order_discount, c.order_discount_kind, c.round_off_amount) == (
        100, DiscountKind.AMOUNT, 0)


def test_round_off_alone_is_no_amount_discount() -> None:
    c = _cart()
    assert c.round_off(10) == 8
    assert (c.order_discount, c.round_off_amount, c.order_discount_kind) == (
        8, 8, DiscountKind.AMOUNT)


def test_line_kinds_and_a_zero_discount_is_no_kind() -> None:
    c = _cart()
    assert c.set_line_discount_percent(0, 2500) == 500   # 25 % of 19.98 = 4.995 → 5.00
    assert c.lines[0].discount_kind is DiscountKind.PERCENT
    c.set_line_discount(0, Fen(0), DiscountKind.PERCENT)
    assert c.lines[0].discount_kind is DiscountKind.AMOUNT


def test_round_off_part_must_fit_the_discount_and_nothing_changes() -> None:
    c = _cart()
    with pytest.raises(CartError):
        c.set_order_discount(Fen(10), DiscountKind.AMOUNT, 11)
    assert (c.order_discount, c.round_off_amount) == (0, 0)


def test_clear_forgets_the_kinds() -> None:
    c = _cart()
    c.set_order_discount_percent(1000)
    c.round_off(100)
    c.clear()
    assert (c.order_discount, c.order_discount_kind, c.round_off_amount) == (
        0, DiscountKind.AMOUNT, 0)
