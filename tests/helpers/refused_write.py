"""A disk that refuses one write: the first transition of an attempt to ``state`` raises
StorageWriteError ("disk I/O error"), every other write goes through."""

from __future__ import annotations

from typing import Any

import pytest

from pos_app.domain.payment import AttemptState
from pos_app.storage.errors import StorageWriteError


def refuse_transition_once(monkeypatch: pytest.MonkeyPatch, attempts: Any,
                           state: AttemptState) -> list[AttemptState]:
    """Patch ``attempts.transition``; the returned list holds ``state`` once refused."""
    real = attempts.transition
    refused: list[AttemptState] = []

    def refuse_once(attempt_id: int, to: AttemptState, **kw: Any) -> Any:
        if to is state and not refused:
            refused.append(to)
            raise StorageWriteError("disk I/O error")
        return real(attempt_id, to, **kw)

    monkeypatch.setattr(attempts, "transition", refuse_once)
    return refused
