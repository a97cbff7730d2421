"""Throw-away RSA keys and self-signed certificates for the simulator.

Everything here is test material generated on first start; nothing is a real
WeChat Pay credential. Private keys are written PKCS#8 PEM with mode 0600.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from pos_app.wechatpay.crypto import cert_serial_hex, private_key_pem


def new_rsa_key() -> rsa.RSAPrivateKey:
    """A fresh RSA-2048 key (e = 65537)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def wechat_serial_number(*, leading_zero: bool = False) -> int:
    """A random 20-byte serial (40 hex digits, like WeChat Pay's certificates).

    ``leading_zero``: the first byte is below 0x10, so the byte-wise hex starts with ``0``
    (``0AA0…``) — the case a ``format(n, "X")`` comparison gets wrong.
    """
    first = secrets.choice(range(0x01, 0x10)) if leading_zero else secrets.choice(range(0x10, 0x80))
    return int.from_bytes(bytes([first]) + secrets.token_bytes(19), "big")


def self_signed_cert(
    key: rsa.RSAPrivateKey,
    common_name: str,
    *,
    organization: str = "pos_app simulator",
    years: int = 5,
    serial_number: int | None = None,
) -> x509.Certificate:
    """A self-signed certificate whose serial (hex) identifies the key, like WeChat Pay's."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial_number if serial_number is not None else wechat_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )


def write_secret(path: Path, data: bytes) -> None:
    """Write ``data`` to a file readable by the owner only (0600), atomically."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def write_public(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_key(path: Path, key: rsa.RSAPrivateKey) -> None:
    write_secret(path, private_key_pem(key))


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def load_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def serial_of(cert: x509.Certificate) -> str:
    return cert_serial_hex(cert)
