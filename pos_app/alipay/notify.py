"""Asynchronous notifications (异步通知) — verification for a future notification hub.

The body is ``application/x-www-form-urlencoded``: decoded **once** (in the
notification's ``charset``), ``sign`` and ``sign_type`` removed, the rest sorted and
verified with the Alipay key. Values stay strings (``"10.00"`` is signed as such). Only a
verified notification is parsed; the caller must still check ``out_trade_no`` and the
amount against its own order and answer the plain body ``success``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from pos_app.alipay.amounts import yuan_to_fen
from pos_app.alipay.errors import MalformedResponseError, SignatureError
from pos_app.alipay.models import Notification, Trade, TradeStatus
from pos_app.alipay.signing import notification_sign_content, rsa2_verify
from pos_app.alipay.verifier import KeySource

ACK_BODY = b"success"
_CHARSETS = {"utf-8": "utf-8", "utf8": "utf-8", "gbk": "gbk", "gb2312": "gbk"}


def decode_form(body: bytes) -> dict[str, str]:
    """URL-decode a form body once; duplicate keys or non-ASCII raw bytes are refused."""
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError as exc:
        raise MalformedResponseError("notification: body is not URL-encoded") from exc
    charset = "utf-8"
    for key, value in parse_qsl(text, keep_blank_values=True, encoding="latin-1"):
        if key == "charset":
            charset = _CHARSETS.get(value.lower(), "")
    if not charset:
        raise MalformedResponseError("notification: unsupported charset")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True, encoding=charset, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedResponseError(f"notification: undecodable form ({exc})") from exc
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise MalformedResponseError(f"notification: field {key!r} appears twice")
        fields[key] = value
    return fields


def verify_notification_fields(fields: dict[str, str], keys: KeySource) -> None:
    sign = fields.get("sign")
    if not sign:
        raise SignatureError("notification: no sign")
    if fields.get("sign_type", "RSA2") != "RSA2":
        raise SignatureError("notification: sign_type is not RSA2")
    if not rsa2_verify(notification_sign_content(fields), sign, keys.key_for(None)):
        raise SignatureError("notification: signature does not verify")


def parse_notification(body: bytes, keys: KeySource, *, app_id: str, seller_id: str | None = None) -> Notification:
    """Verify then parse a trade notification; refuses another app's or seller's."""
    fields = decode_form(body)
    verify_notification_fields(fields, keys)
    if fields.get("app_id") != app_id:
        raise MalformedResponseError("notification: for another app_id")
    if seller_id is not None and fields.get("seller_id") != seller_id:
        raise MalformedResponseError("notification: for another seller_id")
    try:
        status = TradeStatus(fields.get("trade_status", ""))
        total = yuan_to_fen(fields.get("total_amount"))
        receipt = yuan_to_fen(fields["receipt_amount"]) if fields.get("receipt_amount") else None
    except ValueError as exc:
        raise MalformedResponseError(f"notification: {exc}") from exc
    out_trade_no = fields.get("out_trade_no", "")
    if not out_trade_no or not fields.get("notify_id"):
        raise MalformedResponseError("notification: out_trade_no / notify_id missing")
    trade = Trade(
        out_trade_no=out_trade_no,
        status=status,
        trade_no=fields.get("trade_no", ""),
        total_fen=total,
        receipt_fen=receipt,
        paid_at=fields.get("gmt_payment", ""),
    )
    return Notification(
        notify_id=fields["notify_id"], app_id=fields["app_id"], trade=trade,
        seller_id=fields.get("seller_id", ""), fields=fields,
    )
