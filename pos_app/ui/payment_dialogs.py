"""Checkout dialogs: WeChat Native QR, WeChat payment code, cash.

Each dialog follows one payment attempt through :class:`PaymentEvent` values that
the main window routes to it (on the UI thread). While the attempt is not final
the dialog cannot be closed — Esc / the close button request a *cancel* (close or
reverse at WeChat Pay) instead, and the dialog waits for the outcome.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import Fen, MoneyFormatError, format_yuan, parse_yuan
from pos_app.domain.payment import ALIPAY, WECHAT, AttemptState, PaymentMethod
from pos_app.domain.scan import ScanKind, classify
from pos_app.payments.api import PaymentEvent
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.pin_entry import no_ime  # (moved there: the sign-in screen loads no payment UI)
from pos_app.ui.qr_widget import QrLabel
from pos_app.ui.text import render


def state_text(state: AttemptState | None, method: PaymentMethod, channel: str = "") -> str:
    """Cashier-facing description of an attempt state (``channel``: whose)."""
    if state is None:
        return QCoreApplication.translate("PaymentDialog", "Starting…")
    if state is AttemptState.CREATED:
        if channel == ALIPAY:
            return QCoreApplication.translate("PaymentDialog", "Contacting Alipay…")
        return QCoreApplication.translate("PaymentDialog", "Contacting WeChat Pay…")
    if state is AttemptState.AWAITING_CUSTOMER:
        if method is PaymentMethod.NATIVE:
            return QCoreApplication.translate(
                "PaymentDialog", "Waiting for the customer to scan and pay…")
        return QCoreApplication.translate(
            "PaymentDialog", "Waiting for the customer to enter the password…")
    texts = {
        AttemptState.PAID: QCoreApplication.translate("PaymentDialog", "Paid"),
        AttemptState.CLOSED: QCoreApplication.translate(
            "PaymentDialog", "Closed — nothing was charged"),
        AttemptState.REVERSED: QCoreApplication.translate(
            "PaymentDialog", "Cancelled (reversed) — nothing was charged"),
        AttemptState.FAILED: QCoreApplication.translate(
            "PaymentDialog", "Failed — nothing was charged"),
        AttemptState.UNCERTAIN: QCoreApplication.translate(
            "PaymentDialog", "Outcome unknown — do NOT charge again; it will be checked"),
    }
    return texts[state]


STATE_COLOURS = {
    AttemptState.PAID: "#1a7f37",
    AttemptState.CLOSED: "#9a6700",
    AttemptState.REVERSED: "#9a6700",
    AttemptState.FAILED: "#cf222e",
    AttemptState.UNCERTAIN: "#cf222e",
}


class PaymentDialog(OneKeyDialog):
    """Base: state tracking, the close guard, cancel and done buttons. Enter finishes a
    paid screen ("Done") and nothing else unless a subclass says so."""

    cancel_requested = Signal(int)  # attempt id

    method = PaymentMethod.CASH

    def __init__(self, amount: Fen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.amount = amount
        self.order_id: int | None = None
        self.attempt_id: int | None = None
        self.state: AttemptState | None = None
        self.last_event: PaymentEvent | None = None
        self.paid_event: PaymentEvent | None = None
        self._cancel_sent = False
        self._cancel_pending = False
        self._started = False
        self._start_failed = False
        self.channel = WECHAT           # whose payment this screen shows (titles, texts)
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, True)
        self.layout_ = QVBoxLayout(self)
        self.amount_label = QLabel(format_yuan(amount, symbol=True))
        self.amount_label.setObjectName("bigAmount")
        self.amount_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label = QLabel(state_text(None, self.method))
        self.status_label.setObjectName("paymentStatus")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setWordWrap(True)
        self.detail_label = QLabel("")
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_label.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel payment (Esc)"))
        self.cancel_button.clicked.connect(self.request_cancel)
        self.done_button = QPushButton(self.tr("Done (Enter)"))
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self.accept)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addWidget(self.done_button)

    # --- driven by the main window -------------------------------------------------

    def set_channel(self, channel: str) -> None:
        """The payment goes through ``channel``: the screen names it."""
        self.channel = channel
        self._retitle()

    def _retitle(self) -> None:
        """Subclasses name the channel in their titles."""

    def begin(self) -> None:
        """Work for this dialog has been dispatched: from now on it must be followed."""
        self._started = True
        self._start_failed = False
        self._update_buttons()

    def bind(self, order_id: int, attempt_id: int | None = None) -> None:
        self.order_id = order_id
        if attempt_id is not None:
            self.attempt_id = attempt_id
            if self._cancel_pending and not self._cancel_sent:
                self._cancel_pending = False
                self._send_cancel()

    def accepts(self, ev: PaymentEvent) -> bool:
        """Is ``ev`` about this dialog's current attempt?"""
        if self.order_id is None or ev.order_id != self.order_id or ev.method != self.method:
            return False
        return self.attempt_id is None or ev.attempt_id >= self.attempt_id

    def on_event(self, ev: PaymentEvent) -> None:
        self.attempt_id = ev.attempt_id
        self.state = ev.state
        self.last_event = ev
        if ev.state is AttemptState.PAID:
            self.paid_event = ev
        if ev.channel in (WECHAT, ALIPAY) and ev.channel != self.channel:
            self.set_channel(ev.channel)
        self.status_label.setText(state_text(ev.state, self.method, self.channel))
        colour = STATE_COLOURS.get(ev.state, "#24292f")
        self.status_label.setStyleSheet(f"color: {colour};")
        message = render(ev.message) if ev.message is not None else ""
        same = message.strip("…. ") == self.status_label.text().strip("…. ")
        self.detail_label.setText("" if same else message)
        self._update_buttons()

    def start_failed(self, message: str) -> None:
        """The attempt could not even be started (bad input, storage error…)."""
        self._start_failed = True
        self.status_label.setText(self.tr("Could not start the payment"))
        self.status_label.setStyleSheet("color: #cf222e;")
        self.detail_label.setText(message)
        self._update_buttons()

    # --- closing rules -------------------------------------------------------------

    @property
    def may_close(self) -> bool:
        if self._start_failed:
            return True
        if self.state is None:
            return not self._started
        if self.state.terminal:
            return True
        return self.state is AttemptState.UNCERTAIN and self._cancel_sent

    def request_cancel(self) -> None:
        if self.may_close:
            self.reject_now()
            return
        if self._cancel_sent:
            return
        if self.attempt_id is None:
            self._cancel_pending = True  # sent as soon as the attempt id is known
            self.cancel_button.setEnabled(False)
            return
        self._send_cancel()

    def _send_cancel(self) -> None:
        assert self.attempt_id is not None
        self._cancel_sent = True
        self.cancel_button.setEnabled(False)
        if self.state is not AttemptState.UNCERTAIN:  # keep "do NOT charge again" on screen
            self.status_label.setText(
                self.tr("Cancelling… waiting for Alipay to confirm") if self.channel == ALIPAY
                else self.tr("Cancelling… waiting for WeChat Pay to confirm"))
        self.cancel_requested.emit(self.attempt_id)
        self._update_buttons()

    def reject(self) -> None:  # Esc
        self.request_cancel()

    def on_enter(self) -> None:
        if self.done_button.isEnabled() and self.may_close and self.isVisible():
            self.accept()

    def reject_now(self) -> None:
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.may_close:
            event.accept()
            return
        event.ignore()  # only an explicit cancel may end a running attempt
        self.detail_label.setText(self.tr("The payment is still running: use Cancel (Esc)"))

    def _update_buttons(self) -> None:
        terminal = self.may_close
        self.done_button.setEnabled(terminal)
        if terminal:
            self.cancel_button.setEnabled(True)
            self.cancel_button.setText(self.tr("Close (Esc)"))
            self.done_button.setFocus()
        else:
            self.cancel_button.setEnabled(not (self._cancel_sent or self._cancel_pending))


class NativePayDialog(PaymentDialog):
    """Shows the ``code_url`` as a large QR, the amount and an expiry countdown."""

    method = PaymentMethod.NATIVE

    def __init__(self, amount: Fen, parent: QWidget | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(amount, parent)
        self._clock = clock or (lambda: datetime.now(UTC))
        self.setWindowTitle(self.tr("WeChat Pay — customer scans"))
        title = self.title = QLabel(self.tr("Ask the customer to scan with WeChat"))
        title.setObjectName("dialogTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr = QrLabel(340)
        self.countdown_label = QLabel("")
        self.countdown_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.expires_at: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        for w in (title, self.amount_label, self.qr, self.countdown_label, self.status_label,
                  self.detail_label):
            self.layout_.addWidget(w)
        self.layout_.addLayout(self.buttons)

    def _retitle(self) -> None:
        if self.channel == ALIPAY:
            self.setWindowTitle(self.tr("Alipay — customer scans"))
            self.title.setText(self.tr("Ask the customer to scan with Alipay"))
        else:
            self.setWindowTitle(self.tr("WeChat Pay — customer scans"))
            self.title.setText(self.tr("Ask the customer to scan with WeChat"))

    def on_event(self, ev: PaymentEvent) -> None:
        super().on_event(ev)
        if ev.code_url and ev.code_url != self.qr.data:
            self.qr.set_data(ev.code_url)
        if ev.expires_at is not None:
            self.expires_at = ev.expires_at
        if ev.state.terminal:
            self._timer.stop()
            self.qr.set_data("")  # never leave a finished order's QR on screen
            self.qr.setText("✓" if ev.state is AttemptState.PAID else "✕")
            self.qr.setStyleSheet(
                "background: white; font-size: 120px; color: %s;"
                % ("#1a7f37" if ev.state is AttemptState.PAID else "#9a6700"))
            self.countdown_label.setText("")
        elif self.expires_at is not None and not self._timer.isActive():
            self._timer.start()
            self._tick()

    def _tick(self) -> None:
        if self.expires_at is not None:
            self.countdown_label.setText(countdown_text(self.expires_at, self._clock))


def countdown_text(expires_at: datetime, clock: Callable[[], datetime] | None = None) -> str:
    """"QR code valid for m:ss" until ``expires_at``, then "expired — closing"."""
    now = clock() if clock is not None else datetime.now(UTC)
    left = int((expires_at - now).total_seconds())
    if left <= 0:
        return QCoreApplication.translate("NativePayDialog",
                                          "QR code expired — closing the order…")
    m, s = divmod(left, 60)
    return QCoreApplication.translate("NativePayDialog", "QR code valid for %1:%2").replace(
        "%1", str(m)).replace("%2", f"{s:02d}")


class CodePayDialog(PaymentDialog):
    """Waits for the customer's payment code (scanner or typed), then follows the charge."""

    method = PaymentMethod.CODEPAY
    code_submitted = Signal(str)
    give_up_after = 45.0  # seconds of USERPAYING before the till reverses (its policy)

    def __init__(self, amount: Fen, parent: QWidget | None = None) -> None:
        super().__init__(amount, parent)
        self.setWindowTitle(self.tr("WeChat Pay — scan payment code"))
        title = self.title = QLabel(self.tr("Scan the customer's WeChat payment code"))
        self.channels: tuple[str, ...] = (WECHAT,)
        title.setObjectName("dialogTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("…or type the 18-digit code and press Enter"))
        no_ime(self.code_edit)
        self.code_shown = QLabel("")
        self.code_shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setText(self.tr("Ready — scan now"))
        self._held_code: str | None = None
        self._code_read = False        # a code was read: the screen names its channel
        self.wait_label = QLabel("")
        self.wait_label.setObjectName("waitClock")
        self.wait_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._waiting_since: float | None = None
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(1000)
        self._wait_timer.timeout.connect(self._tick_wait)
        for w in (title, self.amount_label, self.code_edit, self.code_shown, self.status_label,
                  self.wait_label, self.detail_label):
            self.layout_.addWidget(w)
        self.layout_.addLayout(self.buttons)
        self.cancel_button.setEnabled(True)
        self.resize(520, 360)

    def set_channels(self, channels: tuple[str, ...]) -> None:
        """The till takes codes of these channels: before a code is read the screen asks
        for any of them."""
        self.channels = channels or (WECHAT,)
        self._retitle()

    def _retitle(self) -> None:
        self.code_edit.setPlaceholderText(
            self.tr("…or type the 18-digit code and press Enter")
            if self._read_channel() == WECHAT
            else self.tr("…or type the code (WeChat 18 digits, Alipay 16–24) and press Enter"))
        if self._read_channel() == ALIPAY:
            self.setWindowTitle(self.tr("Alipay — scan payment code"))
            self.title.setText(self.tr("Scan the customer's Alipay payment code"))
        elif self._read_channel() == WECHAT:
            self.setWindowTitle(self.tr("WeChat Pay — scan payment code"))
            self.title.setText(self.tr("Scan the customer's WeChat payment code"))
        else:
            self.setWindowTitle(self.tr("Payment code — WeChat Pay or Alipay"))
            self.title.setText(self.tr("Scan the customer's payment code (WeChat or Alipay)"))

    def _read_channel(self) -> str:
        """The channel named on screen: the code's once one is read, else the only one
        the till takes ("" = either)."""
        if self._code_read:
            return self.channel
        return self.channels[0] if len(self.channels) == 1 else ""

    @property
    def busy(self) -> bool:
        return self._started and not self._start_failed and (
            self.state is None or not self.state.terminal)

    def hold_code(self, raw: str) -> None:
        """A payment code scanned at the sale screen (maybe by the customer holding the
        phone to the scanner): show it, but charge only when the cashier presses Enter."""
        result = classify(raw)
        if not result.is_payment_code or self.busy:
            return
        self._held_code = result.text
        self._code_read = True
        self.set_channel(ALIPAY if result.kind is ScanKind.ALIPAY_CODE else WECHAT)
        self.code_shown.setText(self.tr("Code %1").replace("%1", result.log_text))
        self.status_label.setText(
            self.tr("Payment code read — check the amount, then press Enter to charge"))
        self.code_edit.setFocus()  # Enter in the (empty) field charges the held code

    def offer_code(self, raw: str) -> bool:
        """A scan arrived while this dialog is open. Returns True if it was taken."""
        if self.busy:
            self.detail_label.setText(self.tr("A payment is in progress — wait for its outcome"))
            return False
        if self.state is AttemptState.PAID:
            return False
        if self._held_code is not None and raw.strip() == self._held_code:
            self.detail_label.setText(self.tr("Press Enter to charge this code"))
            return False  # the same code read again: still the cashier's call
        return self._charge(raw)

    def _charge(self, raw: str) -> bool:
        if self.busy or self.state is AttemptState.PAID:
            return False
        result = classify(raw)
        if not result.is_payment_code:
            self.detail_label.setText(
                self.tr("That is a product barcode, not a payment code: scan the customer's "
                        "WeChat payment code") if result.kind is ScanKind.PRODUCT_BARCODE
                else render(result.message))
            self.detail_label.setStyleSheet("color: #cf222e;")
            return False
        self.detail_label.setStyleSheet("")
        self._held_code = None
        self._code_read = True
        self.set_channel(ALIPAY if result.kind is ScanKind.ALIPAY_CODE else WECHAT)
        self.attempt_id = None
        self.state = None
        self._cancel_sent = self._cancel_pending = False
        self.code_edit.setEnabled(False)
        self.code_edit.clear()
        self.cancel_button.setText(self.tr("Cancel payment (Esc)"))  # not the last try's Close
        self.code_shown.setText(self.tr("Code %1").replace("%1", result.log_text))
        self.status_label.setText(self.tr("Charging…"))
        self.status_label.setStyleSheet("")
        self.detail_label.setText("")
        self.begin()
        self.code_submitted.emit(result.text)
        return True

    def on_event(self, ev: PaymentEvent) -> None:
        super().on_event(ev)
        if ev.state is AttemptState.AWAITING_CUSTOMER and self._waiting_since is None:
            self._waiting_since = time.monotonic()
            self._wait_timer.start()
            self._tick_wait()
        elif ev.state is not AttemptState.AWAITING_CUSTOMER and self._waiting_since is not None:
            self._waiting_since = None
            self._wait_timer.stop()
            self.wait_label.setText("")
        if ev.state.terminal and ev.state is not AttemptState.PAID:
            # nothing charged: the cashier may scan a fresh code or choose another tender
            self.code_edit.setEnabled(True)
            self.detail_label.setText(
                (render(ev.message) + "\n" if ev.message is not None else "")
                + self.tr("Scan a new code, or close and choose another payment method"))

    def _tick_wait(self) -> None:
        """USERPAYING: how long the customer has been at it, and when the till gives up."""
        if self._waiting_since is None:
            return
        waited = int(time.monotonic() - self._waiting_since)
        left = max(0, int(self.give_up_after) - waited)
        self.wait_label.setText(
            self.tr("Waiting %1 s — the till gives up and reverses in %2 s")
            .replace("%1", str(waited)).replace("%2", str(left)))

    def start_failed(self, message: str) -> None:
        super().start_failed(message)
        self.code_edit.setEnabled(True)

    def on_enter(self) -> None:
        """Enter charges the typed or held code, or finishes a paid screen; never both."""
        if self.state is AttemptState.PAID:
            super().on_enter()
        elif self.code_edit.isEnabled() and not self.busy:
            self._typed()

    def _typed(self) -> None:
        text = self.code_edit.text()
        if text.strip():
            self._charge(text)  # typed by the cashier: that is the choice to charge
        elif self._held_code is not None:
            self._charge(self._held_code)

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if not self._started:
            self.cancel_button.setEnabled(True)
            self.cancel_button.setText(self.tr("Close (Esc)"))
        self.done_button.setEnabled(self.state is AttemptState.PAID)


# one key per note the customer hands over (numeric keypad operators: the tendered field
# takes digits and the point, never these)
TENDER_KEYS: dict[str, Fen] = {"/": Fen(1000), "*": Fen(2000), "-": Fen(5000), "+": Fen(10000)}


class CashDialog(PaymentDialog):
    """Tendered amount → change; guards against absurd amounts (a barcode in the field)."""

    method = PaymentMethod.CASH
    confirmed = Signal(int)  # tendered fen

    MAX_CHANGE = Fen(100_000)  # ¥1000

    def __init__(self, amount: Fen, parent: QWidget | None = None) -> None:
        super().__init__(amount, parent)
        self.setWindowTitle(self.tr("Cash payment"))
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Amount due")), 0, 0)
        grid.addWidget(self.amount_label, 0, 1)
        grid.addWidget(QLabel(self.tr("Tendered (¥)")), 1, 0)
        self.tendered_edit = QLineEdit()
        self.tendered_edit.setObjectName("tendered")
        self.tendered_edit.setPlaceholderText(format_yuan(amount))
        self.tendered_edit.textChanged.connect(self._recalc)
        no_ime(self.tendered_edit)
        grid.addWidget(self.tendered_edit, 1, 1)
        grid.addWidget(QLabel(self.tr("Change")), 2, 0)
        self.change_label = QLabel("—")
        self.change_label.setObjectName("bigChange")
        grid.addWidget(self.change_label, 2, 1)
        self.layout_.addLayout(grid)
        quick = QHBoxLayout()
        exact = QPushButton(self.tr("Exact (Enter)"))
        exact.setObjectName("quickCash")
        exact.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        exact.clicked.connect(lambda _c=False: self.tender(amount))
        quick.addWidget(exact)
        self.tender_buttons: dict[str, QPushButton] = {}
        for key, value in TENDER_KEYS.items():
            b = QPushButton(f"¥{value // 100} ({key})")
            b.setObjectName("quickCash")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the tendered field keeps the focus
            b.clicked.connect(lambda _c=False, v=value: self.tender(v))
            quick.addWidget(b)
            self.tender_buttons[key] = b
        self.tendered_edit.installEventFilter(self)
        self.layout_.addLayout(quick)
        self.layout_.addWidget(self.status_label)
        self.layout_.addWidget(self.detail_label)
        self.confirm_button = QPushButton(self.tr("Take cash (Enter)"))
        self.confirm_button.clicked.connect(self.confirm)
        self.buttons.insertWidget(1, self.confirm_button)
        self.layout_.addLayout(self.buttons)
        self.status_label.setText("")
        self.cancel_button.setText(self.tr("Back (Esc)"))
        self.cancel_button.setEnabled(True)
        self.done_button.hide()
        self.tendered_edit.setFocus()
        self.resize(480, 320)

    def on_enter(self) -> None:
        self.confirm()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A tender key (/ * - + on the keypad) in the tendered field takes that note."""
        if (watched is self.tendered_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.text() in TENDER_KEYS):
            if not event.isAutoRepeat():
                self.tender(TENDER_KEYS[event.text()])
            return True
        return super().eventFilter(watched, event)

    def tender(self, value: Fen) -> None:
        """The customer handed over ``value``: take it now (one key)."""
        if self.busy_recording or self.state is AttemptState.PAID:
            return
        self._set_tendered(value)
        self.confirm()

    @property
    def busy_recording(self) -> bool:
        return self._started and not self._start_failed and self.state is None

    def tendered(self) -> Fen | None:
        text = self.tendered_edit.text().strip()
        if not text:
            return self.amount
        try:
            return parse_yuan(text)
        except MoneyFormatError:
            return None

    def _set_tendered(self, value: Fen) -> None:
        self.tendered_edit.setText(format_yuan(value))
        self.tendered_edit.setFocus()

    def _recalc(self) -> None:
        t = self.tendered()
        if t is None:
            self.change_label.setText(self.tr("not an amount"))
        elif t < self.amount:
            self.change_label.setText(self.tr("%1 short").replace(
                "%1", format_yuan(self.amount - t, symbol=True)))
        else:
            self.change_label.setText(format_yuan(t - self.amount, symbol=True))

    def confirm(self) -> None:
        if self.state is AttemptState.PAID:
            self.accept()
            return
        if self.busy_recording:
            return
        t = self.tendered()
        if t is None:
            self._error(self.tr("Enter the amount received, e.g. 100 or 20.50"))
            return
        if t < self.amount:
            self._error(self.tr("Not enough: %1 short").replace(
                "%1", format_yuan(self.amount - t, symbol=True)))
            return
        if t - self.amount > self.MAX_CHANGE:
            self._error(self.tr("Change over ¥1000 — check the amount received"))
            return
        self.begin()
        self.tendered_edit.setEnabled(False)
        self.confirm_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Recording…"))
        self.confirmed.emit(int(t))

    def on_event(self, ev: PaymentEvent) -> None:
        super().on_event(ev)
        if ev.state is AttemptState.PAID:
            change = ev.change if ev.change is not None else Fen(0)
            self.change_label.setText(format_yuan(change, symbol=True))
            self.status_label.setText(self.tr("Paid — give %1 change").replace(
                "%1", format_yuan(change, symbol=True)))
            self.detail_label.setText("")
            self.confirm_button.setEnabled(True)
            self.confirm_button.setText(self.tr("Done (Enter)"))
            self.confirm_button.setFocus()

    def start_failed(self, message: str) -> None:
        super().start_failed(message)
        self.tendered_edit.setEnabled(True)
        self.confirm_button.setEnabled(True)
        self.cancel_button.setEnabled(True)

    def _error(self, text: str) -> None:
        self.status_label.setStyleSheet("color: #cf222e;")
        self.status_label.setText(text)

    def _update_buttons(self) -> None:
        self.cancel_button.setEnabled(self.may_close)


def shortcut_hint(text: str, key: QKeySequence.StandardKey | str) -> str:
    """``"Pay (F8)"`` style button captions."""
    seq = QKeySequence(key)
    return f"{text} ({seq.toString(QKeySequence.SequenceFormat.NativeText)})"
