"""How the sale controller gets blocking work done off its own thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Runner(Protocol):
    """Runs ``fn`` on another thread, then ``on_done(result)`` or ``on_error(exc)`` back
    on the controller's thread (the UI's ``Worker`` has this shape; tests use a queue)."""

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> object: ...
