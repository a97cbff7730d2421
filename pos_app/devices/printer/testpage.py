"""The printer test page (settings → "print test page"): pure bytes plus one direct send.

It shows what a shop needs to check: the caller's heading and lines (already translated,
e.g. the printer's address and the time), a ruler exactly ``width`` cells long (the
paper-width setting is right when it fills one line without wrapping), the printable ASCII
set, the Chinese code page (whatever Chinese the caller's lines carry), and a native QR
code. It is sent straight to the printer, not queued, so the result shows at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from pos_app.devices.printer.escpos import (
    ALIGN_CENTER,
    ALIGN_LEFT,
    BOLD_OFF,
    BOLD_ON,
    CHINESE_ENCODINGS,
    CHINESE_OFF,
    CHINESE_ON,
    CUT,
    INIT,
    SIZE_DOUBLE,
    SIZE_NORMAL,
    qr_code,
)
from pos_app.devices.printer.network import Delivery
from pos_app.devices.printer.queue import JobPrinter

PRINTABLE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


def ruler(width: int) -> str:
    """``1234567890123…`` exactly ``width`` characters."""
    return ("1234567890" * (width // 10 + 1))[:width]


def render_test_page(
    heading: str,
    lines: Sequence[str] = (),
    *,
    width: int = 32,
    encoding: str = "gb18030",
    qr_data: str = "POS-APP TEST",
    cut: bool = True,
) -> bytes:
    if not 16 <= width <= 80:
        raise ValueError("paper width must be 16..80 cells")
    enc = encoding.lower()
    chinese = enc in CHINESE_ENCODINGS

    def text(s: str) -> bytes:
        return s.encode(enc, errors="replace") + b"\n"

    out = bytearray(INIT)
    if chinese:
        out += CHINESE_ON
    out += ALIGN_CENTER + BOLD_ON + SIZE_DOUBLE + text(heading) + SIZE_NORMAL + BOLD_OFF
    out += ALIGN_LEFT
    for line in lines:
        out += text(line)
    out += text(ruler(width))
    for i in range(0, len(PRINTABLE_ASCII), width):
        out += text(PRINTABLE_ASCII[i: i + width])
    if qr_data:
        out += ALIGN_CENTER + qr_code(qr_data) + b"\n" + ALIGN_LEFT
    if chinese:
        out += CHINESE_OFF
    out += b"\n\n\n"
    if cut:
        out += CUT
    return bytes(out)


def print_test_page(printer: JobPrinter, heading: str, lines: Sequence[str] = (),
                    **options: str | int | bool) -> Delivery:
    """Send a test page now (blocking: a worker thread); raises PrinterError subclasses."""
    return printer.deliver(render_test_page(heading, lines, **options))  # type: ignore[arg-type]
