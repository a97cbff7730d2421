"""A small WeChat Pay APIv3 fake for ``httpx.MockTransport``: checks the client's
Authorization signature over the exact bytes received and signs its answers with a
test platform key (public-key mode) or platform certificates (certificate mode)."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from pos_app.wechatpay.crypto import (
    aes_gcm_encrypt,
    parse_authorization,
    request_message,
    response_message,
    rsa_sign,
    rsa_verify,
)

Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """Settable unix-seconds clock shared by the fake and the client."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_certificate(
    key: rsa.RSAPrivateKey,
    serial: int,
    *,
    not_before: datetime = datetime(2020, 1, 1, tzinfo=UTC),
    not_after: datetime = datetime(2040, 1, 1, tzinfo=UTC),
) -> bytes:
    """Self-signed PEM certificate for ``key`` with the given serial."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA (test)")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass
class SigningKey:
    """A key WeChat Pay signs with: ``serial`` is a PUB_KEY_ID_… or a cert serial (hex)."""

    serial: str
    key: rsa.RSAPrivateKey
    cert_pem: bytes | None = None


@dataclass
class FakeWechatPay:
    mchid: str
    appid: str
    apiv3_key: str
    merchant_public_key: rsa.RSAPublicKey
    signing: SigningKey
    clock: FakeClock
    certificates: list[SigningKey] = field(default_factory=list)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    #: path → handler overriding the default route (for scripted answers / failures)
    scripted: dict[str, Handler] = field(default_factory=dict)
    bill: bytes = "\ufeff交易时间,商户订单号\n`2024-01-02 10:00:00,`A1\n".encode()
    bill_gzip: bool = False
    bill_hash_override: str | None = None
    tamper_body: bool = False
    cert_downloads: int = 0

    # -- signing ---------------------------------------------------------------------

    def signed(
        self,
        status: int,
        body: bytes | dict[str, Any] | None = None,
        *,
        key: SigningKey | None = None,
    ) -> httpx.Response:
        raw = (
            json.dumps(body, ensure_ascii=False).encode()
            if isinstance(body, dict)
            else (body or b"")
        )
        k = key or self.signing
        ts, nonce = str(int(self.clock())), "d824f2e086d3c1df967785d13fcd22ef"
        headers = {
            "Wechatpay-Serial": k.serial,
            "Wechatpay-Timestamp": ts,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": rsa_sign(k.key, response_message(ts, nonce, raw)),
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
            "Request-ID": "08F78BB5AF0610D302A2B3C7-0",
        }
        if raw:
            headers["Content-Type"] = "application/json"
        if self.tamper_body and raw:
            raw = raw.replace(b"SUCCESS", b"SUCCESS ") if b"SUCCESS" in raw else raw + b" "
        return httpx.Response(status, headers=headers, content=raw)

    @staticmethod
    def error(status: int, code: str, message: str) -> httpx.Response:
        return httpx.Response(
            status,
            json={"code": code, "message": message},
            headers={"Request-ID": f"08F78BB5AF0610D302A2B3C7-{status}"},
        )

    # -- entry point -----------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        problem = self._check_auth(request)
        if problem:
            return self.error(401, "SIGN_ERROR", problem)
        path = request.url.path
        if path in self.scripted:
            return self.scripted[path](request)
        return self._route(request, path)

    def _check_auth(self, request: httpx.Request) -> str | None:
        try:
            fields = parse_authorization(request.headers.get("Authorization", ""))
        except ValueError as exc:
            return str(exc)
        if fields["mchid"] != self.mchid:
            return "mchid mismatch"
        if not request.headers.get("User-Agent") or not request.headers.get("Accept"):
            return "Http头缺少Accept或User-Agent"
        message = request_message(
            request.method,
            request.url.raw_path.decode(),
            fields["timestamp"],
            fields["nonce_str"],
            request.content,
        )
        if not rsa_verify(self.merchant_public_key, message, fields["signature"]):
            return "签名错误"
        return None

    def _route(self, request: httpx.Request, path: str) -> httpx.Response:
        method = request.method
        body: dict[str, Any] = json.loads(request.content) if request.content else {}
        prefix = "/v3/pay/transactions/out-trade-no/"
        if method == "POST" and path == "/v3/pay/transactions/native":
            self.orders[body["out_trade_no"]] = {
                **body,
                "trade_state": "NOTPAY",
                "trade_type": "NATIVE",
            }
            return self.signed(200, {"code_url": "weixin://wxpay/bizpayurl?pr=JyC91EIz1"})
        if method == "POST" and path == "/v3/pay/transactions/codepay":
            return self._codepay(body)
        if method == "GET" and path.startswith(prefix):
            order = self.orders.get(path.removeprefix(prefix))
            if order is None:
                return self.error(404, "ORDER_NOT_EXIST", "订单不存在")
            return self.signed(200, self._transaction(order))
        if method == "GET" and path.startswith("/v3/pay/transactions/id/"):
            tid = path.removeprefix("/v3/pay/transactions/id/")
            for order in self.orders.values():
                if order.get("transaction_id") == tid:
                    return self.signed(200, self._transaction(order))
            return self.error(404, "ORDER_NOT_EXIST", "订单不存在")
        if method == "POST" and path.startswith(prefix) and path.endswith("/close"):
            no = path.removeprefix(prefix).removesuffix("/close")
            if self.orders.get(no, {}).get("trade_state") == "SUCCESS":
                return self.error(400, "ORDER_PAID", "订单已支付")
            if no in self.orders:
                self.orders[no]["trade_state"] = "CLOSED"
            return self.signed(204)
        if method == "POST" and path.startswith(prefix) and path.endswith("/reverse"):
            no = path.removeprefix(prefix).removesuffix("/reverse")
            if no in self.orders:
                self.orders[no]["trade_state"] = "REVOKED"
            return self.signed(200, {"appid": self.appid, "mchid": self.mchid, "out_trade_no": no})
        if method == "POST" and path == "/v3/refund/domestic/refunds":
            refund = {
                "refund_id": "50000000382019052709732678859",
                "out_refund_no": body["out_refund_no"],
                "transaction_id": "4200000000000000000000000001",
                "out_trade_no": body["out_trade_no"],
                "channel": "ORIGINAL",
                "user_received_account": "支付用户零钱",
                "create_time": "2024-01-02T10:00:00+08:00",
                "status": "PROCESSING",
                "amount": {**body["amount"], "payer_total": body["amount"]["total"]},
            }
            self.refunds[body["out_refund_no"]] = refund
            return self.signed(200, refund)
        if method == "GET" and path.startswith("/v3/refund/domestic/refunds/"):
            refund = self.refunds.get(path.rsplit("/", 1)[1])
            if refund is None:
                return self.error(404, "RESOURCE_NOT_EXISTS", "订单不存在")
            return self.signed(200, refund)
        if method == "GET" and path == "/v3/bill/tradebill":
            return self.signed(
                200,
                {
                    "hash_type": "SHA1",
                    "hash_value": self.bill_hash_override or hashlib.sha1(self.bill).hexdigest(),
                    "download_url": "https://api.mch.weixin.qq.com/v3/billdownload/file?token=6XIv5TUPto7pByrTQKhd6kwvyKLG2uY2wMMR8cNXqaA_Cv_isgaUtBzp4QtiozLO",
                },
            )
        if method == "GET" and path == "/v3/billdownload/file":
            content = gzip.compress(self.bill) if self.bill_gzip else self.bill
            return httpx.Response(200, content=content, headers={"Content-Type": "text/plain"})
        if method == "GET" and path == "/v3/certificates":
            self.cert_downloads += 1
            return self.signed(200, self.certificates_body())
        return self.error(404, "NOT_FOUND", f"no route {method} {path}")

    def certificates_body(self, apiv3_key: str | None = None) -> dict[str, Any]:
        data = []
        for i, cert in enumerate(self.certificates):
            assert cert.cert_pem is not None
            nonce = f"61f9c719728{i}"
            data.append(
                {
                    "serial_no": cert.serial,
                    "effective_time": "2020-01-01T00:00:00+08:00",
                    "expire_time": "2040-01-01T00:00:00+08:00",
                    "encrypt_certificate": {
                        "algorithm": "AEAD_AES_256_GCM",
                        "nonce": nonce,
                        "associated_data": "certificate",
                        "ciphertext": aes_gcm_encrypt(
                            apiv3_key or self.apiv3_key, nonce, "certificate", cert.cert_pem
                        ),
                    },
                }
            )
        return {"data": data}

    def _codepay(self, body: dict[str, Any]) -> httpx.Response:
        code = body["payer"]["auth_code"]
        no = body["out_trade_no"]
        if code.endswith("0"):  # instant success
            order = {
                **body,
                "trade_state": "SUCCESS",
                "trade_type": "MICROPAY",
                "transaction_id": "4200000000000000000000000001",
            }
            self.orders[no] = order
            return self.signed(200, self._transaction(order))
        if code.endswith("1"):  # 200 with only the state
            self.orders[no] = {**body, "trade_state": "USERPAYING", "trade_type": "MICROPAY"}
            return self.signed(200, {"trade_state": "USERPAYING"})
        if code.endswith("2"):  # 202 Accepted, error-shaped body
            self.orders[no] = {**body, "trade_state": "USERPAYING", "trade_type": "MICROPAY"}
            return self.signed(202, {"code": "USERPAYING", "message": "用户支付中，需要输入密码"})
        if code.endswith("3"):
            return self.error(403, "NOT_ENOUGH", "用户账户余额不足")
        if code.endswith("4"):
            return self.error(400, "AUTHCODEEXPIRE", "二维码已过期，请用户在微信上刷新后再试")
        return self.error(500, "SYSTEM_ERROR", "系统异常，请稍后重试")

    def _transaction(self, order: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "appid": self.appid,
            "mchid": self.mchid,
            "out_trade_no": order["out_trade_no"],
            "trade_state": order["trade_state"],
            "trade_state_desc": "",
            "trade_type": order.get("trade_type", ""),
        }
        if order["trade_state"] == "SUCCESS":
            out.update(
                transaction_id=order["transaction_id"],
                bank_type="OTHERS",
                success_time="2024-01-02T10:00:00+08:00",
                payer={"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
                amount={
                    "total": order["amount"]["total"],
                    "payer_total": order["amount"]["total"],
                    "currency": "CNY",
                    "payer_currency": "CNY",
                },
            )
        return out
