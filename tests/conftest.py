"""Shared test setup. Qt must be offscreen before any QApplication exists."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
os.environ.setdefault("POS_APP_NO_KEYRING", "1")   # never write test peppers to a real keyring


import logging

import pytest


class _ErrorRecords(logging.Handler):
    """Collects ERROR (and worse) records logged anywhere while a test runs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_error_logs(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A logged ERROR fails the test (qutebrowser's logfail): an exception swallowed and
    logged — in a payment-event subscriber, a lane job, a worker — cannot pass unseen.
    A test that provokes one on purpose says so with ``@pytest.mark.logs_errors``."""
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("logs_errors") is None:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in handler.records[:10])
        pytest.fail(f"ERROR logged during the test (mark logs_errors if intended):\n{lines}",
                    pytrace=False)
