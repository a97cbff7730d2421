"""What the manager features say to people: message keys (rendered by the UI) and the
refusal exception that carries one.

The wording lives in the catalogs (``pos_app/ui/texts/manager.py`` for English,
``resources/i18n/zh_CN/manager.py`` for Chinese), never here.
"""

from __future__ import annotations

from pos_app.domain.text import Message, MessageKey, register


@register({
    "auth.wrong_pin_tries_left": ("left",),
    "shift.float_out_of_range": ("max_fen",),
    "shift.counted_cash_out_of_range": ("max_fen",),
    "shift.payments_unresolved": ("count",),
    "refund.exceeds_refundable": ("refundable_fen",),
    "refund.refused_detail": ("detail",),
    "refund.give_back_cash": ("amount_fen",),
    "refund.followed.success": ("amount_fen", "out_refund_no"),
    "refund.followed.closed": ("amount_fen", "out_refund_no"),
    "refund.followed.abnormal": ("amount_fen", "out_refund_no"),
    "refund.reason_too_long": ("max",),
    "refund.line_quantity_too_large": ("name", "remaining"),
    "refund.too_many_refunds": ("max",),
    "refund.owed_exceeds_payment": ("left_fen", "owed_fen"),
    "refund.throttled": ("at",),
    "refund.processing_long": ("days",),
    "reconcile.malformed_bill": ("why",),
    "reconcile.local_attempt_final": ("state",),
})
class ManagerText(MessageKey):
    # PIN rules
    PIN_LENGTH = "pin.length"
    PIN_ONE_DIGIT = "pin.one_digit"
    PIN_SEQUENCE = "pin.sequence"
    PIN_SAME_AS_OLD = "pin.same_as_old"
    # login / approval
    AUTH_WRONG_PIN = "auth.wrong_pin"
    AUTH_WRONG_PIN_TRIES_LEFT = "auth.wrong_pin_tries_left"
    AUTH_LOCKED = "auth.locked"
    AUTH_NOW_LOCKED = "auth.now_locked"
    AUTH_MAY_NOT_APPROVE = "auth.may_not_approve"
    AUTH_APPROVAL_FOR_OTHER_ACTION = "auth.approval_for_other_action"
    # staff accounts
    STAFF_NAME_LENGTH = "staff.name_length"
    STAFF_NAME_TAKEN = "staff.name_taken"
    STAFF_NO_SUCH_USER = "staff.no_such_user"
    STAFF_FIRST_MUST_BE_ADMIN = "staff.first_must_be_admin"
    STAFF_NEEDS_APPROVER = "staff.needs_approver"
    STAFF_PINS_DIFFER = "staff.pins_differ"
    # shifts
    SHIFT_ALREADY_OPEN = "shift.already_open"
    SHIFT_NO_SUCH_OPEN = "shift.no_such_open"
    SHIFT_NONE_OPEN = "shift.none_open"
    SHIFT_FLOAT_OUT_OF_RANGE = "shift.float_out_of_range"
    SHIFT_COUNTED_CASH_OUT_OF_RANGE = "shift.counted_cash_out_of_range"
    SHIFT_PAYMENTS_UNRESOLVED = "shift.payments_unresolved"
    # refunds: refusals
    REFUND_EXCEEDS_REFUNDABLE = "refund.exceeds_refundable"
    REFUND_REASON_REQUIRED = "refund.reason_required"
    REFUND_REASON_TOO_LONG = "refund.reason_too_long"
    REFUND_CHOOSE_MODE = "refund.choose_mode"
    REFUND_AMOUNT_NOT_FEN = "refund.amount_not_fen"
    REFUND_NOTHING_TO_REFUND = "refund.nothing_to_refund"
    REFUND_ORDER_NOT_FOUND = "refund.order_not_found"
    REFUND_NOT_FOUND = "refund.not_found"
    REFUND_OFFLINE = "refund.offline"
    REFUND_INVALID_LINE = "refund.invalid_line"
    REFUND_LINE_QUANTITY_TOO_LARGE = "refund.line_quantity_too_large"
    REFUND_TOO_OLD = "refund.too_old"
    REFUND_TOO_OLD_ALIPAY = "refund.too_old_alipay"
    REFUND_TOO_MANY_REFUNDS = "refund.too_many_refunds"
    REFUND_NOTHING_OWED = "refund.nothing_owed"
    REFUND_OWED_EXCEEDS_PAYMENT = "refund.owed_exceeds_payment"
    # refunds: states
    REFUND_PENDING = "refund.pending"
    REFUND_PROCESSING = "refund.processing"
    REFUND_SUCCESS = "refund.success"
    REFUND_CLOSED = "refund.closed"
    REFUND_ABNORMAL = "refund.abnormal"
    REFUND_REFUSED = "refund.refused"
    REFUND_REFUSED_DETAIL = "refund.refused_detail"
    REFUND_GIVE_BACK_CASH = "refund.give_back_cash"
    REFUND_REFUSED_BALANCE = "refund.refused_balance"
    REFUND_THROTTLED = "refund.throttled"
    REFUND_PROCESSING_LONG = "refund.processing_long"
    # a refund followed in the background reached its final state (status area)
    REFUND_FOLLOWED_SUCCESS = "refund.followed.success"
    REFUND_FOLLOWED_CLOSED = "refund.followed.closed"
    REFUND_FOLLOWED_ABNORMAL = "refund.followed.abnormal"
    # reconciliation
    RECONCILE_MALFORMED_BILL = "reconcile.malformed_bill"
    RECONCILE_REMOTE_ONLY_PAYMENT = "reconcile.remote_only_payment"
    RECONCILE_LOCAL_ONLY_PAYMENT = "reconcile.local_only_payment"
    RECONCILE_AMOUNT_MISMATCH = "reconcile.amount_mismatch"
    RECONCILE_REMOTE_ONLY_REFUND = "reconcile.remote_only_refund"
    RECONCILE_LOCAL_ONLY_REFUND = "reconcile.local_only_refund"
    RECONCILE_REFUND_AMOUNT_MISMATCH = "reconcile.refund_amount_mismatch"
    RECONCILE_REFUND_STATUS_MISMATCH = "reconcile.refund_status_mismatch"
    RECONCILE_NOT_FIXABLE = "reconcile.not_fixable"
    RECONCILE_REQUERY_NOT_PAID = "reconcile.requery_not_paid"
    RECONCILE_REQUERY_AMOUNT_DIFFERS = "reconcile.requery_amount_differs"
    RECONCILE_LOCAL_ATTEMPT_FINAL = "reconcile.local_attempt_final"
    RECONCILE_NOT_SETTLED = "reconcile.not_settled"
    RECONCILE_BILL_NOT_READY = "reconcile.bill_not_ready"
    RECONCILE_NO_TRADES = "reconcile.no_trades"
    RECONCILE_SETTLEMENT_MISMATCH = "reconcile.settlement_mismatch"


class ManagerError(Exception):
    """A refused manager action; ``message`` says why (for people), nothing was changed."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message
