"""Alipay merchant configuration: who we are to Alipay and where our keys live.

JSON or TOML (by suffix); relative paths are relative to the file; key material is read
from files; ``repr`` shows no secret. Exactly one verification mode:

* public-key mode: ``alipay_public_key_path``;
* certificate mode: ``app_cert_path`` + ``alipay_cert_path`` + ``alipay_root_cert_path``.

Example (the Alipay simulator provisions this shape as ``alipay_merchant.json``)::

    {
      "app_id": "2021000000000001",
      "app_private_key_path": "app_private_key.pem",
      "alipay_public_key_path": "alipay_public_key.pem",
      "gateway_url": "https://openapi.alipay.com/gateway.do",
      "notify_url": "https://example.com/alipay/notify",
      "seller_id": "2088101106499364"
    }
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos_app.alipay.errors import ConfigError

PRODUCTION_GATEWAY = "https://openapi.alipay.com/gateway.do"
SANDBOX_GATEWAY = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"

_APP_ID_RE = re.compile(r"^[0-9]{16}$")
_PID_RE = re.compile(r"^2088[0-9]{12}$")
_URL_RE = re.compile(r"^https?://[^/\s?#]+(/[^\s?#]*)?$")
_CERT_FIELDS = ("app_cert_path", "alipay_cert_path", "alipay_root_cert_path")


@dataclass(frozen=True)
class AlipayConfig:
    app_id: str
    app_private_key_path: Path
    alipay_public_key_path: Path | None = None
    app_cert_path: Path | None = None
    alipay_cert_path: Path | None = None
    alipay_root_cert_path: Path | None = None
    gateway_url: str = PRODUCTION_GATEWAY
    notify_url: str | None = None
    seller_id: str | None = None
    app_auth_token: str | None = None
    store_id: str | None = None
    terminal_id: str | None = None
    connect_timeout: float = 3.0
    read_timeout: float = 15.0
    deadline: float = 20.0
    max_response_bytes: int = 1_000_000
    ca_cert_path: Path | None = None
    source: Path | None = None

    @property
    def cert_mode(self) -> bool:
        return self.app_cert_path is not None


def _path(base: Path, raw: dict[str, Any], name: str) -> Path | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a file path")
    p = Path(value)
    p = p if p.is_absolute() else base / p
    if not p.is_file():
        raise ConfigError(f"{name}: file {p} does not exist")
    return p


def _number(raw: dict[str, Any], name: str, default: float, *, low: float, high: float) -> float:
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{name} must be a number of seconds in {low}…{high}, got {value!r}")
    return float(value)


def _optional_str(raw: dict[str, Any], name: str, pattern: re.Pattern[str] | None = None) -> str | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or (pattern is not None and not pattern.match(value)):
        raise ConfigError(f"{name} has an invalid value {value!r}")
    return value


def alipay_config_from_dict(raw: dict[str, Any], base: Path, source: Path | None = None) -> AlipayConfig:
    """Validate a raw mapping; every problem raises :class:`ConfigError` naming the field."""
    app_id = raw.get("app_id")
    if not app_id:
        raise ConfigError("app_id is required")
    if not isinstance(app_id, str) or not _APP_ID_RE.match(app_id):
        raise ConfigError(f"app_id must be the 16-digit Alipay APPID, got {app_id!r}")
    private = _path(base, raw, "app_private_key_path")
    if private is None:
        raise ConfigError("app_private_key_path is required")
    public = _path(base, raw, "alipay_public_key_path")
    certs = {name: _path(base, raw, name) for name in _CERT_FIELDS}
    given = [name for name, p in certs.items() if p is not None]
    if public is not None and given:
        raise ConfigError("choose one mode: alipay_public_key_path OR the three certificate files")
    if public is None and len(given) != len(_CERT_FIELDS):
        missing = [n for n in _CERT_FIELDS if certs[n] is None]
        if given:
            raise ConfigError("certificate mode needs " + ", ".join(missing))
        raise ConfigError("alipay_public_key_path (or app_cert_path, alipay_cert_path, alipay_root_cert_path) is required")
    gateway = raw.get("gateway_url", PRODUCTION_GATEWAY)
    if not isinstance(gateway, str) or not _URL_RE.match(gateway):
        raise ConfigError(f"gateway_url must be http(s)://host[:port]/path, got {gateway!r}")
    notify = _optional_str(raw, "notify_url", _URL_RE)
    max_bytes = raw.get("max_response_bytes", 1_000_000)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or not 4096 <= max_bytes <= 100_000_000:
        raise ConfigError("max_response_bytes must be an integer in 4096…100000000")
    connect = _number(raw, "connect_timeout", 3.0, low=0.1, high=60)
    read = _number(raw, "read_timeout", 15.0, low=0.1, high=120)
    deadline = _number(raw, "deadline", max(20.0, connect + read), low=0.2, high=300)
    if deadline < read:
        raise ConfigError("deadline must be at least read_timeout")
    return AlipayConfig(
        app_id=app_id,
        app_private_key_path=private,
        alipay_public_key_path=public,
        app_cert_path=certs["app_cert_path"],
        alipay_cert_path=certs["alipay_cert_path"],
        alipay_root_cert_path=certs["alipay_root_cert_path"],
        gateway_url=gateway,
        notify_url=notify,
        seller_id=_optional_str(raw, "seller_id", _PID_RE),
        app_auth_token=_optional_str(raw, "app_auth_token"),
        store_id=_optional_str(raw, "store_id"),
        terminal_id=_optional_str(raw, "terminal_id"),
        connect_timeout=connect,
        read_timeout=read,
        deadline=deadline,
        max_response_bytes=max_bytes,
        ca_cert_path=_path(base, raw, "ca_cert_path"),
        source=source,
    )


def load_alipay_config(path: str | Path) -> AlipayConfig:
    """Load and validate an Alipay merchant config file (``.json`` or ``.toml``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read Alipay config {p}: {exc}") from exc
    try:
        raw = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{p} is not valid {'TOML' if p.suffix == '.toml' else 'JSON'}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{p} must hold an object/table")
    return alipay_config_from_dict(raw, p.parent, source=p)
