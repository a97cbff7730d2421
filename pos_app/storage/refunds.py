"""RefundRepository: refunds requested against paid orders (out_refund_no is unique)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.money import Fen
from pos_app.storage.db import Database, from_iso, utc_now_iso


@dataclass(frozen=True)
class RefundRecord:
    id: int
    order_id: int
    attempt_id: int | None
    out_refund_no: str
    amount: Fen
    reason: str
    status: str
    manager: str
    refund_id: str
    last_error: str
    created_at: datetime
    updated_at: datetime


def _refund(row: sqlite3.Row) -> RefundRecord:
    created, updated = from_iso(row["created_at"]), from_iso(row["updated_at"])
    assert created is not None and updated is not None
    return RefundRecord(
        id=row["id"], order_id=row["order_id"], attempt_id=row["attempt_id"],
        out_refund_no=row["out_refund_no"], amount=Fen(row["amount_fen"]), reason=row["reason"],
        status=row["status"], manager=row["manager"], refund_id=row["refund_id"],
        last_error=row["last_error"], created_at=created, updated_at=updated,
    )


class RefundRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self, *, order_id: int, out_refund_no: str, amount: Fen, reason: str, manager: str,
        attempt_id: int | None = None, status: str = "created",
    ) -> int:
        """Record the refund intent (before any network call)."""
        now = utc_now_iso()
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO refunds (order_id, attempt_id, out_refund_no, amount_fen, reason,"
                " status, manager, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (order_id, attempt_id, out_refund_no, int(amount), reason, status, manager,
                 now, now),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def update(self, refund_id_row: int, *, status: str, refund_id: str = "",
               last_error: str = "") -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE refunds SET status = ?, refund_id = COALESCE(NULLIF(?, ''), refund_id),"
                " last_error = ?, updated_at = ? WHERE id = ?",
                (status, refund_id, last_error, utc_now_iso(), refund_id_row))

    def get(self, row_id: int) -> RefundRecord | None:
        row = self._db.connection().execute(
            "SELECT * FROM refunds WHERE id = ?", (row_id,)).fetchone()
        return _refund(row) if row else None

    def for_order(self, order_id: int) -> list[RefundRecord]:
        rows = self._db.connection().execute(
            "SELECT * FROM refunds WHERE order_id = ? ORDER BY id", (order_id,)).fetchall()
        return [_refund(r) for r in rows]

    def refunded_total(self, order_id: int) -> Fen:
        """Sum of refunds that are not known to have failed (CLOSED/ABNORMAL excluded)."""
        value = self._db.connection().execute(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM refunds WHERE order_id = ?"
            " AND status NOT IN ('CLOSED', 'ABNORMAL', 'failed')", (order_id,)).fetchone()[0]
        return Fen(int(value))
