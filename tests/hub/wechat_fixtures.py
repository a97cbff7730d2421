"""Signed WeChat Pay callbacks built with the project's own signer and crypto."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.hub.config import NotifyConfig, build_verifier
from pos_app.simulator.keys import cert_pem, new_rsa_key, self_signed_cert
from pos_app.wechatpay.certificates import PlatformCertificate
from pos_app.wechatpay.crypto import aes_gcm_encrypt, cert_serial_hex, response_message, rsa_sign
from pos_app.wechatpay.verifier import PublicKeyVerifier, ResponseValidator

APIV3_KEY = "HubApiV3KeyForTests0123456789abc"  # 32 bytes
PUB_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000"
_KEY: rsa.RSAPrivateKey = new_rsa_key()
_CERT = self_signed_cert(_KEY, "Wechatpay APIv3 platform")


def notify_config(mode: str) -> NotifyConfig:
    """``mode``: "public_key" (PUB_KEY_ID_…) or "certificate" (platform certificate serial)."""
    if mode == "public_key":
        verifier = build_verifier(PublicKeyVerifier(PUB_KEY_ID, _KEY.public_key()), [])
    else:
        verifier = build_verifier(None, [PlatformCertificate.from_pem(cert_pem(_CERT))])
    return NotifyConfig(ResponseValidator(verifier), APIV3_KEY)


def serial(mode: str) -> str:
    return PUB_KEY_ID if mode == "public_key" else cert_serial_hex(_CERT)


def transaction_callback(
    mode: str, out_trade_no: str, total_fen: int, *, notification_id: str | None = None,
    key: rsa.RSAPrivateKey | None = None,
) -> tuple[dict[str, str], bytes]:
    payload: dict[str, Any] = {
        "appid": "wx8888888888888888", "mchid": "1900000109", "out_trade_no": out_trade_no,
        "transaction_id": "4200000000" + out_trade_no[-8:].rjust(18, "0"),
        "trade_type": "NATIVE", "trade_state": "SUCCESS", "trade_state_desc": "支付成功",
        "bank_type": "OTHERS", "success_time": "2026-12-02T10:00:00+08:00",
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        "amount": {"total": total_fen, "payer_total": total_fen, "currency": "CNY",
                   "payer_currency": "CNY"},
    }
    nonce = uuid.uuid4().hex[:12]
    body = json.dumps({
        "id": notification_id or str(uuid.uuid4()),
        "create_time": "2026-12-02T10:00:01+08:00", "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
        "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                     "ciphertext": aes_gcm_encrypt(APIV3_KEY, nonce, "transaction",
                                                   json.dumps(payload, ensure_ascii=False)),
                     "associated_data": "transaction", "nonce": nonce},
    }, ensure_ascii=False).encode()
    ts, hnonce = str(int(time.time())), uuid.uuid4().hex
    headers = {
        "Wechatpay-Serial": serial(mode), "Wechatpay-Timestamp": ts, "Wechatpay-Nonce": hnonce,
        "Wechatpay-Signature": rsa_sign(key or _KEY, response_message(ts, hnonce, body)),
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
        "Content-Type": "application/json",
    }
    return headers, body
