"""Checking WeChat Pay's signatures on responses and callbacks.

Split like wechatpay-go: a :class:`Verifier` checks one signature made with the key that
``Wechatpay-Serial`` names (:class:`PublicKeyVerifier` for ``PUB_KEY_ID_…``,
:class:`CertificateVerifier` for platform certificates, :class:`CombinedVerifier` picking
between them); :class:`ResponseValidator` reads the ``Wechatpay-*`` headers, enforces the
300 s timestamp window, the signature type and the SIGNTEST probe rule, then asks the
verifier. Every failure is a :class:`SignatureError` whose message says what was wrong.
"""

from __future__ import annotations

import base64
import binascii
import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.wechatpay.certificates import CertificateStore, PlatformCertificate
from pos_app.wechatpay.crypto import AUTH_SCHEME, response_message, rsa_verify
from pos_app.wechatpay.errors import SignatureError, WechatPayError

MAX_CLOCK_SKEW = 300
SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/"


class Verifier(Protocol):
    """Verifies a signature made with the WeChat Pay key named by ``serial``."""

    def verify(self, serial: str, message: bytes, signature: str) -> None:
        """Return if valid; raise :class:`SignatureError` otherwise."""

    @property
    def accept_serial(self) -> str | None:
        """What to send as request ``Wechatpay-Serial`` (the key we can verify), if any."""


class PublicKeyVerifier:
    """The WeChat Pay public key (``PUB_KEY_ID_…``); any other serial is rejected."""

    def __init__(self, key_id: str, public_key: rsa.RSAPublicKey) -> None:
        self._key_id = key_id
        self._key = public_key

    @property
    def key_id(self) -> str:
        return self._key_id

    @property
    def accept_serial(self) -> str | None:
        return self._key_id

    def verify(self, serial: str, message: bytes, signature: str) -> None:
        if serial != self._key_id:
            raise SignatureError(
                f"Wechatpay-Serial {serial!r} is not the configured public key id {self._key_id!r}"
            )
        if not rsa_verify(self._key, message, signature):
            raise SignatureError(f"signature does not verify with public key {self._key_id}")


class CertificateVerifier:
    """Platform certificates by serial; an unknown serial triggers one refresh, then rejection.

    ``refresher`` (set by the client) downloads ``/v3/certificates`` into the store.
    """

    def __init__(
        self,
        store: CertificateStore,
        *,
        clock: Callable[[], float] | None = None,
        refresher: Callable[[], object] | None = None,
    ) -> None:
        self.store = store
        self.refresher = refresher
        self._clock = clock or time.time
        self._refresh_lock = threading.Lock()

    @property
    def accept_serial(self) -> str | None:
        newest = self.store.newest()
        return newest.serial_no if newest else None

    def verify(self, serial: str, message: bytes, signature: str) -> None:
        cert = self.store.get(serial)
        if cert is None:
            cert = self._refresh_for(serial)
        if cert.expired_at(self._clock()):
            raise SignatureError(
                f"platform certificate {cert.serial_no} expired {cert.not_after:%Y-%m-%d}"
            )
        if not rsa_verify(cert.public_key, message, signature):
            raise SignatureError(
                f"signature does not verify with platform certificate {cert.serial_no}"
            )

    def _refresh_for(self, serial: str) -> PlatformCertificate:
        if self.refresher is None:
            raise SignatureError(f"unknown platform certificate serial {serial!r}")
        with self._refresh_lock:
            cert = self.store.get(serial)  # another thread may have refreshed meanwhile
            if cert is None:
                try:
                    self.refresher()
                except WechatPayError as exc:
                    raise SignatureError(
                        f"unknown platform certificate serial {serial!r}; "
                        f"refreshing /v3/certificates failed: {exc}"
                    ) from exc
                cert = self.store.get(serial)
        if cert is None:
            raise SignatureError(
                f"unknown platform certificate serial {serial!r} "
                "(not in a fresh /v3/certificates download)"
            )
        return cert


class CombinedVerifier:
    """Public key when the serial is its id, platform certificates otherwise (migration mode)."""

    def __init__(self, public_key: PublicKeyVerifier, certificates: Verifier) -> None:
        self.public_key = public_key
        self.certificates = certificates

    @property
    def accept_serial(self) -> str | None:
        return self.public_key.key_id

    def verify(self, serial: str, message: bytes, signature: str) -> None:
        if serial == self.public_key.key_id:
            self.public_key.verify(serial, message, signature)
        else:
            self.certificates.verify(serial, message, signature)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive lookup; also understands WSGI/Django ``HTTP_WECHATPAY_*`` keys."""
    wanted = name.lower()
    wsgi = "http_" + wanted.replace("-", "_")
    for key, value in headers.items():
        k = key.lower()
        if k in (wanted, wsgi):
            return value
    return None


class ResponseValidator:
    """Validates the ``Wechatpay-*`` headers + raw body of a response or callback."""

    REQUIRED = ("Wechatpay-Serial", "Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce")

    def __init__(
        self,
        verifier: Verifier,
        *,
        clock: Callable[[], float] | None = None,
        max_skew: int = MAX_CLOCK_SKEW,
    ) -> None:
        self.verifier = verifier
        self._clock = clock or time.time
        self._max_skew = max_skew

    def validate(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raise :class:`SignatureError` unless ``body`` has a fresh, valid WeChat Pay signature."""
        values = {name: _header(headers, name) for name in self.REQUIRED}
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise SignatureError(f"unsigned response: missing header(s) {', '.join(missing)}")
        serial = values["Wechatpay-Serial"] or ""
        signature = values["Wechatpay-Signature"] or ""
        timestamp = values["Wechatpay-Timestamp"] or ""
        nonce = values["Wechatpay-Nonce"] or ""
        sig_type = _header(headers, "Wechatpay-Signature-Type")
        if sig_type is not None and sig_type != AUTH_SCHEME:
            raise SignatureError(f"unsupported Wechatpay-Signature-Type {sig_type!r}")
        if signature.startswith(SIGNTEST_PREFIX):
            raise SignatureError(
                "WECHATPAY/SIGNTEST/ signature probe rejected (deliberately invalid)"
            )
        try:
            base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise SignatureError("Wechatpay-Signature is not valid base64") from exc
        if not (timestamp.isascii() and timestamp.isdigit()):
            raise SignatureError(f"Wechatpay-Timestamp {timestamp!r} is not unix seconds")
        skew = int(self._clock()) - int(timestamp)
        if abs(skew) > self._max_skew:
            raise SignatureError(
                f"Wechatpay-Timestamp {timestamp} is {abs(skew)} s off our clock "
                f"(limit {self._max_skew} s)"
            )
        self.verifier.verify(serial, response_message(timestamp, nonce, body), signature)
