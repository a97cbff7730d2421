"""The hub's configuration: a data directory and, optionally, a TOML file.

``hub.toml`` (all optional)::

    [hub]
    database_url = "postgresql://pos@db.lan/pos"   # default: SQLite file in the data dir
    host = "0.0.0.0"
    port = 8470
    tls = true                                      # self-signed CA in <data dir>/tls
    hostnames = ["localhost", "127.0.0.1", "hub.lan"]

    [wechatpay]                                     # only for the notify_url callback
    apiv3_key_file = "/etc/pos/apiv3.key"
    public_key_id = "PUB_KEY_ID_0114…"              # public-key mode, and/or
    public_key_file = "/etc/pos/wechatpay_pub.pem"
    platform_cert_files = ["/etc/pos/wechatpay_platform.pem"]   # certificate mode

    [alipay]                                        # only for the notify_url notification
    app_id = "2021000000000001"                     # see pos_app.hub.alipay_notify
    alipay_public_key_file = "/etc/pos/alipay_public_key.pem"   # or alipay_cert_file +
                                                    #    alipay_root_cert_file
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pos_app.hub.alipay_notify import AlipayNotifyConfig, load_alipay_notify
from pos_app.hub.db import sqlite_url
from pos_app.wechatpay.certificates import CertificateStore, PlatformCertificate
from pos_app.wechatpay.crypto import load_public_key
from pos_app.wechatpay.verifier import (
    CertificateVerifier,
    CombinedVerifier,
    PublicKeyVerifier,
    ResponseValidator,
    Verifier,
)


@dataclass(frozen=True)
class NotifyConfig:
    validator: ResponseValidator
    apiv3_key: str = field(repr=False)


@dataclass(frozen=True)
class HubConfig:
    data_dir: Path
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8470
    tls: bool = True
    hostnames: tuple[str, ...] = ("localhost", "127.0.0.1")
    notify: NotifyConfig | None = None
    alipay_notify: AlipayNotifyConfig | None = None


def build_verifier(
    public_key: PublicKeyVerifier | None, certificates: list[PlatformCertificate]
) -> Verifier:
    cert_verifier = CertificateVerifier(CertificateStore(certificates)) if certificates else None
    if public_key and cert_verifier:
        return CombinedVerifier(public_key, cert_verifier)
    if public_key:
        return public_key
    if cert_verifier:
        return cert_verifier
    raise ValueError("[wechatpay] needs public_key_id + public_key_file or platform_cert_files")


def _notify(section: dict[str, Any], base: Path) -> NotifyConfig:
    key_file = section.get("apiv3_key_file")
    if not isinstance(key_file, str):
        raise ValueError("[wechatpay] apiv3_key_file missing")
    apiv3_key = (base / key_file).read_text().strip()
    public_key = None
    if "public_key_id" in section:
        public_key = PublicKeyVerifier(
            str(section["public_key_id"]), load_public_key(base / str(section["public_key_file"]))
        )
    certs = [
        PlatformCertificate.from_pem((base / str(p)).read_bytes())
        for p in section.get("platform_cert_files", [])
    ]
    return NotifyConfig(ResponseValidator(build_verifier(public_key, certs)), apiv3_key)


def load_config(data_dir: Path, config_file: Path | None = None) -> HubConfig:
    doc: dict[str, Any] = {}
    base = data_dir
    if config_file is not None:
        doc = tomllib.loads(config_file.read_text(encoding="utf-8"))
        base = config_file.parent
    hub = doc.get("hub", {})
    return HubConfig(
        data_dir=data_dir,
        database_url=str(hub.get("database_url") or sqlite_url(data_dir)),
        host=str(hub.get("host", "127.0.0.1")),
        port=int(hub.get("port", 8470)),
        tls=bool(hub.get("tls", True)),
        hostnames=tuple(hub.get("hostnames", ("localhost", "127.0.0.1"))),
        notify=_notify(doc["wechatpay"], base) if "wechatpay" in doc else None,
        alipay_notify=load_alipay_notify(doc["alipay"], base) if "alipay" in doc else None,
    )
