"""The one fake clock: virtual time implementing :class:`pos_app.domain.clock.Clock`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


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

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        """``advance(30)`` or ``advance(hours=1)``."""
        step = timedelta(seconds=seconds, **delta)
        with self._lock:
            self._now += step
            self._mono += step.total_seconds()

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (wall clock only; monotonic time never goes back)."""
        with self._lock:
            self._mono += max(0.0, (at - self._now).total_seconds())
            self._now = at


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
