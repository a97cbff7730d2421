"""Conformance: the third-party ``wechatpy`` APIv2 SDK (1.8.18) against our simulator.

wechatpy signs with MD5, sends the client certificate when ``mch_cert``/``mch_key`` are
set, raises ``WeChatPayException`` for any non-SUCCESS result (including USERPAYING) and
does not verify response signatures itself — we check them with ``check_signature``.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from pos_app.simulator.scenarios import auth_code_for, random_success_code
from pos_app.wechatpay.config import MerchantConfig
from tests.sim_fixtures import Clock

wechatpy_pay = pytest.importorskip("wechatpy.pay")
WeChatPay = wechatpy_pay.WeChatPay
WeChatPayException = pytest.importorskip("wechatpy.exceptions").WeChatPayException

_numbers = itertools.count(1)


def order_no() -> str:
    return f"WPY{next(_numbers):06d}"


def make_pay(cfg: MerchantConfig, *, with_cert: bool = True) -> Any:
    pay = WeChatPay(
        appid=cfg.appid,
        api_key=cfg.apiv2_key,
        mch_id=cfg.mchid,
        mch_cert=str(cfg.client_cert_path) if with_cert else None,
        mch_key=str(cfg.private_key_path) if with_cert else None,
        timeout=10,
    )
    pay.API_BASE_URL = cfg.v2_base_url + "/"  # per instance; keep the trailing slash
    pay._http.trust_env = False  # no proxy / REQUESTS_CA_BUNDLE override for loopback
    pay._http.verify = str(cfg.ca_cert_path)  # trust the simulator's test CA
    return pay


@pytest.fixture(scope="module")
def pay(cfg: MerchantConfig) -> Any:
    return make_pay(cfg)


def create(pay: Any, code: str, no: str, total: int = 1234) -> Any:
    return pay.micropay.create(body="可乐", total_fee=total, auth_code=code,
                               client_ip="127.0.0.1", out_trade_no=no)


def test_micropay_create_and_query(pay: Any) -> None:
    no = order_no()
    res = create(pay, random_success_code(), no)
    assert res["result_code"] == "SUCCESS" and res["out_trade_no"] == no
    assert res["total_fee"] == "1234" and res["trade_type"] == "MICROPAY"
    assert pay.check_signature(dict(res))  # our MD5 response sign is what wechatpy expects
    q = pay.micropay.query(out_trade_no=no)
    assert q["trade_state"] == "SUCCESS" and q["transaction_id"] == res["transaction_id"]
    assert pay.check_signature(dict(q))
    assert pay.order.query(out_trade_no=no)["trade_state"] == "SUCCESS"


def test_userpaying_raises_then_query_succeeds(pay: Any, clock: Clock) -> None:
    no = order_no()
    with pytest.raises(WeChatPayException) as ei:
        create(pay, auth_code_for("userpaying_then_success", seconds=10), no)
    assert ei.value.errcode == "USERPAYING"
    assert pay.micropay.query(out_trade_no=no)["trade_state"] == "USERPAYING"
    clock.now += 11
    assert pay.micropay.query(out_trade_no=no)["trade_state"] == "SUCCESS"


@pytest.mark.parametrize(
    ("scenario", "errcode"),
    [("notenough", "NOTENOUGH"), ("authcodeexpire", "AUTHCODEEXPIRE"),
     ("systemerror_but_charged", "SYSTEMERROR"), ("bankerror_not_charged", "BANKERROR")],
)
def test_business_errors(pay: Any, scenario: str, errcode: str) -> None:
    with pytest.raises(WeChatPayException) as ei:
        create(pay, auth_code_for(scenario), order_no())
    assert ei.value.errcode == errcode and ei.value.return_code == "SUCCESS"


def test_order_reverse_recall(pay: Any) -> None:
    no = order_no()
    with pytest.raises(WeChatPayException):
        create(pay, auth_code_for("reverse_recall_once"), no)
    with pytest.raises(WeChatPayException) as ei:  # SYSTEMERROR, recall=Y
        pay.order.reverse(out_trade_no=no)
    assert ei.value.errcode == "SYSTEMERROR"
    res = pay.order.reverse(out_trade_no=no)
    assert res["result_code"] == "SUCCESS" and res["recall"] == "N"
    assert pay.check_signature(dict(res))
    assert pay.micropay.query(out_trade_no=no)["trade_state"] == "REVOKED"


def test_reverse_without_cert_refused(cfg: MerchantConfig, pay: Any) -> None:
    no = order_no()
    create(pay, random_success_code(), no)
    bare = make_pay(cfg, with_cert=False)
    with pytest.raises(WeChatPayException) as ei:
        bare.order.reverse(out_trade_no=no)
    assert ei.value.return_code == "FAIL" and ei.value.return_msg == "证书错误"
    assert pay.micropay.query(out_trade_no=no)["trade_state"] == "SUCCESS"
