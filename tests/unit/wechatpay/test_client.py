"""WechatPayClient against the in-test fake server (httpx.MockTransport)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from pos_app.domain.money import Fen
from pos_app.payments.gateway import PaymentGateway
from pos_app.wechatpay.client import WechatPayClient
from pos_app.wechatpay.crypto import parse_authorization
from pos_app.wechatpay.errors import (
    ApiError,
    BillNotAvailableError,
    DecryptionError,
    MalformedResponseError,
    NoStatementError,
    RequestTimeoutError,
    SignatureError,
    TransportError,
)
from pos_app.wechatpay.models import RefundStatus, TradeState
from tests.unit.wechatpay.conftest import APPID, MCHID, PUB_KEY_ID, ClientFactory, Keys
from tests.unit.wechatpay.fake_server import FakeWechatPay, SigningKey

CST = timezone(timedelta(hours=8))
EXPIRE = datetime(2024, 1, 2, 10, 5, tzinfo=CST)


def test_client_satisfies_payment_gateway(client: WechatPayClient) -> None:
    gateway: PaymentGateway = client  # mypy-checked structurally; runtime: same names
    for name in (
        "native_prepay",
        "codepay",
        "query",
        "close",
        "reverse",
        "refund",
        "query_refund",
        "trade_bill",
    ):
        assert callable(getattr(gateway, name))


def test_native_prepay_wire_format(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    code_url = client.native_prepay(
        out_trade_no="A2024010200001",
        description="小店-收银台-商品",
        total=Fen(1234),
        time_expire=EXPIRE,
    )
    assert code_url == "weixin://wxpay/bizpayurl?pr=JyC91EIz1"
    req = fake_pubkey.requests[-1]
    assert req.method == "POST" and req.url.path == "/v3/pay/transactions/native"
    assert req.headers["Accept"] == "application/json"
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers["User-Agent"].startswith("pos_app/")
    assert req.headers["Wechatpay-Serial"] == PUB_KEY_ID
    # compact, UTF-8, not ASCII-escaped; the exact bytes were signed (fake checked it)
    assert "小店".encode() in req.content and b": " not in req.content and b", " not in req.content
    body = json.loads(req.content)
    assert body == {
        "appid": APPID,
        "mchid": MCHID,
        "description": "小店-收银台-商品",
        "out_trade_no": "A2024010200001",
        "time_expire": "2024-01-02T10:05:00+08:00",
        "notify_url": "https://example.com/wxpay/notify",
        "amount": {"total": 1234, "currency": "CNY"},
    }
    assert type(body["amount"]["total"]) is int
    fields = parse_authorization(req.headers["Authorization"])
    assert fields["mchid"] == MCHID and fields["timestamp"] == "1700000000"


def test_every_call_has_explicit_timeout(
    client: WechatPayClient, fake_pubkey: FakeWechatPay
) -> None:
    client.query("NOPE")
    timeout = fake_pubkey.requests[-1].extensions["timeout"]
    assert timeout == {"connect": 2.0, "read": 3.0, "write": 3.0, "pool": 2.0}


def test_amounts_must_be_int_fen(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    for bad in (12.5, True, 0, -1):
        with pytest.raises(ValueError):
            client.native_prepay(out_trade_no="A1", description="x", total=bad, time_expire=EXPIRE)  # type: ignore[arg-type]
    assert fake_pubkey.requests == []


def test_codepay_success(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    tx = client.codepay(
        out_trade_no="P1", description="商品", total=Fen(100), auth_code="134567890123456780"
    )
    assert tx.trade_state is TradeState.SUCCESS and tx.trade_state.paid
    assert (tx.out_trade_no, tx.total, tx.payer_total, tx.trade_type) == (
        "P1",
        100,
        100,
        "MICROPAY",
    )
    assert tx.transaction_id == "4200000000000000000000000001"
    assert tx.openid == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    body = json.loads(fake_pubkey.requests[-1].content)
    assert body["payer"] == {"auth_code": "134567890123456780"}
    assert body["scene_info"]["store_info"]["out_id"]


@pytest.mark.parametrize("auth_code", ["134567890123456781", "134567890123456782"])
def test_codepay_userpaying_200_and_202(client: WechatPayClient, auth_code: str) -> None:
    tx = client.codepay(out_trade_no="P2", description="商品", total=Fen(100), auth_code=auth_code)
    assert tx.trade_state is TradeState.USERPAYING
    assert tx.out_trade_no == "P2"


@pytest.mark.parametrize(
    ("auth_code", "code"),
    [("134567890123456783", "NOT_ENOUGH"), ("134567890123456784", "AUTHCODEEXPIRE")],
)
def test_codepay_business_refusal(client: WechatPayClient, auth_code: str, code: str) -> None:
    with pytest.raises(ApiError) as info:
        client.codepay(out_trade_no="P3", description="商品", total=Fen(100), auth_code=auth_code)
    assert info.value.code == code
    assert info.value.outcome_unknown is False
    assert info.value.request_id.startswith("08F78BB5")


def test_codepay_system_error_is_outcome_unknown(client: WechatPayClient) -> None:
    with pytest.raises(ApiError) as info:
        client.codepay(
            out_trade_no="P4", description="商品", total=Fen(100), auth_code="134567890123456789"
        )
    assert (info.value.status, info.value.code, info.value.outcome_unknown) == (
        500,
        "SYSTEM_ERROR",
        True,
    )


def test_query_and_not_found(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    assert client.query("NOPE") is None
    req = fake_pubkey.requests[-1]
    assert req.url.raw_path == b"/v3/pay/transactions/out-trade-no/NOPE?mchid=1900000109"
    client.codepay(out_trade_no="Q1", description="x", total=Fen(5), auth_code="134567890123456780")
    tx = client.query("Q1")
    assert tx is not None and tx.trade_state is TradeState.SUCCESS and tx.total == 5


def test_query_by_transaction_id(client: WechatPayClient) -> None:
    assert client.query_by_transaction_id("4200000000000000000000000001") is None
    client.codepay(out_trade_no="Q2", description="x", total=Fen(5), auth_code="134567890123456780")
    tx = client.query_by_transaction_id("4200000000000000000000000001")
    assert tx is not None and tx.out_trade_no == "Q2"


def test_path_parameters_are_escaped_and_signed(
    client: WechatPayClient, fake_pubkey: FakeWechatPay
) -> None:
    assert client.query("A|b*c/../x") is None  # fake verified the signature over the escaped path
    assert fake_pubkey.requests[-1].url.raw_path.startswith(
        b"/v3/pay/transactions/out-trade-no/A%7Cb%2Ac%2F..%2Fx?"
    )


def test_close_204_verified(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    client.native_prepay(out_trade_no="C1", description="x", total=Fen(1), time_expire=EXPIRE)
    assert client.close("C1") is None
    assert fake_pubkey.orders["C1"]["trade_state"] == "CLOSED"
    assert json.loads(fake_pubkey.requests[-1].content) == {"mchid": MCHID}


def test_close_204_with_bad_signature_rejected(
    client: WechatPayClient, fake_pubkey: FakeWechatPay
) -> None:
    def bad_204(request: httpx.Request) -> httpx.Response:
        response = fake_pubkey.signed(204)
        response.headers["Wechatpay-Signature"] = fake_pubkey.signed(200, {"x": 1}).headers[
            "Wechatpay-Signature"
        ]
        return response

    fake_pubkey.scripted["/v3/pay/transactions/out-trade-no/C2/close"] = bad_204
    with pytest.raises(SignatureError, match="does not verify"):
        client.close("C2")


def test_close_204_unsigned_rejected(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    fake_pubkey.scripted["/v3/pay/transactions/out-trade-no/C3/close"] = lambda r: httpx.Response(
        204
    )
    with pytest.raises(SignatureError, match="missing header"):
        client.close("C3")


def test_close_paid_order(client: WechatPayClient) -> None:
    client.codepay(out_trade_no="C4", description="x", total=Fen(1), auth_code="134567890123456780")
    with pytest.raises(ApiError) as info:
        client.close("C4")
    assert info.value.code == "ORDER_PAID" and not info.value.outcome_unknown


def test_reverse(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    client.codepay(out_trade_no="R1", description="x", total=Fen(1), auth_code="134567890123456781")
    assert client.reverse("R1") is True
    assert fake_pubkey.orders["R1"]["trade_state"] == "REVOKED"
    assert json.loads(fake_pubkey.requests[-1].content) == {"appid": APPID, "mchid": MCHID}


def test_reverse_system_error_raises(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    fake_pubkey.scripted["/v3/pay/transactions/out-trade-no/R2/reverse"] = lambda r: (
        fake_pubkey.error(500, "SYSTEM_ERROR", "系统异常")
    )
    with pytest.raises(ApiError) as info:
        client.reverse("R2")
    assert info.value.outcome_unknown


def test_refund_and_query_refund(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    assert client.query_refund("RF1") is None
    refund = client.refund(
        out_refund_no="RF1", out_trade_no="P1", refund=Fen(30), total=Fen(100), reason="退货"
    )
    assert (refund.status, refund.refund, refund.total, refund.out_trade_no) == (
        RefundStatus.PROCESSING,
        30,
        100,
        "P1",
    )
    assert json.loads(fake_pubkey.requests[-1].content) == {
        "out_trade_no": "P1",
        "out_refund_no": "RF1",
        "amount": {"refund": 30, "total": 100, "currency": "CNY"},
        "reason": "退货",
    }
    again = client.query_refund("RF1")
    assert again is not None and again.refund_id == refund.refund_id
    assert again.user_received_account == "支付用户零钱"


def test_trade_bill_plain_and_gzip(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    bill = client.trade_bill(date(2023, 11, 10))
    assert bill.bill_date == "2023-11-10"
    assert bill.text.startswith("交易时间,商户订单号\n")  # BOM stripped
    assert bill.hash_value == hashlib.sha1(fake_pubkey.bill).hexdigest()
    apply, download = fake_pubkey.requests[-2:]
    assert apply.url.raw_path == b"/v3/bill/tradebill?bill_date=2023-11-10&bill_type=ALL"
    assert download.url.path == "/v3/billdownload/file"
    assert download.url.host == "127.0.0.1"  # fetched from our base_url, not the URL's host
    assert download.headers["Authorization"].startswith("WECHATPAY2-SHA256-RSA2048 ")
    fake_pubkey.bill_gzip = True
    assert client.trade_bill(date(2023, 11, 10)).text == bill.text


def test_trade_bill_hash_mismatch(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    fake_pubkey.bill_hash_override = "79bb0f45fc4c42234a918000b2668d689e2bde04"
    with pytest.raises(SignatureError, match="SHA1"):
        client.trade_bill(date(2023, 11, 10))


def test_trade_bill_no_statement(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    fake_pubkey.scripted["/v3/bill/tradebill"] = lambda r: fake_pubkey.error(
        400, "NO_STATEMENT_EXIST", "账单文件不存在"
    )
    with pytest.raises(NoStatementError, match="NO_STATEMENT_EXIST"):  # a settled day: no trades
        client.trade_bill(date(2023, 11, 10))
    with pytest.raises(BillNotAvailableError) as exc:  # yesterday before 10:00 China time: not yet
        client.trade_bill(date(2023, 11, 14))
    assert exc.value.wechat_code == "NO_STATEMENT_EXIST" and exc.value.code != "NO_STATEMENT_EXIST"
    with pytest.raises(BillNotAvailableError):  # today
        client.trade_bill(date(2023, 11, 15))
    fake_pubkey.scripted["/v3/bill/tradebill"] = lambda r: fake_pubkey.error(400, "STATEMENT_CREATING", "账单生成中")
    with pytest.raises(BillNotAvailableError):
        client.trade_bill(date(2023, 11, 10))


# -- error mapping ---------------------------------------------------------------------------


def test_timeout_maps_to_request_timeout(make_client: ClientFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    client = make_client(handler)
    with pytest.raises(RequestTimeoutError) as info:
        client.codepay(
            out_trade_no="T1", description="x", total=Fen(1), auth_code="134567890123456780"
        )
    assert info.value.outcome_unknown


def test_connect_error_maps_to_transport_error(make_client: ClientFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = make_client(handler)
    with pytest.raises(TransportError) as info:
        client.query("T2")
    assert not isinstance(info.value, RequestTimeoutError) and info.value.outcome_unknown


@pytest.mark.parametrize(
    ("status", "body", "code", "unknown"),
    [
        (
            400,
            {"code": "PARAM_ERROR", "message": "参数错误", "detail": {"field": "/amount/total"}},
            "PARAM_ERROR",
            False,
        ),
        (401, {"code": "SIGN_ERROR", "message": "签名错误"}, "SIGN_ERROR", False),
        (429, {"code": "FREQUENCY_LIMITED", "message": "频率限制"}, "FREQUENCY_LIMITED", True),
        (502, None, "HTTP_502", True),
        (503, b"<html>busy</html>", "HTTP_503", True),
    ],
)
def test_non_2xx_maps_to_api_error(
    client: WechatPayClient,
    fake_pubkey: FakeWechatPay,
    status: int,
    body: object,
    code: str,
    unknown: bool,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, dict):
            return httpx.Response(status, json=body, headers={"Request-ID": "RID-1"})
        return httpx.Response(
            status,
            content=body if isinstance(body, bytes) else b"",
            headers={"Request-ID": "RID-1"},
        )

    fake_pubkey.scripted["/v3/refund/domestic/refunds"] = handler
    with pytest.raises(ApiError) as info:
        client.refund(out_refund_no="E1", out_trade_no="P1", refund=Fen(1), total=Fen(1), reason="")
    err = info.value
    assert (err.status, err.code, err.request_id, err.outcome_unknown) == (
        status,
        code,
        "RID-1",
        unknown,
    )
    if status == 400:
        assert err.detail == {"field": "/amount/total"} and err.message == "参数错误"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1,2]",
        {"trade_state": "NOT_A_STATE", "out_trade_no": "M1"},
        {"trade_state": "SUCCESS", "out_trade_no": "M1", "amount": {"total": 1.5}},
        {"trade_state": "SUCCESS", "out_trade_no": "OTHER"},
    ],
)
def test_malformed_2xx(client: WechatPayClient, fake_pubkey: FakeWechatPay, body: object) -> None:
    fake_pubkey.scripted["/v3/pay/transactions/out-trade-no/M1"] = lambda r: fake_pubkey.signed(
        200, body
    )  # type: ignore[arg-type]
    with pytest.raises(MalformedResponseError) as info:
        client.query("M1")
    assert info.value.outcome_unknown


def test_native_prepay_without_code_url_is_malformed(
    client: WechatPayClient, fake_pubkey: FakeWechatPay
) -> None:
    fake_pubkey.scripted["/v3/pay/transactions/native"] = lambda r: fake_pubkey.signed(
        200, {"prepay_id": "x"}
    )
    with pytest.raises(MalformedResponseError, match="code_url"):
        client.native_prepay(out_trade_no="M2", description="x", total=Fen(1), time_expire=EXPIRE)


def test_tampered_response_rejected(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    fake_pubkey.tamper_body = True
    with pytest.raises(
        SignatureError, match=r"does not verify.*POST /v3/pay/transactions/codepay.*Request-ID"
    ) as info:
        client.codepay(
            out_trade_no="X1", description="x", total=Fen(1), auth_code="134567890123456780"
        )
    assert info.value.outcome_unknown


def test_stale_response_rejected(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    def stale(request: httpx.Request) -> httpx.Response:
        fake_pubkey.clock.now -= 301
        try:
            return fake_pubkey.signed(200, {"code_url": "weixin://x"})
        finally:
            fake_pubkey.clock.now += 301

    fake_pubkey.scripted["/v3/pay/transactions/native"] = stale
    with pytest.raises(SignatureError, match="off our clock"):
        client.native_prepay(out_trade_no="X2", description="x", total=Fen(1), time_expire=EXPIRE)


def test_response_signed_by_unconfigured_key_rejected(
    client: WechatPayClient, fake_pubkey: FakeWechatPay, keys: Keys
) -> None:
    fake_pubkey.signing = SigningKey(PUB_KEY_ID, keys.stranger)
    with pytest.raises(SignatureError, match="does not verify with public key"):
        client.codepay(
            out_trade_no="X3", description="x", total=Fen(1), auth_code="134567890123456780"
        )


def test_unsigned_error_bodies_are_accepted(client: WechatPayClient) -> None:
    assert client.query("UNSIGNED_404") is None  # the fake's 404 carries no signature


def test_signed_error_is_verified(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    refusal = {"code": "NOT_ENOUGH", "message": "余额不足"}
    fake_pubkey.scripted["/v3/pay/transactions/codepay"] = lambda r: fake_pubkey.signed(
        403, refusal
    )
    with pytest.raises(ApiError, match="NOT_ENOUGH") as known:
        client.codepay(out_trade_no="E1", description="x", total=Fen(1), auth_code="134567890123456780")
    assert not known.value.outcome_unknown

    fake_pubkey.tamper_body = True  # a forged refusal must not read as "nothing was charged"
    with pytest.raises(SignatureError) as forged:
        client.codepay(out_trade_no="E2", description="x", total=Fen(1), auth_code="134567890123456780")
    assert forged.value.outcome_unknown


# -- platform certificates -----------------------------------------------------------------


def test_certificate_mode_bootstraps_from_download(
    make_client: ClientFactory, fake_certs: FakeWechatPay, cert_a: SigningKey
) -> None:
    client = make_client(fake_certs, public_key=False)
    assert client.query("NOPE") is None  # 404: nothing to verify, no download
    assert fake_certs.cert_downloads == 0
    client.codepay(out_trade_no="K1", description="x", total=Fen(1), auth_code="134567890123456780")
    assert fake_certs.cert_downloads == 1
    first_request = next(
        r for r in fake_certs.requests if r.url.path == "/v3/pay/transactions/codepay"
    )
    assert "Wechatpay-Serial" not in first_request.headers  # nothing known yet
    client.query("K1")
    assert fake_certs.cert_downloads == 1
    assert fake_certs.requests[-1].headers["Wechatpay-Serial"] == cert_a.serial


def test_certificate_rotation_redownloads_once(
    make_client: ClientFactory, fake_certs: FakeWechatPay, cert_a: SigningKey, cert_b: SigningKey
) -> None:
    client = make_client(fake_certs, public_key=False)
    client.codepay(out_trade_no="K2", description="x", total=Fen(1), auth_code="134567890123456780")
    assert fake_certs.cert_downloads == 1
    fake_certs.certificates = [cert_a, cert_b]
    fake_certs.signing = cert_b  # WeChat Pay starts signing with the new certificate
    assert client.query("K2") is not None
    assert fake_certs.cert_downloads == 2
    assert client.query("K2") is not None
    assert fake_certs.cert_downloads == 2
    assert fake_certs.requests[-1].headers["Wechatpay-Serial"] == cert_b.serial  # newest
    fake_certs.signing = SigningKey("0123456789ABCDEF", cert_b.key)  # not offered anywhere
    with pytest.raises(
        SignatureError, match="unknown platform certificate serial '0123456789ABCDEF'"
    ):
        client.query("K2")
    assert fake_certs.cert_downloads == 3  # exactly one more download, then rejection


def test_certificate_cache_dir(
    make_client: ClientFactory, fake_certs: FakeWechatPay, tmp_path: Path, cert_a: SigningKey
) -> None:
    client = make_client(fake_certs, public_key=False, cert_dir=True)
    client.download_certificates()
    assert (tmp_path / "platform_certs" / f"wechatpay_{cert_a.serial}.pem").exists()
    fresh = make_client(fake_certs, public_key=False, cert_dir=True)
    fresh.codepay(out_trade_no="K3", description="x", total=Fen(1), auth_code="134567890123456780")
    assert fake_certs.cert_downloads == 1  # the second client used the cache


def test_certificate_download_with_bad_signature_rejected(
    make_client: ClientFactory, fake_certs: FakeWechatPay, keys: Keys
) -> None:
    fake_certs.signing = SigningKey(fake_certs.certificates[0].serial, keys.stranger)
    client = make_client(fake_certs, public_key=False)
    with pytest.raises(SignatureError):
        client.download_certificates()
    with pytest.raises(SignatureError, match="refreshing /v3/certificates failed"):
        client.codepay(
            out_trade_no="K4", description="x", total=Fen(1), auth_code="134567890123456780"
        )
    assert fake_certs.cert_downloads == 2  # explicit download + one refresh, nothing trusted


def test_certificate_download_with_wrong_apiv3_key(
    make_client: ClientFactory, fake_certs: FakeWechatPay
) -> None:
    fake_certs.scripted["/v3/certificates"] = lambda r: fake_certs.signed(
        200, fake_certs.certificates_body(apiv3_key="X" * 32)
    )
    client = make_client(fake_certs, public_key=False)
    with pytest.raises(DecryptionError):
        client.download_certificates()


def test_public_key_mode_falls_back_to_certificates(
    client: WechatPayClient, fake_pubkey: FakeWechatPay, cert_a: SigningKey
) -> None:
    client.query("NOPE")
    fake_pubkey.signing = cert_a  # migration: a response signed with a platform certificate
    client.codepay(out_trade_no="K5", description="x", total=Fen(1), auth_code="134567890123456780")
    assert fake_pubkey.cert_downloads == 1
    codepay = [r for r in fake_pubkey.requests if r.url.path.endswith("/codepay")][-1]
    assert codepay.headers["Wechatpay-Serial"] == PUB_KEY_ID


def test_context_manager_closes(make_client: ClientFactory, fake_pubkey: FakeWechatPay) -> None:
    with make_client(fake_pubkey) as client:
        client.query("NOPE")
    with pytest.raises(RuntimeError, match="closed"):
        client.query("NOPE")


def test_close_202_user_paying_is_not_success(
    client: WechatPayClient, fake_pubkey: FakeWechatPay
) -> None:
    fake_pubkey.scripted["/v3/pay/transactions/out-trade-no/C5/close"] = lambda r: (
        fake_pubkey.signed(202, {"code": "USER_PAYING", "message": "用户支付中，需要输入密码"})
    )
    with pytest.raises(ApiError) as info:
        client.close("C5")
    assert (info.value.status, info.value.code, info.value.outcome_unknown) == (
        202,
        "USER_PAYING",
        True,
    )


def test_auth_usable_directly_with_httpx(fake_pubkey: FakeWechatPay, keys: Keys) -> None:
    from pos_app.wechatpay.auth import WechatPayAuth
    from pos_app.wechatpay.signer import RsaSha256Signer
    from pos_app.wechatpay.verifier import PublicKeyVerifier, ResponseValidator

    clock = fake_pubkey.clock
    auth = WechatPayAuth(
        RsaSha256Signer(
            MCHID, "5D3A5B2C1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B", keys.merchant, clock=clock
        ),
        ResponseValidator(
            PublicKeyVerifier(PUB_KEY_ID, keys.wechat_public.public_key()), clock=clock
        ),
    )
    with httpx.Client(
        base_url="http://sim", transport=httpx.MockTransport(fake_pubkey), auth=auth
    ) as http:
        ok = http.post(
            "/v3/pay/transactions/native", json={"out_trade_no": "H1", "amount": {"total": 1}}
        )
        assert ok.json()["code_url"].startswith("weixin://")
        bill = http.get("/v3/billdownload/file", params={"token": "t"})  # unsigned, not verified
        assert bill.status_code == 200 and fake_pubkey.requests[-1].headers["Accept"] == "*/*"
        fake_pubkey.tamper_body = True
        with pytest.raises(SignatureError):
            http.post(
                "/v3/pay/transactions/native", json={"out_trade_no": "H2", "amount": {"total": 1}}
            )


def test_no_secrets_in_logs_or_reprs(
    client: WechatPayClient, fake_pubkey: FakeWechatPay, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from tests.unit.wechatpay.conftest import APIV3_KEY

    auth_code = "134567890123456780"
    with caplog.at_level(logging.DEBUG):
        client.codepay(out_trade_no="L1", description="x", total=Fen(1), auth_code=auth_code)
        with pytest.raises(ApiError):
            client.codepay(
                out_trade_no="L2", description="x", total=Fen(1), auth_code="134567890123456783"
            )
    assert "POST /v3/pay/transactions/codepay → 200" in caplog.text
    for secret in (
        auth_code,
        "134567890123456783",
        APIV3_KEY,
        "PRIVATE KEY",
        "Authorization",
        "signature=",
    ):
        assert secret not in caplog.text
    assert APIV3_KEY not in repr(client) and "PRIVATE" not in repr(client._auth.signer)


def test_concurrent_unknown_serial_downloads_once(
    make_client: ClientFactory, fake_certs: FakeWechatPay
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    fake_certs.orders["K6"] = {
        "out_trade_no": "K6",
        "trade_state": "NOTPAY",
        "trade_type": "NATIVE",
    }
    client = make_client(fake_certs, public_key=False)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: client.query("K6"), range(8)))
    assert all(tx is not None and tx.trade_state is TradeState.NOTPAY for tx in results)
    assert fake_certs.cert_downloads == 1


def test_long_chinese_description_and_reason_fit_the_byte_limits(
    client: WechatPayClient, fake_pubkey: FakeWechatPay
) -> None:
    client.native_prepay(out_trade_no="LONG1", description="便利店-" + "康师傅红烧牛肉面🍜" * 30,
                         total=Fen(450), time_expire=EXPIRE)
    sent = json.loads(fake_pubkey.requests[-1].content)
    assert len(sent["description"].encode()) <= 127 and "🍜" not in sent["description"]
    assert sent["description"].startswith("便利店-康师傅红烧牛肉面")
