"""APIv3 JSON objects → typed models (strict: amounts must be int fen, states known)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pos_app.domain.money import Fen
from pos_app.wechatpay.errors import MalformedResponseError
from pos_app.wechatpay.models import (
    CouponScope,
    CouponType,
    PromotionDetail,
    Refund,
    RefundStatus,
    TradeState,
    Transaction,
)


def json_object(body: bytes, what: str) -> dict[str, Any]:
    """Parse ``body`` as a JSON object or raise :class:`MalformedResponseError`."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply to parse
        raise MalformedResponseError(f"{what}: body is not JSON") from exc
    if not isinstance(doc, dict):
        raise MalformedResponseError(f"{what}: body is not a JSON object")
    return doc


def dump_json(obj: Mapping[str, Any]) -> bytes:
    """The one serialization that is both signed and sent (UTF-8, compact, no ASCII escaping)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def wechat_text(text: str, max_bytes: int) -> str:
    """Fit ``text`` for a WeChat Pay string field: no 4-byte UTF-8 characters (emoji are
    refused by the API) and at most ``max_bytes`` UTF-8 bytes, never cutting a character."""
    kept = "".join(ch for ch in text if ord(ch) <= 0xFFFF)
    data = kept.encode("utf-8")[:max_bytes]
    return data.decode("utf-8", errors="ignore")


def _str(doc: Mapping[str, Any], name: str, what: str, *, required: bool = False) -> str:
    value = doc.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise MalformedResponseError(f"{what}: {name!r} missing or not a string")
    return value


def _fen(doc: Mapping[str, Any], name: str, what: str, *, required: bool = False) -> Fen | None:
    value = doc.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MalformedResponseError(f"{what}: amount.{name} must be a non-negative integer (fen)")
    return Fen(value)


def _obj(doc: Mapping[str, Any], name: str, what: str) -> Mapping[str, Any]:
    value = doc.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedResponseError(f"{what}: {name!r} is not an object")
    return value


def transaction_from_json(
    doc: Mapping[str, Any], what: str = "transaction", *, out_trade_no: str = ""
) -> Transaction:
    """Build a :class:`Transaction`; ``out_trade_no`` fills in a body that omits it."""
    raw_state = _str(doc, "trade_state", what, required=True)
    try:
        state = TradeState(raw_state)
    except ValueError as exc:
        raise MalformedResponseError(f"{what}: unknown trade_state {raw_state!r}") from exc
    no = _str(doc, "out_trade_no", what) or out_trade_no
    if not no:
        raise MalformedResponseError(f"{what}: out_trade_no missing")
    if out_trade_no and no != out_trade_no:
        raise MalformedResponseError(f"{what}: answer is about order {no!r}, not {out_trade_no!r}")
    amount = _obj(doc, "amount", what)
    payer = _obj(doc, "payer", what)
    scene = _obj(doc, "scene_info", what)
    return Transaction(
        out_trade_no=no,
        trade_state=state,
        trade_state_desc=_str(doc, "trade_state_desc", what),
        transaction_id=_str(doc, "transaction_id", what),
        trade_type=_str(doc, "trade_type", what),
        total=_fen(amount, "total", what),
        payer_total=_fen(amount, "payer_total", what),
        success_time=_str(doc, "success_time", what),
        bank_type=_str(doc, "bank_type", what),
        openid=_str(payer, "openid", what),
        promotions=promotions_from_json(doc.get("promotion_detail"), what),
        device_id=_str(scene, "device_id", what),
    )


def promotions_from_json(value: object, what: str = "promotion_detail") -> tuple[PromotionDetail, ...]:
    """``promotion_detail`` (v3 list, or v2's ``{"promotion_detail": [...]}`` with
    ``promotion_id``/``wxpay_contribute``) → typed coupons; amounts must be int fen."""
    if value is None:
        return ()
    if isinstance(value, dict) and "promotion_detail" in value:
        value = value["promotion_detail"]
    if not isinstance(value, list):
        raise MalformedResponseError(f"{what}: promotion_detail is not a list")
    out: list[PromotionDetail] = []
    for entry in value:
        if not isinstance(entry, dict):
            raise MalformedResponseError(f"{what}: promotion_detail entry is not an object")
        coupon_id = _str(entry, "coupon_id", what) or _str(entry, "promotion_id", what)
        amount = _fen(entry, "amount", what, required=True)
        assert amount is not None
        raw_type, raw_scope = _str(entry, "type", what), _str(entry, "scope", what)
        try:
            ctype = CouponType(raw_type) if raw_type else None
            scope = CouponScope(raw_scope) if raw_scope else None
        except ValueError as exc:
            raise MalformedResponseError(f"{what}: unknown coupon type/scope {raw_type!r}/{raw_scope!r}") from exc
        out.append(PromotionDetail(
            coupon_id=coupon_id, amount=amount, type=ctype, scope=scope, name=_str(entry, "name", what),
            stock_id=_str(entry, "stock_id", what) or _str(entry, "activity_id", what),
            wechatpay_contribute=_fen(entry, "wechatpay_contribute", what)
            or _fen(entry, "wxpay_contribute", what) or Fen(0),
            merchant_contribute=_fen(entry, "merchant_contribute", what) or Fen(0),
            other_contribute=_fen(entry, "other_contribute", what) or Fen(0),
        ))
    return tuple(out)


def refund_from_json(
    doc: Mapping[str, Any], what: str = "refund", *, out_refund_no: str = ""
) -> Refund:
    """Build a :class:`Refund` from a refund API answer or a decrypted refund callback."""
    raw_status = _str(doc, "status", what) or _str(doc, "refund_status", what)
    try:
        status = RefundStatus("CLOSED" if raw_status == "CLOSE" else raw_status)
    except ValueError as exc:
        raise MalformedResponseError(f"{what}: unknown refund status {raw_status!r}") from exc
    no = _str(doc, "out_refund_no", what, required=True)
    if out_refund_no and no != out_refund_no:
        raise MalformedResponseError(
            f"{what}: answer is about refund {no!r}, not {out_refund_no!r}"
        )
    amount = _obj(doc, "amount", what)
    refund = _fen(amount, "refund", what, required=True)
    total = _fen(amount, "total", what, required=True)
    assert refund is not None and total is not None
    return Refund(
        out_refund_no=no,
        status=status,
        refund=refund,
        total=total,
        refund_id=_str(doc, "refund_id", what),
        out_trade_no=_str(doc, "out_trade_no", what),
        transaction_id=_str(doc, "transaction_id", what),
        success_time=_str(doc, "success_time", what),
        user_received_account=_str(doc, "user_received_account", what),
    )
