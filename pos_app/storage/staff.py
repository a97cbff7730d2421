"""UserRepository: staff accounts (implements :class:`pos_app.manager.pins.UserStore`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pos_app.domain.staff import Role, StaffUser
from pos_app.storage.db import Database, to_iso
from pos_app.storage.rows import user_row


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
        return user_row(row) if row else None

    def list_users(self) -> list[StaffUser]:
        rows = self._db.connection().execute(
            "SELECT * FROM users WHERE active = 1 ORDER BY name").fetchall()
        return [user_row(r) for r in rows]

    def save_login_state(
        self, name: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        with self._db.transaction() as conn:
            conn.execute("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE name = ?",
                         (failed_attempts, to_iso(locked_until), name))

    def count_attempt(self, name: str, decide: Callable[[StaffUser], StaffUser]
                      ) -> tuple[StaffUser, StaffUser] | None:
        """Count one PIN try *before* the PIN is checked, in one write transaction:
        ``decide(user)`` gives the login state to store (e.g. one more failure, or a
        lock); returns ``(as it was, as stored)`` or None for no such user. Concurrent
        tries — other threads or processes — are counted one after the other, so no more
        PINs are checked than the lockout allows."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM users WHERE name = ? AND active = 1", (name,)).fetchone()
            if row is None:
                return None
            before = user_row(row)
            after = decide(before)
            if (after.failed_attempts, after.locked_until) != (before.failed_attempts,
                                                               before.locked_until):
                conn.execute(
                    "UPDATE users SET failed_attempts = ?, locked_until = ? WHERE name = ?",
                    (after.failed_attempts, to_iso(after.locked_until), name))
            return before, after
