"""Templates for printer conditions (pos_app/devices/printer/status.py)."""

from __future__ import annotations

from pos_app.devices.printer.status import PrinterStatusText
from pos_app.domain.text import MessageKey
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, object] = {  # QT_TRANSLATE_NOOP returns its source
    PrinterStatusText.READY: QT_TRANSLATE_NOOP("Message", "Printer ready"),
    PrinterStatusText.PAPER_OUT: QT_TRANSLATE_NOOP(
        "Message", "The printer is out of paper: load paper, waiting receipts then print"),
    PrinterStatusText.COVER_OPEN: QT_TRANSLATE_NOOP(
        "Message", "The printer cover is open: close it, waiting receipts then print"),
    PrinterStatusText.ERROR: QT_TRANSLATE_NOOP(
        "Message", "The printer reports an error (cutter or overheating): check it"),
    PrinterStatusText.OFFLINE: QT_TRANSLATE_NOOP("Message", "The printer is offline"),
    PrinterStatusText.UNREACHABLE: QT_TRANSLATE_NOOP(
        "Message", "Cannot reach the printer: check that it is on and connected; "
                   "receipts wait and print when it is back"),
    PrinterStatusText.UNKNOWN: QT_TRANSLATE_NOOP(
        "Message", "The printer does not report its status"),
    PrinterStatusText.PAPER_NEAR_END: QT_TRANSLATE_NOOP(
        "Message", "The printer paper roll is nearly empty"),
}
