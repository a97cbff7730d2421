"""WeChat Pay platform certificates: decrypting ``/v3/certificates`` and keeping them.

The certificate bundle is AES-256-GCM encrypted with the APIv3 key (AAD ``certificate``),
so a successfully decrypted certificate is known to come from someone holding that key.
:class:`CertificateStore` keeps certificates by serial and optionally caches their PEMs
in a directory (``platform_cert_dir``) so a restart does not need a download.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.wechatpay.crypto import aes_gcm_decrypt, cert_serial_hex, serial_number_of
from pos_app.wechatpay.errors import MalformedResponseError

log = logging.getLogger("pos_app.wechatpay.certificates")

CERTIFICATE_AAD = "certificate"
_SERIAL_FILE_RE = re.compile(r"^wechatpay_([0-9A-F]+)\.pem$")


@dataclass(frozen=True)
class PlatformCertificate:
    """One WeChat Pay platform certificate (RSA), identified by its upper-case hex serial."""

    serial_no: str
    certificate: x509.Certificate

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        key = self.certificate.public_key()
        assert isinstance(key, rsa.RSAPublicKey)  # enforced by from_pem
        return key

    @property
    def not_after(self) -> datetime:
        return self.certificate.not_valid_after_utc

    def expired_at(self, unix_time: float) -> bool:
        return datetime.fromtimestamp(unix_time, UTC) > self.not_after

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @classmethod
    def from_pem(cls, pem: bytes) -> PlatformCertificate:
        """Parse a PEM certificate; raises ``ValueError`` unless it is an RSA certificate."""
        cert = x509.load_pem_x509_certificate(pem)
        if not isinstance(cert.public_key(), rsa.RSAPublicKey):
            raise ValueError("platform certificate is not RSA")
        return cls(cert_serial_hex(cert), cert)


def _str_field(obj: dict[str, object], name: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str):
        raise MalformedResponseError(f"/v3/certificates: field {name!r} missing or not a string")
    return value


def decrypt_certificates(body: bytes, apiv3_key: str) -> list[PlatformCertificate]:
    """Decrypt every certificate of a ``/v3/certificates`` body.

    Raises :class:`MalformedResponseError` for a bad shape or a certificate whose serial
    differs from its ``serial_no`` entry and :class:`DecryptionError` on a GCM tag failure.
    """
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        raise MalformedResponseError("/v3/certificates: body is not JSON") from exc
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, list):
        raise MalformedResponseError("/v3/certificates: 'data' list missing")
    certs: list[PlatformCertificate] = []
    for entry in data:
        if not isinstance(entry, dict) or not isinstance(entry.get("encrypt_certificate"), dict):
            raise MalformedResponseError("/v3/certificates: entry without encrypt_certificate")
        serial = _str_field(entry, "serial_no").strip().upper()
        enc: dict[str, object] = entry["encrypt_certificate"]
        algorithm = _str_field(enc, "algorithm")
        if algorithm != "AEAD_AES_256_GCM":
            raise MalformedResponseError(f"/v3/certificates: unsupported algorithm {algorithm!r}")
        pem = aes_gcm_decrypt(
            apiv3_key,
            _str_field(enc, "nonce"),
            _str_field(enc, "associated_data"),
            _str_field(enc, "ciphertext"),
        )
        try:
            cert = PlatformCertificate.from_pem(pem)
        except ValueError as exc:
            raise MalformedResponseError(
                f"/v3/certificates: {serial} is not an RSA PEM certificate"
            ) from exc
        if serial_number_of(serial) != cert.certificate.serial_number:
            raise MalformedResponseError(
                f"/v3/certificates: serial_no {serial} does not match "
                f"certificate serial {cert.serial_no}"
            )
        certs.append(cert)
    return certs


class CertificateStore:
    """Thread-safe ``serial → PlatformCertificate`` map with an optional PEM cache directory.

    Keyed by the serial's integer value, so a ``Wechatpay-Serial`` with or without a
    leading zero finds the same certificate.
    """

    def __init__(
        self, certs: Iterable[PlatformCertificate] = (), *, cache_dir: Path | None = None
    ) -> None:
        self._lock = threading.Lock()
        self._certs: dict[int, PlatformCertificate] = {
            c.certificate.serial_number: c for c in certs
        }
        self._cache_dir = cache_dir

    @classmethod
    def from_cache_dir(cls, cache_dir: Path | None) -> CertificateStore:
        """Load ``wechatpay_<SERIAL>.pem`` files cached earlier (unreadable ones are skipped)."""
        store = cls(cache_dir=cache_dir)
        if cache_dir is None or not cache_dir.is_dir():
            return store
        for path in sorted(cache_dir.glob("wechatpay_*.pem")):
            if not _SERIAL_FILE_RE.match(path.name):
                continue
            try:
                store._certs_add(PlatformCertificate.from_pem(path.read_bytes()))
            except (OSError, ValueError) as exc:
                log.warning("ignoring cached platform certificate %s: %s", path, exc)
        return store

    def _certs_add(self, cert: PlatformCertificate) -> None:
        with self._lock:
            self._certs[cert.certificate.serial_number] = cert

    def get(self, serial_no: str) -> PlatformCertificate | None:
        number = serial_number_of(serial_no)
        if number is None:
            return None
        with self._lock:
            return self._certs.get(number)

    def snapshot(self) -> list[PlatformCertificate]:
        with self._lock:
            return list(self._certs.values())

    def newest(self) -> PlatformCertificate | None:
        """The certificate that expires last (what WeChat Pay should sign with)."""
        with self._lock:
            return max(self._certs.values(), key=lambda c: c.not_after, default=None)

    def add(self, certs: Iterable[PlatformCertificate]) -> None:
        """Remember ``certs`` and write them to the cache directory, if there is one."""
        new = list(certs)
        with self._lock:
            for cert in new:
                self._certs[cert.certificate.serial_number] = cert
        if self._cache_dir is not None:
            try:
                self._cache_dir.mkdir(parents=True, exist_ok=True)
                for cert in new:
                    target = self._cache_dir / f"wechatpay_{cert.serial_no}.pem"
                    tmp = target.with_suffix(".pem.tmp")
                    tmp.write_bytes(cert.pem())
                    tmp.replace(target)
            except OSError as exc:  # the certificates still work from memory
                log.warning("cannot cache platform certificates in %s: %s", self._cache_dir, exc)
