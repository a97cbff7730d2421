"""Cryptographic primitives of the WeChat Pay protocol (no I/O, no HTTP).

APIv3: SHA256-RSA2048 (RSASSA-PKCS1-v1_5 over SHA-256) signatures of
``METHOD\\nURL\\nTS\\nNONCE\\nBODY\\n`` (requests) and ``TS\\nNONCE\\nBODY\\n``
(responses / callbacks); AES-256-GCM with the APIv3 key for callbacks and
platform certificates. APIv2: MD5 / HMAC-SHA256 over sorted ``k=v&…&key=K``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import string
from collections.abc import Mapping
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pos_app.wechatpay.errors import ConfigError, DecryptionError

AUTH_SCHEME = "WECHATPAY2-SHA256-RSA2048"
_NONCE_ALPHABET = string.ascii_letters + string.digits


def nonce_str(length: int = 32) -> str:
    """Random ``[0-9A-Za-z]`` string."""
    return "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(length))


def request_message(method: str, url: str, timestamp: int | str, nonce: str, body: str | bytes) -> bytes:
    """APIv3 request signing message; ``url`` is path + ``?query`` exactly as sent."""
    b = body.encode() if isinstance(body, str) else body
    return f"{method.upper()}\n{url}\n{timestamp}\n{nonce}\n".encode() + b + b"\n"


def response_message(timestamp: int | str, nonce: str, body: str | bytes) -> bytes:
    """APIv3 response / callback verification message over the raw body bytes."""
    b = body.encode() if isinstance(body, str) else body
    return f"{timestamp}\n{nonce}\n".encode() + b + b"\n"


def rsa_sign(private_key: rsa.RSAPrivateKey, message: bytes) -> str:
    """SHA256withRSA PKCS#1 v1.5 signature, standard base64."""
    sig = private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(sig).decode("ascii")


def rsa_verify(public_key: rsa.RSAPublicKey, message: bytes, signature_b64: str) -> bool:
    """True iff ``signature_b64`` is a valid signature of ``message``.

    Malformed base64 (e.g. the ``WECHATPAY/SIGNTEST/`` probe) is simply invalid.
    """
    try:
        sig = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        public_key.verify(sig, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def authorization_header(
    *, mchid: str, serial_no: str, nonce: str, timestamp: int | str, signature: str
) -> str:
    return (
        f'{AUTH_SCHEME} mchid="{mchid}",nonce_str="{nonce}",timestamp="{timestamp}",'
        f'serial_no="{serial_no}",signature="{signature}"'
    )


def parse_authorization(header: str) -> dict[str, str]:
    """Parse an APIv3 Authorization header (fields in any order). Raises ValueError."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme != AUTH_SCHEME or not rest:
        raise ValueError("Authorization scheme is not " + AUTH_SCHEME)
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep or len(value) < 2 or value[0] != '"' or value[-1] != '"':
            raise ValueError(f"malformed Authorization field: {part!r}")
        fields[key] = value[1:-1]
    missing = {"mchid", "nonce_str", "timestamp", "serial_no", "signature"} - fields.keys()
    if missing:
        raise ValueError(f"Authorization lacks {sorted(missing)}")
    return fields


def aes_gcm_encrypt(key: str | bytes, nonce: str, associated_data: str, plaintext: str | bytes) -> str:
    k = key.encode() if isinstance(key, str) else key
    p = plaintext.encode() if isinstance(plaintext, str) else plaintext
    ct = AESGCM(k).encrypt(nonce.encode(), p, associated_data.encode())
    return base64.b64encode(ct).decode("ascii")


def aes_gcm_decrypt(key: str | bytes, nonce: str, associated_data: str, ciphertext_b64: str) -> bytes:
    """Decrypt an ``AEAD_AES_256_GCM`` resource. Raises :class:`DecryptionError`."""
    k = key.encode() if isinstance(key, str) else key
    if len(k) not in (16, 24, 32):
        raise DecryptionError(f"APIv3 key must be 32 bytes, got {len(k)}")
    try:
        data = base64.b64decode(ciphertext_b64, validate=True)
        return AESGCM(k).decrypt(nonce.encode(), data, associated_data.encode())
    except (binascii.Error, ValueError, InvalidTag) as exc:
        raise DecryptionError("AES-256-GCM authentication failed (wrong APIv3 key or tampered data)") from exc


def v2_sign(params: Mapping[str, object], key: str, sign_type: str = "MD5") -> str:
    """APIv2 signature: sorted non-empty params except ``sign``, ``&key=K``; MD5 or HMAC-SHA256."""
    items = sorted(
        (k, str(v)) for k, v in params.items() if k != "sign" and v is not None and str(v) != ""
    )
    text = "&".join(f"{k}={v}" for k, v in items) + f"&key={key}"
    if sign_type == "MD5":
        return hashlib.md5(text.encode()).hexdigest().upper()
    if sign_type == "HMAC-SHA256":
        return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest().upper()
    raise ValueError(f"unknown APIv2 sign_type {sign_type!r}")


def load_private_key(path: str | Path) -> rsa.RSAPrivateKey:
    """Load a PEM RSA private key file. Raises :class:`ConfigError` with the path, never the key."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read private key file {p}: {exc.strerror}") from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{p} is not a PEM private key") from exc
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        raise ConfigError(f"{p} is not an RSA-2048 (or larger) private key")
    return key


def load_public_key(path_or_pem: str | Path | bytes) -> rsa.RSAPublicKey:
    """Load a PEM public key (file path or PEM bytes). Raises :class:`ConfigError`."""
    if isinstance(path_or_pem, bytes):
        data, where = path_or_pem, "public key"
    else:
        p = Path(path_or_pem)
        where = str(p)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read public key file {p}: {exc.strerror}") from exc
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where} is not a PEM public key") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise ConfigError(f"{where} is not an RSA public key")
    return key


def serial_hex(serial_number: int) -> str:
    """A certificate serial the way WeChat Pay writes it: its bytes, upper-case hex.

    Byte-wise, so a serial whose first byte is below 0x10 keeps its leading ``0``
    (``0AA0…``, 40 digits for WeChat's 20-byte serials); ``format(n, "X")`` drops it.
    """
    if serial_number < 0:
        raise ValueError("certificate serial numbers are positive")
    return serial_number.to_bytes(max(1, (serial_number.bit_length() + 7) // 8), "big").hex().upper()


def cert_serial_hex(cert: x509.Certificate) -> str:
    """Certificate serial as byte-wise upper-case hex (the form WeChat Pay uses)."""
    return serial_hex(cert.serial_number)


def serial_number_of(serial: str) -> int | None:
    """A hex serial as the integer it names (``None`` if it is not hex).

    Serials are compared as integers everywhere, so ``0AA0…`` and a ``AA0…`` that lost
    its leading zero name the same certificate.
    """
    text = serial.strip()
    if not text or len(text) > 128 or not all(c in string.hexdigits for c in text):
        return None
    return int(text, 16)


def same_serial(a: str, b: str) -> bool:
    """True iff two hex serials name the same certificate (compared as integers)."""
    na = serial_number_of(a)
    return na is not None and na == serial_number_of(b)


def canonical_serial(serial: str) -> str:
    """``serial`` in WeChat Pay's byte-wise upper-hex form. Raises ``ValueError`` if not hex."""
    number = serial_number_of(serial)
    if number is None:
        raise ValueError(f"not a hex certificate serial: {serial!r}")
    return serial_hex(number)


def public_key_pem(key: rsa.RSAPublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def private_key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
