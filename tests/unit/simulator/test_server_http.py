"""The HTTP layer: request authentication, response signing, control API (raw httpx)."""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

import httpx
import pytest

from pos_app.simulator.realism import Realism
from pos_app.simulator.server import SimulatorServer
from pos_app.wechatpay.crypto import (
    aes_gcm_decrypt,
    load_private_key,
    request_message,
    response_message,
    rsa_sign,
    rsa_verify,
)
from tests.sim_fixtures import Clock


def auth_header(sim: SimulatorServer, method: str, url: str, body: bytes, *, ts: int | None = None,
                order: tuple[str, ...] = ("mchid", "nonce_str", "timestamp", "serial_no", "signature"),
                serial: str | None = None, mchid: str | None = None, sign_body: bytes | None = None) -> str:
    key = load_private_key(sim.identity.merchant_key_path)
    t = str(ts if ts is not None else int(time.time()))
    nonce = secrets.token_hex(16)
    sig = rsa_sign(key, request_message(method, url, t, nonce, sign_body if sign_body is not None else body))
    values = {"mchid": mchid or sim.identity.mchid, "nonce_str": nonce, "timestamp": t,
              "serial_no": serial or sim.identity.merchant_serial, "signature": sig}
    return "WECHATPAY2-SHA256-RSA2048 " + ",".join(f'{k}="{values[k]}"' for k in order)


def call(sim: SimulatorServer, method: str, url: str, doc: object = None, *, headers: dict[str, str] | None = None,
         **auth_kw: object) -> httpx.Response:
    body = json.dumps(doc).encode() if doc is not None else b""
    h = {"Accept": "application/json", "User-Agent": "test/1", "Content-Type": "application/json",
         "Authorization": auth_header(sim, method, url, body, **auth_kw)}  # type: ignore[arg-type]
    h.update(headers or {})
    with httpx.Client(trust_env=False) as client:
        req = client.build_request(method, sim.base_url + url, content=body, headers={k: v for k, v in h.items() if v})
        for k, v in h.items():
            if not v and k in req.headers:
                del req.headers[k]  # httpx would add a default Accept / User-Agent
        return client.send(req)


def native_doc(sim: SimulatorServer, no: str, total: int = 10) -> dict[str, object]:
    return {"appid": sim.identity.appid, "mchid": sim.identity.mchid, "description": "d", "out_trade_no": no,
            "notify_url": "https://n.invalid/x", "amount": {"total": total, "currency": "CNY"}}


def verify_response(sim: SimulatorServer, r: httpx.Response) -> str:
    serial = r.headers["Wechatpay-Serial"]
    key = (sim.identity.pubkey_private if serial == sim.identity.public_key_id else sim.identity.platform_key)
    msg = response_message(r.headers["Wechatpay-Timestamp"], r.headers["Wechatpay-Nonce"], r.content)
    assert r.headers["Wechatpay-Signature-Type"] == "WECHATPAY2-SHA256-RSA2048"
    assert r.headers["Request-ID"]
    assert rsa_verify(key.public_key(), msg, r.headers["Wechatpay-Signature"])
    return serial


def test_signed_native_in_both_modes(sim: SimulatorServer) -> None:
    no = "HTTP" + secrets.token_hex(6)
    r = call(sim, "POST", "/v3/pay/transactions/native", native_doc(sim, no))
    assert r.status_code == 200 and r.json()["code_url"].startswith("weixin://wxpay/bizpayurl?pr=")
    assert verify_response(sim, r) == sim.identity.platform_serial
    url = f"/v3/pay/transactions/out-trade-no/{no}?mchid={sim.identity.mchid}"
    r = call(sim, "GET", url, headers={"Wechatpay-Serial": sim.identity.public_key_id})
    assert r.status_code == 200 and r.json()["trade_state"] == "NOTPAY"
    assert verify_response(sim, r) == sim.identity.public_key_id


def test_close_204_is_signed_over_empty_body(sim: SimulatorServer) -> None:
    no = "HTTP" + secrets.token_hex(6)
    call(sim, "POST", "/v3/pay/transactions/native", native_doc(sim, no))
    r = call(sim, "POST", f"/v3/pay/transactions/out-trade-no/{no}/close", {"mchid": sim.identity.mchid})
    assert r.status_code == 204 and r.content == b""
    verify_response(sim, r)


@pytest.mark.parametrize("order", [("signature", "serial_no", "timestamp", "nonce_str", "mchid"),
                                   ("mchid", "nonce_str", "signature", "timestamp", "serial_no")])
def test_authorization_fields_in_any_order(sim: SimulatorServer, order: tuple[str, ...]) -> None:
    r = call(sim, "GET", "/v3/certificates", order=order)
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("kw", "status", "code"),
    [
        ({"ts": int(time.time()) - 400}, 401, "SIGN_ERROR"),
        ({"ts": int(time.time() * 1000)}, 401, "SIGN_ERROR"),
        ({"serial": "ABCDEF0123456789"}, 401, "SIGN_ERROR"),
        ({"mchid": "1900000000"}, 401, "SIGN_ERROR"),
        ({"sign_body": b'{"tampered":1}'}, 401, "SIGN_ERROR"),
        ({"headers": {"Accept": ""}}, 400, "INVALID_REQUEST"),
        ({"headers": {"User-Agent": ""}}, 400, "INVALID_REQUEST"),
        ({"headers": {"Authorization": "Bearer x"}}, 401, "SIGN_ERROR"),
    ],
)
def test_rejected_requests(sim: SimulatorServer, kw: dict[str, object], status: int, code: str) -> None:
    r = call(sim, "POST", "/v3/pay/transactions/native", native_doc(sim, "REJ" + secrets.token_hex(5)), **kw)  # type: ignore[arg-type]
    assert (r.status_code, r.json()["code"]) == (status, code)
    assert "Wechatpay-Signature" not in r.headers


def test_signature_covers_query_string(sim: SimulatorServer) -> None:
    signed_for = f"/v3/pay/transactions/out-trade-no/XXXXXXXX?mchid={sim.identity.mchid}"
    key = load_private_key(sim.identity.merchant_key_path)
    t, nonce = str(int(time.time())), "n" * 32
    sig = rsa_sign(key, request_message("GET", "/v3/pay/transactions/out-trade-no/XXXXXXXX", t, nonce, b""))
    h = {"Accept": "*/*", "User-Agent": "t", "Authorization":
         f'WECHATPAY2-SHA256-RSA2048 mchid="{sim.identity.mchid}",nonce_str="{nonce}",timestamp="{t}",'
         f'serial_no="{sim.identity.merchant_serial}",signature="{sig}"'}
    r = httpx.get(sim.base_url + signed_for, headers=h, trust_env=False)
    assert r.status_code == 401


def test_body_and_query_mchid_must_match_header(sim: SimulatorServer) -> None:
    doc = native_doc(sim, "MCH" + secrets.token_hex(5))
    doc["mchid"] = "1900000001"
    r = call(sim, "POST", "/v3/pay/transactions/native", doc)
    assert (r.status_code, r.json()["code"]) == (400, "INVALID_REQUEST")
    r = call(sim, "GET", "/v3/pay/transactions/out-trade-no/ABCDEFGH?mchid=1900000001")
    assert (r.status_code, r.json()["code"]) == (400, "INVALID_REQUEST")
    doc = native_doc(sim, "MCH" + secrets.token_hex(5))
    doc["appid"] = "wx0000000000000000"
    assert call(sim, "POST", "/v3/pay/transactions/native", doc).json()["code"] == "APPID_MCHID_NOT_MATCH"
    doc = native_doc(sim, "MCH" + secrets.token_hex(5))
    doc["attach"] = None
    assert call(sim, "POST", "/v3/pay/transactions/native", doc).json()["code"] == "PARAM_ERROR"


def test_certificates_decrypt_to_the_platform_cert(sim: SimulatorServer) -> None:
    r = call(sim, "GET", "/v3/certificates")
    item = r.json()["data"][0]
    enc = item["encrypt_certificate"]
    assert enc["associated_data"] == "certificate" and len(enc["nonce"]) == 12
    pem = aes_gcm_decrypt(sim.identity.apiv3_key, enc["nonce"], enc["associated_data"], enc["ciphertext"])
    assert pem == sim.identity.platform_cert_path.read_bytes()
    assert item["serial_no"] == sim.identity.platform_serial


def test_faults_over_http_control_api(sim: SimulatorServer) -> None:
    r = httpx.post(sim.base_url + "/simulator/faults", json={"kind": "error429", "path_prefix": "/v3/certificates"},
                   trust_env=False)
    assert r.status_code == 200 and r.json()["faults"]["rules"][0]["kind"] == "error429"
    assert call(sim, "GET", "/v3/certificates").status_code == 429
    assert call(sim, "GET", "/v3/certificates").status_code == 200
    httpx.post(sim.base_url + "/simulator/faults", json={"kind": "error503", "count": 2}, trust_env=False)
    httpx.post(sim.base_url + "/simulator/reset-faults", trust_env=False)
    assert call(sim, "GET", "/v3/certificates").status_code == 200
    bad = httpx.post(sim.base_url + "/simulator/faults", json={"kind": "nope"}, trust_env=False)
    assert bad.status_code == 400


def test_pay_and_orders_over_http_control_api(sim: SimulatorServer) -> None:
    no = "CTL" + secrets.token_hex(5)
    code_url = call(sim, "POST", "/v3/pay/transactions/native", native_doc(sim, no)).json()["code_url"]
    r = httpx.post(sim.base_url + "/simulator/pay", json={"code_url": code_url}, trust_env=False)
    assert r.status_code == 200 and r.json()["trade_state"] == "SUCCESS"
    orders = httpx.get(sim.base_url + "/simulator/orders", trust_env=False).json()["orders"]
    assert any(o["out_trade_no"] == no and o["trade_state"] == "SUCCESS" for o in orders)
    missing = httpx.post(sim.base_url + "/simulator/pay", json={"code_url": "weixin://nope"}, trust_env=False)
    assert missing.status_code == 404
    assert httpx.get(sim.base_url + "/simulator/health", trust_env=False).json()["ok"] is True


def test_unknown_route(sim: SimulatorServer) -> None:
    r = call(sim, "GET", "/v3/nope")
    assert r.status_code == 404


def test_restart_keeps_state_and_identity(tmp_path: Path) -> None:
    s1 = SimulatorServer(tmp_path).start()
    no = "RST" + secrets.token_hex(5)
    call(s1, "POST", "/v3/pay/transactions/native", native_doc(s1, no))
    mchid = s1.identity.mchid
    s1.stop()
    s1.engine.close_db()
    s2 = SimulatorServer(tmp_path).start()
    try:
        assert s2.identity.mchid == mchid
        r = call(s2, "GET", f"/v3/pay/transactions/out-trade-no/{no}?mchid={mchid}")
        assert r.json()["trade_state"] == "NOTPAY"
        assert json.loads(s2.merchant_config_path.read_text())["base_url"] == s2.base_url
    finally:
        s2.stop()


def test_gzip_bill_hash_is_over_uncompressed_file(sim: SimulatorServer, clock: Clock) -> None:
    import datetime as dt
    import gzip
    import hashlib

    no = "GZ" + secrets.token_hex(5)
    code_url = call(sim, "POST", "/v3/pay/transactions/native", native_doc(sim, no)).json()["code_url"]
    sim.pay(code_url=code_url)
    day = dt.datetime.fromtimestamp(sim.engine.clock(), dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    clock.advance(86400)
    r = call(sim, "GET", f"/v3/bill/tradebill?bill_date={day}&bill_type=ALL&tar_type=GZIP")
    assert r.status_code == 200
    verify_response(sim, r)
    ticket = r.json()
    path = ticket["download_url"].removeprefix(sim.base_url)
    assert path.startswith("/v3/billdownload/file?token=")
    d = call(sim, "GET", path)
    assert d.status_code == 200 and "Wechatpay-Signature" not in d.headers
    raw = gzip.decompress(d.content)
    assert hashlib.sha1(raw).hexdigest() == ticket["hash_value"] and no.encode() in raw
    assert call(sim, "GET", "/v3/billdownload/file?token=nope").json()["code"] == "INVALID_REQUEST"
    assert call(sim, "GET", "/v3/bill/tradebill?bill_date=2020-13-01&bill_type=ALL").status_code == 400


def test_codepay_userpaying_as_200_or_202(sim: SimulatorServer) -> None:
    from pos_app.simulator.scenarios import auth_code_for

    def codepay() -> httpx.Response:
        doc = {"appid": sim.identity.appid, "mchid": sim.identity.mchid, "description": "d",
               "out_trade_no": "UP" + secrets.token_hex(6), "payer": {"auth_code": auth_code_for("userpaying_forever")},
               "amount": {"total": 1}, "scene_info": {"store_info": {"id": "S1"}}}
        return call(sim, "POST", "/v3/pay/transactions/codepay", doc)

    r = codepay()
    assert (r.status_code, r.json()["code"]) == (202, "USERPAYING")
    verify_response(sim, r)  # a 2xx, so signed
    sim.codepay_userpaying_status = 200
    try:
        r = codepay()
    finally:
        sim.codepay_userpaying_status = 202
    assert r.status_code == 200 and r.json()["trade_state"] == "USERPAYING"


def test_drop_after_commit_closes_without_answer(sim: SimulatorServer) -> None:
    no = "DROP" + secrets.token_hex(5)
    sim.inject("drop_after_commit", path_prefix="/v3/pay/transactions/native")
    with pytest.raises(httpx.RemoteProtocolError):
        call(sim, "POST", "/v3/pay/transactions/native", native_doc(sim, no))
    assert sim.engine.query(sim.identity.mchid, out_trade_no=no).trade_state == "NOTPAY"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"notify_url": "https://n.invalid/notify?order=1"}, "/notify_url"),   # no query string
        ({"notify_url": "http://n.invalid/notify"}, "/notify_url"),
        ({"notify_url": "https://n.invalid/" + "a" * 256}, "/notify_url"),   # ≤ 255
        ({"out_trade_no": "ABC12"}, "/out_trade_no"),                          # < 6
        ({"out_trade_no": "A" * 33}, "/out_trade_no"),
        ({"out_trade_no": "ABC#12345"}, "/out_trade_no"),
        ({"description": "x" * 128}, "/description"),
        ({"amount": {"total": 0, "currency": "CNY"}}, "/amount/total"),
        ({"amount": {"total": 1.5, "currency": "CNY"}}, "/amount/total"),
        ({"amount": {"total": "100", "currency": "CNY"}}, "/amount/total"),
        ({"time_expire": "2099-11-23T10:00:00+0800"}, "/time_expire"),      # not RFC3339
        ({"time_expire": "20991123T100000+08:00"}, "/time_expire"),
        ({"time_expire": "2099-11-23 10:00:00+08:00"}, "/time_expire"),
        ({"time_expire": "2099-11-23T10:00+08:00"}, "/time_expire"),
        ({"time_expire": "2099-11-23T10:00:00"}, "/time_expire"),            # no offset
    ],
)
def test_native_field_rules_like_the_real_api(
    sim: SimulatorServer, change: dict[str, object], field: str
) -> None:
    """Review R3: the simulator rejects what WeChat Pay rejects (docs §4), 400 PARAM_ERROR."""
    doc = {**native_doc(sim, "FR" + secrets.token_hex(5)), **change}
    r = call(sim, "POST", "/v3/pay/transactions/native", doc)
    assert (r.status_code, r.json()["code"]) == (400, "PARAM_ERROR"), r.text
    assert r.json()["detail"]["field"] == field


@pytest.mark.parametrize("expire", ["2099-11-23T10:00:00+08:00", "2099-11-23T02:00:00Z",
                                    "2099-11-23T10:00:00.250+08:00"])
def test_native_accepts_rfc3339_time_expire(sim: SimulatorServer, expire: str) -> None:
    doc = {**native_doc(sim, "OK" + secrets.token_hex(5)), "time_expire": expire,
           "out_trade_no": "OK_-|*" + secrets.token_hex(4)}
    r = call(sim, "POST", "/v3/pay/transactions/native", doc)
    assert r.status_code == 200, r.text


def test_empty_nonce_is_a_sign_error(sim: SimulatorServer) -> None:
    """Review R3: the nonce is part of the signed message and must be present."""
    key = load_private_key(sim.identity.merchant_key_path)
    t = str(int(time.time()))
    sig = rsa_sign(key, request_message("GET", "/v3/certificates", t, "", b""))
    h = {"Accept": "*/*", "User-Agent": "t", "Authorization":
         f'WECHATPAY2-SHA256-RSA2048 mchid="{sim.identity.mchid}",nonce_str="",timestamp="{t}",'
         f'serial_no="{sim.identity.merchant_serial}",signature="{sig}"'}
    r = httpx.get(sim.base_url + "/v3/certificates", headers=h, trust_env=False)
    assert (r.status_code, r.json()["code"]) == (401, "SIGN_ERROR")


def test_realism_refund_and_coupon_switches_over_the_control_api(sim: SimulatorServer) -> None:
    with httpx.Client(base_url=sim.base_url, trust_env=False) as c:
        r = c.post("/simulator/realism", json={"close_lag_s": 12, "password_above_fen": None})
        assert r.status_code == 200 and r.json()["close_lag_s"] == 12 and r.json()["password_above_fen"] is None
        assert sim.realism.close_lag_s == 12
        assert c.post("/simulator/realism", json={"nope": 1}).status_code == 400
        assert c.post("/simulator/realism", json={"close_lag_answer": "MAYBE"}).status_code == 400
        assert c.post("/simulator/refund-behaviour", json={"out_trade_no": "X1", "outcome": "abnormal"}).status_code == 200
        assert c.post("/simulator/refund-behaviour", json={"out_trade_no": "X1", "outcome": "odd"}).status_code == 400
        no = "CPN" + secrets.token_hex(5)
        assert c.post("/simulator/native-behaviour", json={"out_trade_no": no, "coupon": {"amount": 3}}).status_code == 200
    sim.set_realism(Realism())
    code_url = call(sim, "POST", "/v3/pay/transactions/native", native_doc(sim, no, total=10)).json()["code_url"]
    sim.pay(code_url=code_url)
    doc = call(sim, "GET", f"/v3/pay/transactions/out-trade-no/{no}?mchid={sim.identity.mchid}").json()
    assert doc["amount"]["payer_total"] == 7 and doc["promotion_detail"][0]["merchant_contribute"] == 3


def test_scene_info_needs_payer_client_ip_and_device_id_is_echoed(sim: SimulatorServer) -> None:
    no = "DEV" + secrets.token_hex(5)
    bad = {**native_doc(sim, no), "scene_info": {"device_id": "TILL-3"}}
    r = call(sim, "POST", "/v3/pay/transactions/native", bad)
    assert r.status_code == 400 and r.json()["detail"]["field"] == "/scene_info/payer_client_ip"
    good = {**native_doc(sim, no), "scene_info": {"device_id": "TILL-3", "payer_client_ip": "10.0.0.3"}}
    assert call(sim, "POST", "/v3/pay/transactions/native", good).status_code == 200
    doc = call(sim, "GET", f"/v3/pay/transactions/out-trade-no/{no}?mchid={sim.identity.mchid}").json()
    assert doc["scene_info"] == {"device_id": "TILL-3"}


@pytest.mark.parametrize("mode,status,code", [
    ("NOT_FOUND", 404, "NOT_FOUND"), ("NO_AUTH", 403, "NO_AUTH"),
    ("INVALID_REQUEST", 400, "INVALID_REQUEST"), ("SYSTEM_ERROR", 500, "SYSTEM_ERROR"),
])
def test_v3_codepay_not_enabled_shapes(sim: SimulatorServer, mode: str, status: int, code: str) -> None:
    sim.set_realism(v3_codepay=mode)
    try:
        doc = {"appid": sim.identity.appid, "mchid": sim.identity.mchid, "description": "d",
               "out_trade_no": "NE" + secrets.token_hex(5), "payer": {"auth_code": "134650328919428540"},
               "amount": {"total": 1}, "scene_info": {"store_info": {"out_id": "S"}}}
        r = call(sim, "POST", "/v3/pay/transactions/codepay", doc)
        assert (r.status_code, r.json()["code"]) == (status, code) and "Wechatpay-Signature" not in r.headers
    finally:
        sim.set_realism(Realism())


def test_cli_refuses_an_unknown_realism_switch(capsys: pytest.CaptureFixture[str]) -> None:
    from pos_app.simulator.server import main

    with pytest.raises(SystemExit) as exc:
        main(["--realism", "close_lag_seconds=0"])
    assert exc.value.code == 2 and "close_lag_s" in capsys.readouterr().err
