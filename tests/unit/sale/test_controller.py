"""The sale controller's rules, on the real till (SQLite + simulator), without Qt."""

from __future__ import annotations

import pytest

from pos_app.domain.cart import CartError
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.sale.controller import SaleRefused
from pos_app.sale.text import SaleText
from pos_app.simulator.scenarios import auth_code_for

from .conftest import World


def ring_up(w: World, sku: str = "COKE330", qty: int = 1) -> None:
    w.sale.add(w.product(sku), qty)


def charge_code(w: World, scenario: str, **kw: int) -> int:
    """Start a payment-code charge for the cart; returns the order id once started."""
    w.sale.begin_payment(PaymentMethod.CODEPAY)
    w.sale.charge_code(auth_code_for(scenario, **kw))
    w.pump_until(lambda: bool(w.screen.started) or bool(w.screen.start_failures))
    assert w.sale.payment is not None and w.sale.payment.order_id is not None
    return w.sale.payment.order_id


def state(w: World) -> AttemptState | None:
    p = w.sale.payment
    return None if p is None or p.last_event is None else p.last_event.state


def keys(w: World) -> list[SaleText]:
    return [m.key for m, _error in w.screen.notices]  # type: ignore[misc]


def test_cash_sale_finishes_with_a_receipt_and_an_empty_cart(world: World) -> None:
    w = world
    ring_up(w, qty=3)                                          # 3 × ¥3.00
    payment = w.sale.begin_payment(PaymentMethod.CASH)
    assert payment.amount == 900
    w.sale.charge_cash(Fen(2000))
    w.pump_until(lambda: state(w) is AttemptState.PAID)
    w.sale.end_payment()                                       # the cashier closes the screen
    [receipt] = w.screen.receipts
    assert (receipt.total, receipt.tendered, receipt.change) == (900, 2000, 1100)
    assert receipt.payment_method == "现金" and receipt.cashier == "王芳"
    assert receipt.order_no == f"{w.screen.started[0][0]:08d}"
    assert w.sale.cart.lines == [] and w.sale.payment is None and w.sale.order_id is None
    assert w.screen.cart_changes == 1
    assert [o.status.value for o in w.till.recent_orders()] == ["paid"]
    assert w.sale.reprint() is not None and w.sale.reprint().copy  # type: ignore[union-attr]


def test_payment_needs_recovery_done_a_non_empty_cart_and_no_running_payment(
        world: World) -> None:
    w = world
    w.sale.sales_enabled = False
    ring_up(w)
    with pytest.raises(SaleRefused) as refused:
        w.sale.begin_payment(PaymentMethod.CASH)
    assert refused.value.message is not None
    assert refused.value.message.key is SaleText.RECOVERY_PENDING
    w.sale.sales_enabled = True
    w.sale.remove(0)
    with pytest.raises(SaleRefused) as refused:
        w.sale.begin_payment(PaymentMethod.NATIVE)
    assert refused.value.message is not None and refused.value.message.key is SaleText.CART_EMPTY
    ring_up(w)
    w.sale.begin_payment(PaymentMethod.NATIVE)
    with pytest.raises(SaleRefused) as refused:                # a double-pressed key
        w.sale.begin_payment(PaymentMethod.CASH)
    assert refused.value.message is None
    assert w.till.recent_orders() == []                        # nothing stored yet


def test_the_cart_is_frozen_while_paying_and_the_copy_is_charged(world: World) -> None:
    w = world
    ring_up(w)
    w.sale.begin_payment(PaymentMethod.CASH)
    with pytest.raises(SaleRefused) as refused:                # a late look-up result
        w.sale.add(w.product("MILK250"))
    assert refused.value.message is not None
    assert refused.value.message.key is SaleText.PAYING_ITEM_NOT_ADDED
    assert refused.value.message.param_dict() == {"name": w.product("MILK250").name}
    for edit in (lambda: w.sale.set_quantity(0, 5), lambda: w.sale.set_order_discount(Fen(10)),
                 lambda: w.sale.set_line_discount(0, Fen(10)), lambda: w.sale.remove(0),
                 w.sale.clear, w.sale.clear_sale):
        with pytest.raises(SaleRefused):
            edit()
    assert w.sale.cart.total == 300 and len(w.sale.cart.lines) == 1
    w.sale.charge_cash(Fen(300))
    w.pump_until(lambda: state(w) is AttemptState.PAID)
    assert w.sale.payment is not None and w.sale.payment.paid_event is not None
    assert w.sale.payment.paid_event.amount == 300
    w.sale.end_payment()
    w.sale.add(w.product("MILK250"))                          # thawed: a new sale
    assert len(w.sale.cart.lines) == 1


def test_bad_edits_raise_the_carts_own_error_and_change_nothing(world: World) -> None:
    w = world
    ring_up(w)
    with pytest.raises(CartError):
        w.sale.set_quantity(0, 0)
    with pytest.raises(CartError):
        w.sale.set_line_discount(0, Fen(301))
    assert w.sale.cart.total == 300


def test_a_retry_reuses_the_order_and_a_changed_cart_voids_it(world: World) -> None:
    w = world
    ring_up(w)
    first = charge_code(w, "notenough")
    w.pump_until(lambda: state(w) is AttemptState.FAILED)
    w.sale.end_payment()
    assert w.sale.cart.total == 300 and w.sale.order_id == first   # kept for the retry
    w.screen.started.clear()
    assert charge_code(w, "notenough") == first                    # same cart → same order
    w.pump_until(lambda: state(w) is AttemptState.FAILED)
    w.sale.end_payment()
    ring_up(w, "MILK250")                                          # the cart changed
    w.screen.started.clear()
    second = charge_code(w, "success")
    w.pump_until(lambda: state(w) is AttemptState.PAID)
    assert second != first
    order = w.till.order(first)
    assert order is not None and order.status.value == "voided"
    w.sale.end_payment()
    assert w.screen.receipts[-1].total == 300 + w.product("MILK250").price


def test_an_order_voided_by_an_earlier_try_does_not_block_the_sale(world: World) -> None:
    w = world
    ring_up(w)
    first = charge_code(w, "notenough")
    w.pump_until(lambda: state(w) is AttemptState.FAILED)
    w.sale.end_payment()
    ring_up(w, "MILK250")
    w.till.void_order(first)                                       # that start then failed
    w.screen.started.clear()
    assert charge_code(w, "success") != first
    w.pump_until(lambda: state(w) is AttemptState.PAID)


def test_an_unknown_outcome_blocks_charging_a_changed_cart(world: World) -> None:
    """An UNCERTAIN attempt may still turn out paid: a new order for the edited cart
    would charge the customer twice."""
    w = world
    ring_up(w)
    first = charge_code(w, "userpaying_forever")
    w.pump_until(lambda: state(w) is AttemptState.AWAITING_CUSTOMER)
    w.network_down()
    assert w.sale.payment is not None and w.sale.payment.attempt_id is not None
    w.sale.cancel(w.sale.payment.attempt_id)                      # the reverse cannot get through
    w.pump_until(lambda: state(w) is AttemptState.UNCERTAIN)
    w.sale.end_payment()
    assert w.screen.notices[-1] == (w.screen.notices[-1][0], True)
    assert keys(w)[-1] is SaleText.OUTCOME_UNKNOWN
    assert w.sale.cart.total == 300 and w.sale.uncertain_order() == first
    ring_up(w, "MILK250")
    w.sale.begin_payment(PaymentMethod.CASH)
    w.sale.charge_cash(Fen(5000))
    w.pump_until(lambda: bool(w.screen.start_failures))           # refused: nothing charged
    assert [o.status.value for o in w.till.recent_orders()] == ["open"]
    assert len(w.till.recent_orders()) == 1                        # no second order either
    w.sale.end_payment()
    assert not w.sale.clear_sale()                                 # F12: warned first
    assert keys(w)[-1] is SaleText.CLEAR_UNKNOWN_OUTCOME and w.sale.cart.lines
    assert w.sale.clear_sale()                                     # second press
    assert w.sale.cart.lines == [] and w.sale.order_id is None


@pytest.mark.parametrize("edited", [False, True])
def test_paid_after_the_payment_screen_closed_finishes_the_sale(world: World,
                                                                 edited: bool) -> None:
    w = world
    ring_up(w)
    order_id = charge_code(w, "userpaying_then_success", seconds=1)
    w.pump_until(lambda: state(w) is AttemptState.AWAITING_CUSTOMER)
    saved = w.network_down()
    assert w.sale.payment is not None and w.sale.payment.attempt_id is not None
    w.sale.cancel(w.sale.payment.attempt_id)
    w.pump_until(lambda: state(w) is AttemptState.UNCERTAIN)
    w.sale.end_payment()
    if edited:
        ring_up(w, "MILK250")
    w.network_up(saved)
    import time

    time.sleep(1.1)                                                 # the password step is over
    w.till.recover()
    w.pump_until(lambda: bool(w.screen.receipts))
    [receipt] = w.screen.receipts
    assert receipt.total == 300 and receipt.order_no == f"{order_id:08d}"
    if edited:   # the cashier must sort it out: the cart stays, and says so
        assert keys(w)[-1] is SaleText.PAID_LATE_CART_CHANGED and w.screen.notices[-1][1]
        assert len(w.sale.cart.lines) == 2
    else:
        assert keys(w)[-1] is SaleText.PAID_LATE_FINISHED and not w.screen.notices[-1][1]
        assert w.sale.cart.lines == [] and w.sale.order_id is None


def test_paid_late_closes_a_cash_screen_that_has_taken_nothing(world: World) -> None:
    w = world
    ring_up(w)
    charge_code(w, "userpaying_then_success", seconds=1)
    w.pump_until(lambda: state(w) is AttemptState.AWAITING_CUSTOMER)
    saved = w.network_down()
    assert w.sale.payment is not None and w.sale.payment.attempt_id is not None
    w.sale.cancel(w.sale.payment.attempt_id)
    w.pump_until(lambda: state(w) is AttemptState.UNCERTAIN)
    w.sale.end_payment()
    w.sale.begin_payment(PaymentMethod.CASH)                       # about to take cash
    w.network_up(saved)
    import time

    time.sleep(1.1)
    w.till.recover()
    w.pump_until(lambda: bool(w.screen.receipts))
    assert w.screen.closed_payments == 1 and w.sale.payment is None
    assert w.sale.cart.lines == [] and keys(w)[-1] is SaleText.PAID_LATE_FINISHED
    assert [o.status.value for o in w.till.recent_orders()] == ["paid"]


def test_paid_late_with_a_running_payment_keeps_the_cart(world: World) -> None:
    w = world
    ring_up(w)
    charge_code(w, "userpaying_then_success", seconds=1)
    w.pump_until(lambda: state(w) is AttemptState.AWAITING_CUSTOMER)
    saved = w.network_down()
    assert w.sale.payment is not None and w.sale.payment.attempt_id is not None
    w.sale.cancel(w.sale.payment.attempt_id)
    w.pump_until(lambda: state(w) is AttemptState.UNCERTAIN)
    w.sale.end_payment()
    w.sale.begin_payment(PaymentMethod.CASH)
    w.screen.payment_may_close = False                             # something is in flight there
    w.network_up(saved)
    import time

    time.sleep(1.1)
    w.till.recover()
    w.pump_until(lambda: bool(w.screen.receipts))
    assert w.sale.payment is not None and w.sale.cart.lines
    assert keys(w)[-1] is SaleText.PAID_LATE_CART_CHANGED


def test_events_of_other_orders_go_to_the_screen_as_order_events(world: World) -> None:
    from pos_app.payments.api import PaymentEvent

    w = world
    ev = PaymentEvent(order_id=9, attempt_id=4, method=PaymentMethod.CODEPAY,
                      state=AttemptState.UNCERTAIN, amount=Fen(300), recovered=True)
    w.sale.on_payment_event(ev)
    assert w.screen.other_events == [ev] and w.screen.events == []


def test_events_that_beat_the_start_result_are_replayed_to_the_payment(world: World) -> None:
    """The lane may report PAID before the UI thread hears that the attempt started."""
    w = world
    held: list[object] = []
    run = w.runner.run

    def slow_results(fn, on_done=None, on_error=None):  # type: ignore[no-untyped-def]
        return run(fn, lambda r: held.append(lambda: on_done(r)), on_error)

    w.sale.runner = type("Held", (), {"run": staticmethod(slow_results)})()
    ring_up(w)
    w.sale.begin_payment(PaymentMethod.CODEPAY)
    w.sale.charge_code(auth_code_for("success"))
    w.pump_until(lambda: bool(held))
    assert w.till.wait_idle(10)
    w.pump_until(lambda: any(e.state is AttemptState.PAID for e in w.sale._recent))
    assert w.screen.events == []                       # not bound yet: nothing routed
    held.pop()()                                       # the start result arrives last
    assert [e.state for e in w.screen.events][-1] is AttemptState.PAID
    assert w.sale.payment is not None and w.sale.payment.paid_event is not None
    w.sale.end_payment()
    assert w.screen.receipts and w.sale.cart.lines == []


def test_a_failed_cancel_is_reported(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = world

    def refuse(_attempt_id: int) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(w.till, "cancel", refuse)
    w.sale.cancel(1)
    w.pump_until(lambda: bool(w.screen.failures))
    assert str(w.screen.failures[0]) == "database is locked"
