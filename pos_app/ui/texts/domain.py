"""Templates for the domain's messages: input errors (cart edits, amounts), scan results."""

from __future__ import annotations

from pos_app.domain.cart import CartText
from pos_app.domain.money import MoneyText
from pos_app.domain.scan import ScanText
from pos_app.domain.text import MessageKey
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, str] = {
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
    CartText.PERCENT_OUT_OF_RANGE: QT_TRANSLATE_NOOP(
        "Message", "A percentage must be between 0% and 100% (for example 10% or 12.5%)"),
    MoneyText.NOT_AN_AMOUNT: QT_TRANSLATE_NOOP("Message", "Not an amount (for example 12.50)"),
    ScanText.WECHAT: QT_TRANSLATE_NOOP("Message", "WeChat payment code"),
    ScanText.PRODUCT: QT_TRANSLATE_NOOP("Message", "Product barcode"),
    ScanText.ALIPAY: QT_TRANSLATE_NOOP("Message", "Alipay payment code"),
    ScanText.ALIPAY_REFUSED: QT_TRANSLATE_NOOP(
        "Message", "Alipay is not enabled for this shop; please use another way to pay"),
    ScanText.EMPTY: QT_TRANSLATE_NOOP("Message", "Nothing was scanned; please scan again"),
    ScanText.BAD_CHECK_DIGIT: QT_TRANSLATE_NOOP(
        "Message", "Barcode check digit is wrong; please scan again"),
    ScanText.NOT_WECHAT: QT_TRANSLATE_NOOP(
        "Message", "Not a valid WeChat payment code (18 digits starting 10–15)"),
    ScanText.UNRECOGNISED: QT_TRANSLATE_NOOP("Message", "Unrecognised barcode"),
}
