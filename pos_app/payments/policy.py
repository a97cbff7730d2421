"""Polling / retry timing as data (WeChat Pay's official micropay flow, §8a of the notes).

Schedules are dense early so a payment is seen within ~1 s of happening, then
back off to stay polite. All durations are seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Schedule:
    """Piecewise poll interval: ``steps`` are ``(until_elapsed, interval)`` pairs."""

    steps: tuple[tuple[float, float], ...]

    def interval(self, elapsed: float) -> float:
        for until, interval in self.steps:
            if elapsed < until:
                return interval
        return self.steps[-1][1]


def _codepay_schedule() -> Schedule:
    # 0.5,0.5,0.5,0.5 | 1×4 | 2×3 | 3×3 | 5… → ~16 queries in 45 s.
    return Schedule(((2.0, 0.5), (6.0, 1.0), (12.0, 2.0), (21.0, 3.0), (math.inf, 5.0)))


def _native_schedule() -> Schedule:
    # Customers usually pay within the first minute: poll every second, then every 2 s.
    return Schedule(((2.0, 0.5), (90.0, 1.0), (math.inf, 2.0)))


@dataclass(frozen=True)
class PollPolicy:
    codepay_poll: Schedule = field(default_factory=_codepay_schedule)
    codepay_deadline: float = 45.0          # USERPAYING: give up and reverse after this
    unknown_first_wait: float = 5.0         # SYSTEMERROR/timeout: wait before first query
    native_poll: Schedule = field(default_factory=_native_schedule)
    native_ttl: float = 180.0               # QR validity we show and send as time_expire
    prepay_retry_waits: tuple[float, ...] = (1.0, 2.0)      # same params, idempotent
    reverse_retry_waits: tuple[float, ...] = (1.0, 2.0, 5.0, 5.0, 10.0, 10.0)
    close_retry_waits: tuple[float, ...] = (1.0, 2.0, 5.0)
    close_confirm_window: float = 10.0      # after a close answer, query this long on the
                                            # lane for "closed"; then uncertain + a re-check
                                            # at time_expire (the lane is not held for it)
    not_found_grace: float = 15.0           # recovery trusts ORDER_NOT_EXIST only this long
                                            # after the attempt was created
    recheck_first: float = 2.0             # an unknown outcome is re-checked in the
    recheck_max: float = 30.0              # background: 2, 4, 8 … s, at most 30 s apart
    storage_retry_first: float = 1.0       # a write the disk refused is retried: 1, 2 …
    storage_retry_max: float = 10.0        # s, at most 10 s apart, until the disk accepts
    disk_check_interval: float = 60.0      # how often free space is looked at
