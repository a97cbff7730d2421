"""Certificate mode: trusting a rotated Alipay public-key certificate.

When an answer names an ``alipay_cert_sn`` we do not hold, the client downloads it with
``alipay.open.app.alipaycert.download`` (``alipay_cert_content`` = base64 of the PEM,
leaf first, then any intermediates). The certificate is trusted only if its SN is the
one asked for, it is valid now, and it chains — every link's signature checked — to an
RSA certificate of the configured root bundle; the download answer itself must then
verify with it. Only then is the original answer verified with the new key (it is never
re-sent). Anything else is a :class:`SignatureError` (outcome unknown).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.alipay.certs import RSA_SIG_OID_PREFIX, cert_sn, pem_blocks, signature_oid
from pos_app.alipay.errors import SignatureError

DOWNLOAD_METHOD = "alipay.open.app.alipaycert.download"


def root_certificates(bundle: bytes) -> list[x509.Certificate]:
    """The RSA-signed certificates of a root bundle (SM2/ECDSA ones skipped unparsed)."""
    roots = []
    for der in pem_blocks(bundle):
        try:
            if signature_oid(der).startswith(RSA_SIG_OID_PREFIX):
                roots.append(x509.load_der_x509_certificate(der))
        except (ValueError, IndexError):
            continue
    return roots


def _valid_now(cert: x509.Certificate, now: float) -> bool:
    moment = dt.datetime.fromtimestamp(now, tz=dt.UTC)
    return cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc


def trusted_key(content_b64: object, expected_sn: str, roots: list[x509.Certificate], now: float) -> rsa.RSAPublicKey:
    """Check a downloaded certificate chain; return the leaf's RSA key or raise."""
    if not isinstance(content_b64, str) or not content_b64:
        raise SignatureError("alipaycert.download: alipay_cert_content missing")
    try:
        pem = base64.b64decode(content_b64, validate=True)
        chain = [x509.load_der_x509_certificate(der) for der in pem_blocks(pem)]
    except (binascii.Error, ValueError) as exc:
        raise SignatureError(f"alipaycert.download: not a certificate ({exc})") from exc
    if not chain:
        raise SignatureError("alipaycert.download: no certificate in the answer")
    leaf = chain[0]
    if cert_sn(leaf) != expected_sn:
        raise SignatureError("alipaycert.download: certificate SN differs from the one asked for")
    current = leaf
    pool = chain[1:]
    for _ in range(len(chain) + 1):
        if not _valid_now(current, now):
            raise SignatureError("alipaycert.download: certificate expired or not yet valid")
        for issuer in roots:
            try:
                current.verify_directly_issued_by(issuer)
            except (ValueError, TypeError, InvalidSignature):
                continue
            key = leaf.public_key()
            if not isinstance(key, rsa.RSAPublicKey):
                raise SignatureError("alipaycert.download: not an RSA certificate")
            return key
        nxt = None
        for candidate in pool:
            try:
                current.verify_directly_issued_by(candidate)
            except (ValueError, TypeError, InvalidSignature):
                continue
            nxt = candidate
            break
        if nxt is None:
            break
        pool.remove(nxt)
        current = nxt
    raise SignatureError("alipaycert.download: certificate does not chain to the Alipay root")
