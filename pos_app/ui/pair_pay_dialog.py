"""Both channels' QR codes at once (Ctrl+F8, WeChat Pay and Alipay enabled): one screen
follows the pair of Native attempts the till runs for one order.

The customer scans whichever app they have; the first payment wins and the till closes
the other. The screen shows each QR under its channel's name, drops a QR as soon as its
attempt ended (and both once one is paid: a paid order's QR never stays on screen), and
counts as finished only when no attempt of the pair is still open. Esc cancels both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from pos_app.domain.money import Fen
from pos_app.domain.payment import ALIPAY, WECHAT, AttemptState, PaymentMethod
from pos_app.payments.api import PaymentEvent
from pos_app.ui.payment_dialogs import STATE_COLOURS, PaymentDialog, countdown_text, state_text
from pos_app.ui.qr_widget import QrLabel
from pos_app.ui.text import channel_name, render

PAIR = (WECHAT, ALIPAY)
QR_SIZE = 260            # two side by side fit a 1024×768 screen with the title and buttons
_BRAND = {WECHAT: "#07c160", ALIPAY: "#1677ff"}
_OPEN = (AttemptState.CREATED, AttemptState.AWAITING_CUSTOMER)


class PairPayDialog(PaymentDialog):
    method = PaymentMethod.NATIVE

    def __init__(self, amount: Fen, parent: QWidget | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(amount, parent)
        self.channel = ""
        self._clock = clock
        self.first_attempt: int | None = None
        self.latest: dict[int, PaymentEvent] = {}
        self.expires_at: datetime | None = None
        self.setWindowTitle(self.tr("WeChat Pay · Alipay — customer scans"))
        self.title = QLabel(self.tr("Ask the customer to scan with WeChat or Alipay"))
        self.title.setObjectName("dialogTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        grid = QGridLayout()
        self.qrs: dict[str, QrLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for col, channel in enumerate(PAIR):
            caption = QLabel(channel_name(channel))
            caption.setObjectName("qrCaption")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setStyleSheet(
                f"color: white; background: {_BRAND[channel]}; font-size: 20px;"
                " font-weight: bold; padding: 4px;")
            qr = QrLabel(QR_SIZE)
            grid.addWidget(caption, 0, col)
            grid.addWidget(qr, 1, col)
            self.captions[channel], self.qrs[channel] = caption, qr
        self.countdown_label = QLabel("")
        self.countdown_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.amount_label)
        self.layout_.addLayout(grid)
        for w in (self.countdown_label, self.status_label, self.detail_label):
            self.layout_.addWidget(w)
        self.layout_.addLayout(self.buttons)
        self.status_label.setText(self.tr("Contacting WeChat Pay and Alipay…"))

    def set_channel(self, channel: str) -> None:
        """Both channels, always: the screen's titles do not follow one of them."""

    # --- the pair's events -------------------------------------------------------------

    def bind(self, order_id: int, attempt_id: int | None = None) -> None:
        if attempt_id is not None and self.first_attempt is None:
            self.first_attempt = attempt_id
        super().bind(order_id, attempt_id)

    def accepts(self, ev: PaymentEvent) -> bool:
        """Either attempt of the pair (the till numbers them one after the other)."""
        if self.order_id is None or ev.order_id != self.order_id or ev.method != self.method:
            return False
        return self.first_attempt is None or ev.attempt_id in (
            self.first_attempt, self.first_attempt + 1)

    def on_event(self, ev: PaymentEvent) -> None:
        self.latest[ev.attempt_id] = ev
        self.last_event = ev
        if ev.state is AttemptState.PAID and self.paid_event is None:
            self.paid_event = ev
        if ev.expires_at is not None:
            self.expires_at = ev.expires_at
        self.state = self._pair_state()
        self._show_codes()
        self._show_state(ev)
        if self.state in _OPEN and self.expires_at is not None:
            if not self._timer.isActive():
                self._timer.start()
                self._tick()
        else:
            self._timer.stop()
            self.countdown_label.setText("")
        self._update_buttons()

    def _pair_state(self) -> AttemptState:
        """PAID once one is paid; open while one is open; unknown if one is unknown and
        none is open; otherwise how the last one ended (nothing was charged)."""
        states = [ev.state for ev in self.latest.values()]
        if self.paid_event is not None:
            return AttemptState.PAID
        if AttemptState.AWAITING_CUSTOMER in states:
            return AttemptState.AWAITING_CUSTOMER
        if AttemptState.CREATED in states or len(self.latest) < len(PAIR):
            return AttemptState.CREATED
        if AttemptState.UNCERTAIN in states:
            return AttemptState.UNCERTAIN
        assert self.last_event is not None
        return self.last_event.state

    def _show_codes(self) -> None:
        by_channel = {ev.channel: ev for ev in self.latest.values()}
        for channel, qr in self.qrs.items():
            ev = by_channel.get(channel)
            if ev is None:
                continue
            if self.paid_event is None and ev.state in _OPEN and ev.code_url:
                if ev.code_url != qr.data:
                    qr.set_data(ev.code_url)
                continue
            if ev.state in _OPEN and self.paid_event is None:
                continue   # not issued yet
            qr.set_data("")  # never leave an ended attempt's (or a paid order's) QR
            paid = ev.state is AttemptState.PAID
            qr.setText("✓" if paid else "✕")
            qr.setStyleSheet("background: white; font-size: 96px; color: %s;"
                             % ("#1a7f37" if paid else "#9a6700"))

    def _show_state(self, ev: PaymentEvent) -> None:
        state = self.state
        assert state is not None
        if state is AttemptState.PAID:
            assert self.paid_event is not None
            text = self.tr("Paid with %1").replace(
                "%1", channel_name(self.paid_event.channel))
        elif state is AttemptState.CREATED:
            text = self.tr("Contacting WeChat Pay and Alipay…")
        elif state is AttemptState.AWAITING_CUSTOMER and len(self._open_codes()) == 1:
            text = self.tr("Waiting for the customer to pay with %1").replace(
                "%1", channel_name(self._open_codes()[0]))
        else:
            text = state_text(state, self.method)
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {STATE_COLOURS.get(state, '#24292f')};")
        message = render(ev.message) if ev.message is not None else ""
        self.detail_label.setStyleSheet(
            "color: #cf222e; font-weight: bold;" if ev.double_paid else "")
        self.detail_label.setText("" if message.strip("…. ") == text.strip("…. ") else message)

    def _open_codes(self) -> list[str]:
        return [ev.channel for ev in self.latest.values()
                if ev.state is AttemptState.AWAITING_CUSTOMER and ev.code_url]

    def _send_cancel(self) -> None:
        super()._send_cancel()
        if self.state is not AttemptState.UNCERTAIN:
            self.status_label.setText(
                self.tr("Cancelling… waiting for WeChat Pay and Alipay to confirm"))

    def _tick(self) -> None:
        if self.expires_at is not None:
            self.countdown_label.setText(countdown_text(self.expires_at, self._clock))
