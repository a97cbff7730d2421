"""User-editable device/app settings, stored as JSON in the data dir (Qt-free)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from pos_app.devices.scanner.serial import SerialScannerConfig, Suffix
from pos_app.devices.scanner.wedge import WedgeConfig


def _tr(text: str) -> str:
    return QCoreApplication.translate("AppSettings", text)

@dataclass(frozen=True)
class ScannerSettings:
    wedge_enabled: bool = True
    max_gap_ms: int = 50
    avg_gap_ms: int = 30
    min_length: int = 6
    terminator_required: bool = True
    serial_enabled: bool = False
    serial_port: str = ""
    serial_baud: int = 9600
    serial_suffix: str = "cr"

    def wedge_config(self) -> WedgeConfig:
        return WedgeConfig(
            avg_gap=self.avg_gap_ms / 1000,
            max_gap=self.max_gap_ms / 1000,
            min_length=self.min_length,
            terminator_required=self.terminator_required,
        )

    def serial_config(self) -> SerialScannerConfig | None:
        if not self.serial_enabled or not self.serial_port:
            return None
        return SerialScannerConfig(
            port=self.serial_port, baudrate=self.serial_baud, suffix=Suffix(self.serial_suffix)
        )


@dataclass(frozen=True)
class PrinterSettings:
    kind: str = "none"          # none | serial | file
    target: str = ""            # port or file path
    baud: int = 9600
    encoding: str = "gb18030"
    width: int = 32


@dataclass(frozen=True)
class TillSettings:
    """How the sale screen behaves at the counter."""

    confirm_code_with_enter: bool = False  # a code scanned at the sale field charges at once
    kiosk: bool = False                    # full screen instead of maximised
    cashier_discount_limit_pct: int = 30   # discounts above this % of the sale need a manager


@dataclass(frozen=True)
class AppSettings:
    merchant_config_path: str = ""
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    till: TillSettings = field(default_factory=TillSettings)

    def validate(self) -> None:
        """Raise ValueError (text in the UI language) if anything is out of range."""
        s = self.scanner
        s.wedge_config()  # raises ValueError on bad timing
        if s.serial_enabled and not s.serial_port:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The serial scanner is enabled but no port is given"))
        Suffix(s.serial_suffix)
        if self.printer.kind not in ("none", "serial", "file"):
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The printer kind must be none, serial or file"))
        if self.printer.kind != "none" and not self.printer.target:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The printer port or file is missing"))
        "".encode(self.printer.encoding)  # LookupError for unknown encodings
        if not 16 <= self.printer.width <= 64:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The printer width must be 16–64 characters"))
        if not 0 <= self.till.cashier_discount_limit_pct <= 100:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The cashier discount limit must be 0–100 %"))


def _sub(cls: type[Any], raw: object) -> Any:
    if not isinstance(raw, dict):
        return cls()
    known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
    return replace(cls(), **known)


def load_settings(path: Path) -> AppSettings:
    """Missing or unreadable file → defaults (never raises)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return AppSettings()
    if not isinstance(raw, dict):
        return AppSettings()
    return AppSettings(
        merchant_config_path=str(raw.get("merchant_config_path", "")),
        scanner=_sub(ScannerSettings, raw.get("scanner")),
        printer=_sub(PrinterSettings, raw.get("printer")),
        till=_sub(TillSettings, raw.get("till")),
    )


def save_settings(path: Path, settings: AppSettings) -> None:
    """Write atomically (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
