"""Errors raised by the WeChat Pay client.

Tree::

    WechatPayError
     ├── ConfigError                 bad or missing merchant configuration / key file
     ├── TransportError              no usable HTTP answer: the outcome of a write is UNKNOWN
     │    ├── RequestTimeoutError    the call timed out (connect, read or write)
     │    │    └── DeadlineExceededError  the whole call took longer than its deadline (trickled body)
     │    └── ResponseTooLargeError  the answer exceeded its size cap (before or after decompression)
     ├── ApiError                    WeChat Pay answered non-2xx with {code, message}
     │    ├── BillNotAvailableError  the day's trade bill does not exist YET (today, or before 10:00)
     │    └── NoStatementError       a settled day has no trade bill: there were no trades
     ├── ResponseValidationError     a 2xx answer we must not trust
     │    ├── SignatureError         bad/missing signature, unknown serial, stale timestamp, SIGNTEST probe
     │    └── MalformedResponseError body is not the JSON/XML we expect (too deeply nested too)
     │         └── BillFormatError   a trade bill that is not in WeChat's format (``line`` says where)
     └── DecryptionError             AES-256-GCM tag check failed (wrong APIv3 key / AAD / tampered)

``outcome_unknown`` tells the payment workflow whether a write may have happened
server-side: it is True for transport errors and for responses that failed validation
(the server may well have charged), and for 5xx/429 API errors.
"""

from __future__ import annotations


class WechatPayError(Exception):
    """Root of every error this package raises."""

    outcome_unknown: bool = False


class ConfigError(WechatPayError):
    """The merchant configuration is invalid (message says which field / file)."""


class TransportError(WechatPayError):
    """The request may or may not have reached WeChat Pay.

    ``never_sent`` is True when the connection could not even be made (refused, DNS,
    TLS handshake, connect timeout): nothing left the machine, so nothing was charged."""

    outcome_unknown = True
    never_sent = False


class RequestTimeoutError(TransportError):
    """The request timed out."""


class ApiError(WechatPayError):
    """A non-2xx answer from WeChat Pay (or a v2 FAIL result)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        request_id: str = "",
        detail: object = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.detail = detail
        super().__init__(f"{status} {code}: {message}" + (f" (Request-ID {request_id})" if request_id else ""))

    @property
    def outcome_unknown(self) -> bool:  # type: ignore[override]
        return self.status >= 500 or self.status in (202, 429) or self.code in {
            "SYSTEM_ERROR", "SYSTEMERROR", "BANKERROR", "USERPAYING", "USER_PAYING",
            "FREQUENCY_LIMITED",
        }


class BillNotAvailableError(ApiError):
    """No trade bill for that day yet: today or later, or yesterday before WeChat's 10:00
    generation (``STATEMENT_CREATING``). Never means "no trades" — ask again later.

    ``wechat_code`` is what WeChat answered (empty when the client did not ask at all)."""

    def __init__(self, message: str, *, wechat_code: str = "", status: int = 0, request_id: str = "") -> None:
        super().__init__(status, "STATEMENT_CREATING", message, request_id=request_id)
        self.wechat_code = wechat_code


class NoStatementError(ApiError):
    """``NO_STATEMENT_EXIST`` for a settled day (yesterday after 10:00 or earlier): WeChat
    has no trades of ours that day."""


class ResponseValidationError(WechatPayError):
    """A 2xx response that must not be trusted; the server side may have acted."""

    outcome_unknown = True


class SignatureError(ResponseValidationError):
    """Response/callback signature missing, wrong, stale, or made with an unknown key."""


class MalformedResponseError(ResponseValidationError):
    """The response body could not be parsed into the expected shape."""


class DeadlineExceededError(RequestTimeoutError):
    """The call as a whole (connect + send + every body read) outlived its deadline."""


class ResponseTooLargeError(TransportError):
    """The answer was larger than allowed (raw, or once decompressed): not read further."""


class BillFormatError(MalformedResponseError):
    """A trade bill that does not follow WeChat's CSV format; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"trade bill line {line}: {message}")


class DecryptionError(WechatPayError):
    """AES-256-GCM authentication failed."""


#: 404 codes that are about an order, not about the API being absent.
_ORDER_404_CODES = frozenset({"ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS"})


def is_codepay_not_enabled(exc: ApiError) -> bool:
    """True when ``POST /v3/pay/transactions/codepay`` itself is not available to this
    merchant, so nothing was charged and v2 micropay may be used with the same code.

    WeChat's 2026 guidance still says "付款码支付没有 V3 版本" for many merchants; what such
    a merchant gets is not documented, so (wechatpay-api.md §8b, §10):

    * 404 with any code but an order's (``NOT_FOUND``: the route does not exist for them)
      and 403 ``NO_AUTH`` (the product is not opened) → not enabled: the request was refused
      before any order existed;
    * 400 ``INVALID_REQUEST`` → refused, nothing charged by this request, but it is also the
      answer to a retried order with different parameters: not proof that v3 is missing,
      so no automatic fallback — show the refusal;
    * 500 ``SYSTEM_ERROR`` (and any unknown outcome) → the order may exist: query first,
      never fall back (a second charge of the same code would be possible).
    """
    if exc.outcome_unknown:
        return False
    if exc.status == 403 and exc.code == "NO_AUTH":
        return True
    return exc.status == 404 and exc.code not in _ORDER_404_CODES
