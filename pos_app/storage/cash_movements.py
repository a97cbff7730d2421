"""CashMovementRepository: cash put into / taken out of one till's drawer (存取款),
always inside that till's open shift, recorded together with its audit entry."""

from __future__ import annotations

from datetime import datetime

from pos_app.domain.cash import CashDirection, CashMovement
from pos_app.domain.clock import Clock
from pos_app.domain.money import Fen
from pos_app.storage.audit import AuditLog
from pos_app.storage.db import Database, Stamp
from pos_app.storage.errors import ConflictError
from pos_app.storage.migrate import DEFAULT_TILL_ID
from pos_app.storage.rows import cash_movement_row


class CashMovementRepository:
    def __init__(self, db: Database, clock: Clock | None = None, *,
                 till_id: str = DEFAULT_TILL_ID) -> None:
        self._db = db
        self._stamp = Stamp(clock)
        self.till_id = till_id

    def add(self, direction: CashDirection, amount: Fen, reason: str, *, done_by: str,
            approved_by: str = "", at: datetime | None = None) -> CashMovement:
        """Record a movement in this till's open shift (:class:`ConflictError` when none is
        open) and its audit entry, in one transaction."""
        when = self._stamp.iso(at)
        with self._db.transaction() as conn:
            shift = conn.execute("SELECT id FROM shifts WHERE till_id = ? AND closed_at IS NULL",
                                 (self.till_id,)).fetchone()
            if shift is None:
                raise ConflictError("no open shift on this till")
            cur = conn.execute(
                "INSERT INTO cash_movements (till_id, shift_id, direction, amount_fen, reason,"
                " done_by, approved_by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self.till_id, shift["id"], direction.value, int(amount), reason, done_by,
                 approved_by, when))
            AuditLog.insert(conn, done_by, f"cash.{direction.value}", {
                "cash_movement_id": cur.lastrowid, "shift_id": shift["id"],
                "till_id": self.till_id, "amount_fen": int(amount), "reason": reason,
                "approved_by": approved_by}, when)
            row = conn.execute("SELECT * FROM cash_movements WHERE id = ?",
                               (cur.lastrowid,)).fetchone()
        return cash_movement_row(row)

    def for_shift(self, shift_id: int) -> list[CashMovement]:
        rows = self._db.connection().execute(
            "SELECT * FROM cash_movements WHERE shift_id = ? ORDER BY id", (shift_id,)).fetchall()
        return [cash_movement_row(r) for r in rows]
