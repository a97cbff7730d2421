"""MicropayV2Client against the real simulator's APIv2 HTTPS listener (127.0.0.1, port 0)."""

from __future__ import annotations

import dataclasses
import itertools
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pos_app.domain.money import Fen
from pos_app.simulator.scenarios import auth_code_for, random_success_code
from pos_app.simulator.server import SimulatorServer
from pos_app.simulator.v2 import V2Listener
from pos_app.wechatpay.config import MerchantConfig, load_merchant_config
from pos_app.wechatpay.errors import ApiError, SignatureError, TransportError
from pos_app.wechatpay.models import TradeState
from pos_app.wechatpay.v2 import MicropayV2Client, parse_xml, sign_params, to_xml
from tests.sim_fixtures import Clock

_numbers = itertools.count(1)


def order_no() -> str:
    return f"V2T{next(_numbers):06d}"


@pytest.fixture(params=["HMAC-SHA256", "MD5"])
def client(request: pytest.FixtureRequest, cfg: MerchantConfig) -> Iterator[MicropayV2Client]:
    c = MicropayV2Client.from_config(dataclasses.replace(cfg, v2_sign_type=request.param))
    yield c
    c.close()


def pay(client: MicropayV2Client, code: str, no: str | None = None, total: int = 1234):  # type: ignore[no-untyped-def]
    return client.micropay(out_trade_no=no or order_no(), description="可乐", total=Fen(total),
                           auth_code=code)


def test_merchant_json_has_v2_fields(sim: SimulatorServer, cfg: MerchantConfig) -> None:
    assert cfg.v2_base_url.startswith("https://127.0.0.1:")
    assert cfg.apiv2_key is not None and len(cfg.apiv2_key) == 32
    assert cfg.client_cert_path is not None and cfg.client_cert_path.exists()
    assert cfg.ca_cert_path is not None and cfg.ca_cert_path.exists()
    assert isinstance(sim.v2, V2Listener)


def test_micropay_success_then_query(client: MicropayV2Client) -> None:
    no = order_no()
    tx = pay(client, random_success_code(), no)
    assert tx.trade_state is TradeState.SUCCESS and tx.total == 1234 and tx.transaction_id
    q = client.orderquery(no)
    assert q is not None and q.trade_state is TradeState.SUCCESS
    assert q.transaction_id == tx.transaction_id and q.total == 1234


def test_userpaying_then_orderquery_success(client: MicropayV2Client, clock: Clock) -> None:
    no = order_no()
    tx = pay(client, auth_code_for("userpaying_then_success", seconds=10), no)
    assert tx.trade_state is TradeState.USERPAYING
    q = client.orderquery(no)
    assert q is not None and q.trade_state is TradeState.USERPAYING
    with pytest.raises(ApiError) as ei:  # password box open: reverse refused
        client.reverse(no)
    assert ei.value.code == "USERPAYING" and ei.value.outcome_unknown
    clock.now += 11
    q = client.orderquery(no)
    assert q is not None and q.trade_state is TradeState.SUCCESS and q.total == 1234


def test_userpaying_then_payerror(client: MicropayV2Client, clock: Clock) -> None:
    no = order_no()
    assert pay(client, auth_code_for("userpaying_then_payerror", seconds=5), no).trade_state is (
        TradeState.USERPAYING)
    clock.now += 6
    q = client.orderquery(no)
    assert q is not None and q.trade_state is TradeState.PAYERROR
    assert client.reverse(no) is True
    q = client.orderquery(no)
    assert q is not None and q.trade_state is TradeState.REVOKED


@pytest.mark.parametrize(
    ("scenario", "code", "unknown", "state_after"),
    [
        ("systemerror_but_charged", "SYSTEMERROR", True, TradeState.SUCCESS),
        ("systemerror_not_charged", "SYSTEMERROR", True, TradeState.PAYERROR),
        ("bankerror_but_charged", "BANKERROR", True, TradeState.SUCCESS),
        ("bankerror_not_charged", "BANKERROR", True, TradeState.PAYERROR),
        ("authcodeexpire", "AUTHCODEEXPIRE", False, None),
        ("auth_code_invalid", "AUTH_CODE_INVALID", False, None),
        ("notenough", "NOTENOUGH", False, TradeState.PAYERROR),
        ("notsupportcard", "NOTSUPORTCARD", False, TradeState.PAYERROR),
        ("trade_error", "TRADE_ERROR", False, TradeState.PAYERROR),
    ],
)
def test_err_code_mapping(
    client: MicropayV2Client, scenario: str, code: str, unknown: bool, state_after: TradeState | None
) -> None:
    no = order_no()
    with pytest.raises(ApiError) as ei:
        pay(client, auth_code_for(scenario), no)
    err = ei.value
    assert (err.status, err.code, err.outcome_unknown) == (200, code, unknown)
    assert err.message  # err_code_des carried through
    q = client.orderquery(no)
    if state_after is None:
        assert q is None  # ORDERNOTEXIST
    else:
        assert q is not None and q.trade_state is state_after


def test_order_reuse_errors(client: MicropayV2Client) -> None:
    code = random_success_code()
    no = order_no()
    pay(client, code, no)
    with pytest.raises(ApiError) as ei:  # single-use code on a new order
        pay(client, code)
    assert ei.value.code == "AUTH_CODE_INVALID" and not ei.value.outcome_unknown
    with pytest.raises(ApiError) as ei:  # same order number, new code, already paid
        pay(client, random_success_code(), no)
    assert ei.value.code == "ORDERPAID" and not ei.value.outcome_unknown
    assert pay(client, code, no).trade_state is TradeState.SUCCESS  # identical retry is idempotent
    assert client.reverse(no) is True
    with pytest.raises(ApiError) as ei:
        pay(client, random_success_code(), no)
    assert ei.value.code == "ORDERREVERSED"


def test_invalid_request_and_bad_code(client: MicropayV2Client) -> None:
    no = order_no()
    code = auth_code_for("userpaying_forever")
    pay(client, code, no)
    with pytest.raises(ApiError) as ei:
        pay(client, code, no, total=999)
    assert ei.value.code == "INVALID_REQUEST"
    with pytest.raises(ApiError) as ei:
        pay(client, "990000000000000000")
    assert ei.value.code == "AUTH_CODE_INVALID"
    with pytest.raises(ApiError) as ei:
        pay(client, random_success_code(), "abc")  # engine wants 6-32 chars
    assert ei.value.code == "PARAM_ERROR"


def test_reverse_recall_y_then_n(client: MicropayV2Client) -> None:
    no = order_no()
    with pytest.raises(ApiError):
        pay(client, auth_code_for("reverse_recall_once"), no)
    assert client.reverse(no) is False  # SYSTEMERROR, recall=Y
    assert client.reverse(no) is True
    assert client.reverse(no) is True  # idempotent
    q = client.orderquery(no)
    assert q is not None and q.trade_state is TradeState.REVOKED


def test_reverse_unknown_order(client: MicropayV2Client) -> None:
    with pytest.raises(ApiError) as ei:
        client.reverse(order_no())
    assert ei.value.code == "ORDERNOTEXIST"


def test_reverse_without_client_cert_refused(cfg: MerchantConfig) -> None:
    no_cert = MicropayV2Client.from_config(dataclasses.replace(cfg, client_cert_path=None))
    with_cert = MicropayV2Client.from_config(cfg)
    no = order_no()
    pay(with_cert, random_success_code(), no)
    with pytest.raises(ApiError) as ei:
        no_cert.reverse(no)
    assert ei.value.code == "FAIL" and ei.value.message == "证书错误"
    q = with_cert.orderquery(no)
    assert q is not None and q.trade_state is TradeState.SUCCESS  # nothing happened
    # non-secapi routes do not need the certificate
    assert no_cert.orderquery(no) is not None


def test_client_cert_from_another_ca_fails_handshake(cfg: MerchantConfig, tmp_path: Path) -> None:
    from pos_app.simulator.tls import ensure_tls_material

    other = ensure_tls_material(tmp_path, mchid=cfg.mchid)
    c = MicropayV2Client.from_config(dataclasses.replace(
        cfg, client_cert_path=other.client_cert_path, private_key_path=other.client_key_path))
    with pytest.raises(TransportError):
        c.reverse(order_no())


def test_server_cert_is_verified(cfg: MerchantConfig) -> None:
    c = MicropayV2Client.from_config(dataclasses.replace(cfg, ca_cert_path=None))
    with pytest.raises(TransportError):
        c.orderquery(order_no())


def test_tampered_response_sign_rejected(sim: SimulatorServer, client: MicropayV2Client) -> None:
    no = order_no()
    sim.inject("bad_signature", path_prefix="/pay/micropay")
    with pytest.raises(SignatureError) as ei:
        pay(client, random_success_code(), no)
    assert ei.value.outcome_unknown
    q = client.orderquery(no)  # the charge did happen: that is why it is "unknown"
    assert q is not None and q.trade_state is TradeState.SUCCESS


def test_wrong_key_gets_sign_error(cfg: MerchantConfig) -> None:
    c = MicropayV2Client.from_config(dataclasses.replace(cfg, apiv2_key="x" * 32))
    with pytest.raises(ApiError) as ei:
        c.orderquery(order_no())
    assert ei.value.code == "FAIL" and ei.value.message == "签名错误"


def _raw_post(cfg: MerchantConfig, path: str, body: bytes) -> dict[str, str]:
    with httpx.Client(verify=ssl.create_default_context(cafile=str(cfg.ca_cert_path))) as h:
        r = h.post(cfg.v2_base_url + path, content=body)
    assert r.status_code == 200
    return parse_xml(r.content)


def test_server_rejects_entities_missing_fields_and_bad_sign_type(cfg: MerchantConfig) -> None:
    assert cfg.apiv2_key is not None
    evil = (b'<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<xml><appid>&b;</appid></xml>")
    assert _raw_post(cfg, "/pay/orderquery", evil) == {"return_code": "FAIL",
                                                       "return_msg": "XML格式错误"}
    base = {"appid": cfg.appid, "mch_id": cfg.mchid, "out_trade_no": order_no(),
            "description": "x", "total_fee": "1", "spbill_create_ip": "127.0.0.1"}
    resp = _raw_post(cfg, "/pay/micropay", to_xml(sign_params(base, cfg.apiv2_key, "MD5")))
    assert resp["return_code"] == "SUCCESS" and resp["err_code"] == "LACK_PARAMS"
    bad = dict(sign_params(base, cfg.apiv2_key, "MD5"), sign_type="SHA1")
    assert _raw_post(cfg, "/pay/micropay", to_xml(bad))["return_code"] == "FAIL"
    unsigned = {k: v for k, v in sign_params(base, cfg.apiv2_key, "MD5").items() if k != "sign"}
    assert _raw_post(cfg, "/pay/micropay", to_xml(unsigned))["return_code"] == "FAIL"


def test_listener_stops_with_server(tmp_path: Path) -> None:
    server = SimulatorServer(tmp_path).start()
    cfg = load_merchant_config(server.merchant_config_path)
    c = MicropayV2Client.from_config(cfg)
    assert c.orderquery(order_no()) is None  # keeps a connection alive
    server.stop()
    with pytest.raises(TransportError):
        c.orderquery(order_no())
    with pytest.raises(TransportError):
        MicropayV2Client.from_config(cfg).orderquery(order_no())
    server.engine.close_db()


@pytest.mark.parametrize(("change", "code"), [({"mchid": "1900000999"}, "MCHID_NOT_EXIST"),
                                               ({"appid": "wx00000000000000ff"}, "APPID_MCHID_NOT_MATCH")])
def test_wrong_merchant_ids_are_a_clear_refusal(
    cfg: MerchantConfig, change: dict[str, str], code: str
) -> None:
    """Review R3: a wrong mch_id/appid must come back as that err_code (known outcome),
    answered for the merchant that asked — not as "response for another merchant"."""
    c = MicropayV2Client.from_config(dataclasses.replace(cfg, **change))  # type: ignore[arg-type]
    try:
        with pytest.raises(ApiError) as ei:
            pay(c, random_success_code())
        assert ei.value.code == code and not ei.value.outcome_unknown
    finally:
        c.close()


def test_body_is_limited_to_128_utf8_bytes(cfg: MerchantConfig) -> None:
    raw = {"appid": cfg.appid, "mch_id": cfg.mchid, "nonce_str": "n" * 16, "out_trade_no": order_no(),
           "total_fee": "1", "spbill_create_ip": "127.0.0.1", "auth_code": random_success_code(),
           "device_info": "TILL-5"}
    ok = _raw_post(cfg, "/pay/micropay", to_xml(sign_params({**raw, "body": "ab" + "商" * 42}, cfg.apiv2_key or "", "MD5")))
    assert ok["result_code"] == "SUCCESS" and ok["device_info"] == "TILL-5"
    raw.update(out_trade_no=order_no(), auth_code=random_success_code())
    too_long = _raw_post(cfg, "/pay/micropay", to_xml(sign_params({**raw, "body": "abc" + "商" * 42}, cfg.apiv2_key or "", "MD5")))
    assert too_long["result_code"] == "FAIL" and too_long["err_code"] == "PARAM_ERROR"
