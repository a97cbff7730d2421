"""The print queue: jobs go out in order, one at a time, on a worker thread, and are kept
until a printer has taken them.

A job that cannot be printed (printer off, out of paper, cover open, connection dropped)
stays at the head of the queue and is retried with exponential backoff, for as long as
it takes; :meth:`PrintQueue.retry_now` retries at once (the cashier loaded paper). A job
leaves the queue only when printed or when :meth:`PrintQueue.cancel` removes it.
:meth:`PrintQueue.stop` leaves unprinted jobs in :meth:`PrintQueue.pending`.

Every change of state is reported to ``on_change`` with a :class:`QueueStatus` (on the
worker or the submitting thread: a UI marshals it to its own thread; the callback must
not block). Qt-free.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from pos_app.devices.printer.network import Delivery
from pos_app.devices.printer.sinks import PrinterError, PrinterSink
from pos_app.devices.printer.status import Condition, condition_message
from pos_app.domain.text import Message

log = logging.getLogger(__name__)


class JobPrinter(Protocol):
    def deliver(self, job: bytes) -> Delivery: ...


class SinkPrinter:
    """Adapts a plain :class:`PrinterSink` (serial, file) to :class:`JobPrinter`."""

    def __init__(self, sink: PrinterSink) -> None:
        self.sink = sink

    def deliver(self, job: bytes) -> Delivery:
        self.sink.write(job)
        return Delivery(confirmed=False, status=None)


class QueueState(StrEnum):
    IDLE = "idle"            # nothing to print
    PRINTING = "printing"    # sending the head job
    WAITING = "waiting"      # the head job failed; retrying after ``retry_in_ms``
    STOPPED = "stopped"


@dataclass(frozen=True)
class PrintJob:
    job_id: int
    data: bytes
    label: str = ""          # for people and logs ("receipt 00000042", "test page")


@dataclass(frozen=True)
class QueueStatus:
    state: QueueState
    condition: Condition     # the printer's last known condition
    pending: int             # jobs not yet printed (including the one being sent)
    printed: int             # jobs printed since start
    attempts: int = 0        # failed attempts on the head job
    retry_in_ms: int = 0     # WAITING: until the next attempt

    @property
    def message(self) -> Message | None:
        """What to tell the cashier, if anything (a fault while jobs wait)."""
        if self.state is QueueState.WAITING:
            return condition_message(self.condition)
        return None


@dataclass(frozen=True)
class Backoff:
    """Delay before retry ``attempt`` (1, 2, …): first, first×factor, … capped at ``cap``."""

    first: float = 0.5
    factor: float = 2.0
    cap: float = 30.0

    def delay(self, attempt: int) -> float:
        return float(min(self.cap, self.first * self.factor ** max(0, attempt - 1)))


def condition_of(exc: BaseException) -> Condition:
    cond = getattr(exc, "condition", None)
    return cond if isinstance(cond, Condition) else Condition.UNREACHABLE


class PrintQueue:
    def __init__(
        self,
        printer: JobPrinter,
        *,
        on_change: Callable[[QueueStatus], None] | None = None,
        on_printed: Callable[[PrintJob, Delivery], None] | None = None,
        backoff: Backoff = Backoff(),
        name: str = "print-queue",
    ) -> None:
        self.printer = printer
        self._on_change = on_change
        self._on_printed = on_printed
        self._backoff = backoff
        self._name = name
        self._cv = threading.Condition()
        self._emit_lock = threading.RLock()
        self._jobs: deque[PrintJob] = deque()
        self._busy_id: int | None = None
        self._next_id = 1
        self._wake = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._status = QueueStatus(QueueState.STOPPED, Condition.UNKNOWN, 0, 0)
        self._reported: QueueStatus | None = None

    # -- control ------------------------------------------------------------------------
    def start(self) -> None:
        with self._cv:
            if self._thread is not None:
                raise RuntimeError("print queue already started")
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._set(state=QueueState.IDLE if not self._jobs else QueueState.PRINTING)
        self._emit()
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop after the attempt in progress (bounded by the printer's timeouts).
        Unprinted jobs stay in :meth:`pending`. True if the worker ended in time."""
        with self._cv:
            self._stopping = True
            self._cv.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return False
        with self._cv:
            self._thread = None
            self._set(state=QueueState.STOPPED, attempts=0, retry_in_ms=0)
        self._emit()
        return True

    def submit(self, data: bytes, label: str = "") -> int:
        """Queue a job; returns its id. Never blocks on the printer."""
        if not data:
            raise ValueError("empty print job")
        with self._cv:
            job = PrintJob(self._next_id, bytes(data), label)
            self._next_id += 1
            self._jobs.append(job)
            self._set(pending=len(self._jobs))
            self._cv.notify_all()
        self._emit()
        return job.job_id

    def retry_now(self) -> None:
        """Cut the current backoff short (the cashier fixed the printer)."""
        with self._cv:
            self._wake = True
            self._cv.notify_all()

    def cancel(self, job_id: int) -> bool:
        """Remove a job that is not being sent right now; True if it was removed."""
        with self._cv:
            if job_id == self._busy_id:
                return False
            for job in self._jobs:
                if job.job_id == job_id:
                    self._jobs.remove(job)
                    if not self._jobs:
                        self._set(state=QueueState.IDLE if self._thread else QueueState.STOPPED,
                                  attempts=0, retry_in_ms=0)
                    self._set(pending=len(self._jobs))
                    break
            else:
                return False
        self._emit()
        return True

    def pending(self) -> list[PrintJob]:
        with self._cv:
            return list(self._jobs)

    def status(self) -> QueueStatus:
        with self._cv:
            return self._status

    # -- worker -------------------------------------------------------------------------
    def _run(self) -> None:
        attempts = 0
        while True:
            with self._cv:
                if not self._jobs:
                    self._set(state=QueueState.IDLE, attempts=0, retry_in_ms=0)
            self._emit()
            with self._cv:
                while not self._jobs and not self._stopping:
                    self._cv.wait()
                if self._stopping:
                    return
                job = self._jobs[0]
                self._busy_id = job.job_id
                self._set(state=QueueState.PRINTING, retry_in_ms=0)
            self._emit()
            try:
                delivery = self.printer.deliver(job.data)
            except Exception as exc:  # any failure keeps the job
                if not isinstance(exc, PrinterError | OSError):
                    log.exception("print job %d (%s): unexpected failure", job.job_id, job.label)
                else:
                    log.warning("print job %d (%s) not printed: %s", job.job_id, job.label, exc)
                attempts += 1
                delay = self._backoff.delay(attempts)
                with self._cv:
                    self._busy_id = None
                    self._set(state=QueueState.WAITING, condition=condition_of(exc),
                              attempts=attempts, retry_in_ms=round(delay * 1000))
                self._emit()
                self._sleep(delay)
                continue
            attempts = 0
            with self._cv:
                self._busy_id = None
                if self._jobs and self._jobs[0].job_id == job.job_id:
                    self._jobs.popleft()
                self._set(condition=delivery.condition, pending=len(self._jobs),
                          printed=self._status.printed + 1, attempts=0, retry_in_ms=0)
            self._emit()
            if self._on_printed is not None:
                try:
                    self._on_printed(job, delivery)
                except Exception:
                    log.exception("on_printed callback failed")

    def _sleep(self, delay: float) -> None:
        deadline = time.monotonic() + delay
        with self._cv:
            while not (self._stopping or self._wake):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cv.wait(left)
            self._wake = False

    # -- status reporting ---------------------------------------------------------------
    def _set(self, **changes: object) -> None:
        self._status = replace(self._status, **changes)  # type: ignore[arg-type]

    def _emit(self) -> None:
        with self._emit_lock:
            with self._cv:
                snapshot = self._status
            if snapshot == self._reported:
                return
            self._reported = snapshot
            if self._on_change is not None:
                try:
                    self._on_change(snapshot)
                except Exception:
                    log.exception("on_change callback failed")
