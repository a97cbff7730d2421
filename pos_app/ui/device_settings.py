"""Settings pages for the receipt printer (serial, file or network; test page; the receipt
header; the cash drawer) and the customer display's screen."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.devices.printer.factory import make_job_printer
from pos_app.devices.printer.network import Delivery
from pos_app.devices.printer.sinks import PrinterError
from pos_app.devices.printer.testpage import print_test_page
from pos_app.domain.clock import SHOP_TZ
from pos_app.ui.bridge import Worker
from pos_app.ui.settings_model import (
    PRINTER_KINDS,
    AppSettings,
    DisplaySettings,
    DrawerSettings,
    PrinterSettings,
    ReceiptSettings,
)
from pos_app.ui.text import render


def _spin(lo: int, hi: int, value: int) -> QSpinBox:
    sp = QSpinBox()
    sp.setRange(lo, hi)
    sp.setValue(value)
    return sp


class PrinterPage(QWidget):
    """The printer, its test page, the receipt header and the cash drawer."""

    def __init__(self, settings: AppSettings, worker: Worker, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._tester: Worker | None = None
        p, r, d = settings.printer, settings.receipt, settings.drawer
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("printerKind")
        labels = {"none": self.tr("No printer"), "serial": self.tr("Serial port"),
                  "file": self.tr("File / device node"),
                  "network": self.tr("Network (Ethernet, port 9100)")}
        for kind in PRINTER_KINDS:
            self.kind.addItem(labels[kind], kind)
        self.kind.setCurrentIndex(PRINTER_KINDS.index(p.kind))
        self.target = QLineEdit(p.target)
        self.target.setPlaceholderText("/dev/ttyUSB0  ·  COM3  ·  /tmp/receipts.bin")
        self.baud = _spin(1200, 115200, p.baud)
        self.host = QLineEdit(p.host)
        self.host.setObjectName("printerHost")
        self.host.setPlaceholderText("192.168.1.87")
        self.port = _spin(1, 65535, p.port)
        self.port.setObjectName("printerPort")
        self.encoding = QComboBox()
        for enc in ("gb18030", "gbk", "utf-8"):
            self.encoding.addItem(enc, enc)
        self.encoding.setCurrentText(p.encoding)
        self.line_width = _spin(16, 64, p.width)
        form.addRow(self.tr("Printer"), self.kind)
        form.addRow(self.tr("Port or file"), self.target)
        form.addRow(self.tr("Baud rate"), self.baud)
        form.addRow(self.tr("Printer address"), self.host)
        form.addRow(self.tr("TCP port"), self.port)
        form.addRow(self.tr("Chinese encoding"), self.encoding)
        form.addRow(self.tr("Characters per line"), self.line_width)
        self._form = form
        lay.addLayout(form)
        test_row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Print a test page"))
        self.test_button.setObjectName("printTestPage")
        self.test_button.clicked.connect(self.print_test_page)
        self.test_result = QLabel("")
        self.test_result.setObjectName("testPageResult")
        self.test_result.setWordWrap(True)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        lay.addLayout(test_row)

        header = QGroupBox(self.tr("Receipt header"))
        hform = QFormLayout(header)
        self.shop_name = QLineEdit(r.shop_name)
        self.shop_name.setObjectName("receiptShopName")
        self.shop_name.setPlaceholderText(self.tr("the till's shop name"))
        self.address = QLineEdit(r.address)
        self.address.setObjectName("receiptAddress")
        self.phone = QLineEdit(r.phone)
        self.phone.setObjectName("receiptPhone")
        for edit in (self.shop_name, self.address, self.phone):
            edit.setMaxLength(120)
        hform.addRow(self.tr("Shop name"), self.shop_name)
        hform.addRow(self.tr("Address"), self.address)
        hform.addRow(self.tr("Phone"), self.phone)
        lay.addWidget(header)

        drawer = QGroupBox(self.tr("Cash drawer (on the printer's drawer port)"))
        dform = QFormLayout(drawer)
        self.drawer_enabled = QCheckBox(self.tr("Open the drawer for cash sales and refunds"))
        self.drawer_enabled.setObjectName("drawerEnabled")
        self.drawer_enabled.setChecked(d.enabled)
        self.drawer_pin = QComboBox()
        self.drawer_pin.setObjectName("drawerPin")
        self.drawer_pin.addItem(self.tr("Pin 2 (most drawers)"), 2)
        self.drawer_pin.addItem(self.tr("Pin 5"), 5)
        self.drawer_pin.setCurrentIndex(0 if d.pin == 2 else 1)
        dform.addRow(self.drawer_enabled)
        dform.addRow(self.tr("Kick-out pin"), self.drawer_pin)
        lay.addWidget(drawer)
        lay.addStretch(1)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = str(self.kind.currentData())
        for widget, shown in ((self.target, kind in ("serial", "file")),
                              (self.baud, kind == "serial"),
                              (self.host, kind == "network"), (self.port, kind == "network")):
            self._form.setRowVisible(widget, shown)
        self.test_button.setEnabled(kind != "none")

    def printer_settings(self) -> PrinterSettings:
        return PrinterSettings(
            kind=str(self.kind.currentData()),
            target=self.target.text().strip(),
            baud=self.baud.value(),
            encoding=str(self.encoding.currentData()),
            width=self.line_width.value(),
            host=self.host.text().strip(),
            port=self.port.value(),
        )

    def receipt_settings(self) -> ReceiptSettings:
        return ReceiptSettings(shop_name=self.shop_name.text().strip(),
                               address=self.address.text().strip(),
                               phone=self.phone.text().strip())

    def drawer_settings(self) -> DrawerSettings:
        return DrawerSettings(enabled=self.drawer_enabled.isChecked(),
                              pin=int(self.drawer_pin.currentData()))

    def print_test_page(self) -> None:
        """Send a test page to the printer as set on this page (not yet saved), on a
        thread of its own: a printer that is off takes its timeouts, not the UI's."""
        p = self.printer_settings()
        try:
            AppSettings(printer=p).validate()
        except (ValueError, LookupError) as exc:
            self._result(str(exc), ok=False)
            return
        where = f"{p.host}:{p.port}" if p.kind == "network" else p.target
        heading = self.tr("Test page")
        lines = [self.tr("Printer: %1").replace("%1", where),
                 datetime.now(SHOP_TZ).strftime("%Y-%m-%d %H:%M:%S"),
                 self.tr("Chinese: 微信支付 收银台 ￥12.34")]
        if self._tester is None:
            self._tester = self._worker.spawn("printer-test")
        self.test_button.setEnabled(False)
        self._result(self.tr("Sending the test page…"), ok=True)
        self._tester.run(
            lambda: print_test_page(make_job_printer(p), heading, lines, width=p.width,
                                    encoding=p.encoding),
            self._test_done, self._test_failed)

    def _test_done(self, delivery: Delivery) -> None:
        self.test_button.setEnabled(True)
        if delivery.confirmed:
            self._result(self.tr("Test page printed (the printer confirmed it)"), ok=True)
        else:
            self._result(self.tr("Test page sent: check the paper"), ok=True)

    def _test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        message = getattr(exc, "message", None)
        text = render(message) if message is not None and not isinstance(message, str) else (
            str(exc) if isinstance(exc, PrinterError) else type(exc).__name__)
        self._result(self.tr("Test page not printed: %1").replace("%1", text), ok=False)

    def _result(self, text: str, *, ok: bool) -> None:
        self.test_result.setStyleSheet("color: #1a7f37;" if ok else "color: #cf222e;")
        self.test_result.setText(text)


class DisplayPage(QWidget):
    """Which screen shows the customer display."""

    def __init__(self, settings: DisplaySettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr(
            "The customer display shows the cart, the total, the payment QR code and the "
            "change on a second screen facing the customer.")))
        form = QFormLayout()
        self.screen_box = QComboBox()
        self.screen_box.setObjectName("displayScreen")
        self.screen_box.addItem(self.tr("Automatic (a second screen if there is one)"), "auto")
        self.screen_box.addItem(self.tr("Off"), "off")
        screens = QGuiApplication.screens()
        for i, screen in enumerate(screens):
            geo = screen.geometry()
            self.screen_box.addItem(
                self.tr("Screen %1: %2 (%3×%4)").replace("%1", str(i + 1))
                .replace("%2", screen.name()).replace("%3", str(geo.width()))
                .replace("%4", str(geo.height())), screen.name())
        index = self.screen_box.findData(settings.screen)
        if index < 0:  # a screen that is not connected now: keep the choice
            self.screen_box.addItem(self.tr("%1 (not connected)").replace("%1", settings.screen),
                                    settings.screen)
            index = self.screen_box.count() - 1
        self.screen_box.setCurrentIndex(index)
        form.addRow(self.tr("Show it on"), self.screen_box)
        lay.addLayout(form)
        self.note = QLabel(self.tr("Only one screen is connected: the customer display is off.")
                           if len(screens) < 2 else "")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        lay.addStretch(1)

    def display_settings(self) -> DisplaySettings:
        return DisplaySettings(screen=str(self.screen_box.currentData()))
