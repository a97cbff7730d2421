"""User-editable device/app settings, stored as JSON in the data dir (Qt-free)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from pos_app.devices.scanner.serial import SerialScannerConfig, Suffix
from pos_app.devices.scanner.wedge import WedgeConfig
from pos_app.domain.scale_barcode import PRESETS as SCALE_PRESETS

log = logging.getLogger("pos_app.ui.settings")


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


PRINTER_KINDS = ("none", "serial", "file", "network")


@dataclass(frozen=True)
class PrinterSettings:
    kind: str = "none"          # none | serial | file | network
    target: str = ""            # port or file path
    baud: int = 9600
    encoding: str = "gb18030"
    width: int = 32
    host: str = ""              # network: the printer's address (raw TCP, JetDirect)
    port: int = 9100


@dataclass(frozen=True)
class ReceiptSettings:
    """The receipt header: the shop's name ("" = the till's shop name), address, phone."""

    shop_name: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DrawerSettings:
    """The cash drawer on the receipt printer's kick-out connector."""

    enabled: bool = False
    pin: int = 2                # connector pin 2 or 5


@dataclass(frozen=True)
class DisplaySettings:
    """The customer display: ``auto`` (a second screen if there is one), ``off``, or
    a screen's name."""

    screen: str = "auto"


@dataclass(frozen=True)
class BackupSettings:
    """Periodic backups of the till database (:mod:`pos_app.storage.backup`)."""

    folder: str = ""            # another disk, a USB stick, a share; "" = no backups
    interval_minutes: int = 60
    keep: int = 14              # generations kept


@dataclass(frozen=True)
class TillSettings:
    """How the sale screen behaves at the counter."""

    confirm_code_with_enter: bool = False  # a code scanned at the sale field charges at once
    kiosk: bool = False                    # full screen instead of maximised
    cashier_discount_limit_pct: int = 30   # discounts above this % of the sale need a manager
    scale_layout: str = ""                 # label scale barcodes: a PRESETS name ("" = none)


@dataclass(frozen=True)
class AppSettings:
    merchant_config_path: str = ""
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    till: TillSettings = field(default_factory=TillSettings)
    receipt: ReceiptSettings = field(default_factory=ReceiptSettings)
    drawer: DrawerSettings = field(default_factory=DrawerSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)

    def validate(self) -> None:
        """Raise ValueError (text in the UI language) if anything is out of range."""
        s = self.scanner
        s.wedge_config()  # raises ValueError on bad timing
        if s.serial_enabled and not s.serial_port:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The serial scanner is enabled but no port is given"))
        Suffix(s.serial_suffix)
        if self.printer.kind not in PRINTER_KINDS:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The printer kind must be none, serial, file or network"))
        self._validate_devices()
        if self.printer.kind in ("serial", "file") and not self.printer.target:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The printer port or file is missing"))
        if not 1 <= s.min_length <= 64:
            raise ValueError(QCoreApplication.translate("AppSettings", "The minimum code length must be 1–64"))
        if not 1200 <= s.serial_baud <= 921600 or not 1200 <= self.printer.baud <= 921600:
            raise ValueError(QCoreApplication.translate("AppSettings", "The baud rate must be 1200–921600"))
        "".encode(self.printer.encoding)  # LookupError for unknown encodings
        b = self.backup
        if b.folder and not Path(b.folder).is_absolute():
            raise ValueError(QCoreApplication.translate("AppSettings", "The backup folder must be a full path"))
        if not 5 <= b.interval_minutes <= 1440:
            raise ValueError(QCoreApplication.translate("AppSettings", "Backups run every 5–1440 minutes"))
        if not 1 <= b.keep <= 365:
            raise ValueError(QCoreApplication.translate("AppSettings", "Keep 1–365 backups"))
        if not 16 <= self.printer.width <= 64:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The printer width must be 16–64 characters"))
        if self.till.scale_layout and self.till.scale_layout not in SCALE_PRESETS:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "Unknown label scale format: %1").replace(
                "%1", self.till.scale_layout))
        if not 0 <= self.till.cashier_discount_limit_pct <= 100:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The cashier discount limit must be 0–100 %"))

    def _validate_devices(self) -> None:
        """The network printer, receipt header, drawer and display settings."""
        p = self.printer
        if p.kind == "network":
            host = p.host.strip()
            if not host or any(c.isspace() for c in host) or len(host) > 253:
                raise ValueError(QCoreApplication.translate(
                    "AppSettings", "The network printer needs its address (IP or host name)"))
        if not 1 <= p.port <= 65535:
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The printer port must be 1–65535"))
        r = self.receipt
        for value in (r.shop_name, r.address, r.phone):
            if len(value) > 120 or any(not c.isprintable() for c in value):
                raise ValueError(QCoreApplication.translate(
                    "AppSettings", "The receipt header: one line each, at most 120 characters"))
        if self.drawer.pin not in (2, 5):
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The drawer pin must be 2 or 5"))
        if not self.display.screen.strip():
            raise ValueError(QCoreApplication.translate(
                "AppSettings", "The customer display screen is missing"))


def _section(cls: type[Any], raw: object, where: str) -> Any:
    """``cls`` from a JSON object; a value of the wrong type raises ValueError."""
    defaults = cls()
    if raw is None:
        return defaults
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be an object")
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in raw:
            continue
        value, default = raw[f.name], getattr(defaults, f.name)
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, type(default))
        if not ok:
            raise ValueError(f"{where}.{f.name}: {value!r} is not a {type(default).__name__}")
        values[f.name] = value
    return replace(defaults, **values)


def parse_settings(raw: object) -> AppSettings:
    """Settings from decoded JSON; ValueError/LookupError for wrong types or values."""
    if not isinstance(raw, dict):
        raise ValueError("the file must hold an object")
    defaults = AppSettings()
    sections: dict[str, Any] = {}
    for f in fields(AppSettings):
        default = getattr(defaults, f.name)
        if is_dataclass(default):
            sections[f.name] = _section(type(default), raw.get(f.name), f.name)
        elif f.name in raw:
            if not isinstance(raw[f.name], type(default)):
                raise ValueError(f"{f.name}: {raw[f.name]!r} is not a {type(default).__name__}")
            sections[f.name] = raw[f.name]
    settings = AppSettings(**sections)
    settings.validate()
    return settings


def read_settings(path: Path) -> tuple[AppSettings, str | None]:
    """(settings, warning). A missing file → defaults. A damaged one (not JSON, wrong
    types or values) → defaults, the file renamed to ``settings.json.damaged-<time>``
    so the settings screen can write a good one, and a warning saying so."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return AppSettings(), None
    except (OSError, UnicodeDecodeError) as exc:
        return AppSettings(), f"cannot read {path} ({exc}); default settings are used"
    try:
        return parse_settings(json.loads(text)), None
    except (ValueError, LookupError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    aside = path.with_name(f"{path.name}.damaged-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
    try:
        os.replace(path, aside)
    except OSError as exc:
        return AppSettings(), (f"{path} is damaged ({reason}); default settings are used "
                               f"(it cannot be moved aside: {exc.strerror})")
    return AppSettings(), (f"{path} is damaged ({reason}); default settings are used and "
                           f"the damaged file is kept as {aside.name}")


def load_settings(path: Path) -> AppSettings:
    """:func:`read_settings`, its warning logged (never raises)."""
    settings, warning = read_settings(path)
    if warning:
        log.warning("%s", warning)
    return settings


def save_settings(path: Path, settings: AppSettings) -> None:
    """Write atomically (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
