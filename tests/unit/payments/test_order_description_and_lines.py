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


def test_a_one_fen_order_can_be_charged_by_qr_and_its_events_are_live(h: Harness) -> None:
    from pos_app.domain.payment import AttemptState as S
    from pos_app.payments.messages import PaymentText, from_stored

    gate = __import__("threading").Event()
    h.till.lane.submit(lambda: gate.wait(10))
    aid = h.till.pay_native(h.order(price=1))
    a = h.till.attempt(aid)
    assert a is not None and a.amount == 1 and a.state is S.CREATED
    m = from_stored(a.message)
    assert m is not None and m.key is PaymentText.WAITING_SCAN
    gate.set()
    h.run()
    assert h.events and not any(e.recovered for e in h.events if e.attempt_id == aid)


def test_a_payment_code_intent_says_charging(h: Harness) -> None:
    from pos_app.payments.messages import PaymentText, from_stored

    gate = __import__("threading").Event()
    h.till.lane.submit(lambda: gate.wait(10))
    aid = h.till.pay_code(h.order(), "134567890123456781")
    a = h.till.attempt(aid)
    m = None if a is None else from_stored(a.message)
    assert m is not None and m.key is PaymentText.CHARGING
    gate.set()
    h.run()
