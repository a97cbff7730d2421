"""Which mode the till starts in: --demo, --config, else the merchant configs saved in the
settings screen (F11 says "used after a restart"), else demo."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pos_app.startup_plan import plan_startup, settings_file


def _ns(config: str | None = None, demo: bool = False) -> argparse.Namespace:
    return argparse.Namespace(config=config, demo=demo)


def _save(data: Path, **raw: object) -> None:
    data.mkdir(parents=True, exist_ok=True)
    settings_file(data).write_text(json.dumps(raw), encoding="utf-8")


def test_no_settings_is_demo(tmp_path: Path) -> None:
    assert plan_startup(_ns(), tmp_path).live is False


def test_merchant_configs_saved_in_settings_start_the_till_live(tmp_path: Path) -> None:
    _save(tmp_path, merchant_config_path=str(tmp_path / "wx" / "merchant.json"),
          alipay_config_path="", receipt={"shop_name": " 好又多便利店 "})
    plan = plan_startup(_ns(), tmp_path)
    assert plan.live and plan.merchant_path == (tmp_path / "wx" / "merchant.json").resolve()
    assert plan.alipay_path is None and plan.shop_name == "好又多便利店"
    _save(tmp_path, alipay_config_path=str(tmp_path / "ali.json"))
    plan = plan_startup(_ns(), tmp_path)
    assert plan.live and plan.merchant_path is None
    assert plan.alipay_path == (tmp_path / "ali.json").resolve() and plan.shop_name == "收银台"


def test_demo_flag_wins_over_saved_settings(tmp_path: Path) -> None:
    _save(tmp_path, merchant_config_path=str(tmp_path / "merchant.json"))
    assert plan_startup(_ns(demo=True), tmp_path).live is False


def test_empty_or_damaged_settings_start_in_demo(tmp_path: Path) -> None:
    _save(tmp_path, merchant_config_path="  ", alipay_config_path="")
    assert plan_startup(_ns(), tmp_path).live is False
    settings_file(tmp_path).write_text("{not json", encoding="utf-8")
    assert plan_startup(_ns(), tmp_path).live is False
    settings_file(tmp_path).write_text("[1, 2]", encoding="utf-8")
    assert plan_startup(_ns(), tmp_path).live is False
    _save(tmp_path, merchant_config_path=7, receipt="x")
    assert plan_startup(_ns(), tmp_path).live is False
