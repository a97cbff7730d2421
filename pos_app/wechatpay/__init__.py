"""Qt-free WeChat Pay APIv3 client: signing, response verification, endpoints, callbacks.

Layout (after wechatpay-go ``core/``): :mod:`.signer` (merchant signature),
:mod:`.verifier` (WeChat Pay signatures: public key / platform certificates / combined),
:mod:`.certificates` (``/v3/certificates`` bundle + cache), :mod:`.auth` (``httpx.Auth``),
:mod:`.client` (endpoints), :mod:`.notify` (callbacks), :mod:`.bill` (bill hash check).
"""

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
