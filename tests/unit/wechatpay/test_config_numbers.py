"""Every numeric merchant setting is checked with the other config checks (issue 12
item 8): a timeout ≤ 0, absurdly large, not a number (or NaN/inf), a port outside
1–65535 is a ConfigError naming the field — and the till does not start on it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.wechatpay import crypto
from pos_app.wechatpay.config import load_merchant_config
from pos_app.wechatpay.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def keypair() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _write(d: Path, key: rsa.RSAPrivateKey, text: str | None = None, **over: object) -> Path:
    (d / "apiclient_key.pem").write_bytes(crypto.private_key_pem(key))
    (d / "pub_key.pem").write_bytes(crypto.public_key_pem(key.public_key()))
    (d / "apiv3.key").write_text("a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb\n")
    raw: dict[str, object] = {
        "mchid": "1900000109", "appid": "wxd930ea5d5a258f4f",
        "merchant_serial_no": "5d3a9c0e1f2b", "private_key_path": "apiclient_key.pem",
        "apiv3_key_path": "apiv3.key", "public_key_path": "pub_key.pem",
        "public_key_id": "PUB_KEY_ID_0114232134912410000000000000",
        "codepay_protocol": "v3", "base_url": "http://127.0.0.1:8733",
    }
    raw.update(over)
    p = d / "merchant.json"
    p.write_text(text if text is not None else json.dumps(raw))
    return p


@pytest.mark.parametrize(("field", "value"), [
    ("read_timeout", 0), ("read_timeout", -1), ("read_timeout", 86400), ("read_timeout", 1e308),
    ("read_timeout", "10"), ("read_timeout", True), ("read_timeout", None),
    ("connect_timeout", 0), ("connect_timeout", -0.5), ("connect_timeout", 3600),
])
def test_a_bad_timeout_is_refused_naming_the_field(
    tmp_path: Path, keypair: rsa.RSAPrivateKey, field: str, value: object
) -> None:
    with pytest.raises(ConfigError, match=field):
        load_merchant_config(_write(tmp_path, keypair, **{field: value}))


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(tmp_path: Path, keypair: rsa.RSAPrivateKey,
                                      literal: str) -> None:
    path = _write(tmp_path, keypair)
    raw = path.read_text().replace('"codepay_protocol"', f'"read_timeout": {literal}, '
                                   '"codepay_protocol"')
    path.write_text(raw)
    with pytest.raises(ConfigError, match="read_timeout"):
        load_merchant_config(path)


@pytest.mark.parametrize("url", ["http://127.0.0.1:0", "http://127.0.0.1:65536",
                                 "https://api.example.com:99999", "http://127.0.0.1:"])
def test_a_port_outside_the_range_is_refused(tmp_path: Path, keypair: rsa.RSAPrivateKey,
                                             url: str) -> None:
    with pytest.raises(ConfigError, match="port"):
        load_merchant_config(_write(tmp_path, keypair, base_url=url))


def test_sane_numbers_load(tmp_path: Path, keypair: rsa.RSAPrivateKey) -> None:
    cfg = load_merchant_config(_write(tmp_path, keypair, read_timeout=15, connect_timeout=2.5,
                                      base_url="https://[::1]:8443"))
    assert (cfg.read_timeout, cfg.connect_timeout) == (15.0, 2.5)
    default = load_merchant_config(_write(tmp_path, keypair))
    assert (default.read_timeout, default.connect_timeout) == (10.0, 5.0)


@pytest.mark.slow
def test_the_till_does_not_start_on_a_bad_timeout(tmp_path: Path,
                                                  keypair: rsa.RSAPrivateKey) -> None:
    _write(tmp_path, keypair, read_timeout=0)
    (tmp_path / "shop.toml").write_text('merchant_config = "merchant.json"\n')
    data = tmp_path / "data"
    proc = subprocess.run([sys.executable, "-m", "pos_app", "--config", str(tmp_path / "shop.toml"),
                           "--data-dir", str(data), "--smoke-test"], cwd=ROOT,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "read_timeout must be more than 0" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (data / "pos_app.sqlite3").exists()      # nothing started
