"""Cash movements (存取款): cash put into or taken out of the drawer during a shift
without a sale — a float top-up, paying a supplier. They change the expected cash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pos_app.domain.money import Fen


class CashDirection(StrEnum):
    IN = "in"      # 存入: cash added to the drawer
    OUT = "out"    # 取出: cash taken from the drawer (needs a manager)


@dataclass(frozen=True)
class CashMovement:
    """A row of ``cash_movements``."""

    id: int
    till_id: str
    shift_id: int
    direction: CashDirection
    amount: Fen                  # > 0
    reason: str
    done_by: str
    approved_by: str             # the manager who approved a cash out ("" for a cash in)
    at: datetime

    @property
    def signed(self) -> Fen:
        """What it does to the drawer: + in, − out."""
        return self.amount if self.direction is CashDirection.IN else Fen(-self.amount)
