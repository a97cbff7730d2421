"""The catalogue as a manager edits it at the till: checking a product typed into the
products screen, saving it, and CSV import/export (all blocking: run off the UI thread).

A product is refused with every problem at once (a :class:`ProductError` carrying one
message per field) and nothing is written:

* SKU and name required (at most 64 / 120 characters); the SKU is the barcode when left
  empty;
* barcode optional, an EAN-13/EAN-8/UPC with a valid check digit
  (:func:`pos_app.domain.scan.classify`);
* price in 元, positive, at most ¥1,000,000 (:data:`MAX_PRICE_FEN`), exact to the fen;
* quick key 1–12 or none; scale item code 1–6 digits or none; category ≤ 40 characters;
* SKU (for a new product), barcode, quick key and scale code must not belong to another
  product (checked inside the write transaction).

Import is the CLI's: every row checked, then all rows in one transaction or none.

A product is never deleted (orders and reports name it by SKU): a manager deactivates it
(:meth:`ProductAdmin.set_active`) — it is no longer sold nor on a quick key, and keeps its
barcode, quick key and scale code — and may reactivate it. The screen lists active
products, and the inactive ones too when asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen, MoneyFormatError, parse_yuan
from pos_app.domain.scan import ScanKind, classify
from pos_app.domain.text import Message, MessageKey, msg, register
from pos_app.storage.catalog import Clash, ProductRepository
from pos_app.storage.product_csv import (
    MAX_PRICE_FEN,
    ImportText,
    read_product_csv,
    write_product_csv,
)

QUICK_KEY_SLOTS = 12
MAX_SKU, MAX_NAME, MAX_CATEGORY, MAX_SCALE_CODE = 64, 120, 40, 6


@register({
    "product.sku_too_long": ("max_length",),
    "product.name_too_long": ("max_length",),
    "product.category_too_long": ("max_length",),
    "product.bad_barcode": ("value",),
    "product.bad_price": ("value",),
    "product.price_too_large": ("max_fen",),
    "product.bad_quick_key": ("max",),
    "product.sku_in_use": ("value", "name"),
    "product.barcode_in_use": ("value", "sku", "name"),
    "product.quick_key_in_use": ("value", "sku", "name"),
    "product.scale_code_in_use": ("value", "sku", "name"),
    "product.saved": ("name",),
    "product.deactivated": ("name",),
    "product.reactivated": ("name",),
    "product.exported": ("count", "path"),
    "product.cannot_write": ("path", "reason"),
})
class ProductText(MessageKey):
    SKU_TOO_LONG = "product.sku_too_long"
    NAME_TOO_LONG = "product.name_too_long"
    CATEGORY_TOO_LONG = "product.category_too_long"
    SKU_REQUIRED = "product.sku_required"
    NAME_REQUIRED = "product.name_required"
    PRICE_REQUIRED = "product.price_required"
    BAD_BARCODE = "product.bad_barcode"
    BAD_PRICE = "product.bad_price"
    PRICE_NOT_POSITIVE = "product.price_not_positive"
    PRICE_TOO_LARGE = "product.price_too_large"
    BAD_QUICK_KEY = "product.bad_quick_key"
    BAD_SCALE_CODE = "product.bad_scale_code"
    SKU_IN_USE = "product.sku_in_use"
    BARCODE_IN_USE = "product.barcode_in_use"
    QUICK_KEY_IN_USE = "product.quick_key_in_use"
    SCALE_CODE_IN_USE = "product.scale_code_in_use"
    NOT_FOUND = "product.not_found"
    SAVED = "product.saved"
    DEACTIVATED = "product.deactivated"
    REACTIVATED = "product.reactivated"
    EXPORTED = "product.exported"
    CANNOT_WRITE = "product.cannot_write"


class ProductError(ValueError):
    """A product that cannot be saved; ``messages``: every problem, nothing was written."""

    def __init__(self, messages: list[Message]) -> None:
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


@dataclass(frozen=True)
class ProductDraft:
    """What the products screen holds, as typed."""

    sku: str = ""
    name: str = ""
    barcode: str = ""
    price: str = ""          # 元, e.g. "3.50"
    category: str = ""
    quick_key: str = ""      # "" = none
    scale_code: str = ""     # "" = not sold from a label scale


def check_draft(draft: ProductDraft) -> Product:
    """The product the draft describes, or :class:`ProductError` with every problem."""
    problems: list[Message] = []
    barcode = draft.barcode.strip()
    sku = draft.sku.strip() or barcode
    name = draft.name.strip()
    category = draft.category.strip()
    for key, value, limit in ((ProductText.SKU_TOO_LONG, sku, MAX_SKU),
                              (ProductText.NAME_TOO_LONG, name, MAX_NAME),
                              (ProductText.CATEGORY_TOO_LONG, category, MAX_CATEGORY)):
        if len(value) > limit:
            problems.append(msg(key, max_length=limit))
    for key, value in ((ProductText.SKU_REQUIRED, sku), (ProductText.NAME_REQUIRED, name),
                       (ProductText.PRICE_REQUIRED, draft.price.strip())):
        if not value:
            problems.append(msg(key))
    if barcode and classify(barcode).kind is not ScanKind.PRODUCT_BARCODE:
        problems.append(msg(ProductText.BAD_BARCODE, value=barcode[:24]))
    price: Fen | None = None
    if draft.price.strip():
        try:
            price = parse_yuan(draft.price)
        except MoneyFormatError:
            problems.append(msg(ProductText.BAD_PRICE, value=draft.price.strip()[:24]))
    if price is not None and price <= 0:
        problems.append(msg(ProductText.PRICE_NOT_POSITIVE))
    elif price is not None and price > MAX_PRICE_FEN:
        problems.append(msg(ProductText.PRICE_TOO_LARGE, max_fen=MAX_PRICE_FEN))
    quick_key: int | None = None
    qk = draft.quick_key.strip()
    if qk:
        if qk.isascii() and qk.isdigit() and 1 <= int(qk) <= QUICK_KEY_SLOTS:
            quick_key = int(qk)
        else:
            problems.append(msg(ProductText.BAD_QUICK_KEY, max=QUICK_KEY_SLOTS))
    scale_code = draft.scale_code.strip()
    if scale_code and not (scale_code.isascii() and scale_code.isdigit()
                           and len(scale_code) <= MAX_SCALE_CODE and int(scale_code) > 0):
        problems.append(msg(ProductText.BAD_SCALE_CODE))
    if problems or price is None:
        raise ProductError(problems)
    return Product(sku=sku, name=name, price=price, barcode=barcode, quick_key=quick_key,
                   category=category, scale_code=scale_code)


def _clash_message(clash: Clash, product: Product) -> Message:
    if clash.field == "sku" and not clash.name:
        return msg(ProductText.NOT_FOUND)
    key, value = {"sku": (ProductText.SKU_IN_USE, product.sku),
                  "barcode": (ProductText.BARCODE_IN_USE, product.barcode),
                  "quick_key": (ProductText.QUICK_KEY_IN_USE, str(product.quick_key)),
                  "scale_code": (ProductText.SCALE_CODE_IN_USE, product.scale_code)
                  }[clash.field]
    if key is ProductText.SKU_IN_USE:
        return msg(key, value=value, name=clash.name)
    return msg(key, value=value, sku=clash.sku, name=clash.name)


@dataclass
class ImportOutcome:
    """What an import did: ``count`` products written (0 when ``problems``)."""

    count: int = 0
    problems: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)


class ProductAdmin:
    """The products screen's service over the till's catalogue."""

    def __init__(self, repo: ProductRepository) -> None:
        self.repo = repo

    def save(self, draft: ProductDraft, *, new: bool) -> Product:
        """Check and write one product; :class:`ProductError` (nothing written) if not."""
        product = check_draft(draft)
        clashes = self.repo.save(product, new=new)
        if clashes:
            raise ProductError([_clash_message(c, product) for c in clashes])
        return product

    def search(self, text: str, limit: int = 200, *, inactive: bool = False) -> list[Product]:
        """Active products matching ``text`` (all of them for an empty text); with
        ``inactive``, the inactive ones too (after the active ones when searching)."""
        if text.strip():
            return self.repo.search(text, limit, inactive=inactive)
        return self.repo.all(inactive=inactive)[:limit]

    def set_active(self, sku: str, active: bool) -> Product:
        """Deactivate (``active`` False) or reactivate one product; the product now."""
        product = self.repo.set_active(sku, active)
        if product is None:
            raise ProductError([msg(ProductText.NOT_FOUND)])
        return product

    def categories(self) -> list[str]:
        return self.repo.categories()

    def import_csv(self, path: Path) -> ImportOutcome:
        """Every row checked, then all written in one transaction, or nothing."""
        found = read_product_csv(path)
        out = ImportOutcome()
        if found.encoding != "utf-8":
            out.notes.append(msg(ImportText.READ_AS, encoding=found.encoding.upper()))
        problems = list(found.problems)
        if not problems:
            conflicts = self.repo.import_products(found.products,
                                                  with_category=found.has_category)
            problems = [msg(ImportText.BARCODE_IN_USE, line=found.lines[i], column="barcode",
                            value=found.products[i].barcode, sku=sku) for i, sku in conflicts]
        if problems:
            out.problems = problems
            return out
        out.count = len(found.products)
        return out

    def export_csv(self, path: Path) -> int:
        """The whole catalogue to ``path``; :class:`ProductError` if it cannot be written."""
        products = self.repo.all()
        try:
            write_product_csv(path, products)
        except OSError as exc:
            raise ProductError([msg(ProductText.CANNOT_WRITE, path=str(path),
                                    reason=exc.strerror or type(exc).__name__)]) from exc
        return len(products)
