"""Scale labels and open-price items at the sale field, against worked vectors on the
real catalogue (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.scale_barcode import ScaleText, ean13_check_digit
from pos_app.sale.controller import cart_fingerprint
from pos_app.sale.weighed import (
    MAX_OPEN_PRICE_FEN,
    LineRefused,
    LineText,
    look_up,
    open_price_line,
    weight_text,
)
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database

APPLE = Product("APPLE", "红富士苹果", Fen(1298), category="水果", scale_code="12")  # ¥12.98/kg
PORK = Product("PORK", "五花肉", Fen(3600), category="生鲜", scale_code="345")
COKE = Product("COKE", "可乐", Fen(300), "6901234567014", category="饮料")


def label(first12: str) -> str:
    return first12 + str(ean13_check_digit(first12))


@pytest.fixture
def catalog(tmp_path: Path) -> ProductRepository:
    repo = ProductRepository(Database(tmp_path / "till.sqlite3"))
    for p in (APPLE, PORK, COKE):
        repo.upsert(p)
    return repo


def test_weight_label_is_price_per_kg_times_weight_half_up(catalog: ProductRepository) -> None:
    # 0.532 kg × ¥12.98/kg = 690.536 fen → 691 (half up, integers only)
    code = label("22" + "00012" + "00532")
    found = look_up(code, catalog, "ff5-weight5-g")
    assert found.product is not None and found.message is None
    assert (found.product.sku, found.product.price, found.product.name) == (
        "APPLE", 691, "红富士苹果 0.532kg")
    assert found.product.barcode == code and found.product.category == "水果"
    # 1.500 kg × ¥12.98 = 1947 exactly; 0.0385 … rounding boundary: 0.250 kg × 12.98 = 324.5 → 325
    assert look_up(label("2200012" + "01500"), catalog, "ff5-weight5-g").product.price == 1947  # type: ignore[union-attr]
    assert look_up(label("2200012" + "00250"), catalog, "ff5-weight5-g").product.price == 325  # type: ignore[union-attr]


def test_price_label_is_the_printed_amount(catalog: ProductRepository) -> None:
    code = label("21" + "00345" + "04321")
    found = look_up(code, catalog, "ff5-price5-fen")
    assert found.product is not None
    assert (found.product.sku, found.product.price, found.product.name) == ("PORK", 4321, "五花肉")


def test_unknown_item_bad_check_and_ordinary_codes(catalog: ProductRepository) -> None:
    unknown = look_up(label("2299999" + "00532"), catalog, "ff5-weight5-g")
    assert unknown.product is None and unknown.message is not None
    assert unknown.message.key is LineText.UNKNOWN_SCALE_ITEM
    assert unknown.message.param_dict()["item_code"] == "99999"
    good = label("2200012" + "00532")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert look_up(bad, catalog, "ff5-weight5-g").message.key is ScaleText.BAD_CHECK_DIGIT  # type: ignore[union-attr]
    # no scale layout set: a 2x code is an ordinary (unknown) barcode a manager may add
    off = look_up(good, catalog, "")
    assert off.product is None and off.unknown_barcode == good
    assert off.message is not None and off.message.key is LineText.UNKNOWN_BARCODE
    # a product holding exactly that barcode wins over the scale reading
    catalog.upsert(Product("INSTORE", "店内码商品", Fen(100), good))
    assert look_up(good, catalog, "ff5-weight5-g").product.sku == "INSTORE"  # type: ignore[union-attr]
    assert look_up("6901234567014", catalog, "ff5-weight5-g").product == COKE


def test_two_labels_of_one_item_are_two_lines_and_two_sales() -> None:
    a = Product("APPLE", "红富士苹果 0.532kg", Fen(691), scale_code="12")
    b = Product("APPLE", "红富士苹果 0.600kg", Fen(779), scale_code="12")
    cart = Cart()
    cart.add(a)
    cart.add(b)
    assert [(ln.product.price, ln.quantity) for ln in cart.lines] == [(691, 1), (779, 1)]
    assert cart.total == 1470
    one, other = Cart(), Cart()
    one.add(a)
    other.add(b)
    # an order stored for one label's cart is never reused for another's
    assert cart_fingerprint(one) != cart_fingerprint(other)


def test_open_price_line_is_exact_fen() -> None:
    line = open_price_line(" 蔬菜 ", "12.34")
    assert (line.sku, line.name, line.price, line.category) == ("OPEN-蔬菜", "蔬菜", 1234, "蔬菜")
    assert open_price_line("蔬菜", "0.01").price == 1
    for bad, key in (("", LineText.OPEN_PRICE_AMOUNT), ("abc", LineText.OPEN_PRICE_AMOUNT),
                     ("1.234", LineText.OPEN_PRICE_AMOUNT), ("0", LineText.OPEN_PRICE_AMOUNT),
                     ("-1", LineText.OPEN_PRICE_AMOUNT),
                     (str(MAX_OPEN_PRICE_FEN // 100 + 1), LineText.OPEN_PRICE_TOO_LARGE)):
        with pytest.raises(LineRefused) as info:
            open_price_line("蔬菜", bad)
        assert info.value.message.key is key, bad
    with pytest.raises(LineRefused) as info:
        open_price_line("  ", "1.00")
    assert info.value.message.key is LineText.OPEN_PRICE_CATEGORY


def test_weight_text() -> None:
    assert [weight_text(g) for g in (532, 1500, 5, 12345)] == [
        "0.532kg", "1.500kg", "0.005kg", "12.345kg"]


def test_the_same_item_still_merges_whatever_else_it_carries() -> None:
    """A line recalled from hold has no category; the same cola scanned again joins it."""
    recalled = Product("COKE", "可乐", Fen(300), "6901234567014")
    cart = Cart()
    cart.add(recalled)
    cart.add(COKE)
    assert [(ln.product.sku, ln.quantity) for ln in cart.lines] == [("COKE", 2)]
    cart.add(Product("COKE", "可乐", Fen(320), "6901234567014"))   # a new price: a new line
    assert [ln.quantity for ln in cart.lines] == [2, 1]
