"""OrderRepository: orders and their lines (row mapping, and the order-status rules that
must commit together with a payment or a refund)."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime

from pos_app.domain.cart import Cart
from pos_app.domain.clock import Clock
from pos_app.domain.money import Fen
from pos_app.domain.order import (
    Order,
    OrderDiscounts,
    OrderLine,
    OrderStatus,
    SaleOrder,
    settled_status,
)
from pos_app.domain.payment import PaymentAttempt
from pos_app.domain.refund import RefundState
from pos_app.storage.audit import AuditLog
from pos_app.storage.db import Database, Stamp
from pos_app.storage.errors import ConflictError
from pos_app.storage.migrate import DEFAULT_TILL_ID
from pos_app.storage.rows import order_discounts_row, order_line_row, order_row, paid_payment

log = logging.getLogger("pos_app.storage")

__all__ = ["OrderRepository"]

_SETTLED = tuple(s.value for s in OrderStatus if s.settled)


def settle_paid(conn: sqlite3.Connection, attempt: PaymentAttempt, at: str) -> None:
    """The order of an attempt that just became PAID is paid by it — inside the attempt's
    transaction. If another attempt already paid the order (the guards make this
    unreachable), it is loud and on record: a refund is owed."""
    row = conn.execute("SELECT status, paid_attempt_id FROM orders WHERE id = ?",
                       (attempt.order_id,)).fetchone()
    assert row is not None, "an attempt's order exists (foreign key)"
    if row["status"] in _SETTLED:
        if row["paid_attempt_id"] != attempt.id:
            log.error("order %s paid twice (attempts %s and %s)", attempt.order_id,
                      row["paid_attempt_id"], attempt.id)
            AuditLog.insert(conn, "system", "double_payment", {
                "order_id": attempt.order_id, "attempt_id": attempt.id,
                "paid_attempt_id": row["paid_attempt_id"]}, at)
        return
    conn.execute("UPDATE orders SET status = ?, paid_attempt_id = ?, updated_at = ? WHERE id = ?",
                 (OrderStatus.PAID.value, attempt.id, at, attempt.order_id))


def apply_refunds(conn: sqlite3.Connection, order_id: int, at: str) -> None:
    """Re-derive a settled order's status from its payments and refunds (inside the
    refund's transaction); the rule is :func:`pos_app.domain.order.settled_status`
    (refunds first give back a double payment; only the rest refunds the sale)."""
    row = conn.execute("SELECT status, total_fen FROM orders WHERE id = ?",
                       (order_id,)).fetchone()
    if row is None or row["status"] not in _SETTLED:
        return
    taken = [r["amount_fen"] for r in conn.execute(
        "SELECT amount_fen, state FROM refunds WHERE order_id = ?", (order_id,))
        if RefundState(r["state"]).taken]
    paid = [r["amount_fen"] for r in conn.execute(
        "SELECT amount_fen FROM payment_attempts WHERE order_id = ? AND state = 'paid'",
        (order_id,))]
    status = settled_status(row["total_fen"], paid, taken)
    if status.value != row["status"]:
        conn.execute("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?",
                     (status.value, at, order_id))


class OrderRepository:
    """Orders of every till can be read; new orders belong to ``till_id`` and to its
    open shift (if any) at the time of the sale."""

    def __init__(self, db: Database, clock: Clock | None = None, *,
                 till_id: str = DEFAULT_TILL_ID) -> None:
        self._db = db
        self._stamp = Stamp(clock)
        self.till_id = till_id

    def create(self, cart: Cart, *, cashier: str) -> int:
        """Persist ``cart`` as an open order with its lines; returns the order id."""
        if not cart.lines:
            raise ValueError("empty cart")
        now = self._stamp.iso()
        with self._db.transaction() as conn:
            shift = conn.execute(
                "SELECT id FROM shifts WHERE till_id = ? AND closed_at IS NULL",
                (self.till_id,)).fetchone()
            cur = conn.execute(
                "INSERT INTO orders (till_id, cashier, status, subtotal_fen, discount_fen,"
                " total_fen, shift_id, created_at, updated_at, discount_kind, round_off_fen)"
                " VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.till_id, cashier, int(cart.subtotal), int(cart.order_discount),
                 int(cart.total), shift["id"] if shift else None, now, now,
                 cart.order_discount_kind.value, int(cart.round_off_amount)),
            )
            order_id = cur.lastrowid
            assert order_id is not None
            for n, line in enumerate(cart.lines, start=1):
                conn.execute(
                    "INSERT INTO order_lines (order_id, line_no, sku, name, barcode,"
                    " unit_price_fen, quantity, discount_fen, net_fen, discount_kind)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (order_id, n, line.product.sku, line.product.name, line.product.barcode,
                     int(line.product.price), line.quantity, int(line.discount), int(line.net),
                     line.discount_kind.value),
                )
        return order_id

    def insert_recovered(self, conn: sqlite3.Connection, total: Fen, at: datetime) -> int:
        """An order for a payment found only at the payment service (reconciliation),
        inside the caller's transaction; it is paid by the attempt the caller adds."""
        now = self._stamp.iso(at)
        cur = conn.execute(
            "INSERT INTO orders (till_id, cashier, status, subtotal_fen, discount_fen,"
            " total_fen, created_at, updated_at) VALUES (?, 'reconcile', 'open', ?, 0, ?, ?, ?)",
            (self.till_id, int(total), int(total), now, now))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def get(self, order_id: int) -> Order | None:
        row = self._db.connection().execute(
            "SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
        return order_row(row) if row else None

    def lines(self, order_id: int) -> list[OrderLine]:
        rows = self._db.connection().execute(
            "SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no", (order_id,)
        ).fetchall()
        return [order_line_row(r) for r in rows]

    def recent(self, limit: int = 50) -> list[Order]:
        """This till's latest orders."""
        rows = self._db.connection().execute(
            "SELECT * FROM orders WHERE till_id = ? ORDER BY id DESC LIMIT ?",
            (self.till_id, limit)).fetchall()
        return [order_row(r) for r in rows]

    def for_shift(self, shift_id: int) -> list[Order]:
        rows = self._db.connection().execute(
            "SELECT * FROM orders WHERE shift_id = ? ORDER BY id", (shift_id,)).fetchall()
        return [order_row(r) for r in rows]

    def discounts_paid_between(self, start: datetime, end: datetime,
                               till_id: str | None = None) -> list[OrderDiscounts]:
        """The discounts, by kind, of the settled orders whose first payment was booked in
        ``[start, end)`` (the X/Z window, like the sales), of ``till_id`` (None: all)."""
        marks = ",".join("?" for _ in _SETTLED)
        sql = (
            "SELECT o.id, o.discount_fen, o.discount_kind, o.round_off_fen,"
            " COALESCE((SELECT SUM(l.discount_fen) FROM order_lines l WHERE l.order_id = o.id"
            "           AND l.discount_kind = 'amount'), 0) AS line_amount,"
            " COALESCE((SELECT SUM(l.discount_fen) FROM order_lines l WHERE l.order_id = o.id"
            "           AND l.discount_kind = 'percent'), 0) AS line_percent,"
            " (SELECT MIN(COALESCE(a.paid_at, a.updated_at)) FROM payment_attempts a"
            "   WHERE a.order_id = o.id AND a.state = 'paid') AS first_paid"
            f" FROM orders o WHERE o.status IN ({marks})")
        args: list[object] = [*_SETTLED]
        if till_id is not None:
            sql += " AND o.till_id = ?"
            args.append(till_id)
        sql = f"SELECT * FROM ({sql}) WHERE first_paid >= ? AND first_paid < ? ORDER BY id"
        args += [self._stamp.iso(start), self._stamp.iso(end)]
        return [order_discounts_row(r)
                for r in self._db.connection().execute(sql, args).fetchall()]

    def set_status(
        self, conn: sqlite3.Connection, order_id: int, status: OrderStatus,
        *, paid_attempt_id: int | None = None,
    ) -> None:
        """Update inside the caller's transaction (so it commits with the attempt change)."""
        now = self._stamp.iso()
        if paid_attempt_id is None:
            conn.execute("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?",
                         (status.value, now, order_id))
        else:
            conn.execute(
                "UPDATE orders SET status = ?, paid_attempt_id = ?, updated_at = ? WHERE id = ?",
                (status.value, paid_attempt_id, now, order_id))

    def void(self, order_id: int) -> None:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()
            if row is None or row["status"] != OrderStatus.OPEN.value:
                raise ConflictError("only an open order can be voided")
            self.set_status(conn, order_id, OrderStatus.VOIDED)

    # ---- the sale as refunds and reports see it

    def sale(self, order_id: int) -> SaleOrder | None:
        """The order with its lines and the payments that paid it."""
        order = self.get(order_id)
        if order is None:
            return None
        rows = self._db.connection().execute(
            "SELECT * FROM payment_attempts WHERE order_id = ? AND state = 'paid' ORDER BY id",
            (order_id,)).fetchall()
        return SaleOrder(order.id, str(order.id), order.created_at, order.total, order.cashier,
                         tuple(self.lines(order_id)), tuple(paid_payment(r) for r in rows),
                         order.paid_attempt_id)

    def overpaid_sales(self) -> list[SaleOrder]:
        """Settled orders (every till) whose PAID payments add up to more than their total
        — paid twice (:func:`pos_app.domain.order.over_payment`), refunded or not."""
        marks = ",".join("?" for _ in _SETTLED)
        rows = self._db.connection().execute(
            "SELECT a.order_id AS id FROM payment_attempts a JOIN orders o ON o.id = a.order_id"
            f" WHERE a.state = 'paid' AND o.status IN ({marks}) GROUP BY a.order_id"
            " HAVING SUM(a.amount_fen) > MAX(o.total_fen) ORDER BY a.order_id",
            _SETTLED).fetchall()
        return [o for r in rows if (o := self.sale(r["id"])) is not None]

    def find_sale(self, key: str) -> SaleOrder | None:
        """By order number, out_trade_no or the payment service's transaction id."""
        key = key.strip()
        if key.isdigit() and len(key) <= 12:
            found = self.sale(int(key))
            if found is not None:
                return found
        row = self._db.connection().execute(
            "SELECT order_id FROM payment_attempts WHERE out_trade_no = ?"
            " OR (transaction_id = ? AND transaction_id != '') ORDER BY id LIMIT 1",
            (key, key)).fetchone()
        return self.sale(row["order_id"]) if row else None

    def search_sales(self, start: datetime, end: datetime, amount: Fen | None = None
                     ) -> list[SaleOrder]:
        """Settled orders created in ``[start, end)`` (every till), optionally with this total."""
        marks = ",".join("?" for _ in _SETTLED)
        sql = (f"SELECT id FROM orders WHERE status IN ({marks}) AND created_at >= ?"
               " AND created_at < ?")
        args: list[object] = [*_SETTLED, self._stamp.iso(start), self._stamp.iso(end)]
        if amount is not None:
            sql += " AND total_fen = ?"
            args.append(int(amount))
        rows = self._db.connection().execute(sql + " ORDER BY id", args).fetchall()
        return [o for r in rows if (o := self.sale(r["id"])) is not None]

