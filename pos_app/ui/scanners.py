"""All scan inputs in one place: the wedge filter and an optional serial scanner.

:attr:`ScannerHub.scanned` fires on the UI thread with a :class:`ScanEvent`,
whatever the source. Serial callbacks arrive on the reader thread and are posted
through the :class:`~pos_app.ui.bridge.Bridge`.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from pos_app.devices.scanner.base import ScanEvent, ScanOrigin
from pos_app.devices.scanner.serial import SerialScannerConfig, SerialScanSource
from pos_app.ui.bridge import Bridge
from pos_app.ui.settings_model import ScannerSettings
from pos_app.ui.wedge_filter import WedgeFilter


class ScannerHub(QObject):
    scanned = Signal(object)        # ScanEvent
    serial_status = Signal(str)

    def __init__(self, bridge: Bridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.wedge = WedgeFilter(parent=self)
        self.wedge.scanned.connect(self._from_wedge)
        self.serial: SerialScanSource | None = None
        self.serial_state = ""

    def install(self, app: QApplication) -> None:
        self.wedge.install(app)

    def uninstall(self, app: QApplication) -> None:
        app.removeEventFilter(self.wedge)

    def apply(self, settings: ScannerSettings) -> None:
        """(Re)configure both inputs; the serial reader restarts on its own thread."""
        self.wedge.enabled = settings.wedge_enabled
        self.wedge.set_config(settings.wedge_config())
        self.start_serial(settings.serial_config())

    def start_serial(self, config: SerialScannerConfig | None) -> None:
        self.stop_serial()
        if config is None:
            self._status("")
            return
        source = SerialScanSource(
            config,
            on_status=lambda s: self._bridge.call_soon(lambda: self._status(s)),
        )
        source.start(lambda ev: self._bridge.call_soon(lambda: self.scanned.emit(ev)))
        self.serial = source

    def stop_serial(self) -> None:
        if self.serial is not None:
            self.serial.stop(timeout=0)  # signal only: never wait on the UI thread
            self.serial = None

    def inject(self, code: str, origin: ScanOrigin = ScanOrigin.DEMO) -> None:
        """A scan from elsewhere (demo customer phone, manual entry)."""
        self.scanned.emit(ScanEvent(code, origin, time.monotonic()))

    def _from_wedge(self, code: str) -> None:
        self.scanned.emit(ScanEvent(code, ScanOrigin.WEDGE, time.monotonic()))

    def _status(self, text: str) -> None:
        self.serial_state = text
        self.serial_status.emit(text)
