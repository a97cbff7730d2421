"""The payment screens of the sale window: one open at a time, for the controller's
running payment; the controller's payment news is routed to it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.payments.api import PaymentEvent
from pos_app.payments.till import PaymentRefused
from pos_app.sale.controller import SaleController, SaleRefused
from pos_app.ui.pair_pay_dialog import PairPayDialog
from pos_app.ui.payment_dialogs import CashDialog, CodePayDialog, NativePayDialog, PaymentDialog
from pos_app.ui.text import render

_DIALOGS: dict[PaymentMethod, type[PaymentDialog]] = {
    PaymentMethod.NATIVE: NativePayDialog, PaymentMethod.CODEPAY: CodePayDialog,
    PaymentMethod.CASH: CashDialog}


PAID_LINGER_MS = 600  # a paid screen shows its ✓ this long, then the till is on a new sale


class Checkout:
    """``on_error(text)`` for a refused start; ``on_unpaid()`` when a screen closed
    without a payment (the sale screen takes the focus back); ``phone()`` opens the demo
    customer phone (F7 works inside a payment screen too); ``give_up_after`` is how
    long the till waits for a customer's password before it reverses (seconds).

    A paid screen closes by itself: the sale is finished (receipt printed, change shown
    on the sale screen) without another key."""

    def __init__(self, parent: QWidget, sale: SaleController, on_error: Callable[[str], None],
                 on_unpaid: Callable[[], None], *, phone: Callable[[], None] | None = None,
                 give_up_after: float = 45.0) -> None:
        self._parent = parent
        self._sale = sale
        self._on_error = on_error
        self._on_unpaid = on_unpaid
        self._phone = phone
        self._give_up_after = give_up_after
        self.dialog: PaymentDialog | None = None

    def showing(self) -> bool:
        """A payment screen is on screen."""
        return self.dialog is not None and self.dialog.isVisible()

    def pay_native(self, channel: str = "wechat") -> None:
        """A QR sale with the channel the cashier picked (F8 WeChat, Shift+F8 Alipay)."""
        dialog = self._open(PaymentMethod.NATIVE)
        if dialog is not None:
            dialog.set_channel(channel)
            self._charge(dialog, lambda: self._sale.charge_native(channel))

    def pay_native_pair(self) -> None:
        """Ctrl+F8: both channels' QRs at once; the first paid wins."""
        dialog = self._open(PaymentMethod.NATIVE, pair=True)
        if dialog is not None:
            self._charge(dialog, self._sale.charge_native_pair)

    def pay_code(self, first_code: str | None = None, held_code: str | None = None) -> None:
        """``first_code`` is charged at once (the cashier chose this tender);
        ``held_code`` (scanned at the sale screen) waits for the cashier's Enter."""
        dialog = self._open(PaymentMethod.CODEPAY)
        if not isinstance(dialog, CodePayDialog):
            return
        dialog.code_submitted.connect(
            lambda code: self._charge(dialog, lambda: self._sale.charge_code(code)))
        if first_code:
            dialog.offer_code(first_code)
        elif held_code:
            dialog.hold_code(held_code)

    def pay_cash(self) -> None:
        dialog = self._open(PaymentMethod.CASH)
        if isinstance(dialog, CashDialog):
            dialog.confirmed.connect(
                lambda t: self._charge(dialog, lambda: self._sale.charge_cash(Fen(t))))

    def _open(self, method: PaymentMethod, *, pair: bool = False) -> PaymentDialog | None:
        try:
            payment = self._sale.begin_payment(method)
        except SaleRefused as exc:
            if exc.message is not None:
                self._on_error(render(exc.message))
            return None
        dialog = (PairPayDialog if pair else _DIALOGS[method])(payment.amount, self._parent)
        if isinstance(dialog, CodePayDialog):
            dialog.give_up_after = self._give_up_after
            dialog.set_channels(tuple(getattr(self._sale.till, "channels", ())))
        if self._phone is not None:  # the main window's F7 is shadowed by the modal screen
            act = QAction(dialog)
            act.setShortcut(QKeySequence("F7"))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _c=False, show=self._phone: show())
            dialog.addAction(act)
        self.dialog = dialog
        dialog.cancel_requested.connect(self._sale.cancel)
        dialog.finished.connect(lambda _r: self._finished(dialog))
        dialog.open()
        return dialog

    def _charge(self, dialog: PaymentDialog, start: Callable[[], None]) -> None:
        dialog.begin()  # from now on the dialog follows the attempt
        start()

    def _finished(self, dialog: PaymentDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if dialog.paid_event is None:
            self._on_unpaid()
        self._sale.end_payment()

    # --- the controller's payment news (SaleObserver's payment part) ------------------

    def started(self, order_id: int, attempt_id: int) -> None:
        if self.dialog is not None:
            self.dialog.bind(order_id, attempt_id)

    def start_failed(self, exc: BaseException) -> None:
        if self.dialog is not None:
            message = exc.message if isinstance(exc, PaymentRefused | SaleRefused) else None
            self.dialog.start_failed(render(message) if message is not None else str(exc))

    def event(self, event: PaymentEvent) -> None:
        dialog = self.dialog
        if dialog is not None:
            dialog.on_event(event)
            if event.state is AttemptState.PAID:
                QTimer.singleShot(PAID_LINGER_MS, dialog, lambda: self._close_paid(dialog))

    def _close_paid(self, dialog: PaymentDialog) -> None:
        if dialog.isVisible() and dialog.paid_event is not None:
            dialog.accept()

    def close(self) -> bool:
        """Close the screen if nothing is in flight there; True if none is open now."""
        running = self.dialog if self.showing() else None
        if running is not None and running.may_close:
            running.reject_now()
            running = None
        return running is None
