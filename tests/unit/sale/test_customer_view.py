"""The customer display's screen, as the sale goes (Qt-free): idle → cart → pay (QR) →
paid ✓ with change / failed, and back."""

from __future__ import annotations

from datetime import datetime

from pos_app.devices.receipt import build_receipt
from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.payments.api import PaymentEvent
from pos_app.sale.customer_view import CustomerScreen, CustomerView, Phase

COKE = Product("COKE", "可口可乐", Fen(300), "6901234567011")
CHIPS = Product("CHIPS", "薯片", Fen(780), "6901234567028")


def event(state: AttemptState, method: PaymentMethod = PaymentMethod.NATIVE, **kw) -> PaymentEvent:
    base = dict(order_id=7, attempt_id=1, method=method, state=state, amount=Fen(1380))
    base.update(kw)
    return PaymentEvent(**base)  # type: ignore[arg-type]


def test_the_cart_grows_on_screen_and_an_empty_cart_is_the_idle_screen() -> None:
    seen: list[CustomerScreen] = []
    view = CustomerView("演示便利店", seen.append)
    assert view.screen.phase is Phase.IDLE and view.screen.shop_name == "演示便利店"
    cart = Cart()
    cart.add(COKE, 2)
    view.cart_changed(cart)
    cart.add(CHIPS)
    cart.set_order_discount(Fen(80))
    view.cart_changed(cart)
    s = view.screen
    assert s.phase is Phase.CART
    assert [(ln.name, ln.quantity, ln.amount) for ln in s.lines] == [
        ("可口可乐", 2, 600), ("薯片", 1, 780)]
    assert (s.total, s.discount, s.item_count) == (1300, 80, 3)
    cart.clear()
    view.cart_changed(cart)
    assert view.screen.phase is Phase.IDLE and view.screen.lines == ()
    assert [x.phase for x in seen] == [Phase.CART, Phase.CART, Phase.IDLE]


def test_native_qr_then_paid_then_idle_after_settle() -> None:
    view = CustomerView("店")
    cart = Cart()
    cart.add(COKE, 2)
    view.cart_changed(cart)
    view.payment_began(PaymentMethod.NATIVE, Fen(600))
    assert view.screen.phase is Phase.PAY and view.screen.qr_payload == ""
    view.payment_event(event(AttemptState.CREATED, amount=Fen(600)))
    view.payment_event(event(AttemptState.AWAITING_CUSTOMER, amount=Fen(600),
                             code_url="weixin://wxpay/bizpayurl?pr=abc"))
    assert (view.screen.phase, view.screen.qr_payload) == (
        Phase.PAY, "weixin://wxpay/bizpayurl?pr=abc")
    cart.add(COKE)                       # the cart shown while paying is the frozen copy
    view.cart_changed(cart)
    assert view.screen.phase is Phase.PAY and view.screen.total == 600
    view.payment_event(event(AttemptState.PAID, amount=Fen(600)))
    assert view.screen.phase is Phase.PAID and view.screen.qr_payload == ""
    assert (view.screen.paid, view.screen.change) == (600, None)
    view.payment_ended(True)
    cart.clear()
    view.cart_changed(cart)              # the finished sale's cart is cleared: ✓ stays
    assert view.screen.phase is Phase.PAID
    view.settle()
    assert view.screen.phase is Phase.IDLE


def test_cash_shows_the_change_and_the_next_item_replaces_the_result() -> None:
    view = CustomerView("店")
    cart = Cart()
    cart.add(COKE, 3)
    view.cart_changed(cart)
    view.payment_began(PaymentMethod.CASH, Fen(900))
    view.payment_event(event(AttemptState.PAID, PaymentMethod.CASH, amount=Fen(900),
                             change=Fen(1100)))
    view.payment_ended(True)
    receipt = build_receipt(shop_name="店", order_id=7, cashier="c", cart=cart, method="cash",
                            amount=Fen(900), change=Fen(1100), transaction_id="",
                            created_at=datetime(2026, 1, 1))
    view.sale_finished(receipt, PaymentMethod.CASH)
    assert (view.screen.phase, view.screen.change, view.screen.method) == (
        Phase.PAID, 1100, "cash")
    cart.clear()
    cart.add(CHIPS)
    view.cart_changed(cart)              # the next customer's first item
    assert view.screen.phase is Phase.CART and view.screen.total == 780


def test_failed_and_unknown_are_told_apart_and_cancel_goes_back_to_the_cart() -> None:
    view = CustomerView("店")
    cart = Cart()
    cart.add(COKE)
    view.cart_changed(cart)
    view.payment_began(PaymentMethod.CODEPAY, Fen(300))
    view.payment_event(event(AttemptState.FAILED, PaymentMethod.CODEPAY))
    assert view.screen.phase is Phase.FAILED and not view.screen.uncertain
    view.payment_event(event(AttemptState.CREATED, PaymentMethod.CODEPAY, attempt_id=2))
    assert view.screen.phase is Phase.PAY               # the cashier scans another code
    view.payment_event(event(AttemptState.UNCERTAIN, PaymentMethod.CODEPAY, attempt_id=2))
    assert view.screen.phase is Phase.FAILED and view.screen.uncertain
    view.payment_ended(False)
    assert view.screen.phase is Phase.FAILED            # held until settled
    view.settle()
    assert view.screen.phase is Phase.CART
    view.payment_began(PaymentMethod.NATIVE, Fen(300))
    view.payment_ended(False)                           # cancelled before any outcome
    assert view.screen.phase is Phase.CART


def test_a_channel_qr_image_or_payload_is_shown_only_while_paying() -> None:
    view = CustomerView("店")
    view.show_qr("https://qr.alipay.com/bax01234")
    assert view.screen.phase is Phase.IDLE              # no payment: nothing to scan
    cart = Cart()
    cart.add(COKE)
    view.cart_changed(cart)
    view.payment_began(PaymentMethod.NATIVE, Fen(300))
    view.show_qr(image=b"\x89PNG...")
    assert view.screen.qr_image == b"\x89PNG..." and view.screen.phase is Phase.PAY
    view.show_qr("https://qr.alipay.com/bax01234")
    assert view.screen.qr_payload == "https://qr.alipay.com/bax01234"
    view.set_shop_name("新店名")
    assert view.screen.shop_name == "新店名"


def test_a_settle_while_the_payment_screen_is_open_waits_for_it_to_close() -> None:
    view = CustomerView("店")
    cart = Cart()
    cart.add(COKE)
    view.cart_changed(cart)
    view.payment_began(PaymentMethod.CASH, Fen(300))
    view.payment_event(event(AttemptState.PAID, PaymentMethod.CASH, amount=Fen(300)))
    view.settle()                                       # the "paid" screen still lingers
    assert view.screen.phase is Phase.PAID
    view.payment_ended(True)
    cart.clear()
    view.cart_changed(cart)
    assert view.screen.phase is Phase.IDLE              # settled as soon as it closed
