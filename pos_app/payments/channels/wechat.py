"""WeChat Pay as a :class:`~pos_app.payments.gateway.PaymentChannel`: the APIv3 client
plus (optionally) the APIv2 micropay client for payment codes, selected by
``cfg.codepay_protocol``; every answer translated into the neutral vocabulary.
This module and :mod:`pos_app.wechatpay` are the only places that know WeChat codes.

v3 → v2 fallback (``v3_with_v2_fallback``)
------------------------------------------
Falls back to APIv2 micropay *only* when the v3 payment-code API itself is refused as
not available to this merchant — :func:`pos_app.wechatpay.errors.is_codepay_not_enabled`,
a verified answer that nothing was charged:

* ``404`` with anything but an order's code (``NOT_FOUND``: the endpoint does not exist
  for this merchant; ``ORDER_NOT_EXIST``/``RESOURCE_NOT_EXISTS`` are not it) and
  ``403 NO_AUTH`` (the merchant lacks the v3 payment-code product): "not enabled".
* ``400 INVALID_REQUEST`` is **not** treated as "not enabled": WeChat uses it for
  business-rule violations of a request that *was* routed (e.g. the number already used
  with other parameters); falling back would send the same code again under v2 for an
  order v3 may have recorded. It is a refusal (nothing charged by this request).
* ``500 SYSTEM_ERROR`` (any 5xx, 429, timeouts, bad signatures …) is an unknown
  outcome: the v3 charge may have happened, so **never** a fallback — the workflow
  queries and reverses with the same number.

Once v3 codepay was refused as not enabled, later codes go straight to v2 (remembered
for the process). Queries, Native, close and refunds always use APIv3 (orders are
shared across versions); reverse follows the payment-code route.

Bills: ``BillNotAvailableError`` (today, a later day, yesterday before WeChat's 10:00)
→ :class:`~pos_app.payments.gateway.BillNotReady`; ``NoStatementError`` ("no statement")
→ an empty bill ("no trades") only because the SDK raises it for a settled day alone —
a ``NO_STATEMENT_EXIST`` for an unsettled day is "not ready" too (checked again here).

Refunds: ``403 NOT_ENOUGH`` (the merchant's balance) → a refusal with
:attr:`~pos_app.payments.gateway.RefundRefusal.BALANCE`; ``429 FREQUENCY_LIMITED`` (too
many requests, or partial refunds of one order less than a minute apart: "该笔退款未受理")
→ :class:`~pos_app.payments.gateway.RefundThrottled` (same number again after a minute).

``device_id``: the till id, sent with every payment (``scene_info.device_id`` /
``device_info``) so the merchant platform shows which till took it.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import date, datetime
from typing import Protocol

import httpx

from pos_app.domain.money import Fen
from pos_app.payments.channels.wechat_bill import parse_trade_bill
from pos_app.payments.gateway import (
    AlreadyPaid,
    AwaitingCustomer,
    BillNotReady,
    BillType,
    ChannelError,
    ChargeResult,
    Closed,
    CloseResult,
    NotFound,
    NotSent,
    Open,
    Paid,
    PayFailed,
    QrIssued,
    QrResult,
    RefundProgress,
    RefundQuery,
    RefundRefusal,
    RefundRefused,
    RefundResult,
    RefundSeen,
    RefundThrottled,
    RefusalReason,
    Refused,
    Rejected,
    Retry,
    Reversed,
    ReverseResult,
    TradeBill,
    TradeStatus,
    Unknown,
)
from pos_app.wechatpay.config import CodepayProtocol, MerchantConfig
from pos_app.wechatpay.errors import (
    ApiError,
    BillNotAvailableError,
    ConfigError,
    NoStatementError,
    WechatPayError,
    is_codepay_not_enabled,
)
from pos_app.wechatpay.models import Refund, RefundStatus, TradeState, Transaction
from pos_app.wechatpay.models import TradeBill as WechatBill

log = logging.getLogger("pos_app.payments")

R = RefusalReason

#: WeChat Pay's business refusal codes (v3 and v2 spellings) → neutral reason.
REFUSALS: dict[str, RefusalReason] = {
    "AUTHCODEEXPIRE": R.CODE_EXPIRED, "AUTH_CODE_EXPIRE": R.CODE_EXPIRED,
    "AUTH_CODE_ERROR": R.CODE_USED,
    "AUTH_CODE_INVALID": R.CODE_INVALID,
    "NOTENOUGH": R.INSUFFICIENT_BALANCE, "NOT_ENOUGH": R.INSUFFICIENT_BALANCE,
    "NOTSUPORTCARD": R.CARD_NOT_SUPPORTED, "NOT_SUPPORT_CARD": R.CARD_NOT_SUPPORTED,
    "BUYER_MISMATCH": R.PAYER_MISMATCH,
    "TRADE_ERROR": R.RISK_CONTROL,
    "RULE_LIMIT": R.RESTRICTED,
    "PAYER_ACCOUNT_ABNORMAL": R.ACCOUNT_ABNORMAL, "USER_ACCOUNT_ABNORMAL": R.ACCOUNT_ABNORMAL,
    "NO_AUTH": R.MERCHANT_PERMISSION, "NOAUTH": R.MERCHANT_PERMISSION,
    "SIGN_ERROR": R.MERCHANT_CREDENTIALS, "SIGNERROR": R.MERCHANT_CREDENTIALS,
    "APPID_MCHID_NOT_MATCH": R.MERCHANT_CONFIG, "MCH_NOT_EXISTS": R.MERCHANT_CONFIG,
    "PARAM_ERROR": R.PARAMS, "INVALID_REQUEST": R.PARAMS,
    # "an order with this out_trade_no already exists": each number is sent once, so
    # it is some other order's — never adopt its state.
    "OUT_TRADE_NO_USED": R.NUMBER_COLLISION, "ORDERPAID": R.NUMBER_COLLISION,
    "ORDER_PAID": R.NUMBER_COLLISION, "ORDERCLOSED": R.NUMBER_COLLISION,
    "ORDER_CLOSED": R.NUMBER_COLLISION, "ORDERREVERSED": R.NUMBER_COLLISION,
}

NOT_FOUND_CODES = frozenset({"ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS"})
USER_PAYING_CODES = frozenset({"USERPAYING", "USER_PAYING"})
ORDER_PAID_CODES = frozenset({"ORDER_PAID", "ORDERPAID"})
ORDER_CLOSED_CODES = frozenset({"ORDER_CLOSED", "ORDERCLOSED"})
#: Refund answers: the merchant's balance / "not accepted, slow down".
REFUND_BALANCE_CODES = frozenset({"NOT_ENOUGH", "NOTENOUGH"})
REFUND_THROTTLE_CODES = frozenset({"FREQUENCY_LIMITED"})
#: WeChat: "for consecutive partial refunds … wait ≥1 minute" (§7).
REFUND_RETRY_AFTER_S = 60.0
_BILL_TYPES = {BillType.ALL: "ALL", BillType.SUCCESS: "SUCCESS", BillType.REFUND: "REFUND"}

_REFUND_PROGRESS = {
    RefundStatus.SUCCESS: RefundProgress.SUCCESS,
    RefundStatus.PROCESSING: RefundProgress.PROCESSING,
    RefundStatus.CLOSED: RefundProgress.CLOSED,
    RefundStatus.ABNORMAL: RefundProgress.ABNORMAL,
}

_AUTH_CODE_IN_TEXT = re.compile(r"(?<!\d)(1[0-5]\d{2})\d{10}(\d{4})(?!\d)")


def describe(exc: BaseException) -> str:
    """Short, secret-free text for logs / ``last_error`` (payment codes masked)."""
    if isinstance(exc, ApiError):
        text = f"{exc.status} {exc.code}: {exc.message}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return _AUTH_CODE_IN_TEXT.sub(r"\1****\2", text)[:300]


def unknown_of(exc: WechatPayError) -> Unknown:
    """A transport failure: :class:`NotSent` when the SDK proved nothing left the machine
    (``never_sent``: connection refused / not made), else an unknown outcome."""
    if getattr(exc, "never_sent", False):
        return NotSent(describe(exc))
    return Unknown(describe(exc))


def refusal_of(exc: ApiError) -> Refused:
    """A verified business refusal (``outcome_unknown`` False) in neutral words."""
    reason = REFUSALS.get(exc.code.upper(), R.OTHER)
    detail = exc.message or exc.code if reason is R.OTHER else describe(exc)
    return Refused(reason, _AUTH_CODE_IN_TEXT.sub(r"\1****\2", detail)[:300])


def _time(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return when if when is not None and when.tzinfo is not None else None


def paid_of(txn: Transaction) -> Paid:
    """Coupons: ``discount_total`` is every ``promotion_detail`` amount (or total − payer
    total when none is itemised), ``merchant_discount`` the merchant-funded (NOCASH) part —
    what settlement is short of the order total."""
    payer = txn.payer_total
    discount = txn.coupon_total
    if not txn.promotions and txn.total is not None and payer is not None \
            and payer <= txn.total:
        discount = Fen(txn.total - payer)
    if payer is None and txn.total is not None and txn.promotions:
        payer = Fen(txn.total - discount)
    return Paid(transaction_id=txn.transaction_id, out_trade_no=txn.out_trade_no,
                total=txn.total, payer_total=payer,
                discount_total=discount, merchant_discount=txn.merchant_funded_total,
                paid_at=_time(txn.success_time),
                by_code=(txn.trade_type == "MICROPAY") if txn.trade_type else None)


def status_of(txn: Transaction) -> TradeStatus:
    state = txn.trade_state
    if state.paid:
        return paid_of(txn)
    if state == TradeState.USERPAYING:
        return AwaitingCustomer()
    if state == TradeState.PAYERROR:
        return PayFailed(txn.trade_state_desc)
    if state == TradeState.CLOSED:
        return Closed()
    if state == TradeState.REVOKED:
        return Reversed()
    return Open()  # NOTPAY, ACCEPT


def v3_unavailable(exc: ApiError) -> bool:
    """True when WeChat Pay refused the v3 payment-code API itself (nothing charged):
    404 NOT_FOUND / 403 NO_AUTH — the SDK's rule, see the module docstring for what is
    *not* included."""
    return is_codepay_not_enabled(exc)


class WechatV3(Protocol):
    """The APIv3 client (:class:`pos_app.wechatpay.client.WechatPayClient`)."""

    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> str: ...

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> Transaction: ...

    def query(self, out_trade_no: str) -> Transaction | None: ...

    def close(self, out_trade_no: str) -> None: ...

    def reverse(self, out_trade_no: str) -> bool: ...

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> Refund: ...

    def query_refund(self, out_refund_no: str) -> Refund | None: ...

    def trade_bill(self, bill_date: date, bill_type: str = "ALL") -> WechatBill: ...


class MicropayV2(Protocol):
    def micropay(self, *, out_trade_no: str, description: str, total: Fen,
                 auth_code: str) -> Transaction: ...

    def orderquery(self, out_trade_no: str) -> Transaction | None: ...

    def reverse(self, out_trade_no: str) -> bool: ...


class WechatChannel:
    """WeChat Pay behind the neutral channel protocol."""

    def __init__(self, v3: WechatV3, v2: MicropayV2 | None,
                 protocol: CodepayProtocol = "v3") -> None:
        if protocol != "v3" and v2 is None:
            raise ConfigError(f"codepay_protocol {protocol} needs the APIv2 key")
        self.v3 = v3
        self.v2 = v2
        self.protocol = protocol
        self._v3_codepay_refused = threading.Event()

    @classmethod
    def from_config(cls, cfg: MerchantConfig, *,
                    transport: httpx.BaseTransport | None = None,
                    v2_transport: httpx.BaseTransport | None = None,
                    device_id: str = "") -> WechatChannel:
        """``device_id``: the till id, sent with every payment. The backup domain
        (``cfg.backup_base_url`` / ``backup_v2_base_url``) reaches the SDK, which uses it
        for requests that could not connect to the primary only."""
        from pos_app.wechatpay.client import WechatPayClient
        from pos_app.wechatpay.v2.client import MicropayV2Client

        v3 = WechatPayClient.from_config(cfg, transport=transport, device_id=device_id)
        v2 = (MicropayV2Client.from_config(cfg, transport=v2_transport, device_id=device_id)
              if cfg.codepay_protocol != "v3" and cfg.apiv2_key else None)
        return cls(v3, v2, cfg.codepay_protocol)

    def _use_v2(self) -> bool:
        return self.protocol == "v2" or (
            self.protocol == "v3_with_v2_fallback" and self._v3_codepay_refused.is_set())

    # ------------------------------------------------------------------ payment code

    def _codepay_raw(self, *, out_trade_no: str, description: str, total: Fen,
                     auth_code: str) -> Transaction:
        if not self._use_v2():
            try:
                return self.v3.codepay(out_trade_no=out_trade_no, description=description,
                                       total=total, auth_code=auth_code)
            except ApiError as exc:
                if self.protocol != "v3_with_v2_fallback" or not v3_unavailable(exc):
                    raise
                log.warning("v3 codepay not available (%s %s): using APIv2 micropay",
                            exc.status, exc.code)
                self._v3_codepay_refused.set()
        assert self.v2 is not None
        return self.v2.micropay(out_trade_no=out_trade_no, description=description,
                                total=total, auth_code=auth_code)

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> ChargeResult:
        try:
            txn = self._codepay_raw(out_trade_no=out_trade_no, description=description,
                                    total=total, auth_code=auth_code)
        except ConfigError as exc:
            return Refused(R.MERCHANT_CONFIG, str(exc))
        except ApiError as exc:
            if not exc.outcome_unknown:
                return refusal_of(exc)
            if exc.code in USER_PAYING_CODES:
                return AwaitingCustomer()
            return Unknown(describe(exc))
        except WechatPayError as exc:  # transport, bad signature, malformed …
            return unknown_of(exc)
        status = status_of(txn)
        if isinstance(status, Paid | AwaitingCustomer | Open | PayFailed):
            return status
        return Unknown(f"codepay answered {txn.trade_state}")  # CLOSED/REVOKED: ask again

    def reverse(self, out_trade_no: str) -> ReverseResult:
        try:
            done = self._reverse_raw(out_trade_no)
        except ApiError as exc:
            if exc.code in NOT_FOUND_CODES:
                return NotFound()
            if exc.code in USER_PAYING_CODES:
                return AwaitingCustomer()
            if not exc.outcome_unknown:
                return Rejected(describe(exc))  # e.g. REVERSE_EXPIRE
            return Retry(describe(exc))
        except WechatPayError as exc:
            return Retry(describe(exc))
        return Reversed() if done else Retry("recall=Y", error=False)

    def _reverse_raw(self, out_trade_no: str) -> bool:
        if not self._use_v2():
            try:
                return self.v3.reverse(out_trade_no)
            except ApiError as exc:
                if self.protocol != "v3_with_v2_fallback" or not v3_unavailable(exc):
                    raise
                self._v3_codepay_refused.set()
        assert self.v2 is not None
        return self.v2.reverse(out_trade_no)

    # ------------------------------------------------------------------ everything else: APIv3

    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> QrResult:
        try:
            return QrIssued(self.v3.native_prepay(
                out_trade_no=out_trade_no, description=description, total=total,
                time_expire=time_expire))
        except ConfigError as exc:
            return Refused(R.MERCHANT_CONFIG, str(exc))
        except ApiError as exc:
            return Unknown(describe(exc)) if exc.outcome_unknown else refusal_of(exc)
        except WechatPayError as exc:
            return unknown_of(exc)

    def query(self, out_trade_no: str) -> TradeStatus:
        try:
            txn = self.v3.query(out_trade_no)
        except WechatPayError as exc:
            return unknown_of(exc)
        return NotFound() if txn is None else status_of(txn)

    def close(self, out_trade_no: str) -> CloseResult:
        try:
            self.v3.close(out_trade_no)
        except ApiError as exc:
            if exc.code in ORDER_PAID_CODES:
                return AlreadyPaid()
            if exc.code in ORDER_CLOSED_CODES:
                return Closed()
            if exc.code in NOT_FOUND_CODES:
                return NotFound()
            return Retry(describe(exc)) if exc.outcome_unknown else Rejected(describe(exc))
        except WechatPayError as exc:
            return Retry(describe(exc))
        return Closed()

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> RefundResult:
        try:
            remote = self.v3.refund(out_refund_no=out_refund_no, out_trade_no=out_trade_no,
                                    refund=refund, total=total, reason=reason)
        except ApiError as exc:
            if exc.code in REFUND_THROTTLE_CODES:
                return RefundThrottled(_short(exc), REFUND_RETRY_AFTER_S)
            if exc.outcome_unknown:
                return Unknown(_short(exc))
            if exc.code in REFUND_BALANCE_CODES:
                return RefundRefused(f"{exc.code} {exc.message}", RefundRefusal.BALANCE)
            return RefundRefused(f"{exc.code} {exc.message}")
        except WechatPayError as exc:
            return Unknown(_short(exc))
        return _refund_seen(remote)

    def query_refund(self, out_refund_no: str, *, out_trade_no: str = "") -> RefundQuery:
        try:
            remote = self.v3.query_refund(out_refund_no)
        except WechatPayError as exc:
            return Unknown(_short(exc))
        return NotFound() if remote is None else _refund_seen(remote)

    def trade_bill(self, bill_date: date, bill_type: BillType = BillType.ALL) -> TradeBill:
        try:
            bill = self.v3.trade_bill(bill_date, _BILL_TYPES[bill_type])
        except BillNotAvailableError as exc:
            raise BillNotReady(describe(exc)) from exc
        except NoStatementError:
            return TradeBill((), None, bill_date)   # a settled day without trades
        except ApiError as exc:
            raise ChannelError(describe(exc)) from exc
        except WechatPayError as exc:
            raise ChannelError(describe(exc)) from exc
        parsed = parse_trade_bill(bill.text)
        return TradeBill(parsed.rows, parsed.summary, bill_date)


def _refund_seen(remote: Refund) -> RefundSeen:
    return RefundSeen(out_refund_no=remote.out_refund_no,
                      progress=_REFUND_PROGRESS[remote.status], amount=remote.refund,
                      channel_refund_no=remote.refund_id)


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


#: The name used before the channel seam (tests and other branches import it).
WechatGateway = WechatChannel
