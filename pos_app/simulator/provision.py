"""First-start provisioning of the simulator's merchant + "WeChat side" identity.

``provision(state_dir)`` creates (once) and afterwards reloads these files::

    apiclient_key.pem    merchant API private key (0600)     ← the till signs with it
    apiclient_cert.pem   self-signed merchant cert; serial = merchant_serial_no
    apiv3.key            32-char APIv3 key (0600)
    pub_key.pem          WeChat Pay public key (public-key mode), id PUB_KEY_ID_<digits>
    pub_key_private.pem  its private half — simulator only (0600)
    platform_key.pem     platform-certificate private key — simulator only (0600)
    platform_cert.pem    self-signed platform certificate served by /v3/certificates
    identity.json        {"mchid", "appid", "public_key_id"} (written last = complete marker)

``write_merchant_configs(identity, base_url, extra)`` (re)writes, on every start::

    merchant.json          public-key mode (pos_app.wechatpay.config format)
    merchant_certmode.json platform-certificate mode (no public key; certs cached in platform_certs/)

``extra`` keys are merged into both files (helper C's v2 fields: apiv2_key_path,
v2_base_url, client_cert_path, ca_cert_path, codepay_protocol…).
"""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.simulator.keys import (
    cert_pem,
    load_cert,
    new_rsa_key,
    self_signed_cert,
    serial_of,
    wechat_serial_number,
    write_key,
    write_public,
    write_secret,
)
from pos_app.wechatpay.crypto import load_private_key, public_key_pem

MERCHANT_JSON = "merchant.json"
MERCHANT_CERTMODE_JSON = "merchant_certmode.json"
NOTIFY_URL = "https://pos-simulator.invalid/wxpay/notify"


@dataclass(frozen=True)
class SimIdentity:
    """Everything the simulator knows about its single merchant and itself.

    ``platform_key``/``platform_cert`` sign responses in platform-certificate mode,
    ``pubkey_private`` signs responses for requests that send
    ``Wechatpay-Serial: <public_key_id>`` (public-key mode).
    """

    state_dir: Path
    mchid: str
    appid: str
    apiv3_key: str
    merchant_cert: x509.Certificate
    merchant_serial: str
    platform_key: rsa.RSAPrivateKey
    platform_cert: x509.Certificate
    platform_serial: str
    pubkey_private: rsa.RSAPrivateKey
    public_key_id: str

    @property
    def merchant_public_key(self) -> rsa.RSAPublicKey:
        key = self.merchant_cert.public_key()
        assert isinstance(key, rsa.RSAPublicKey)
        return key

    @property
    def merchant_key_path(self) -> Path:
        return self.state_dir / "apiclient_key.pem"

    @property
    def merchant_cert_path(self) -> Path:
        return self.state_dir / "apiclient_cert.pem"

    @property
    def public_key_path(self) -> Path:
        return self.state_dir / "pub_key.pem"

    @property
    def platform_cert_path(self) -> Path:
        return self.state_dir / "platform_cert.pem"

    @property
    def merchant_config_path(self) -> Path:
        return self.state_dir / MERCHANT_JSON

    @property
    def merchant_certmode_config_path(self) -> Path:
        return self.state_dir / MERCHANT_CERTMODE_JSON


def _digits(n: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(n))


def _alnum(n: int) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(n))


def _create(state_dir: Path, *, leading_zero_serials: bool = False) -> None:
    mchid = "19" + _digits(8)
    appid = "wx" + secrets.token_hex(8)
    public_key_id = "PUB_KEY_ID_01" + mchid + _digits(16)
    merchant_key = new_rsa_key()
    write_key(state_dir / "apiclient_key.pem", merchant_key)
    write_public(
        state_dir / "apiclient_cert.pem", cert_pem(self_signed_cert(
            merchant_key, f"{mchid} simulator merchant",
            serial_number=wechat_serial_number(leading_zero=leading_zero_serials),
        ))
    )
    platform_key = new_rsa_key()
    write_key(state_dir / "platform_key.pem", platform_key)
    write_public(
        state_dir / "platform_cert.pem", cert_pem(self_signed_cert(
            platform_key, "Tenpay.com Root CA (simulated)",
            serial_number=wechat_serial_number(leading_zero=leading_zero_serials),
        ))
    )
    pubkey_key = new_rsa_key()
    write_key(state_dir / "pub_key_private.pem", pubkey_key)
    write_public(state_dir / "pub_key.pem", public_key_pem(pubkey_key.public_key()))
    write_secret(state_dir / "apiv3.key", _alnum(32).encode())
    write_public(
        state_dir / "identity.json",
        json.dumps({"mchid": mchid, "appid": appid, "public_key_id": public_key_id}, indent=2).encode(),
    )


def provision(state_dir: Path, *, leading_zero_serials: bool = False) -> SimIdentity:
    """Create the identity files on first use, then load them (state survives restarts).

    Certificate serials are 20 random bytes written byte-wise as 40 upper-case hex digits,
    like WeChat Pay's. ``leading_zero_serials`` (first creation only): both the merchant
    certificate's and the platform certificate's serial start with ``0`` (issue 11).
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    if not (state_dir / "identity.json").exists():
        _create(state_dir, leading_zero_serials=leading_zero_serials)
    ident = json.loads((state_dir / "identity.json").read_text(encoding="utf-8"))
    merchant_cert = load_cert(state_dir / "apiclient_cert.pem")
    platform_cert = load_cert(state_dir / "platform_cert.pem")
    pub_private = load_private_key(state_dir / "pub_key_private.pem")
    # guard against a hand-edited pub_key.pem that no longer matches
    on_disk = serialization.load_pem_public_key((state_dir / "pub_key.pem").read_bytes())
    if public_key_pem(pub_private.public_key()) != public_key_pem(on_disk):  # type: ignore[arg-type]
        write_public(state_dir / "pub_key.pem", public_key_pem(pub_private.public_key()))
    return SimIdentity(
        state_dir=state_dir,
        mchid=str(ident["mchid"]),
        appid=str(ident["appid"]),
        apiv3_key=(state_dir / "apiv3.key").read_text(encoding="utf-8").strip(),
        merchant_cert=merchant_cert,
        merchant_serial=serial_of(merchant_cert),
        platform_key=load_private_key(state_dir / "platform_key.pem"),
        platform_cert=platform_cert,
        platform_serial=serial_of(platform_cert),
        pubkey_private=pub_private,
        public_key_id=str(ident["public_key_id"]),
    )


def merchant_config_dict(identity: SimIdentity, base_url: str, *, cert_mode: bool = False) -> dict[str, Any]:
    """The merchant.json mapping (relative paths, secrets by file)."""
    raw: dict[str, Any] = {
        "mchid": identity.mchid,
        "appid": identity.appid,
        "merchant_serial_no": identity.merchant_serial,
        "private_key_path": "apiclient_key.pem",
        "apiv3_key_path": "apiv3.key",
        "public_key_id": identity.public_key_id,
        "public_key_path": "pub_key.pem",
        "platform_cert_dir": None,
        "codepay_protocol": "v3",
        "base_url": base_url,
        "notify_url": NOTIFY_URL,
    }
    if cert_mode:
        raw["public_key_id"] = None
        raw["public_key_path"] = None
        raw["platform_cert_dir"] = "platform_certs"
    return raw


def write_merchant_configs(
    identity: SimIdentity, base_url: str, extra: dict[str, Any] | None = None
) -> tuple[Path, Path]:
    """(Re)write merchant.json and merchant_certmode.json; returns both paths."""
    out = []
    for cert_mode, path in (
        (False, identity.merchant_config_path),
        (True, identity.merchant_certmode_config_path),
    ):
        raw = merchant_config_dict(identity, base_url, cert_mode=cert_mode)
        raw.update(extra or {})
        write_public(path, (json.dumps(raw, indent=2, ensure_ascii=False) + "\n").encode())
        out.append(path)
    return out[0], out[1]
