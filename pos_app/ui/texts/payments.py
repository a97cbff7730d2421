"""Templates for what the payment core says about an attempt (pos_app.payments.messages)."""

from __future__ import annotations

from pos_app.domain.text import MessageKey
from pos_app.payments.messages import PaymentText as P
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, str] = {
    P.PAID: QT_TRANSLATE_NOOP("Message", "Paid"),
    P.PAID_LATE: QT_TRANSLATE_NOOP(
        "Message", "Paid late: the customer's payment went through after all — the sale "
        "is paid (refund it if the customer no longer wants it)"),
    P.WAITING_PASSWORD: QT_TRANSLATE_NOOP(
        "Message", "Waiting for the customer to enter the password…"),
    P.WAITING_SCAN: QT_TRANSLATE_NOOP("Message", "Ask the customer to scan the QR code and pay"),
    P.CHARGING: QT_TRANSLATE_NOOP("Message", "Charging the payment code…"),
    P.CHECKING: QT_TRANSLATE_NOOP(
        "Message", "Network problem: checking the result — do not charge again…"),
    P.CANCELLED_BEFORE_SEND: QT_TRANSLATE_NOOP("Message", "Cancelled, nothing charged"),
    P.CLOSED_EXPIRED: QT_TRANSLATE_NOOP(
        "Message", "QR code expired, order closed, nothing charged"),
    P.CLOSED_CANCELLED: QT_TRANSLATE_NOOP("Message", "Cancelled, order closed, nothing charged"),
    P.CLOSED_OTHER_CHANNEL: QT_TRANSLATE_NOOP(
        "Message", "Paid with the other channel: this QR is closed, nothing charged"),
    P.PAID_TWICE: QT_TRANSLATE_NOOP(
        "Message", "PAID TWICE: the customer also paid the other QR — refund this payment"),
    P.CLOSED_PREPAY_FAILED: QT_TRANSLATE_NOOP(
        "Message", "Could not create the QR code (network), nothing charged"),
    P.CLOSED_NEVER_CREATED: QT_TRANSLATE_NOOP(
        "Message", "The payment service has no such order, nothing charged"),
    P.REVERSED_TIMEOUT: QT_TRANSLATE_NOOP(
        "Message", "The customer did not pay in time: reversed, nothing charged"),
    P.REVERSED_CANCELLED: QT_TRANSLATE_NOOP("Message", "Cancelled and reversed, nothing charged"),
    P.REVERSED_PAYERROR: QT_TRANSLATE_NOOP(
        "Message", "The customer's payment failed: reversed, nothing charged"),
    P.REVERSED_UNKNOWN: QT_TRANSLATE_NOOP(
        "Message", "Outcome unknown, reversed: any charge will be refunded"),
    P.FAILED_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Message", "The payment service received no such charge, nothing charged"),
    P.UNCERTAIN_REVERSE: QT_TRANSLATE_NOOP(
        "Message", "Reverse failed, outcome unknown: do not charge again; retry later"),
    P.UNCERTAIN_CLOSE: QT_TRANSLATE_NOOP(
        "Message", "Close failed, the customer may still pay: do not charge again"),
    P.UNCERTAIN_OFFLINE: QT_TRANSLATE_NOOP(
        "Message", "The payment service is unreachable, outcome unknown: do not charge again; "
        "retry when online"),
    P.UNCERTAIN_INTERNAL: QT_TRANSLATE_NOOP(
        "Message", "Internal error, outcome unknown: do not charge again; retry later"),
    P.UNCERTAIN_AMOUNT: QT_TRANSLATE_NOOP(
        "Message", "The payment service reports {paid_fen} paid but {expected_fen} was due: do not "
        "charge again, ask the manager to check"),
    P.NOT_SENT_OFFLINE: QT_TRANSLATE_NOOP(
        "Message", "Network down: the payment service could not be reached, nothing was charged — "
        "take cash, or try again when the network is back"),
    P.PAID_UNSAVED: QT_TRANSLATE_NOOP(
        "Message", "Payment received, cannot save: free disk space (the till saves it as "
        "soon as it can)"),
    P.UNSAVED: QT_TRANSLATE_NOOP(
        "Message", "Cannot save the payment result: free disk space — do not charge again "
        "(the till retries by itself)"),
    P.DISK_FULL: QT_TRANSLATE_NOOP(
        "Message", "Cannot save: free disk space — no new sale until the till can write"),
    P.DISK_LOW: QT_TRANSLATE_NOOP(
        "Message", "Low disk space: {free_mb} MB free — free some space"),
    P.CASH_PAID: QT_TRANSLATE_NOOP("Message", "Cash received, change {change_fen}"),
    P.CASH_UNFINISHED: QT_TRANSLATE_NOOP("Message", "Cash payment not completed, not booked"),
    P.REFUSED_CODE_EXPIRED: QT_TRANSLATE_NOOP(
        "Message", "Payment code expired: ask the customer to refresh it and scan again "
        "(nothing charged)"),
    P.REFUSED_CODE_USED: QT_TRANSLATE_NOOP(
        "Message", "Payment code already used (each code works once): ask the customer to "
        "refresh it (nothing charged)"),
    P.REFUSED_CODE_INVALID: QT_TRANSLATE_NOOP(
        "Message", "Invalid payment code: scan the code shown in the customer's WeChat or Alipay "
        "(nothing charged)"),
    P.REFUSED_INSUFFICIENT_BALANCE: QT_TRANSLATE_NOOP(
        "Message", "Insufficient balance: ask the customer to use another card or method "
        "(nothing charged)"),
    P.REFUSED_CARD_NOT_SUPPORTED: QT_TRANSLATE_NOOP(
        "Message", "The customer's card is not supported here: ask for another method "
        "(nothing charged)"),
    P.REFUSED_PAYER_MISMATCH: QT_TRANSLATE_NOOP(
        "Message", "The payer does not match the order: start a new sale (nothing charged)"),
    P.REFUSED_RISK_CONTROL: QT_TRANSLATE_NOOP(
        "Message", "Payment refused (risk control or no usable method): ask for another "
        "method (nothing charged)"),
    P.REFUSED_RESTRICTED: QT_TRANSLATE_NOOP(
        "Message", "Payment restricted: ask for another method (nothing charged)"),
    P.REFUSED_ACCOUNT_ABNORMAL: QT_TRANSLATE_NOOP(
        "Message", "The customer's account is restricted: ask for another method "
        "(nothing charged)"),
    P.REFUSED_MERCHANT_PERMISSION: QT_TRANSLATE_NOOP(
        "Message", "The merchant account lacks this permission: ask the administrator to "
        "check the payment setup (nothing charged)"),
    P.REFUSED_MERCHANT_CREDENTIALS: QT_TRANSLATE_NOOP(
        "Message", "Signature rejected: ask the administrator to check the merchant "
        "certificate (nothing charged)"),
    P.REFUSED_MERCHANT_CONFIG: QT_TRANSLATE_NOOP(
        "Message", "Payment channel configuration error: {detail} (nothing charged)"),
    P.REFUSED_PARAMS: QT_TRANSLATE_NOOP("Message", "Request refused as invalid, nothing charged"),
    P.REFUSED_NUMBER_COLLISION: QT_TRANSLATE_NOOP(
        "Message", "Order number already used: start the payment again (nothing charged)"),
    P.REFUSED_OTHER: QT_TRANSLATE_NOOP("Message", "Payment failed: {detail} (nothing charged)"),
    P.LEGACY_TEXT: QT_TRANSLATE_NOOP("Message", "Note: {text}"),
    P.CART_EMPTY: QT_TRANSLATE_NOOP("Message", "The cart is empty"),
    P.NOT_A_WECHAT_CODE: QT_TRANSLATE_NOOP(
        "Message", "Not a payment code (WeChat: 18 digits starting with 10–15; Alipay: "
        "16–24 digits starting with 25–30): scan again"),
    P.CHANNEL_NOT_ENABLED: QT_TRANSLATE_NOOP(
        "Message", "This payment channel is not enabled for this shop: ask for another way "
        "to pay (nothing charged)"),
    P.TENDERED_INVALID: QT_TRANSLATE_NOOP("Message", "The amount tendered is not valid"),
    P.TENDERED_SHORT: QT_TRANSLATE_NOOP(
        "Message", "Tendered {tendered_fen} is less than the {total_fen} due"),
    P.NO_SUCH_ORDER: QT_TRANSLATE_NOOP("Message", "Order {order_id} does not exist"),
    P.ORDER_ALREADY_PAID: QT_TRANSLATE_NOOP(
        "Message", "This order is already paid: do not charge again"),
    P.ORDER_NOT_OPEN: QT_TRANSLATE_NOOP("Message", "This order was voided or refunded"),
    P.ORDER_UNCERTAIN: QT_TRANSLATE_NOOP(
        "Message", "This order has a payment whose outcome is unknown: do not charge again, "
        "confirm it first"),
    P.ORDER_IN_PROGRESS: QT_TRANSLATE_NOOP("Message", "This order has a payment in progress"),
    P.ORDER_BUSY: QT_TRANSLATE_NOOP(
        "Message", "This order has a payment in progress, with an unknown outcome, or paid"),
    P.ZERO_AMOUNT: QT_TRANSLATE_NOOP("Message", "The amount is 0: no payment needed"),
    P.RECOVERY_PENDING: QT_TRANSLATE_NOOP(
        "Message", "Checking unfinished payments, please wait"),
    P.CANNOT_SAVE: QT_TRANSLATE_NOOP(
        "Message", "Cannot save: free disk space — no new sale until the till can write"),
}
