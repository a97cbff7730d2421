"""Templates for scale-label barcode errors (pos_app/domain/scale_barcode.py)."""

from __future__ import annotations

from pos_app.domain.scale_barcode import ScaleText
from pos_app.domain.text import MessageKey
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, object] = {  # QT_TRANSLATE_NOOP returns its source
    ScaleText.NOT_DIGITS: QT_TRANSLATE_NOOP("Message", "A scale label barcode has digits only"),
    ScaleText.WRONG_LENGTH: QT_TRANSLATE_NOOP(
        "Message", "A scale label barcode has 13 digits, this one has {length}"),
    ScaleText.NOT_A_SCALE_CODE: QT_TRANSLATE_NOOP(
        "Message", "Not a scale label of the configured format"),
    ScaleText.BAD_CHECK_DIGIT: QT_TRANSLATE_NOOP(
        "Message", "The barcode check digit is wrong: scan the label again"),
    ScaleText.BAD_VALUE_CHECK_DIGIT: QT_TRANSLATE_NOOP(
        "Message", "The price or weight check digit is wrong: scan again or reprint the label"),
    ScaleText.ZERO_VALUE: QT_TRANSLATE_NOOP(
        "Message", "The label shows no price or weight: weigh the item again"),
    ScaleText.UNIT_PRICE_MISSING: QT_TRANSLATE_NOOP(
        "Message", "Item {item_code} has no price per kg: set it in the products"),
    ScaleText.UNIT_PRICE_INVALID: QT_TRANSLATE_NOOP(
        "Message", "The price per kg must be a whole number of fen, zero or more"),
    ScaleText.LAYOUT_LENGTH: QT_TRANSLATE_NOOP(
        "Message", "The scale barcode format must add up to 13 digits (now {total})"),
    ScaleText.LAYOUT_FLAG: QT_TRANSLATE_NOOP(
        "Message", "The scale barcode flags must be digits starting with 2, all the same length"),
    ScaleText.LAYOUT_PART: QT_TRANSLATE_NOOP(
        "Message", "The item code and the value need at least one digit each"),
    ScaleText.LAYOUT_DECIMALS: QT_TRANSLATE_NOOP(
        "Message", "Decimals: 0 to 2 for a price, 0 to 3 for a weight in kg"),
    ScaleText.LAYOUT_VALUE_CHECK: QT_TRANSLATE_NOOP(
        "Message", "A price or weight check digit needs a 4- or 5-digit value"),
}
