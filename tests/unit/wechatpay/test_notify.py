"""Callbacks: verified first, then decrypted into Transaction / Refund."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pos_app.wechatpay.client import WechatPayClient
from pos_app.wechatpay.crypto import aes_gcm_encrypt
from pos_app.wechatpay.errors import DecryptionError, MalformedResponseError, SignatureError
from pos_app.wechatpay.models import Refund, RefundStatus, TradeState, Transaction
from tests.unit.wechatpay.conftest import APIV3_KEY, APPID, MCHID
from tests.unit.wechatpay.fake_server import FakeWechatPay

TRANSACTION = {
    "appid": APPID,
    "mchid": MCHID,
    "out_trade_no": "N20240102001",
    "transaction_id": "4200000000000000000000000002",
    "trade_type": "NATIVE",
    "trade_state": "SUCCESS",
    "trade_state_desc": "支付成功",
    "bank_type": "CMC",
    "success_time": "2024-01-02T10:00:00+08:00",
    "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
    "amount": {"total": 888, "payer_total": 888, "currency": "CNY", "payer_currency": "CNY"},
}
REFUND = {
    "mchid": MCHID,
    "transaction_id": "4200000000000000000000000002",
    "out_trade_no": "N20240102001",
    "refund_id": "50000000382019052709732678859",
    "out_refund_no": "RF20240102001",
    "refund_status": "SUCCESS",
    "success_time": "2024-01-02T10:05:00+08:00",
    "user_received_account": "支付用户零钱",
    "amount": {"total": 888, "refund": 88, "payer_total": 888, "payer_refund": 88},
}


def callback(
    fake: FakeWechatPay,
    event: str,
    payload: dict[str, Any],
    *,
    key: str = APIV3_KEY,
    aad: str = "transaction",
) -> tuple[dict[str, str], bytes]:
    nonce = "pJzPEVj3TKtN"
    body = {
        "id": "7b2b145f-9cda-5573-8be2-d2d9eaaffa25",
        "create_time": "2024-01-02T10:00:01+08:00",
        "resource_type": "encrypt-resource",
        "event_type": event,
        "summary": "支付成功",
        "resource": {
            "original_type": aad,
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": aes_gcm_encrypt(key, nonce, aad, json.dumps(payload, ensure_ascii=False)),
            "associated_data": aad,
            "nonce": nonce,
        },
    }
    response = fake.signed(200, body)
    return dict(response.headers), response.content


def test_transaction_success(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    headers, body = callback(fake_pubkey, "TRANSACTION.SUCCESS", TRANSACTION)
    event, tx = client.parse_notification(headers, body)
    assert event == "TRANSACTION.SUCCESS"
    assert isinstance(tx, Transaction)
    assert (tx.out_trade_no, tx.trade_state, tx.total, tx.bank_type) == (
        "N20240102001",
        TradeState.SUCCESS,
        888,
        "CMC",
    )


def test_refund_success(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    headers, body = callback(fake_pubkey, "REFUND.SUCCESS", REFUND, aad="refund")
    event, refund = client.parse_notification({k.lower(): v for k, v in headers.items()}, body)
    assert event == "REFUND.SUCCESS"
    assert isinstance(refund, Refund)
    assert (refund.out_refund_no, refund.status, refund.refund, refund.total) == (
        "RF20240102001",
        RefundStatus.SUCCESS,
        88,
        888,
    )


def test_verification_comes_before_decryption(
    client: WechatPayClient, fake_pubkey: FakeWechatPay
) -> None:
    headers, body = callback(fake_pubkey, "TRANSACTION.SUCCESS", TRANSACTION, key="W" * 32)
    with pytest.raises(DecryptionError):  # signed correctly, wrong APIv3 key
        client.parse_notification(headers, body)
    with pytest.raises(SignatureError):  # tampered: rejected before any decryption attempt
        client.parse_notification(
            headers, body.replace(b"TRANSACTION.SUCCESS", b"TRANSACTION.SUCCES5")
        )


def test_signtest_probe_rejected(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    headers, body = callback(fake_pubkey, "TRANSACTION.SUCCESS", TRANSACTION)
    headers["wechatpay-signature"] = "WECHATPAY/SIGNTEST/" + headers["wechatpay-signature"]
    with pytest.raises(SignatureError, match="SIGNTEST"):
        client.parse_notification(headers, body)


def test_replayed_old_callback_rejected(
    client: WechatPayClient, fake_pubkey: FakeWechatPay
) -> None:
    headers, body = callback(fake_pubkey, "TRANSACTION.SUCCESS", TRANSACTION)
    fake_pubkey.clock.now += 3600
    with pytest.raises(SignatureError, match="off our clock"):
        client.parse_notification(headers, body)


def test_malformed_resource(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    response = fake_pubkey.signed(200, {"event_type": "TRANSACTION.SUCCESS"})
    with pytest.raises(MalformedResponseError):
        client.parse_notification(dict(response.headers), response.content)
