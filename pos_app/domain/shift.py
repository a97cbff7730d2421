"""Shifts (班次) of one till: opened with a float, closed with the counted cash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.money import Fen


@dataclass(frozen=True)
class Shift:
    """A row of ``shifts``."""

    shift_id: int
    opened_at: datetime
    opened_by: str
    opening_float: Fen
    closed_at: datetime | None = None
    closed_by: str = ""
    counted_cash: Fen | None = None
    till_id: str = ""
    approved_by: str = ""          # the manager whose PIN approved the Z

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
