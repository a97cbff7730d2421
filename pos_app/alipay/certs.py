"""Public-key-certificate mode: certificate SNs exactly as Alipay computes them.

cert SN = lowercase hex MD5 of ``issuer_rfc2253 + decimal serial`` (ASCII/UTF-8).
The issuer string is RFC 2253 order (last RDN first, no spaces); ``cryptography``'s
``rfc4514_string()`` matches Java's ``X500Principal.getName()`` on every Alipay and test
certificate (docs §3, §6.5). The root SN joins, in file order, the SNs of the bundle's
certificates whose signature algorithm is RSA (OID ``1.2.840.113549.1.1.*``) with ``_``;
the SM2 and ECDSA roots are skipped by reading the OID from the DER (no full parse: SM2
certificates break X.509 parsers).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.alipay.errors import ConfigError

RSA_SIG_OID_PREFIX = "1.2.840.113549.1.1."
_PEM_CERT_RE = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.S)


def cert_sn(cert: x509.Certificate) -> str:
    text = cert.issuer.rfc4514_string() + str(cert.serial_number)
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _tlv(der: bytes, i: int) -> tuple[int, int]:
    """(start, end) of the value of the DER TLV at ``i``."""
    if i + 2 > len(der):
        raise ValueError("truncated DER")
    length = der[i + 1]
    i += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 4 or i + n > len(der):
            raise ValueError("bad DER length")
        length = int.from_bytes(der[i:i + n], "big")
        i += n
    if i + length > len(der):
        raise ValueError("truncated DER")
    return i, i + length


def signature_oid(der: bytes) -> str:
    """The outer ``signatureAlgorithm`` OID of a DER certificate, without parsing the rest."""
    cert_start, _ = _tlv(der, 0)
    _, tbs_end = _tlv(der, cert_start)
    alg_start, _ = _tlv(der, tbs_end)
    oid_start, oid_end = _tlv(der, alg_start)
    if der[alg_start] != 0x06:
        raise ValueError("signatureAlgorithm does not start with an OID")
    body = der[oid_start:oid_end]
    if not body:
        raise ValueError("empty OID")
    arcs = [body[0] // 40, body[0] % 40]
    n = 0
    for byte in body[1:]:
        n = (n << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(n)
            n = 0
    return ".".join(map(str, arcs))


def pem_blocks(pem: bytes) -> list[bytes]:
    """DER of every certificate in a PEM bundle, in file order (CRLF and no-blank-line safe)."""
    out = []
    for body in _PEM_CERT_RE.findall(pem):
        try:
            out.append(base64.b64decode(b"".join(body.split()), validate=True))
        except (binascii.Error, ValueError) as exc:
            raise ValueError("a certificate block is not valid base64") from exc
    return out


def root_cert_sn(pem: bytes) -> str:
    """``alipay_root_cert_sn`` of a root bundle (RSA-signed certificates only, ``_``-joined)."""
    sns = []
    for der in pem_blocks(pem):
        try:
            oid = signature_oid(der)
        except (ValueError, IndexError):
            continue
        if oid.startswith(RSA_SIG_OID_PREFIX):
            sns.append(cert_sn(x509.load_der_x509_certificate(der)))
    if not sns:
        raise ValueError("the root bundle holds no RSA certificate")
    return "_".join(sns)


def load_cert(path: Path, what: str) -> x509.Certificate:
    """The first certificate of a PEM file (an Alipay public-key cert may carry its chain)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read {path}: {exc.strerror}") from exc
    try:
        blocks = pem_blocks(data)
        if not blocks:
            raise ValueError("no certificate")
        return x509.load_der_x509_certificate(blocks[0])
    except ValueError as exc:
        raise ConfigError(f"{what}: {path} is not a PEM certificate ({exc})") from exc


def load_root_sn(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"Alipay root certificate: cannot read {path}: {exc.strerror}") from exc
    try:
        return root_cert_sn(data)
    except ValueError as exc:
        raise ConfigError(f"Alipay root certificate {path}: {exc}") from exc


def rsa_public_key(cert: x509.Certificate, what: str) -> rsa.RSAPublicKey:
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise ConfigError(f"{what}: the certificate does not hold an RSA public key")
    return key
