"""Templates for the X/Z report's discount, cash-movement, approval and blind-count
labels, and for the cash in / cash out refusals (:mod:`pos_app.manager.cash_movements`)."""

from __future__ import annotations

from pos_app.domain.text import MessageKey
from pos_app.manager.cash_movements import CashText as C
from pos_app.manager.reports import ReportText as R
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, str] = {
    R.APPROVED_BY: QT_TRANSLATE_NOOP("Message", "Approved by"),
    R.DISCOUNTS: QT_TRANSLATE_NOOP("Message", "Discounts given"),
    R.DISCOUNT_LINE: QT_TRANSLATE_NOOP("Message", "Line amounts"),
    R.DISCOUNT_PERCENT: QT_TRANSLATE_NOOP("Message", "Percentages"),
    R.DISCOUNT_ORDER: QT_TRANSLATE_NOOP("Message", "Order amounts"),
    R.DISCOUNT_ROUND_OFF: QT_TRANSLATE_NOOP("Message", "Rounding off"),
    R.CASH_MOVEMENTS: QT_TRANSLATE_NOOP("Message", "Cash in / out"),
    R.CASH_IN: QT_TRANSLATE_NOOP("Message", "Cash in"),
    R.CASH_OUT: QT_TRANSLATE_NOOP("Message", "Cash out"),
    R.BLIND: QT_TRANSLATE_NOOP("Message", "Expected cash: counted blind at the Z"),
    C.AMOUNT_OUT_OF_RANGE: QT_TRANSLATE_NOOP(
        "Message", "The amount must be more than ¥0 and at most {max_fen}"),
    C.REASON_REQUIRED: QT_TRANSLATE_NOOP("Message", "A reason is required"),
    C.REASON_TOO_LONG: QT_TRANSLATE_NOOP(
        "Message", "The reason for the cash in or out may be at most {max} characters"),
    C.MORE_THAN_DRAWER: QT_TRANSLATE_NOOP(
        "Message", "That is more cash than the drawer should hold"),
}
