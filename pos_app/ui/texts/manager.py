"""Templates for the manager features (PINs and staff, shifts, refunds, reconciliation)."""

from __future__ import annotations

from pos_app.domain.text import MessageKey
from pos_app.manager.messages import ManagerText as M
from pos_app.manager.reports import ReportText as R
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, str] = {
    M.PIN_LENGTH: QT_TRANSLATE_NOOP("Message", "The PIN must be 4–8 digits"),
    M.PIN_ONE_DIGIT: QT_TRANSLATE_NOOP("Message", "The PIN must not repeat one digit"),
    M.PIN_SEQUENCE: QT_TRANSLATE_NOOP("Message", "The PIN must not be a run like 1-2-3-4"),
    M.PIN_SAME_AS_OLD: QT_TRANSLATE_NOOP("Message", "The new PIN must differ from the old"),
    M.AUTH_WRONG_PIN: QT_TRANSLATE_NOOP("Message", "Wrong user or PIN"),
    M.AUTH_WRONG_PIN_TRIES_LEFT: QT_TRANSLATE_NOOP(
        "Message", "Wrong user or PIN ({left} tries left)"),
    M.AUTH_LOCKED: QT_TRANSLATE_NOOP(
        "Message", "Too many wrong PINs: account locked, try again later"),
    M.AUTH_NOW_LOCKED: QT_TRANSLATE_NOOP(
        "Message", "Too many wrong PINs: account locked for a while"),
    M.AUTH_MAY_NOT_APPROVE: QT_TRANSLATE_NOOP("Message", "This user may not approve this action"),
    M.AUTH_APPROVAL_FOR_OTHER_ACTION: QT_TRANSLATE_NOOP(
        "Message", "This needs an approval for that action"),
    M.STAFF_NAME_LENGTH: QT_TRANSLATE_NOOP("Message", "The user name must be 1–32 characters"),
    M.STAFF_NAME_TAKEN: QT_TRANSLATE_NOOP("Message", "That user name is taken"),
    M.STAFF_NO_SUCH_USER: QT_TRANSLATE_NOOP("Message", "No such user"),
    M.STAFF_FIRST_MUST_BE_ADMIN: QT_TRANSLATE_NOOP(
        "Message", "The first account must be an admin (--role admin)"),
    M.STAFF_NEEDS_APPROVER: QT_TRANSLATE_NOOP("Message", "This needs --approver NAME (an admin)"),
    M.STAFF_PINS_DIFFER: QT_TRANSLATE_NOOP("Message", "The two PINs differ"),
    M.SHIFT_ALREADY_OPEN: QT_TRANSLATE_NOOP("Message", "A shift is already open"),
    M.SHIFT_NO_SUCH_OPEN: QT_TRANSLATE_NOOP("Message", "No such open shift"),
    M.SHIFT_NONE_OPEN: QT_TRANSLATE_NOOP("Message", "No open shift: open one first"),
    M.SHIFT_FLOAT_OUT_OF_RANGE: QT_TRANSLATE_NOOP(
        "Message", "The opening float must be between 0 and {max_fen}"),
    M.SHIFT_COUNTED_CASH_OUT_OF_RANGE: QT_TRANSLATE_NOOP(
        "Message", "The counted cash must be between 0 and {max_fen}"),
    M.SHIFT_PAYMENTS_UNRESOLVED: QT_TRANSLATE_NOOP(
        "Message", "{count} payment(s) still unresolved: settle them before closing the shift"),
    M.REFUND_EXCEEDS_REFUNDABLE: QT_TRANSLATE_NOOP(
        "Message", "Refund exceeds the refundable amount {refundable_fen}"),
    M.REFUND_REASON_REQUIRED: QT_TRANSLATE_NOOP("Message", "A refund reason is required"),
    M.REFUND_REASON_TOO_LONG: QT_TRANSLATE_NOOP(
        "Message", "The reason may be at most {max} characters"),
    M.REFUND_CHOOSE_MODE: QT_TRANSLATE_NOOP(
        "Message", "Choose a full, by-line, by-amount or paid-twice refund"),
    M.REFUND_AMOUNT_NOT_FEN: QT_TRANSLATE_NOOP("Message", "Amount must be integer fen"),
    M.REFUND_NOTHING_TO_REFUND: QT_TRANSLATE_NOOP("Message", "Nothing to refund"),
    M.REFUND_ORDER_NOT_FOUND: QT_TRANSLATE_NOOP("Message", "Original order not found"),
    M.REFUND_NOT_FOUND: QT_TRANSLATE_NOOP("Message", "Refund not found"),
    M.REFUND_OFFLINE: QT_TRANSLATE_NOOP("Message", "Offline: WeChat refunds unavailable"),
    M.REFUND_INVALID_LINE: QT_TRANSLATE_NOOP("Message", "Invalid refund line or quantity"),
    M.REFUND_LINE_QUANTITY_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Message", "At most {remaining} of {name} can still be refunded"),
    M.REFUND_TOO_OLD: QT_TRANSLATE_NOOP(
        "Message", "Paid more than a year ago: cannot refund to WeChat Pay"),
    M.REFUND_TOO_OLD_ALIPAY: QT_TRANSLATE_NOOP(
        "Message", "Paid more than 3 months ago: Alipay no longer refunds it (give the money "
        "back another way)"),
    M.REFUND_TOO_MANY_REFUNDS: QT_TRANSLATE_NOOP(
        "Message", "This payment already has {max} refunds (the maximum)"),
    M.REFUND_NOTHING_OWED: QT_TRANSLATE_NOOP(
        "Message", "Nothing is owed back on this order: it was not paid twice, or the extra "
        "payment has been refunded"),
    M.REFUND_OWED_EXCEEDS_PAYMENT: QT_TRANSLATE_NOOP(
        "Message", "The extra payment has only {left_fen} left to refund, less than the "
        "{owed_fen} owed: refund by amount instead"),
    M.REFUND_PENDING: QT_TRANSLATE_NOOP(
        "Message", "Refund outcome unknown: retry later (same refund number, no double refund)"),
    M.REFUND_PROCESSING: QT_TRANSLATE_NOOP(
        "Message", "Refund processing: balance ~5 min, bank card 1–3 working days"),
    M.REFUND_SUCCESS: QT_TRANSLATE_NOOP("Message", "Refund succeeded"),
    M.REFUND_CLOSED: QT_TRANSLATE_NOOP(
        "Message", "Refund closed, nothing was refunded; start a new refund if needed"),
    M.REFUND_ABNORMAL: QT_TRANSLATE_NOOP(
        "Message", "Refund abnormal: the customer's account cannot receive it (card "
        "cancelled or frozen). In the merchant portal use abnormal-refund handling to "
        "refund to another account of the customer, or refund offline and mark it there"),
    M.REFUND_REFUSED_BALANCE: QT_TRANSLATE_NOOP(
        "Message", "Refund refused, nothing was refunded: the merchant account balance is "
        "too low. Top up the balance in the merchant portal, then refund again"),
    M.REFUND_THROTTLED: QT_TRANSLATE_NOOP(
        "Message", "WeChat Pay did not accept the refund yet (refunds of one order must be "
        "a minute apart, or too many requests). Retry after {at}: same refund number, "
        "no double refund"),
    M.REFUND_PROCESSING_LONG: QT_TRANSLATE_NOOP(
        "Message", "Refund still processing: refunds to a bank card take up to {days} "
        "working days; nothing to do, check again later"),
    M.REFUND_REFUSED: QT_TRANSLATE_NOOP("Message", "Refund refused, nothing was refunded"),
    M.REFUND_REFUSED_DETAIL: QT_TRANSLATE_NOOP(
        "Message", "Refund refused, nothing was refunded: {detail}"),
    M.REFUND_GIVE_BACK_CASH: QT_TRANSLATE_NOOP(
        "Message", "Give back {amount_fen} in cash from the drawer"),
    M.REFUND_FOLLOWED_SUCCESS: QT_TRANSLATE_NOOP(
        "Message", "Refund {out_refund_no} of {amount_fen}: succeeded"),
    M.REFUND_FOLLOWED_CLOSED: QT_TRANSLATE_NOOP(
        "Message", "Refund {out_refund_no} of {amount_fen}: closed by the payment service, "
        "nothing refunded"),
    M.REFUND_FOLLOWED_ABNORMAL: QT_TRANSLATE_NOOP(
        "Message", "Refund {out_refund_no} of {amount_fen}: abnormal, the customer's account "
        "cannot receive it — handle it in the merchant portal"),
    M.RECONCILE_MALFORMED_BILL: QT_TRANSLATE_NOOP("Message", "Malformed trade bill: {why}"),
    M.RECONCILE_NOT_SETTLED: QT_TRANSLATE_NOOP(
        "Message", "That day is not over yet: a day's bill is ready after 10:00 the next "
        "morning. Choose yesterday or earlier"),
    M.RECONCILE_BILL_NOT_READY: QT_TRANSLATE_NOOP(
        "Message", "The bill for that day is not available yet (generated after 10:00 the "
        "next morning): try again later"),
    M.RECONCILE_SETTLEMENT_MISMATCH: QT_TRANSLATE_NOOP(
        "Message", "Settlement differs (a merchant-funded coupon?)"),
    M.RECONCILE_NO_TRADES: QT_TRANSLATE_NOOP(
        "Message", "The payment channel has no trades of this shop on that day"),
    M.RECONCILE_REMOTE_ONLY_PAYMENT: QT_TRANSLATE_NOOP("Message", "Paid in the bill, missing locally"),
    M.RECONCILE_LOCAL_ONLY_PAYMENT: QT_TRANSLATE_NOOP("Message", "Paid locally, not in the bill"),
    M.RECONCILE_AMOUNT_MISMATCH: QT_TRANSLATE_NOOP("Message", "Amounts differ"),
    M.RECONCILE_REMOTE_ONLY_REFUND: QT_TRANSLATE_NOOP(
        "Message", "Refund in the bill, missing locally"),
    M.RECONCILE_LOCAL_ONLY_REFUND: QT_TRANSLATE_NOOP("Message", "Local refund, not in the bill"),
    M.RECONCILE_REFUND_AMOUNT_MISMATCH: QT_TRANSLATE_NOOP("Message", "Refund amounts differ"),
    M.RECONCILE_REFUND_STATUS_MISMATCH: QT_TRANSLATE_NOOP("Message", "Refund states differ"),
    M.RECONCILE_NOT_FIXABLE: QT_TRANSLATE_NOOP(
        "Message", "This mismatch cannot be fixed automatically"),
    M.RECONCILE_REQUERY_NOT_PAID: QT_TRANSLATE_NOOP(
        "Message", "Re-query: not paid at the payment channel, nothing recorded"),
    M.RECONCILE_REQUERY_AMOUNT_DIFFERS: QT_TRANSLATE_NOOP(
        "Message", "Re-queried amount differs from the bill: check by hand"),
    M.RECONCILE_LOCAL_ATTEMPT_FINAL: QT_TRANSLATE_NOOP(
        "Message", "The local attempt is final ({state}): check by hand (a refund may be owed)"),
    # the printed X/Z report
    R.X_TITLE: QT_TRANSLATE_NOOP("Message", "X REPORT (mid-shift)"),
    R.Z_TITLE: QT_TRANSLATE_NOOP("Message", "Z REPORT (shift close)"),
    R.SHIFT: QT_TRANSLATE_NOOP("Message", "Shift"),
    R.OPENED: QT_TRANSLATE_NOOP("Message", "Opened"),
    R.CLOSED: QT_TRANSLATE_NOOP("Message", "Closed"),
    R.PRINTED: QT_TRANSLATE_NOOP("Message", "Printed"),
    R.BY: QT_TRANSLATE_NOOP("Message", "By"),
    R.SALES: QT_TRANSLATE_NOOP("Message", "Sales"),
    R.REFUNDS: QT_TRANSLATE_NOOP("Message", "Refunds"),
    R.NET: QT_TRANSLATE_NOOP("Message", "Net"),
    R.TOTAL: QT_TRANSLATE_NOOP("Message", "Total"),
    R.IN_PROGRESS: QT_TRANSLATE_NOOP("Message", "Refunds in progress"),
    R.FLOAT: QT_TRANSLATE_NOOP("Message", "Opening float"),
    R.CASH_SALES: QT_TRANSLATE_NOOP("Message", "Cash sales"),
    R.CASH_REFUNDS: QT_TRANSLATE_NOOP("Message", "Cash refunds"),
    R.EXPECTED: QT_TRANSLATE_NOOP("Message", "Expected cash"),
    R.COUNTED: QT_TRANSLATE_NOOP("Message", "Counted cash"),
    R.DIFFERENCE: QT_TRANSLATE_NOOP("Message", "Difference"),
    R.UNRESOLVED: QT_TRANSLATE_NOOP("Message", "Unresolved payments (not in sales)"),
    R.COUPONS: QT_TRANSLATE_NOOP("Message", "Channel coupons"),
    R.ORDER_TOTAL: QT_TRANSLATE_NOOP("Message", "Order total"),
    R.CUSTOMER_PAID: QT_TRANSLATE_NOOP("Message", "Customers paid"),
    R.SETTLEMENT: QT_TRANSLATE_NOOP("Message", "Channels settle"),
    R.METHOD_NATIVE: QT_TRANSLATE_NOOP("Message", "QR payment"),
    R.METHOD_CODEPAY: QT_TRANSLATE_NOOP("Message", "Payment-code payment"),
    R.METHOD_CASH: QT_TRANSLATE_NOOP("Message", "Cash"),
    R.BY_CHANNEL: QT_TRANSLATE_NOOP("Message", "By channel"),
    R.CHANNEL_WECHAT: QT_TRANSLATE_NOOP("Message", "WeChat Pay"),
    R.CHANNEL_ALIPAY: QT_TRANSLATE_NOOP("Message", "Alipay"),
    R.CHANNEL_CASH: QT_TRANSLATE_NOOP("Message", "Cash"),
    R.OWED: QT_TRANSLATE_NOOP("Message", "Refunds owed (paid twice)"),
}
