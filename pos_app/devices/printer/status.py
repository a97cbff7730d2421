"""What an ESC/POS printer says about itself: the ``DLE EOT n`` status bytes, decoded.

Every real-time status byte has bits 0, 1, 4, 7 fixed at 0, 1, 1, 0 (``xxx1 xx10`` with
bit 7 clear, mask ``0x93`` → ``0x12``); a byte that does not is not a status reply and
is refused, so stray data is never read as "ready". Bit meanings (ESC/POS command
reference, DLE EOT):

* n=1 printer:  bit 2 drawer connector pin 3 high, bit 3 offline.
* n=2 offline:  bit 2 cover open, bit 3 paper being fed by the FEED button,
  bit 5 printing stopped by paper end, bit 6 error.
* n=3 error:    bit 3 autocutter error, bit 5 unrecoverable error, bit 6 auto-recoverable
  error (e.g. head overheat).
* n=4 paper:    bits 2+3 roll near end, bits 5+6 roll end (paper not present).

A printer that does not answer is *unknown*, never "ready".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pos_app.devices.printer.escpos import StatusQuery
from pos_app.domain.text import Message, MessageKey, msg, register

FIXED_MASK = 0x93
FIXED_BITS = 0x12


class Condition(StrEnum):
    """The printer's condition as far as the till can tell."""

    READY = "ready"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    ERROR = "error"            # cutter / unrecoverable / auto-recoverable (overheat) error
    OFFLINE = "offline"        # offline for another reason (e.g. FEED button held)
    UNREACHABLE = "unreachable"  # no connection: off, unplugged, wrong address, stalled
    UNKNOWN = "unknown"        # connected, but it does not answer status queries

    @property
    def can_print(self) -> bool:
        """A job may be sent (an unknown printer is tried; only a known fault waits)."""
        return self in (Condition.READY, Condition.UNKNOWN)


@register()
class PrinterStatusText(MessageKey):
    READY = "printer_status.ready"
    PAPER_OUT = "printer_status.paper_out"
    COVER_OPEN = "printer_status.cover_open"
    ERROR = "printer_status.error"
    OFFLINE = "printer_status.offline"
    UNREACHABLE = "printer_status.unreachable"
    UNKNOWN = "printer_status.unknown"
    PAPER_NEAR_END = "printer_status.paper_near_end"


_CONDITION_TEXT = {
    Condition.READY: PrinterStatusText.READY,
    Condition.PAPER_OUT: PrinterStatusText.PAPER_OUT,
    Condition.COVER_OPEN: PrinterStatusText.COVER_OPEN,
    Condition.ERROR: PrinterStatusText.ERROR,
    Condition.OFFLINE: PrinterStatusText.OFFLINE,
    Condition.UNREACHABLE: PrinterStatusText.UNREACHABLE,
    Condition.UNKNOWN: PrinterStatusText.UNKNOWN,
}


def condition_message(condition: Condition) -> Message:
    """The cashier-facing message for a condition."""
    return msg(_CONDITION_TEXT[condition])


class StatusFormatError(ValueError):
    """A reply byte that is not a DLE EOT status byte (fixed bits wrong)."""


def is_status_byte(value: int) -> bool:
    return 0 <= value <= 0xFF and value & FIXED_MASK == FIXED_BITS


def _check(value: int, query: StatusQuery) -> int:
    if not is_status_byte(value):
        raise StatusFormatError(f"not a DLE EOT {int(query)} status byte: {value:#04x}")
    return value


def _bit(value: int, n: int) -> bool:
    return bool(value >> n & 1)


@dataclass(frozen=True)
class PrinterStatus:
    """Decoded replies to DLE EOT 1..4 (``None`` where that query was not answered)."""

    offline: bool
    drawer_pin3_high: bool
    cover_open: bool | None = None
    paper_end_stop: bool | None = None
    error: bool | None = None
    cutter_error: bool | None = None
    unrecoverable_error: bool | None = None
    auto_recoverable_error: bool | None = None
    paper_near_end: bool | None = None
    paper_out: bool | None = None

    @property
    def condition(self) -> Condition:
        """The most specific blocking condition, READY if none."""
        if self.paper_out or self.paper_end_stop:
            return Condition.PAPER_OUT
        if self.cover_open:
            return Condition.COVER_OPEN
        if (self.error or self.cutter_error or self.unrecoverable_error
                or self.auto_recoverable_error):
            return Condition.ERROR
        if self.offline:
            return Condition.OFFLINE
        return Condition.READY

    @property
    def warning(self) -> Message | None:
        """A non-blocking warning (roll nearly empty), if any."""
        return msg(PrinterStatusText.PAPER_NEAR_END) if self.paper_near_end else None


def decode_status(
    printer: int,
    offline: int | None = None,
    error: int | None = None,
    paper: int | None = None,
) -> PrinterStatus:
    """Decode the replies to DLE EOT 1 (required), 2, 3 and 4 (optional)."""
    p = _check(printer, StatusQuery.PRINTER)
    fields: dict[str, bool] = {}
    if offline is not None:
        o = _check(offline, StatusQuery.OFFLINE)
        fields.update(cover_open=_bit(o, 2), paper_end_stop=_bit(o, 5), error=_bit(o, 6))
    if error is not None:
        e = _check(error, StatusQuery.ERROR)
        fields.update(cutter_error=_bit(e, 3), unrecoverable_error=_bit(e, 5),
                      auto_recoverable_error=_bit(e, 6))
    if paper is not None:
        s = _check(paper, StatusQuery.PAPER)
        fields.update(paper_near_end=_bit(s, 2) or _bit(s, 3),
                      paper_out=_bit(s, 5) or _bit(s, 6))
    return PrinterStatus(offline=_bit(p, 3), drawer_pin3_high=_bit(p, 2), **fields)
