"""What the payment core says to the cashier about an attempt, as message keys.

Rendered by the UI (``pos_app/ui/texts/payments.py``, Chinese in
``resources/i18n/zh_CN/payments.py``); stored in the attempt row as ``Message.to_json()``.
Nothing here knows a channel's codes: refusals arrive as
:class:`~pos_app.payments.gateway.RefusalReason` and map to one key each.
"""

from __future__ import annotations

import json

from pos_app.domain.text import Message, MessageKey, msg, register
from pos_app.payments.gateway import RefusalReason


@register({
    "payment.uncertain_amount": ("paid_fen", "expected_fen"),
    "payment.cash_paid": ("change_fen",),
    "payment.refused.merchant_config": ("detail",),
    "payment.refused.other": ("detail",),
    "payment.legacy_text": ("text",),
    "payment.refused_start.tendered_short": ("tendered_fen", "total_fen"),
    "payment.refused_start.no_such_order": ("order_id",),
    "payment.disk_low": ("free_mb",),
})
class PaymentText(MessageKey):
    PAID = "payment.paid"
    PAID_LATE = "payment.paid_late"
    WAITING_PASSWORD = "payment.waiting_password"
    WAITING_SCAN = "payment.waiting_scan"
    CHARGING = "payment.charging"
    CHECKING = "payment.checking"
    CANCELLED_BEFORE_SEND = "payment.cancelled_before_send"
    CLOSED_EXPIRED = "payment.closed_expired"
    CLOSED_CANCELLED = "payment.closed_cancelled"
    CLOSED_PREPAY_FAILED = "payment.closed_prepay_failed"
    CLOSED_NEVER_CREATED = "payment.closed_never_created"
    CLOSED_OTHER_CHANNEL = "payment.closed_other_channel"   # the pair's other QR was paid
    PAID_TWICE = "payment.paid_twice"         # both QRs of a pair paid: a refund is owed
    REVERSED_TIMEOUT = "payment.reversed_timeout"
    REVERSED_CANCELLED = "payment.reversed_cancelled"
    REVERSED_PAYERROR = "payment.reversed_payerror"
    REVERSED_UNKNOWN = "payment.reversed_unknown"
    FAILED_NOT_FOUND = "payment.failed_not_found"
    UNCERTAIN_REVERSE = "payment.uncertain_reverse"
    UNCERTAIN_CLOSE = "payment.uncertain_close"
    UNCERTAIN_OFFLINE = "payment.uncertain_offline"
    UNCERTAIN_INTERNAL = "payment.uncertain_internal"
    UNCERTAIN_AMOUNT = "payment.uncertain_amount"
    NOT_SENT_OFFLINE = "payment.not_sent_offline"   # never left the till: not charged
    PAID_UNSAVED = "payment.paid_unsaved"     # paid, but the disk refuses the write
    UNSAVED = "payment.unsaved"               # a result the disk refuses to store
    DISK_FULL = "payment.disk_full"           # status area: the till cannot write
    DISK_LOW = "payment.disk_low"             # status area / start-up: little space left
    CASH_PAID = "payment.cash_paid"
    CASH_UNFINISHED = "payment.cash_unfinished"
    REFUSED_CODE_EXPIRED = "payment.refused.code_expired"
    REFUSED_CODE_USED = "payment.refused.code_used"
    REFUSED_CODE_INVALID = "payment.refused.code_invalid"
    REFUSED_INSUFFICIENT_BALANCE = "payment.refused.insufficient_balance"
    REFUSED_CARD_NOT_SUPPORTED = "payment.refused.card_not_supported"
    REFUSED_PAYER_MISMATCH = "payment.refused.payer_mismatch"
    REFUSED_RISK_CONTROL = "payment.refused.risk_control"
    REFUSED_RESTRICTED = "payment.refused.restricted"
    REFUSED_ACCOUNT_ABNORMAL = "payment.refused.account_abnormal"
    REFUSED_MERCHANT_PERMISSION = "payment.refused.merchant_permission"
    REFUSED_MERCHANT_CREDENTIALS = "payment.refused.merchant_credentials"
    REFUSED_MERCHANT_CONFIG = "payment.refused.merchant_config"
    REFUSED_PARAMS = "payment.refused.params"
    REFUSED_NUMBER_COLLISION = "payment.refused.number_collision"
    REFUSED_OTHER = "payment.refused.other"
    LEGACY_TEXT = "payment.legacy_text"   # a row written before messages were keys
    # a payment refused before anything was stored or sent (PaymentRefused)
    CART_EMPTY = "payment.refused_start.cart_empty"
    NOT_A_WECHAT_CODE = "payment.refused_start.not_a_wechat_code"
    CHANNEL_NOT_ENABLED = "payment.refused_start.channel_not_enabled"
    TENDERED_INVALID = "payment.refused_start.tendered_invalid"
    TENDERED_SHORT = "payment.refused_start.tendered_short"
    NO_SUCH_ORDER = "payment.refused_start.no_such_order"
    ORDER_ALREADY_PAID = "payment.refused_start.order_already_paid"
    ORDER_NOT_OPEN = "payment.refused_start.order_not_open"
    ORDER_UNCERTAIN = "payment.refused_start.order_uncertain"
    ORDER_IN_PROGRESS = "payment.refused_start.order_in_progress"
    ORDER_BUSY = "payment.refused_start.order_busy"
    ZERO_AMOUNT = "payment.refused_start.zero_amount"
    RECOVERY_PENDING = "payment.refused_start.recovery_pending"
    CANNOT_SAVE = "payment.refused_start.cannot_save"   # disk full: no new sale


P = PaymentText

REFUSAL_KEYS: dict[RefusalReason, PaymentText] = {
    reason: PaymentText(f"payment.refused.{reason.value}") for reason in RefusalReason
}


def refused(reason: RefusalReason, detail: str) -> Message:
    """The cashier's text for a refusal (every refusal text says nothing was charged)."""
    key = REFUSAL_KEYS[reason]
    if key.params:
        return msg(key, detail=detail or reason.value)
    return msg(key)


def uncertain_amount(paid: int, expected: int) -> Message:
    """The order was paid, but not the amount we asked for: a manager must sort it out."""
    return msg(P.UNCERTAIN_AMOUNT, paid_fen=paid, expected_fen=expected)


def cash_paid(change: int) -> Message:
    return msg(P.CASH_PAID, change_fen=change)


def stored(message: Message) -> str:
    """The attempt row's ``message`` column value."""
    return message.to_json()


def from_stored(text: str) -> Message | None:
    """Inverse of :func:`stored`; a row from before keys (plain text) stays readable."""
    if not text:
        return None
    try:
        return Message.from_json(text)
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        return msg(P.LEGACY_TEXT, text=text)
