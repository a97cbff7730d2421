"""Scenario codes and first-start provisioning."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pos_app.simulator.provision import merchant_config_dict, provision, write_merchant_configs
from pos_app.simulator.scenarios import (
    SCENARIOS,
    auth_code_for,
    is_wechat_auth_code,
    mask,
    random_success_code,
    scenario_of,
)
from pos_app.wechatpay.config import load_merchant_config
from pos_app.wechatpay.crypto import load_public_key, public_key_pem


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_scenario_code_is_a_valid_wechat_code_and_round_trips(name: str) -> None:
    code = auth_code_for(name, seconds=7)
    assert is_wechat_auth_code(code) and len(code) == 18 and 10 <= int(code[:2]) <= 15
    s = scenario_of(code)
    assert s is not None and s.name == name and s.seconds == 7
    assert auth_code_for(name) != auth_code_for(name)  # fresh each time (single use)


def test_defaults_random_codes_and_mask() -> None:
    s = scenario_of(auth_code_for("userpaying_then_success"))
    assert s is not None and s.seconds == 5
    code = random_success_code("10")
    assert code.startswith("10") and scenario_of(code) == scenario_of(random_success_code())
    assert scenario_of("280000000000000000") is None
    assert mask("134567890123456789") == "1345****6789"
    with pytest.raises(ValueError):
        auth_code_for("nope")


def test_provision_creates_reuses_and_loads(tmp_path: Path) -> None:
    a = provision(tmp_path)
    for name in ("apiclient_key.pem", "apiv3.key", "platform_key.pem", "pub_key_private.pem"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    b = provision(tmp_path)
    assert (a.mchid, a.merchant_serial, a.public_key_id, a.apiv3_key) == (
        b.mchid, b.merchant_serial, b.public_key_id, b.apiv3_key)
    assert a.public_key_id.startswith("PUB_KEY_ID_") and a.public_key_id[11:].isdigit()
    assert len(a.apiv3_key) == 32 and a.merchant_serial != a.platform_serial
    assert int(a.merchant_serial, 16) == a.merchant_cert.serial_number and len(a.merchant_serial) == 40

    pk, ck = write_merchant_configs(a, "http://127.0.0.1:1234", {"notify_url": "https://n.invalid/x"})
    cfg = load_merchant_config(pk)
    assert cfg.mchid == a.mchid and cfg.appid == a.appid and cfg.merchant_serial_no == a.merchant_serial
    assert cfg.apiv3_key == a.apiv3_key and cfg.public_key_id == a.public_key_id
    assert cfg.base_url == "http://127.0.0.1:1234" and cfg.notify_url == "https://n.invalid/x"
    assert public_key_pem(load_public_key(cfg.public_key_path or "")) == public_key_pem(
        a.pubkey_private.public_key())
    cert_cfg = load_merchant_config(ck)
    assert cert_cfg.public_key_id is None and cert_cfg.platform_cert_dir == tmp_path / "platform_certs"
    assert json.loads(pk.read_text())["private_key_path"] == "apiclient_key.pem"
    assert "public_key_id" in merchant_config_dict(a, "http://x")
