"""What the customer-facing display (客显 / 副屏) shows, as plain values without Qt.

:class:`CustomerView` is a :class:`~pos_app.sale.controller.SaleWatcher` fed the cart as
it changes; it turns the sale into one :class:`CustomerScreen` at a time:

* ``IDLE``   — no sale: the shop's name (a welcome screen);
* ``CART``   — the lines as they are rung up and the total;
* ``PAY``    — a payment is running: the amount to pay, and the payment QR codes when the
  channels gave them (``qrs``: one ``(channel, payload)`` per attempt still waiting for the
  customer — two side by side when both channels' codes are offered for the same order;
  ``qr_payload`` is the first one's text, ``qr_image`` a ready image a channel supplied);
* ``PAID``   — "paid ✓" with the amount and, for cash, the change (and a note when both
  codes of a pair were paid: the customer paid twice and is owed the amount back);
* ``FAILED`` — the payment did not go through (nothing charged, or not known yet).

The view follows every attempt of the running payment by ``attempt_id`` (both attempts of
a both-channels pair, or one attempt after another for a retry): any attempt PAID is
PAID for the rest of that payment (the other attempt's close that follows changes
nothing); an attempt that ends unpaid only takes its own code off while another attempt
still waits; FAILED only once no attempt is open (``uncertain`` if any outcome is unknown).

``PAID`` and ``FAILED`` are held until :meth:`CustomerView.settle` (the UI calls it after
a few seconds) or the next cart change. Amounts are integer fen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import NamedTuple

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


class QrCode(NamedTuple):
    """One code for the customer to scan: the channel it pays with ("wechat", "alipay";
    "" = not known) and the text it encodes."""

    channel: str
    payload: str


@dataclass(frozen=True)
class CustomerScreen:
    phase: Phase
    shop_name: str
    lines: tuple[DisplayLine, ...] = ()
    total: Fen = Fen(0)
    discount: Fen = Fen(0)           # all discounts on the sale
    method: str = ""                 # the running payment's method value ("native", "cash"…)
    qrs: tuple[QrCode, ...] = ()     # PAY: the codes to show the customer, in attempt order
    qr_image: bytes | None = None    # PAY: a ready QR image (PNG) from the channel
    paid: Fen = Fen(0)               # PAID: what was paid
    change: Fen | None = None        # PAID, cash: the change to give
    uncertain: bool = False          # FAILED: the outcome is not known yet (not "failed")
    double_paid: bool = False        # PAID: both codes were paid: a refund is owed
    owed: Fen = Fen(0)               # PAID, double_paid: what the second payment took

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def qr_payload(self) -> str:
        """The (first) code's text ("" = none): the single-QR view of :attr:`qrs`."""
        return self.qrs[0].payload if self.qrs else ""


@dataclass(frozen=True)
class _Attempt:
    """What the view knows of one attempt of the running payment."""

    channel: str
    state: AttemptState
    code_url: str      # the last code the attempt gave ("" = none yet)

    @property
    def open(self) -> bool:   # still waiting for the customer (or to be sent)
        return self.state in (AttemptState.CREATED, AttemptState.AWAITING_CUSTOMER)


#: failed outcomes: nothing was charged
_NOT_CHARGED = (AttemptState.CLOSED, AttemptState.REVERSED, AttemptState.FAILED)


def _taken(event: PaymentEvent) -> Fen:
    """What a payment took from the customer (a channel's coupon paid the rest)."""
    return event.payer_total if event.payer_total is not None else event.amount


class CustomerView:
    """Follows one till's sale; ``on_change(screen)`` after every change of screen."""

    def __init__(self, shop_name: str,
                 on_change: Callable[[CustomerScreen], None] | None = None) -> None:
        self._on_change = on_change
        self.screen = CustomerScreen(Phase.IDLE, shop_name)
        self._cart = CustomerScreen(Phase.IDLE, shop_name)  # the cart as last seen
        self._paying = False
        self._settle_due = False   # settle() came while the payment screen was still open
        # the running (or last) payment: its attempts by id, whether one was paid, and a
        # code handed in by show_qr
        self._attempts: dict[int, _Attempt] = {}
        self._paid = False
        self._supplied: tuple[str, bytes | None] = ("", None)

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
        self._attempts = {}
        self._paid = False
        self._supplied = ("", None)
        self._show(replace(self._cart, phase=Phase.PAY, total=amount, method=str(method)))

    def payment_event(self, event: PaymentEvent) -> None:
        s = self.screen
        late = not self._paying and event.attempt_id in self._attempts
        if late or self._paid:
            # one attempt paid: PAID for the rest of this payment, and late news of a
            # finished payment (e.g. the other code's close) changes nothing — but a
            # second PAID is said while "paid ✓" is up (both codes paid)
            if self._paid and s.phase is Phase.PAID and event.double_paid:
                self._show(replace(s, double_paid=True, owed=_taken(event)))
            return
        known = self._attempts.get(event.attempt_id)
        self._attempts[event.attempt_id] = _Attempt(
            event.channel, event.state,
            event.code_url or (known.code_url if known is not None else ""))
        if event.state is AttemptState.PAID:
            self._paid = True
            self._show(replace(s, phase=Phase.PAID, qrs=(), qr_image=None, paid=event.amount,
                               change=event.change, uncertain=False,
                               double_paid=event.double_paid,
                               owed=_taken(event) if event.double_paid else Fen(0)))
            return
        waiting = self._waiting()
        if not waiting:  # nothing left to scan: not charged, or not known yet
            uncertain = any(a.state is AttemptState.UNCERTAIN
                            for a in self._attempts.values())
            self._show(replace(s, phase=Phase.FAILED, qrs=(), qr_image=None,
                               uncertain=uncertain))
            return
        # created / awaiting the customer (a retry shows PAY again); an attempt that
        # ended while another still waits only takes its own code off
        qrs = tuple(QrCode(a.channel, a.code_url) for a in waiting if a.code_url)
        image = None
        if not qrs:
            payload, image = self._supplied
            qrs = (QrCode(waiting[0].channel, payload),) if payload else ()
        self._show(replace(s, phase=Phase.PAY, method=str(event.method), qrs=qrs,
                           qr_image=image, uncertain=False))

    def show_qr(self, payload: str = "", image: bytes | None = None) -> None:
        """A channel's QR code for the running payment (text to encode, or an image); an
        attempt's own code (its event's ``code_url``) comes first from its next event."""
        if self._paying and not self._paid:
            self._supplied = (payload, image)
            waiting = self._waiting()
            channel = waiting[0].channel if len(waiting) == 1 else ""
            self._show(replace(self.screen, phase=Phase.PAY,
                               qrs=(QrCode(channel, payload),) if payload else (),
                               qr_image=image))

    def _waiting(self) -> list[_Attempt]:
        """The running payment's attempts still open, in attempt order (WeChat Pay's
        code left of Alipay's for a pair: its attempt is inserted first)."""
        return [self._attempts[i] for i in sorted(self._attempts) if self._attempts[i].open]

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
                               qrs=(), qr_image=None))

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
