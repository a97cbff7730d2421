"""Percentage discounts and 抹零 (domain/cart.py): integer fen, the exact rules."""

from __future__ import annotations

import pytest

from pos_app.domain.cart import Cart, CartError, parse_percent
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen


def product(price: int, sku: str = "X") -> Product:
    return Product(sku=sku, name=sku, price=Fen(price), barcode="", quick_key=None)


def test_parse_percent():
    assert parse_percent("10%") == 1000
    assert parse_percent(" 12.5 % ") == 1250
    assert parse_percent("7.25%") == 725
    assert parse_percent("100％") == 10000
    assert parse_percent("12.50") is None                     # an amount, not a percentage
    for bad in ("%", "abc%", "101%", "1.234%", "-5%"):
        with pytest.raises(CartError):
            parse_percent(bad)


def test_percent_off_the_order_rounds_half_up_to_the_fen():
    cart = Cart()
    cart.add(product(333), 1)
    assert cart.set_order_discount_percent(1250) == 42         # 41.625 → 42
    assert cart.total == 291
    cart.add(product(1, "Y"))
    assert cart.order_discount == 42                           # an amount from now on


def test_percent_off_a_line_uses_its_gross():
    cart = Cart()
    cart.add(product(350), 3)                                  # 10.50
    assert cart.set_line_discount_percent(0, 1000) == 105
    assert cart.total == 945 and cart.discount_total == 105 and cart.gross == 1050


def test_round_off_to_the_yuan_and_to_the_jiao():
    cart = Cart()
    cart.add(product(1287))
    assert cart.round_off(100) == 87 and cart.total == 1200
    assert cart.round_off(100) == 0                            # already whole
    cart = Cart()
    cart.add(product(1287))
    assert cart.round_off(10) == 7 and cart.total == 1280
    small = Cart()
    small.add(product(80))
    assert small.round_off(100) == 0 and small.total == 80    # never makes a sale free
    with pytest.raises(ValueError):
        small.round_off(50)


def test_round_off_adds_to_an_existing_order_discount():
    cart = Cart()
    cart.add(product(1999))
    cart.set_order_discount(Fen(100))
    assert cart.round_off() == 99 and cart.order_discount == 199 and cart.total == 1800
