"""Read a product list (CSV: ``sku,barcode,name,price`` — price in 元 — and optionally
``category``) for import, and write the catalogue in the same shape (export).

Every row is checked and every problem reported (line number and column), so a shop
fixes its spreadsheet in one go; :meth:`ProductRepository.import_products` then writes
all of it in one transaction, or nothing.

Encoding: UTF-8 (with or without Excel's BOM) or GB18030/GBK — what Excel saves "CSV"
as on a Chinese Windows. A file that is UTF-8 except for a few broken bytes is reported
as broken UTF-8 (line, column) rather than read as GB18030 mojibake.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen, MoneyFormatError, format_yuan, parse_yuan
from pos_app.domain.scan import ScanKind, classify
from pos_app.domain.text import Message, MessageKey, msg, register

COLUMNS = ("sku", "barcode", "name", "price")
EXPORT_COLUMNS = (*COLUMNS, "category")
MAX_FILE_BYTES = 20_000_000
MAX_PRICE_FEN = 100_000_000           # ¥1,000,000.00 for one item is a typo
MAX_CHARS = {"sku": 64, "barcode": 14, "name": 120, "price": 32, "category": 40}
_FIELD_LIMIT = 1_000_000              # csv's own limit (131072 by default raises csv.Error)
_SHOWN = 24                           # characters of a bad value shown back


@register({
    "import.cannot_read": ("path", "reason"),
    "import.too_big": ("path", "max_mb"),
    "import.bad_utf8": ("line", "column"),
    "import.unknown_encoding": ("line",),
    "import.read_as": ("encoding",),
    "import.missing_columns": ("columns",),
    "import.bad_csv": ("line", "reason"),
    "import.required": ("line", "column"),
    "import.too_long": ("line", "column", "length", "max_length"),
    "import.duplicate": ("line", "column", "value", "first_line"),
    "import.barcode_in_use": ("line", "column", "value", "sku"),
    "import.bad_barcode": ("line", "column", "value"),
    "import.bad_price": ("line", "column", "value"),
    "import.price_not_positive": ("line", "column"),
    "import.price_too_large": ("line", "column", "max_fen"),
    "import.no_products": ("path",),
    "import.nothing_written": ("problems",),
    "import.imported": ("count",),
})
class ImportText(MessageKey):
    CANNOT_READ = "import.cannot_read"
    TOO_BIG = "import.too_big"
    BAD_UTF8 = "import.bad_utf8"
    UNKNOWN_ENCODING = "import.unknown_encoding"
    READ_AS = "import.read_as"
    MISSING_COLUMNS = "import.missing_columns"
    BAD_CSV = "import.bad_csv"
    REQUIRED = "import.required"
    TOO_LONG = "import.too_long"
    DUPLICATE = "import.duplicate"
    BARCODE_IN_USE = "import.barcode_in_use"
    BAD_BARCODE = "import.bad_barcode"
    BAD_PRICE = "import.bad_price"
    PRICE_NOT_POSITIVE = "import.price_not_positive"
    PRICE_TOO_LARGE = "import.price_too_large"
    NO_PRODUCTS = "import.no_products"
    NOTHING_WRITTEN = "import.nothing_written"
    IMPORTED = "import.imported"


@dataclass
class ProductFile:
    """What a file held: products with their line numbers, or problems (then nothing
    may be written), and the encoding it was read in."""

    products: list[Product] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)       # the line of each product
    problems: list[Message] = field(default_factory=list)
    encoding: str = "utf-8"
    has_category: bool = False                           # the file had a category column


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def _column_at(line: bytes, offset: int, header: list[str]) -> str:
    """The header name of the field holding byte ``offset`` (commas counted; good
    enough to point at the cell)."""
    index = line[:offset].count(b",")
    return header[index] if index < len(header) else str(index + 1)


def decode(data: bytes) -> tuple[str | None, str, list[Message]]:
    """(text, encoding, problems): UTF-8 (BOM optional), else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, bom = data[3:], True
    else:
        bom = False
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", "replace")
    broken = loose.count("\ufffd")
    good = sum(1 for ch in loose if ord(ch) > 127 and ch != "\ufffd")
    if bom or good > broken:          # a UTF-8 file with damage: point at the damage
        lines = data.split(b"\n")
        header = [h.strip().lower() for h in lines[0].decode("utf-8", "replace").split(",")]
        problems = []
        for number, raw in enumerate(lines, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(msg(ImportText.BAD_UTF8, line=number,
                                    column=_column_at(raw, exc.start, header)))
        return None, "utf-8", problems
    try:
        return data.decode("gb18030"), "gb18030", []
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, "gb18030", [msg(ImportText.UNKNOWN_ENCODING, line=line)]


def _check_row(row: dict[str, str], line: int, out: ProductFile,
               seen: dict[tuple[str, str], int]) -> None:
    values = {c: (row.get(c) or "").strip() for c in EXPORT_COLUMNS}
    before = len(out.problems)
    too_long = {c for c in EXPORT_COLUMNS if len(values[c]) > MAX_CHARS[c]}
    for column in sorted(too_long, key=EXPORT_COLUMNS.index):
        out.problems.append(msg(ImportText.TOO_LONG, line=line, column=column,
                                length=len(values[column]), max_length=MAX_CHARS[column]))
    for column in ("sku", "name", "price"):
        if not values[column]:
            out.problems.append(msg(ImportText.REQUIRED, line=line, column=column))
    for column in ("sku", "barcode"):
        value = values[column]
        if not value or column in too_long:
            continue
        first = seen.setdefault((column, value), line)
        if first != line:
            out.problems.append(msg(ImportText.DUPLICATE, line=line, column=column,
                                    value=_shown(value), first_line=first))
    barcode = values["barcode"]
    if barcode and "barcode" not in too_long and classify(barcode).kind is not ScanKind.PRODUCT_BARCODE:
        out.problems.append(msg(ImportText.BAD_BARCODE, line=line, column="barcode",
                                value=_shown(barcode)))
    price_text = values["price"]
    price: Fen | None = None
    if price_text and "price" not in too_long:
        try:
            price = parse_yuan(price_text)
        except MoneyFormatError:
            out.problems.append(msg(ImportText.BAD_PRICE, line=line, column="price",
                                    value=_shown(price_text)))
    if price is not None and price <= 0:
        out.problems.append(msg(ImportText.PRICE_NOT_POSITIVE, line=line, column="price"))
    elif price is not None and price > MAX_PRICE_FEN:
        out.problems.append(msg(ImportText.PRICE_TOO_LARGE, line=line, column="price",
                                max_fen=MAX_PRICE_FEN))
    if len(out.problems) == before and price is not None:
        out.products.append(Product(sku=values["sku"], name=values["name"], price=price,
                                    barcode=barcode, category=values["category"]))
        out.lines.append(line)


def read_product_csv(path: Path) -> ProductFile:
    """Parse and check every row of ``path``; never raises for a bad file."""
    out = ProductFile()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            out.problems.append(msg(ImportText.TOO_BIG, path=str(path),
                                    max_mb=MAX_FILE_BYTES // 1_000_000))
            return out
        data = path.read_bytes()
    except OSError as exc:
        out.problems.append(msg(ImportText.CANNOT_READ, path=str(path),
                                reason=exc.strerror or type(exc).__name__))
        return out
    text, out.encoding, problems = decode(data)
    if text is None:
        out.problems += problems
        return out
    old_limit = csv.field_size_limit(_FIELD_LIMIT)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip().lower() for h in next(reader, [])]
            missing = [c for c in ("sku", "name", "price") if c not in header]
            if missing:
                out.problems.append(msg(ImportText.MISSING_COLUMNS, columns=",".join(missing)))
                return out
            out.has_category = "category" in header
            seen: dict[tuple[str, str], int] = {}
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue            # blank lines (Excel adds them at the end)
                row = dict(zip(header, cells, strict=False))
                _check_row(row, reader.line_num, out, seen)
        except csv.Error as exc:
            out.problems.append(msg(ImportText.BAD_CSV, line=reader.line_num + 1,
                                    reason=str(exc)))
    finally:
        csv.field_size_limit(old_limit)
    if not out.products and not out.problems:
        out.problems.append(msg(ImportText.NO_PRODUCTS, path=str(path)))
    return out


def product_csv_text(products: list[Product]) -> str:
    """The catalogue as CSV in the import's shape (price in 元), read back unchanged."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(EXPORT_COLUMNS)
    for p in products:
        w.writerow([p.sku, p.barcode, p.name, format_yuan(p.price), p.category])
    return buf.getvalue()


def write_product_csv(path: Path, products: list[Product]) -> None:
    """Write the catalogue to ``path`` (UTF-8 with a BOM, for Excel), whole or not at all:
    a temporary file next to it replaces it once written (OSError on failure)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(product_csv_text(products), encoding="utf-8-sig", newline="")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
