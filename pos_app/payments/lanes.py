"""The payment lane: one worker thread, so at most one payment step runs at a time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

log = logging.getLogger("pos_app.payments")


def _log_failure(fut: Future[Any]) -> None:
    """Most lane futures are never read: a job that raised must still be on record."""
    try:
        exc = fut.exception()
    except CancelledError:
        return
    if exc is not None:
        log.error("payment lane job failed", exc_info=(type(exc), exc, exc.__traceback__))


class PaymentLane:
    def __init__(self, name: str = "payment-lane") -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        fut = self._pool.submit(fn)
        fut.add_done_callback(_log_failure)
        return fut

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
