"""Templates for cash drawer messages (pos_app/devices/drawer.py)."""

from __future__ import annotations

from pos_app.devices.drawer import DrawerText
from pos_app.domain.text import MessageKey
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, object] = {  # QT_TRANSLATE_NOOP returns its source
    DrawerText.NOT_OPENED: QT_TRANSLATE_NOOP(
        "Message", "The cash drawer did not open: open it with its key"),
    DrawerText.NO_SALE_NEEDS_AUTHORISATION: QT_TRANSLATE_NOOP(
        "Message", "Opening the drawer without a sale needs a manager"),
}
