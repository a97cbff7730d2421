"""import-products (issue 12 item 11): every bad row reported with its line and column,
one transaction (nothing written when any row is bad), GBK/GB18030 files read and said."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.admin_cli import main
from pos_app.domain.catalog import Product
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database
from pos_app.storage.errors import StorageError

HEADER = "sku,barcode,name,price\n"
GOOD = "C1,6901939621257,可口可乐 330ml,3.00\nB2,,散装面包,6.5\n"


def run(tmp_path: Path, csv_path: Path) -> int:
    return main(["--data-dir", str(tmp_path), "--lang", "en", "import-products", str(csv_path)],
                read_pin=lambda _p: "")


def products(tmp_path: Path) -> list[Product]:
    db = Database(tmp_path / "pos_app.sqlite3")
    try:
        return ProductRepository(db).all()
    finally:
        db.close()


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "products.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("row", "expected"), [
    ("D1,6901939621257,dup barcode,1.00", "line 4, column barcode: 6901939621257 appears twice"
                                          " (also on line 2)"),
    ("C1,,dup sku,1.00", "line 4, column sku: C1 appears twice (also on line 2)"),
    ("P1,,twenty digits," + "9" * 20, "line 4, column price: the price is above ¥1000000.00"),
    ("P1,,huge name," + "1" * 20 + ".00", "line 4, column price: the price is above"),
    ("L1,,\"" + "长" * 200_000 + "\",1.00", "line 4, column name: 200000 characters, at most 120"),
    ("X1,6901939621258,bad check digit,1.00", "line 4, column barcode: 6901939621258 is not"),
    ("X1,,float price,1.005", "line 4, column price: 1.005 is not an amount"),
    ("X1,,free,0", "line 4, column price: the price must be positive"),
    (",,no sku,1", "line 4, column sku: required"),
])
def test_a_bad_row_is_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, expected: str
) -> None:
    path = write(tmp_path, (HEADER + GOOD + row + "\n").encode())
    assert run(tmp_path, path) == 2
    err = capsys.readouterr().err
    assert expected in err, err[:2000]
    assert "nothing was imported" in err and "Traceback" not in err
    assert len(err) < 2000                      # a 200 KB cell is not echoed back
    assert products(tmp_path) == []


def test_every_bad_row_is_reported_at_once(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, (HEADER + GOOD + "X1,,a,abc\nX2,6901939621257,b,1\n,,c,\n").encode())
    assert run(tmp_path, path) == 2
    err = capsys.readouterr().err
    assert "line 4, column price" in err
    assert "line 5, column barcode" in err
    assert "line 6, column sku: required" in err and "line 6, column price: required" in err
    assert "4 problem(s)" in err


def test_bad_utf8_names_the_line_and_column(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    data = (HEADER + GOOD).encode() + "T1,,茶".encode() + b"\xff\xfe" + "叶蛋,1.50\n".encode()
    assert run(tmp_path, write(tmp_path, data)) == 2
    err = capsys.readouterr().err
    assert "line 4, column name: not valid UTF-8" in err, err
    assert products(tmp_path) == []


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_excel_chinese_csv_is_read_and_the_encoding_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    path = write(tmp_path, (HEADER + GOOD + "T1,,茶叶蛋（五香）,1.50\r\n").encode(encoding))
    assert run(tmp_path, path) == 0
    out = capsys.readouterr().out
    assert "Read as GB18030" in out and "imported 3 products" in out
    names = {p.sku: p.name for p in products(tmp_path)}
    assert names == {"C1": "可口可乐 330ml", "B2": "散装面包", "T1": "茶叶蛋（五香）"}


def test_a_barcode_held_by_another_product_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, write(tmp_path, (HEADER + GOOD).encode())) == 0
    before = products(tmp_path)
    capsys.readouterr()
    # a new SKU with C1's barcode, plus a price change of B2 that must not land either
    path = write(tmp_path, (HEADER + "B2,,散装面包,7.00\nN1,6901939621257,新可乐,3.50\n").encode())
    assert run(tmp_path, path) == 2
    err = capsys.readouterr().err
    assert "line 3, column barcode: barcode 6901939621257 already belongs to product C1" in err
    assert products(tmp_path) == before


def test_the_import_is_one_transaction(tmp_path: Path) -> None:
    """A failure half-way through the writes leaves the catalogue as it was."""
    db = Database(tmp_path / "pos_app.sqlite3")
    repo = ProductRepository(db)
    repo.import_products([Product("A", "a", 100, "6901939621257")])
    conn = db.connection()
    conn.execute("CREATE TRIGGER no_z BEFORE INSERT ON products WHEN NEW.sku = 'Z' "
                 "BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with pytest.raises(StorageError):
        repo.import_products([Product("A", "a2", 200, "6901939621257"), Product("Z", "z", 1)])
    assert repo.all() == [Product("A", "a", 100, "6901939621257")]
    db.close()


def test_a_moved_barcode_within_the_file_is_fine(tmp_path: Path) -> None:
    db = Database(tmp_path / "pos_app.sqlite3")
    repo = ProductRepository(db)
    repo.import_products([Product("A", "a", 100, "6901939621257")])
    assert repo.import_products([Product("A", "a", 100, ""),
                                 Product("B", "b", 200, "6901939621257")]) == []
    found = repo.by_barcode("6901939621257")
    assert found is not None and found.sku == "B"
    db.close()
