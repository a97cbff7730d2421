"""Where print jobs go: a serial printer, a file (or device node), or nowhere.

Writes block; the UI calls them on a worker thread, never the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import serial


class PrinterError(OSError):
    """The printer could not take the job (message is cashier-facing)."""


class PrinterSink(Protocol):
    def write(self, job: bytes) -> None: ...


@dataclass
class SerialSink:
    """ESC/POS printer on a serial port (typically 9600 8N1)."""

    port: str
    baudrate: int = 9600
    timeout: float = 5.0

    def write(self, job: bytes) -> None:
        try:
            with serial.serial_for_url(
                self.port, baudrate=self.baudrate, write_timeout=self.timeout
            ) as ser:
                ser.write(job)
                ser.flush()
        except (serial.SerialException, OSError) as exc:
            raise PrinterError(f"printer on {self.port}: {exc}") from exc


@dataclass
class FileSink:
    """Append jobs to a file (a spool file, or a device node such as /dev/usb/lp0)."""

    path: Path

    def write(self, job: bytes) -> None:
        try:
            with open(self.path, "ab") as fh:
                fh.write(job)
        except OSError as exc:
            raise PrinterError(f"printer file {self.path}: {exc.strerror}") from exc


class NullSink:
    """Printing disabled."""

    def write(self, job: bytes) -> None:
        return None
