"""The simulator's records and answers: orders, refunds, their views and the errors it raises.

Shared by every resource module (orders, codepay, refunds, bills) and every listener.
Times are unix seconds; ``fmt_*`` render them the way v3 and v2 do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import string
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

CST = dt.timezone(dt.timedelta(hours=8))
OUT_TRADE_NO_RE = re.compile(r"^[0-9A-Za-z_\-|*]{6,32}$")
#: ``yyyy-MM-DDTHH:mm:ss[.frac]+08:00`` (or ``Z``); Python's fromisoformat alone accepts far more.
RFC3339_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?([+-]\d{2}:\d{2}|Z)$")
OUT_REFUND_NO_RE = re.compile(r"^[0-9A-Za-z_\-|*@]{1,64}$")
CODE_URL_PREFIX = "weixin://wxpay/bizpayurl?pr="
DEFAULT_EXPIRY_S = 7 * 86400
REVERSE_WINDOW_S = 7 * 86400
REFUND_WINDOW_S = 365 * 86400
MAX_REFUNDS = 50

STATE_DESC = {
    "SUCCESS": "支付成功",
    "REFUND": "转入退款",
    "NOTPAY": "未支付",
    "CLOSED": "已关闭",
    "REVOKED": "已撤销",
    "USERPAYING": "用户支付中，需要输入密码",
    "PAYERROR": "支付失败，请撤销订单",
}

ERROR_MESSAGES = {
    "SYSTEMERROR": "系统超时，请稍后重试",
    "BANKERROR": "银行系统异常",
    "USERPAYING": "用户支付中，需要输入密码",
    "AUTHCODEEXPIRE": "二维码已过期，请用户在微信上刷新后再试",
    "AUTH_CODE_INVALID": "101 付款码无效，请重新扫码",
    "NOTENOUGH": "余额不足",
    "NOTSUPORTCARD": "不支持卡类型",
    "TRADE_ERROR": "交易错误",
    "ORDERPAID": "订单已支付",
    "ORDERCLOSED": "订单已关闭",
    "ORDERREVERSED": "订单已撤销",
    "ORDER_NOT_EXIST": "订单不存在",
    "INVALID_REQUEST": "请求重入时，参数与首次请求时不一致",
    "REVERSE_EXPIRE": "订单已超过撤销期限，请使用退款",
    "FREQUENCY_LIMITED": "频率限制",
    "STATEMENT_CREATING": "账单生成中",
}


class SimError(Exception):
    """A business/validation refusal with a neutral code (see module docstring)."""

    def __init__(self, code: str, message: str | None = None, *, field_name: str | None = None) -> None:
        self.code = code
        self.message = message or ERROR_MESSAGES.get(code, code)
        self.field_name = field_name
        super().__init__(f"{code}: {self.message}")


def fmt_rfc3339(ts: float | None) -> str:
    """Unix seconds → ``2026-11-23T12:34:56+08:00`` (empty for None)."""
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, CST).replace(microsecond=0).isoformat()


def fmt_v2_time(ts: float | None) -> str:
    """Unix seconds → ``yyyyMMddHHmmss`` (China time) for APIv2 ``time_end``."""
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, CST).strftime("%Y%m%d%H%M%S")


def rand_digits(n: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(n))


def rand_alnum(n: int) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(n))


@dataclass
class OrderRecord:
    mchid: str
    appid: str
    out_trade_no: str
    trade_type: str  # NATIVE | MICROPAY
    fingerprint: str
    description: str
    total: int
    created_at: float
    trade_state: str
    attach: str = ""
    notify_url: str = ""
    code_url: str = ""
    time_expire: float | None = None
    transaction_id: str = ""
    success_at: float | None = None
    closed_at: float | None = None
    openid: str = ""
    bank_type: str = ""
    trade_state_desc: str = ""
    scenario: str = ""
    scenario_s: int = 0
    pending_state: str = ""
    pending_at: float | None = None
    box_open_until: float = 0.0
    failure_code: str = ""
    native_behaviour: str = "manual"  # manual | never | fail
    reverse_count: int = 0
    reversed_after_paid: bool = False
    reversed_at: float | None = None
    device_id: str = ""
    coupon_plan: dict[str, Any] | None = None  # applied when the customer pays (see Coupon)
    promotions: list[dict[str, Any]] = field(default_factory=list)  # v3 promotion_detail entries


@dataclass
class RefundRecord:
    mchid: str
    out_refund_no: str
    refund_id: str
    out_trade_no: str
    transaction_id: str
    refund: int
    total: int
    reason: str
    created_at: float
    complete_at: float
    fingerprint: str
    status: str = "PROCESSING"
    success_at: float | None = None
    final_status: str = "SUCCESS"  # what PROCESSING turns into at complete_at: SUCCESS | ABNORMAL | CLOSED
    user_received_account: str = "支付用户零钱"


@dataclass(frozen=True)
class OrderView:
    """An order as any protocol reports it (times are unix seconds; use fmt_* helpers)."""

    mchid: str
    appid: str
    out_trade_no: str
    trade_type: str
    trade_state: str
    trade_state_desc: str
    total: int
    description: str
    attach: str
    transaction_id: str
    success_at: float | None
    created_at: float
    openid: str
    bank_type: str
    code_url: str
    refunded: int = 0
    device_id: str = ""
    promotions: tuple[dict[str, Any], ...] = ()

    @property
    def coupon_total(self) -> int:
        """Fen paid by coupons (every promotion_detail amount)."""
        return sum(int(p["amount"]) for p in self.promotions)

    @property
    def payer_total(self) -> int:
        """Fen the customer paid: the order total less coupons."""
        return self.total - self.coupon_total

    @property
    def paid(self) -> bool:
        return self.trade_state in ("SUCCESS", "REFUND") or (
            self.trade_state == "REVOKED" and bool(self.transaction_id)
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RefundView:
    mchid: str
    out_refund_no: str
    refund_id: str
    out_trade_no: str
    transaction_id: str
    refund: int
    total: int
    status: str
    created_at: float
    success_at: float | None
    reason: str = ""
    user_received_account: str = "支付用户零钱"


@dataclass(frozen=True)
class CodepayOutcome:
    """Result of a payment-code charge: ``error_code`` None ⇒ ``order.trade_state`` is final.

    ``order`` is present whenever an order exists (also with SYSTEMERROR/USERPAYING);
    ``error_code`` is e.g. USERPAYING, SYSTEMERROR, BANKERROR, AUTHCODEEXPIRE,
    AUTH_CODE_INVALID, NOTENOUGH, NOTSUPORTCARD, TRADE_ERROR, ORDERPAID,
    ORDERREVERSED, ORDERCLOSED, INVALID_REQUEST, OUT_TRADE_NO_USED, PARAM_ERROR.
    """

    order: OrderView | None
    error_code: str | None = None
    error_message: str = ""

    @property
    def trade_state(self) -> str | None:
        return self.order.trade_state if self.order else None


@dataclass(frozen=True)
class ReverseOutcome:
    """``recall`` True ⇒ the caller must call reverse again (v2 ``recall=Y``)."""

    recall: bool
    error_code: str | None = None
    error_message: str = ""


@dataclass(frozen=True)
class Coupon:
    """A coupon the customer uses on an order (v3 ``promotion_detail`` entry).

    ``type``: ``NOCASH`` 免充值券 (merchant-funded: the shop is settled the total less the
    coupon) or ``CASH`` 充值券 (pre-funded: the shop is settled the full total);
    ``scope``: ``GLOBAL`` 全场代金券 or ``SINGLE`` 单品优惠 (立减).
    """

    amount: int
    type: str = "NOCASH"
    scope: str = "GLOBAL"
    name: str = "门店代金券"

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError("coupon amount must be a positive int (fen)")
        if self.type not in ("CASH", "NOCASH") or self.scope not in ("GLOBAL", "SINGLE"):
            raise ValueError("coupon type must be CASH|NOCASH and scope GLOBAL|SINGLE")

    def promotion(self, coupon_id: str) -> dict[str, Any]:
        """The promotion_detail entry: who funds it (merchant for NOCASH, WeChat for CASH)."""
        merchant = self.amount if self.type == "NOCASH" else 0
        return {
            "coupon_id": coupon_id, "name": self.name, "scope": self.scope, "type": self.type,
            "amount": self.amount, "stock_id": "9" + coupon_id[-7:], "wechatpay_contribute": self.amount - merchant,
            "merchant_contribute": merchant, "other_contribute": 0, "currency": "CNY",
        }


def settlement_total(promotions: Sequence[Mapping[str, Any]], total: int) -> int:
    """应结订单金额: the total less merchant-funded (NOCASH) coupons."""
    return total - sum(int(p["amount"]) for p in promotions if p.get("type") == "NOCASH")


@dataclass
class BillFile:
    data: bytes
    expires_at: float
    gzip: bool = False


def fingerprint(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def load_record(cls: type[Any], text: str) -> Any:
    raw = json.loads(text)
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in raw.items() if k in names})

