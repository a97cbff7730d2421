"""Alipay merchant configuration at start-up: clear errors, Alipay-only or both channels."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from pos_app.backend import build_core, build_services
from pos_app.payment_connection import check_alipay_config
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from pos_app.startup_plan import StartupError, plan_startup


@pytest.fixture(scope="module")
def ali_sim(tmp_path_factory: pytest.TempPathFactory) -> AlipaySimulatorServer:
    server = AlipaySimulatorServer(tmp_path_factory.mktemp("alisim")).start()
    yield server  # type: ignore[misc]
    server.stop()


def _ns(config: Path) -> argparse.Namespace:
    return argparse.Namespace(config=str(config), demo=False)


def test_bad_alipay_config_is_a_clear_startup_error(tmp_path: Path,
                                                    ali_sim: AlipaySimulatorServer) -> None:
    raw = json.loads(ali_sim.merchant_config_path.read_text())
    raw["app_id"] = "12345"
    raw["app_private_key_path"] = str(ali_sim.merchant_config_path.parent
                                      / raw["app_private_key_path"])
    raw["alipay_public_key_path"] = str(ali_sim.merchant_config_path.parent
                                        / raw["alipay_public_key_path"])
    bad = tmp_path / "alipay.json"
    bad.write_text(json.dumps(raw))
    shop = tmp_path / "shop.json"
    shop.write_text(json.dumps({"alipay_config": "alipay.json", "shop_name": "店"}))
    plan = plan_startup(_ns(shop), tmp_path / "data")
    assert plan.merchant_path is None and plan.alipay_path == bad
    with pytest.raises(StartupError, match="Alipay config: app_id must be the 16-digit"):
        build_core(plan)
    with pytest.raises(ValueError, match="app_id"):
        check_alipay_config(bad)
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"shop_name": "店"}))
    with pytest.raises(StartupError, match="alipay_config"):
        plan_startup(_ns(empty), tmp_path / "data")


def test_alipay_only_shop(tmp_path: Path, ali_sim: AlipaySimulatorServer) -> None:
    assert "public key" in check_alipay_config(ali_sim.merchant_config_path)
    assert "certificates" in check_alipay_config(ali_sim.merchant_certmode_config_path)
    shop = tmp_path / "shop.json"
    shop.write_text(json.dumps({"alipay_config": str(ali_sim.merchant_certmode_config_path)}))
    (tmp_path / "data").mkdir()
    core = build_core(plan_startup(_ns(shop), tmp_path / "data"))
    try:
        assert tuple(core.till.channels) == ("alipay",)
        services = build_services(core, core.login)
        assert services.manager is not None and services.manager.reconcile is not None
        assert services.manager.reconcile.channels == ("alipay",)
    finally:
        core.close()
