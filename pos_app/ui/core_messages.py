"""English for the cashier texts the payment core produces in Chinese.

``PaymentEvent.message`` is zh_CN (see :mod:`pos_app.payments.messages`); in the
English UI it is shown through :func:`localize`. Unknown texts pass through as-is.
"""

from __future__ import annotations

from pos_app.payments import messages as m
from pos_app.ui.i18n import current_language

_EN: dict[str, str] = {
    m.PAID: "Paid",
    m.WAITING_PASSWORD: "Waiting for the customer to enter the password…",
    m.WAITING_SCAN: "Ask the customer to scan with WeChat",
    m.CHECKING: "Network problem: checking the result — do not charge again…",
    m.CANCELLED_BEFORE_SEND: "Cancelled, nothing charged",
    m.CLOSED_EXPIRED: "QR code expired, order closed, nothing charged",
    m.CLOSED_CANCELLED: "Cancelled, order closed, nothing charged",
    m.CLOSED_PREPAY_FAILED: "Could not create the QR code (network), nothing charged",
    m.CLOSED_NEVER_CREATED: "WeChat Pay has no such order, nothing charged",
    m.REVERSED_TIMEOUT: "The customer did not pay in time: reversed, nothing charged",
    m.REVERSED_CANCELLED: "Cancelled and reversed, nothing charged",
    m.REVERSED_PAYERROR: "The customer's payment failed: reversed, nothing charged",
    m.REVERSED_UNKNOWN: "Outcome unknown, reversed: any charge will be refunded",
    m.FAILED_NOT_FOUND: "WeChat Pay received no such charge, nothing charged",
    m.UNCERTAIN_REVERSE: "Reverse failed, outcome unknown: do not charge again; retry later",
    m.UNCERTAIN_CLOSE: "Close failed, the customer may still pay: do not charge again",
    m.UNCERTAIN_OFFLINE: "WeChat Pay unreachable, outcome unknown: do not charge again",
    m.UNCERTAIN_INTERNAL: "Internal error, outcome unknown: do not charge again",
    "付款码已过期，请顾客刷新付款码后重新扫码": "Payment code expired: ask the customer to refresh it",
    "付款码无效（每个付款码只能使用一次），请顾客刷新后重新扫码":
        "Payment code already used: ask the customer to refresh it",
    "付款码无效，请扫描顾客微信中的付款码": "Invalid payment code: scan the code in WeChat",
    "顾客余额不足，请顾客更换银行卡或其他付款方式":
        "Insufficient balance: ask the customer to use another card or method",
    "顾客的卡不支持此交易，请更换付款方式": "The customer's card is not supported here",
    "交易失败（风控或无可用支付方式），请顾客更换付款方式":
        "Payment refused (risk control): ask for another method",
    "交易受限，请顾客更换付款方式": "Payment restricted: ask for another method",
    "顾客账户异常，请更换付款方式": "The customer's account is restricted",
}


def to_english(text: str) -> str:
    if text in _EN:
        return _EN[text]
    for suffix, en in (("（未扣款）", " (nothing charged)"), ("，未扣款", ", nothing charged")):
        if text.endswith(suffix) and text[: -len(suffix)] in _EN:
            return _EN[text[: -len(suffix)]] + en
    if text.startswith(m.CASH_PAID):
        rest = text[len(m.CASH_PAID):].replace("，找零", "change").strip("，, ")
        return f"Cash received, {rest}" if rest else "Cash received"
    return text


def localize(text: str) -> str:
    """The core's zh text in the UI language."""
    return text if current_language().startswith("zh") else to_english(text)
