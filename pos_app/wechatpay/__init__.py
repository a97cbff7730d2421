"""Qt-free WeChat Pay APIv3 client: signing, response verification, endpoints, callbacks.

Layout (after wechatpay-go ``core/``): :mod:`.signer` (merchant signature),
:mod:`.verifier` (WeChat Pay signatures: public key / platform certificates / combined),
:mod:`.certificates` (``/v3/certificates`` bundle + cache), :mod:`.auth` (``httpx.Auth``),
:mod:`.client` (endpoints), :mod:`.notify` (callbacks), :mod:`.bill` (bill hash check).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The names below load on first use (PEP 562): importing a light submodule such as
# ``pos_app.wechatpay.models`` or ``.errors`` must not drag in httpx and cryptography
# (issue 13: the till's first screen).
if TYPE_CHECKING:
    from pos_app.wechatpay.auth import WechatPayAuth
    from pos_app.wechatpay.certificates import (
        CertificateStore,
        PlatformCertificate,
        decrypt_certificates,
    )
    from pos_app.wechatpay.client import WechatPayClient
    from pos_app.wechatpay.notify import parse_notification
    from pos_app.wechatpay.signer import RsaSha256Signer, SignatureResult, Signer
    from pos_app.wechatpay.verifier import (
        CertificateVerifier,
        CombinedVerifier,
        PublicKeyVerifier,
        ResponseValidator,
        Verifier,
    )

_WHERE = {
    "CertificateStore": "pos_app.wechatpay.certificates",
    "CertificateVerifier": "pos_app.wechatpay.verifier",
    "CombinedVerifier": "pos_app.wechatpay.verifier",
    "PlatformCertificate": "pos_app.wechatpay.certificates",
    "PublicKeyVerifier": "pos_app.wechatpay.verifier",
    "ResponseValidator": "pos_app.wechatpay.verifier",
    "RsaSha256Signer": "pos_app.wechatpay.signer",
    "SignatureResult": "pos_app.wechatpay.signer",
    "Signer": "pos_app.wechatpay.signer",
    "Verifier": "pos_app.wechatpay.verifier",
    "WechatPayAuth": "pos_app.wechatpay.auth",
    "WechatPayClient": "pos_app.wechatpay.client",
    "decrypt_certificates": "pos_app.wechatpay.certificates",
    "parse_notification": "pos_app.wechatpay.notify",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CertificateStore",
    "CertificateVerifier",
    "CombinedVerifier",
    "PlatformCertificate",
    "PublicKeyVerifier",
    "ResponseValidator",
    "RsaSha256Signer",
    "SignatureResult",
    "Signer",
    "Verifier",
    "WechatPayAuth",
    "WechatPayClient",
    "decrypt_certificates",
    "parse_notification",
]
