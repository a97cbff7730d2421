"""Printing receipts, slips and reports on the configured printer, off the caller's thread.

* Serial and file printers: each job runs on ``runner`` (its own thread: a printer that
  hangs must not hold up look-ups and payments); ``on_done(exc)`` says if it failed.
* A network printer (raw TCP 9100): jobs go into a :class:`PrintQueue` (its own worker
  thread) that keeps a job until the printer took it and retries with backoff while
  the printer is off, out of paper or has its cover open. ``on_done(None)`` means the
  job is queued; the queue's state goes to ``on_status`` (called on the queue's thread:
  the UI marshals it) so the cashier reads "printer out of paper — 2 jobs waiting".
* :meth:`Printing.send_now` sends bytes straight to the printer (test page, drawer kick),
  never behind queued receipts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pos_app.devices.printer import factory
from pos_app.devices.printer.escpos import render_receipt, render_text
from pos_app.devices.printer.factory import PrinterConfig, PrinterNotConfigured, is_configured
from pos_app.devices.printer.network import Delivery
from pos_app.devices.printer.queue import Backoff, JobPrinter, PrintQueue, QueueStatus
from pos_app.devices.receipt import Receipt
from pos_app.sale.runner import Runner

log = logging.getLogger(__name__)

#: ``on_done(None)`` after the job was sent (network: queued), ``on_done(exc)`` if it was
#: not (:class:`PrinterNotConfigured` when no printer is set up).
PrintDone = Callable[[BaseException | None], None]


def _key(config: PrinterConfig) -> tuple[object, ...]:
    return (config.kind, config.target, getattr(config, "host", ""),
            getattr(config, "port", 0), config.baud)


class Printing:
    """Print jobs for one till; ``on_status(status)`` hears the network queue's state."""

    def __init__(self, runner: Runner, config: PrinterConfig,
                 on_status: Callable[[QueueStatus], None] | None = None,
                 backoff: Backoff | None = None) -> None:
        self._runner = runner
        self._on_status = on_status
        self._backoff = backoff or Backoff()
        self.config = config
        self.queue: PrintQueue | None = None
        self._queue_key: tuple[object, ...] | None = None
        self._printer: JobPrinter | None = None
        self._printer_key: tuple[object, ...] | None = None

    def set_status_listener(self, on_status: Callable[[QueueStatus], None] | None) -> None:
        self._on_status = on_status

    def configure(self, config: PrinterConfig) -> None:
        """A new printer setting. Receipts still queued for a network printer whose
        setting changed go to the new one (or stay listed if there is none)."""
        self.config = config
        if self.queue is not None and self._queue_key != _key(config):
            old = self.queue
            left = old.pending()
            old.stop(timeout=0)  # the attempt under way ends within its timeouts
            self.queue = None
            self._queue_key = None
            if config.kind == "network":
                queue = self._network_queue()
                for job in left:
                    queue.submit(job.data, job.label)
            elif left:
                log.warning("%d print job(s) for the old network printer dropped", len(left))

    # -- what the till prints -----------------------------------------------------------
    def print_receipt(self, receipt: Receipt, on_done: PrintDone) -> None:
        cfg = self.config
        self.print_bytes(lambda: render_receipt(receipt, width=cfg.width, encoding=cfg.encoding),
                         f"receipt {receipt.order_no}", on_done)

    def print_text(self, text: str, on_done: PrintDone) -> None:
        cfg = self.config
        self.print_bytes(lambda: render_text(text, encoding=cfg.encoding), "report", on_done)

    def print_bytes(self, render: Callable[[], bytes], label: str, on_done: PrintDone) -> None:
        """Print the job ``render()`` makes (rendering is pure and quick)."""
        cfg = self.config
        if not is_configured(cfg):
            on_done(PrinterNotConfigured("no printer configured"))
            return
        if cfg.kind == "network":
            try:
                self._network_queue().submit(render(), label)
            except (ValueError, OSError) as exc:
                on_done(exc)
                return
            on_done(None)
            return
        self._runner.run(lambda: factory.make_sink(cfg).write(render()),
                         lambda _r: on_done(None), on_done)

    def send_now(self, job: bytes, on_done: Callable[[Delivery | BaseException], None]) -> None:
        """Send ``job`` straight to the printer on the runner (not queued)."""
        if not is_configured(self.config):
            on_done(PrinterNotConfigured("no printer configured"))
            return
        printer = self.printer()
        self._runner.run(lambda: printer.deliver(job), on_done, on_done)

    def printer(self) -> JobPrinter:
        """The configured printer (one instance per setting: the queue and the drawer
        share a network printer, which serialises its connections)."""
        key = _key(self.config)
        if self._printer is None or self._printer_key != key:
            self._printer = factory.make_job_printer(self.config)
            self._printer_key = key
        return self._printer

    def _network_queue(self) -> PrintQueue:
        if self.queue is None:
            self.queue = PrintQueue(self.printer(), on_change=self._status,
                                    backoff=self._backoff, name="print-queue")
            self._queue_key = _key(self.config)
            self.queue.start()
        return self.queue

    def _status(self, status: QueueStatus) -> None:
        if self._on_status is not None:
            self._on_status(status)

    def retry_now(self) -> None:
        if self.queue is not None:
            self.queue.retry_now()

    def stop(self) -> None:
        """The sale screen closes (sign-out). An idle queue stops; one still holding
        receipts keeps its thread and prints them when the printer is back (a signed-out
        cashier's receipt is not lost), then idles until the process ends."""
        self._on_status = None
        if self.queue is not None:
            left = self.queue.pending()
            if left:
                log.warning("%d print job(s) still wait for the printer; they print when "
                            "it is back", len(left))
            else:
                self.queue.stop(timeout=0)
            self.queue = None
