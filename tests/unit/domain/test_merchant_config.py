import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.wechatpay import crypto
from pos_app.wechatpay.config import load_merchant_config
from pos_app.wechatpay.errors import ConfigError


@pytest.fixture(scope="module")
def keypair() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def merchant_dir(tmp_path: Path, keypair: rsa.RSAPrivateKey) -> Path:
    (tmp_path / "apiclient_key.pem").write_bytes(crypto.private_key_pem(keypair))
    (tmp_path / "pub_key.pem").write_bytes(crypto.public_key_pem(keypair.public_key()))
    (tmp_path / "apiv3.key").write_text("a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb\n")
    return tmp_path


def _write(d: Path, **over: object) -> Path:
    raw: dict[str, object] = {
        "mchid": "1900000109",
        "appid": "wxd930ea5d5a258f4f",
        "merchant_serial_no": "5d3a9c0e1f2b",
        "private_key_path": "apiclient_key.pem",
        "apiv3_key_path": "apiv3.key",
        "public_key_id": "PUB_KEY_ID_0114232134912410000000000000",
        "public_key_path": "pub_key.pem",
        "codepay_protocol": "v3",
        "base_url": "http://127.0.0.1:8733/",
    }
    raw.update(over)
    raw = {k: v for k, v in raw.items() if v is not None}
    p = d / "merchant.json"
    p.write_text(json.dumps(raw))
    return p


def test_loads_valid_config(merchant_dir: Path) -> None:
    cfg = load_merchant_config(_write(merchant_dir))
    assert cfg.mchid == "1900000109"
    assert cfg.merchant_serial_no == "5D3A9C0E1F2B"
    assert cfg.base_url == "http://127.0.0.1:8733"
    assert cfg.uses_public_key
    assert cfg.private_key_path == merchant_dir / "apiclient_key.pem"
    assert "a7cde1" not in repr(cfg)  # secrets never in repr/logs


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"mchid": "abc"}, "mchid"),
        ({"appid": "nope"}, "appid"),
        ({"private_key_path": "missing.pem"}, "does not exist"),
        ({"apiv3_key_path": "missing.key"}, "apiv3_key"),
        ({"public_key_path": None}, "go together"),
        ({"public_key_id": "PUB_KEY_ID_x"}, "PUB_KEY_ID"),
        ({"codepay_protocol": "v4"}, "codepay_protocol"),
        ({"codepay_protocol": "v2"}, "apiv2_key"),
        ({"base_url": "ftp://x"}, "base_url"),
    ],
)
def test_bad_config_is_refused_with_a_clear_message(
    merchant_dir: Path, override: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_merchant_config(_write(merchant_dir, **override))


def test_short_apiv3_key_refused(merchant_dir: Path) -> None:
    (merchant_dir / "apiv3.key").write_text("short")
    with pytest.raises(ConfigError, match="32 bytes"):
        load_merchant_config(_write(merchant_dir))


def test_not_json(tmp_path: Path) -> None:
    p = tmp_path / "m.json"
    p.write_text("{nope")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_merchant_config(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_merchant_config(tmp_path / "absent.json")


def test_private_key_loader_refuses_garbage(tmp_path: Path) -> None:
    p = tmp_path / "k.pem"
    p.write_text("-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n")
    with pytest.raises(ConfigError, match="not a PEM private key"):
        crypto.load_private_key(p)
