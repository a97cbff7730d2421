"""Injectable time: :class:`Clock` for reading it, :class:`Waiter` for waiting on it.

Waiting is always ``cancel_event.wait(timeout)`` so the cashier's cancel wakes the
payment lane at once. Tests use :class:`ManualClock` + :class:`InstantWaiter`, which
advance virtual time instead of sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC wall-clock time."""

    def monotonic(self) -> float: ...


class Waiter(Protocol):
    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; True if ``cancel`` is (or became) set."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class EventWaiter:
    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        return cancel.wait(max(0.0, timeout))


class ManualClock:
    """Virtual time that only moves when told (thread-safe)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, 4, 0, tzinfo=UTC)
        self._mono = 1000.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._mono += seconds


class InstantWaiter:
    """Advances a :class:`ManualClock` instead of sleeping; ``on_wait`` lets a test act
    at a given virtual time (e.g. make the simulator pay, or press cancel)."""

    def __init__(self, clock: ManualClock,
                 on_wait: Callable[[float], None] | None = None) -> None:
        self.clock = clock
        self.on_wait = on_wait
        self.total_waited = 0.0

    def wait(self, cancel: threading.Event, timeout: float) -> bool:
        if cancel.is_set():
            return True
        self.clock.advance(timeout)
        self.total_waited += timeout
        if self.on_wait is not None:
            self.on_wait(timeout)
        return cancel.is_set()
