"""A deactivated product (issue 16) on the real SQLite catalogue: found, but never sold —
not by its barcode, its scale label, a search result or a quick key; hidden from the quick
keys and the categories; kept (barcode, quick key, scale code stay its own) and sold
again once reactivated. Reports keep its sales (tests/unit/manager/test_sales_report.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.scale_barcode import ean13_check_digit
from pos_app.manager.products import ProductAdmin, ProductDraft, ProductError
from pos_app.sale.controller import SaleRefused
from pos_app.sale.text import SaleText
from pos_app.sale.weighed import look_up, sold_per_kg, weighs
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database

from .conftest import World

APPLE = Product("APPLE", "苹果", Fen(1298), category="水果", scale_code="12", quick_key=2)
COKE = Product("COKE", "可乐", Fen(300), "6901234567014", 1, "饮料")
WATER = Product("WATER", "矿泉水", Fen(200), "6901234567038", 3, "饮料")


@pytest.fixture
def repo(tmp_path: Path) -> ProductRepository:
    r = ProductRepository(Database(tmp_path / "till.sqlite3"))
    for p in (APPLE, COKE, WATER):
        r.upsert(p)
    return r


def label(first12: str) -> str:
    return first12 + str(ean13_check_digit(first12))


def test_deactivate_hides_it_from_selling_and_keeps_it(repo: ProductRepository) -> None:
    admin = ProductAdmin(repo)
    off = admin.set_active("COKE", False)
    assert off == Product("COKE", "可乐", Fen(300), "6901234567014", 1, "饮料", active=False)
    # found, flagged: the sale says "inactive", not "unknown barcode"
    assert repo.by_barcode(COKE.barcode) == off and repo.by_sku("COKE") == off
    found = look_up(COKE.barcode, repo, "")
    assert found.product is None and found.unknown_barcode == ""
    assert found.message is not None and found.message.key is SaleText.PRODUCT_INACTIVE
    assert dict(found.message.params) == {"name": "可乐"}
    # not on a quick key, not in the export, listed in searches after the active ones
    assert [p.sku for p in repo.quick_keys()] == ["APPLE", "WATER"]
    assert [p.sku for p in repo.all()] == ["APPLE", "WATER"]
    assert [p.sku for p in repo.all(inactive=True)] == ["APPLE", "COKE", "WATER"]
    assert [(p.sku, p.active) for p in repo.search("饮", 10)] == []          # by category: no
    assert [(p.sku, p.active) for p in repo.search("k")] == [("WATER", True), ("COKE", False)]
    assert [p.sku for p in repo.search("k", inactive=False)] == ["WATER"]
    assert [p.sku for p in admin.search("")] == ["APPLE", "WATER"]
    assert [p.sku for p in admin.search("", inactive=True)] == ["APPLE", "COKE", "WATER"]
    # its barcode and quick key stay its own: another product cannot take them
    with pytest.raises(ProductError, match="可乐"):
        admin.save(ProductDraft("NEW", "新", COKE.barcode, "1.00"), new=True)
    # an edit keeps it inactive
    admin.save(ProductDraft("COKE", "可乐 330ml", COKE.barcode, "3.20", "饮料", "1"), new=False)
    assert repo.by_sku("COKE") == Product("COKE", "可乐 330ml", Fen(320), COKE.barcode, 1,
                                          "饮料", active=False)
    # reactivated: sold again, back on its quick key
    on = admin.set_active("COKE", True)
    assert on.active and look_up(COKE.barcode, repo, "").product == on
    assert [p.sku for p in repo.quick_keys()] == ["COKE", "APPLE", "WATER"]
    with pytest.raises(ProductError):
        admin.set_active("NOPE", False)


def test_an_inactive_scale_item_is_refused_at_the_label(repo: ProductRepository) -> None:
    code = label("22" + "00012" + "00532")
    assert look_up(code, repo, "ff5-weight5-g").product is not None
    repo.set_active("APPLE", False)
    found = look_up(code, repo, "ff5-weight5-g")
    assert found.product is None and found.message is not None
    assert found.message.key is SaleText.PRODUCT_INACTIVE
    # an active product with the same item code (leading zeros) is the one sold
    repo.upsert(Product("APPLE2", "苹果(新)", Fen(1500), scale_code="012"))
    found = look_up(code, repo, "ff5-weight5-g")
    assert found.product is not None and found.product.sku == "APPLE2"


def test_the_sale_never_adds_an_inactive_product(world: World) -> None:
    """Whatever way it arrives (a search result, or a quick key shown before it was
    deactivated), the controller refuses it and the cart is unchanged."""
    sale, repo = world.sale, world.catalog
    sale.add(world.product("COKE330"))
    repo.set_active("WATER550", False)
    stale = repo.search("nfsq")[-1]
    assert stale.sku == "WATER550" and not stale.active
    with pytest.raises(SaleRefused) as exc:
        sale.add(stale)
    assert exc.value.message is not None and exc.value.message.key is SaleText.PRODUCT_INACTIVE
    assert [ln.product.sku for ln in sale.cart.lines] == ["COKE330"] and sale.cart.total == 300


def test_priced_per_kg_only_under_a_weight_format() -> None:
    assert weighs("ff5-weight5-g") and weighs("f6-weight5-g")
    assert not weighs("ff5-price5-fen") and not weighs("") and not weighs("nope")
    assert sold_per_kg(APPLE, "ff5-weight5-g") and not sold_per_kg(APPLE, "ff5-price5-fen")
    assert not sold_per_kg(COKE, "ff5-weight5-g")


def test_a_line_deactivated_after_it_was_rung_up_is_not_charged(world: World) -> None:
    """The manager deactivates a product already in the cart: the payment is refused as
    it starts (nothing stored, nothing sent), named; without the line it goes through."""
    sale, repo, till = world.sale, world.catalog, world.till
    sale.inactive = lambda sku: (p := repo.by_sku(sku)) is not None and not p.active
    sale.add(world.product("COKE330"))
    sale.add(world.product("WATER550"))
    repo.set_active("WATER550", False)
    sale.begin_payment(PaymentMethod.CASH)
    sale.charge_cash(Fen(1000))
    world.pump_until(lambda: bool(world.screen.start_failures))
    [refused] = world.screen.start_failures
    assert isinstance(refused, SaleRefused) and refused.message is not None
    assert refused.message.key is SaleText.PAY_INACTIVE_IN_CART
    assert dict(refused.message.params) == {"names": "农夫山泉 550ml"}
    assert till.recent_orders() == [] and sale.order_id is None     # nothing stored
    sale.end_payment()
    sale.remove(1)                                                  # Del on the line
    sale.begin_payment(PaymentMethod.CASH)
    sale.charge_cash(Fen(1000))
    world.pump_until(lambda: [o.status.value for o in till.recent_orders()] == ["paid"])
    [order] = till.recent_orders()
    assert order.total == 300
