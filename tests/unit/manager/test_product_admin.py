"""The products screen's service on the real SQLite store: every bad input refused with
its own message and nothing written; CSV export reads back as the same catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.manager.products import (
    ProductAdmin,
    ProductDraft,
    ProductError,
    ProductText,
    check_draft,
)
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database
from pos_app.storage.product_csv import ImportText

COKE = Product("COKE", "可乐", Fen(300), "6901234567014", 1, "饮料")


@pytest.fixture
def admin(tmp_path: Path) -> ProductAdmin:
    repo = ProductRepository(Database(tmp_path / "till.sqlite3"))
    repo.upsert(COKE)
    return ProductAdmin(repo)


def keys(exc: pytest.ExceptionInfo[ProductError]) -> list[str]:
    return [m.key.value for m in exc.value.messages]


def test_a_good_draft_is_exact_fen() -> None:
    p = check_draft(ProductDraft("", " 雪碧 ", "6901234567021", "3.5", "饮料", "2", ""))
    assert p == Product("6901234567021", "雪碧", Fen(350), "6901234567021", 2, "饮料")


@pytest.mark.parametrize(("draft", "expected"), [
    (ProductDraft(name="x", price="1"), ["product.sku_required"]),              # no sku/barcode
    (ProductDraft("S", "", price="1"), ["product.name_required"]),
    (ProductDraft("S", "x", price=""), ["product.price_required"]),
    (ProductDraft("S", "x", "6901234567015", "1"), ["product.bad_barcode"]),     # check digit
    (ProductDraft("S", "x", "12345", "1"), ["product.bad_barcode"]),
    (ProductDraft("S", "x", price="1.234"), ["product.bad_price"]),
    (ProductDraft("S", "x", price="abc"), ["product.bad_price"]),
    (ProductDraft("S", "x", price="0"), ["product.price_not_positive"]),
    (ProductDraft("S", "x", price="1000000.01"), ["product.price_too_large"]),
    (ProductDraft("S", "x", price="1", quick_key="13"), ["product.bad_quick_key"]),
    (ProductDraft("S", "x", price="1", quick_key="0"), ["product.bad_quick_key"]),
    (ProductDraft("S", "x", price="1", scale_code="1234567"), ["product.bad_scale_code"]),
    (ProductDraft("S", "x", price="1", scale_code="12a"), ["product.bad_scale_code"]),
    (ProductDraft("S", "x" * 121, price="1"), ["product.name_too_long"]),
    (ProductDraft("S", "", "1", "0", quick_key="x"),
     ["product.name_required", "product.bad_barcode", "product.price_not_positive",
      "product.bad_quick_key"]),
])
def test_bad_drafts_say_every_problem(draft: ProductDraft, expected: list[str]) -> None:
    with pytest.raises(ProductError) as exc:
        check_draft(draft)
    assert keys(exc) == expected


def test_clashes_are_refused_and_nothing_changes(admin: ProductAdmin) -> None:
    before = admin.repo.all()
    with pytest.raises(ProductError) as exc:
        admin.save(ProductDraft("COKE", "新可乐", "", "4"), new=True)      # SKU taken
    assert keys(exc) == ["product.sku_in_use"]
    with pytest.raises(ProductError) as exc:
        admin.save(ProductDraft("NEW", "新", "6901234567014", "4", quick_key="1"), new=True)
    assert keys(exc) == ["product.barcode_in_use", "product.quick_key_in_use"]
    assert exc.value.messages[0].param_dict() == {
        "value": "6901234567014", "sku": "COKE", "name": "可乐"}
    with pytest.raises(ProductError) as exc:
        admin.save(ProductDraft("GONE", "x", "", "4"), new=False)
    assert keys(exc) == [ProductText.NOT_FOUND.value]
    assert admin.repo.all() == before


def test_edit_keeps_the_sku_and_changes_the_rest(admin: ProductAdmin) -> None:
    admin.save(ProductDraft("COKE", "可口可乐", "6901234567014", "3.20", "汽水", "", "7"),
               new=False)
    assert admin.repo.by_sku("COKE") == Product("COKE", "可口可乐", Fen(320), "6901234567014",
                                                None, "汽水", "7")
    assert admin.repo.by_scale_code("00007") is not None
    assert admin.categories() == ["汽水"]


def test_export_then_import_is_the_same_catalogue(admin: ProductAdmin, tmp_path: Path) -> None:
    admin.save(ProductDraft("BREAD", "面包, 全麦", "", "5.50", "食品"), new=True)
    path = tmp_path / "products.csv"
    assert admin.export_csv(path) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbfsku,barcode,name,price,category\r\n")
    exported = admin.repo.all()
    other = ProductAdmin(ProductRepository(Database(tmp_path / "other.sqlite3")))
    outcome = other.import_csv(path)
    assert (outcome.count, outcome.problems) == (2, [])
    assert [(p.sku, p.name, p.price, p.barcode, p.category) for p in other.repo.all()] == [
        (p.sku, p.name, p.price, p.barcode, p.category) for p in exported]


def test_a_bad_import_writes_nothing(admin: ProductAdmin, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("sku,barcode,name,price\nA,,好,1.00\nB,6901234567015,坏,2\n", encoding="utf-8")
    outcome = admin.import_csv(path)
    assert outcome.count == 0
    assert [m.key for m in outcome.problems] == [ImportText.BAD_BARCODE]
    assert admin.repo.by_sku("A") is None


def test_export_to_a_folder_that_is_not_there_says_so(admin: ProductAdmin, tmp_path: Path) -> None:
    with pytest.raises(ProductError) as exc:
        admin.export_csv(tmp_path / "missing" / "p.csv")
    assert keys(exc) == ["product.cannot_write"]
