"""A pytest plugin for the mutation sampler's ``--by-coverage``: which tests run which lines.

Loaded only by the sampler (``-p tests.mutation.linemap``) in its copy of the repository,
with ``MUTATION_TRACE_FILE`` (the absolute path of the module under mutation) and
``MUTATION_TRACE_OUT`` (where to write the map). It traces that one file (every thread:
the payment lane and background loops too) and writes ``{"lines": {line: [test ids]},
"outside": [lines]}``: ``outside`` are lines run while no test was running (import time:
module constants, defaults, class bodies) — a mutant there needs the whole test subset.

A line run by no test cannot change any test's outcome when mutated, so such a mutant
survives without being run; a mutant on a covered line needs only the tests that ran it
(whatever a one-line mutation changes, it changes when that line runs).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Generator
from types import FrameType
from typing import Any

import pytest

_FILE = os.path.realpath(os.environ.get("MUTATION_TRACE_FILE", ""))
_OUT = os.environ.get("MUTATION_TRACE_OUT", "")
_current: list[str | None] = [None]
_lines: dict[int, set[str]] = {}
_outside: set[int] = set()


def _local(frame: FrameType, event: str, _arg: Any) -> Any:
    if event == "line":
        test = _current[0]
        if test is None:
            _outside.add(frame.f_lineno)
        else:
            _lines.setdefault(frame.f_lineno, set()).add(test)
    return _local


_known: dict[str, bool] = {}


def _global(frame: FrameType, event: str, _arg: Any) -> Any:
    if event != "call":
        return None
    name = frame.f_code.co_filename
    hit = _known.get(name)
    if hit is None:
        hit = _known[name] = os.path.realpath(name) == _FILE
    if not hit:
        return None
    _local(frame, "line", None)  # the def/first line itself
    return _local


# Trace from the plugin's import (``-p linemap`` is imported while pytest parses its
# options), not from pytest_configure: the conftest.py files of the test paths are loaded
# before configure, and what they import runs then (e.g. storage/orders.py's _SETTLED
# calls OrderStatus.settled) — those lines belong in ``outside``, not nowhere.
if _FILE and _OUT:
    sys.settrace(_global)
    threading.settrace(_global)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None
                            ) -> Generator[None, None, None]:
    _current[0] = item.nodeid
    try:
        yield
    finally:
        _current[0] = None


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # sessionfinish, not unconfigure: tests/conftest.py ends the process in unconfigure
    if not (_FILE and _OUT):
        return
    sys.settrace(None)
    threading.settrace(None)
    data = {"lines": {str(k): sorted(v) for k, v in sorted(_lines.items())},
            "outside": sorted(_outside)}
    with open(_OUT, "w", encoding="utf-8") as f:
        json.dump(data, f)
