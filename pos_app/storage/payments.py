"""PaymentAttemptRepository + the append-only ``attempt_events`` audit trail.

Every state change is one transaction: the attempt row update, its audit event and —
when it becomes ``paid`` — its order's status commit together or not at all.
Attempts belong to a till: :meth:`PaymentAttemptRepository.unfinished` (what start-up
recovery resolves) only ever returns this till's attempts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pos_app.domain.clock import Clock
from pos_app.domain.money import Fen
from pos_app.domain.payment import (
    CASH_CHANNEL,
    NON_TERMINAL,
    WECHAT,
    AttemptEvent,
    AttemptState,
    PaidPayment,
    PaymentAttempt,
    PaymentMethod,
    check_transition,
)
from pos_app.storage.db import Database, Stamp, to_iso
from pos_app.storage.migrate import DEFAULT_TILL_ID
from pos_app.storage.orders import settle_paid
from pos_app.storage.rows import attempt_event_row, attempt_row, paid_payment

__all__ = ["PaymentAttemptRepository"]


# Columns a transition may update besides state.
_UPDATABLE = frozenset(
    {"code_url", "expires_at", "transaction_id", "message", "last_error",
     "payer_total_fen", "coupon_fen", "merchant_coupon_fen"}
)
_MARKS = ",".join("?" for _ in NON_TERMINAL)
_UNFINISHED = tuple(s.value for s in NON_TERMINAL)


class PaymentAttemptRepository:
    """``clock`` stamps created_at/updated_at/event times (the till's injectable clock);
    new attempts belong to ``till_id``."""

    def __init__(self, db: Database, clock: Clock | None = None, *,
                 till_id: str = DEFAULT_TILL_ID) -> None:
        self._db = db
        self._stamp = Stamp(clock)
        self.till_id = till_id

    def insert(
        self, conn: sqlite3.Connection, *, order_id: int, method: PaymentMethod,
        out_trade_no: str, amount: Fen, state: AttemptState = AttemptState.CREATED,
        auth_code_masked: str = "", expires_at: datetime | None = None,
        tendered: Fen | None = None, change: Fen | None = None, message: str = "",
        note: str = "intent", transaction_id: str = "", channel: str | None = None,
    ) -> int:
        """Insert inside the caller's transaction; also writes the first audit event.
        An attempt inserted ``paid`` is booked now (its order is the caller's business)."""
        now = self._stamp.iso()
        paid_at = now if state is AttemptState.PAID else None
        if channel is None:
            channel = CASH_CHANNEL if method is PaymentMethod.CASH else WECHAT
        cur = conn.execute(
            "INSERT INTO payment_attempts (order_id, till_id, method, out_trade_no, amount_fen,"
            " state, auth_code_masked, expires_at, tendered_fen, change_fen, message,"
            " transaction_id, paid_at, created_at, updated_at, channel)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (order_id, self.till_id, method.value, out_trade_no, int(amount), state.value,
             auth_code_masked, to_iso(expires_at), tendered, change, message, transaction_id,
             paid_at, now, now, channel),
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

    def open_for_order(self, conn: sqlite3.Connection, order_id: int) -> list[PaymentAttempt]:
        """The order's attempts that are paid or not finished, read inside the caller's
        write transaction (the double-tap guard: a second intent must see the first)."""
        rows = conn.execute(
            f"SELECT * FROM payment_attempts WHERE order_id = ? AND (state = 'paid'"
            f" OR state IN ({_MARKS})) ORDER BY id", (order_id, *_UNFINISHED)).fetchall()
        return [attempt_row(r) for r in rows]

    def transition(
        self, attempt_id: int, to: AttemptState, *,
        validate: Callable[[AttemptState, AttemptState], None] = check_transition,
        note: str = "", paid_at: datetime | None = None,
        **fields: Any,
    ) -> PaymentAttempt:
        """Move ``attempt_id`` to ``to`` (validated against its current state), update
        ``fields``, append an audit event and settle the order when ``to`` is PAID (booked
        at ``paid_at``, default now) — all in one transaction."""
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
            now = self._stamp.iso()
            values = {k: (to_iso(v) if isinstance(v, datetime) else v) for k, v in fields.items()}
            if to is AttemptState.PAID:
                values["paid_at"] = self._stamp.iso(paid_at)
            sets = "".join(f", {k} = :{k}" for k in values)
            conn.execute(
                f"UPDATE payment_attempts SET state = :state, updated_at = :now{sets}"
                " WHERE id = :id",
                {"state": to.value, "now": now, "id": attempt_id, **values},
            )
            conn.execute(
                "INSERT INTO attempt_events (attempt_id, at, from_state, to_state, note)"
                " VALUES (?, ?, ?, ?, ?)", (attempt_id, now, current.value, to.value, note))
            record = attempt_row(conn.execute(
                "SELECT * FROM payment_attempts WHERE id = ?", (attempt_id,)).fetchone())
            if to is AttemptState.PAID:
                settle_paid(conn, record, now)
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
            now = self._stamp.iso()
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

    def get(self, attempt_id: int) -> PaymentAttempt | None:
        row = self._db.connection().execute(
            "SELECT * FROM payment_attempts WHERE id = ?", (attempt_id,)).fetchone()
        return attempt_row(row) if row else None

    def by_out_trade_no(self, out_trade_no: str) -> PaymentAttempt | None:
        row = self._db.connection().execute(
            "SELECT * FROM payment_attempts WHERE out_trade_no = ?", (out_trade_no,)).fetchone()
        return attempt_row(row) if row else None

    def for_order(self, order_id: int, conn: sqlite3.Connection | None = None
                  ) -> list[PaymentAttempt]:
        c = conn or self._db.connection()
        rows = c.execute(
            "SELECT * FROM payment_attempts WHERE order_id = ? ORDER BY id", (order_id,)
        ).fetchall()
        return [attempt_row(r) for r in rows]

    def unfinished(self) -> list[PaymentAttempt]:
        """This till's attempts that are not terminal (never another till's)."""
        rows = self._db.connection().execute(
            f"SELECT * FROM payment_attempts WHERE till_id = ? AND state IN ({_MARKS})"
            " ORDER BY id", (self.till_id, *_UNFINISHED)).fetchall()
        return [attempt_row(r) for r in rows]

    def unresolved_count(self, till_id: str | None = None) -> int:
        """Attempts not yet terminal, of ``till_id`` (None: every till)."""
        sql = f"SELECT COUNT(*) FROM payment_attempts WHERE state IN ({_MARKS})"
        args: tuple[object, ...] = _UNFINISHED
        if till_id is not None:
            sql, args = sql + " AND till_id = ?", (*args, till_id)
        return int(self._db.connection().execute(sql, args).fetchone()[0])

    def recent(self, limit: int = 50) -> list[PaymentAttempt]:
        """This till's latest attempts."""
        rows = self._db.connection().execute(
            "SELECT * FROM payment_attempts WHERE till_id = ? ORDER BY id DESC LIMIT ?",
            (self.till_id, limit)).fetchall()
        return [attempt_row(r) for r in rows]

    def events(self, attempt_id: int) -> list[AttemptEvent]:
        rows = self._db.connection().execute(
            "SELECT * FROM attempt_events WHERE attempt_id = ? ORDER BY id", (attempt_id,)
        ).fetchall()
        return [attempt_event_row(r) for r in rows]

    def paid_between(self, start: datetime, end: datetime, till_id: str | None = None
                     ) -> list[PaidPayment]:
        """Payments booked (``paid_at``) in ``[start, end)``, of ``till_id`` (None: all)."""
        sql = ("SELECT * FROM payment_attempts WHERE state = 'paid' AND paid_at >= ?"
               " AND paid_at < ?")
        args: tuple[object, ...] = (self._stamp.iso(start), self._stamp.iso(end))
        if till_id is not None:
            sql, args = sql + " AND till_id = ?", (*args, till_id)
        rows = self._db.connection().execute(sql + " ORDER BY paid_at, id", args).fetchall()
        return [paid_payment(r) for r in rows]
