"""Errors raised by the Alipay client.

Tree::

    AlipayError
     ├── ConfigError                 bad or missing merchant configuration / key / certificate file
     ├── TransportError              no usable HTTP answer: the outcome of a write is UNKNOWN
     │    └── RequestTimeoutError    connect/read timeout or the overall deadline passed
     ├── ResponseValidationError     an answer we must not trust (outcome UNKNOWN)
     │    ├── SignatureError         missing/wrong ``sign``, injected node
     │    │    └── UnknownCertificateError  ``alipay_cert_sn`` not held and not downloadable
     │    └── MalformedResponseError not the JSON we expect, too large, bad amount, other order
     └── GatewayError                a verified answer whose ``code`` is not success

``outcome_unknown`` tells the payment workflow whether money may have moved: True for
transport errors, for anything that failed verification, and for gateway answers that
Alipay itself calls "unknown" (``20000``, ``ACQ.SYSTEM_ERROR``, ``ACQ.TRADE_HAS_SUCCESS`` —
query first); False only for refusals that prove nothing was charged/refunded.

``GatewayError.kind`` is the channel-neutral classification (:class:`ErrorKind`) the
payments adapter branches on, so Alipay's protocol codes stay inside this package.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    """What a gateway refusal means for the till (protocol-neutral)."""

    UNKNOWN = "unknown"                      # outcome unknown: query, then cancel
    ALREADY_PAID = "already_paid"            # this order number is paid: confirm by query
    AUTH_CODE_INVALID = "auth_code_invalid"  # payment code mistyped / used / expired: rescan
    INSUFFICIENT_FUNDS = "insufficient_funds"
    PAYMENT_REFUSED = "payment_refused"      # any other definitive "not charged"
    TRADE_CLOSED = "trade_closed"            # closed / cancelled: a new order number is needed
    TRADE_NOT_FOUND = "trade_not_found"
    TRADE_STATE = "trade_state"              # operation not allowed in the trade's state
    CONFLICT = "conflict"                    # same order number, different fields
    REFUND_REFUSED = "refund_refused"        # amount too large / not refundable
    INVALID_REQUEST = "invalid_request"      # parameters refused (a bug on our side)
    MERCHANT_SETUP = "merchant_setup"        # app id, key, certificate, permission problems
    BILL_NOT_READY = "bill_not_ready"        # no bill for that day (yet): ask again later


class AlipayError(Exception):
    """Root of every error this package raises."""

    outcome_unknown: bool = False


class ConfigError(AlipayError):
    """The Alipay merchant configuration is invalid (message says which field / file)."""


class TransportError(AlipayError):
    """The request may or may not have reached Alipay."""

    outcome_unknown = True


class RequestTimeoutError(TransportError):
    """The request timed out (phase timeout or overall deadline)."""


class ResponseValidationError(AlipayError):
    """An answer that must not be trusted; the gateway may well have acted."""

    outcome_unknown = True


class SignatureError(ResponseValidationError):
    """Response/notification signature missing, wrong, or made with an unknown key."""


class UnknownCertificateError(SignatureError):
    """Certificate mode: the answer names an ``alipay_cert_sn`` we do not hold (yet)."""

    def __init__(self, sn: str) -> None:
        self.sn = sn
        super().__init__(f"answer signed with unknown Alipay certificate {sn!r}")


class MalformedResponseError(ResponseValidationError):
    """The answer could not be read into the expected shape."""


# sub_codes / codes Alipay documents as "result unknown" (query, then cancel)
UNKNOWN_SUB_CODES = frozenset(
    {"ACQ.SYSTEM_ERROR", "aop.ACQ.SYSTEM_ERROR", "isp.unknow-error", "aop.unknow-error"}
)
_KIND_BY_SUB_CODE: dict[str, ErrorKind] = {
    "ACQ.TRADE_HAS_SUCCESS": ErrorKind.ALREADY_PAID,
    "ACQ.PAYMENT_AUTH_CODE_INVALID": ErrorKind.AUTH_CODE_INVALID,
    "ACQ.BUYER_BALANCE_NOT_ENOUGH": ErrorKind.INSUFFICIENT_FUNDS,
    "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH": ErrorKind.INSUFFICIENT_FUNDS,
    "ACQ.PAYMENT_FAIL": ErrorKind.PAYMENT_REFUSED,
    "ACQ.TOTAL_FEE_EXCEED": ErrorKind.PAYMENT_REFUSED,
    "ACQ.BUYER_SELLER_EQUAL": ErrorKind.PAYMENT_REFUSED,
    "ACQ.ACCESS_FORBIDDEN": ErrorKind.PAYMENT_REFUSED,
    "ACQ.INVALID_STORE_ID": ErrorKind.PAYMENT_REFUSED,
    "ACQ.EXIST_FORBIDDEN_WORD": ErrorKind.PAYMENT_REFUSED,
    "ACQ.TRADE_BUYER_NOT_MATCH": ErrorKind.PAYMENT_REFUSED,
    "ACQ.TRADE_HAS_CLOSE": ErrorKind.TRADE_CLOSED,
    "ACQ.TRADE_NOT_EXIST": ErrorKind.TRADE_NOT_FOUND,
    "ACQ.TRADE_STATUS_ERROR": ErrorKind.TRADE_STATE,
    "ACQ.REASON_TRADE_STATUS_INVALID": ErrorKind.TRADE_STATE,
    "ACQ.CONTEXT_INCONSISTENT": ErrorKind.CONFLICT,
    "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL": ErrorKind.REFUND_REFUSED,
    "ACQ.REASON_TRADE_REFUND_FEE_ERR": ErrorKind.REFUND_REFUSED,
    "ACQ.REASON_TRADE_BEEN_FREEZEN": ErrorKind.REFUND_REFUSED,
    "ACQ.TRADE_NOT_ALLOW_REFUND": ErrorKind.REFUND_REFUSED,
    "ACQ.INVALID_PARAMETER": ErrorKind.INVALID_REQUEST,
    "isp.bill_not_exist": ErrorKind.BILL_NOT_READY,
}
_KIND_BY_CODE: dict[str, ErrorKind] = {
    "20001": ErrorKind.MERCHANT_SETUP,
    "40001": ErrorKind.INVALID_REQUEST,
    "40002": ErrorKind.MERCHANT_SETUP,
    "40006": ErrorKind.MERCHANT_SETUP,
}


def classify(code: str, sub_code: str) -> ErrorKind:
    """Map a non-success ``code``/``sub_code`` onto :class:`ErrorKind`.

    Anything not documented as a definitive refusal is :attr:`ErrorKind.UNKNOWN`
    (an unknown code must never read as "not charged").
    """
    if code == "20000" or sub_code in UNKNOWN_SUB_CODES:
        return ErrorKind.UNKNOWN
    if code == "40004":
        return _KIND_BY_SUB_CODE.get(sub_code, ErrorKind.UNKNOWN)
    if code == "40002" and sub_code in ("isv.invalid-parameter", "isv.invalid-timestamp"):
        return ErrorKind.INVALID_REQUEST
    return _KIND_BY_CODE.get(code, ErrorKind.UNKNOWN)


class GatewayError(AlipayError):
    """A verified gateway answer that is not a success (``code`` ≠ 10000/10003)."""

    def __init__(
        self, method: str, code: str, msg: str, sub_code: str = "", sub_msg: str = "",
        *, retry: bool = False,
    ) -> None:
        self.method = method
        self.code = code
        self.msg = msg
        self.sub_code = sub_code
        self.sub_msg = sub_msg
        self.retry = retry
        self.kind = classify(code, sub_code)
        detail = f" {sub_code}: {sub_msg}" if sub_code or sub_msg else ""
        super().__init__(f"{method}: {code} {msg}{detail}")

    @property
    def outcome_unknown(self) -> bool:  # type: ignore[override]
        return self.retry or self.kind in (ErrorKind.UNKNOWN, ErrorKind.ALREADY_PAID)
