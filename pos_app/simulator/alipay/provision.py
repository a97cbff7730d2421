"""First-start provisioning of the Alipay simulator's app + "Alipay side" identity.

``provision(state_dir)`` creates (once) and afterwards reloads, in ``state_dir``::

    app_private_key.pem        the app's RSA-2048 private key, PKCS#8 (0600)  ← the till signs
    app_private_key_pkcs1.pem  the same key as PKCS#1 (the format Alipay's key tool calls "non-Java")
    app_public_key.pem         its public half (what a merchant uploads in public-key mode)
    alipay_public_key.pem      Alipay public key (public-key mode)
    alipay_private_key.pem     its private half — simulator only (0600)
    root_ca_key.pem            simulated Alipay root CA key — simulator only (0600)
    alipayRootCert.crt         root bundle: an ECDSA root (skipped by the SN rule) + the RSA root
    appCertPublicKey_<appid>.crt   app public-key certificate issued by the root
    alipayCertPublicKey_RSA2.crt   Alipay public-key certificate issued by the root
    alipay_cert_private_key.pem    its private half — simulator only (0600)
    root_ca.crt                the RSA root alone (used to issue rotated certificates)
    rotated/<sn>.crt|.key, rotated/current   certificates issued by :func:`rotate_alipay_cert`
    identity.json              {"app_id", "seller_id"} (written last = complete marker)

``write_merchant_configs(identity, gateway_url)`` (re)writes on every start
``alipay_merchant.json`` (public-key mode) and ``alipay_merchant_certmode.json``
(certificate mode), both in :mod:`pos_app.alipay.config` format.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from pos_app.alipay.certs import cert_sn, root_cert_sn
from pos_app.alipay.signing import load_private_key, private_key_pem, public_key_pem
from pos_app.simulator.keys import new_rsa_key, write_public, write_secret

MERCHANT_JSON = "alipay_merchant.json"
MERCHANT_CERTMODE_JSON = "alipay_merchant_certmode.json"
NOTIFY_URL = "https://pos-simulator.invalid/alipay/notify"
ROOT_BUNDLE = "alipayRootCert.crt"
ALIPAY_CERT = "alipayCertPublicKey_RSA2.crt"


def _name(cn: str, ou: str | None = "Certification Authority") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ant Financial (simulated)")]
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _cert(
    subject: x509.Name, issuer: x509.Name, public: rsa.RSAPublicKey | ec.EllipticCurvePublicKey,
    signer: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, *, ca: bool,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * 5))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(signer, hashes.SHA256())
    )


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class AlipaySimIdentity:
    state_dir: Path
    app_id: str
    seller_id: str
    app_public_key: rsa.RSAPublicKey
    alipay_private_key: rsa.RSAPrivateKey      # public-key mode responses
    alipay_cert_private_key: rsa.RSAPrivateKey  # certificate mode responses
    app_cert_sn: str
    alipay_cert_sn: str
    root_cert_sn: str
    alipay_certs: dict[str, bytes]  # SN → PEM (leaf + root), every certificate ever issued

    def path(self, name: str) -> Path:
        return self.state_dir / name

    @property
    def app_cert_name(self) -> str:
        return f"appCertPublicKey_{self.app_id}.crt"

    @property
    def merchant_config_path(self) -> Path:
        return self.state_dir / MERCHANT_JSON

    @property
    def merchant_certmode_config_path(self) -> Path:
        return self.state_dir / MERCHANT_CERTMODE_JSON


def _create(state_dir: Path) -> None:
    app_id = "20210" + "".join(secrets.choice(string.digits) for _ in range(11))
    seller_id = "2088" + "".join(secrets.choice(string.digits) for _ in range(12))
    app_key = new_rsa_key()
    write_secret(state_dir / "app_private_key.pem", private_key_pem(app_key))
    write_secret(state_dir / "app_private_key_pkcs1.pem", private_key_pem(app_key, pkcs1=True))
    write_public(state_dir / "app_public_key.pem", public_key_pem(app_key.public_key()))
    alipay_key = new_rsa_key()
    write_secret(state_dir / "alipay_private_key.pem", private_key_pem(alipay_key))
    write_public(state_dir / "alipay_public_key.pem", public_key_pem(alipay_key.public_key()))
    root_key = new_rsa_key()
    write_secret(state_dir / "root_ca_key.pem", private_key_pem(root_key))
    root_name = _name("Ant Financial Certification Authority R1 (simulated)")
    root = _cert(root_name, root_name, root_key.public_key(), root_key, ca=True)
    ec_key = ec.generate_private_key(ec.SECP384R1())
    ec_name = _name("Ant Financial Certification Authority E1 (simulated)")
    ec_root = _cert(ec_name, ec_name, ec_key.public_key(), ec_key, ca=True)
    # blank line between blocks, as in the real bundle (some SDKs split on it)
    write_public(state_dir / ROOT_BUNDLE, _pem(ec_root) + b"\n" + _pem(root))
    app_cert = _cert(_name(app_id, ou=None), root_name, app_key.public_key(), root_key, ca=False)
    write_public(state_dir / f"appCertPublicKey_{app_id}.crt", _pem(app_cert))
    alipay_cert_key = new_rsa_key()
    write_secret(state_dir / "alipay_cert_private_key.pem", private_key_pem(alipay_cert_key))
    alipay_cert = _cert(_name("支付宝(中国)网络技术有限公司 (simulated)", ou=None), root_name,
                        alipay_cert_key.public_key(), root_key, ca=False)
    write_public(state_dir / ALIPAY_CERT, _pem(alipay_cert) + b"\n" + _pem(root))
    write_public(state_dir / "root_ca.crt", _pem(root))
    write_public(
        state_dir / "identity.json",
        json.dumps({"app_id": app_id, "seller_id": seller_id}, indent=2).encode(),
    )


def rotate_alipay_cert(state_dir: Path) -> str:
    """Issue a new Alipay public-key certificate under the root and make it the one that
    signs certificate-mode answers (the merchant's copy of the old one stays as it was)."""
    root_key = load_private_key(state_dir / "root_ca_key.pem")
    root = x509.load_pem_x509_certificate((state_dir / "root_ca.crt").read_bytes())
    key = new_rsa_key()
    cert = _cert(_name("支付宝(中国)网络技术有限公司 (simulated, rotated)", ou=None), root.subject,
                 key.public_key(), root_key, ca=False)
    sn = cert_sn(cert)
    rotated = state_dir / "rotated"
    rotated.mkdir(exist_ok=True)
    write_secret(rotated / f"{sn}.key", private_key_pem(key))
    write_public(rotated / f"{sn}.crt", _pem(cert) + b"\n" + _pem(root))
    write_public(rotated / "current", sn.encode())
    return sn


def provision(state_dir: Path) -> AlipaySimIdentity:
    """Create the identity files on first use, then load them (state survives restarts)."""
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    if not (state_dir / "identity.json").exists():
        _create(state_dir)
    ident = json.loads((state_dir / "identity.json").read_text(encoding="utf-8"))
    app_id = str(ident["app_id"])
    app_key = load_private_key(state_dir / "app_private_key.pem")
    app_cert = x509.load_pem_x509_certificate((state_dir / f"appCertPublicKey_{app_id}.crt").read_bytes())
    alipay_pem = (state_dir / ALIPAY_CERT).read_bytes()
    alipay_cert_key = load_private_key(state_dir / "alipay_cert_private_key.pem")
    current_sn = cert_sn(x509.load_pem_x509_certificate(alipay_pem))
    certs = {current_sn: alipay_pem}
    rotated = state_dir / "rotated"
    if (rotated / "current").exists():
        for crt in sorted(rotated.glob("*.crt")):
            certs[crt.stem] = crt.read_bytes()
        current_sn = (rotated / "current").read_text(encoding="ascii").strip()
        alipay_cert_key = load_private_key(rotated / f"{current_sn}.key")
    return AlipaySimIdentity(
        state_dir=state_dir,
        app_id=app_id,
        seller_id=str(ident["seller_id"]),
        app_public_key=app_key.public_key(),
        alipay_private_key=load_private_key(state_dir / "alipay_private_key.pem"),
        alipay_cert_private_key=alipay_cert_key,
        app_cert_sn=cert_sn(app_cert),
        alipay_cert_sn=current_sn,
        root_cert_sn=root_cert_sn((state_dir / ROOT_BUNDLE).read_bytes()),
        alipay_certs=certs,
    )


def merchant_config_dict(identity: AlipaySimIdentity, gateway_url: str, *, cert_mode: bool = False,
                         notify_url: str = NOTIFY_URL) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "app_id": identity.app_id,
        "app_private_key_path": "app_private_key.pem",
        "gateway_url": gateway_url,
        "notify_url": notify_url,
        "seller_id": identity.seller_id,
        "read_timeout": 5.0,
        "deadline": 8.0,
    }
    if cert_mode:
        raw.update({
            "app_cert_path": identity.app_cert_name,
            "alipay_cert_path": ALIPAY_CERT,
            "alipay_root_cert_path": ROOT_BUNDLE,
        })
    else:
        raw["alipay_public_key_path"] = "alipay_public_key.pem"
    return raw


def write_merchant_configs(identity: AlipaySimIdentity, gateway_url: str,
                           notify_url: str = NOTIFY_URL) -> tuple[Path, Path]:
    out = []
    for cert_mode, path in ((False, identity.merchant_config_path), (True, identity.merchant_certmode_config_path)):
        raw = merchant_config_dict(identity, gateway_url, cert_mode=cert_mode, notify_url=notify_url)
        write_public(path, (json.dumps(raw, indent=2, ensure_ascii=False) + "\n").encode())
        out.append(path)
    return out[0], out[1]
