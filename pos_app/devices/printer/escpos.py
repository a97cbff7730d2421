"""Receipt → ESC/POS bytes (pure; no I/O).

Chinese text is sent in the printer's Chinese mode (``FS &``) encoded as GB18030
(or GBK — configurable, python-escpos#678). The order number is printed as a native
QR code (``GS ( k``, model 2, level M), then the paper is fed and partially cut.
"""

from __future__ import annotations

from enum import IntEnum

from pos_app.devices.receipt import DEFAULT_LABELS, Receipt, receipt_text_lines

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"

INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
ALIGN_LEFT = ESC + b"a\x00"
ALIGN_CENTER = ESC + b"a\x01"
BOLD_ON = ESC + b"E\x01"
BOLD_OFF = ESC + b"E\x00"
SIZE_NORMAL = GS + b"!\x00"
SIZE_DOUBLE = GS + b"!\x11"
CUT = GS + b"VB\x00"  # feed to the cutter, partial cut

CHINESE_ENCODINGS = ("gb18030", "gbk", "gb2312")


def qr_code(data: str, module_size: int = 6) -> bytes:
    """Native QR: select model 2, module size, error level M, store, print."""
    payload = data.encode("ascii")
    if not 1 <= module_size <= 16:
        raise ValueError("module size must be 1..16")
    n = len(payload) + 3
    return (
        GS + b"(k\x04\x001A2\x00"
        + GS + b"(k\x03\x001C" + bytes([module_size])
        + GS + b"(k\x03\x001E1"
        + GS + b"(k" + bytes([n & 0xFF, n >> 8]) + b"1P0" + payload
        + GS + b"(k\x03\x001Q0"
    )


def render_receipt(
    receipt: Receipt,
    *,
    width: int = 32,
    encoding: str = "gb18030",
    with_qr: bool = True,
    cut: bool = True,
) -> bytes:
    """The complete print job for one receipt."""
    enc = encoding.lower()
    chinese = enc in CHINESE_ENCODINGS

    def text(s: str) -> bytes:
        return s.encode(enc, errors="replace") + b"\n"

    out = bytearray(receipt_header_segment(receipt, width=width, encoding=enc))
    if receipt.copy:  # (the header ends left-aligned)
        out += ALIGN_CENTER + text(receipt.labels.get("copy", DEFAULT_LABELS["copy"])) + ALIGN_LEFT
    for line in receipt_text_lines(receipt, width):
        out += text(line)
    out += ALIGN_CENTER
    if with_qr:
        out += qr_code(receipt.order_no) + b"\n"
    if receipt.footer:
        out += text(receipt.footer)
    out += ALIGN_LEFT
    return print_job(bytes(out), chinese=chinese, cut=cut)


def receipt_header_segment(receipt: Receipt, *, width: int, encoding: str) -> bytes:
    """The shop's name (bold, double size, wrapped), address and phone, centred."""
    from pos_app.devices.receipt_header import ReceiptHeader, render_header  # (cycle)

    header = ReceiptHeader(_one_line(receipt.shop_name) or "-", _one_line(receipt.shop_address),
                           _one_line(receipt.shop_phone))
    return render_header(header, width=width, encoding=encoding)


def _one_line(text: str) -> str:
    """A header field as one printable line of at most 120 characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:120]


def print_job(body: bytes, *, chinese: bool, cut: bool) -> bytes:
    """Wrap ``body`` in a job: initialise, Chinese mode on/off around it, feed, cut."""
    out = bytearray(INIT)
    if chinese:
        out += CHINESE_ON
    out += body
    if chinese:
        out += CHINESE_OFF
    out += b"\n\n\n"
    if cut:
        out += CUT
    return bytes(out)


def render_text(text: str, *, encoding: str = "gb18030", cut: bool = True) -> bytes:
    """Plain pre-formatted text (reports, X/Z) → a print job, Chinese mode for GB codes."""
    enc = encoding.lower()
    body = ALIGN_LEFT + text.encode(enc, errors="replace")
    if not text.endswith("\n"):
        body += b"\n"
    return print_job(body, chinese=enc in CHINESE_ENCODINGS, cut=cut)


# --- Cash drawer kick and real-time status query (ESC/POS command reference) -------------------

DLE = b"\x10"
EOT = b"\x04"


class DrawerPin(IntEnum):
    """Drawer kick-out connector pin the pulse goes to (``m`` of ``ESC p``)."""

    PIN2 = 0
    PIN5 = 1


class StatusQuery(IntEnum):
    """``n`` of ``DLE EOT n``: which real-time status byte the printer sends back."""

    PRINTER = 1      # online/offline, drawer-sensor (pin 3) level
    OFFLINE = 2      # offline cause: cover open, paper end stop, error
    ERROR = 3        # cutter error, unrecoverable, auto-recoverable
    PAPER = 4        # roll paper near-end / end sensors


PULSE_UNIT_MS = 2    # ESC p times are counted in 2 ms units, 0..255


def drawer_kick(pin: DrawerPin = DrawerPin.PIN2, *, on_ms: int = 50, off_ms: int = 500) -> bytes:
    """``ESC p m t1 t2``: a pulse of ``on_ms`` on the drawer pin, then ``off_ms`` off.

    Times are whole multiples of 2 ms from 2 to 510 ms, and the off time is not shorter
    than the on time (a printer would silently stretch it); anything else is refused
    rather than rounded. The default 50/500 ms is ``1B 70 00 19 FA``.
    """
    t1 = _pulse_units(on_ms, "on")
    t2 = _pulse_units(off_ms, "off")
    if t2 < t1:
        raise ValueError("drawer pulse: the off time must not be shorter than the on time")
    return ESC + b"p" + bytes([int(DrawerPin(pin)), t1, t2])


def _pulse_units(ms: int, which: str) -> int:
    if isinstance(ms, bool) or not isinstance(ms, int):
        raise TypeError(f"drawer pulse {which} time must be int milliseconds")
    if ms % PULSE_UNIT_MS or not PULSE_UNIT_MS <= ms <= 255 * PULSE_UNIT_MS:
        raise ValueError(f"drawer pulse {which} time must be an even number of ms in 2..510")
    return ms // PULSE_UNIT_MS


def status_query(n: StatusQuery) -> bytes:
    """``DLE EOT n``: ask for one real-time status byte (answered even while offline)."""
    return DLE + EOT + bytes([int(StatusQuery(n))])
