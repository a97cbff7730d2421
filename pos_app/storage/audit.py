"""AuditLog: who did what when, ``detail`` as JSON (never PINs, keys or full auth codes)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pos_app.domain.audit import AuditEntry
from pos_app.domain.clock import Clock
from pos_app.storage.db import Database, Stamp
from pos_app.storage.rows import audit_row


class AuditLog:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self._db = db
        self._stamp = Stamp(clock)

    @staticmethod
    def insert(conn: sqlite3.Connection, actor: str, action: str,
               detail: Mapping[str, Any], at: str) -> None:
        """Append inside the caller's transaction."""
        conn.execute("INSERT INTO audit_log (who, what, at, detail) VALUES (?, ?, ?, ?)",
                     (actor, action, at,
                      json.dumps(dict(detail), ensure_ascii=False, default=str)))

    def record(self, actor: str, action: str, detail: Mapping[str, Any] | None = None, *,
               at: datetime | None = None) -> None:
        with self._db.transaction() as conn:
            self.insert(conn, actor, action, detail or {}, self._stamp.iso(at))

    def recent(self, limit: int = 100) -> list[AuditEntry]:
        """Newest first."""
        rows = self._db.connection().execute(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [audit_row(r) for r in rows]

    def entries(self, action: str | None = None) -> list[AuditEntry]:
        """Oldest first, optionally only ``action``."""
        sql, args = "SELECT * FROM audit_log", tuple[str, ...]()
        if action is not None:
            sql, args = sql + " WHERE what = ?", (action,)
        rows = self._db.connection().execute(sql + " ORDER BY id", args).fetchall()
        return [audit_row(r) for r in rows]
