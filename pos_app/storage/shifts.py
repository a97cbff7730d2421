"""ShiftRepository: the shifts of one till (at most one open, enforced by the schema)."""

from __future__ import annotations

from datetime import datetime

from pos_app.domain.clock import Clock
from pos_app.domain.money import Fen
from pos_app.domain.shift import Shift
from pos_app.storage.db import Database, Stamp
from pos_app.storage.errors import ConflictError
from pos_app.storage.migrate import DEFAULT_TILL_ID
from pos_app.storage.rows import shift_row


class ShiftRepository:
    def __init__(self, db: Database, clock: Clock | None = None, *,
                 till_id: str = DEFAULT_TILL_ID) -> None:
        self._db = db
        self._stamp = Stamp(clock)
        self.till_id = till_id

    def current(self) -> Shift | None:
        """This till's open shift."""
        row = self._db.connection().execute(
            "SELECT * FROM shifts WHERE till_id = ? AND closed_at IS NULL"
            " ORDER BY id DESC LIMIT 1", (self.till_id,)).fetchone()
        return shift_row(row) if row else None

    def get(self, shift_id: int) -> Shift | None:
        row = self._db.connection().execute(
            "SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone()
        return shift_row(row) if row else None

    def open(self, opened_by: str, opening_float: Fen, at: datetime | None = None) -> Shift:
        """Raises :class:`ConflictError` if this till already has an open shift."""
        with self._db.transaction() as conn:
            if conn.execute("SELECT 1 FROM shifts WHERE till_id = ? AND closed_at IS NULL",
                            (self.till_id,)).fetchone():
                raise ConflictError("a shift is already open on this till")
            cur = conn.execute(
                "INSERT INTO shifts (till_id, opened_by, float_fen, opened_at)"
                " VALUES (?, ?, ?, ?)",
                (self.till_id, opened_by, int(opening_float), self._stamp.iso(at)))
            row = conn.execute("SELECT * FROM shifts WHERE id = ?", (cur.lastrowid,)).fetchone()
        return shift_row(row)

    def close(self, shift_id: int, closed_by: str, counted_cash: Fen,
              at: datetime | None = None, *, approved_by: str = "") -> Shift:
        """Close this till's open shift ``shift_id``; :class:`ConflictError` if it is not.
        ``approved_by``: the manager whose PIN approved the Z."""
        with self._db.transaction() as conn:
            cur = conn.execute(
                "UPDATE shifts SET closed_by = ?, closed_at = ?, counted_cash_fen = ?,"
                " approved_by = ? WHERE id = ? AND till_id = ? AND closed_at IS NULL",
                (closed_by, self._stamp.iso(at), int(counted_cash), approved_by or None,
                 shift_id, self.till_id))
            if cur.rowcount != 1:
                raise ConflictError("no such open shift on this till")
            row = conn.execute("SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone()
        return shift_row(row)
