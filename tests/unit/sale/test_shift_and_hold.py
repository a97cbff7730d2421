"""The controller's rules for shifts (no payment without one) and hold/recall, with the
held sale stored on the real SQLite store."""

from __future__ import annotations

import pytest

from pos_app.domain.payment import PaymentMethod
from pos_app.sale.controller import SaleRefused
from pos_app.sale.text import SaleText
from pos_app.simulator.scenarios import auth_code_for
from pos_app.storage.held_sales import HeldSaleRepository


def test_no_payment_starts_without_an_open_shift(world):
    sale = world.sale
    sale.shift_required = True
    sale.add(world.product("COKE330"))
    with pytest.raises(SaleRefused) as refused:
        sale.begin_payment(PaymentMethod.CASH)
    assert refused.value.message is not None and refused.value.message.key is SaleText.NO_SHIFT
    sale.shift_open = True
    assert sale.begin_payment(PaymentMethod.CASH).amount == 300


def test_hold_and_recall_through_the_store(world):
    sale = world.sale
    sale.add(world.product("COKE330"), 2)
    sale.set_line_discount(0, 50)
    sale.set_order_discount(10)
    held = HeldSaleRepository(world.db)
    held.hold(sale.take_for_hold(), cashier="王芳")
    assert sale.cart.lines == [] and held.held()[0].total == 540
    other = HeldSaleRepository(world.db, till_id="02")
    assert other.take_latest() is None                   # another till's hold is not ours
    cart = held.take_latest()
    assert cart is not None and held.take_latest() is None
    sale.restore(cart)
    assert sale.cart.total == 540 and sale.cart.lines[0].discount == 50
    with pytest.raises(SaleRefused):
        sale.restore(cart)                              # only onto an empty sale
    with pytest.raises(SaleRefused):
        _hold_after_try(world)


def _hold_after_try(world):
    sale = world.sale
    p = sale.begin_payment(PaymentMethod.CODEPAY)
    sale.charge_code(auth_code_for("notenough"))         # stored order, attempt failed
    world.pump_until(lambda: p.last_event is not None and p.last_event.state.terminal)
    sale.end_payment()
    return sale.take_for_hold()


def test_a_held_sale_keeps_its_discount_kinds(world):
    """A percentage and 抹零 survive hold/recall, so the X/Z still reports them by kind."""
    from pos_app.domain.cart import DiscountKind

    sale = world.sale
    sale.add(world.product("COKE330"), 3)                 # 9.00
    sale.cart.set_line_discount_percent(0, 1000)          # 0.90 → 8.10
    sale.cart.set_order_discount_percent(500)             # 0.41 (0.405 half up) → 7.69
    assert sale.cart.round_off(100) == 69                 # → 7.00
    held = HeldSaleRepository(world.db)
    held.hold(sale.take_for_hold(), cashier="王芳")
    cart = held.take_latest()
    assert cart is not None
    sale.restore(cart)
    c = sale.cart
    assert (c.lines[0].discount, c.lines[0].discount_kind) == (90, DiscountKind.PERCENT)
    assert (c.order_discount, c.order_discount_kind, c.round_off_amount) == (
        110, DiscountKind.PERCENT, 69)
    assert c.total == 700
