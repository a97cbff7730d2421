"""ProductRepository: the catalogue (row ↔ :class:`pos_app.domain.catalog.Product`)."""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.storage.db import Database


def ean13_check_digit(first12: str) -> str:
    """The EAN-13 check digit for 12 leading digits."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError("EAN-13 needs 12 leading digits")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def ean13(first12: str) -> str:
    return first12 + ean13_check_digit(first12)


# (sku, first 12 digits of the EAN-13, name, price in fen, quick key)
_DEMO: list[tuple[str, str, str, int, int | None]] = [
    ("COKE330", "690123456701", "可口可乐 330ml", 300, 1),
    ("SPRITE500", "690123456702", "雪碧 500ml", 350, 2),
    ("WATER550", "690123456703", "农夫山泉 550ml", 200, 3),
    ("TEA500", "690123456704", "康师傅冰红茶 500ml", 350, 4),
    ("NOODLE", "690123456705", "康师傅红烧牛肉面", 450, 5),
    ("MILK250", "690123456706", "蒙牛纯牛奶 250ml", 380, 6),
    ("BREAD", "690123456707", "桃李面包", 550, 7),
    ("CHIPS", "690123456708", "乐事薯片 原味 70g", 780, 8),
    ("GUM", "690123456709", "绿箭口香糖", 250, None),
    ("TISSUE", "690123456710", "清风抽纸 3包", 1290, None),
    ("SAUSAGE", "690123456711", "双汇王中王火腿肠", 300, None),
    ("BEER500", "690123456712", "青岛啤酒 500ml", 600, None),
]


@functools.lru_cache(maxsize=4096)
def pinyin_initials(name: str) -> str:
    """The name as typed on a till's keyboard by initials: 可口可乐 330ml → ``kkkl330ml``
    (each Chinese character by the first letter of its pinyin, the rest lower-cased,
    spaces dropped)."""
    from pypinyin import Style, lazy_pinyin  # loads its dictionary: only when searching

    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).replace(" ", "").lower()


def demo_products() -> list[Product]:
    return [
        Product(sku=sku, name=name, price=Fen(price), barcode=ean13(code), quick_key=qk)
        for sku, code, name, price, qk in _DEMO
    ]


def _row(row: sqlite3.Row) -> Product:
    return Product(
        sku=row["sku"], name=row["name"], price=Fen(row["price_fen"]),
        barcode=row["barcode"] or "", quick_key=row["quick_key"],
        category=row["category"], scale_code=row["scale_code"] or "",
        active=bool(row["active"]),
    )


@dataclass(frozen=True)
class Clash:
    """A product that already holds a unique value: ``field`` is ``sku``, ``barcode``,
    ``quick_key`` or ``scale_code``; ``sku``/``name`` say who holds it."""

    field: str
    sku: str
    name: str


class ProductRepository:
    """Look-ups are read-only and safe from any thread (each has its own connection).

    A deactivated product (``active`` 0) stays in the table — orders and reports keep its
    SKU, and its barcode, quick key and scale code stay its own — and is never sold:
    :meth:`by_sku`, :meth:`by_barcode`, :meth:`by_scale_code` and :meth:`search` return it
    with ``active=False`` (the sale says "inactive" instead of "unknown"); the quick keys,
    the categories and :meth:`all` (CSV export) leave it out unless asked."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert(self, product: Product) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO products (sku, barcode, name, price_fen, quick_key, category,"
                " scale_code) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sku) DO UPDATE SET"
                " barcode=excluded.barcode, name=excluded.name, price_fen=excluded.price_fen,"
                " quick_key=excluded.quick_key, category=excluded.category,"
                " scale_code=excluded.scale_code",
                (product.sku, product.barcode or None, product.name, int(product.price),
                 product.quick_key, product.category, product.scale_code or None),
            )

    def save(self, product: Product, *, new: bool) -> list[Clash]:
        """Add (``new``) or change one product in one transaction. Every unique value
        another product holds (a new product's SKU too) is returned and nothing is
        written; an edit of a SKU that is not there is a ``sku`` clash with itself."""
        with self._db.transaction() as conn:
            clashes: list[Clash] = []
            exists = conn.execute("SELECT sku, name FROM products WHERE sku = ?",
                                  (product.sku,)).fetchone()
            if new and exists is not None:
                clashes.append(Clash("sku", exists["sku"], exists["name"]))
            elif not new and exists is None:
                clashes.append(Clash("sku", product.sku, ""))
            for column, value in (("barcode", product.barcode or None),
                                  ("quick_key", product.quick_key),
                                  ("scale_code", product.scale_code or None)):
                if value is None:
                    continue
                row = conn.execute(
                    f"SELECT sku, name FROM products WHERE {column} = ? AND sku <> ?",
                    (value, product.sku)).fetchone()
                if row is not None:
                    clashes.append(Clash(column, row["sku"], row["name"]))
            if clashes:
                return clashes
            self.upsert(product)
        return []

    def by_scale_code(self, item_code: str) -> Product | None:
        """The product a label scale's item code stands for (leading zeros ignored; an
        active one before an inactive one)."""
        code = item_code.lstrip("0") or "0"
        for row in self._db.connection().execute(
                "SELECT * FROM products WHERE scale_code IS NOT NULL ORDER BY active DESC, sku"):
            if (row["scale_code"].lstrip("0") or "0") == code:
                return _row(row)
        return None

    def set_active(self, sku: str, active: bool) -> Product | None:
        """Deactivate or reactivate one product; the product as now stored (None: no such
        SKU). Nothing else about it changes."""
        with self._db.transaction() as conn:
            conn.execute("UPDATE products SET active = ? WHERE sku = ?",
                         (1 if active else 0, sku))
            row = conn.execute("SELECT * FROM products WHERE sku = ?", (sku,)).fetchone()
        return _row(row) if row else None

    def categories(self) -> list[str]:
        """The categories in use, sorted."""
        rows = self._db.connection().execute(
            "SELECT DISTINCT category FROM products WHERE active = 1 AND category <> ''"
            " ORDER BY category").fetchall()
        return [str(r["category"]) for r in rows]

    def import_products(self, products: list[Product], *, with_category: bool = False
                        ) -> list[tuple[int, str]]:
        """Insert or update every product in ONE transaction. A barcode already held by
        another SKU (not in this list) is a conflict: nothing is written and the list
        ``(index in products, sku holding the barcode)`` is returned. Quick keys of
        existing products are kept; their categories too unless ``with_category`` (the
        file had a category column)."""
        skus = {p.sku for p in products}
        with self._db.transaction() as conn:
            conflicts: list[tuple[int, str]] = []
            for index, product in enumerate(products):
                if not product.barcode:
                    continue
                row = conn.execute("SELECT sku FROM products WHERE barcode = ? AND sku <> ?",
                                   (product.barcode, product.sku)).fetchone()
                if row is not None and row["sku"] not in skus:
                    conflicts.append((index, str(row["sku"])))
            if conflicts:
                return conflicts
            # barcodes moving between SKUs of this file: clear them first (UNIQUE column)
            conn.executemany("UPDATE products SET barcode = NULL WHERE sku = ?",
                             [(p.sku,) for p in products])
            conn.executemany(
                "INSERT INTO products (sku, barcode, name, price_fen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(sku) DO UPDATE SET barcode=excluded.barcode, name=excluded.name,"
                " price_fen=excluded.price_fen, active=1",
                [(p.sku, p.barcode or None, p.name, int(p.price)) for p in products])
            if with_category:
                conn.executemany("UPDATE products SET category = ? WHERE sku = ?",
                                 [(p.category, p.sku) for p in products])
        return []

    def seed_demo(self) -> int:
        """Insert the demo catalogue if the table is empty; returns rows added."""
        with self._db.transaction() as conn:
            if conn.execute("SELECT COUNT(*) FROM products").fetchone()[0]:
                return 0
            products = demo_products()
            for p in products:
                self.upsert(p)
            return len(products)

    def by_sku(self, sku: str) -> Product | None:
        """The product, active or not (see ``Product.active``)."""
        row = self._db.connection().execute(
            "SELECT * FROM products WHERE sku = ?", (sku,)).fetchone()
        return _row(row) if row else None

    def by_barcode(self, barcode: str) -> Product | None:
        """The product holding ``barcode``, active or not (see ``Product.active``)."""
        row = self._db.connection().execute(
            "SELECT * FROM products WHERE barcode = ?", (barcode.strip(),)
        ).fetchone()
        return _row(row) if row else None

    def search(self, text: str, limit: int = 50, *, inactive: bool = True) -> list[Product]:
        """Case-insensitive substring match on name, SKU or barcode; Latin letters also
        match the pinyin initials of the name ("kkkl" → 可口可乐 330ml). Active products
        first; inactive ones after them (flagged), or not at all without ``inactive``."""
        pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        conn = self._db.connection()
        which = "" if inactive else "active = 1 AND "
        rows = conn.execute(
            f"SELECT * FROM products WHERE {which}(name LIKE ?1 ESCAPE '\\' OR "
            "sku LIKE ?1 ESCAPE '\\' OR barcode LIKE ?1 ESCAPE '\\')"
            " ORDER BY active DESC, name LIMIT ?2",
            (pattern, limit),
        ).fetchall()
        found = [_row(r) for r in rows]
        key = text.strip().lower()
        if key.isascii() and any(c.isalpha() for c in key) and len(found) < limit:
            seen = {p.sku for p in found}
            for r in conn.execute(
                    f"SELECT * FROM products WHERE {which}1 = 1 ORDER BY active DESC, name"):
                if r["sku"] not in seen and key in pinyin_initials(r["name"]):
                    found.append(_row(r))
                    if len(found) >= limit:
                        break
            found.sort(key=lambda p: not p.active)   # stable: each group keeps its order
        return found

    def quick_keys(self) -> list[Product]:
        rows = self._db.connection().execute(
            "SELECT * FROM products WHERE active = 1 AND quick_key IS NOT NULL ORDER BY quick_key"
        ).fetchall()
        return [_row(r) for r in rows]

    def all(self, *, inactive: bool = False) -> list[Product]:
        """Every active product by SKU (with ``inactive``: the inactive ones too)."""
        which = "" if inactive else " WHERE active = 1"
        rows = self._db.connection().execute(
            f"SELECT * FROM products{which} ORDER BY sku").fetchall()
        return [_row(r) for r in rows]
