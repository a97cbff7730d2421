"""Users (implements :class:`pos_app.manager.pins.UserStore`), shifts and the audit log."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.money import Fen
from pos_app.manager.pins import Role, StaffUser
from pos_app.storage.db import Database, from_iso, to_iso, utc_now_iso


class UserRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add_user(self, name: str, role: Role, pin_hash: str) -> int:
        with self._db.transaction() as conn:
            cur = conn.execute("INSERT INTO users (name, role, pin_hash) VALUES (?, ?, ?)",
                               (name, role.value, pin_hash))
            assert cur.lastrowid is not None
            return cur.lastrowid

    def set_pin_hash(self, name: str, pin_hash: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("UPDATE users SET pin_hash = ? WHERE name = ?", (pin_hash, name))

    def get_user(self, name: str) -> StaffUser | None:
        row = self._db.connection().execute(
            "SELECT * FROM users WHERE name = ? AND active = 1", (name,)).fetchone()
        return _user(row) if row else None

    def list_users(self) -> list[StaffUser]:
        rows = self._db.connection().execute(
            "SELECT * FROM users WHERE active = 1 ORDER BY name").fetchall()
        return [_user(r) for r in rows]

    def save_login_state(
        self, name: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        with self._db.transaction() as conn:
            conn.execute("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE name = ?",
                         (failed_attempts, to_iso(locked_until), name))


def _user(row: sqlite3.Row) -> StaffUser:
    return StaffUser(name=row["name"], role=Role(row["role"]), pin_hash=row["pin_hash"],
                     failed_attempts=row["failed_attempts"],
                     locked_until=from_iso(row["locked_until"]))


@dataclass(frozen=True)
class ShiftRecord:
    id: int
    opened_by: str
    float_amount: Fen
    opened_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    counted_cash: Fen | None


class ShiftRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def open(self, opened_by: str, float_amount: Fen) -> int:
        with self._db.transaction() as conn:
            if conn.execute("SELECT 1 FROM shifts WHERE closed_at IS NULL").fetchone():
                raise ValueError("已有未结束的班次")
            cur = conn.execute(
                "INSERT INTO shifts (opened_by, float_fen, opened_at) VALUES (?, ?, ?)",
                (opened_by, int(float_amount), utc_now_iso()))
            assert cur.lastrowid is not None
            return cur.lastrowid

    def close(self, shift_id: int, closed_by: str, counted_cash: Fen) -> None:
        with self._db.transaction() as conn:
            cur = conn.execute(
                "UPDATE shifts SET closed_by = ?, closed_at = ?, counted_cash_fen = ?"
                " WHERE id = ? AND closed_at IS NULL",
                (closed_by, utc_now_iso(), int(counted_cash), shift_id))
            if cur.rowcount != 1:
                raise ValueError("班次不存在或已结束")

    def current(self) -> ShiftRecord | None:
        row = self._db.connection().execute(
            "SELECT * FROM shifts WHERE closed_at IS NULL ORDER BY id DESC LIMIT 1").fetchone()
        return _shift(row) if row else None

    def get(self, shift_id: int) -> ShiftRecord | None:
        row = self._db.connection().execute(
            "SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone()
        return _shift(row) if row else None


def _shift(row: sqlite3.Row) -> ShiftRecord:
    opened = from_iso(row["opened_at"])
    assert opened is not None
    return ShiftRecord(
        id=row["id"], opened_by=row["opened_by"], float_amount=Fen(row["float_fen"]),
        opened_at=opened, closed_by=row["closed_by"], closed_at=from_iso(row["closed_at"]),
        counted_cash=None if row["counted_cash_fen"] is None else Fen(row["counted_cash_fen"]),
    )


@dataclass(frozen=True)
class AuditEntry:
    id: int
    who: str
    what: str
    at: datetime
    detail: str


class AuditLog:
    """Who did what when (never put PINs, keys or full auth codes in ``detail``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, who: str, what: str, detail: str = "",
               conn: sqlite3.Connection | None = None) -> None:
        sql = "INSERT INTO audit_log (who, what, at, detail) VALUES (?, ?, ?, ?)"
        args = (who, what, utc_now_iso(), detail)
        if conn is not None:
            conn.execute(sql, args)
            return
        with self._db.transaction() as c:
            c.execute(sql, args)

    def recent(self, limit: int = 100) -> list[AuditEntry]:
        rows = self._db.connection().execute(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        out = []
        for r in rows:
            at = from_iso(r["at"])
            assert at is not None
            out.append(AuditEntry(id=r["id"], who=r["who"], what=r["what"], at=at,
                                  detail=r["detail"]))
        return out
