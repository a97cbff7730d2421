"""What every scan source produces and how it is started/stopped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class ScanOrigin(StrEnum):
    WEDGE = "wedge"      # keyboard-wedge (HID keyboard) scanner
    SERIAL = "serial"    # serial / USB-CDC scanner
    MANUAL = "manual"    # typed into the barcode field by the cashier
    DEMO = "demo"        # injected by the demo customer phone


@dataclass(frozen=True)
class ScanEvent:
    """One decoded scan. ``t`` is a monotonic timestamp (seconds)."""

    code: str
    origin: ScanOrigin
    t: float


class ScanSource(Protocol):
    """A device that reports scans through a callback (possibly from its own thread)."""

    def start(self, on_scan: Callable[[ScanEvent], None]) -> None: ...

    def stop(self) -> None: ...
