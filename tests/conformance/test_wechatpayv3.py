"""Conformance: the third-party SDK ``wechatpayv3`` (2.0.4) talks to our simulator with
signature verification ON, in public-key mode and in platform-certificate mode.

The SDK hard-codes its gateway; we patch ``_core._gate_way`` after construction
(public-key mode) or put a class-level property on ``Core._gate_way`` before
construction (certificate mode: the constructor already downloads /v3/certificates).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

wechatpayv3 = pytest.importorskip("wechatpayv3")
from wechatpayv3 import WeChatPay, WeChatPayType  # noqa: E402
from wechatpayv3.core import Core  # noqa: E402

from pos_app.simulator.scenarios import auth_code_for, random_success_code  # noqa: E402
from pos_app.simulator.server import SimulatorServer  # noqa: E402


def _kwargs(sim: SimulatorServer) -> dict[str, object]:
    ident = sim.identity
    return {
        "wechatpay_type": WeChatPayType.NATIVE,
        "mchid": ident.mchid,
        "private_key": ident.merchant_key_path.read_text(),
        "cert_serial_no": ident.merchant_serial,
        "appid": ident.appid,
        "apiv3_key": ident.apiv3_key,
        "notify_url": "https://pos-simulator.invalid/notify",
        "timeout": (5, 10),
    }


@pytest.fixture(scope="module")
def pubkey_pay(sim: SimulatorServer) -> WeChatPay:
    wx = WeChatPay(**_kwargs(sim), public_key=sim.identity.public_key_path.read_text(),
                   public_key_id=sim.identity.public_key_id)
    wx._core._gate_way = sim.base_url
    return wx


@pytest.fixture
def cert_pay(sim: SimulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WeChatPay:
    base = sim.base_url
    monkeypatch.setattr(Core, "_gate_way", property(lambda self: base, lambda self, v: None), raising=False)
    return WeChatPay(**_kwargs(sim), cert_dir=str(tmp_path))


def _native_flow(wx: WeChatPay, sim: SimulatorServer) -> None:
    no = "V3C" + secrets.token_hex(8)
    code, text = wx.pay(description="门店-商品", out_trade_no=no, amount={"total": 250})
    assert code == 200
    code_url = json.loads(text)["code_url"]
    assert code_url.startswith("weixin://wxpay/bizpayurl?pr=")

    code, text = wx.query(out_trade_no=no)
    assert code == 200 and json.loads(text)["trade_state"] == "NOTPAY"
    sim.pay(code_url=code_url)
    code, text = wx.query(out_trade_no=no)
    doc = json.loads(text)
    assert code == 200 and doc["trade_state"] == "SUCCESS" and doc["amount"]["total"] == 250
    code, text = wx.query(transaction_id=doc["transaction_id"])
    assert code == 200 and json.loads(text)["out_trade_no"] == no

    rno = "RF" + secrets.token_hex(8)
    code, text = wx.refund(out_refund_no=rno, amount={"refund": 50, "total": 250, "currency": "CNY"},
                           out_trade_no=no)
    assert code == 200 and json.loads(text)["status"] in ("PROCESSING", "SUCCESS")
    code, text = wx.query_refund(out_refund_no=rno)
    assert code == 200 and json.loads(text)["status"] == "SUCCESS"
    code, text = wx.query(out_trade_no=no)
    assert json.loads(text)["trade_state"] == "REFUND"

    other = "V3C" + secrets.token_hex(8)
    assert wx.pay(description="d", out_trade_no=other, amount={"total": 1})[0] == 200
    sim.engine.clock.advance(sim.realism.close_lag_s)  # type: ignore[attr-defined]  # after the close lag
    code, _ = wx.close(out_trade_no=other)
    assert code == 204
    code, text = wx.query(out_trade_no=other)
    assert json.loads(text)["trade_state"] == "CLOSED"


def test_public_key_mode_native_query_close_refund(pubkey_pay: WeChatPay, sim: SimulatorServer) -> None:
    _native_flow(pubkey_pay, sim)


def test_platform_cert_mode_native_query_close_refund(cert_pay: WeChatPay, sim: SimulatorServer,
                                                      tmp_path: Path) -> None:
    assert list(tmp_path.iterdir()), "the SDK should have cached the downloaded platform certificate"
    _native_flow(cert_pay, sim)


def test_codepay_and_reverse(pubkey_pay: WeChatPay) -> None:
    no = "V3P" + secrets.token_hex(8)
    code, text = pubkey_pay.pay(description="d", out_trade_no=no, amount={"total": 3},
                                payer={"auth_code": random_success_code()},
                                scene_info={"store_info": {"id": "S1"}}, pay_type=WeChatPayType.CODEPAY)
    assert code == 200 and json.loads(text)["trade_state"] == "SUCCESS"
    code, text = pubkey_pay.codepay_reverse(out_trade_no=no)
    assert code == 200 and json.loads(text)["out_trade_no"] == no
    code, text = pubkey_pay.query(out_trade_no=no)
    assert json.loads(text)["trade_state"] == "REVOKED"

    code, text = pubkey_pay.pay(description="d", out_trade_no="V3P" + secrets.token_hex(8), amount={"total": 3},
                                payer={"auth_code": auth_code_for("notenough")},
                                scene_info={"store_info": {"id": "S1"}}, pay_type=WeChatPayType.CODEPAY)
    assert code == 403 and json.loads(text)["code"] == "NOT_ENOUGH"


@pytest.mark.parametrize("kind", ["bad_signature", "signtest"])
def test_tampered_response_raises_in_public_key_mode(pubkey_pay: WeChatPay, sim: SimulatorServer,
                                                     kind: str) -> None:
    no = "V3T" + secrets.token_hex(8)
    assert pubkey_pay.pay(description="d", out_trade_no=no, amount={"total": 1})[0] == 200
    sim.inject(kind, path_prefix="/v3/pay/transactions/out-trade-no/")
    with pytest.raises(Exception, match="failed to verify the signature"):
        pubkey_pay.query(out_trade_no=no)


def test_tampered_response_raises_in_cert_mode(cert_pay: WeChatPay, sim: SimulatorServer) -> None:
    no = "V3T" + secrets.token_hex(8)
    assert cert_pay.pay(description="d", out_trade_no=no, amount={"total": 1})[0] == 200
    sim.inject("bad_signature", path_prefix="/v3/pay/transactions/out-trade-no/")
    with pytest.raises(Exception, match="failed to verify the signature"):
        cert_pay.query(out_trade_no=no)


def test_wrong_merchant_key_is_rejected_by_the_simulator(sim: SimulatorServer) -> None:
    from pos_app.simulator.keys import new_rsa_key
    from pos_app.wechatpay.crypto import private_key_pem

    kwargs = _kwargs(sim)
    kwargs["private_key"] = private_key_pem(new_rsa_key()).decode()
    wx = WeChatPay(**kwargs, public_key=sim.identity.public_key_path.read_text(),
                   public_key_id=sim.identity.public_key_id)
    wx._core._gate_way = sim.base_url
    code, text = wx.query(out_trade_no="V3W" + secrets.token_hex(8))
    assert code == 401 and json.loads(text)["code"] == "SIGN_ERROR"
