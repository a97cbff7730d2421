"""PaymentAttemptRepository + the append-only ``attempt_events`` audit trail.

Every state change is one transaction: the attempt row update, its audit event
and (when given) the order status change commit together or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.domain.money import Fen
from pos_app.payments.api import AttemptState, PaymentMethod
from pos_app.storage.db import Database, from_iso, to_iso, utc_now_iso

NON_TERMINAL = (AttemptState.CREATED, AttemptState.AWAITING_CUSTOMER, AttemptState.UNCERTAIN)

# Columns a transition may update besides state.
_UPDATABLE = frozenset(
    {"code_url", "expires_at", "transaction_id", "message", "last_error"}
)


@dataclass(frozen=True)
class AttemptRecord:
    id: int
    order_id: int
    method: PaymentMethod
    out_trade_no: str
    amount: Fen
    state: AttemptState
    auth_code_masked: str
    code_url: str
    expires_at: datetime | None
    transaction_id: str
    tendered: Fen | None
    change: Fen | None
    message: str
    last_error: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class AttemptEventRecord:
    id: int
    attempt_id: int
    at: datetime
    from_state: AttemptState | None
    to_state: AttemptState
    note: str


def _attempt(row: sqlite3.Row) -> AttemptRecord:
    created, updated = from_iso(row["created_at"]), from_iso(row["updated_at"])
    assert created is not None and updated is not None
    return AttemptRecord(
        id=row["id"], order_id=row["order_id"], method=PaymentMethod(row["method"]),
        out_trade_no=row["out_trade_no"], amount=Fen(row["amount_fen"]),
        state=AttemptState(row["state"]), auth_code_masked=row["auth_code_masked"],
        code_url=row["code_url"], expires_at=from_iso(row["expires_at"]),
        transaction_id=row["transaction_id"],
        tendered=None if row["tendered_fen"] is None else Fen(row["tendered_fen"]),
        change=None if row["change_fen"] is None else Fen(row["change_fen"]),
        message=row["message"], last_error=row["last_error"],
        created_at=created, updated_at=updated,
    )


class PaymentAttemptRepository:
    """``now`` stamps created_at/updated_at/event times (the till's injectable clock)."""

    def __init__(self, db: Database, now: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._now = now

    def _stamp(self) -> str:
        return utc_now_iso() if self._now is None else str(to_iso(self._now()))

    def insert(
        self, conn: sqlite3.Connection, *, order_id: int, method: PaymentMethod,
        out_trade_no: str, amount: Fen, state: AttemptState = AttemptState.CREATED,
        auth_code_masked: str = "", expires_at: datetime | None = None,
        tendered: Fen | None = None, change: Fen | None = None, message: str = "",
        note: str = "intent",
    ) -> int:
        """Insert inside the caller's transaction; also writes the first audit event."""
        now = self._stamp()
        cur = conn.execute(
            "INSERT INTO payment_attempts (order_id, method, out_trade_no, amount_fen, state,"
            " auth_code_masked, expires_at, tendered_fen, change_fen, message,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (order_id, method.value, out_trade_no, int(amount), state.value, auth_code_masked,
             to_iso(expires_at), tendered, change, message, now, now),
        )
        attempt_id = cur.lastrowid
        assert attempt_id is not None
        conn.execute(
            "INSERT INTO attempt_events (attempt_id, at, from_state, to_state, note)"
            " VALUES (?, ?, NULL, ?, ?)", (attempt_id, now, state.value, note))
        return attempt_id

    def next_sequence(self, conn: sqlite3.Connection) -> int:
        return int(conn.execute(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM payment_attempts").fetchone()[0])

    def transition(
        self, attempt_id: int, to: AttemptState, *,
        validate: Callable[[AttemptState, AttemptState], None], note: str = "",
        after: Callable[[sqlite3.Connection, AttemptRecord], None] | None = None,
        **fields: Any,
    ) -> AttemptRecord:
        """Move ``attempt_id`` to ``to`` (validated against its current state), update
        ``fields``, append an audit event and run ``after`` — all in one transaction."""
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM payment_attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise KeyError(f"no payment attempt {attempt_id}")
            current = AttemptState(row["state"])
            validate(current, to)
            now = self._stamp()
            values = {k: (to_iso(v) if isinstance(v, datetime) else v) for k, v in fields.items()}
            sets = "".join(f", {k} = :{k}" for k in values)
            conn.execute(
                f"UPDATE payment_attempts SET state = :state, updated_at = :now{sets}"
                " WHERE id = :id",
                {"state": to.value, "now": now, "id": attempt_id, **values},
            )
            conn.execute(
                "INSERT INTO attempt_events (attempt_id, at, from_state, to_state, note)"
                " VALUES (?, ?, ?, ?, ?)", (attempt_id, now, current.value, to.value, note))
            record = _attempt(conn.execute(
                "SELECT * FROM payment_attempts WHERE id = ?", (attempt_id,)).fetchone())
            if after is not None:
                after(conn, record)
            return record

    def note(self, attempt_id: int, note: str, *, last_error: str | None = None,
             message: str | None = None) -> None:
        """Audit an observation that does not change state (e.g. a query result);
        ``message`` (when given) replaces the cashier-facing text of the current state."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT state FROM payment_attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise KeyError(f"no payment attempt {attempt_id}")
            now = self._stamp()
            if last_error is not None:
                conn.execute(
                    "UPDATE payment_attempts SET last_error = ?, updated_at = ? WHERE id = ?",
                    (last_error, now, attempt_id))
            if message is not None:
                conn.execute("UPDATE payment_attempts SET message = ? WHERE id = ?",
                             (message, attempt_id))
            conn.execute(
                "INSERT INTO attempt_events (attempt_id, at, from_state, to_state, note)"
                " VALUES (?, ?, ?, ?, ?)", (attempt_id, now, row["state"], row["state"], note))

    def get(self, attempt_id: int) -> AttemptRecord | None:
        row = self._db.connection().execute(
            "SELECT * FROM payment_attempts WHERE id = ?", (attempt_id,)).fetchone()
        return _attempt(row) if row else None

    def by_out_trade_no(self, out_trade_no: str) -> AttemptRecord | None:
        row = self._db.connection().execute(
            "SELECT * FROM payment_attempts WHERE out_trade_no = ?", (out_trade_no,)).fetchone()
        return _attempt(row) if row else None

    def for_order(self, order_id: int, conn: sqlite3.Connection | None = None) -> list[AttemptRecord]:
        c = conn or self._db.connection()
        rows = c.execute(
            "SELECT * FROM payment_attempts WHERE order_id = ? ORDER BY id", (order_id,)
        ).fetchall()
        return [_attempt(r) for r in rows]

    def unfinished(self) -> list[AttemptRecord]:
        marks = ",".join("?" for _ in NON_TERMINAL)
        rows = self._db.connection().execute(
            f"SELECT * FROM payment_attempts WHERE state IN ({marks}) ORDER BY id",
            tuple(s.value for s in NON_TERMINAL),
        ).fetchall()
        return [_attempt(r) for r in rows]

    def recent(self, limit: int = 50) -> list[AttemptRecord]:
        rows = self._db.connection().execute(
            "SELECT * FROM payment_attempts ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_attempt(r) for r in rows]

    def events(self, attempt_id: int) -> list[AttemptEventRecord]:
        rows = self._db.connection().execute(
            "SELECT * FROM attempt_events WHERE attempt_id = ? ORDER BY id", (attempt_id,)
        ).fetchall()
        out = []
        for r in rows:
            at = from_iso(r["at"])
            assert at is not None
            out.append(AttemptEventRecord(
                id=r["id"], attempt_id=r["attempt_id"], at=at,
                from_state=AttemptState(r["from_state"]) if r["from_state"] else None,
                to_state=AttemptState(r["to_state"]), note=r["note"]))
        return out
