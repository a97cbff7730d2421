"""Templates for the domain's input errors (cart edits, amounts)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from pos_app.domain.cart import CartText
from pos_app.domain.money import MoneyText
from pos_app.domain.text import MessageKey

TEMPLATES: dict[MessageKey, object] = {  # QT_TRANSLATE_NOOP returns its source
    CartText.QUANTITY_TOO_SMALL: QT_TRANSLATE_NOOP("Message", "The quantity must be at least 1"),
    CartText.QUANTITY_TOO_LARGE: QT_TRANSLATE_NOOP("Message", "The quantity must be at most {max}"),
    CartText.QUANTITY_OUT_OF_RANGE: QT_TRANSLATE_NOOP(
        "Message", "The quantity must be between 1 and {max}"),
    CartText.LINE_DISCOUNT_EXCEEDS_LINE: QT_TRANSLATE_NOOP(
        "Message", "The line discount would exceed the line amount"),
    CartText.LINE_DISCOUNT_OUT_OF_RANGE: QT_TRANSLATE_NOOP(
        "Message", "A line discount must be between 0 and the line amount"),
    CartText.ORDER_DISCOUNT_OUT_OF_RANGE: QT_TRANSLATE_NOOP(
        "Message", "The order discount must be between 0 and the subtotal"),
    CartText.NO_SUCH_LINE: QT_TRANSLATE_NOOP("Message", "No such line"),
    MoneyText.NOT_AN_AMOUNT: QT_TRANSLATE_NOOP("Message", "Not an amount (for example 12.50)"),
}
