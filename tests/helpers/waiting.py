"""Waiting for another thread in a test without Qt: poll a condition until it holds."""

from __future__ import annotations

import time
from collections.abc import Callable


def until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``check`` every 10 ms until it is true or ``timeout`` seconds passed; its
    last answer (a test asserts it, or asserts that it stayed false)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.01)
    return check()
