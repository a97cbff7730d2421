"""Cashier-facing (zh_CN) texts for attempt outcomes and WeChat Pay refusal codes."""

from __future__ import annotations

from pos_app.domain.money import format_yuan

REFUSALS: dict[str, str] = {
    "AUTHCODEEXPIRE": "付款码已过期，请顾客刷新付款码后重新扫码",
    "AUTH_CODE_EXPIRE": "付款码已过期，请顾客刷新付款码后重新扫码",
    "AUTH_CODE_ERROR": "付款码无效（每个付款码只能使用一次），请顾客刷新后重新扫码",
    "AUTH_CODE_INVALID": "付款码无效，请扫描顾客微信中的付款码",
    "NOTENOUGH": "顾客余额不足，请顾客更换银行卡或其他付款方式",
    "NOT_ENOUGH": "顾客余额不足，请顾客更换银行卡或其他付款方式",
    "NOTSUPORTCARD": "顾客的卡不支持此交易，请更换付款方式",
    "NOT_SUPPORT_CARD": "顾客的卡不支持此交易，请更换付款方式",
    "BUYER_MISMATCH": "付款人与订单不一致，请重新下单",
    "TRADE_ERROR": "交易失败（风控或无可用支付方式），请顾客更换付款方式",
    "RULE_LIMIT": "交易受限，请顾客更换付款方式",
    "PAYER_ACCOUNT_ABNORMAL": "顾客账户异常，请更换付款方式",
    "USER_ACCOUNT_ABNORMAL": "顾客账户异常，请更换付款方式",
    "NO_AUTH": "商户无此接口权限，请联系管理员检查微信支付配置",
    "NOAUTH": "商户无此接口权限，请联系管理员检查微信支付配置",
    "SIGN_ERROR": "签名错误，请联系管理员检查商户证书配置",
    "SIGNERROR": "签名错误，请联系管理员检查商户证书配置",
    "PARAM_ERROR": "请求参数错误，未扣款",
    "INVALID_REQUEST": "请求无效，未扣款",
    "APPID_MCHID_NOT_MATCH": "AppID 与商户号不匹配，请检查配置",
    "MCH_NOT_EXISTS": "商户号不存在，请检查配置",
    "OUT_TRADE_NO_USED": "商户订单号重复，请重新发起支付",
    "ORDERPAID": "商户订单号重复，请重新发起支付",
    "ORDER_PAID": "商户订单号重复，请重新发起支付",
    "ORDERCLOSED": "商户订单号重复，请重新发起支付",
    "ORDER_CLOSED": "商户订单号重复，请重新发起支付",
    "ORDERREVERSED": "商户订单号重复，请重新发起支付",
}

# Codes saying "an order with this out_trade_no already exists".
ORDER_EXISTS_CODES = frozenset(
    {"ORDERPAID", "ORDER_PAID", "OUT_TRADE_NO_USED", "ORDERCLOSED", "ORDER_CLOSED",
     "ORDERREVERSED"}
)
NOT_FOUND_CODES = frozenset({"ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS"})

PAID = "支付成功"
WAITING_PASSWORD = "等待顾客输入支付密码…"
WAITING_SCAN = "请顾客使用微信扫一扫付款"
CHECKING = "网络异常，正在查询支付结果，请勿重复收款…"
CANCELLED_BEFORE_SEND = "已取消，未扣款"
CLOSED_EXPIRED = "二维码已过期，订单已关闭，未扣款"
CLOSED_CANCELLED = "已取消，订单已关闭，未扣款"
CLOSED_PREPAY_FAILED = "无法生成付款二维码（网络异常），未扣款"
CLOSED_NEVER_CREATED = "微信支付无此订单，未扣款"
REVERSED_TIMEOUT = "顾客未在规定时间内完成支付，已撤销，未扣款"
REVERSED_CANCELLED = "已取消并撤销，未扣款"
REVERSED_PAYERROR = "顾客支付失败，已撤销，未扣款"
REVERSED_UNKNOWN = "支付结果未知，已撤销；如顾客已被扣款将原路退回"
FAILED_NOT_FOUND = "微信支付未收到此笔扣款，未扣款"
UNCERTAIN_REVERSE = "撤销未成功，支付结果未知：请勿重复收款，稍后重试确认"
UNCERTAIN_CLOSE = "关单未成功，顾客仍可能付款：请勿重复收款，稍后重试确认"
UNCERTAIN_OFFLINE = "无法连接微信支付，支付结果未知：请勿重复收款，联网后重试确认"
UNCERTAIN_INTERNAL = "内部错误，支付结果未知：请勿重复收款，稍后重试确认"
CASH_PAID = "现金收款完成"


def uncertain_amount(paid: int, expected: int) -> str:
    """The order was paid, but not the amount we asked for: a manager must sort it out."""
    return (f"微信支付实付金额 ¥{format_yuan(paid)} 与应收 ¥{format_yuan(expected)} 不符："
            "请勿重复收款，请联系店长核对")


def refusal_message(code: str, fallback: str) -> str:
    """A clear zh text for a business refusal; ends with 未扣款 (nothing was charged)."""
    text = REFUSALS.get(code.upper())
    if text is None:
        text = f"支付失败：{fallback or code}"
    return text if "未扣款" in text else f"{text}（未扣款）"
