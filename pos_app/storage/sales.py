"""SalesRepository: the facts a sales report is computed from (read only, every till).

* payments booked (``paid_at``) in ``[start, end)`` with their order's cashier — what
  X/Z count as sales — of every till or of one (the till that took the payment);
* refunds created in ``[start, end)`` (any state; the report keeps the ones that are
  taken, as X/Z do), of every till or of one (the till that made the refund);
* the lines and totals of the orders either touches, each line with the product name
  *as sold* (stored on the order line at the sale: a product renamed or deactivated
  since keeps its old name there; a weighed line's name carries its weight) and the
  product's *current* category where the SKU is still in the catalogue (order lines keep
  the SKU, not the category);
* the till ids found in the data (the report's till filter).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.catalog import category_of_sku
from pos_app.domain.money import Fen
from pos_app.domain.payment import PaidPayment
from pos_app.domain.refund import Refund
from pos_app.storage.db import Database, Stamp
from pos_app.storage.refunds import RefundRepository
from pos_app.storage.rows import paid_payment

_CHUNK = 500  # SQLite's bound-parameter limit is far above; keeps statements small


@dataclass(frozen=True)
class SoldLine:
    """An order line as a report reads it."""

    line_no: int
    sku: str
    name: str
    category: str
    quantity: int
    net: Fen


@dataclass(frozen=True)
class SoldOrder:
    order_id: int
    cashier: str
    total: Fen
    lines: tuple[SoldLine, ...]


class SalesRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._stamp = Stamp()
        self._refunds = RefundRepository(db)

    def paid_between(self, start: datetime, end: datetime, till_id: str | None = None
                     ) -> list[PaidPayment]:
        """Payments booked in ``[start, end)`` at ``till_id`` (None: every till)."""
        where, args = "state = 'paid' AND paid_at >= ? AND paid_at < ?", [
            self._stamp.iso(start), self._stamp.iso(end)]
        if till_id is not None:
            where, args = where + " AND till_id = ?", [*args, till_id]
        rows = self._db.connection().execute(
            f"SELECT * FROM payment_attempts WHERE {where} ORDER BY paid_at, id",
            args).fetchall()
        return [paid_payment(r) for r in rows]

    def refunds_between(self, start: datetime, end: datetime, till_id: str | None = None
                        ) -> list[Refund]:
        return self._refunds.between(start, end, till_id)

    def tills(self) -> list[str]:
        """Every till id with a paid payment or a refund here, sorted."""
        rows = self._db.connection().execute(
            "SELECT till_id FROM payment_attempts WHERE state = 'paid'"
            " UNION SELECT till_id FROM refunds ORDER BY 1").fetchall()
        return [str(r[0]) for r in rows]

    def orders(self, order_ids: Iterable[int]) -> dict[int, SoldOrder]:
        ids = sorted(set(order_ids))
        conn = self._db.connection()
        heads: dict[int, tuple[str, int]] = {}
        lines: dict[int, list[SoldLine]] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i: i + _CHUNK]
            marks = ",".join("?" for _ in chunk)
            for r in conn.execute(
                    f"SELECT id, cashier, total_fen FROM orders WHERE id IN ({marks})", chunk):
                heads[r["id"]] = (r["cashier"], r["total_fen"])
            for r in conn.execute(
                    "SELECT l.order_id, l.line_no, l.sku, l.name AS name,"
                    " l.quantity, l.net_fen,"
                    " COALESCE(p.category, '') AS category FROM order_lines l"
                    " LEFT JOIN products p ON p.sku = l.sku"
                    f" WHERE l.order_id IN ({marks}) ORDER BY l.order_id, l.line_no", chunk):
                lines.setdefault(r["order_id"], []).append(SoldLine(
                    r["line_no"], r["sku"], r["name"],
                    r["category"] or category_of_sku(r["sku"]), r["quantity"],
                    Fen(r["net_fen"])))
        return {oid: SoldOrder(oid, cashier, Fen(total), tuple(lines.get(oid, ())))
                for oid, (cashier, total) in heads.items()}
