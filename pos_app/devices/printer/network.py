"""A network ESC/POS printer on raw TCP port 9100 (JetDirect-style "socket" printing).

One short connection per job, as most shop printers accept one client at a time:

1. connect (``connect_timeout``); refused / timed out / no route → :class:`PrinterUnreachable`;
2. if status queries are on: ``DLE EOT 1, 2, 3, 4`` (each answered within
   ``status_timeout``). A printer that answers and is not ready (paper out, cover open,
   error, offline) gets nothing → :class:`PrinterNotReady`; the job stays with the caller.
   A printer that does not answer is *unknown* and is sent the job anyway (after
   ``silent_after`` such probes in a row it is not asked for ``reprobe_after`` seconds);
3. the job, each send bounded by ``write_timeout`` (a printer that stops reading makes
   the send time out instead of hanging);
4. if the printer answered in step 2: ``DLE EOT 1`` after the job. TCP delivers in order,
   so its answer proves every job byte reached the printer; no answer within
   ``confirm_timeout``, or the connection closing first, means the job is *not
   confirmed* and :class:`PrinterError` is raised so the queue sends it again (a
   reprint is better than a lost receipt; ``ESC @`` at the start of every job clears
   what a dropped attempt left in the printer's buffer).

Blocking: call it on a worker thread, never the UI thread. One instance serialises its
own connections (the print queue and the cash drawer share one).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass

from pos_app.devices.printer.escpos import StatusQuery, status_query
from pos_app.devices.printer.sinks import PrinterError
from pos_app.devices.printer.status import (
    Condition,
    PrinterStatus,
    condition_message,
    decode_status,
    is_status_byte,
)
from pos_app.domain.text import Message

log = logging.getLogger(__name__)

DEFAULT_PORT = 9100


class PrinterUnreachable(PrinterError):
    """No connection to the printer (off, unplugged, wrong address, not accepting)."""

    condition = Condition.UNREACHABLE

    @property
    def message(self) -> Message:
        return condition_message(self.condition)


class PrinterNotReady(PrinterError):
    """The printer answered and cannot print now; nothing of the job was sent."""

    def __init__(self, status: PrinterStatus) -> None:
        self.status = status
        self.condition = status.condition
        super().__init__(f"printer not ready: {self.condition.value}")

    @property
    def message(self) -> Message:
        return condition_message(self.condition)


@dataclass(frozen=True)
class NetworkPrinterConfig:
    host: str
    port: int = DEFAULT_PORT
    connect_timeout: float = 3.0
    write_timeout: float = 10.0
    status_timeout: float = 0.5
    confirm_timeout: float = 10.0  # for the answer after a job: a busy printer with a full
                                   # buffer reads the query only once it has printed some
    query_status: bool = True  # off for printers that print DLE EOT as garbage
    silent_after: int = 3      # this many unanswered status probes in a row …
    reprobe_after: float = 60.0  # … and status is not asked again for this long (s)

    def __post_init__(self) -> None:
        if not self.host:
            raise ValueError("printer host is empty")
        if not 1 <= self.port <= 65535:
            raise ValueError("printer port must be 1..65535")
        if self.silent_after < 1 or self.reprobe_after < 0:
            raise ValueError("silent_after must be >= 1 and reprobe_after >= 0")
        for name in ("connect_timeout", "write_timeout", "status_timeout", "confirm_timeout"):
            if not 0 < getattr(self, name) <= 120:
                raise ValueError(f"{name} must be in (0, 120] seconds")


@dataclass(frozen=True)
class Delivery:
    """A job the printer took. ``confirmed``: it answered after the last byte.
    ``status``: its status after the job (``None``: it does not answer status queries)."""

    confirmed: bool
    status: PrinterStatus | None

    @property
    def condition(self) -> Condition:
        return Condition.UNKNOWN if self.status is None else self.status.condition


class NetworkPrinter:
    """Raw TCP ESC/POS printer. ``write`` makes it a :class:`PrinterSink`."""

    def __init__(self, config: NetworkPrinterConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._unanswered = 0          # status probes in a row that got no answer
        self._skip_status_until = 0.0  # monotonic; a silent printer is not asked meanwhile

    def __repr__(self) -> str:
        return f"NetworkPrinter({self.config.host}:{self.config.port})"

    # -- the sink interface -------------------------------------------------------------
    def write(self, job: bytes) -> None:
        self.deliver(job)

    def deliver(self, job: bytes) -> Delivery:
        """Send one job (see the module doc); raises :class:`PrinterError` subclasses."""
        with self._lock, self._connect() as sock:
            before = self._probe(sock) if self._asks_status() else None
            if before is not None and not before.condition.can_print:
                raise PrinterNotReady(before)
            self._send(sock, job)
            if before is None:
                _drain(sock)  # unread input would make close() send RST, not FIN
                return Delivery(confirmed=False, status=None)
            after = self._read_status(sock, full=False, timeout=self.config.confirm_timeout)
            if after is None:
                raise PrinterError(f"{self!r}: no answer after the job (not confirmed)")
            if after.offline:  # stopped during the job: say why (the rest waits in its buffer)
                after = self._read_status(sock) or after
            return Delivery(confirmed=True, status=after)

    def status(self) -> PrinterStatus | None:
        """Ask the printer how it is; ``None`` if it does not answer status queries."""
        with self._lock, self._connect() as sock:
            return self._read_status(sock)

    # -- plumbing -------------------------------------------------------------------------
    def _asks_status(self) -> bool:
        return self.config.query_status and time.monotonic() >= self._skip_status_until

    def _probe(self, sock: socket.socket) -> PrinterStatus | None:
        """Full status before a job; after ``silent_after`` unanswered probes in a row the
        printer is taken not to answer, and jobs go without asking for ``reprobe_after``
        seconds (each probe costs ``status_timeout``)."""
        status = self._read_status(sock)
        if status is not None:
            self._unanswered = 0
            return status
        self._unanswered += 1
        if self._unanswered >= self.config.silent_after:
            self._unanswered = 0
            self._skip_status_until = time.monotonic() + self.config.reprobe_after
            log.info("%r does not answer status queries; not asking for %.0f s",
                     self, self.config.reprobe_after)
        return None

    def _connect(self) -> socket.socket:
        cfg = self.config
        try:
            sock = socket.create_connection((cfg.host, cfg.port), timeout=cfg.connect_timeout)
        except OSError as exc:  # refused, timed out, unreachable, unknown host
            raise PrinterUnreachable(f"{self!r}: {exc}") from exc
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _send(self, sock: socket.socket, data: bytes) -> None:
        sock.settimeout(self.config.write_timeout)
        try:
            sock.sendall(data)
        except OSError as exc:  # timeout (printer stopped reading), reset, broken pipe
            raise PrinterError(f"{self!r}: sending failed: {exc}") from exc

    def _read_status(self, sock: socket.socket, *, full: bool = True,
                     timeout: float | None = None) -> PrinterStatus | None:
        printer = self._query(sock, StatusQuery.PRINTER, timeout)
        if printer is None:
            return None
        if not full:
            return decode_status(printer)
        return decode_status(
            printer,
            self._query(sock, StatusQuery.OFFLINE),
            self._query(sock, StatusQuery.ERROR),
            self._query(sock, StatusQuery.PAPER),
        )

    def _query(self, sock: socket.socket, n: StatusQuery,
               timeout: float | None = None) -> int | None:
        """One status byte, or None if none arrives in time. Bytes that are not status
        replies (fixed bits wrong) are skipped; a closed connection is an error."""
        self._send(sock, status_query(n))
        wait = self.config.status_timeout if timeout is None else timeout
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                data = sock.recv(1)
            except TimeoutError:
                break
            except OSError as exc:
                raise PrinterError(f"{self!r}: connection lost: {exc}") from exc
            if not data:
                raise PrinterError(f"{self!r}: the printer closed the connection")
            if is_status_byte(data[0]):
                return data[0]
            log.debug("%r: skipped non-status byte %#04x", self, data[0])
        return None


def _drain(sock: socket.socket) -> None:
    sock.setblocking(False)
    try:
        while sock.recv(4096):
            pass
    except OSError:  # nothing (more) to read, or already closed
        pass
