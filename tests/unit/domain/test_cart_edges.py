"""Edges of the cart that a mutation run showed no test pinned down: the quantity limits
(both ends), the discount limits (both ends), what each edit returns and leaves behind."""

import pytest

from pos_app.domain.cart import MAX_QUANTITY, Cart, CartError, CartText
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen

COLA = Product("SKU1", "可口可乐 330ml", Fen(300), "6901939621257")
BREAD = Product("SKU2", "面包", Fen(650))


def refused(key: CartText) -> pytest.RaisesExc[CartError]:
    return pytest.raises(CartError, match=rf"^{key.value}\(")


def snapshot(cart: Cart) -> tuple[object, ...]:
    return (tuple((ln.product.sku, ln.quantity, ln.discount) for ln in cart.lines),
            cart.order_discount, cart.total)


def test_the_quantity_limit_is_9999() -> None:
    assert MAX_QUANTITY == 9999


def test_add_accepts_one_and_the_maximum() -> None:
    cart = Cart()
    assert cart.add(COLA, 1).quantity == 1
    assert cart.add(BREAD, MAX_QUANTITY).quantity == MAX_QUANTITY
    assert cart.total == 300 + 650 * MAX_QUANTITY


@pytest.mark.parametrize("qty", [0, -1])
def test_add_refuses_less_than_one(qty: int) -> None:
    cart = Cart()
    with refused(CartText.QUANTITY_TOO_SMALL):
        cart.add(COLA, qty)
    assert cart.lines == []


def test_add_refuses_more_than_the_maximum_and_says_the_limit() -> None:
    cart = Cart()
    with refused(CartText.QUANTITY_TOO_LARGE) as info:
        cart.add(COLA, MAX_QUANTITY + 1)
    assert dict(info.value.message.params) == {"max": MAX_QUANTITY}
    assert cart.lines == []


def test_add_returns_the_line_it_made_or_merged_into() -> None:
    cart = Cart()
    first = cart.add(COLA)
    assert first is cart.lines[0]
    merged = cart.add(COLA, 2)
    assert merged is first
    assert merged.quantity == 3


def test_set_quantity_accepts_one_and_the_maximum() -> None:
    cart = Cart()
    cart.add(COLA, 5)
    cart.set_quantity(0, 1)
    assert cart.lines[0].quantity == 1
    cart.set_quantity(0, MAX_QUANTITY)
    assert cart.lines[0].quantity == MAX_QUANTITY


@pytest.mark.parametrize("qty", [0, MAX_QUANTITY + 1])
def test_set_quantity_refuses_out_of_range(qty: int) -> None:
    cart = Cart()
    cart.add(COLA, 2)
    with refused(CartText.QUANTITY_OUT_OF_RANGE):
        cart.set_quantity(0, qty)
    assert cart.lines[0].quantity == 2


def test_quantity_may_go_down_to_where_the_line_discount_takes_it_all() -> None:
    cart = Cart()
    cart.add(BREAD, 2)
    cart.set_line_discount(0, Fen(650))
    cart.set_quantity(0, 1)  # discount == the new gross: a free line, allowed
    assert cart.lines[0].net == 0
    assert cart.total == 0


def test_line_discount_from_zero_to_the_whole_line() -> None:
    cart = Cart()
    cart.add(COLA, 2)
    cart.set_line_discount(0, Fen(600))
    assert cart.total == 0
    cart.set_line_discount(0, Fen(0))  # taking a discount off again
    assert cart.total == 600
    with refused(CartText.LINE_DISCOUNT_OUT_OF_RANGE):
        cart.set_line_discount(0, Fen(-1))
    assert cart.total == 600


def test_a_line_discount_that_would_leave_the_order_discount_too_big_changes_nothing() -> None:
    cart = Cart()
    cart.add(COLA, 2)
    cart.set_order_discount(Fen(500))
    before = snapshot(cart)
    with refused(CartText.ORDER_DISCOUNT_OUT_OF_RANGE):
        cart.set_line_discount(0, Fen(200))  # subtotal 400 < order discount 500
    assert snapshot(cart) == before
    assert cart.total == 100


def test_order_discount_up_to_the_subtotal() -> None:
    cart = Cart()
    cart.add(COLA, 2)
    cart.set_order_discount(Fen(600))
    assert cart.total == 0
    cart.set_order_discount(Fen(0))
    assert cart.total == 600


def test_removing_a_line_keeps_an_order_discount_that_still_fits() -> None:
    cart = Cart()
    cart.add(COLA)
    cart.add(BREAD)
    cart.set_order_discount(Fen(100))
    cart.remove(1)
    assert cart.order_discount == 100
    assert cart.total == 200


def test_clear_empties_the_cart_and_its_order_discount() -> None:
    cart = Cart()
    cart.add(COLA, 2)
    cart.set_order_discount(Fen(100))
    cart.clear()
    assert cart.lines == []
    assert cart.order_discount == 0
    assert cart.total == 0
    cart.add(BREAD)
    assert cart.total == 650


@pytest.mark.parametrize("index", [1, -1])
def test_edits_of_a_line_that_is_not_there_are_refused(index: int) -> None:
    cart = Cart()
    cart.add(COLA)
    before = snapshot(cart)
    with refused(CartText.NO_SUCH_LINE):
        cart.remove(index)
    with refused(CartText.NO_SUCH_LINE):
        cart.set_quantity(index, 2)
    with refused(CartText.NO_SUCH_LINE):
        cart.set_line_discount(index, Fen(0))
    assert snapshot(cart) == before


def test_a_cart_error_names_its_key_for_logs() -> None:
    cart = Cart()
    with pytest.raises(CartError) as info:
        cart.add(COLA, 0)
    assert str(info.value) == str(info.value.message)
    assert CartText.QUANTITY_TOO_SMALL.value in str(info.value)
