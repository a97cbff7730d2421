"""Templates for the products screen, open-price and scale lines, and sales reports
(pos_app/manager/products.py, pos_app/sale/weighed.py, pos_app/manager/sales_report.py)."""

from __future__ import annotations

from pos_app.domain.text import MessageKey
from pos_app.manager.products import ProductText
from pos_app.manager.sales_report import SalesReportText
from pos_app.sale.weighed import LineText
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, object] = {  # QT_TRANSLATE_NOOP returns its source
    ProductText.SKU_TOO_LONG: QT_TRANSLATE_NOOP(
        "Message", "The SKU has at most {max_length} characters"),
    ProductText.NAME_TOO_LONG: QT_TRANSLATE_NOOP(
        "Message", "The name has at most {max_length} characters"),
    ProductText.CATEGORY_TOO_LONG: QT_TRANSLATE_NOOP(
        "Message", "The category has at most {max_length} characters"),
    ProductText.SKU_REQUIRED: QT_TRANSLATE_NOOP(
        "Message", "The SKU is required (or a barcode, which then is the SKU)"),
    ProductText.NAME_REQUIRED: QT_TRANSLATE_NOOP("Message", "The name is required"),
    ProductText.PRICE_REQUIRED: QT_TRANSLATE_NOOP("Message", "The price is required"),
    ProductText.BAD_BARCODE: QT_TRANSLATE_NOOP(
        "Message", "Barcode {value} is not a valid EAN-13/EAN-8/UPC (check digit)"),
    ProductText.BAD_PRICE: QT_TRANSLATE_NOOP(
        "Message", "Price {value} is not an amount in yuan (e.g. 3.50)"),
    ProductText.PRICE_NOT_POSITIVE: QT_TRANSLATE_NOOP("Message", "The price must be positive"),
    ProductText.PRICE_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Message", "The price is above {max_fen}"),
    ProductText.BAD_QUICK_KEY: QT_TRANSLATE_NOOP(
        "Message", "The quick key is a number from 1 to {max}, or empty"),
    ProductText.BAD_SCALE_CODE: QT_TRANSLATE_NOOP(
        "Message", "The scale item code is 1 to 6 digits (not all zeros), or empty"),
    ProductText.SKU_IN_USE: QT_TRANSLATE_NOOP(
        "Message", "SKU {value} already belongs to {name}"),
    ProductText.BARCODE_IN_USE: QT_TRANSLATE_NOOP(
        "Message", "Barcode {value} already belongs to {name} ({sku})"),
    ProductText.QUICK_KEY_IN_USE: QT_TRANSLATE_NOOP(
        "Message", "Quick key {value} already belongs to {name} ({sku})"),
    ProductText.SCALE_CODE_IN_USE: QT_TRANSLATE_NOOP(
        "Message", "Scale item code {value} already belongs to {name} ({sku})"),
    ProductText.NOT_FOUND: QT_TRANSLATE_NOOP(
        "Message", "This product is no longer in the catalogue"),
    ProductText.SAVED: QT_TRANSLATE_NOOP("Message", "Saved {name}"),
    ProductText.DEACTIVATED: QT_TRANSLATE_NOOP(
        "Message", "Deactivated {name}: no longer sold (history and reports keep it)"),
    ProductText.REACTIVATED: QT_TRANSLATE_NOOP(
        "Message", "Reactivated {name}: it can be sold again"),
    ProductText.EXPORTED: QT_TRANSLATE_NOOP("Message", "Exported {count} products to {path}"),
    ProductText.CANNOT_WRITE: QT_TRANSLATE_NOOP("Message", "Cannot write {path}: {reason}"),
    LineText.UNKNOWN_BARCODE: QT_TRANSLATE_NOOP(
        "Message", "No product with barcode {barcode} — Ctrl+N adds it (manager)"),
    LineText.UNKNOWN_SCALE_ITEM: QT_TRANSLATE_NOOP(
        "Message", "No product has scale item code {item_code}: set it in the products"),
    LineText.OPEN_PRICE_CATEGORY: QT_TRANSLATE_NOOP(
        "Message", "Choose the category the amount is sold under"),
    LineText.OPEN_PRICE_AMOUNT: QT_TRANSLATE_NOOP(
        "Message", "Type a positive amount in yuan (e.g. 12.50)"),
    LineText.OPEN_PRICE_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Message", "The amount is above {max_fen}"),
    SalesReportText.BAD_RANGE: QT_TRANSLATE_NOOP(
        "Message", "The first day must not be after the last day"),
    SalesReportText.TOO_LONG: QT_TRANSLATE_NOOP(
        "Message", "A report covers at most {max_days} days"),
}
