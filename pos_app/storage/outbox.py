"""The transactional outbox (rows for the store hub) and what the till holds from the hub.

Rows are written by triggers (migration ``*_outbox.sql``) inside the transaction of the
change they describe, so a crash can neither lose a committed change's row nor leave a row
for a change that rolled back. This module reads them in order, deletes what the hub
acknowledged, turns recording on at enrolment, and keeps the hub's master data and flags.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pos_app.storage.db import Database, Stamp
from pos_app.storage.errors import ConflictError

# enrolment's snapshot: the current state of this till's records, parents first
_SNAPSHOT = (
    # the till's products on sale (master data: the hub's store catalogue gets them)
    ("product", "outbox_product_enrol_v", ""),
    ("shift", "outbox_shift_v", ""),
    ("order", "outbox_order_v", ""),
    ("order_line", "outbox_order_line_v", ""),
    ("payment_attempt", "outbox_attempt_v", " AND json_extract(payload, '$.amount_fen') > 0"),
    ("refund", "outbox_refund_v", ""),
)


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    kind: str
    committed_at: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class OutboxState:
    till_id: str
    enabled: bool
    last_seq: int
    acked_seq: int

    @property
    def unsent(self) -> int:
        return self.last_seq - self.acked_seq


@dataclass(frozen=True)
class HubFlag:
    id: int
    kind: str
    till_id: str | None
    order_id: str | None
    out_trade_no: str
    amount_fen: int | None
    detail: str
    created_at: str
    handled_by: str | None


@dataclass(frozen=True)
class MasterChange:
    """One change of master data; ``data`` None deletes (deactivates) ``key``."""

    kind: str            # "product" | "staff" | "setting"
    key: str
    data: Mapping[str, Any] | None


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- the outbox ------------------------------------------------------------------------
    def state(self) -> OutboxState:
        row = self._db.connection().execute(
            "SELECT till_id, enabled, last_seq, acked_seq FROM outbox_state WHERE id = 1"
        ).fetchone()
        return OutboxState(row["till_id"], bool(row["enabled"]), row["last_seq"],
                           row["acked_seq"])

    def enable(self, till_id: str, *, snapshot: bool = True) -> int:
        """Start recording ``till_id``'s changes. With ``snapshot`` the current state of its
        products on sale, shifts, orders, lines, payments and refunds is queued first, in
        the same transaction (the hub then holds the history from before enrolment).
        Returns rows queued."""
        with self._db.transaction() as conn:
            row = conn.execute("SELECT enabled, till_id FROM outbox_state WHERE id = 1").fetchone()
            if row["enabled"]:
                if row["till_id"] != till_id:
                    raise ConflictError("the outbox already records another till")
                return 0
            conn.execute("UPDATE outbox_state SET till_id = ?, enabled = 1 WHERE id = 1",
                         (till_id,))
            queued = 0
            if snapshot:
                for kind, view, extra in _SNAPSHOT:
                    queued += self._queue_view(conn, kind, view, till_id, extra)
            return queued

    @staticmethod
    def _queue_view(conn: sqlite3.Connection, kind: str, view: str, till_id: str,
                    extra: str) -> int:
        last = conn.execute("SELECT last_seq FROM outbox_state WHERE id = 1").fetchone()[0]
        cur = conn.execute(
            f"INSERT INTO outbox (seq, kind, committed_at, payload)"
            f" SELECT ? + ROW_NUMBER() OVER (ORDER BY id), ?, committed_at, payload"
            f" FROM {view} WHERE till_id = ?{extra} ORDER BY id",
            (last, kind, till_id))
        conn.execute("UPDATE outbox_state SET last_seq = last_seq + ? WHERE id = 1",
                     (cur.rowcount,))
        return cur.rowcount

    def disable(self) -> None:
        """Stop recording (the till left the hub); unsent rows stay until acknowledged."""
        with self._db.transaction() as conn:
            conn.execute("UPDATE outbox_state SET enabled = 0 WHERE id = 1")

    def pending(self, limit: int) -> list[OutboxEntry]:
        """The oldest unacknowledged rows, in seq order."""
        rows = self._db.connection().execute(
            "SELECT seq, kind, committed_at, payload FROM outbox ORDER BY seq LIMIT ?",
            (limit,)).fetchall()
        return [OutboxEntry(r["seq"], r["kind"], r["committed_at"], json.loads(r["payload"]))
                for r in rows]

    def acknowledge(self, high_seq: int) -> int:
        """The hub holds every row up to ``high_seq``: delete them. Returns rows deleted.
        Raises :class:`ConflictError` when the hub claims more than this till ever wrote
        (its database was restored from an older copy: nothing is deleted)."""
        with self._db.transaction() as conn:
            state = conn.execute(
                "SELECT last_seq, acked_seq FROM outbox_state WHERE id = 1").fetchone()
            if high_seq > state["last_seq"]:
                raise ConflictError(
                    f"the hub holds seq {high_seq}, this till wrote only {state['last_seq']}")
            if high_seq <= state["acked_seq"]:
                return 0
            conn.execute("UPDATE outbox_state SET acked_seq = ? WHERE id = 1", (high_seq,))
            return conn.execute("DELETE FROM outbox WHERE seq <= ?", (high_seq,)).rowcount

    # -- master data -----------------------------------------------------------------------
    def master_version(self) -> int:
        return int(self._db.connection().execute(
            "SELECT master_version FROM hub_sync WHERE id = 1").fetchone()[0])

    def apply_master(self, version: int, changes: Sequence[MasterChange]) -> None:
        """Apply ``changes`` and remember ``version`` in one transaction (all or nothing).
        Products are keyed by SKU, staff by name (deletion deactivates: orders keep their
        cashier), settings by key. A stale version (not above the held one) is ignored."""
        with self._db.transaction() as conn:
            held = conn.execute("SELECT master_version FROM hub_sync WHERE id = 1").fetchone()[0]
            if version <= held:
                return
            # echo guard (0009_product_outbox): what the hub sent is not sent back up
            conn.execute("UPDATE master_apply_guard SET applying = 1 WHERE id = 1")
            for change in changes:
                _apply_one(conn, change)
            conn.execute("UPDATE master_apply_guard SET applying = 0 WHERE id = 1")
            conn.execute("UPDATE hub_sync SET master_version = ? WHERE id = 1", (version,))

    def setting(self, key: str) -> str | None:
        row = self._db.connection().execute(
            "SELECT value FROM master_settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    # -- flags -----------------------------------------------------------------------------
    def flags_seen(self) -> int:
        return int(self._db.connection().execute(
            "SELECT flags_seen FROM hub_sync WHERE id = 1").fetchone()[0])

    def add_flags(self, last: int, flags: Sequence[HubFlag]) -> int:
        """Keep new flags (a flag already held is left as it is) and remember ``last``.
        Returns how many were new."""
        new = 0
        with self._db.transaction() as conn:
            for f in flags:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO hub_flags (id, kind, till_id, order_id, out_trade_no,"
                    " amount_fen, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (f.id, f.kind, f.till_id, f.order_id, f.out_trade_no, f.amount_fen,
                     f.detail, f.created_at))
                new += cur.rowcount
            conn.execute("UPDATE hub_sync SET flags_seen = MAX(flags_seen, ?) WHERE id = 1",
                         (last,))
        return new

    def open_flags(self) -> list[HubFlag]:
        rows = self._db.connection().execute(
            "SELECT * FROM hub_flags WHERE handled_at IS NULL ORDER BY id").fetchall()
        return [_flag(r) for r in rows]

    def handle_flag(self, flag_id: int, handled_by: str, stamp: Stamp | None = None) -> None:
        at = (stamp or Stamp()).iso()
        with self._db.transaction() as conn:
            cur = conn.execute(
                "UPDATE hub_flags SET handled_by = ?, handled_at = ? WHERE id = ?"
                " AND handled_at IS NULL", (handled_by, at, flag_id))
            if cur.rowcount != 1:
                raise ConflictError("no such open flag")


def _flag(r: sqlite3.Row) -> HubFlag:
    return HubFlag(r["id"], r["kind"], r["till_id"], r["order_id"], r["out_trade_no"],
                   r["amount_fen"], r["detail"], r["created_at"], r["handled_by"])


def _apply_one(conn: sqlite3.Connection, change: MasterChange) -> None:
    d = change.data
    if change.kind == "product":
        if d is None:
            conn.execute("UPDATE products SET active = 0 WHERE sku = ?", (change.key,))
            return
        barcode = d.get("barcode") or None
        if barcode is not None:  # the barcode moves to this SKU (UNIQUE column)
            conn.execute("UPDATE products SET barcode = NULL WHERE barcode = ? AND sku <> ?",
                         (barcode, d["sku"]))
        conn.execute(
            "INSERT INTO products (sku, barcode, name, price_fen, active) VALUES (?, ?, ?, ?, 1)"
            " ON CONFLICT(sku) DO UPDATE SET barcode = excluded.barcode, name = excluded.name,"
            " price_fen = excluded.price_fen, active = 1",
            (d["sku"], barcode, d["name"], int(d["price_fen"])))
    elif change.kind == "staff":
        if d is None:
            conn.execute("UPDATE users SET active = 0 WHERE name = ?", (change.key,))
            return
        # an empty pin_hash: the shop has no PIN for them yet, the till keeps its own
        conn.execute(
            "INSERT INTO users (name, role, pin_hash, active) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(name) DO UPDATE SET role = excluded.role,"
            " pin_hash = CASE excluded.pin_hash WHEN '' THEN users.pin_hash"
            " ELSE excluded.pin_hash END, active = excluded.active",
            (d["name"], d["role"], d["pin_hash"], 1 if d["active"] else 0))
    elif change.kind == "setting":
        if d is None:
            conn.execute("DELETE FROM master_settings WHERE key = ?", (change.key,))
            return
        conn.execute("INSERT INTO master_settings (key, value) VALUES (?, ?)"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     (change.key, d["value"]))
    else:
        raise ValueError(f"unknown master data kind {change.kind!r}")
