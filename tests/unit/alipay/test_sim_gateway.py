"""The Alipay simulator's gateway checks, driven by raw HTTP (not through our client)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from pos_app.alipay.signing import load_private_key, rsa2_sign, rsa2_verify, sign_content
from pos_app.alipay.verifier import extract_signed
from pos_app.simulator.alipay.scenarios import random_success_code
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from tests.unit.alipay.conftest import new_no


def _params(sim: AlipaySimulatorServer, method: str, biz: dict[str, Any], *, cert: bool = False, **extra: str) -> dict[str, str]:
    p = {
        "app_id": sim.identity.app_id, "method": method, "format": "JSON", "charset": "utf-8",
        "sign_type": "RSA2", "timestamp": "2026-01-15 10:30:00", "version": "1.0",
        "biz_content": json.dumps(biz, ensure_ascii=False),
    }
    if cert:
        p.update(app_cert_sn=sim.identity.app_cert_sn, alipay_root_cert_sn=sim.identity.root_cert_sn)
    p.update(extra)
    key = load_private_key(sim.state_dir / "app_private_key.pem")
    p["sign"] = rsa2_sign(sign_content(p), key)
    return p


def _call(sim: AlipaySimulatorServer, params: dict[str, str], *, get: bool = False) -> tuple[str, dict[str, Any]]:
    if get:
        r = httpx.get(sim.gateway_url, params=params)
    else:
        r = httpx.post(sim.gateway_url, data=params)
    assert r.status_code == 200
    text = r.text
    doc = json.loads(text)
    node = next(k for k in doc if k.endswith("_response"))
    _, signed = extract_signed(text, params.get("method", "x"))
    key = sim.identity.alipay_cert_private_key if "alipay_cert_sn" in doc else sim.identity.alipay_private_key
    assert rsa2_verify(signed, doc["sign"], key.public_key()), "every answer is signed"
    return node, doc[node]


def _resign(sim: AlipaySimulatorServer, p: dict[str, str]) -> dict[str, str]:
    p = {k: v for k, v in p.items() if k != "sign"}
    p["sign"] = rsa2_sign(sign_content(p), load_private_key(sim.state_dir / "app_private_key.pem"))
    return p


@pytest.mark.parametrize("missing", ["app_id", "sign", "sign_type", "timestamp", "version"])
def test_missing_system_parameters(ali_sim: AlipaySimulatorServer, missing: str) -> None:
    p = _params(ali_sim, "alipay.trade.query", {"out_trade_no": "T1"})
    del p[missing]
    _, fields = _call(ali_sim, p)
    assert fields["code"] == "40001" and fields["sub_code"].startswith("isv.missing-")


def test_missing_and_unknown_method_use_error_response(ali_sim: AlipaySimulatorServer) -> None:
    p = _params(ali_sim, "alipay.trade.nope", {})
    node, fields = _call(ali_sim, p)
    assert node == "error_response" and fields["sub_code"] == "isv.invalid-method"


@pytest.mark.parametrize(
    ("change", "sub_code"),
    [
        ({"app_id": "2021000000000009"}, "isv.invalid-app-id"),
        ({"sign_type": "RSA"}, "isv.invalid-signature-type"),
        ({"charset": "latin-1"}, "isv.invalid-charset"),
        ({"format": "xml"}, "isv.invalid-format"),
        ({"timestamp": "2026/01/15 10:30:00"}, "isv.invalid-timestamp"),
        ({"timestamp": "2026-02-30 10:30:00"}, "isv.invalid-timestamp"),
    ],
)
def test_invalid_system_parameters(ali_sim: AlipaySimulatorServer, change: dict[str, str], sub_code: str) -> None:
    p = _resign(ali_sim, {**_params(ali_sim, "alipay.trade.query", {"out_trade_no": "T1"}), **change})
    _, fields = _call(ali_sim, p)
    assert fields["code"] == "40002" and fields["sub_code"] == sub_code


def test_invalid_signature_echoes_the_string_it_verified(ali_sim: AlipaySimulatorServer) -> None:
    p = _params(ali_sim, "alipay.trade.query", {"out_trade_no": "T1"})
    p["biz_content"] = p["biz_content"].replace("T1", "T2")  # sent ≠ signed
    _, fields = _call(ali_sim, p)
    assert fields["sub_code"] == "isv.invalid-signature" and sign_content(p) in fields["sub_msg"]


def test_unsigned_extra_parameter_breaks_the_signature(ali_sim: AlipaySimulatorServer) -> None:
    p = _params(ali_sim, "alipay.trade.query", {"out_trade_no": "T1"})
    p["notify_url"] = "https://example.com/n"
    assert _call(ali_sim, p)[1]["sub_code"] == "isv.invalid-signature"


@pytest.mark.parametrize(
    ("change", "sub_code"),
    [
        ({"app_cert_sn": "0" * 32}, "isv.app-cert-not-exist"),
        ({"alipay_root_cert_sn": "0" * 32}, "isv.invalid-alipay-root-cert-sn"),
    ],
)
def test_cert_sn_checks(ali_sim: AlipaySimulatorServer, change: dict[str, str], sub_code: str) -> None:
    p = _resign(ali_sim, {**_params(ali_sim, "alipay.trade.query", {"out_trade_no": "T1"}, cert=True), **change})
    assert _call(ali_sim, p)[1]["sub_code"] == sub_code


def test_root_sn_without_app_sn_refused(ali_sim: AlipaySimulatorServer) -> None:
    p = _params(ali_sim, "alipay.trade.query", {"out_trade_no": "T1"}, alipay_root_cert_sn=ali_sim.identity.root_cert_sn)
    assert _call(ali_sim, p)[1]["sub_code"] == "isv.app-cert-not-exist"


def test_get_transport_and_escaped_slashes(ali_sim: AlipaySimulatorServer) -> None:
    no = new_no("Q")
    p = _params(ali_sim, "alipay.trade.precreate", {"out_trade_no": no, "total_amount": "1.00", "subject": "x"})
    r = httpx.get(ali_sim.gateway_url, params=p)
    assert "https:\\/\\/qr.alipay.com\\/" in r.text  # Alipay escapes / in answers; verifiers must not re-serialise
    _, fields = _call(ali_sim, _params(ali_sim, "alipay.trade.precreate", {"out_trade_no": no, "total_amount": "1.00", "subject": "x"}), get=True)
    assert fields["qr_code"].startswith("https://qr.alipay.com/")


def test_cert_mode_answers_carry_alipay_cert_sn(ali_sim: AlipaySimulatorServer) -> None:
    p = _params(ali_sim, "alipay.trade.query", {"out_trade_no": "T1"}, cert=True)
    r = httpx.post(ali_sim.gateway_url, data=p)
    doc = json.loads(r.text)
    assert list(doc) == ["alipay_trade_query_response", "alipay_cert_sn", "sign"]
    assert doc["alipay_cert_sn"] == ali_sim.identity.alipay_cert_sn


def test_duplicate_parameter_refused(ali_sim: AlipaySimulatorServer) -> None:
    p = _params(ali_sim, "alipay.trade.query", {"out_trade_no": "T1"})
    r = httpx.post(ali_sim.gateway_url + "?out_trade_no=T9&method=alipay.trade.query", data=p)
    assert json.loads(r.text)["error_response"]["sub_code"] == "isv.invalid-parameter"


@pytest.mark.parametrize("amount", ["1", "1.0", "1.001", "0.00", "-1.00", "100000000.01", 1.5])
def test_amount_format_enforced(ali_sim: AlipaySimulatorServer, amount: object) -> None:
    biz = {"out_trade_no": new_no(), "scene": "bar_code", "auth_code": random_success_code(), "subject": "x", "total_amount": amount}
    _, fields = _call(ali_sim, _params(ali_sim, "alipay.trade.pay", biz))
    assert fields["sub_code"] == "ACQ.INVALID_PARAMETER"


def test_partial_refund_needs_out_request_no(ali_sim: AlipaySimulatorServer) -> None:
    no = new_no()
    biz = {"out_trade_no": no, "scene": "bar_code", "auth_code": random_success_code(), "subject": "x", "total_amount": "5.00"}
    assert _call(ali_sim, _params(ali_sim, "alipay.trade.pay", biz))[1]["code"] == "10000"
    partial = _call(ali_sim, _params(ali_sim, "alipay.trade.refund", {"out_trade_no": no, "refund_amount": "1.00"}))[1]
    assert partial["sub_code"] == "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"
    full = _call(ali_sim, _params(ali_sim, "alipay.trade.refund", {"out_trade_no": no, "refund_amount": "5.00"}))[1]
    assert full["code"] == "10000" and full["fund_change"] == "Y"


def test_changed_amount_under_same_order_number_is_inconsistent(ali_sim: AlipaySimulatorServer) -> None:
    no = new_no()
    biz = {"out_trade_no": no, "scene": "bar_code", "auth_code": random_success_code(), "subject": "x", "total_amount": "5.00"}
    _call(ali_sim, _params(ali_sim, "alipay.trade.pay", biz))
    biz2 = {**biz, "auth_code": random_success_code(), "total_amount": "6.00"}
    assert _call(ali_sim, _params(ali_sim, "alipay.trade.pay", biz2))[1]["sub_code"] == "ACQ.CONTEXT_INCONSISTENT"


def test_bill_url_expires(ali_sim: AlipaySimulatorServer) -> None:
    ali_sim.reset_faults()
    clock = ali_sim.clock
    _, fields = _call(ali_sim, _params(ali_sim, "alipay.data.dataservice.bill.downloadurl.query", {"bill_type": "trade", "bill_date": "2020-01-01"}))
    url = fields["bill_download_url"]
    assert httpx.get(url).status_code == 200
    clock.advance(31)  # type: ignore[attr-defined]
    assert httpx.get(url).status_code == 404


def test_control_api(ali_sim: AlipaySimulatorServer) -> None:
    base = ali_sim.base_url + "/simulator/"
    assert httpx.get(base + "health").json()["ok"]
    no = new_no("Q")
    _, fields = _call(ali_sim, _params(ali_sim, "alipay.trade.precreate", {"out_trade_no": no, "total_amount": "1.00", "subject": "x"}))
    assert httpx.post(base + "pay", json={"qr_code": fields["qr_code"]}).status_code == 200
    trades = httpx.get(base + "trades").json()["trades"]
    assert any(t["out_trade_no"] == no and t["status"] == "TRADE_SUCCESS" for t in trades)
    assert httpx.post(base + "pay", json={"qr_code": "https://qr.alipay.com/nope"}).status_code == 400
    assert httpx.post(base + "faults", json={"kind": "error503", "method": "alipay.trade.query"}).status_code == 200
    assert httpx.post(ali_sim.gateway_url, data=_params(ali_sim, "alipay.trade.query", {"out_trade_no": no})).status_code == 503
    note = httpx.get(base + "notification", params={"out_trade_no": no})
    assert note.status_code == 200 and b"trade_status=TRADE_SUCCESS" in note.content


def test_query_by_trade_no_is_exact(ali_sim: AlipaySimulatorServer) -> None:
    no = new_no()
    biz = {"out_trade_no": no, "scene": "bar_code", "auth_code": random_success_code(), "subject": "x", "total_amount": "5.00"}
    trade_no = _call(ali_sim, _params(ali_sim, "alipay.trade.pay", biz))[1]["trade_no"]
    found = _call(ali_sim, _params(ali_sim, "alipay.trade.query", {"trade_no": trade_no}))[1]
    assert found["out_trade_no"] == no
    for probe in (trade_no[:-1] + "_", trade_no[:-3], "%"):
        assert _call(ali_sim, _params(ali_sim, "alipay.trade.query", {"trade_no": probe}))[1]["sub_code"] == "ACQ.TRADE_NOT_EXIST"


def test_gbk_charset_is_signed_and_answered_in_gbk(ali_sim: AlipaySimulatorServer) -> None:
    no = new_no()
    biz = {"out_trade_no": no, "scene": "bar_code", "auth_code": random_success_code(), "subject": "测试商品", "total_amount": "5.00"}
    p = {
        "app_id": ali_sim.identity.app_id, "method": "alipay.trade.pay", "charset": "gbk", "sign_type": "RSA2",
        "timestamp": "2026-01-15 10:30:00", "version": "1.0", "biz_content": json.dumps(biz, ensure_ascii=False),
    }
    key = load_private_key(ali_sim.state_dir / "app_private_key.pem")
    p["sign"] = rsa2_sign(sign_content(p), key, "gbk")
    r = httpx.post(ali_sim.gateway_url, content=urlencode(p, encoding="gbk").encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded;charset=gbk"})
    text = r.content.decode("gbk")
    _, signed = extract_signed(text, "alipay.trade.pay")
    assert json.loads(signed)["code"] == "10000"
    assert rsa2_verify(signed, json.loads(text)["sign"], ali_sim.identity.alipay_private_key.public_key(), "gbk")
    p["sign"] = rsa2_sign(sign_content(p), key)  # signed over UTF-8 bytes, sent as gbk
    r = httpx.post(ali_sim.gateway_url, content=urlencode(p, encoding="gbk").encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded;charset=gbk"})
    assert "isv.invalid-signature" in r.content.decode("gbk")
