"""Alipay merchant configuration: every problem is a ConfigError naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pos_app.alipay import AlipayClient, ConfigError, load_alipay_config
from pos_app.alipay.config import alipay_config_from_dict
from pos_app.simulator.alipay.server import AlipaySimulatorServer


def _raw(sim: AlipaySimulatorServer, *, cert: bool = False) -> dict[str, Any]:
    path = sim.merchant_certmode_config_path if cert else sim.merchant_config_path
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"app_id": None}, "app_id is required"),
        ({"app_id": "wx1234"}, "16-digit"),
        ({"app_id": 2021000000000001}, "16-digit"),
        ({"app_private_key_path": None}, "app_private_key_path is required"),
        ({"app_private_key_path": "missing.pem"}, "does not exist"),
        ({"alipay_public_key_path": None}, "alipay_public_key_path"),
        ({"app_cert_path": "alipayRootCert.crt"}, "choose one mode"),
        ({"gateway_url": "openapi.alipay.com"}, "gateway_url"),
        ({"notify_url": "ftp://x"}, "notify_url"),
        ({"seller_id": "123"}, "seller_id"),
        ({"read_timeout": 0}, "read_timeout"),
        ({"read_timeout": True}, "read_timeout"),
        ({"read_timeout": 10, "deadline": 5}, "deadline"),
        ({"max_response_bytes": 10}, "max_response_bytes"),
    ],
)
def test_invalid_fields(ali_sim: AlipaySimulatorServer, change: dict[str, Any], message: str) -> None:
    raw = {k: v for k, v in {**_raw(ali_sim), **change}.items() if v is not None}
    with pytest.raises(ConfigError, match=message):
        alipay_config_from_dict(raw, ali_sim.state_dir)


def test_partial_cert_mode_names_the_missing_files(ali_sim: AlipaySimulatorServer) -> None:
    raw = _raw(ali_sim, cert=True)
    del raw["alipay_root_cert_path"]
    with pytest.raises(ConfigError, match="alipay_root_cert_path"):
        alipay_config_from_dict(raw, ali_sim.state_dir)


def test_both_modes_load(ali_sim: AlipaySimulatorServer) -> None:
    assert not load_alipay_config(ali_sim.merchant_config_path).cert_mode
    cfg = load_alipay_config(ali_sim.merchant_certmode_config_path)
    assert cfg.cert_mode


def test_unreadable_and_bad_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_alipay_config(tmp_path / "nope.json")
    (tmp_path / "a.json").write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_alipay_config(tmp_path / "a.json")
    (tmp_path / "b.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ConfigError, match="object"):
        load_alipay_config(tmp_path / "b.json")


def test_key_files_are_checked_when_building_the_client(ali_sim: AlipaySimulatorServer) -> None:
    d = ali_sim.state_dir
    (d / "junk.pem").write_text("not a key", encoding="utf-8")
    raw = {**_raw(ali_sim), "app_private_key_path": "junk.pem"}
    with pytest.raises(ConfigError, match="app private key"):
        AlipayClient.from_config(alipay_config_from_dict(raw, d))
    raw = {**_raw(ali_sim), "alipay_public_key_path": "junk.pem"}
    with pytest.raises(ConfigError, match="Alipay public key"):
        AlipayClient.from_config(alipay_config_from_dict(raw, d))
    raw = {**_raw(ali_sim, cert=True), "app_cert_path": "alipayCertPublicKey_RSA2.crt"}
    with pytest.raises(ConfigError, match="does not hold the public key"):
        AlipayClient.from_config(alipay_config_from_dict(raw, d))
    raw = {**_raw(ali_sim, cert=True), "alipay_root_cert_path": "junk.pem"}
    with pytest.raises(ConfigError, match="root"):
        AlipayClient.from_config(alipay_config_from_dict(raw, d))


def test_small_keys_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from pos_app.alipay.signing import load_private_key_text, private_key_pem

    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(ConfigError, match="2048"):
        load_private_key_text(private_key_pem(small).decode())
