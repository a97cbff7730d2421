"""Templates for the product import (pos_app/storage/product_csv.py)."""

from __future__ import annotations

from pos_app.domain.text import MessageKey
from pos_app.storage.product_csv import ImportText
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, object] = {  # QT_TRANSLATE_NOOP returns its source
    ImportText.CANNOT_READ: QT_TRANSLATE_NOOP("Message", "Cannot read {path}: {reason}"),
    ImportText.TOO_BIG: QT_TRANSLATE_NOOP(
        "Message", "{path} is larger than {max_mb} MB: is it really a product list?"),
    ImportText.BAD_UTF8: QT_TRANSLATE_NOOP(
        "Message", "line {line}, column {column}: not valid UTF-8 text (save the file as "
        "UTF-8 or as Excel's Chinese CSV)"),
    ImportText.UNKNOWN_ENCODING: QT_TRANSLATE_NOOP(
        "Message", "line {line}: the file is neither UTF-8 nor GB18030/GBK text"),
    ImportText.READ_AS: QT_TRANSLATE_NOOP("Message", "Read as {encoding} (not UTF-8)"),
    ImportText.MISSING_COLUMNS: QT_TRANSLATE_NOOP(
        "Message", "The first line must name the columns sku,barcode,name,price; missing: "
        "{columns}"),
    ImportText.BAD_CSV: QT_TRANSLATE_NOOP("Message", "line {line}: not valid CSV ({reason})"),
    ImportText.REQUIRED: QT_TRANSLATE_NOOP("Message", "line {line}, column {column}: required"),
    ImportText.TOO_LONG: QT_TRANSLATE_NOOP(
        "Message", "line {line}, column {column}: {length} characters, at most {max_length}"),
    ImportText.DUPLICATE: QT_TRANSLATE_NOOP(
        "Message", "line {line}, column {column}: {value} appears twice (also on line "
        "{first_line})"),
    ImportText.BARCODE_IN_USE: QT_TRANSLATE_NOOP(
        "Message", "line {line}, column {column}: barcode {value} already belongs to product "
        "{sku}"),
    ImportText.BAD_BARCODE: QT_TRANSLATE_NOOP(
        "Message", "line {line}, column {column}: {value} is not a valid EAN-13/EAN-8/UPC "
        "barcode"),
    ImportText.BAD_PRICE: QT_TRANSLATE_NOOP(
        "Message", "line {line}, column {column}: {value} is not an amount in yuan (e.g. 3.50)"),
    ImportText.PRICE_NOT_POSITIVE: QT_TRANSLATE_NOOP(
        "Message", "line {line}, column {column}: the price must be positive"),
    ImportText.PRICE_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Message", "line {line}, column {column}: the price is above {max_fen}"),
    ImportText.NO_PRODUCTS: QT_TRANSLATE_NOOP(
        "Message", "{path}: no products (expected columns sku,barcode,name,price)"),
    ImportText.NOTHING_WRITTEN: QT_TRANSLATE_NOOP(
        "Message", "{problems} problem(s): nothing was imported"),
    ImportText.IMPORTED: QT_TRANSLATE_NOOP("Message", "imported {count} products"),
}
