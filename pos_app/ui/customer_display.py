"""The customer-facing display (客显 / 副屏) on a second screen.

:class:`CustomerDisplay` watches the sale (it puts a
:class:`~pos_app.sale.customer_view.CustomerView` among the sale controller's watchers and
follows the cart model's ``changed`` signal) and emits :attr:`CustomerDisplay.screen_changed`;
the :class:`CustomerDisplayWindow` on the chosen screen renders each
:class:`~pos_app.sale.customer_view.CustomerScreen`: one payment QR beside the cart as it
is, or both channels' codes side by side (the cart's lines make room for them), each
under its channel's name in its colour. The window only exists while a
screen other than the till's own is chosen (setting ``display.screen``: ``auto`` = the
first other screen, ``off``, or a screen's name); with one screen there is none.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPixmap, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import format_yuan
from pos_app.sale.controller import SaleController
from pos_app.sale.customer_view import CustomerScreen, CustomerView, Phase, QrCode
from pos_app.ui.cart_model import CartTableModel
from pos_app.ui.qr_widget import QrLabel
from pos_app.ui.texts import QT_TRANSLATE_NOOP

#: how long "paid ✓" / "failed" stays before the display goes back to the cart or idle
SETTLE_MS = 6000
AUTO, OFF = "auto", "off"

#: one code on show: what to scan it with (by the code's channel)
_CHANNEL_TITLES = {
    "wechat": QT_TRANSLATE_NOOP("CustomerDisplayWindow", "Scan with WeChat to pay"),
    "alipay": QT_TRANSLATE_NOOP("CustomerDisplayWindow", "Scan with Alipay to pay"),
}
_ANY_QR = QT_TRANSLATE_NOOP("CustomerDisplayWindow", "Scan the code to pay")
#: two codes on show: each under its channel's name, in the channel's colour
_CHANNEL_NAMES = {
    "wechat": QT_TRANSLATE_NOOP("CustomerDisplayWindow", "WeChat Pay"),
    "alipay": QT_TRANSLATE_NOOP("CustomerDisplayWindow", "Alipay"),
}
_CHANNEL_COLOURS = {"wechat": "#07c160", "alipay": "#1677ff"}
_OTHER_COLOUR = "#57606a"


class QrCard(QFrame):
    """One channel's code of several: the channel's name over the code, framed in the
    channel's colour."""

    def __init__(self, qr_size: int) -> None:
        super().__init__()
        self.setObjectName("cdQrCard")
        self.channel = ""
        self.title = QLabel("")
        self.title.setObjectName("cdQrTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr = QrLabel(qr_size)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 4)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_code(self, code: QrCode) -> None:
        colour = _CHANNEL_COLOURS.get(code.channel, _OTHER_COLOUR)
        if code.channel != self.channel or not self.title.text():
            self.channel = code.channel
            name = _CHANNEL_NAMES.get(code.channel)
            self.title.setText(QCoreApplication.translate("CustomerDisplayWindow", name)
                               if name else code.channel)
            self.setStyleSheet(
                f"#cdQrCard {{ background: white; border: 3px solid {colour};"
                " border-radius: 8px; }"
                f"#cdQrTitle {{ background: {colour}; color: white; font-size: 24px;"
                " font-weight: bold; padding: 2px 0; border-top-left-radius: 4px;"
                " border-top-right-radius: 4px; }")
        if code.payload != self.qr.data:
            self.qr.set_data(code.payload)


def choose_screen(setting: str, till: QScreen | None) -> QScreen | None:
    """The screen for the customer display: ``auto`` = the first screen that is not the
    till's, a name = that screen if present, ``off`` (or one screen) = none."""
    if setting == OFF:
        return None
    others = [s for s in QGuiApplication.screens() if s is not till]
    if setting == AUTO:
        return others[0] if others else None
    return next((s for s in others if s.name() == setting), None)


class CustomerDisplayWindow(QWidget):
    """Full screen on the customer's monitor; no keyboard focus (the till keeps it: a
    platform that activates it anyway is told :attr:`activated`, and the till takes the
    focus back)."""

    activated = Signal()

    def __init__(self, screen: CustomerScreen, qr_size: int = 200) -> None:
        self._qr_size = qr_size
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("customerDisplay")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWindowTitle(self.tr("Customer display"))
        self.setStyleSheet(
            "#customerDisplay { background: #f6f8fa; }"
            "#cdShop { font-size: 44px; font-weight: bold; color: #1f2328; }"
            "#cdWelcome { font-size: 26px; color: #57606a; }"
            "#cdShopSmall { font-size: 22px; font-weight: bold; color: #1f2328; }"
            "#cdTotalCaption { font-size: 22px; color: #57606a; }"
            "#cdTotal { font-size: 44px; font-weight: bold; color: #cf222e; }"
            "#cdCount { font-size: 18px; color: #57606a; }"
            "#cdStatus { font-size: 24px; font-weight: bold; }"
            "#cdChange { font-size: 30px; font-weight: bold; color: #1a7f37; }"
            "#cdNote { font-size: 22px; font-weight: bold; color: #9a6700; }"
            "QTableWidget { font-size: 22px; background: white; border: none; }")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._idle_page())
        self.pages.addWidget(self._sale_page())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.addWidget(self.pages)
        self.screen_shown = screen
        self.show_screen(screen)

    def _idle_page(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.shop_label = QLabel("")
        self.shop_label.setObjectName("cdShop")
        self.shop_label.setWordWrap(True)
        self.welcome = QLabel(self.tr("Welcome"))
        self.welcome.setObjectName("cdWelcome")
        for label in (self.shop_label, self.welcome):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addStretch(2)
        lay.addWidget(self.shop_label)
        lay.addWidget(self.welcome)
        lay.addStretch(3)
        return w

    def _sale_page(self) -> QWidget:
        w = QWidget()
        root = QVBoxLayout(w)
        self.shop_small = QLabel("")
        self.shop_small.setObjectName("cdShopSmall")
        root.addWidget(self.shop_small)
        row = QHBoxLayout()
        self.lines = QTableWidget(0, 3)
        self.lines.setObjectName("cdLines")
        self.lines.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Qty"),
                                              self.tr("Amount")])
        self.lines.verticalHeader().setVisible(False)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        head = self.lines.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2):
            head.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        row.addWidget(self.lines, 3)
        side = QVBoxLayout()
        self.total_caption = QLabel(self.tr("Total"))
        self.total_caption.setObjectName("cdTotalCaption")
        self.total_label = QLabel("")
        self.total_label.setObjectName("cdTotal")
        self.count_label = QLabel("")
        self.count_label.setObjectName("cdCount")
        self.qr = QrLabel(self._qr_size)
        self.qr.setObjectName("cdQr")
        self.qr_pair = QWidget()           # two codes or more: side by side
        self.qr_pair.setObjectName("cdQrPair")
        self.qr_pair_row = QHBoxLayout(self.qr_pair)
        self.qr_pair_row.setContentsMargins(0, 0, 0, 0)
        self.qr_pair_row.setSpacing(24)
        self.qr_cards: list[QrCard] = []
        self.qr_pair.hide()
        self.status_label = QLabel("")
        self.status_label.setObjectName("cdStatus")
        self.status_label.setWordWrap(True)
        self.change_label = QLabel("")
        self.change_label.setObjectName("cdChange")
        self.note_label = QLabel("")
        self.note_label.setObjectName("cdNote")
        self.note_label.setWordWrap(True)
        self.note_label.hide()   # rarely shown: never in the window's minimum height
        for label in (self.total_caption, self.total_label, self.count_label, self.status_label,
                      self.change_label, self.note_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side.addWidget(self.total_caption)
        side.addWidget(self.total_label)
        side.addWidget(self.count_label)
        side.addWidget(self.qr, 1)
        side.addWidget(self.qr_pair, 1, Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.status_label)
        side.addWidget(self.change_label)
        side.addWidget(self.note_label)
        side.addStretch(1)
        row.addLayout(side, 2)
        root.addLayout(row, 1)
        return w

    def show_screen(self, s: CustomerScreen) -> None:
        self.screen_shown = s
        self.shop_label.setText(s.shop_name)
        self.shop_small.setText(s.shop_name)
        if s.phase is Phase.IDLE:
            self.pages.setCurrentIndex(0)
            return
        self.pages.setCurrentIndex(1)
        self.lines.setRowCount(len(s.lines))
        for r, line in enumerate(s.lines):
            for c, text in enumerate((line.name, str(line.quantity), format_yuan(line.amount))):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.lines.setItem(r, c, item)
        if s.lines:
            self.lines.scrollToBottom()  # the line just rung up is in view
        self.total_caption.setText(self.tr("Amount to pay") if s.phase is Phase.PAY
                                   else self.tr("Total"))
        self.total_label.setText(format_yuan(s.total, symbol=True))
        count = self.tr("%1 items").replace("%1", str(s.item_count))
        if s.discount:
            count += " · " + self.tr("you save %1").replace(
                "%1", format_yuan(s.discount, symbol=True))
        self.count_label.setText(count)
        self._render_outcome(s)

    def _render_outcome(self, s: CustomerScreen) -> None:
        self.change_label.setText("")
        self.change_label.hide()
        self.note_label.setText("")
        self.note_label.hide()
        self.status_label.setStyleSheet("")
        paying = s.phase is Phase.PAY
        several = paying and len(s.qrs) > 1
        single = paying and not several and bool(s.qrs or s.qr_image)
        # hide first, then show: showing a child lays the window out at once, and a window
        # grown for a moment to hold both the old and the new never shrinks to its screen
        if not single:
            self.qr.set_data("")
            self.qr.hide()
        if not several:
            self._show_codes(())
        if several or single:
            self.count_label.hide()  # room for codes a phone reads at arm's length
        self.lines.setVisible(not several)   # two codes need the width (the amount stays)
        if several:
            self._show_codes(s.qrs)
            self.status_label.setText(self.tr("Scan either code to pay"))
            return
        if single:
            if s.qr_image is not None:
                pix = QPixmap()
                pix.loadFromData(s.qr_image)
                self.qr.data = ""
                self.qr.setPixmap(pix.scaled(self.qr.minimumSize(),
                                             Qt.AspectRatioMode.KeepAspectRatio))
            elif s.qr_payload != self.qr.data:
                self.qr.set_data(s.qr_payload)
            self.qr.show()
            channel = s.qrs[0].channel if s.qrs else ""
            title = _CHANNEL_TITLES.get(channel, _ANY_QR)
            self.status_label.setText(QCoreApplication.translate("CustomerDisplayWindow", title))
            return
        self.count_label.show()
        if s.phase is Phase.PAY:
            self.status_label.setText(self.tr("Please pay") if s.method != "cash"
                                      else self.tr("Cash"))
        elif s.phase is Phase.PAID:
            self.status_label.setStyleSheet("color: #1a7f37; font-size: 34px;")
            self.status_label.setText(self.tr("Paid ✓"))
            if s.change:  # (text first: a label is laid out as it is shown)
                self.change_label.setText(self.tr("Your change: %1").replace(
                    "%1", format_yuan(s.change, symbol=True)))
                self.change_label.show()
            if s.double_paid:
                self.note_label.setText(self.tr(
                    "Both codes were paid: %1 will be refunded to you").replace(
                    "%1", format_yuan(s.owed, symbol=True)))
                self.note_label.show()
        elif s.phase is Phase.FAILED:
            self.status_label.setStyleSheet("color: #cf222e;")
            self.status_label.setText(
                self.tr("Checking the payment, please wait") if s.uncertain
                else self.tr("Payment failed — nothing was charged"))
        else:
            self.status_label.setText("")

    def _show_codes(self, codes: tuple[QrCode, ...]) -> None:
        """Two codes or more side by side (one card each); none hides the row."""
        while len(self.qr_cards) < len(codes):
            card = QrCard(self._qr_size)
            self.qr_pair_row.addWidget(card)
            self.qr_cards.append(card)
        for card, code in zip(self.qr_cards, codes, strict=False):
            card.show_code(code)
            card.show()
        for card in self.qr_cards[len(codes):]:
            card.qr.set_data("")   # no finished order's code stays behind, hidden or not
            card.hide()
        self.qr_pair.setVisible(bool(codes))

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.WindowActivate:
            self.activated.emit()
        return super().event(e)

    def place_on(self, screen: QScreen) -> None:
        """Covering ``screen`` (frameless; shown without taking the till's focus)."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.show()


class CustomerDisplay(QObject):
    """The sale as the customer sees it, and its window (when a second screen is chosen)."""

    screen_changed = Signal(object)   # CustomerScreen

    def __init__(self, shop_name: str, sale: SaleController, cart_model: CartTableModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sale = sale
        self._cart_model = cart_model
        self.view = CustomerView(shop_name, self.screen_changed.emit)
        self.window: CustomerDisplayWindow | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.view.settle)
        sale.watchers.append(self.view)
        cart_model.changed.connect(self._cart_changed)
        self.screen_changed.connect(self._changed)
        self.view.cart_changed(cart_model.cart)

    def _cart_changed(self) -> None:
        self.view.cart_changed(self._cart_model.cart)

    def _changed(self, screen: CustomerScreen) -> None:
        if screen.phase in (Phase.PAID, Phase.FAILED):
            self._settle.start()
        else:
            self._settle.stop()
        if self.window is not None:
            self.window.show_screen(screen)

    def place(self, setting: str, till: QScreen | None,
              focus_back: QWidget | None = None) -> QScreen | None:
        """Show the display on the screen ``setting`` picks (see :func:`choose_screen`),
        or close it; returns the screen used. ``focus_back`` gets the focus back should
        the platform activate the display."""
        target = choose_screen(setting, till)
        if target is None:
            self.close_window()
            return None
        if self.window is None:
            height = target.geometry().height()
            self.window = CustomerDisplayWindow(self.view.screen,
                                                qr_size=max(160, min(480, height * 45 // 100)))
            if focus_back is not None:
                self.window.activated.connect(focus_back.activateWindow)
        self.window.place_on(target)
        return target

    def close_window(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None

    def detach(self) -> None:
        """The sale screen is closing: stop watching and close the window."""
        if self.view in self._sale.watchers:
            self._sale.watchers.remove(self.view)
        self._settle.stop()
        self.close_window()
