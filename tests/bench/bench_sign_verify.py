"""Mean time of one APIv3 call's crypto: sign the request (Authorization) + verify the response.

pos_app.wechatpay (RsaSha256Signer.authorization + ResponseValidator.validate, which also
checks headers, timestamp window, SIGNTEST, base64) vs wechatpayv3 2.0.4
(utils.build_authorization + utils.rsa_verify). Same RSA-2048 keys, same body, N iterations
each, one process. Run: ``.venv/bin/python tests/bench/bench_sign_verify.py [N]``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric import rsa
from wechatpayv3 import utils as v3utils

from pos_app.wechatpay.crypto import response_message, rsa_sign
from pos_app.wechatpay.signer import RsaSha256Signer
from pos_app.wechatpay.verifier import PublicKeyVerifier, ResponseValidator

MCHID, SERIAL, KEY_ID = (
    "1900000109",
    "5D3A5B2C1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B",
    "PUB_KEY_ID_0000000000000024101100397200000006",
)
PATH = "/v3/pay/transactions/codepay"
REQUEST = {
    "appid": "wxd930ea5d5a258f4f",
    "mchid": MCHID,
    "description": "小店-收银台-商品",
    "out_trade_no": "A2024010200001",
    "payer": {"auth_code": "134567890123456789"},
    "amount": {"total": 1234, "currency": "CNY"},
    "scene_info": {"store_info": {"out_id": "POS"}},
}
RESPONSE = json.dumps(
    {
        "appid": "wxd930ea5d5a258f4f",
        "mchid": MCHID,
        "out_trade_no": "A2024010200001",
        "transaction_id": "4200000000000000000000000001",
        "trade_type": "MICROPAY",
        "trade_state": "SUCCESS",
        "amount": {"total": 1234, "payer_total": 1234, "currency": "CNY"},
    },
    ensure_ascii=False,
    separators=(",", ":"),
)


def timed(label: str, n: int, fn: Callable[[], None]) -> float:
    for _ in range(20):  # warm-up
        fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    mean = statistics.fmean(samples) * 1e3
    print(
        f"{label:<58} mean {mean:7.3f} ms  "
        f"median {statistics.median(samples) * 1e3:7.3f} ms  (n={n})"
    )
    return mean


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    merchant = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    wechat = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ts, nonce = str(int(time.time())), "d824f2e086d3c1df967785d13fcd22ef"
    body_bytes = RESPONSE.encode()
    signature = rsa_sign(wechat, response_message(ts, nonce, body_bytes))
    headers = {
        "Wechatpay-Serial": KEY_ID,
        "Wechatpay-Timestamp": ts,
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": signature,
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }
    request_bytes = json.dumps(REQUEST, ensure_ascii=False, separators=(",", ":")).encode()
    request_str = json.dumps(REQUEST)

    signer = RsaSha256Signer(MCHID, SERIAL, merchant)
    validator = ResponseValidator(PublicKeyVerifier(KEY_ID, wechat.public_key()))
    wechat_pub = wechat.public_key()

    def ours() -> None:
        signer.authorization("POST", PATH, request_bytes)
        validator.validate(headers, body_bytes)

    def theirs() -> None:
        v3utils.build_authorization(PATH, "POST", MCHID, SERIAL, merchant, data=request_str)
        assert v3utils.rsa_verify(ts, nonce, RESPONSE, signature, wechat_pub)

    print(f"RSA-2048, request {len(request_bytes)} B, response {len(body_bytes)} B")
    a = timed("pos_app  sign (Authorization) + verify (response)", n, ours)
    b = timed("wechatpayv3 build_authorization + rsa_verify", n, theirs)
    timed(
        "pos_app  sign only", n, lambda: signer.authorization("POST", PATH, request_bytes) and None
    )
    timed(
        "pos_app  verify only (ResponseValidator.validate)",
        n,
        lambda: validator.validate(headers, body_bytes),
    )
    timed(
        "wechatpayv3 build_authorization only",
        n,
        lambda: (
            v3utils.build_authorization(PATH, "POST", MCHID, SERIAL, merchant, data=request_str)
            and None
        ),
    )
    timed(
        "wechatpayv3 rsa_verify only",
        n,
        lambda: v3utils.rsa_verify(ts, nonce, RESPONSE, signature, wechat_pub) and None,
    )
    print(f"ratio pos_app / wechatpayv3 (sign+verify): {a / b:.3f}")


if __name__ == "__main__":
    main()
