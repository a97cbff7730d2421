"""APIv3 request signing: the merchant API key turns a request into an ``Authorization`` header.

Mirrors wechatpay-go ``auth/signer.go`` + ``credentials/wechat_pay_credential.go``: a
:class:`Signer` signs bytes; :meth:`RsaSha256Signer.authorization` adds timestamp and nonce
and formats ``WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",
serial_no="…",signature="…"`` (one line).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.wechatpay.crypto import authorization_header, request_message, rsa_sign
from pos_app.wechatpay.errors import ConfigError


def hex_nonce() -> str:
    """32 upper-case hex characters (128 random bits), like the docs' example nonce."""
    return secrets.token_hex(16).upper()


@dataclass(frozen=True)
class SignatureResult:
    """Who signed (merchant id + certificate serial) and the base64 signature."""

    mchid: str
    serial_no: str
    signature: str


class Signer(Protocol):
    """Signs request messages on behalf of one merchant."""

    @property
    def mchid(self) -> str: ...

    @property
    def serial_no(self) -> str: ...

    def sign(self, message: bytes) -> SignatureResult: ...

    def authorization(
        self,
        method: str,
        url: str,
        body: bytes,
        *,
        timestamp: int | None = None,
        nonce: str | None = None,
    ) -> str: ...


class RsaSha256Signer:
    """SHA256withRSA signer holding the merchant API private key (never printed)."""

    def __init__(
        self,
        mchid: str,
        serial_no: str,
        private_key: rsa.RSAPrivateKey,
        *,
        clock: Callable[[], float] | None = None,
        nonce_factory: Callable[[], str] = hex_nonce,
    ) -> None:
        if not mchid.strip():
            raise ConfigError("signer needs a mchid")
        if not serial_no.strip():
            raise ConfigError("signer needs the merchant certificate serial number")
        self._mchid = mchid
        self._serial_no = serial_no
        self._key = private_key
        self._clock = clock or time.time
        self._nonce_factory = nonce_factory

    def __repr__(self) -> str:
        return f"RsaSha256Signer(mchid={self._mchid!r}, serial_no={self._serial_no!r})"

    @property
    def mchid(self) -> str:
        return self._mchid

    @property
    def serial_no(self) -> str:
        return self._serial_no

    def sign(self, message: bytes) -> SignatureResult:
        return SignatureResult(self._mchid, self._serial_no, rsa_sign(self._key, message))

    def authorization(
        self,
        method: str,
        url: str,
        body: bytes,
        *,
        timestamp: int | None = None,
        nonce: str | None = None,
    ) -> str:
        """``Authorization`` for ``method`` + canonical ``url`` (path[?query]) + exact ``body``."""
        ts = int(self._clock()) if timestamp is None else timestamp
        nc = self._nonce_factory() if nonce is None else nonce
        result = self.sign(request_message(method, url, ts, nc, body))
        return authorization_header(
            mchid=result.mchid,
            serial_no=result.serial_no,
            nonce=nc,
            timestamp=ts,
            signature=result.signature,
        )
