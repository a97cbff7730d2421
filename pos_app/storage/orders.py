"""OrderRepository: orders and their lines (row mapping only, no business rules)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen
from pos_app.storage.db import Database, from_iso, utc_now_iso


class OrderStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    VOIDED = "voided"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


@dataclass(frozen=True)
class OrderLineRecord:
    line_no: int
    sku: str
    name: str
    barcode: str
    unit_price: Fen
    quantity: int
    discount: Fen
    net: Fen


@dataclass(frozen=True)
class OrderRecord:
    id: int
    cashier: str
    status: OrderStatus
    subtotal: Fen
    discount: Fen
    total: Fen
    paid_attempt_id: int | None
    shift_id: int | None
    created_at: datetime
    updated_at: datetime


def _order(row: sqlite3.Row) -> OrderRecord:
    created = from_iso(row["created_at"])
    updated = from_iso(row["updated_at"])
    assert created is not None and updated is not None
    return OrderRecord(
        id=row["id"], cashier=row["cashier"], status=OrderStatus(row["status"]),
        subtotal=Fen(row["subtotal_fen"]), discount=Fen(row["discount_fen"]),
        total=Fen(row["total_fen"]), paid_attempt_id=row["paid_attempt_id"],
        shift_id=row["shift_id"], created_at=created, updated_at=updated,
    )


class OrderRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, cart: Cart, *, cashier: str, shift_id: int | None = None) -> int:
        """Persist ``cart`` as an open order with its lines; returns the order id."""
        if not cart.lines:
            raise ValueError("购物车为空")
        now = utc_now_iso()
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO orders (cashier, status, subtotal_fen, discount_fen, total_fen,"
                " shift_id, created_at, updated_at) VALUES (?, 'open', ?, ?, ?, ?, ?, ?)",
                (cashier, int(cart.subtotal), int(cart.order_discount), int(cart.total),
                 shift_id, now, now),
            )
            order_id = cur.lastrowid
            assert order_id is not None
            for n, line in enumerate(cart.lines, start=1):
                conn.execute(
                    "INSERT INTO order_lines (order_id, line_no, sku, name, barcode,"
                    " unit_price_fen, quantity, discount_fen, net_fen)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (order_id, n, line.product.sku, line.product.name, line.product.barcode,
                     int(line.product.price), line.quantity, int(line.discount), int(line.net)),
                )
        return order_id

    def get(self, order_id: int) -> OrderRecord | None:
        row = self._db.connection().execute(
            "SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
        return _order(row) if row else None

    def lines(self, order_id: int) -> list[OrderLineRecord]:
        rows = self._db.connection().execute(
            "SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no", (order_id,)
        ).fetchall()
        return [
            OrderLineRecord(
                line_no=r["line_no"], sku=r["sku"], name=r["name"], barcode=r["barcode"],
                unit_price=Fen(r["unit_price_fen"]), quantity=r["quantity"],
                discount=Fen(r["discount_fen"]), net=Fen(r["net_fen"]),
            )
            for r in rows
        ]

    def recent(self, limit: int = 50) -> list[OrderRecord]:
        rows = self._db.connection().execute(
            "SELECT * FROM orders ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_order(r) for r in rows]

    def set_status(
        self, conn: sqlite3.Connection, order_id: int, status: OrderStatus,
        *, paid_attempt_id: int | None = None,
    ) -> None:
        """Update inside the caller's transaction (so it commits with the attempt change)."""
        if paid_attempt_id is None:
            conn.execute("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?",
                         (status.value, utc_now_iso(), order_id))
        else:
            conn.execute(
                "UPDATE orders SET status = ?, paid_attempt_id = ?, updated_at = ? WHERE id = ?",
                (status.value, paid_attempt_id, utc_now_iso(), order_id))

    def void(self, order_id: int) -> None:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()
            if row is None or row["status"] != OrderStatus.OPEN.value:
                raise ValueError("只有未付款的订单可以作废")
            self.set_status(conn, order_id, OrderStatus.VOIDED)
