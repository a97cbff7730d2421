"""The manager store over the till's SQLite database (schema owned by ``pos_app.storage``).

Mapping notes:

* the order number shown to staff is the order id (``orders.id``);
* a payment's ``paid_at`` is the time of its ``→ paid`` attempt event;
* ``refunds.status`` holds ``created`` (= PENDING), ``failed``, or the WeChat Pay
  status in capitals (``PROCESSING``/``SUCCESS``/``CLOSED``/``ABNORMAL``), as the
  storage package's own helpers expect; cash refunds are ``SUCCESS`` at once;
* the refund's requesting cashier and refunded lines are immutable facts written in
  the same transaction as the refund row, as an audit entry ``refund.intent:<no>``
  (the v1 schema has no columns for them).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pos_app.domain.money import Fen
from pos_app.domain.text import msg
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.pins import Role, StaffUser
from pos_app.manager.store import (
    NewRefund,
    PaidPayment,
    RefundRecord,
    RefundState,
    SaleOrder,
    ShiftRecord,
    SoldLine,
)
from pos_app.payments.api import AttemptState, PaymentMethod
from pos_app.payments.gateway import Paid
from pos_app.payments.states import check_transition
from pos_app.storage.db import Database, from_iso, to_iso
from pos_app.storage.orders import OrderRepository, OrderStatus
from pos_app.storage.payments import NON_TERMINAL, PaymentAttemptRepository
from pos_app.storage.staff import UserRepository

_TO_DB = {RefundState.PENDING: "created", RefundState.FAILED: "failed",
          RefundState.PROCESSING: "PROCESSING", RefundState.SUCCESS: "SUCCESS",
          RefundState.CLOSED: "CLOSED", RefundState.ABNORMAL: "ABNORMAL"}
_FROM_DB = {v: k for k, v in _TO_DB.items()}
_PAID_STATUSES = ("paid", "refunded", "partially_refunded")
_INTENT = "refund.intent:"
_PAID_AT = "reconcile.paid_at:"


def _ts(text: str | None) -> datetime:
    value = from_iso(text)
    if value is None:
        raise ValueError("missing timestamp")
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: datetime) -> str:
    iso = to_iso(value)
    assert iso is not None
    return iso


class SqliteManagerStore:
    """Implements :class:`pos_app.manager.store.ManagerStore` over :class:`Database`."""

    def __init__(self, db: Database, now: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._users = UserRepository(db)
        self._orders = OrderRepository(db)
        self._attempts = PaymentAttemptRepository(db, now)

    def _conn(self) -> sqlite3.Connection:
        return self._db.connection()

    # ---- UserStore
    def get_user(self, name: str) -> StaffUser | None:
        return self._users.get_user(name)

    def save_login_state(
        self, name: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        self._users.save_login_state(name, failed_attempts, locked_until)

    def add_user(self, name: str, role: Role, pin_hash: str) -> int:
        return self._users.add_user(name, role, pin_hash)

    def set_pin_hash(self, name: str, pin_hash: str) -> None:
        self._users.set_pin_hash(name, pin_hash)

    # ---- AuditLog
    def audit(self, actor: str, action: str, detail: Mapping[str, Any]) -> None:
        with self._db.transaction() as conn:
            self._audit(conn, actor, action, detail)

    @staticmethod
    def _audit(conn: sqlite3.Connection, actor: str, action: str,
               detail: Mapping[str, Any], at: datetime | None = None) -> None:
        conn.execute("INSERT INTO audit_log (who, what, at, detail) VALUES (?, ?, ?, ?)",
                     (actor, action, _iso(at or datetime.now(UTC)),
                      json.dumps(dict(detail), ensure_ascii=False, default=str)))

    # ---- payments
    # paid_at: WeChat Pay's success time for a payment repaired by reconciliation (audit
    # entry ``reconcile.paid_at:<attempt id>``), else the time of its ``→ paid`` event.
    _PAY_SQL = (
        "SELECT a.*, COALESCE((SELECT MIN(json_extract(l.detail, '$.paid_at')) FROM audit_log l"
        " WHERE l.what = 'reconcile.paid_at:' || a.id), (SELECT MIN(e.at) FROM attempt_events e"
        " WHERE e.attempt_id = a.id AND e.to_state = 'paid')) AS paid_at"
        " FROM payment_attempts a WHERE a.state = 'paid'")

    @staticmethod
    def _payment(row: sqlite3.Row) -> PaidPayment:
        return PaidPayment(
            attempt_id=row["id"], order_id=row["order_id"], method=PaymentMethod(row["method"]),
            amount=Fen(row["amount_fen"]), paid_at=_ts(row["paid_at"] or row["updated_at"]),
            out_trade_no=row["out_trade_no"], transaction_id=row["transaction_id"])

    def paid_payments_between(self, start: datetime, end: datetime) -> list[PaidPayment]:
        rows = self._conn().execute(
            f"SELECT * FROM ({self._PAY_SQL}) WHERE COALESCE(paid_at, updated_at) >= ?"
            " AND COALESCE(paid_at, updated_at) < ? ORDER BY paid_at, id",
            (_iso(start), _iso(end))).fetchall()
        return [self._payment(r) for r in rows]

    def unresolved_attempt_count(self) -> int:
        marks = ",".join("?" for _ in NON_TERMINAL)
        return int(self._conn().execute(
            f"SELECT COUNT(*) FROM payment_attempts WHERE state IN ({marks})",
            tuple(s.value for s in NON_TERMINAL)).fetchone()[0])

    # ---- orders
    def get_order(self, order_id: int) -> SaleOrder | None:
        order = self._orders.get(order_id)
        if order is None:
            return None
        lines = tuple(SoldLine(ln.line_no, ln.sku, ln.name, ln.quantity, ln.net)
                      for ln in self._orders.lines(order_id))
        pays = tuple(self._payment(r) for r in self._conn().execute(
            f"{self._PAY_SQL} AND a.order_id = ? ORDER BY a.id", (order_id,)).fetchall())
        return SaleOrder(order.id, str(order.id), order.created_at, order.total, order.cashier,
                         lines, pays)

    def find_order(self, key: str) -> SaleOrder | None:
        key = key.strip()
        if key.isdigit() and len(key) <= 12:
            found = self.get_order(int(key))
            if found is not None:
                return found
        row = self._conn().execute(
            "SELECT order_id FROM payment_attempts WHERE out_trade_no = ?"
            " OR (transaction_id = ? AND transaction_id != '') ORDER BY id LIMIT 1",
            (key, key)).fetchone()
        return self.get_order(row["order_id"]) if row else None

    def search_orders(
        self, start: datetime, end: datetime, amount: Fen | None = None
    ) -> list[SaleOrder]:
        sql = ("SELECT id FROM orders WHERE status IN (?, ?, ?) AND created_at >= ?"
               " AND created_at < ?")
        args: list[object] = [*_PAID_STATUSES, _iso(start), _iso(end)]
        if amount is not None:
            sql += " AND total_fen = ?"
            args.append(int(amount))
        rows = self._conn().execute(sql + " ORDER BY id", args).fetchall()
        return [o for r in rows if (o := self.get_order(r["id"])) is not None]

    # ---- refunds
    _REFUND_SQL = (
        "SELECT r.*, a.method AS method, a.out_trade_no AS out_trade_no,"
        " a.amount_fen AS payment_total, l.who AS requested_by, l.detail AS intent"
        " FROM refunds r LEFT JOIN payment_attempts a ON a.id = r.attempt_id"
        " LEFT JOIN audit_log l ON l.what = 'refund.intent:' || r.out_refund_no")

    @staticmethod
    def _refund(row: sqlite3.Row) -> RefundRecord:
        intent: dict[str, Any] = json.loads(row["intent"]) if row["intent"] else {}
        return RefundRecord(
            refund_id=row["id"], order_id=row["order_id"], attempt_id=row["attempt_id"] or 0,
            method=PaymentMethod(row["method"] or intent.get("method", "cash")),
            out_refund_no=row["out_refund_no"], out_trade_no=row["out_trade_no"] or "",
            amount=Fen(row["amount_fen"]), payment_total=Fen(row["payment_total"] or 0),
            reason=row["reason"], requested_by=row["requested_by"] or "",
            approved_by=row["manager"], created_at=_ts(row["created_at"]),
            updated_at=_ts(row["updated_at"]),
            state=_FROM_DB.get(row["status"], RefundState.PENDING),
            lines=tuple((int(a), int(b)) for a, b in intent.get("lines", [])),
            wechat_refund_id=row["refund_id"], message=row["last_error"])

    def get_refund(self, refund_id: int) -> RefundRecord | None:
        row = self._conn().execute(f"{self._REFUND_SQL} WHERE r.id = ?", (refund_id,)).fetchone()
        return self._refund(row) if row else None

    def refunds_for_order(self, order_id: int) -> list[RefundRecord]:
        rows = self._conn().execute(f"{self._REFUND_SQL} WHERE r.order_id = ? ORDER BY r.id",
                                    (order_id,)).fetchall()
        return [self._refund(r) for r in rows]

    def refunds_between(self, start: datetime, end: datetime) -> list[RefundRecord]:
        rows = self._conn().execute(
            f"{self._REFUND_SQL} WHERE r.created_at >= ? AND r.created_at < ? ORDER BY r.id",
            (_iso(start), _iso(end))).fetchall()
        return [self._refund(r) for r in rows]

    def unfinished_refunds(self) -> list[RefundRecord]:
        rows = self._conn().execute(
            f"{self._REFUND_SQL} WHERE r.status IN ('created', 'PROCESSING') ORDER BY r.id"
        ).fetchall()
        return [self._refund(r) for r in rows]

    def add_refund(self, refund: NewRefund) -> RefundRecord:
        at = _iso(refund.created_at)
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO refunds (order_id, attempt_id, out_refund_no, amount_fen, reason,"
                " status, manager, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (refund.order_id, refund.attempt_id, refund.out_refund_no, int(refund.amount),
                 refund.reason, _TO_DB[refund.state], refund.approved_by, at, at))
            rid = cur.lastrowid
            assert rid is not None
            self._audit(conn, refund.requested_by, _INTENT + refund.out_refund_no, {
                "method": refund.method.value, "lines": [list(x) for x in refund.lines],
                "amount": int(refund.amount)}, refund.created_at)
            self._update_order_status(conn, refund.order_id)
        rec = self.get_refund(rid)
        assert rec is not None
        return rec

    def update_refund(
        self, refund_id: int, *, state: RefundState, at: datetime, wechat_refund_id: str = "",
        message: str = "",
    ) -> RefundRecord:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE refunds SET status = ?, refund_id = COALESCE(NULLIF(?, ''), refund_id),"
                " last_error = ?, updated_at = ? WHERE id = ?",
                (_TO_DB[state], wechat_refund_id, message, _iso(at), refund_id))
            row = conn.execute("SELECT order_id FROM refunds WHERE id = ?",
                               (refund_id,)).fetchone()
            if row is None:
                raise KeyError(f"no refund {refund_id}")
            self._update_order_status(conn, row["order_id"])
        rec = self.get_refund(refund_id)
        assert rec is not None
        return rec

    @staticmethod
    def _update_order_status(conn: sqlite3.Connection, order_id: int) -> None:
        row = conn.execute("SELECT status, total_fen FROM orders WHERE id = ?",
                           (order_id,)).fetchone()
        if row is None or row["status"] not in _PAID_STATUSES:
            return
        taken = conn.execute(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM refunds WHERE order_id = ?"
            " AND status NOT IN ('CLOSED', 'failed')", (order_id,)).fetchone()[0]
        status = (OrderStatus.PAID if taken == 0 else OrderStatus.REFUNDED
                  if taken >= row["total_fen"] else OrderStatus.PARTIALLY_REFUNDED)
        conn.execute("UPDATE orders SET status = ? WHERE id = ?", (status.value, order_id))

    # ---- shifts
    @staticmethod
    def _shift(row: sqlite3.Row) -> ShiftRecord:
        return ShiftRecord(
            shift_id=row["id"], opened_at=_ts(row["opened_at"]), opened_by=row["opened_by"],
            opening_float=Fen(row["float_fen"]),
            closed_at=_ts(row["closed_at"]) if row["closed_at"] else None,
            closed_by=row["closed_by"] or "",
            counted_cash=None if row["counted_cash_fen"] is None else Fen(row["counted_cash_fen"]))

    def current_shift(self) -> ShiftRecord | None:
        row = self._conn().execute(
            "SELECT * FROM shifts WHERE closed_at IS NULL ORDER BY id DESC LIMIT 1").fetchone()
        return self._shift(row) if row else None

    def open_shift(self, opened_by: str, opening_float: Fen, at: datetime) -> ShiftRecord:
        with self._db.transaction() as conn:
            if conn.execute("SELECT 1 FROM shifts WHERE closed_at IS NULL").fetchone():
                raise ManagerError(msg(ManagerText.SHIFT_ALREADY_OPEN))
            cur = conn.execute(
                "INSERT INTO shifts (opened_by, float_fen, opened_at) VALUES (?, ?, ?)",
                (opened_by, int(opening_float), _iso(at)))
            sid = cur.lastrowid
            row = conn.execute("SELECT * FROM shifts WHERE id = ?", (sid,)).fetchone()
        return self._shift(row)

    def close_shift(
        self, shift_id: int, closed_by: str, counted_cash: Fen, at: datetime
    ) -> ShiftRecord:
        with self._db.transaction() as conn:
            cur = conn.execute(
                "UPDATE shifts SET closed_by = ?, closed_at = ?, counted_cash_fen = ?"
                " WHERE id = ? AND closed_at IS NULL",
                (closed_by, _iso(at), int(counted_cash), shift_id))
            if cur.rowcount != 1:
                raise ManagerError(msg(ManagerText.SHIFT_NO_SUCH_OPEN))
            row = conn.execute("SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone()
        return self._shift(row)

    # ---- reconciliation repair
    def record_missing_payment(self, tx: Paid, at: datetime) -> PaidPayment:
        """``at`` = when WeChat Pay says it was paid (becomes the payment's ``paid_at``)."""
        attempt = self._attempts.by_out_trade_no(tx.out_trade_no)
        if attempt is None:
            return self._insert_recovered_order(tx, at)
        if attempt.state is AttemptState.PAID:
            return self._paid_attempt(attempt.order_id, attempt.id)
        if attempt.state not in NON_TERMINAL:
            raise ManagerError(msg(ManagerText.RECONCILE_LOCAL_ATTEMPT_FINAL,
                                   state=attempt.state.value))

        def after(conn: sqlite3.Connection, rec: Any) -> None:
            self._book_paid_at(conn, rec.id, at)
            row = conn.execute("SELECT status FROM orders WHERE id = ?",
                               (rec.order_id,)).fetchone()
            if row is not None and row["status"] == OrderStatus.OPEN.value:
                self._orders.set_status(conn, rec.order_id, OrderStatus.PAID,
                                        paid_attempt_id=rec.id)
            else:
                self._audit(conn, "reconcile", "double_payment",
                            {"order_id": rec.order_id, "attempt_id": rec.id})

        self._attempts.transition(attempt.id, AttemptState.PAID, validate=check_transition,
                                  note="reconcile: paid per trade bill + re-query", after=after,
                                  transaction_id=tx.transaction_id)
        return self._paid_attempt(attempt.order_id, attempt.id)

    @staticmethod
    def _book_paid_at(conn: sqlite3.Connection, attempt_id: int, at: datetime) -> None:
        """A repaired payment is booked when WeChat Pay took the money (``at``), not when
        the repair ran: it belongs to that day's bill and shift."""
        SqliteManagerStore._audit(conn, "reconcile", f"{_PAID_AT}{attempt_id}",
                                  {"paid_at": _iso(at)})

    def _paid_attempt(self, order_id: int, attempt_id: int) -> PaidPayment:
        order = self.get_order(order_id)
        assert order is not None
        return next(p for p in order.payments if p.attempt_id == attempt_id)

    def _insert_recovered_order(self, tx: Paid, at: datetime) -> PaidPayment:
        total = int(tx.total or 0)
        method = PaymentMethod.CODEPAY if tx.by_code else PaymentMethod.NATIVE
        now = _iso(at)
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO orders (cashier, status, subtotal_fen, discount_fen, total_fen,"
                " created_at, updated_at) VALUES ('reconcile', 'paid', ?, 0, ?, ?, ?)",
                (total, total, now, now))
            order_id = cur.lastrowid
            assert order_id is not None
            attempt_id = self._attempts.insert(
                conn, order_id=order_id, method=method, out_trade_no=tx.out_trade_no,
                amount=Fen(total), state=AttemptState.PAID,
                note="reconcile: recovered from trade bill")
            conn.execute("UPDATE payment_attempts SET transaction_id = ? WHERE id = ?",
                         (tx.transaction_id, attempt_id))
            self._book_paid_at(conn, attempt_id, at)
            conn.execute("UPDATE orders SET paid_attempt_id = ? WHERE id = ?",
                         (attempt_id, order_id))
        order = self.get_order(order_id)
        assert order is not None
        return order.payments[0]
