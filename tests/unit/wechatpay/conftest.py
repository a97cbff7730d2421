"""Fixtures for the APIv3 client tests: RSA keys generated once per session, a merchant
config on disk and a client wired to the in-test fake WeChat Pay server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.wechatpay.client import WechatPayClient
from pos_app.wechatpay.config import MerchantConfig, merchant_config_from_dict
from pos_app.wechatpay.crypto import private_key_pem, public_key_pem
from tests.unit.wechatpay.fake_server import FakeClock, FakeWechatPay, SigningKey, make_certificate

MCHID = "1900000109"
APPID = "wxd930ea5d5a258f4f"
MERCHANT_SERIAL = "5D3A5B2C1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B"
APIV3_KEY = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"
PUB_KEY_ID = "PUB_KEY_ID_0000000000000024101100397200000006"
NOW = 1_700_000_000.0


@dataclass(frozen=True)
class Keys:
    merchant: rsa.RSAPrivateKey
    wechat_public: rsa.RSAPrivateKey  # the "微信支付公钥" private half (server side)
    platform_a: rsa.RSAPrivateKey
    platform_b: rsa.RSAPrivateKey
    stranger: rsa.RSAPrivateKey


@pytest.fixture(scope="session")
def keys() -> Keys:
    def gen() -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    return Keys(gen(), gen(), gen(), gen(), gen())


@pytest.fixture(scope="session")
def cert_a(keys: Keys) -> SigningKey:
    return SigningKey(
        "5157F09EFDC096DE15EBE81A47057A72",
        keys.platform_a,
        make_certificate(keys.platform_a, 0x5157F09EFDC096DE15EBE81A47057A72),
    )


@pytest.fixture(scope="session")
def cert_b(keys: Keys) -> SigningKey:
    return SigningKey(
        "6B1D0F2E3C4A59687766554433221100",
        keys.platform_b,
        make_certificate(
            keys.platform_b,
            0x6B1D0F2E3C4A59687766554433221100,
            not_after=datetime(2041, 1, 1, tzinfo=UTC),
        ),
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


def write_merchant(
    tmp_path: Path, keys: Keys, *, public_key: bool, cert_dir: bool = False, **extra: object
) -> MerchantConfig:
    (tmp_path / "apiclient_key.pem").write_bytes(private_key_pem(keys.merchant))
    (tmp_path / "apiv3.key").write_text(APIV3_KEY)
    raw: dict[str, object] = {
        "mchid": MCHID,
        "appid": APPID,
        "merchant_serial_no": MERCHANT_SERIAL,
        "private_key_path": "apiclient_key.pem",
        "apiv3_key_path": "apiv3.key",
        "codepay_protocol": "v3",
        "base_url": "http://127.0.0.1:8733",
        "notify_url": "https://example.com/wxpay/notify",
        "connect_timeout": 2.0,
        "read_timeout": 3.0,
        **extra,
    }
    if public_key:
        (tmp_path / "pub_key.pem").write_bytes(public_key_pem(keys.wechat_public.public_key()))
        raw["public_key_id"] = PUB_KEY_ID
        raw["public_key_path"] = "pub_key.pem"
    if cert_dir:
        raw["platform_cert_dir"] = "platform_certs"
    (tmp_path / "merchant.json").write_text(json.dumps(raw))
    return merchant_config_from_dict(raw, tmp_path, source=tmp_path / "merchant.json")


@pytest.fixture
def fake_pubkey(keys: Keys, clock: FakeClock, cert_a: SigningKey) -> FakeWechatPay:
    """Server in public-key mode (it still offers certificate A at /v3/certificates)."""
    return FakeWechatPay(
        mchid=MCHID,
        appid=APPID,
        apiv3_key=APIV3_KEY,
        merchant_public_key=keys.merchant.public_key(),
        signing=SigningKey(PUB_KEY_ID, keys.wechat_public),
        clock=clock,
        certificates=[cert_a],
    )


@pytest.fixture
def fake_certs(keys: Keys, clock: FakeClock, cert_a: SigningKey) -> FakeWechatPay:
    """Server in platform-certificate mode, signing with certificate A."""
    return FakeWechatPay(
        mchid=MCHID,
        appid=APPID,
        apiv3_key=APIV3_KEY,
        merchant_public_key=keys.merchant.public_key(),
        signing=cert_a,
        clock=clock,
        certificates=[cert_a],
    )


ClientFactory = Callable[..., WechatPayClient]


@pytest.fixture
def make_client(tmp_path: Path, keys: Keys, clock: FakeClock) -> Iterator[ClientFactory]:
    made: list[WechatPayClient] = []

    def factory(
        handler: Callable[[httpx.Request], httpx.Response],
        *,
        public_key: bool = True,
        cert_dir: bool = False,
        **extra: object,
    ) -> WechatPayClient:
        cfg = write_merchant(tmp_path, keys, public_key=public_key, cert_dir=cert_dir, **extra)
        client = WechatPayClient.from_config(
            cfg, transport=httpx.MockTransport(handler), clock=clock
        )
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close_client()


@pytest.fixture
def client(make_client: ClientFactory, fake_pubkey: FakeWechatPay) -> WechatPayClient:
    return make_client(fake_pubkey)
