"""Time, the one way the core reads and waits on it, and the shop's time zone.

* :class:`Clock` — ``now()`` (aware UTC wall-clock time) and ``monotonic()``;
  :class:`SystemClock` is the real one. Every service takes a ``Clock`` (tests pass
  a manual one from ``tests/helpers``).
* :class:`Waiter` — waiting is always ``cancel_event.wait(timeout)`` so a cashier's
  cancel wakes the payment lane at once; :class:`EventWaiter` is the real one.
* :data:`SHOP_TZ` — the shop's (and WeChat Pay's) time zone: business days, bills,
  order numbers and printed times are in Beijing time.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Protocol
from zoneinfo import ZoneInfo

#: Asia/Shanghai (UTC+8, no DST). On Windows the ``tzdata`` package provides it.
SHOP_TZ = ZoneInfo("Asia/Shanghai")


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


def shop_day(at: datetime) -> date:
    """The shop's calendar day of an aware instant."""
    return at.astimezone(SHOP_TZ).date()


def day_window(day: date) -> tuple[datetime, datetime]:
    """A business day (shop time, as in the WeChat Pay bill) as an aware ``[start, end)``."""
    start = datetime.combine(day, dtime(0), tzinfo=SHOP_TZ)
    end = datetime.combine(day + timedelta(days=1), dtime(0), tzinfo=SHOP_TZ)
    return start, end
