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


# -- both channels' codes for one order (issue 16): two NATIVE attempts, interleaved ------

WX_URL = "weixin://wxpay/bizpayurl?pr=wx1"
ALI_URL = "https://qr.alipay.com/bax01"


def pair_view() -> CustomerView:
    """A pair under way: WeChat Pay's attempt 11 and Alipay's 12, both codes out (their
    events interleaved, Alipay's first)."""
    view = CustomerView("店")
    cart = Cart()
    cart.add(COKE, 2)
    view.cart_changed(cart)
    view.payment_began(PaymentMethod.NATIVE, Fen(600))
    for ev in (ali(AttemptState.CREATED), wx(AttemptState.CREATED),
               ali(AttemptState.AWAITING_CUSTOMER, code_url=ALI_URL),
               wx(AttemptState.AWAITING_CUSTOMER, code_url=WX_URL)):
        view.payment_event(ev)
    return view


def wx(state: AttemptState, **kw) -> PaymentEvent:
    return event(state, attempt_id=11, channel="wechat", amount=Fen(600), **kw)


def ali(state: AttemptState, **kw) -> PaymentEvent:
    return event(state, attempt_id=12, channel="alipay", amount=Fen(600), **kw)


def test_a_pair_shows_both_codes_in_attempt_order_and_one_paid_stays_paid() -> None:
    view = pair_view()
    s = view.screen
    assert (s.phase, s.total, s.method) == (Phase.PAY, 600, "native")
    assert s.qrs == (("wechat", WX_URL), ("alipay", ALI_URL))   # WeChat Pay's on the left
    assert s.qr_payload == WX_URL
    view.payment_event(wx(AttemptState.AWAITING_CUSTOMER))     # news without the code
    assert view.screen.qrs == (("wechat", WX_URL), ("alipay", ALI_URL))
    view.payment_event(ali(AttemptState.PAID))
    assert (view.screen.phase, view.screen.paid, view.screen.qrs) == (Phase.PAID, 600, ())
    view.payment_event(wx(AttemptState.CLOSED))                # the other code closed
    assert view.screen.phase is Phase.PAID and not view.screen.double_paid
    view.payment_ended(True)
    view.payment_event(wx(AttemptState.CLOSED))                # its close confirmed, late
    assert view.screen.phase is Phase.PAID


def test_a_pair_code_that_ends_first_only_takes_its_own_code_off() -> None:
    view = pair_view()
    view.payment_event(wx(AttemptState.FAILED))                # e.g. WeChat Pay refused it
    assert (view.screen.phase, view.screen.qrs) == (Phase.PAY, (("alipay", ALI_URL),))
    view.payment_event(ali(AttemptState.PAID))
    assert view.screen.phase is Phase.PAID


def test_a_pair_with_both_codes_closed_failed_and_held_until_settled() -> None:
    view = pair_view()
    view.payment_event(ali(AttemptState.CLOSED))               # the cashier cancelled: both
    assert view.screen.phase is Phase.PAY and len(view.screen.qrs) == 1
    view.payment_event(wx(AttemptState.CLOSED))
    assert (view.screen.phase, view.screen.uncertain, view.screen.qrs) == (
        Phase.FAILED, False, ())
    view.payment_ended(False)
    assert view.screen.phase is Phase.FAILED
    view.settle()
    assert view.screen.phase is Phase.CART


def test_a_pair_with_an_unknown_outcome_is_uncertain_once_nothing_is_open() -> None:
    view = pair_view()
    view.payment_event(wx(AttemptState.UNCERTAIN))
    assert (view.screen.phase, view.screen.qrs) == (Phase.PAY, (("alipay", ALI_URL),))
    view.payment_event(ali(AttemptState.CLOSED))
    assert view.screen.phase is Phase.FAILED and view.screen.uncertain
    view.payment_event(wx(AttemptState.CLOSED))                # resolved: nothing charged
    assert view.screen.phase is Phase.FAILED and not view.screen.uncertain
    view = pair_view()
    view.payment_event(ali(AttemptState.CLOSED))
    view.payment_event(wx(AttemptState.UNCERTAIN))             # the other order: same
    assert view.screen.phase is Phase.FAILED and view.screen.uncertain


def test_both_codes_paid_is_paid_once_with_the_double_payment_said() -> None:
    view = pair_view()
    view.payment_event(wx(AttemptState.PAID))
    view.payment_event(ali(AttemptState.PAID, double_paid=True))
    s = view.screen
    assert (s.phase, s.paid, s.double_paid, s.owed) == (Phase.PAID, 600, True, 600)
    view.payment_event(ali(AttemptState.CLOSED))
    assert view.screen == s
    view = pair_view()                                         # a coupon paid part of it
    view.payment_event(ali(AttemptState.PAID, double_paid=True, payer_total=Fen(500)))
    assert (view.screen.phase, view.screen.paid, view.screen.owed) == (Phase.PAID, 600, 500)


def test_a_single_code_retried_shows_the_new_code_only() -> None:
    view = CustomerView("店")
    view.payment_began(PaymentMethod.NATIVE, Fen(600))
    view.payment_event(wx(AttemptState.AWAITING_CUSTOMER, code_url=WX_URL))
    view.payment_event(wx(AttemptState.CLOSED))                # the code expired
    assert view.screen.phase is Phase.FAILED
    view.payment_event(event(AttemptState.CREATED, attempt_id=13, channel="wechat"))
    assert (view.screen.phase, view.screen.qrs) == (Phase.PAY, ())
    view.payment_event(event(AttemptState.AWAITING_CUSTOMER, attempt_id=13, channel="wechat",
                             code_url="weixin://wxpay/bizpayurl?pr=wx2"))
    assert view.screen.qrs == (("wechat", "weixin://wxpay/bizpayurl?pr=wx2"),)


def test_a_supplied_code_is_labelled_with_the_one_waiting_channel() -> None:
    view = CustomerView("店")
    view.payment_began(PaymentMethod.NATIVE, Fen(600))
    view.payment_event(ali(AttemptState.CREATED))
    view.show_qr(ALI_URL)
    assert view.screen.qrs == (("alipay", ALI_URL),)
    view.payment_event(ali(AttemptState.AWAITING_CUSTOMER))    # no code of its own: kept
    assert view.screen.qrs == (("alipay", ALI_URL),)
    view.payment_event(ali(AttemptState.PAID))
    view.show_qr(ALI_URL)                                      # too late: paid stays
    assert view.screen.phase is Phase.PAID


def test_late_news_of_a_payment_cancelled_before_any_outcome_leaves_the_cart() -> None:
    view = pair_view()
    view.payment_ended(False)                                  # the cashier cancelled
    assert view.screen.phase is Phase.CART
    view.payment_event(wx(AttemptState.CLOSED))                # the closes confirmed later
    view.payment_event(ali(AttemptState.CLOSED))
    assert view.screen.phase is Phase.CART


def test_the_next_payment_starts_afresh_after_a_paid_pair() -> None:
    view = pair_view()
    view.payment_event(wx(AttemptState.PAID))
    view.payment_ended(True)
    view.payment_began(PaymentMethod.NATIVE, Fen(300))         # the next sale
    view.payment_event(event(AttemptState.AWAITING_CUSTOMER, attempt_id=13, channel="wechat",
                             code_url="weixin://wxpay/bizpayurl?pr=wx3"))
    assert (view.screen.phase, view.screen.qrs) == (
        Phase.PAY, (("wechat", "weixin://wxpay/bizpayurl?pr=wx3"),))


def test_paid_twice_after_the_payment_screen_closed_is_still_said() -> None:
    view = pair_view()
    view.payment_event(wx(AttemptState.PAID))
    view.payment_ended(True)                                   # the paid screen closed
    view.payment_event(ali(AttemptState.CLOSED))               # ordinary late news: nothing
    assert not view.screen.double_paid
    view.payment_event(ali(AttemptState.PAID, double_paid=True))   # the lane was slower
    s = view.screen
    assert (s.phase, s.double_paid, s.owed) == (Phase.PAID, True, 600)
    view.settle()
    settled = view.screen
    view.payment_event(ali(AttemptState.PAID, double_paid=True))   # once settled: not again
    assert view.screen == settled and not settled.double_paid
