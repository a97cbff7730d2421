"""Merchant configuration: who we are to WeChat Pay and where our keys live.

Stored as JSON or TOML (chosen by suffix). Relative paths are relative to the
file. Secrets are read from files the user controls; ``repr`` never shows them.

Example (JSON; the simulator provisions exactly this shape as ``merchant.json``)::

    {
      "mchid": "1900000109", "appid": "wxd930ea5d5a258f4f",
      "merchant_serial_no": "5D3A…", "private_key_path": "apiclient_key.pem",
      "apiv3_key_path": "apiv3.key",
      "public_key_id": "PUB_KEY_ID_0119…", "public_key_path": "pub_key.pem",
      "platform_cert_dir": null,
      "apiv2_key_path": "apiv2.key", "v2_sign_type": "HMAC-SHA256",
      "client_cert_path": "apiclient_cert.pem", "ca_cert_path": "sim_ca.pem",
      "codepay_protocol": "v3",
      "base_url": "http://127.0.0.1:8733", "v2_base_url": "https://127.0.0.1:8734",
      "notify_url": "https://example.com/wxpay/notify"
    }

``merchant_serial_no`` is kept in WeChat Pay's byte-wise upper-hex form (a leading ``0``
is part of it); instead of it, ``merchant_cert_path`` may name ``apiclient_cert.pem`` and
the serial is read from the certificate.

``codepay_protocol`` (payment codes, 付款码) defaults to ``"v2"``: APIv2 micropay first.
WeChat's 2026 guidance still says "付款码支付没有 V3 版本，必须使用 V2 接口" for many
merchants, and what a merchant without the v3 product gets back is not documented
(wechatpay-api.md §8b). v2 micropay works for every merchant with an APIv2 key, so it is the
safe choice when unsure. ``"v3_with_v2_fallback"`` tries v3 and moves to v2 only on a
verified "not enabled" answer (404 / 403 NO_AUTH, see
:func:`pos_app.wechatpay.errors.is_codepay_not_enabled`); ``"v3"`` is for merchants known to
have the v3 payment-code product. Everything else (Native, queries, refunds, bills) is v3.

``backup_base_url`` / ``backup_v2_base_url``: WeChat's backup domain, used only for a
request that could not connect to the primary (never re-sends a request that may have
arrived); defaults to ``api2.mch.weixin.qq.com`` when ``base_url`` is WeChat's primary.

``public_key_id``/``public_key_path`` select public-key verification; without them
(or in addition, during migration) platform certificates are downloaded from
``/v3/certificates`` and cached in ``platform_cert_dir``.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pos_app.wechatpay.crypto import canonical_serial, cert_serial_hex
from pos_app.wechatpay.errors import ConfigError

CodepayProtocol = Literal["v3", "v2", "v3_with_v2_fallback"]
V2SignType = Literal["MD5", "HMAC-SHA256"]

_MCHID_RE = re.compile(r"^\d{6,32}$")
_APPID_RE = re.compile(r"^wx[0-9a-zA-Z]{16}$")
_SERIAL_RE = re.compile(r"^[0-9A-Fa-f]{8,64}$")
_PUBKEY_ID_RE = re.compile(r"^PUB_KEY_ID_\d{10,40}$")


@dataclass(frozen=True)
class MerchantConfig:
    mchid: str
    appid: str
    merchant_serial_no: str
    private_key_path: Path
    apiv3_key: str = field(repr=False)
    base_url: str = "https://api.mch.weixin.qq.com"
    public_key_id: str | None = None
    public_key_path: Path | None = None
    platform_cert_dir: Path | None = None
    apiv2_key: str | None = field(default=None, repr=False)
    v2_sign_type: V2SignType = "HMAC-SHA256"
    v2_base_url: str = "https://api.mch.weixin.qq.com"
    client_cert_path: Path | None = None
    ca_cert_path: Path | None = None
    codepay_protocol: CodepayProtocol = "v2"   # micropay first when unsure (module docstring)
    notify_url: str = "https://localhost.invalid/wxpay/notify"
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    source: Path | None = None
    #: WeChat's backup host, tried only when the primary cannot be connected to
    #: (None: api2.mch.weixin.qq.com when base_url is WeChat's primary, else no failover).
    backup_base_url: str | None = None
    backup_v2_base_url: str | None = None

    @property
    def uses_public_key(self) -> bool:
        return self.public_key_id is not None


def _read_secret(base: Path, raw: dict[str, Any], key: str, *, required: bool) -> str | None:
    """A secret is given as ``<key>_path`` (preferred) or inline ``<key>``."""
    path = raw.get(f"{key}_path")
    if path:
        p = (base / path) if not Path(path).is_absolute() else Path(path)
        try:
            return p.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{key}: cannot read {p}: {exc.strerror}") from exc
    if raw.get(key):
        return str(raw[key])
    if required:
        raise ConfigError(f"{key} (or {key}_path) is required")
    return None


def _path(base: Path, value: object, name: str, *, must_exist: bool = True) -> Path | None:
    if value in (None, ""):
        return None
    p = Path(str(value))
    p = p if p.is_absolute() else base / p
    if must_exist and not p.exists():
        raise ConfigError(f"{name}: file {p} does not exist")
    return p


MAX_CONNECT_TIMEOUT = 30.0   # seconds; beyond this a payment waits on a dead line
MAX_READ_TIMEOUT = 60.0      # seconds; WeChat answers in well under this or not at all


def _seconds(raw: dict[str, Any], name: str, default: float, *, most: float) -> float:
    """A timeout in seconds: a number, 0 < value ≤ ``most`` (else :class:`ConfigError`)."""
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{name} must be a number of seconds, got {value!r}")
    if not 0 < value <= most:           # NaN fails both comparisons
        raise ConfigError(f"{name} must be more than 0 and at most {most:g} seconds, got {value!r}")
    return float(value)


def _check_port(name: str, url: object) -> None:
    """``host:port`` in a URL must name a port 1–65535."""
    if url is None:
        return
    m = re.match(r"^https?://(?:\[[^\]]*\]|[^/:\s]+)(?::(\d*))?/?$", str(url))
    if m and m.group(1) is not None and not (m.group(1).isdigit() and 1 <= int(m.group(1)) <= 65535):
        raise ConfigError(f"{name}: the port must be 1–65535, got {url!r}")


def merchant_serial_from_cert(path: Path) -> str:
    """The serial of the merchant API certificate (``apiclient_cert.pem``), byte-wise hex."""
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
    except OSError as exc:
        raise ConfigError(f"merchant_cert_path: cannot read {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise ConfigError(f"merchant_cert_path: {path} is not a PEM certificate") from exc
    return cert_serial_hex(cert)


def merchant_config_from_dict(raw: dict[str, Any], base: Path, source: Path | None = None) -> MerchantConfig:
    """Validate a raw mapping; every problem raises :class:`ConfigError` naming the field."""
    if not raw.get("merchant_serial_no") and raw.get("merchant_cert_path"):
        cert_path = _path(base, raw["merchant_cert_path"], "merchant_cert_path")
        assert cert_path is not None
        raw = {**raw, "merchant_serial_no": merchant_serial_from_cert(cert_path)}
    for name in ("mchid", "appid", "merchant_serial_no", "private_key_path"):
        if not raw.get(name):
            raise ConfigError(f"{name} is required")
    mchid, appid, serial = str(raw["mchid"]), str(raw["appid"]), str(raw["merchant_serial_no"])
    if not _MCHID_RE.match(mchid):
        raise ConfigError(f"mchid must be digits, got {mchid!r}")
    if not _APPID_RE.match(appid):
        raise ConfigError(f"appid must look like wx + 16 characters, got {appid!r}")
    if not _SERIAL_RE.match(serial):
        raise ConfigError("merchant_serial_no must be the hex serial of the merchant API certificate")
    apiv3 = _read_secret(base, raw, "apiv3_key", required=True)
    assert apiv3 is not None
    if len(apiv3.encode()) != 32:
        raise ConfigError("apiv3_key must be exactly 32 bytes")
    pk_id = raw.get("public_key_id") or None
    pk_path = _path(base, raw.get("public_key_path"), "public_key_path")
    if (pk_id is None) != (pk_path is None):
        raise ConfigError("public_key_id and public_key_path go together")
    if pk_id is not None and not _PUBKEY_ID_RE.match(str(pk_id)):
        raise ConfigError(f"public_key_id must look like PUB_KEY_ID_<digits>, got {pk_id!r}")
    v2_sign = raw.get("v2_sign_type", "HMAC-SHA256")
    if v2_sign not in ("MD5", "HMAC-SHA256"):
        raise ConfigError("v2_sign_type must be MD5 or HMAC-SHA256")
    protocol = raw.get("codepay_protocol", MerchantConfig.codepay_protocol)
    if protocol not in ("v3", "v2", "v3_with_v2_fallback"):
        raise ConfigError("codepay_protocol must be v3, v2 or v3_with_v2_fallback")
    apiv2 = _read_secret(base, raw, "apiv2_key", required=protocol != "v3")
    cert_dir = raw.get("platform_cert_dir")
    for url_key in ("base_url", "v2_base_url", "backup_base_url", "backup_v2_base_url"):
        url = raw.get(url_key)
        if url is not None and not re.match(r"^https?://[^/\s]+$", str(url).rstrip("/")):
            raise ConfigError(f"{url_key} must be http(s)://host[:port], got {url!r}")
        _check_port(url_key, url)
    private_key_path = _path(base, raw["private_key_path"], "private_key_path")
    assert private_key_path is not None
    return MerchantConfig(
        mchid=mchid,
        appid=appid,
        merchant_serial_no=canonical_serial(serial),
        private_key_path=private_key_path,
        apiv3_key=apiv3,
        base_url=str(raw.get("base_url", MerchantConfig.base_url)).rstrip("/"),
        public_key_id=str(pk_id) if pk_id else None,
        public_key_path=pk_path,
        platform_cert_dir=_path(base, cert_dir, "platform_cert_dir", must_exist=False),
        apiv2_key=apiv2,
        v2_sign_type=v2_sign,
        v2_base_url=str(raw.get("v2_base_url", MerchantConfig.v2_base_url)).rstrip("/"),
        client_cert_path=_path(base, raw.get("client_cert_path"), "client_cert_path"),
        ca_cert_path=_path(base, raw.get("ca_cert_path"), "ca_cert_path"),
        codepay_protocol=protocol,
        notify_url=str(raw.get("notify_url", MerchantConfig.notify_url)),
        connect_timeout=_seconds(raw, "connect_timeout", 5.0, most=MAX_CONNECT_TIMEOUT),
        read_timeout=_seconds(raw, "read_timeout", 10.0, most=MAX_READ_TIMEOUT),
        source=source,
        backup_base_url=str(raw["backup_base_url"]).rstrip("/") if raw.get("backup_base_url") else None,
        backup_v2_base_url=str(raw["backup_v2_base_url"]).rstrip("/") if raw.get("backup_v2_base_url") else None,
    )


def load_merchant_config(path: str | Path) -> MerchantConfig:
    """Load and validate a merchant config file (``.json`` or ``.toml``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read merchant config {p}: {exc.strerror}") from exc
    try:
        raw = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
    except (ValueError, RecursionError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{p} is not valid {'TOML' if p.suffix == '.toml' else 'JSON'}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{p} must hold an object/table")
    return merchant_config_from_dict(raw, p.parent, source=p)
