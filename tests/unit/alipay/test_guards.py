"""Every guard of the Alipay client against a scripted gateway (httpx.MockTransport)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from pos_app.alipay import (
    AlipayClient,
    ErrorKind,
    GatewayError,
    MalformedResponseError,
    RequestTimeoutError,
    SignatureError,
    TransportError,
)
from pos_app.alipay.amounts import fen_to_yuan, signed_yuan_to_fen, yuan_to_fen
from pos_app.alipay.errors import classify
from pos_app.alipay.notify import parse_notification
from pos_app.alipay.signing import load_private_key_text, rsa2_sign, rsa2_verify, sign_content
from pos_app.alipay.verifier import PublicKeyMode
from tests.unit.alipay import vectors as V

KEY = load_private_key_text(V.TEST_KEY_PEM.decode())
Handler = Callable[[httpx.Request], httpx.Response]


def signed_body(method: str, fields: dict[str, object], *, sign: bool = True, node: str | None = None) -> bytes:
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    name = node or method.replace(".", "_") + "_response"
    tail = f',"sign":"{rsa2_sign(text, KEY)}"' if sign else ""
    return f'{{"{name}":{text}{tail}}}'.encode()


def make_client(handler: Handler, **kw: object) -> AlipayClient:
    args: dict[str, object] = {
        "app_id": "2021000000000001", "app_private_key": KEY, "keys": PublicKeyMode(KEY.public_key()),
        "gateway_url": "https://openapi.example/gateway.do", "transport": httpx.MockTransport(handler),
    }
    args.update(kw)
    return AlipayClient(**args)  # type: ignore[arg-type]


def answer(body: bytes, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, content=body)


QUERY_OK = {"code": "10000", "msg": "Success", "out_trade_no": "T1", "trade_no": "2026", "trade_status": "TRADE_SUCCESS", "total_amount": "1.00"}


def test_request_is_signed_sorted_without_empty_params_and_biz_in_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=signed_body("alipay.trade.query", QUERY_OK))

    with make_client(handler, clock=lambda: 0.0, app_auth_token="") as c:
        c.query("T1")
    req = seen[0]
    query = dict(parse_qsl(req.url.query.decode()))
    body = dict(parse_qsl(req.content.decode()))
    assert set(body) == {"biz_content"} and "biz_content" not in query
    assert query["timestamp"] == "1970-01-01 08:00:00"  # Beijing time, whatever the host zone
    assert "app_auth_token" not in query and "notify_url" not in query
    params = {**query, **body}
    assert rsa2_verify(sign_content(params), params["sign"], KEY.public_key())
    assert req.headers["content-type"].startswith("application/x-www-form-urlencoded")


def test_malformed_json_is_unknown() -> None:
    with make_client(answer(b"<html>gateway</html>")) as c, pytest.raises(MalformedResponseError) as exc:
        c.query("T1")
    assert exc.value.outcome_unknown


def test_non_utf8_is_malformed() -> None:
    with make_client(answer(b'{"x":"\xff"}')) as c, pytest.raises(MalformedResponseError):
        c.query("T1")


def test_response_size_cap() -> None:
    big = dict(QUERY_OK, pad="x" * 10_000)
    with make_client(answer(signed_body("alipay.trade.query", big)), max_response_bytes=4096) as c, pytest.raises(MalformedResponseError, match="cap"):
        c.query("T1")


def test_size_cap_without_content_length() -> None:
    big = signed_body("alipay.trade.query", dict(QUERY_OK, pad="x" * 10_000))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(big), headers={"Transfer-Encoding": "chunked"})

    with make_client(handler, max_response_bytes=4096) as c, pytest.raises(MalformedResponseError, match="cap"):
        c.query("T1")


class _Drip(httpx.SyncByteStream):
    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self) -> Iterator[bytes]:
        for i in range(0, len(self.data), 50):
            time.sleep(0.05)
            yield self.data[i:i + 50]


def test_overall_deadline_against_a_slow_drip() -> None:
    body = signed_body("alipay.trade.query", QUERY_OK)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Drip(body))

    with make_client(handler, deadline=0.3) as c, pytest.raises(RequestTimeoutError, match="deadline") as exc:
        c.query("T1")
    assert exc.value.outcome_unknown


def test_http_error_status_is_unknown() -> None:
    with make_client(answer(b"bad gateway", 502)) as c, pytest.raises(TransportError) as exc:
        c.query("T1")
    assert exc.value.outcome_unknown


@pytest.mark.parametrize(
    ("exc", "expected"),
    [(httpx.ConnectError("refused"), TransportError), (httpx.ReadTimeout("slow"), RequestTimeoutError)],
)
def test_transport_failures_are_unknown(exc: Exception, expected: type[Exception]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    with make_client(handler) as c, pytest.raises(expected) as info:
        c.pay(out_trade_no="T1", auth_code="281234567890123456", total_fen=100, subject="x")
    assert info.value.outcome_unknown  # type: ignore[attr-defined]


def test_missing_sign_on_a_refusal_is_unknown_not_failed() -> None:
    refusal = {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.BUYER_BALANCE_NOT_ENOUGH", "sub_msg": "余额不足"}
    with make_client(answer(signed_body("alipay.trade.pay", refusal, sign=False))) as c, pytest.raises(SignatureError) as exc:
        c.pay(out_trade_no="T1", auth_code="281234567890123456", total_fen=100, subject="x")
    assert exc.value.outcome_unknown


def test_tampered_answer_is_unknown() -> None:
    body = signed_body("alipay.trade.query", QUERY_OK).replace(b"TRADE_SUCCESS", b"TRADE_CLOSED")
    with make_client(answer(body)) as c, pytest.raises(SignatureError) as exc:
        c.query("T1")
    assert exc.value.outcome_unknown


def test_injected_second_node_is_refused() -> None:
    """A JSON parser keeps the LAST duplicate key: a forged node after the signed one must not pass."""
    good = signed_body("alipay.trade.query", dict(QUERY_OK, trade_status="WAIT_BUYER_PAY"))
    forged = good[:-1] + b',"alipay_trade_query_response":' + json.dumps(QUERY_OK).encode() + b"}"
    with make_client(answer(forged)) as c, pytest.raises(SignatureError, match="repeats"):
        c.query("T1")


def test_error_response_node_is_a_gateway_error() -> None:
    body = signed_body("x", {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-app-id", "sub_msg": "无效"}, node="error_response")
    with make_client(answer(body)) as c, pytest.raises(GatewayError) as exc:
        c.query("T1")
    assert exc.value.kind is ErrorKind.MERCHANT_SETUP and not exc.value.outcome_unknown


def test_answer_about_another_order_is_refused() -> None:
    with make_client(answer(signed_body("alipay.trade.query", dict(QUERY_OK, out_trade_no="T2")))) as c, pytest.raises(MalformedResponseError, match="T2"):
        c.query("T1")


@pytest.mark.parametrize("amount", ["1.0", "1", "1.001", "1e2", 1.0])
def test_bad_amount_in_an_answer_is_unknown(amount: object) -> None:
    with make_client(answer(signed_body("alipay.trade.query", dict(QUERY_OK, total_amount=amount)))) as c, pytest.raises(MalformedResponseError):
        c.query("T1")


def test_pay_answer_with_another_total_is_refused() -> None:
    ok = {"code": "10000", "msg": "Success", "out_trade_no": "T1", "trade_no": "1", "total_amount": "2.00"}
    with make_client(answer(signed_body("alipay.trade.pay", ok))) as c, pytest.raises(MalformedResponseError):
        c.pay(out_trade_no="T1", auth_code="281234567890123456", total_fen=100, subject="x")


def test_10003_outside_pay_is_unknown() -> None:
    with make_client(answer(signed_body("alipay.trade.query", dict(QUERY_OK, code="10003")))) as c, pytest.raises(GatewayError) as exc:
        c.query("T1")
    assert exc.value.outcome_unknown


def test_unknown_trade_status_is_malformed() -> None:
    with make_client(answer(signed_body("alipay.trade.query", dict(QUERY_OK, trade_status="PAID")))) as c, pytest.raises(MalformedResponseError):
        c.query("T1")


def test_cancel_unknown_action_and_refund_without_fund_change() -> None:
    cancel = {"code": "10000", "msg": "Success", "out_trade_no": "T1", "action": "refund_later", "retry_flag": "N"}
    with make_client(answer(signed_body("alipay.trade.cancel", cancel))) as c, pytest.raises(MalformedResponseError):
        c.cancel("T1")
    refund = {"code": "10000", "msg": "Success", "out_trade_no": "T1", "refund_fee": "1.00"}
    with make_client(answer(signed_body("alipay.trade.refund", refund))) as c, pytest.raises(MalformedResponseError):
        c.refund(out_trade_no="T1", out_request_no="R1", refund_fen=100)


def test_retry_flag_on_success_code_is_still_unknown() -> None:
    cancel = {"code": "10000", "msg": "Success", "out_trade_no": "T1", "retry_flag": "Y"}
    with make_client(answer(signed_body("alipay.trade.cancel", cancel))) as c, pytest.raises(GatewayError) as exc:
        c.cancel("T1")
    assert exc.value.retry and exc.value.outcome_unknown


def test_refund_query_without_success_status_is_none() -> None:
    fields = {"code": "10000", "msg": "Success", "out_trade_no": "T1", "out_request_no": "R1", "refund_amount": "1.00"}
    with make_client(answer(signed_body("alipay.trade.fastpay.refund.query", fields))) as c:
        assert c.refund_query(out_trade_no="T1", out_request_no="R1") is None


@pytest.mark.parametrize(
    ("code", "sub_code", "kind", "unknown"),
    [
        ("20000", "isp.unknow-error", ErrorKind.UNKNOWN, True),
        ("40004", "ACQ.SYSTEM_ERROR", ErrorKind.UNKNOWN, True),
        ("40004", "ACQ.TRADE_HAS_SUCCESS", ErrorKind.ALREADY_PAID, True),
        ("40004", "ACQ.SOMETHING_NEW", ErrorKind.UNKNOWN, True),
        ("99999", "", ErrorKind.UNKNOWN, True),
        ("40004", "ACQ.PAYMENT_AUTH_CODE_INVALID", ErrorKind.AUTH_CODE_INVALID, False),
        ("40004", "ACQ.BUYER_BALANCE_NOT_ENOUGH", ErrorKind.INSUFFICIENT_FUNDS, False),
        ("40004", "ACQ.CONTEXT_INCONSISTENT", ErrorKind.CONFLICT, False),
        ("40006", "isv.insufficient-isv-permissions", ErrorKind.MERCHANT_SETUP, False),
    ],
)
def test_classification(code: str, sub_code: str, kind: ErrorKind, unknown: bool) -> None:
    assert classify(code, sub_code) is kind
    assert GatewayError("alipay.trade.pay", code, "m", sub_code).outcome_unknown is unknown


@pytest.mark.parametrize("bad", ["", "T 1", "T-1", "x" * 65, "订单"])
def test_order_numbers_are_checked_before_sending(bad: str) -> None:
    with make_client(answer(b"{}")) as c, pytest.raises(ValueError):
        c.query(bad)


@pytest.mark.parametrize("bad", ["", "28 1234", "x" * 65, "２８１２３４"])
def test_auth_code_checked(bad: str) -> None:
    with make_client(answer(b"{}")) as c, pytest.raises(ValueError):
        c.pay(out_trade_no="T1", auth_code=bad, total_fen=1, subject="x")


def test_money_conversions() -> None:
    assert fen_to_yuan(1) == "0.01" and fen_to_yuan(123456) == "1234.56" and fen_to_yuan(10_000_000_000) == "100000000.00"
    for bad in (0, -1, 10_000_000_001, True, 1.0):
        with pytest.raises(ValueError):
            fen_to_yuan(bad)  # type: ignore[arg-type]
    assert yuan_to_fen("0.01") == 1 and yuan_to_fen("88.88") == 8888 and yuan_to_fen("0.00") == 0
    for text in ("10", "10.0", "10.000", "1e3", " 1.00", "-1.00", "01.00", "1.00 ", "１.００", 1.0, None):
        with pytest.raises(ValueError):
            yuan_to_fen(text)
    assert signed_yuan_to_fen("-3.00") == -300
    with pytest.raises(ValueError):
        signed_yuan_to_fen("--3.00")


def _note(**over: str) -> dict[str, str]:
    fields = {**V.V3_FIELDS, **over}
    fields["sign"] = rsa2_sign(sign_content(fields, exclude=frozenset({"sign", "sign_type"})), KEY)
    return fields


KEYS = PublicKeyMode(KEY.public_key())


def test_notification_guards() -> None:
    ok = _note()
    parse_notification(urlencode(ok).encode(), KEYS, app_id="2021000000000001")
    with pytest.raises(MalformedResponseError, match="another app_id"):
        parse_notification(urlencode(ok).encode(), KEYS, app_id="2021000000000002")
    with pytest.raises(MalformedResponseError, match="seller_id"):
        parse_notification(urlencode(ok).encode(), KEYS, app_id="2021000000000001", seller_id="2088000000000000")
    with pytest.raises(MalformedResponseError, match="twice"):
        parse_notification(urlencode(ok).encode() + b"&trade_status=TRADE_CLOSED", KEYS, app_id="2021000000000001")
    no_sign = {k: v for k, v in ok.items() if k != "sign"}
    with pytest.raises(SignatureError):
        parse_notification(urlencode(no_sign).encode(), KEYS, app_id="2021000000000001")
    with pytest.raises(SignatureError, match="RSA2"):
        parse_notification(urlencode({**ok, "sign_type": "RSA"}).encode(), KEYS, app_id="2021000000000001")
    with pytest.raises(MalformedResponseError):
        parse_notification(urlencode(_note(total_amount="10.0")).encode(), KEYS, app_id="2021000000000001")
    with pytest.raises(MalformedResponseError):
        parse_notification("subject=测试".encode(), KEYS, app_id="2021000000000001")


def test_notification_decoded_once() -> None:
    """passback_params that were URL-encoded before sending keep their %XX after one decode."""
    fields = _note(passback_params="a%3Db")
    note = parse_notification(urlencode(fields).encode(), KEYS, app_id="2021000000000001")
    assert note.fields["passback_params"] == "a%3Db"


def test_empty_sign_is_no_signature() -> None:
    body = signed_body("alipay.trade.query", QUERY_OK, sign=False)[:-1] + b',"sign":""}'
    with make_client(answer(body)) as c, pytest.raises(SignatureError, match="no signature"):
        c.query("T1")
