"""Settings: merchant config (validated), scanners (+ live scan test), receipt printer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.devices.scanner.base import ScanEvent
from pos_app.domain.scan import classify
from pos_app.ui.bridge import Worker
from pos_app.ui.device_settings import DisplayPage, PrinterPage
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.scale_layouts import scale_layout_box
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.settings_model import (
    AppSettings,
    BackupSettings,
    PrinterSettings,
    ScannerSettings,
    TillSettings,
)
from pos_app.ui.text import render

SUFFIXES = ("cr", "lf", "crlf", "none")


class SettingsDialog(OneKeyDialog):
    """Edits an :class:`AppSettings`; :attr:`result_settings` holds the accepted value."""

    def __init__(
        self,
        settings: AppSettings,
        hub: ScannerHub,
        worker: Worker,
        check_merchant_config: Callable[[Path], str] | None,
        ports: Callable[[], list[tuple[str, str]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        self._hub = hub
        self._worker = worker
        self._check = check_merchant_config
        self.result_settings: AppSettings | None = None
        tabs = QTabWidget()
        tabs.addTab(self._merchant_tab(), self.tr("WeChat Pay merchant"))
        tabs.addTab(self._scanner_tab(ports), self.tr("Scanner"))
        tabs.addTab(self._printer_tab(), self.tr("Receipt printer"))
        tabs.addTab(self._backup_tab(), self.tr("Backup"))
        tabs.addTab(self._till_tab(), self.tr("At the counter"))
        self.display_page = DisplayPage(self._settings.display, self)
        tabs.addTab(self.display_page, self.tr("Customer display"))
        self.tabs = tabs
        lay = QVBoxLayout(self)
        lay.addWidget(tabs)
        self.error = QLabel("")
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self._save)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        hub.scanned.connect(self._test_scan)
        self.finished.connect(lambda _r: hub.scanned.disconnect(self._test_scan))
        self.resize(640, 520)

    def on_enter(self) -> None:
        self._save()  # as the Save button says (it is no longer a default button)

    # --- merchant --------------------------------------------------------------------

    def _fill_ports(self, found: list[tuple[str, str]]) -> None:
        typed = self.serial_port.currentText()
        for dev, desc in found:
            self.serial_port.addItem(dev, dev)
            self.serial_port.setItemData(self.serial_port.count() - 1, desc)
        self.serial_port.setEditText(typed)

    def _merchant_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel(self.tr(
            "Merchant config file (JSON or TOML) with mchid, appid, key paths. "
            "It is used after a restart; without it the till runs in demo mode.")))
        row = QHBoxLayout()
        self.merchant_path = QLineEdit(self._settings.merchant_config_path)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        check = QPushButton(self.tr("Validate"))
        check.clicked.connect(self.validate_merchant)
        row.addWidget(self.merchant_path)
        row.addWidget(browse)
        row.addWidget(check)
        lay.addLayout(row)
        self.merchant_result = QLabel("")
        self.merchant_result.setWordWrap(True)
        lay.addWidget(self.merchant_result)
        lay.addStretch(1)
        return w

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Merchant config"), "",
                                              "Config (*.json *.toml)")
        if path:
            self.merchant_path.setText(path)
            self.validate_merchant()

    def validate_merchant(self) -> None:
        text = self.merchant_path.text().strip()
        if not text:
            self.merchant_result.setText(self.tr("No file: the till runs in demo mode"))
            return
        if self._check is None:
            return
        check = self._check
        self.merchant_result.setStyleSheet("")
        self.merchant_result.setText(self.tr("Checking…"))
        self._worker.run(lambda: check(Path(text)), self._merchant_ok, self._merchant_bad)

    def _merchant_ok(self, summary: str) -> None:
        self.merchant_result.setStyleSheet("color: #1a7f37;")
        self.merchant_result.setText(self.tr("OK: %1").replace("%1", summary))

    def _merchant_bad(self, exc: BaseException) -> None:
        self.merchant_result.setStyleSheet("color: #cf222e;")
        self.merchant_result.setText(self.tr("Not usable: %1").replace("%1", str(exc)))

    # --- scanner ---------------------------------------------------------------------

    def _scanner_tab(self, ports: Callable[[], list[tuple[str, str]]]) -> QWidget:
        s = self._settings.scanner
        w = QWidget()
        lay = QVBoxLayout(w)
        form = QFormLayout()
        self.wedge_enabled = QCheckBox(self.tr("Keyboard (USB HID) scanner"))
        self.wedge_enabled.setChecked(s.wedge_enabled)
        form.addRow(self.wedge_enabled)
        self.max_gap = self._spin(5, 500, s.max_gap_ms, " ms")
        self.avg_gap = self._spin(1, 500, s.avg_gap_ms, " ms")
        self.min_length = self._spin(1, 64, s.min_length, "")
        self.terminator = QCheckBox(self.tr("Scanner sends Enter/Tab after each code"))
        self.terminator.setChecked(s.terminator_required)
        form.addRow(self.tr("Max gap between keys"), self.max_gap)
        form.addRow(self.tr("Max average gap"), self.avg_gap)
        form.addRow(self.tr("Minimum code length"), self.min_length)
        form.addRow(self.terminator)
        self.serial_enabled = QCheckBox(self.tr("Serial / USB-CDC scanner"))
        self.serial_enabled.setChecked(s.serial_enabled)
        form.addRow(self.serial_enabled)
        self.serial_port = QComboBox()
        self.serial_port.setEditable(True)
        self.serial_port.setEditText(s.serial_port)
        # Enumerating ports touches the OS device tree: never on the UI thread.
        self._worker.run(ports, self._fill_ports, lambda _e: None)
        self.serial_baud = QComboBox()
        for b in (9600, 19200, 38400, 57600, 115200):
            self.serial_baud.addItem(str(b), b)
        self.serial_baud.setCurrentText(str(s.serial_baud))
        self.serial_suffix = QComboBox()
        names = {"cr": "CR", "lf": "LF", "crlf": "CR LF", "none": self.tr("none (idle gap)")}
        for suf in SUFFIXES:
            self.serial_suffix.addItem(names[suf], suf)
        self.serial_suffix.setCurrentIndex(SUFFIXES.index(s.serial_suffix))
        form.addRow(self.tr("Port"), self.serial_port)
        form.addRow(self.tr("Baud rate"), self.serial_baud)
        form.addRow(self.tr("Suffix"), self.serial_suffix)
        lay.addLayout(form)
        test_row = QHBoxLayout()
        test_row.addWidget(QLabel(self.tr("Scan test — scan anything:")))
        apply = QPushButton(self.tr("Apply now"))
        apply.clicked.connect(self._apply_scanner_now)
        test_row.addWidget(apply)
        lay.addLayout(test_row)
        self.scan_log = QPlainTextEdit()
        self.scan_log.setReadOnly(True)
        self.scan_log.setObjectName("scanLog")
        lay.addWidget(self.scan_log)
        self.serial_state = QLabel(self._hub.serial_state)
        self._hub.serial_status.connect(self.serial_state.setText)
        lay.addWidget(self.serial_state)
        return w

    @staticmethod
    def _spin(lo: int, hi: int, value: int, suffix: str) -> QSpinBox:
        sp = QSpinBox()
        sp.setRange(lo, hi)
        sp.setValue(value)
        sp.setSuffix(suffix)
        return sp

    def scanner_settings(self) -> ScannerSettings:
        return ScannerSettings(
            wedge_enabled=self.wedge_enabled.isChecked(),
            max_gap_ms=self.max_gap.value(),
            avg_gap_ms=self.avg_gap.value(),
            min_length=self.min_length.value(),
            terminator_required=self.terminator.isChecked(),
            serial_enabled=self.serial_enabled.isChecked(),
            serial_port=self.serial_port.currentText().strip(),
            serial_baud=int(self.serial_baud.currentData()),
            serial_suffix=str(self.serial_suffix.currentData()),
        )

    def _apply_scanner_now(self) -> None:
        try:
            s = replace(self._settings, scanner=self.scanner_settings())
            s.validate()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self._hub.apply(s.scanner)

    def _test_scan(self, ev: ScanEvent) -> None:
        r = classify(ev.code)
        self.scan_log.appendPlainText(
            f"[{ev.origin.value}] {r.log_text}  ({len(ev.code)})  →  "
            f"{r.kind.value}: {render(r.message)}")

    # --- printer ---------------------------------------------------------------------

    def _printer_tab(self) -> QWidget:
        self.printer_page = PrinterPage(self._settings, self._worker, self)
        return self.printer_page

    def printer_settings(self) -> PrinterSettings:
        return self.printer_page.printer_settings()

    # --- backup ----------------------------------------------------------------------

    def _backup_tab(self) -> QWidget:
        b = self._settings.backup
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel(self.tr(
            "Back up the till database to a second place: another disk, a USB stick or a "
            "network share. Empty: no backups. Used after a restart.")))
        row = QHBoxLayout()
        self.backup_folder = QLineEdit(b.folder)
        self.backup_folder.setObjectName("backupFolder")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_backup)
        row.addWidget(self.backup_folder)
        row.addWidget(browse)
        lay.addLayout(row)
        form = QFormLayout()
        self.backup_interval = self._spin(5, 1440, b.interval_minutes, " min")
        self.backup_keep = self._spin(1, 365, b.keep, "")
        form.addRow(self.tr("Back up every"), self.backup_interval)
        form.addRow(self.tr("Backups kept"), self.backup_keep)
        lay.addLayout(form)
        lay.addStretch(1)
        return w

    def _browse_backup(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Backup folder"))
        if path:
            self.backup_folder.setText(path)

    def backup_settings(self) -> BackupSettings:
        return BackupSettings(folder=self.backup_folder.text().strip(),
                              interval_minutes=self.backup_interval.value(),
                              keep=self.backup_keep.value())

    # --- at the counter ----------------------------------------------------------------

    def _till_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        t = self._settings.till
        self.confirm_code = QCheckBox(self.tr("A payment code scanned at the sale field waits "
                                              "for Enter (otherwise it charges at once)"))
        self.confirm_code.setChecked(t.confirm_code_with_enter)
        self.kiosk = QCheckBox(self.tr("Full screen (kiosk)"))
        self.kiosk.setChecked(t.kiosk)
        self.discount_limit = self._spin(0, 100, t.cashier_discount_limit_pct, " %")
        form.addRow(self.confirm_code)
        form.addRow(self.kiosk)
        form.addRow(self.tr("Cashier discount limit (more needs a manager's PIN)"),
                    self.discount_limit)
        self.scale_layout = scale_layout_box(t.scale_layout)
        form.addRow(self.tr("Label scale barcodes (2x)"), self.scale_layout)
        return w

    def till_settings(self) -> TillSettings:
        return TillSettings(confirm_code_with_enter=self.confirm_code.isChecked(),
                            kiosk=self.kiosk.isChecked(),
                            cashier_discount_limit_pct=self.discount_limit.value(),
                            scale_layout=str(self.scale_layout.currentData() or ""))

    # --- save ------------------------------------------------------------------------

    def _save(self) -> None:
        candidate = AppSettings(
            merchant_config_path=self.merchant_path.text().strip(),
            scanner=self.scanner_settings(),
            printer=self.printer_settings(),
            backup=self.backup_settings(),
            till=self.till_settings(),
            receipt=self.printer_page.receipt_settings(),
            drawer=self.printer_page.drawer_settings(),
            display=self.display_page.display_settings(),
        )
        try:
            candidate.validate()
        except (ValueError, LookupError) as exc:
            self.error.setText(self.tr("Not saved: %1").replace("%1", str(exc)))
            return
        self.result_settings = candidate
        self.accept()
