"""The sale being rung up at this till, as rules without Qt.

:class:`SaleController` owns the current cart and the order persisted for it, and
decides:

* which payment may start (sales wait for start-up recovery; one payment at a time;
  never an empty cart) — the cart is *frozen* while a payment runs and the payment
  charges a copy taken when it began, so the amount shown is the amount charged;
* when the order is reused (a retry of the same cart) and when it must be voided and
  re-created (the cart changed after a failed attempt) — voiding is refused by the
  till for an order whose outcome is unknown or paid, and then no new order is made:
  a second charge for the same goods is never started;
* finishing the sale: the receipt data, the cart cleared; also when a payment whose
  outcome was unknown turns out PAID after its screen was closed;
* F12 on a sale whose outcome is unknown needs a second press.

Threading: the controller is confined to one thread (the UI thread in the app).
Blocking work goes through a :class:`~pos_app.sale.runner.Runner` whose callbacks come
back on that thread, and payment events are handed in with :meth:`on_payment_event`
on that thread (the UI posts them through its bridge). It tells the UI what happened
through a :class:`SaleObserver`.
"""

from __future__ import annotations

import copy
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from pos_app.devices.printer.factory import PrinterConfig
from pos_app.devices.receipt import Receipt, build_receipt
from pos_app.domain.cart import Cart, CartLine, DiscountKind
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.text import Message, msg
from pos_app.payments.api import PaymentEvent, Till
from pos_app.sale.printing import Printing
from pos_app.sale.runner import Runner
from pos_app.sale.shop_time import shop_clock
from pos_app.sale.text import SaleText

log = logging.getLogger("pos_app.sale")

VOIDED = "voided"  # the order status of a voided order


class OrderView(Protocol):
    @property
    def status(self) -> str: ...


class SaleTill(Till, Protocol):
    """The till as the sale needs it: the payment API plus voiding a stale order."""

    def void_order(self, order_id: int) -> None:
        """Void an unpaid order with no unfinished attempt (raises otherwise)."""

    def order(self, order_id: int) -> OrderView | None: ...


class SaleObserver(Protocol):
    """What the controller tells the UI (always on the controller's thread)."""

    def cart_changed(self) -> None:
        """The controller changed the cart itself (sale finished or cleared)."""

    def sale_notice(self, message: Message, error: bool) -> None: ...

    def payment_started(self, order_id: int, attempt_id: int) -> None:
        """The running payment's order and attempt are stored; the charge is under way."""

    def payment_start_failed(self, exc: BaseException) -> None:
        """The running payment could not be started (nothing was charged)."""

    def payment_event(self, event: PaymentEvent) -> None:
        """Progress of the running payment."""

    def order_event(self, event: PaymentEvent) -> None:
        """A recovered or finished attempt that is not the running payment's."""

    def close_payment(self) -> bool:
        """Close the payment screen if nothing is in flight there; True if it is closed."""

    def sale_finished(self, receipt: Receipt) -> None:
        """A sale was paid: show its receipt."""

    def task_failed(self, exc: BaseException) -> None:
        """A background call (e.g. a cancel) failed."""


class SaleWatcher(Protocol):
    """Anyone else following the sale (the customer display, the cash drawer): told on
    the controller's thread, after the observer. Cart edits are not told here (the UI's
    cart model signals them)."""

    def payment_began(self, method: PaymentMethod, amount: Fen) -> None: ...

    def payment_event(self, event: PaymentEvent) -> None:
        """Progress of the running payment (as the payment screen gets it)."""

    def payment_ended(self, paid: bool) -> None:
        """The payment screen closed (``paid``: the sale is finished)."""

    def sale_finished(self, receipt: Receipt, method: PaymentMethod) -> None: ...


class SaleRefused(ValueError):
    """The request was refused and nothing changed; ``message`` (None = say nothing)."""

    def __init__(self, message: Message | None) -> None:
        super().__init__(str(message))
        self.message = message


def cart_fingerprint(cart: Cart) -> tuple[object, ...]:
    """What makes two carts the same sale (an order is reused only for the same one)."""
    return (tuple((ln.product.sku, ln.product.price, ln.quantity, ln.discount,
                   ln.discount_kind) for ln in cart.lines),
            cart.order_discount, cart.order_discount_kind, cart.round_off_amount)


@dataclass
class ActivePayment:
    """The payment running for the frozen ``cart`` (one payment screen): one attempt at a
    time, or a ``pair`` of Native attempts (both channels' QRs at once)."""

    method: PaymentMethod
    cart: Cart
    order_id: int | None = None
    attempt_id: int | None = None
    last_event: PaymentEvent | None = None
    paid_event: PaymentEvent | None = None
    pair: tuple[int, ...] = ()
    latest: dict[int, PaymentEvent] = field(default_factory=dict)  # per attempt

    @property
    def amount(self) -> Fen:
        return self.cart.total

    def accepts(self, ev: PaymentEvent) -> bool:
        """Is ``ev`` about this payment's current attempt (either attempt of a pair)?"""
        if self.order_id is None or ev.order_id != self.order_id or ev.method != self.method:
            return False
        if self.pair:
            return ev.attempt_id in self.pair
        return self.attempt_id is None or ev.attempt_id >= self.attempt_id

    def apply(self, ev: PaymentEvent) -> None:
        self.attempt_id = ev.attempt_id
        self.last_event = ev
        self.latest[ev.attempt_id] = ev
        if ev.state is AttemptState.PAID and self.paid_event is None:
            self.paid_event = ev   # a pair's second PAID (double_paid) does not replace it

    @property
    def uncertain(self) -> bool:
        """Not paid, and an attempt's outcome is unknown."""
        return self.paid_event is None and any(
            ev.state is AttemptState.UNCERTAIN for ev in self.latest.values())


@dataclass(frozen=True)
class _Order:
    """The order stored for a cart: its id, the cart's fingerprint and the cart itself."""

    id: int
    fingerprint: tuple[object, ...]
    cart: Cart


class SaleController:
    """One cashier's sale screen, without the screen."""

    def __init__(
        self,
        till: SaleTill,
        runner: Runner,
        *,
        cashier: str,
        shop_name: str,
        printer: PrinterConfig,
        print_runner: Runner | None = None,
        observer: SaleObserver | None = None,
        clock: Callable[[], datetime] = shop_clock,
    ) -> None:
        self.till = till
        self.runner = runner
        self.cashier = cashier
        self.shop_name = shop_name
        self.shop_address = ""   # the receipt header (settings)
        self.shop_phone = ""
        self.printing = Printing(print_runner or runner, printer)
        self.observer: SaleObserver = observer or _Silent()
        self.clock = clock
        self.cart = Cart()
        self.sales_enabled = False
        # every sale belongs to a shift: with a shift service the UI says whether one is
        # open on this till, and no payment starts without it
        self.shift_required = False
        self.shift_open = False
        self.payment: ActivePayment | None = None
        self.last_receipt: Receipt | None = None
        self._order: _Order | None = None
        self._recent: deque[PaymentEvent] = deque(maxlen=64)
        self._confirm_clear: int | None = None
        self.watchers: list[SaleWatcher] = []
        # set by the UI: is this SKU's product deactivated now? (blocking: asked on the
        # runner's thread as a payment starts — a line rung up before the manager
        # deactivated its product is not charged)
        self.inactive: Callable[[str], bool] | None = None

    # ------------------------------------------------------------------ cart edits
    # Same signatures as :class:`Cart`'s edits (the UI's table model routes its edits
    # here); refused while a payment runs. They do not call ``cart_changed``: the
    # caller shows its own edit.

    def add(self, product: Product, quantity: int = 1) -> CartLine:
        if not product.active:
            # deactivated in the products screen (or by the hub): never sold, whichever
            # way it came (scan, search result, quick key, scale label)
            raise SaleRefused(msg(SaleText.PRODUCT_INACTIVE, name=product.name))
        if self.payment is not None:
            # e.g. a look-up that came back after F8/F9/F10: the cart is being paid
            raise SaleRefused(msg(SaleText.PAYING_ITEM_NOT_ADDED, name=product.name))
        return self.cart.add(product, quantity)

    def set_quantity(self, row: int, quantity: int) -> None:
        self._editable()
        self.cart.set_quantity(row, quantity)

    def set_line_discount(self, row: int, discount: Fen,
                          kind: DiscountKind = DiscountKind.AMOUNT) -> None:
        self._editable()
        self.cart.set_line_discount(row, discount, kind)

    def set_order_discount(self, discount: Fen, kind: DiscountKind = DiscountKind.AMOUNT,
                           round_off: int = 0) -> None:
        self._editable()
        self.cart.set_order_discount(discount, kind, Fen(round_off))

    def remove(self, row: int) -> None:
        self._editable()
        self.cart.remove(row)

    def clear(self) -> None:
        self._editable()
        self.cart.clear()

    def _editable(self) -> None:
        if self.payment is not None:
            raise SaleRefused(msg(SaleText.PAYING))

    def clear_sale(self) -> bool:
        """F12: start over. A sale whose payment outcome is unknown is only cleared on a
        second press (clearing it loses the automatic finish should the payment service
        later say PAID). True if the cart was cleared."""
        self._editable()
        pending = self.uncertain_order()
        if pending is not None and self._confirm_clear != pending:
            self._confirm_clear = pending
            self._notice(msg(SaleText.CLEAR_UNKNOWN_OUTCOME, order_id=pending), error=True)
            return False
        self._confirm_clear = None
        self._reset()
        return True

    def take_for_hold(self) -> Cart:
        """挂单: the cart leaves the screen (the caller stores it); refused while paying, for
        an empty cart, and once a payment was tried (that order must be finished or voided)."""
        self._editable()
        if not self.cart.lines:
            raise SaleRefused(msg(SaleText.CART_EMPTY))
        if self._order is not None:
            raise SaleRefused(msg(SaleText.HOLD_AFTER_PAYMENT_TRY))
        held = copy.deepcopy(self.cart)
        self._reset()
        return held

    def restore(self, cart: Cart) -> None:
        """取单: a held sale back on screen (only onto an empty one)."""
        self._editable()
        if self.cart.lines:
            raise SaleRefused(msg(SaleText.RECALL_CART_NOT_EMPTY))
        self.cart.lines = list(cart.lines)
        self.cart.order_discount = cart.order_discount
        self.cart.order_discount_kind = cart.order_discount_kind
        self.cart.round_off_amount = cart.round_off_amount
        self.observer.cart_changed()

    def uncertain_order(self) -> int | None:
        """The current sale's order if the latest event of one of its attempts is
        UNCERTAIN (both of a pair count: the other one closing settles nothing)."""
        if self._order is None:
            return None
        order_id = self._order.id
        latest = {ev.attempt_id: ev for ev in self._recent if ev.order_id == order_id}
        if any(ev.state is AttemptState.PAID for ev in latest.values()):
            return None
        return order_id if any(ev.state is AttemptState.UNCERTAIN
                               for ev in latest.values()) else None

    @property
    def order_id(self) -> int | None:
        """The order stored for the current sale (None before the first payment try)."""
        return None if self._order is None else self._order.id

    # ------------------------------------------------------------------ paying

    def begin_payment(self, method: PaymentMethod) -> ActivePayment:
        """Open a payment for the cart as it is now (frozen until :meth:`end_payment`)."""
        if not self.sales_enabled:
            raise SaleRefused(msg(SaleText.RECOVERY_PENDING))
        if self.payment is not None:
            raise SaleRefused(None)  # a double-pressed key: the running payment stays
        if not self.cart.lines or self.cart.total <= 0:
            raise SaleRefused(msg(SaleText.CART_EMPTY))
        if self.shift_required and not self.shift_open:
            raise SaleRefused(msg(SaleText.NO_SHIFT))
        self.payment = ActivePayment(method, copy.deepcopy(self.cart))
        amount = self.payment.amount
        self._tell(lambda w: w.payment_began(method, amount))
        return self.payment

    def charge_native(self, channel: str = "wechat") -> None:
        till = self.till
        self._charge(lambda oid: till.pay_native(oid, channel))

    def charge_native_pair(self) -> None:
        """Both channels' QRs at once (WeChat Pay and Alipay): the first paid wins."""
        till = self.till
        self._charge(till.pay_native_pair)

    def charge_code(self, auth_code: str) -> None:
        till = self.till
        self._charge(lambda oid: till.pay_code(oid, auth_code))

    def charge_cash(self, tendered: Fen) -> None:
        till = self.till
        self._charge(lambda oid: till.pay_cash(oid, tendered))

    def cancel(self, attempt_id: int) -> None:
        """Cashier cancel of the running attempt (close / reverse at the payment service)."""
        till = self.till
        self.runner.run(lambda: till.cancel(attempt_id), None, self.observer.task_failed)

    def end_payment(self) -> None:
        """The payment screen closed: finish the sale if it was paid, else thaw the cart."""
        p = self.payment
        if p is None:
            return
        self.payment = None
        paid = p.paid_event is not None
        self._tell(lambda w: w.payment_ended(paid))
        if p.paid_event is not None:
            self._finish(p.cart, p.paid_event)
        elif p.uncertain:
            self._notice(msg(SaleText.OUTCOME_UNKNOWN), error=True)

    def _charge(self, pay: Callable[[int], int | tuple[int, int]]) -> None:
        """Store the order (once per cart content) and start an attempt, off this thread."""
        p = self.payment
        if p is None:
            return
        cart = copy.deepcopy(p.cart)  # exactly what the payment screen shows the amount of
        fp = cart_fingerprint(cart)
        order = self._order
        existing = order.id if order is not None and order.fingerprint == fp else None
        stale = order.id if order is not None and existing is None else None
        till, cashier = self.till, self.cashier

        inactive = self.inactive

        def work() -> tuple[int, int | tuple[int, int]]:
            if inactive is not None:   # before anything is stored or sent
                names = [ln.product.name for ln in cart.lines if inactive(ln.product.sku)]
                if names:
                    raise SaleRefused(msg(SaleText.PAY_INACTIVE_IN_CART,
                                          names="、".join(dict.fromkeys(names))))
            if stale is not None:  # the cart changed after a failed attempt
                _void_stale(till, stale)
            oid = existing if existing is not None else till.create_order(cart, cashier=cashier)
            return oid, pay(oid)

        def done(ids: tuple[int, int | tuple[int, int]]) -> None:
            oid, started = ids
            self._order = _Order(oid, fp, cart)
            if self.payment is not p:
                return
            if isinstance(started, tuple):
                p.pair, aid = started, started[0]
            else:
                aid = started
            p.order_id, p.attempt_id = oid, aid
            self.observer.payment_started(oid, aid)
            for ev in list(self._recent):  # events that beat the start result here
                if self.payment is p and p.accepts(ev):
                    p.apply(ev)
                    self.observer.payment_event(ev)
                    self._tell_event(ev)

        def failed(exc: BaseException) -> None:
            log.warning("payment start failed: %s", type(exc).__name__)
            if self.payment is p:
                self.observer.payment_start_failed(exc)

        self.runner.run(work, done, failed)

    def on_payment_event(self, ev: PaymentEvent) -> None:
        """Every payment event of this till, in order, on the controller's thread."""
        self._recent.append(ev)
        p = self.payment
        if p is not None and p.accepts(ev):
            p.apply(ev)
            self.observer.payment_event(ev)
            self._tell_event(ev)
        elif (ev.state is AttemptState.PAID and self._order is not None
              and ev.order_id == self._order.id):
            self._paid_late(ev, self._order)
        elif ev.recovered or ev.state.terminal:
            self.observer.order_event(ev)
            if ev.double_paid:   # a pair's second payment, after its screen closed: the
                self._tell_event(ev)   # customer display says it will be refunded

    def _paid_late(self, ev: PaymentEvent, order: _Order) -> None:
        """An unknown outcome (payment screen already closed) resolved as PAID: finish
        that sale — unless the cart was edited since, which the cashier must sort out
        (a new charge stays refused: the order cannot be voided)."""
        receipt = self._receipt(order.cart, ev)
        self.last_receipt = receipt
        if self.payment is not None and self.observer.close_payment():
            self.payment = None  # e.g. the cash screen for this very sale: nothing to take
        if self.payment is None and cart_fingerprint(self.cart) == order.fingerprint:
            self._reset()
            self._notice(msg(SaleText.PAID_LATE_FINISHED, order_id=ev.order_id), error=False)
        else:
            self._notice(msg(SaleText.PAID_LATE_CART_CHANGED, order_id=ev.order_id), error=True)
        self.observer.sale_finished(receipt)
        self._tell_finished(receipt, ev.method)

    # ------------------------------------------------------------------ finishing

    def _finish(self, cart: Cart, paid: PaymentEvent) -> None:
        receipt = self._receipt(cart, paid)
        self.last_receipt = receipt
        self._reset()
        self.observer.sale_finished(receipt)
        self._tell_finished(receipt, paid.method)

    def _tell_event(self, ev: PaymentEvent) -> None:
        self._tell(lambda w: w.payment_event(ev))

    def _tell_finished(self, receipt: Receipt, method: PaymentMethod) -> None:
        self._tell(lambda w: w.sale_finished(receipt, method))

    def _tell(self, news: Callable[[SaleWatcher], None]) -> None:
        """Every watcher hears it; one that fails never stops the sale (it is logged)."""
        for w in list(self.watchers):
            try:
                news(w)
            except Exception:
                log.exception("sale watcher %r failed", type(w).__name__)

    def _receipt(self, cart: Cart, ev: PaymentEvent) -> Receipt:
        return build_receipt(
            shop_name=self.shop_name, order_id=ev.order_id, cashier=self.cashier, cart=cart,
            method=ev.method.value, amount=ev.amount, change=ev.change,
            transaction_id=ev.transaction_id, created_at=self.clock(),
            coupon=ev.coupon, customer_paid=ev.payer_total, channel=ev.channel,
            shop_address=self.shop_address, shop_phone=self.shop_phone)

    def reprint(self) -> Receipt | None:
        """The last receipt again, marked as a copy."""
        return None if self.last_receipt is None else replace(self.last_receipt, copy=True)

    def _reset(self) -> None:
        self.cart.clear()
        self._order = None
        self.observer.cart_changed()

    def _notice(self, message: Message, *, error: bool) -> None:
        self.observer.sale_notice(message, error)


def drop_inactive(cart: Cart, inactive: Callable[[str], bool]) -> list[str]:
    """A held sale recalled: remove the lines of products deactivated since it was held
    (``inactive(sku)``; blocking look-ups: call it off the UI thread). The names removed."""
    removed: list[str] = []
    for row in range(len(cart.lines) - 1, -1, -1):
        line = cart.lines[row]
        if inactive(line.product.sku):
            removed.insert(0, line.product.name)
            cart.remove(row)
    return removed


def _void_stale(till: SaleTill, order_id: int) -> None:
    """Void the order of a cart that changed. The till refuses for an unresolved
    (UNCERTAIN) or paid attempt — a new order for the edited cart could then charge the
    customer twice, so the refusal stands. Only an order voided by an earlier try
    (whose start then failed) is fine."""
    try:
        till.void_order(order_id)
    except Exception as exc:
        record = till.order(order_id)
        if record is None or record.status != VOIDED:
            log.info("order %s not voided: %s", order_id, type(exc).__name__)
            raise


class _Silent:
    """An observer that ignores everything (until the UI attaches itself)."""

    def cart_changed(self) -> None:
        return None

    def sale_notice(self, message: Message, error: bool) -> None:
        return None

    def payment_started(self, order_id: int, attempt_id: int) -> None:
        return None

    def payment_start_failed(self, exc: BaseException) -> None:
        return None

    def payment_event(self, event: PaymentEvent) -> None:
        return None

    def order_event(self, event: PaymentEvent) -> None:
        return None

    def close_payment(self) -> bool:
        return True

    def sale_finished(self, receipt: Receipt) -> None:
        return None

    def task_failed(self, exc: BaseException) -> None:
        log.warning("sale task failed: %s", type(exc).__name__)
