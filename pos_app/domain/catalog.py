"""Products the till sells."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.money import Fen


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: Fen
    barcode: str = ""
    quick_key: int | None = None  # position on the quick-key pad (1-based), if any
    category: str = ""            # sales reports group by it; open-price keys sell under one
    scale_code: str = ""          # item code on a label scale's 2x barcode (weight: price/kg)
    active: bool = True           # False: deactivated — not sold, kept for history and reports


#: SKU prefix of an open-price line (无码商品): "OPEN-" + the category it is sold under.
OPEN_PRICE_PREFIX = "OPEN-"


def open_price_item(category: str, amount: Fen) -> Product:
    """A line with no barcode: an amount sold under ``category``."""
    return Product(sku=OPEN_PRICE_PREFIX + category, name=category, price=amount,
                   category=category)


def category_of_sku(sku: str) -> str:
    """The category an open-price line's SKU carries ("" for any other SKU)."""
    return sku[len(OPEN_PRICE_PREFIX):] if sku.startswith(OPEN_PRICE_PREFIX) else ""
