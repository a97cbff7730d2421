"""APIv3 authentication on the simulator's side: checking the merchant's ``Authorization``
(WECHATPAY2-SHA256-RSA2048, serial compared by value, |Δt| ≤ 300 s) and signing answers with
the public-key-mode key or the platform certificate (wechatpay-api.md §1, §2)."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from pos_app.simulator.engine import Engine
from pos_app.simulator.provision import SimIdentity
from pos_app.simulator.v3_replies import (
    BadRequest,
    err,
)
from pos_app.wechatpay.crypto import (
    AUTH_SCHEME,
    parse_authorization,
    request_message,
    response_message,
    rsa_sign,
    rsa_verify,
    same_serial,
)

TIMESTAMP_TOLERANCE_S = 300


class V3Signing:
    """Request verification and response signing of :class:`~pos_app.simulator.server.SimulatorServer`."""

    engine: Engine
    identity: SimIdentity
    wall_clock: Any

    def signature_headers(self, body: bytes, request_serial: str | None, fault: str | None) -> list[tuple[str, str]]:
        ident = self.identity
        if request_serial and request_serial == ident.public_key_id:
            key, serial = ident.pubkey_private, ident.public_key_id
        else:
            key, serial = ident.platform_key, ident.platform_serial
        ts = str(int(self.wall_clock() + self.engine.faults.clock_skew_s))
        nonce = secrets.token_hex(16)
        if fault == "signtest":
            signature = "WECHATPAY/SIGNTEST/" + rsa_sign(key, response_message(ts, nonce, body))[19:]
        elif fault == "bad_signature":
            signature = rsa_sign(key, response_message(ts, nonce, body + b" "))
        else:
            signature = rsa_sign(key, response_message(ts, nonce, body))
        return [
            ("Wechatpay-Timestamp", ts),
            ("Wechatpay-Nonce", nonce),
            ("Wechatpay-Signature", signature),
            ("Wechatpay-Serial", serial),
            ("Wechatpay-Signature-Type", AUTH_SCHEME),
        ]

    def verify_request(self, method: str, raw_path: str, headers: Any, body: bytes) -> str:
        """Check headers + Authorization; returns the merchant id or raises BadRequest."""
        if not headers.get("Accept") or not headers.get("User-Agent"):
            raise BadRequest(err(400, "INVALID_REQUEST", "Http头缺少Accept或User-Agent"))
        auth = headers.get("Authorization")
        if not auth:
            raise BadRequest(err(401, "SIGN_ERROR", "Http头缺少Authorization"))
        try:
            fields = parse_authorization(auth)
        except ValueError:
            raise BadRequest(
                err(401, "SIGN_ERROR", "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》")
            ) from None
        ident = self.identity
        if fields["mchid"] != ident.mchid:
            raise BadRequest(err(401, "SIGN_ERROR", "商户号不存在或未开通APIv3"))
        if not same_serial(fields["serial_no"], ident.merchant_serial):
            raise BadRequest(err(401, "SIGN_ERROR", "商户证书序列号有误。"))
        if not fields["nonce_str"] or len(fields["nonce_str"]) > 64 or not fields["nonce_str"].isascii():
            raise BadRequest(err(401, "SIGN_ERROR", "Http头Authorization中的nonce_str无效"))
        ts = fields["timestamp"]
        if not (ts.isdigit() and len(ts) == 10) or abs(self.wall_clock() - int(ts)) > TIMESTAMP_TOLERANCE_S:
            raise BadRequest(err(401, "SIGN_ERROR", "请求时间戳已过期或格式错误（须为10位秒级时间戳，偏差不超过5分钟）"))
        message = request_message(method, raw_path, ts, fields["nonce_str"], body)
        if not rsa_verify(ident.merchant_public_key, message, fields["signature"]):
            detail = {
                "detail": {"issue": "sign not match"}, "field": "signature", "location": "authorization",
                "sign_information": {
                    "method": method, "sign_message_length": len(message),
                    "truncated_sign_message": message[:64].decode("utf-8", "replace"),
                    "url": urlsplit(raw_path).path,
                },
            }
            raise BadRequest(err(401, "SIGN_ERROR", "签名错误", detail))
        return ident.mchid
