"""Printing receipts and reports on the configured printer, off the caller's thread."""

from __future__ import annotations

from collections.abc import Callable

from pos_app.devices.printer import factory
from pos_app.devices.printer.factory import PrinterConfig, PrinterNotConfigured, is_configured
from pos_app.devices.receipt import Receipt
from pos_app.sale.runner import Runner

#: ``on_done(None)`` after the job was sent, ``on_done(exc)`` if it was not
#: (:class:`PrinterNotConfigured` when no printer is set up).
PrintDone = Callable[[BaseException | None], None]


class Printing:
    """Print jobs run on ``runner`` (its own thread: a printer that hangs must not hold
    up look-ups and payments); ``on_done`` comes back the way the runner delivers."""

    def __init__(self, runner: Runner, config: PrinterConfig) -> None:
        self._runner = runner
        self.config = config

    def configure(self, config: PrinterConfig) -> None:
        self.config = config

    def print_receipt(self, receipt: Receipt, on_done: PrintDone) -> None:
        cfg = self.config
        self._send(lambda: factory.print_receipt(cfg, receipt), on_done)

    def print_text(self, text: str, on_done: PrintDone) -> None:
        cfg = self.config
        self._send(lambda: factory.print_text(cfg, text), on_done)

    def _send(self, job: Callable[[], None], on_done: PrintDone) -> None:
        if not is_configured(self.config):
            on_done(PrinterNotConfigured("no printer configured"))
            return
        self._runner.run(job, lambda _r: on_done(None), on_done)
