"""Scan-to-request-sent latency: raw scanned string → classify → build + sign micropay XML →
request handed to the transport. Median/p95 over N iterations (default 1000).

    .venv/bin/python tests/bench/bench_scan_to_request.py [N] [MD5|HMAC-SHA256]

The transport records ``perf_counter`` when the request reaches it (i.e. when the
bytes would start leaving the client), then answers a canned signed SUCCESS.
"""

from __future__ import annotations

import statistics
import sys
import time

import httpx

from pos_app.domain.money import Fen
from pos_app.domain.scan import ScanKind, classify
from pos_app.wechatpay.crypto import v2_sign
from pos_app.wechatpay.v2 import MicropayV2Client, to_xml

KEY = "0123456789abcdef0123456789ABCDEF"
APPID, MCHID = "wxd930ea5d5a258f4f", "1900000109"


def main(n: int = 1000, sign_type: str = "HMAC-SHA256") -> dict[str, float]:
    sent_at: list[float] = []

    def transport(request: httpx.Request) -> httpx.Response:
        sent_at.append(time.perf_counter())
        out_trade_no = request.content.split(b"<out_trade_no>")[1].split(b"<")[0].decode()
        resp = {
            "return_code": "SUCCESS",
            "appid": APPID,
            "mch_id": MCHID,
            "nonce_str": "n",
            "result_code": "SUCCESS",
            "out_trade_no": out_trade_no,
            "total_fee": "1234",
        }
        resp["sign"] = v2_sign(resp, KEY, sign_type)
        return httpx.Response(200, content=to_xml(resp))

    client = MicropayV2Client(
        appid=APPID,
        mchid=MCHID,
        api_key=KEY,
        base_url="https://wx.test",
        sign_type=sign_type,  # type: ignore[arg-type]
        transport=httpx.MockTransport(transport),
    )
    samples: list[float] = []
    for i in range(n):
        raw = f"]C113{i:016d}\r\n"
        t0 = time.perf_counter()
        scan = classify(raw)
        assert scan.kind is ScanKind.WECHAT_CODE
        client.micropay(
            out_trade_no=f"B{i}", description="bench", total=Fen(1234), auth_code=scan.text
        )
        samples.append(sent_at[-1] - t0)
    samples.sort()
    return {
        "n": n,
        "median_us": statistics.median(samples) * 1e6,
        "p95_us": samples[int(0.95 * (n - 1))] * 1e6,
        "max_us": samples[-1] * 1e6,
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    alg = sys.argv[2] if len(sys.argv) > 2 else "HMAC-SHA256"
    r = main(n, alg)
    print(
        f"scan→request-sent ({alg}), n={r['n']}: median {r['median_us']:.0f} µs, "
        f"p95 {r['p95_us']:.0f} µs, max {r['max_us']:.0f} µs"
    )
