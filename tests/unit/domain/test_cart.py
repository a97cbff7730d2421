import pytest

from pos_app.domain.cart import Cart, CartError, CartText
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen

COLA = Product("SKU1", "可口可乐 330ml", Fen(300), "6901939621257")
BREAD = Product("SKU2", "面包", Fen(650))


def test_totals_with_line_and_order_discount() -> None:
    cart = Cart()
    cart.add(COLA, 3)
    cart.add(BREAD)
    assert cart.subtotal == 1550
    cart.set_line_discount(0, Fen(100))
    cart.set_order_discount(Fen(50))
    assert cart.subtotal == 1450
    assert cart.total == 1400
    assert cart.item_count == 4


def test_add_merges_same_sku() -> None:
    cart = Cart()
    cart.add(COLA)
    cart.add(COLA, 2)
    assert len(cart.lines) == 1
    assert cart.lines[0].quantity == 3


def test_invalid_edits_change_nothing() -> None:
    cart = Cart()
    cart.add(COLA, 2)
    with pytest.raises(CartError):
        cart.set_quantity(0, 0)
    with pytest.raises(CartError):
        cart.set_line_discount(0, Fen(601))
    with pytest.raises(CartError):
        cart.set_order_discount(Fen(601))
    with pytest.raises(CartError):
        cart.remove(5)
    assert cart.total == 600
    assert cart.lines[0].quantity == 2


def test_removing_a_line_caps_order_discount() -> None:
    cart = Cart()
    cart.add(COLA)
    cart.add(BREAD)
    cart.set_order_discount(Fen(900))
    cart.remove(1)
    assert cart.order_discount == 300
    assert cart.total == 0


def test_quantity_cannot_undercut_line_discount() -> None:
    cart = Cart()
    cart.add(BREAD, 2)
    cart.set_line_discount(0, Fen(1000))
    with pytest.raises(CartError):
        cart.set_quantity(0, 1)
    assert cart.lines[0].quantity == 2


def test_cart_errors_carry_chinese_text() -> None:
    cart = Cart()
    cart.add(COLA)
    with pytest.raises(CartError) as info:
        cart.set_order_discount(Fen(301))
    assert info.value.message.key == CartText.ORDER_DISCOUNT_OUT_OF_RANGE
