"""RSA2 (SHA256withRSA, PKCS#1 v1.5) over Alipay's sorted ``key=value`` string.

Request string-to-sign: every parameter sent except ``sign``, empty values dropped,
sorted by key (code-point order), ``k=v`` joined by ``&``, raw values, UTF-8.
Notification string-to-verify: the same without ``sign`` **and** ``sign_type``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from pos_app.alipay.errors import ConfigError


def sign_content(params: Mapping[str, str | None], *, exclude: frozenset[str] = frozenset({"sign"})) -> str:
    """The sorted ``k=v&…`` string; ``None``/empty values and ``exclude`` keys are dropped."""
    return "&".join(
        f"{k}={v}" for k, v in sorted(params.items()) if k not in exclude and v not in (None, "")
    )


def notification_sign_content(params: Mapping[str, str]) -> str:
    return sign_content(params, exclude=frozenset({"sign", "sign_type"}))


def rsa2_sign(text: str, key: rsa.RSAPrivateKey, encoding: str = "utf-8") -> str:
    """Base64 SHA256withRSA over ``text`` encoded in the request ``charset``."""
    return base64.b64encode(key.sign(text.encode(encoding), padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def rsa2_verify(text: str, signature: str, key: rsa.RSAPublicKey, encoding: str = "utf-8") -> bool:
    """True iff ``signature`` (standard base64) is a valid RSA2 signature of ``text``."""
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False
    try:
        key.verify(raw, text.encode(encoding), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, UnicodeEncodeError):
        return False
    return True


def _pem_body(text: str, label: str) -> bytes:
    """Accept PEM, or the bare base64 body Alipay's key tool shows (wrapped as ``label``)."""
    stripped = text.strip()
    if stripped.startswith("-----BEGIN"):
        return stripped.encode("ascii", "replace")
    body = "".join(stripped.split())
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n".encode("ascii", "replace")


def load_private_key_text(text: str, what: str = "app private key") -> rsa.RSAPrivateKey:
    """PKCS#8 or PKCS#1 PEM, or a bare base64 body of either (Alipay's key tool formats)."""
    candidates = [_pem_body(text, "PRIVATE KEY"), _pem_body(text, "RSA PRIVATE KEY")]
    for pem in candidates:
        try:
            key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError):
            continue
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ConfigError(f"{what}: not an RSA key")
        if key.key_size < 2048:
            raise ConfigError(f"{what}: RSA2 needs a key of at least 2048 bits, got {key.key_size}")
        return key
    raise ConfigError(f"{what}: not a PEM/base64 RSA private key (PKCS#8 or PKCS#1)")


def load_public_key_text(text: str, what: str = "Alipay public key") -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(_pem_body(text, "PUBLIC KEY"))
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{what}: not a PEM/base64 RSA public key") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise ConfigError(f"{what}: not an RSA key")
    return key


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{what}: cannot read {path}: {exc}") from exc


def load_private_key(path: Path, what: str = "app private key") -> rsa.RSAPrivateKey:
    return load_private_key_text(_read(path, what), what)


def load_public_key(path: Path, what: str = "Alipay public key") -> rsa.RSAPublicKey:
    return load_public_key_text(_read(path, what), what)


def private_key_pem(key: rsa.RSAPrivateKey, *, pkcs1: bool = False) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL if pkcs1 else serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_key_pem(key: rsa.RSAPublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
