"""Demo only: the customer's phone, talking to the embedded simulator.

* "Scan & pay": pays the Native QR the till is showing (what WeChat would do after
  the customer scans it).
* "Payment code": shows a payment code for a chosen simulator scenario (WeChat, or
  ``alipay:…`` for an Alipay code); "Present to scanner" feeds it to the till exactly
  like a scan. "Scan & pay" pays an Alipay QR with the Alipay simulator.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import format_yuan
from pos_app.ui.bridge import Worker
from pos_app.ui.qr_widget import QrLabel
from pos_app.ui.services import DemoCustomer
from pos_app.ui.texts import QT_TRANSLATE_NOOP

_SCENARIO_TITLES = {
    "success": QT_TRANSLATE_NOOP("CustomerPhone", "Pays at once"),
    "userpaying_then_success": QT_TRANSLATE_NOOP(
        "CustomerPhone", "Enters the password, then pays"),
    "userpaying_then_payerror": QT_TRANSLATE_NOOP(
        "CustomerPhone", "Enters the password, then the payment fails"),
    "userpaying_forever": QT_TRANSLATE_NOOP("CustomerPhone", "Never finishes the password"),
    "systemerror_but_charged": QT_TRANSLATE_NOOP(
        "CustomerPhone", "System error, but charged"),
    "systemerror_not_charged": QT_TRANSLATE_NOOP(
        "CustomerPhone", "System error, not charged"),
    "bankerror_but_charged": QT_TRANSLATE_NOOP("CustomerPhone", "Bank error, but charged"),
    "bankerror_not_charged": QT_TRANSLATE_NOOP("CustomerPhone", "Bank error, not charged"),
    "authcodeexpire": QT_TRANSLATE_NOOP("CustomerPhone", "Code expired"),
    "auth_code_invalid": QT_TRANSLATE_NOOP("CustomerPhone", "Code invalid"),
    "notenough": QT_TRANSLATE_NOOP("CustomerPhone", "Balance not enough"),
    "notsupportcard": QT_TRANSLATE_NOOP("CustomerPhone", "Card not supported"),
    "trade_error": QT_TRANSLATE_NOOP("CustomerPhone", "Trade error"),
    "reverse_recall_once": QT_TRANSLATE_NOOP(
        "CustomerPhone", "Reverse needs a second call"),
}


#: The Alipay simulator's scenarios (``alipay:<name>``), where they differ from WeChat's.
_ALIPAY_TITLES = {
    "success": _SCENARIO_TITLES["success"],
    "wait_then_success": _SCENARIO_TITLES["userpaying_then_success"],
    "wait_then_fail": _SCENARIO_TITLES["userpaying_then_payerror"],
    "wait_forever": _SCENARIO_TITLES["userpaying_forever"],
    "insufficient_balance": _SCENARIO_TITLES["notenough"],
    "auth_code_invalid": _SCENARIO_TITLES["auth_code_invalid"],
    "unavailable_but_charged": _SCENARIO_TITLES["systemerror_but_charged"],
    "system_error_not_charged": _SCENARIO_TITLES["systemerror_not_charged"],
    "timeout_after_commit": QT_TRANSLATE_NOOP("CustomerPhone", "Charged, the answer times out"),
    "drop_after_commit": QT_TRANSLATE_NOOP("CustomerPhone", "Charged, the answer is lost"),
    "bad_signature": QT_TRANSLATE_NOOP("CustomerPhone", "Charged, bad signature"),
    "payment_fail": QT_TRANSLATE_NOOP("CustomerPhone", "Payment fails"),
    "cancel_retry_once": _SCENARIO_TITLES["reverse_recall_once"],
    "trade_closed": QT_TRANSLATE_NOOP("CustomerPhone", "Trade already closed"),
}
ALIPAY_PREFIX = "alipay:"


def scenario_title(name: str) -> str:
    """A simulator scenario as the demo user reads it (in the UI language); an Alipay
    one (``alipay:<name>``) says so."""
    if name.startswith(ALIPAY_PREFIX):
        inner = name.removeprefix(ALIPAY_PREFIX)
        title = _ALIPAY_TITLES.get(inner)
        text = QCoreApplication.translate("CustomerPhone", title) if title else inner
        return QCoreApplication.translate("CustomerPhone", "Alipay: %1").replace("%1", text)
    title = _SCENARIO_TITLES.get(name)
    return QCoreApplication.translate("CustomerPhone", title) if title else name


class CustomerPhoneWindow(QWidget):
    def __init__(self, demo: DemoCustomer, worker: Worker,
                 present_code: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._demo = demo
        self._worker = worker
        self._present = present_code
        self.codes: dict[str, str] = {}   # the QRs the till shows, by channel
        self.setWindowTitle(self.tr("Customer phone (demo)"))
        self.setObjectName("customerPhone")
        self.resize(380, 640)
        tabs = QTabWidget()
        tabs.addTab(self._pay_tab(), self.tr("Scan && pay"))
        tabs.addTab(self._code_tab(), self.tr("Payment code"))
        self.tabs = tabs
        lay = QVBoxLayout(self)
        banner = QLabel(self.tr("WeChat / Alipay (simulated)")
                        if any(s.startswith("alipay:") for s in demo.scenarios())
                        else self.tr("WeChat (simulated)"))
        banner.setObjectName("phoneBanner")
        banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(banner)
        lay.addWidget(tabs)

    def _pay_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.pay_info = QLabel(self.tr("No QR code on the till right now"))
        self.pay_info.setWordWrap(True)
        self.pay_info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.which = QComboBox()   # both channels' QRs on the till: which one to scan
        self.which.setVisible(False)
        self.pay_button = QPushButton(self.tr("Scan the till's QR and pay"))
        self.pay_button.setObjectName("phonePay")
        self.pay_button.setEnabled(False)
        self.pay_button.clicked.connect(self.pay_shown_qr)
        self.pay_result = QLabel("")
        self.pay_result.setWordWrap(True)
        self.pay_result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addStretch(1)
        lay.addWidget(self.pay_info)
        lay.addWidget(self.which)
        lay.addWidget(self.pay_button)
        lay.addWidget(self.pay_result)
        lay.addStretch(2)
        return w

    def _code_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Scenario")))
        self.scenario = QComboBox()
        for name in self._demo.scenarios():
            self.scenario.addItem(scenario_title(name), name)
        self.scenario.currentIndexChanged.connect(lambda _i: self.new_code())
        row.addWidget(self.scenario, 1)
        lay.addLayout(row)
        self.code_qr = QrLabel(220)
        lay.addWidget(self.code_qr)
        self.code_label = QLabel("")
        self.code_label.setObjectName("payCodeDigits")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.code_label)
        buttons = QHBoxLayout()
        refresh = QPushButton(self.tr("New code"))
        refresh.clicked.connect(self.new_code)
        self.present_button = QPushButton(self.tr("Present to scanner"))
        self.present_button.setObjectName("phonePay")
        self.present_button.clicked.connect(self.present)
        buttons.addWidget(refresh)
        buttons.addWidget(self.present_button)
        lay.addLayout(buttons)
        lay.addStretch(1)
        self.new_code()
        return w

    # --- Native ----------------------------------------------------------------------

    @property
    def code_url(self) -> str:
        """The QR the customer is about to scan ("" = none on the till)."""
        if not self.codes:
            return ""
        channel = self.which.currentData()
        return self.codes.get(str(channel), next(iter(self.codes.values())))

    def show_native(self, code_url: str, amount: int, channel: str = "") -> None:
        """The till shows a QR (called by the main window; both channels' at once with
        Ctrl+F8: the customer picks the app to scan with)."""
        channel = channel or "wechat"
        if not code_url or self.codes.get(channel) == code_url:
            return
        self.codes[channel] = code_url
        self.tabs.setCurrentIndex(0)   # the till shows a QR: the customer scans it
        self.pay_info.setText(self.tr("The till asks for %1").replace(
            "%1", format_yuan(amount, symbol=True)))
        self._list_codes()
        self.pay_result.setText("")

    def clear_native(self, channel: str = "") -> None:
        """The till's QR of ``channel`` ended ("": every QR)."""
        if channel:
            self.codes.pop(channel, None)
        else:
            self.codes.clear()
        if not self.codes:
            self.pay_info.setText(self.tr("No QR code on the till right now"))
        self._list_codes()

    def _list_codes(self) -> None:
        names = {"wechat": self.tr("Scan with WeChat"), "alipay": self.tr("Scan with Alipay")}
        current = self.which.currentData()
        self.which.clear()
        for channel in self.codes:
            self.which.addItem(names.get(channel, channel), channel)
        if current in self.codes:
            self.which.setCurrentIndex(self.which.findData(current))
        self.which.setVisible(len(self.codes) > 1)
        self.pay_button.setEnabled(bool(self.codes))

    def pay_shown_qr(self) -> None:
        if not self.code_url:
            return
        url = self.code_url
        self.pay_button.setEnabled(False)
        self.pay_result.setText(self.tr("Paying…"))
        self._worker.run(lambda: self._demo.pay_code_url(url), self._paid, self._pay_failed)

    def _paid(self, _r: object) -> None:
        self.pay_result.setStyleSheet("color: #1a7f37;")
        self.pay_result.setText(self.tr("Payment sent ✓"))

    def _pay_failed(self, exc: BaseException) -> None:
        self.pay_result.setStyleSheet("color: #cf222e;")
        self.pay_result.setText(self.tr("Payment failed: %1").replace("%1", str(exc)))
        self.pay_button.setEnabled(bool(self.codes))

    # --- payment code ----------------------------------------------------------------

    def new_code(self) -> None:
        name = self.scenario.currentData()
        if not name:
            return
        code = self._demo.auth_code_for(str(name))
        self.code_qr.set_data(code)
        self.code_label.setText(" ".join(code[i:i + 4] for i in range(0, len(code), 4)))

    def present(self) -> None:
        code = self.code_qr.data
        if code:
            self._present(code)
            self.new_code()  # payment codes are single-use
