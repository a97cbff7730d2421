"""What the channel is told an order is, and the order's lines as the till reads them back
(gaps the full mutation run of payments/till.py found, issue 17)."""

from __future__ import annotations

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from tests.unit.payments.conftest import Harness

COKE = Product("COKE", "可口可乐 330ml", Fen(300), "6901234567011")
TEA = Product("TEA", "绿茶 500ml", Fen(350), "6901234567028")


def test_two_different_items_are_described_as_the_first_and_more(h: Harness) -> None:
    seen: list[str] = []
    real = h.gw.codepay

    def codepay(**kw: object) -> object:
        seen.append(str(kw["description"]))
        return real(**kw)  # type: ignore[arg-type]

    h.gw.codepay = codepay  # type: ignore[method-assign,assignment]
    cart = Cart()
    cart.add(COKE, 1)
    cart.add(TEA, 1)
    oid = h.till.create_order(cart, cashier="alice")
    h.till.pay_code(oid, "134567890123456781")
    h.run()
    assert seen == [f"{h.till.store_name}-可口可乐 330ml等"]


def test_an_orders_lines_are_read_back_as_sold(h: Harness) -> None:
    cart = Cart()
    cart.add(COKE, 2)
    cart.add(TEA, 1)
    oid = h.till.create_order(cart, cashier="alice")
    lines = h.till.order_lines(oid)
    assert [(ln.name, ln.quantity) for ln in lines] == [("可口可乐 330ml", 2), ("绿茶 500ml", 1)]
    order = h.till.order(oid)
    assert order is not None and order.total == 2 * 300 + 350
