"""APIv3 JSON bodies the simulator answers with: orders, refunds, platform certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography.hazmat.primitives import serialization

from pos_app.simulator.provision import SimIdentity
from pos_app.simulator.records import OrderView, RefundView, fmt_rfc3339
from pos_app.wechatpay.crypto import aes_gcm_encrypt, nonce_str


def order_json(v: OrderView) -> dict[str, Any]:
    """APIv3 query/codepay body for an order."""
    doc: dict[str, Any] = {
        "appid": v.appid,
        "mchid": v.mchid,
        "out_trade_no": v.out_trade_no,
        "trade_type": v.trade_type,
        "trade_state": v.trade_state,
        "trade_state_desc": v.trade_state_desc,
        "amount": {"total": v.total, "currency": "CNY", "payer_currency": "CNY"},
        "promotion_detail": [dict(p) for p in v.promotions],
    }
    if v.device_id:
        doc["scene_info"] = {"device_id": v.device_id}
    if v.attach:
        doc["attach"] = v.attach
    if v.transaction_id:
        doc["transaction_id"] = v.transaction_id
        doc["bank_type"] = v.bank_type or "OTHERS"
        doc["success_time"] = fmt_rfc3339(v.success_at)
        doc["payer"] = {"openid": v.openid}
        doc["amount"]["payer_total"] = v.payer_total
    return doc


def refund_json(r: RefundView) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "refund_id": r.refund_id,
        "out_refund_no": r.out_refund_no,
        "transaction_id": r.transaction_id,
        "out_trade_no": r.out_trade_no,
        "channel": "ORIGINAL",
        "user_received_account": r.user_received_account,
        "create_time": fmt_rfc3339(r.created_at),
        "status": r.status,
        "funds_account": "AVAILABLE",
        "amount": {
            "total": r.total, "refund": r.refund, "from": [], "payer_total": r.total, "payer_refund": r.refund,
            "settlement_refund": r.refund, "settlement_total": r.total, "discount_refund": 0, "currency": "CNY",
        },
        "promotion_detail": [],
    }
    if r.success_at is not None:
        doc["success_time"] = fmt_rfc3339(r.success_at)
    return doc


def certificates_body(ident: SimIdentity) -> dict[str, Any]:
    """The ``/v3/certificates`` answer: the platform certificate, AES-256-GCM encrypted."""
    nonce = nonce_str(12)
    pem = ident.platform_cert.public_bytes(serialization.Encoding.PEM)
    cert = ident.platform_cert
    return {"data": [{
        "serial_no": ident.platform_serial,
        "effective_time": cert.not_valid_before_utc.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(),
        "expire_time": cert.not_valid_after_utc.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(),
        "encrypt_certificate": {
            "algorithm": "AEAD_AES_256_GCM", "nonce": nonce, "associated_data": "certificate",
            "ciphertext": aes_gcm_encrypt(ident.apiv3_key, nonce, "certificate", pem),
        },
    }]}
