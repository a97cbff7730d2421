"""What the customer-facing display (客显 / 副屏) shows, as plain values without Qt.

:class:`CustomerView` is a :class:`~pos_app.sale.controller.SaleWatcher` fed the cart as
it changes; it turns the sale into one :class:`CustomerScreen` at a time:

* ``IDLE``   — no sale: the shop's name (a welcome screen);
* ``CART``   — the lines as they are rung up and the total;
* ``PAY``    — a payment is running: the amount to pay, and the payment QR code when the
  channel gave one (any channel: ``qr_payload`` is the text to encode, ``qr_image`` a
  ready image the channel supplied instead);
* ``PAID``   — "paid ✓" with the amount and, for cash, the change;
* ``FAILED`` — the payment did not go through (nothing charged, or not known yet).

``PAID`` and ``FAILED`` are held until :meth:`CustomerView.settle` (the UI calls it after
a few seconds) or the next cart change. Amounts are integer fen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from pos_app.devices.receipt import Receipt
from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.payments.api import PaymentEvent


class Phase(StrEnum):
    IDLE = "idle"
    CART = "cart"
    PAY = "pay"
    PAID = "paid"
    FAILED = "failed"


@dataclass(frozen=True)
class DisplayLine:
    name: str
    quantity: int
    amount: Fen          # after the line discount


@dataclass(frozen=True)
class CustomerScreen:
    phase: Phase
    shop_name: str
    lines: tuple[DisplayLine, ...] = ()
    total: Fen = Fen(0)
    discount: Fen = Fen(0)           # all discounts on the sale
    method: str = ""                 # the running payment's method value ("native", "cash"…)
    qr_payload: str = ""             # PAY: the code to show the customer ("" = none)
    qr_image: bytes | None = None    # PAY: a ready QR image (PNG) from the channel
    paid: Fen = Fen(0)               # PAID: what was paid
    change: Fen | None = None        # PAID, cash: the change to give
    uncertain: bool = False          # FAILED: the outcome is not known yet (not "failed")

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


#: failed outcomes: nothing was charged
_NOT_CHARGED = (AttemptState.CLOSED, AttemptState.REVERSED, AttemptState.FAILED)


class CustomerView:
    """Follows one till's sale; ``on_change(screen)`` after every change of screen."""

    def __init__(self, shop_name: str,
                 on_change: Callable[[CustomerScreen], None] | None = None) -> None:
        self._on_change = on_change
        self.screen = CustomerScreen(Phase.IDLE, shop_name)
        self._cart = CustomerScreen(Phase.IDLE, shop_name)  # the cart as last seen
        self._paying = False
        self._settle_due = False   # settle() came while the payment screen was still open

    def set_shop_name(self, name: str) -> None:
        self._cart = replace(self._cart, shop_name=name)
        self._show(replace(self.screen, shop_name=name))

    # -- the cart (from the UI's cart model) --------------------------------------------
    def cart_changed(self, cart: Cart) -> None:
        lines = tuple(DisplayLine(ln.product.name, ln.quantity, ln.net) for ln in cart.lines)
        phase = Phase.CART if lines else Phase.IDLE
        self._cart = CustomerScreen(phase, self.screen.shop_name, lines, cart.total,
                                    Fen(cart.discount_total))
        if self._paying:
            return  # the payment charges its frozen copy: keep showing that
        if not lines and self.screen.phase in (Phase.PAID, Phase.FAILED) and not self._settle_due:
            return  # the finished sale's cart was cleared: "paid ✓" stays until settle()
        self._show(self._cart)

    # -- SaleWatcher ----------------------------------------------------------------------
    def payment_began(self, method: PaymentMethod, amount: Fen) -> None:
        self._paying = True
        self._show(replace(self._cart, phase=Phase.PAY, total=amount, method=str(method)))

    def payment_event(self, event: PaymentEvent) -> None:
        s = self.screen
        if event.state is AttemptState.PAID:
            self._show(replace(s, phase=Phase.PAID, qr_payload="", qr_image=None,
                               paid=event.amount, change=event.change, uncertain=False))
        elif event.state in _NOT_CHARGED:
            self._show(replace(s, phase=Phase.FAILED, qr_payload="", qr_image=None,
                               uncertain=False))
        elif event.state is AttemptState.UNCERTAIN:
            self._show(replace(s, phase=Phase.FAILED, qr_payload="", qr_image=None,
                               uncertain=True))
        else:  # created / awaiting the customer: a new attempt (retry) shows PAY again
            self._show(replace(s, phase=Phase.PAY, method=str(event.method),
                               qr_payload=event.code_url or (
                                   s.qr_payload if s.phase is Phase.PAY else ""),
                               uncertain=False))

    def show_qr(self, payload: str = "", image: bytes | None = None) -> None:
        """A channel's QR code for the running payment (text to encode, or an image)."""
        if self._paying:
            self._show(replace(self.screen, phase=Phase.PAY, qr_payload=payload,
                               qr_image=image))

    def payment_ended(self, paid: bool) -> None:
        self._paying = False
        if not paid and self.screen.phase is not Phase.FAILED:
            self._show(self._cart)  # cancelled before any outcome: back to the cart
        elif not paid and self._settle_due:
            self.settle()
        # paid: the sale finishes and its cart is cleared next (cart_changed settles)

    def sale_finished(self, receipt: Receipt, method: PaymentMethod) -> None:
        if self.screen.phase is not Phase.PAID:  # e.g. paid late, after the screen closed
            self._show(replace(self._cart, phase=Phase.PAID, method=str(method),
                               total=receipt.total, paid=receipt.total, change=receipt.change,
                               qr_payload="", qr_image=None))

    # -- time -----------------------------------------------------------------------------
    def settle(self) -> None:
        """The result has been shown long enough: back to the cart (or idle) — once the
        payment screen has closed, if it is still open."""
        if self.screen.phase not in (Phase.PAID, Phase.FAILED):
            self._settle_due = False
        elif self._paying:
            self._settle_due = True
        else:
            self._settle_due = False
            self._show(self._cart)

    def _show(self, screen: CustomerScreen) -> None:
        if screen.phase not in (Phase.PAID, Phase.FAILED):
            self._settle_due = False
        if screen == self.screen:
            return
        self.screen = screen
        if self._on_change is not None:
            self._on_change(screen)
