"""MicropayV2Client response handling against canned (MockTransport) answers."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from pos_app.domain.money import Fen
from pos_app.wechatpay.errors import (
    ApiError,
    MalformedResponseError,
    RequestTimeoutError,
    SignatureError,
    TransportError,
)
from pos_app.wechatpay.models import TradeState
from pos_app.wechatpay.v2 import MicropayV2Client, parse_xml, to_xml, verify_sign

KEY = "0123456789abcdef0123456789ABCDEF"
APPID, MCHID = "wxd930ea5d5a258f4f", "1900000109"
CODE = "130061098828009406"

Handler = Callable[[dict[str, str]], dict[str, str] | httpx.Response]


def make(handler: Handler, sign_type: str = "HMAC-SHA256") -> tuple[MicropayV2Client, list[dict[str, str]]]:
    seen: list[dict[str, str]] = []

    def respond(request: httpx.Request) -> httpx.Response:
        req = parse_xml(request.content)
        seen.append(req)
        out = handler(req)
        if isinstance(out, httpx.Response):
            return out
        return httpx.Response(200, content=to_xml(out))

    client = MicropayV2Client(
        appid=APPID, mchid=MCHID, api_key=KEY, base_url="https://wx.test",
        sign_type=sign_type,  # type: ignore[arg-type]
        transport=httpx.MockTransport(respond),
    )
    return client, seen


def signed_response(fields: dict[str, str], sign_type: str = "HMAC-SHA256") -> dict[str, str]:
    from pos_app.wechatpay.crypto import nonce_str, v2_sign

    base = {"return_code": "SUCCESS", "return_msg": "OK", "appid": APPID, "mch_id": MCHID,
            "nonce_str": nonce_str()}
    base.update(fields)
    base["sign"] = v2_sign(base, KEY, sign_type)
    return base


PAID = {"result_code": "SUCCESS", "out_trade_no": "T1", "transaction_id": "4200001", "total_fee": "1234",
        "cash_fee": "1234", "trade_type": "MICROPAY", "time_end": "20260101123045", "openid": "o1",
        "bank_type": "CMC"}


@pytest.mark.parametrize("alg", ["MD5", "HMAC-SHA256"])
def test_micropay_success_request_shape(alg: str) -> None:
    client, seen = make(lambda req: signed_response(PAID, alg), alg)
    tx = client.micropay(out_trade_no="T1", description="可乐 x2", total=Fen(1234), auth_code=CODE)
    assert tx.trade_state is TradeState.SUCCESS
    assert (tx.total, tx.payer_total, tx.transaction_id) == (1234, 1234, "4200001")
    assert tx.success_time == "2026-01-01T12:30:45+08:00"
    req = seen[0]
    assert req["total_fee"] == "1234" and req["auth_code"] == CODE and req["body"] == "可乐 x2"
    assert req["spbill_create_ip"] == "127.0.0.1" and len(req["nonce_str"]) == 32
    assert (req.get("sign_type") == "HMAC-SHA256") == (alg == "HMAC-SHA256")
    assert verify_sign(req, KEY, alg)  # type: ignore[arg-type]


def test_userpaying_is_a_transaction() -> None:
    client, _ = make(lambda req: signed_response(
        {"result_code": "FAIL", "err_code": "USERPAYING", "err_code_des": "需要用户输入支付密码"}))
    tx = client.micropay(out_trade_no="T1", description="d", total=Fen(1), auth_code=CODE)
    assert tx.trade_state is TradeState.USERPAYING


@pytest.mark.parametrize("code", ["SYSTEMERROR", "BANKERROR"])
def test_unknown_outcome_errors(code: str) -> None:
    client, _ = make(lambda req: signed_response({"result_code": "FAIL", "err_code": code}))
    with pytest.raises(ApiError) as ei:
        client.micropay(out_trade_no="T1", description="d", total=Fen(1), auth_code=CODE)
    assert ei.value.code == code and ei.value.outcome_unknown


@pytest.mark.parametrize(
    "code",
    ["AUTHCODEEXPIRE", "AUTH_CODE_ERROR", "AUTH_CODE_INVALID", "NOTENOUGH", "NOTSUPORTCARD",
     "ORDERPAID", "ORDERCLOSED", "ORDERREVERSED", "BUYER_MISMATCH", "TRADE_ERROR",
     "INVALID_REQUEST", "PARAM_ERROR", "SIGNERROR", "OUT_TRADE_NO_USED"],
)
def test_business_refusals_known_outcome(code: str) -> None:
    client, _ = make(lambda req: signed_response(
        {"result_code": "FAIL", "err_code": code, "err_code_des": "说明"}))
    with pytest.raises(ApiError) as ei:
        client.micropay(out_trade_no="T1", description="d", total=Fen(1), auth_code=CODE)
    assert (ei.value.status, ei.value.code, ei.value.message) == (200, code, "说明")
    assert not ei.value.outcome_unknown


def test_tampered_sign_rejected() -> None:
    def handler(req: dict[str, str]) -> dict[str, str]:
        resp = signed_response(PAID)
        resp["total_fee"] = "1"
        return resp

    client, _ = make(handler)
    with pytest.raises(SignatureError) as ei:
        client.micropay(out_trade_no="T1", description="d", total=Fen(1234), auth_code=CODE)
    assert ei.value.outcome_unknown


def test_missing_sign_and_wrong_algorithm_rejected() -> None:
    client, _ = make(lambda req: {k: v for k, v in signed_response(PAID).items() if k != "sign"})
    with pytest.raises(SignatureError):
        client.orderquery("T1")
    client, _ = make(lambda req: signed_response(PAID, "MD5"), "HMAC-SHA256")
    with pytest.raises(SignatureError):
        client.micropay(out_trade_no="T1", description="d", total=Fen(1234), auth_code=CODE)


def test_amount_or_order_mismatch_is_malformed() -> None:
    client, _ = make(lambda req: signed_response(PAID))
    with pytest.raises(MalformedResponseError):
        client.micropay(out_trade_no="T1", description="d", total=Fen(999), auth_code=CODE)
    with pytest.raises(MalformedResponseError):
        client.micropay(out_trade_no="T2", description="d", total=Fen(1234), auth_code=CODE)


def test_return_code_fail() -> None:
    client, _ = make(lambda req: {"return_code": "FAIL", "return_msg": "签名错误"})
    with pytest.raises(ApiError) as ei:
        client.micropay(out_trade_no="T1", description="d", total=Fen(1), auth_code=CODE)
    assert ei.value.code == "FAIL" and not ei.value.outcome_unknown
    client, _ = make(lambda req: {"return_code": "FAIL", "return_msg": "系统繁忙,请稍后再试"})
    with pytest.raises(ApiError) as ei:
        client.micropay(out_trade_no="T1", description="d", total=Fen(1), auth_code=CODE)
    assert ei.value.code == "SYSTEMERROR" and ei.value.outcome_unknown


def test_http_500_and_garbage() -> None:
    client, _ = make(lambda req: httpx.Response(502, text="bad gateway"))
    with pytest.raises(ApiError) as ei:
        client.orderquery("T1")
    assert ei.value.outcome_unknown
    client, _ = make(lambda req: httpx.Response(200, text="<html>hi</html>"))
    with pytest.raises(MalformedResponseError):
        client.orderquery("T1")


def test_transport_errors_are_unknown() -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client = MicropayV2Client(appid=APPID, mchid=MCHID, api_key=KEY, base_url="https://wx.test",
                              transport=httpx.MockTransport(boom))
    with pytest.raises(RequestTimeoutError) as ei:
        client.micropay(out_trade_no="T1", description="d", total=Fen(1), auth_code=CODE)
    assert ei.value.outcome_unknown

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = MicropayV2Client(appid=APPID, mchid=MCHID, api_key=KEY, base_url="https://wx.test",
                              transport=httpx.MockTransport(refused))
    with pytest.raises(TransportError):
        client.orderquery("T1")


def test_orderquery_states() -> None:
    client, _ = make(lambda req: signed_response(
        {"result_code": "FAIL", "err_code": "ORDERNOTEXIST", "err_code_des": "此交易订单号不存在"}))
    assert client.orderquery("T1") is None
    client, _ = make(lambda req: signed_response(
        {"result_code": "SUCCESS", "out_trade_no": "T1", "trade_state": "USERPAYING",
         "trade_state_desc": "需要用户输入支付密码"}))
    tx = client.orderquery("T1")
    assert tx is not None and tx.trade_state is TradeState.USERPAYING
    client, _ = make(lambda req: signed_response(
        {"result_code": "SUCCESS", "out_trade_no": "T1", "trade_state": "WEIRD"}))
    with pytest.raises(MalformedResponseError):
        client.orderquery("T1")


def test_reverse_outcomes() -> None:
    client, _ = make(lambda req: signed_response({"result_code": "SUCCESS", "recall": "N"}))
    assert client.reverse("T1") is True
    client, _ = make(lambda req: signed_response({"result_code": "SUCCESS", "recall": "Y"}))
    assert client.reverse("T1") is False
    client, _ = make(lambda req: signed_response(
        {"result_code": "FAIL", "err_code": "SYSTEMERROR", "recall": "Y"}))
    assert client.reverse("T1") is False
    client, _ = make(lambda req: signed_response(
        {"result_code": "FAIL", "err_code": "USERPAYING", "err_code_des": "正在支付中不能发起撤销",
         "recall": "N"}))
    with pytest.raises(ApiError) as ei:
        client.reverse("T1")
    assert ei.value.outcome_unknown
    client, _ = make(lambda req: signed_response(
        {"result_code": "FAIL", "err_code": "REVERSE_EXPIRE", "recall": "N"}))
    with pytest.raises(ApiError) as ei:
        client.reverse("T1")
    assert not ei.value.outcome_unknown


def test_input_validation_and_secrets() -> None:
    client, seen = make(lambda req: signed_response(PAID))
    with pytest.raises(ValueError):
        client.micropay(out_trade_no="bad no!", description="d", total=Fen(1), auth_code=CODE)
    with pytest.raises(ValueError):
        client.micropay(out_trade_no="T1", description="d", total=Fen(0), auth_code=CODE)
    with pytest.raises(ValueError):
        client.micropay(out_trade_no="T1", description="d", total=True, auth_code=CODE)  # type: ignore[arg-type]
    assert not seen
    assert KEY not in repr(client)


def test_long_body_is_cut_to_128_utf8_bytes_never_inside_a_character() -> None:
    client, seen = make(lambda req: signed_response(PAID))
    client.micropay(out_trade_no="T1", description="ab" + "商品" * 100, total=Fen(1234), auth_code=CODE)
    assert len(seen[0]["body"].encode()) == 128  # v2 body is string(128) counted in UTF-8 bytes
    client2, seen2 = make(lambda req: signed_response(PAID))
    client2.micropay(out_trade_no="T1", description="商品" * 100, total=Fen(1234), auth_code=CODE)
    assert seen2[0]["body"] == "商品" * 21  # 42 characters, 126 bytes: a 43rd would make 129


def test_auth_code_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    client, _ = make(lambda req: signed_response(PAID))
    client.micropay(out_trade_no="T1", description="d", total=Fen(1234), auth_code=CODE)
    assert CODE not in caplog.text and KEY not in caplog.text
    assert "1300****9406" in caplog.text
