"""What the sale controller says to the cashier (keys; the UI renders them)."""

from __future__ import annotations

from pos_app.domain.text import MessageKey, register


@register({
    "sale.paying_item_not_added": ("name",),
    "sale.product_inactive": ("name",),
    "sale.recall_inactive_removed": ("names",),
    "sale.pay_inactive_in_cart": ("names",),
    "sale.clear_unknown_outcome": ("order_id",),
    "sale.paid_late_finished": ("order_id",),
    "sale.paid_late_cart_changed": ("order_id",),
})
class SaleText(MessageKey):
    RECOVERY_PENDING = "sale.recovery_pending"
    CART_EMPTY = "sale.cart_empty"
    PAYING = "sale.paying"
    PAYING_ITEM_NOT_ADDED = "sale.paying_item_not_added"
    OUTCOME_UNKNOWN = "sale.outcome_unknown"
    CLEAR_UNKNOWN_OUTCOME = "sale.clear_unknown_outcome"
    PAID_LATE_FINISHED = "sale.paid_late_finished"
    PAID_LATE_CART_CHANGED = "sale.paid_late_cart_changed"
    NO_SHIFT = "sale.no_shift"
    HOLD_AFTER_PAYMENT_TRY = "sale.hold_after_payment_try"
    RECALL_CART_NOT_EMPTY = "sale.recall_cart_not_empty"
    NOTHING_HELD = "sale.nothing_held"
    PRODUCT_INACTIVE = "sale.product_inactive"
    PAY_INACTIVE_IN_CART = "sale.pay_inactive_in_cart"   # deactivated after it was rung up
    RECALL_INACTIVE_REMOVED = "sale.recall_inactive_removed"
