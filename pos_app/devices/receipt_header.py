"""The receipt header: the shop's name, address and phone (from settings), laid out for
the paper width and rendered as an ESC/POS segment to splice into a receipt job.

Independent of :class:`pos_app.devices.receipt.Receipt` so it can land on its own; the
receipt renderer prints :func:`render_header` in place of its single shop-name line.
Widths count CJK characters as two cells, as receipt printers do; the name is printed
double size, so it wraps at half the width.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from pos_app.devices.printer.escpos import (
    ALIGN_CENTER,
    ALIGN_LEFT,
    BOLD_OFF,
    BOLD_ON,
    SIZE_DOUBLE,
    SIZE_NORMAL,
)
from pos_app.devices.receipt import cell_width

HEADER_LABELS = {"phone": "电话", "address": "地址"}  # printed on Chinese receipts by default
MAX_FIELD = 120


@dataclass(frozen=True)
class ReceiptHeader:
    shop_name: str
    address: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        for name in ("shop_name", "address", "phone"):
            value = getattr(self, name)
            if any(unicodedata.category(c).startswith("C") for c in value):
                raise ValueError(f"{name}: control characters (line breaks) are not allowed")
            if len(value) > MAX_FIELD:
                raise ValueError(f"{name}: at most {MAX_FIELD} characters")
            object.__setattr__(self, name, value.strip())
        if not self.shop_name:
            raise ValueError("shop_name is empty")


def _wide(c: str) -> bool:
    return cell_width(c) == 2


def _break_ok(before: str, after: str) -> bool:
    """May a line break go between these two characters? After a space, or next to
    a wide (CJK) character; never inside a run of Latin letters and digits."""
    return before == " " or after == " " or _wide(before) or _wide(after)


def wrap_cells(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` cells, preferring breaks at spaces
    and next to CJK characters over splitting a word or number (e.g. ``B101``)."""
    if width < 2:
        raise ValueError("width must be at least 2 cells")
    lines: list[str] = []
    line = ""
    for c in text:
        if cell_width(line + c) <= width:
            line += c
            continue
        k = len(line)
        while k > 0 and not _break_ok(line[k - 1], line[k] if k < len(line) else c):
            k -= 1
        if 0 < k < len(line) and cell_width(line[k:]) < width // 2:
            lines.append(line[:k])
            line = line[k:].lstrip() + c
        else:  # break before c (allowed there, or a word too long to keep whole)
            lines.append(line)
            line = "" if c == " " else c
    lines.append(line)
    return [ln.rstrip() for ln in lines if ln.strip()]


def header_lines(
    header: ReceiptHeader, width: int = 32, labels: Mapping[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """(name lines at double size, detail lines at normal size) for ``width`` cells."""
    lab = {**HEADER_LABELS, **(labels or {})}
    name = wrap_cells(header.shop_name, max(2, width // 2))
    details: list[str] = []
    if header.address:
        details += wrap_cells(f"{lab['address']}: {header.address}", width)
    if header.phone:
        details += wrap_cells(f"{lab['phone']}: {header.phone}", width)
    return name, details


def render_header(
    header: ReceiptHeader,
    *,
    width: int = 32,
    encoding: str = "gb18030",
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """The header as ESC/POS: centred, the name bold and double size, then left aligned."""
    enc = encoding.lower()
    name, details = header_lines(header, width, labels)

    def text(s: str) -> bytes:
        return s.encode(enc, errors="replace") + b"\n"

    out = bytearray(ALIGN_CENTER + BOLD_ON + SIZE_DOUBLE)
    for line in name:
        out += text(line)
    out += SIZE_NORMAL + BOLD_OFF
    for line in details:
        out += text(line)
    out += ALIGN_LEFT
    return bytes(out)
