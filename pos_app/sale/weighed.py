"""What a barcode scanned at the sale field stands for, label scales included (no Qt).

With a scale layout set (:data:`pos_app.domain.scale_barcode.PRESETS`, a till setting), a
13-digit code carrying one of its flags (2x) is a scale label — unless a product holds
exactly that barcode (shops also print in-store codes starting with 2). A label is read
with :func:`~pos_app.domain.scale_barcode.parse_scale_barcode`; its item code names the
product (:attr:`~pos_app.domain.catalog.Product.scale_code`), and the line is one line of
its own at the exact amount:

* price label: the amount printed on it;
* weight label: the product's price per kg × the weight, rounded half up to the fen
  (:func:`~pos_app.domain.scale_barcode.weighed_amount`); the line's name shows the weight.

A deactivated product (``Product.active`` False) is found but never sold: the scan or the
label says so (:attr:`~pos_app.sale.text.SaleText.PRODUCT_INACTIVE`).

Open-price items (无码商品) are lines of their own too: an amount under a category.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from pos_app.domain.catalog import Product, open_price_item
from pos_app.domain.money import Fen, MoneyFormatError, parse_yuan
from pos_app.domain.scale_barcode import (
    PRESETS,
    ScaleBarcodeError,
    ScaleReading,
    ValueKind,
    parse_scale_barcode,
)
from pos_app.domain.text import Message, MessageKey, msg, register
from pos_app.sale.text import SaleText

#: An open-price line above this is a typo (¥100,000.00).
MAX_OPEN_PRICE_FEN = 10_000_000


@register({
    "line.unknown_barcode": ("barcode",),
    "line.unknown_scale_item": ("item_code",),
    "line.open_price_too_large": ("max_fen",),
})
class LineText(MessageKey):
    UNKNOWN_BARCODE = "line.unknown_barcode"
    UNKNOWN_SCALE_ITEM = "line.unknown_scale_item"
    OPEN_PRICE_CATEGORY = "line.open_price_category"
    OPEN_PRICE_AMOUNT = "line.open_price_amount"
    OPEN_PRICE_TOO_LARGE = "line.open_price_too_large"


class LineRefused(ValueError):
    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class Catalog(Protocol):
    def by_barcode(self, barcode: str) -> Product | None: ...

    def by_scale_code(self, item_code: str) -> Product | None: ...


@dataclass(frozen=True)
class Found:
    """A scan's result: the product for the cart (``separate``: a line of its own, never
    merged — a weighed or priced label), or a message saying why there is none
    (``unknown_barcode``: no product has this barcode — a manager may add one)."""

    product: Product | None = None
    separate: bool = False
    message: Message | None = None
    unknown_barcode: str = ""


def weighs(scale_layout: str) -> bool:
    """Does the till's label scale format carry a weight (the item's price is per kg)?"""
    layout = PRESETS.get(scale_layout)
    return layout is not None and layout.kind is ValueKind.WEIGHT


def sold_per_kg(product: Product, scale_layout: str) -> bool:
    """Is ``product`` priced per kg: a scale item code under a weight label format?"""
    return bool(product.scale_code) and weighs(scale_layout)


def weight_text(grams: int) -> str:
    """``532`` → ``"0.532kg"`` (exact, integers only)."""
    return f"{grams // 1000}.{grams % 1000:03d}kg"


def weighed_line(reading: ScaleReading, product: Product) -> Product:
    """The cart line's product for a scale label of ``product``."""
    if reading.weight_g is not None:
        amount = reading.amount_fen(int(product.price))
        name = f"{product.name} {weight_text(reading.weight_g)}"
    else:
        amount = reading.amount_fen()
        name = product.name
    return replace(product, name=name, price=amount, barcode=reading.code, quick_key=None)


def look_up(code: str, catalog: Catalog, scale_layout: str) -> Found:
    """Blocking (catalogue look-ups): run it off the UI thread."""
    product = catalog.by_barcode(code)
    if product is not None:
        if not product.active:
            return Found(message=msg(SaleText.PRODUCT_INACTIVE, name=product.name))
        return Found(product)
    layout = PRESETS.get(scale_layout)
    if layout is None or not layout.matches(code):
        return Found(message=msg(LineText.UNKNOWN_BARCODE, barcode=code), unknown_barcode=code)
    try:
        reading = parse_scale_barcode(code, layout)
        item = catalog.by_scale_code(reading.item_code)
        if item is None:
            return Found(message=msg(LineText.UNKNOWN_SCALE_ITEM, item_code=reading.item_code))
        if not item.active:
            return Found(message=msg(SaleText.PRODUCT_INACTIVE, name=item.name))
        return Found(weighed_line(reading, item), separate=True)
    except ScaleBarcodeError as exc:
        return Found(message=exc.message)


def open_price_line(category: str, amount_yuan: str) -> Product:
    """An open-price line: ``amount_yuan`` typed in 元 (exact to the fen, positive, at
    most :data:`MAX_OPEN_PRICE_FEN`) under ``category``; :class:`LineRefused` if not."""
    category = category.strip()
    if not category:
        raise LineRefused(msg(LineText.OPEN_PRICE_CATEGORY))
    try:
        amount = parse_yuan(amount_yuan)
    except MoneyFormatError:
        raise LineRefused(msg(LineText.OPEN_PRICE_AMOUNT)) from None
    if amount <= 0:
        raise LineRefused(msg(LineText.OPEN_PRICE_AMOUNT))
    if amount > MAX_OPEN_PRICE_FEN:
        raise LineRefused(msg(LineText.OPEN_PRICE_TOO_LARGE, max_fen=MAX_OPEN_PRICE_FEN))
    return open_price_item(category, Fen(amount))
