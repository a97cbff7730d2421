"""RefundRepository: refunds, their lines and the append-only ``refund_events`` log.

Refunds have the guarantees payments have:

* the state machine (:data:`pos_app.domain.refund.REFUND_TRANSITIONS`) is checked
  inside the write transaction that changes the row, together with an event;
* the double-tap guard runs inside the write transaction that inserts the intents:
  :meth:`RefundRepository.add` re-reads the order's refunds under the write lock and
  hands them to the caller's ``guard`` — a second request that no longer fits is
  refused with nothing written, whichever process or connection sent it;
* the order's status follows its refunds in the same transaction (the rule:
  :func:`pos_app.domain.order.status_after_refunds` over the refunds that are
  :attr:`~pos_app.domain.refund.RefundState.taken` — ABNORMAL counts).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from pos_app.domain.clock import Clock
from pos_app.domain.money import Fen
from pos_app.domain.refund import (
    NewRefund,
    Refund,
    RefundEvent,
    RefundState,
    check_refund_transition,
    refunded_total,
)
from pos_app.storage.db import Database, Stamp
from pos_app.storage.migrate import DEFAULT_TILL_ID
from pos_app.storage.orders import apply_refunds
from pos_app.storage.rows import refund_event_row, refund_row

_SELECT = (
    "SELECT r.*, a.method AS method, a.out_trade_no AS out_trade_no,"
    " a.amount_fen AS payment_total"
    " FROM refunds r LEFT JOIN payment_attempts a ON a.id = r.attempt_id")
_UNFINISHED = (RefundState.PENDING.value, RefundState.PROCESSING.value)


def _load(conn: sqlite3.Connection, where: str, args: Sequence[object]) -> list[Refund]:
    rows = conn.execute(f"{_SELECT} WHERE {where} ORDER BY r.id", tuple(args)).fetchall()
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    lines: dict[int, list[tuple[int, int]]] = {}
    marks = ",".join("?" for _ in ids)
    for ln in conn.execute(
            f"SELECT refund_id, line_no, quantity FROM refund_lines WHERE refund_id IN ({marks})"
            " ORDER BY refund_id, line_no", ids):
        lines.setdefault(ln["refund_id"], []).append((ln["line_no"], ln["quantity"]))
    return [refund_row(r, tuple(lines.get(r["id"], ()))) for r in rows]


def _event(conn: sqlite3.Connection, refund_id: int, at: str, from_state: RefundState | None,
           to: RefundState, note: str) -> None:
    conn.execute("INSERT INTO refund_events (refund_id, at, from_state, to_state, note)"
                 " VALUES (?, ?, ?, ?, ?)",
                 (refund_id, at, None if from_state is None else from_state.value, to.value, note))


class RefundRepository:
    """New refunds belong to ``till_id`` (the till whose drawer pays a cash refund)."""

    def __init__(self, db: Database, clock: Clock | None = None, *,
                 till_id: str = DEFAULT_TILL_ID) -> None:
        self._db = db
        self._stamp = Stamp(clock)
        self.till_id = till_id

    def add(self, order_id: int,
            build: Callable[[list[Refund]], Sequence[NewRefund]]) -> list[Refund]:
        """Insert refund intents for ``order_id`` in one write transaction (before any
        network call). ``build(existing)`` gets the order's refunds as they are under the
        write lock and returns the intents to insert, or raises to refuse (nothing is
        written): the double-tap guard, whichever process or connection asks."""
        ids: list[int] = []
        with self._db.transaction() as conn:
            refunds = list(build(_load(conn, "r.order_id = ?", (order_id,))))
            if any(r.order_id != order_id for r in refunds):
                raise ValueError("refunds of one order at a time")
            if not refunds:
                return []
            for new in refunds:
                check_refund_transition(None, new.state)
                at = self._stamp.iso(new.created_at)
                cur = conn.execute(
                    "INSERT INTO refunds (till_id, order_id, attempt_id, out_refund_no,"
                    " amount_fen, reason, state, requested_by, approved_by, created_at,"
                    " updated_at, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE("
                    "(SELECT a.channel FROM payment_attempts a WHERE a.id = ?), 'cash'))",
                    (self.till_id, new.order_id, new.attempt_id or None, new.out_refund_no,
                     int(new.amount), new.reason, new.state.value, new.requested_by,
                     new.approved_by, at, at, new.attempt_id or None))
                rid = cur.lastrowid
                assert rid is not None
                for line_no, quantity in new.lines:
                    if quantity > 0:
                        conn.execute("INSERT INTO refund_lines (refund_id, line_no, quantity)"
                                     " VALUES (?, ?, ?)", (rid, line_no, quantity))
                _event(conn, rid, at, None, new.state, "intent")
                ids.append(rid)
            apply_refunds(conn, order_id, self._stamp.iso())
            return _load(conn, f"r.id IN ({','.join('?' for _ in ids)})", ids)

    def transition(self, refund_id: int, to: RefundState, *, at: datetime | None = None,
                   wechat_refund_id: str = "", message: str = "", note: str = "") -> Refund:
        """Move a refund to ``to`` (checked against the transition table), append an event
        and re-derive its order's status — one transaction. Staying in ``pending`` or
        ``processing`` records an observation (e.g. an unanswered query)."""
        with self._db.transaction() as conn:
            row = conn.execute("SELECT state, order_id FROM refunds WHERE id = ?",
                               (refund_id,)).fetchone()
            if row is None:
                raise KeyError(f"no refund {refund_id}")
            current = RefundState(row["state"])
            check_refund_transition(current, to)
            stamp = self._stamp.iso(at)
            conn.execute(
                "UPDATE refunds SET state = ?, refund_id = COALESCE(NULLIF(?, ''), refund_id),"
                " message = ?, updated_at = ? WHERE id = ?",
                (to.value, wechat_refund_id, message, stamp, refund_id))
            _event(conn, refund_id, stamp, current, to, note or message[:200])
            apply_refunds(conn, row["order_id"], stamp)
            [rec] = _load(conn, "r.id = ?", (refund_id,))
            return rec

    def get(self, refund_id: int) -> Refund | None:
        found = _load(self._db.connection(), "r.id = ?", (refund_id,))
        return found[0] if found else None

    def for_order(self, order_id: int) -> list[Refund]:
        return _load(self._db.connection(), "r.order_id = ?", (order_id,))

    def between(self, start: datetime, end: datetime, till_id: str | None = None
                ) -> list[Refund]:
        """Refunds created in ``[start, end)``, any state, of ``till_id`` (None: all)."""
        where, args = "r.created_at >= ? AND r.created_at < ?", [
            self._stamp.iso(start), self._stamp.iso(end)]
        if till_id is not None:
            where, args = where + " AND r.till_id = ?", [*args, till_id]
        return _load(self._db.connection(), where, args)

    def unfinished(self) -> list[Refund]:
        """This till's refunds still PENDING or PROCESSING (what it resumes after a
        restart; another till's are that till's to follow)."""
        return _load(self._db.connection(), "r.state IN (?, ?) AND r.till_id = ?",
                     (*_UNFINISHED, self.till_id))

    def refunded_total(self, order_id: int) -> Fen:
        """What the order's refunds take from it (ABNORMAL counts; CLOSED/FAILED do not)."""
        return refunded_total(self.for_order(order_id))

    def events(self, refund_id: int) -> list[RefundEvent]:
        rows = self._db.connection().execute(
            "SELECT * FROM refund_events WHERE refund_id = ? ORDER BY id", (refund_id,)
        ).fetchall()
        return [refund_event_row(r) for r in rows]
