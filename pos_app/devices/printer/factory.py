"""From a printer setting to a sink, and printing a receipt or a report on it.

Everything here blocks on the device: call it off the UI thread. ``make_sink`` is
looked up at call time, so a test may swap it for a printer that hangs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pos_app.devices.printer.escpos import render_receipt, render_text
from pos_app.devices.printer.network import NetworkPrinter, NetworkPrinterConfig
from pos_app.devices.printer.queue import JobPrinter, SinkPrinter
from pos_app.devices.printer.sinks import FileSink, NullSink, PrinterError, PrinterSink, SerialSink
from pos_app.devices.receipt import Receipt


class PrinterConfig(Protocol):
    """What a printer setting holds (the UI's ``PrinterSettings`` has this shape)."""

    @property
    def kind(self) -> str: ...      # none | serial | file | network

    @property
    def target(self) -> str: ...    # serial port or file path

    @property
    def host(self) -> str: ...      # network: address of the raw-TCP (port 9100) printer

    @property
    def port(self) -> int: ...

    @property
    def baud(self) -> int: ...

    @property
    def encoding(self) -> str: ...

    @property
    def width(self) -> int: ...


class PrinterNotConfigured(PrinterError):
    """No printer is set up (kind ``none``): nothing was sent."""


def is_configured(p: PrinterConfig) -> bool:
    return p.kind != "none"


def make_job_printer(p: PrinterConfig) -> JobPrinter:
    """The printer of a setting as a :class:`JobPrinter` (network: with status queries)."""
    sink = make_sink(p)
    return sink if isinstance(sink, NetworkPrinter) else SinkPrinter(sink)


def make_sink(p: PrinterConfig) -> PrinterSink:
    if p.kind == "network":
        return NetworkPrinter(NetworkPrinterConfig(p.host.strip(), p.port))
    if p.kind == "serial":
        return SerialSink(p.target, p.baud)
    if p.kind == "file":
        return FileSink(Path(p.target))
    return NullSink()


def _sink(p: PrinterConfig) -> PrinterSink:
    if not is_configured(p):
        raise PrinterNotConfigured("no printer configured")
    return make_sink(p)


def print_receipt(p: PrinterConfig, receipt: Receipt) -> None:
    """Render ``receipt`` for this printer's width and encoding and send it (blocking)."""
    _sink(p).write(render_receipt(receipt, width=p.width, encoding=p.encoding))


def print_text(p: PrinterConfig, text: str) -> None:
    """Print a plain report (X/Z, refunds…) (blocking)."""
    _sink(p).write(render_text(text, encoding=p.encoding))
