"""Templates for the sale controller's messages."""

from __future__ import annotations

from pos_app.domain.text import MessageKey
from pos_app.sale.text import SaleText
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, str] = {
    SaleText.RECOVERY_PENDING: QT_TRANSLATE_NOOP(
        "Message", "Wait: unfinished payments are still being checked"),
    SaleText.CART_EMPTY: QT_TRANSLATE_NOOP("Message", "The cart is empty"),
    SaleText.HOLD_AFTER_PAYMENT_TRY: QT_TRANSLATE_NOOP(
        "Message", "A payment was tried for this sale: finish it or clear it (F12), not hold it"),
    SaleText.RECALL_CART_NOT_EMPTY: QT_TRANSLATE_NOOP(
        "Message", "Finish or hold the current sale before recalling a held one"),
    SaleText.NOTHING_HELD: QT_TRANSLATE_NOOP("Message", "No sale is on hold at this till"),
    SaleText.NO_SHIFT: QT_TRANSLATE_NOOP(
        "Message", "No shift is open on this till: open one with the cash in the drawer first"),
    SaleText.PAYING: QT_TRANSLATE_NOOP("Message", "Finish the current payment first"),
    SaleText.PAYING_ITEM_NOT_ADDED: QT_TRANSLATE_NOOP(
        "Message", "Finish the current payment first: {name} was not added"),
    SaleText.PRODUCT_INACTIVE: QT_TRANSLATE_NOOP(
        "Message", "{name}: product is inactive, it cannot be sold (nothing added)"),
    SaleText.PAY_INACTIVE_IN_CART: QT_TRANSLATE_NOOP(
        "Message", "Deactivated since it was rung up, not charged: {names} — remove it (Del) "
        "and pay again"),
    SaleText.RECALL_INACTIVE_REMOVED: QT_TRANSLATE_NOOP(
        "Message", "Product is inactive, removed from the recalled sale: {names}"),
    SaleText.OUTCOME_UNKNOWN: QT_TRANSLATE_NOOP(
        "Message", "Payment outcome unknown: do not charge again"),
    SaleText.CLEAR_UNKNOWN_OUTCOME: QT_TRANSLATE_NOOP(
        "Message", "Order {order_id}: outcome unknown, do not charge again. Press F12 again to clear the sale anyway"),
    SaleText.PAID_LATE_FINISHED: QT_TRANSLATE_NOOP(
        "Message", "Order {order_id} was paid after all: sale finished"),
    SaleText.PAID_LATE_CART_CHANGED: QT_TRANSLATE_NOOP(
        "Message", "Order {order_id} was paid after all: the cart was changed since, check it before charging"),
}
