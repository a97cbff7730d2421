"""The sale controller following both channels' QRs (Ctrl+F8): one payment screen, two
attempts. A scripted till hands out the pair's ids; events are fed the way the UI's
bridge does, in order, on this thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.payments.api import PaymentEvent
from pos_app.sale.controller import SaleController
from pos_app.sale.text import SaleText
from tests.unit.sale.conftest import PrinterCfg, Screen

S = AttemptState
ORDER = 7


class PairTill:
    """Just enough till: one order, a pair of attempts (11: WeChat, 12: Alipay)."""

    def __init__(self) -> None:
        self.pairs = 0

    def create_order(self, cart: Any, *, cashier: str) -> int:
        return ORDER

    def pay_native_pair(self, order_id: int) -> tuple[int, int]:
        self.pairs += 1
        return 11, 12

    def order(self, order_id: int) -> Any:
        return None

    def void_order(self, order_id: int) -> None:
        raise AssertionError("not voided")


class NowRunner:
    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> object:
        result = fn()
        if on_done is not None:
            on_done(result)
        return None


def ev(attempt: int, state: AttemptState, *, double: bool = False) -> PaymentEvent:
    return PaymentEvent(order_id=ORDER, attempt_id=attempt, method=PaymentMethod.NATIVE,
                        state=state, amount=Fen(300), out_trade_no=f"P{attempt}",
                        channel="wechat" if attempt == 11 else "alipay",
                        code_url="weixin://x" if attempt == 11 else "https://qr.alipay.com/x",
                        double_paid=double, paid_late=double)


def paying() -> tuple[SaleController, Screen, PairTill]:
    till, screen = PairTill(), Screen()
    sale = SaleController(till, NowRunner(), cashier="王芳", shop_name="店",  # type: ignore[arg-type]
                          printer=PrinterCfg(), observer=screen)
    sale.sales_enabled = True
    sale.add(Product("COKE", "可乐", Fen(300), "6901234567011"))
    sale.begin_payment(PaymentMethod.NATIVE)
    sale.charge_native_pair()
    return sale, screen, till


def test_both_attempts_are_followed_and_the_first_paid_finishes_the_sale() -> None:
    sale, screen, till = paying()
    assert till.pairs == 1 and screen.started == [(ORDER, 11)]
    p = sale.payment
    assert p is not None and p.pair == (11, 12)
    for e in (ev(11, S.CREATED), ev(12, S.CREATED), ev(11, S.AWAITING_CUSTOMER),
              ev(12, S.AWAITING_CUSTOMER), ev(12, S.PAID), ev(11, S.CLOSED)):
        sale.on_payment_event(e)
    assert [(e.attempt_id, e.state) for e in screen.events][-2:] == [(12, S.PAID), (11, S.CLOSED)]
    assert p.paid_event is not None and p.paid_event.attempt_id == 12
    sale.end_payment()
    assert [r.total for r in screen.receipts] == [300] and not sale.cart.lines


def test_a_second_paid_does_not_replace_the_first() -> None:
    sale, screen, _till = paying()
    sale.on_payment_event(ev(11, S.PAID))
    sale.on_payment_event(ev(12, S.PAID, double=True))
    p = sale.payment
    assert p is not None and p.paid_event is not None and p.paid_event.attempt_id == 11
    assert screen.events[-1].double_paid          # the screen hears it (refund owed)


def test_events_of_other_attempts_of_the_order_are_not_the_pairs() -> None:
    sale, screen, _till = paying()
    sale.on_payment_event(ev(10, S.FAILED))   # an earlier try of the same order
    sale.on_payment_event(ev(13, S.CREATED))
    assert screen.events == []


def test_one_unknown_and_one_closed_is_an_unknown_outcome() -> None:
    sale, screen, _till = paying()
    sale.on_payment_event(ev(12, S.UNCERTAIN))
    sale.on_payment_event(ev(11, S.CLOSED))    # the latest event says "closed"…
    sale.end_payment()
    assert screen.notices[-1][0].key is SaleText.OUTCOME_UNKNOWN and screen.notices[-1][1]
    assert sale.uncertain_order() == ORDER      # …but the other one is not known
    assert not sale.clear_sale()               # F12 asks first
    assert screen.notices[-1][0].key is SaleText.CLEAR_UNKNOWN_OUTCOME
    assert sale.clear_sale()


def test_both_closed_is_not_unknown() -> None:
    sale, screen, _till = paying()
    sale.on_payment_event(ev(12, S.UNCERTAIN))
    sale.on_payment_event(ev(12, S.CLOSED))    # re-checked: closed after all
    sale.on_payment_event(ev(11, S.CLOSED))
    sale.end_payment()
    assert screen.notices == [] and sale.uncertain_order() is None
    assert sale.clear_sale()


class Watcher:
    def __init__(self) -> None:
        self.events: list[PaymentEvent] = []

    def payment_began(self, method: PaymentMethod, amount: Fen) -> None: ...

    def payment_event(self, event: PaymentEvent) -> None:
        self.events.append(event)

    def payment_ended(self, paid: bool) -> None: ...

    def sale_finished(self, receipt: Any, method: PaymentMethod) -> None: ...


def test_a_second_paid_after_the_screen_closed_still_reaches_the_watchers() -> None:
    sale, screen, _till = paying()
    watcher = Watcher()
    sale.watchers.append(watcher)
    sale.on_payment_event(ev(11, S.PAID))
    sale.end_payment()                                  # the paid screen closed
    sale.on_payment_event(ev(12, S.CLOSED))             # ordinary late news: not theirs
    sale.on_payment_event(ev(12, S.PAID, double=True))  # paid twice: the display says so
    assert [(e.attempt_id, e.double_paid) for e in watcher.events] == [(11, False), (12, True)]
    assert screen.other_events[-1].double_paid          # and the sale screen hears it
