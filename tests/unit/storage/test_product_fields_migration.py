"""The products migration (category, scale item code): an existing catalogue keeps its
products, gets an empty category and no scale code, and scale codes are unique."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database
from pos_app.storage.migrate import _split, migrations, schema_version


def _before_products_migration(path: Path) -> int:
    steps = migrations()
    ours = next(v for v, sql in steps if "products_scale_code" in sql)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for version, sql in steps:
        if version >= ours:
            break
        for statement in _split(sql):
            conn.execute(statement, {"till_id": "01"} if ":till_id" in statement else ())
    conn.execute(f"PRAGMA user_version = {ours - 1}")
    conn.execute("INSERT INTO products (sku, barcode, name, price_fen, quick_key)"
                 " VALUES ('COKE', '6901234567014', '可乐', 300, 1)")
    conn.execute("COMMIT")
    conn.close()
    return ours


def test_old_catalogue_migrates(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _before_products_migration(path)
    db = Database(path)
    try:
        assert schema_version(db.connection()) == len(migrations())
        repo = ProductRepository(db)
        assert repo.by_sku("COKE") == Product("COKE", "可乐", Fen(300), "6901234567014", 1)
        repo.upsert(Product("APPLE", "苹果", Fen(1298), category="水果", scale_code="12"))
        assert repo.by_scale_code("00012") is not None
        with pytest.raises(Exception, match="UNIQUE"):
            repo.upsert(Product("PEAR", "梨", Fen(998), scale_code="12"))
    finally:
        db.close()
