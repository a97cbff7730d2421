"""What to start, decided before any window: the app config (``--config``) or the merchant
configs saved in Settings (live), else demo mode; the data directory's settings file."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class StartupError(Exception):
    """The till cannot start (message is shown to the user)."""


def _read_app_config(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise StartupError(f"cannot read config {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise StartupError(f"{path} must hold a table/object")
    return raw


def settings_file(data_dir: Path) -> Path:
    """The till's settings (scanner, printer, merchant config path) in its data dir."""
    return data_dir / "settings.json"


@dataclass(frozen=True)
class Plan:
    """What the command line and the app config say (read before any window)."""

    data_dir: Path
    live: bool
    shop_name: str = "演示便利店"
    till_id: str = "01"
    merchant_path: Path | None = None       # WeChat Pay merchant config (None: no WeChat Pay)
    alipay_path: Path | None = None         # Alipay merchant config (None: no Alipay)


def _saved_merchant_configs(data_dir: Path) -> tuple[Path | None, Path | None, str]:
    """The WeChat Pay and Alipay merchant configs (and shop name) saved in the settings
    screen (F11), read without the UI's settings model. A missing or damaged file names none:
    the settings screen reports a damaged one when it loads it."""
    try:
        raw = json.loads(settings_file(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None, ""
    if not isinstance(raw, dict):
        return None, None, ""

    def path(key: str) -> Path | None:
        value = raw.get(key)
        return Path(value).expanduser().resolve() if isinstance(value, str) and value.strip() else None

    receipt = raw.get("receipt")
    shop = receipt.get("shop_name") if isinstance(receipt, dict) else None
    return (path("merchant_config_path"), path("alipay_config_path"),
            shop.strip() if isinstance(shop, str) else "")


def plan_startup(ns: argparse.Namespace, data_dir: Path) -> Plan:
    """--demo: demo. --config: that app config. Neither: the merchant configs saved in the
    settings screen (live), or demo when none is saved."""
    if ns.demo:
        return Plan(data_dir, live=False)
    if not ns.config:
        wechat, alipay, shop = _saved_merchant_configs(data_dir)
        if wechat is None and alipay is None:
            return Plan(data_dir, live=False)
        return Plan(data_dir, live=True, shop_name=shop or "收银台",
                    merchant_path=wechat, alipay_path=alipay)
    cfg_path = Path(ns.config).resolve()
    raw = _read_app_config(cfg_path)
    if "mchid" in raw:
        return Plan(data_dir, live=True, shop_name="演示便利店", merchant_path=cfg_path)
    if not raw.get("merchant_config") and not raw.get("alipay_config"):
        raise StartupError(f"{cfg_path}: needs merchant_config = \"<merchant.json>\""
                           " (WeChat Pay) and/or alipay_config = \"<alipay.json>\" (Alipay)")
    return Plan(data_dir, live=True, shop_name=str(raw.get("shop_name", "收银台")),
                till_id=str(raw.get("till_id", "01")),
                merchant_path=(cfg_path.parent / str(raw["merchant_config"])).resolve()
                if raw.get("merchant_config") else None,
                alipay_path=(cfg_path.parent / str(raw["alipay_config"])).resolve()
                if raw.get("alipay_config") else None)
