"""Percent discounts, 抹零 and parse_percent of the cart, to the fen: the edges a mutation
run of domain/cart.py (issue 17) showed no domain, storage or payments test pinned down."""

from __future__ import annotations

import pytest

from pos_app.domain.cart import Cart, CartError, CartText, DiscountKind, parse_percent
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen

TEA = Product("SKU9", "茶", Fen(1234))
GUM = Product("SKU8", "口香糖", Fen(5))
BUN = Product("SKU7", "包子", Fen(100))


def refused(key: CartText) -> pytest.RaisesExc[CartError]:
    return pytest.raises(CartError, match=rf"^{key.value}\(")


def cart_of(*products: Product) -> Cart:
    cart = Cart()
    for p in products:
        cart.add(p)
    return cart


# ---- 抹零 -------------------------------------------------------------------------------

def test_round_off_by_default_drops_jiao_and_fen() -> None:
    cart = cart_of(TEA)
    assert cart.round_off() == 34
    assert (cart.total, cart.order_discount, cart.round_off_amount) == (1200, 34, 34)
    assert cart.order_discount_kind is DiscountKind.AMOUNT


def test_round_off_to_the_jiao_drops_the_fen() -> None:
    cart = cart_of(TEA)
    assert cart.round_off(10) == 4
    assert (cart.total, cart.order_discount, cart.round_off_amount) == (1230, 4, 4)


@pytest.mark.parametrize("unit", [1, 50, 99, 101, 1000])
def test_round_off_refuses_another_unit(unit: int) -> None:
    cart = cart_of(TEA)
    with pytest.raises(ValueError, match="round-off unit"):
        cart.round_off(unit)
    assert (cart.total, cart.order_discount, cart.round_off_amount) == (1234, 0, 0)


def test_round_off_below_one_unit_takes_nothing_off() -> None:
    cart = cart_of(GUM)                       # 5 fen: rounding would make the sale free
    off = cart.round_off(10)
    assert off == 0 and off is not None
    assert (cart.total, cart.order_discount, cart.round_off_amount) == (5, 0, 0)


def test_round_off_of_a_whole_unit_takes_nothing_off() -> None:
    cart = cart_of(BUN)
    assert cart.round_off(100) == 0
    assert (cart.total, cart.order_discount, cart.round_off_amount) == (100, 0, 0)


def test_round_off_keeps_the_percent_part_of_the_order_discount() -> None:
    cart = cart_of(TEA)
    assert cart.set_order_discount_percent(1000) == 123            # 10% of 12.34 → 1.23
    assert cart.round_off() == 11                                   # 11.11 → 11.00
    assert (cart.order_discount, cart.round_off_amount, cart.total) == (134, 11, 1100)
    assert cart.order_discount_kind is DiscountKind.PERCENT


def test_removing_a_line_caps_the_round_off_with_the_order_discount() -> None:
    cart = cart_of(TEA, BUN)                  # 13.34
    assert cart.round_off() == 34
    cart.remove(0)                            # 1.00 left: the 0.34 still fits
    assert cart.order_discount == 34 and cart.round_off_amount == 34
    cart.set_order_discount(Fen(0))
    cart.add(TEA)
    assert cart.round_off() == 34             # 13.34 again
    cart.remove(1)
    cart.remove(0)                            # empty: nothing can be discounted
    assert (cart.order_discount, cart.round_off_amount, cart.total) == (0, 0, 0)


# ---- the kind of the order discount ------------------------------------------------------

def test_an_order_discount_that_is_all_round_off_counts_as_amount() -> None:
    cart = cart_of(TEA)
    cart.set_order_discount(Fen(34), DiscountKind.PERCENT, round_off=34)
    assert cart.order_discount_kind is DiscountKind.AMOUNT
    cart.set_order_discount(Fen(0), DiscountKind.PERCENT)
    assert cart.order_discount_kind is DiscountKind.AMOUNT
    cart.set_order_discount(Fen(35), DiscountKind.PERCENT, round_off=34)
    assert cart.order_discount_kind is DiscountKind.PERCENT


# ---- totals --------------------------------------------------------------------------------

def test_gross_and_discount_total_count_every_discount() -> None:
    cart = cart_of(TEA, BUN)
    cart.set_quantity(1, 3)
    assert cart.gross == 1234 + 300
    cart.set_line_discount(0, Fen(34))
    cart.set_order_discount(Fen(100))
    assert cart.discount_total == 134
    assert cart.gross == 1534 and cart.total == 1400


# ---- percent limits ------------------------------------------------------------------------

def test_a_line_percent_of_0_and_of_100_are_accepted() -> None:
    cart = cart_of(TEA)
    assert cart.set_line_discount_percent(0, 0) == 0
    assert cart.lines[0].discount_kind is DiscountKind.AMOUNT      # nothing off
    assert cart.set_line_discount_percent(0, 10000) == 1234
    assert cart.total == 0


def test_an_order_percent_of_0_and_of_100_are_accepted() -> None:
    cart = cart_of(TEA)
    assert cart.set_order_discount_percent(0) == 0
    assert cart.order_discount_kind is DiscountKind.AMOUNT
    assert cart.set_order_discount_percent(10000) == 1234
    assert cart.total == 0


@pytest.mark.parametrize("bp", [-1, 10001, 20000])
def test_a_percent_outside_0_to_100_is_refused_as_such(bp: int) -> None:
    cart = cart_of(TEA)
    with refused(CartText.PERCENT_OUT_OF_RANGE):
        cart.set_line_discount_percent(0, bp)
    with refused(CartText.PERCENT_OUT_OF_RANGE):
        cart.set_order_discount_percent(bp)
    assert (cart.lines[0].discount, cart.order_discount, cart.total) == (0, 0, 1234)


# ---- parse_percent -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "bp"), [
    ("10%", 1000), ("12.5%", 1250), ("12.34%", 1234), ("10 %", 1000), (" 7％ ", 700),
    ("0%", 0), ("100%", 10000), ("100.00%", 10000), ("0.01%", 1), ("99.99%", 9999),
    ("5.%", 500),
])
def test_parse_percent_reads_basis_points(text: str, bp: int) -> None:
    assert parse_percent(text) == bp


@pytest.mark.parametrize("text", ["10", "12.5", "", "¥10", "%10"])
def test_parse_percent_without_a_trailing_percent_sign_is_not_a_percentage(text: str) -> None:
    assert parse_percent(text) is None


@pytest.mark.parametrize("text", [
    "abc%", "%", "-5%", "1.2.3%", "12.a%", "12.345%", "1.5e1%", "0100%", "1000%",
    "100.01%", "101%", "999%",
])
def test_parse_percent_refuses_a_malformed_or_out_of_range_percentage(text: str) -> None:
    with refused(CartText.PERCENT_OUT_OF_RANGE):
        parse_percent(text)
