"""HeldSaleRepository: sales put on hold at one till (挂单) and recalled there (取单)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pos_app.domain.cart import Cart, CartLine, DiscountKind
from pos_app.domain.catalog import Product
from pos_app.domain.clock import Clock
from pos_app.domain.money import Fen
from pos_app.storage.db import Database, Stamp
from pos_app.storage.migrate import DEFAULT_TILL_ID


@dataclass(frozen=True)
class HeldSale:
    id: int
    cashier: str
    held_at: str
    total: Fen


def _cart_json(cart: Cart) -> str:
    return json.dumps({
        "lines": [{"sku": ln.product.sku, "name": ln.product.name, "price": int(ln.product.price),
                   "barcode": ln.product.barcode, "quick_key": ln.product.quick_key,
                   "quantity": ln.quantity, "discount": int(ln.discount),
                   "discount_kind": ln.discount_kind.value} for ln in cart.lines],
        "order_discount": int(cart.order_discount),
        "order_discount_kind": cart.order_discount_kind.value,
        "round_off": int(cart.round_off_amount),
    }, ensure_ascii=False)


def _cart(text: str) -> Cart:
    raw = json.loads(text)
    lines = [CartLine(Product(sku=d["sku"], name=d["name"], price=Fen(d["price"]),
                              barcode=d["barcode"], quick_key=d["quick_key"]),
                      int(d["quantity"]), Fen(d["discount"]),
                      DiscountKind(d.get("discount_kind", "amount"))) for d in raw["lines"]]
    return Cart(lines=lines, order_discount=Fen(raw["order_discount"]),
                order_discount_kind=DiscountKind(raw.get("order_discount_kind", "amount")),
                round_off_amount=Fen(raw.get("round_off", 0)))


class HeldSaleRepository:
    def __init__(self, db: Database, clock: Clock | None = None, *,
                 till_id: str = DEFAULT_TILL_ID) -> None:
        self._db = db
        self._stamp = Stamp(clock)
        self.till_id = till_id

    def hold(self, cart: Cart, *, cashier: str) -> int:
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO held_sales (till_id, cashier, held_at, total_fen, cart_json)"
                " VALUES (?, ?, ?, ?, ?)",
                (self.till_id, cashier, self._stamp.iso(), int(cart.total), _cart_json(cart)))
            held_id = cur.lastrowid
        assert held_id is not None
        return held_id

    def held(self) -> list[HeldSale]:
        """This till's held sales, oldest first."""
        rows = self._db.connection().execute(
            "SELECT id, cashier, held_at, total_fen FROM held_sales WHERE till_id = ?"
            " ORDER BY id", (self.till_id,)).fetchall()
        return [HeldSale(r["id"], r["cashier"], r["held_at"], Fen(r["total_fen"])) for r in rows]

    def take_latest(self) -> Cart | None:
        """Recall (and remove) the most recently held sale of this till; None if none."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT id, cart_json FROM held_sales WHERE till_id = ? ORDER BY id DESC"
                " LIMIT 1", (self.till_id,)).fetchone()
            if row is None:
                return None
            conn.execute("DELETE FROM held_sales WHERE id = ?", (row["id"],))
        return _cart(row["cart_json"])
