"""APIv2 request signing and response verification (MD5 / HMAC-SHA256).

The algorithm of a response is the one used for the request (responses carry no
``sign_type``), so both sides pass it explicitly.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from pos_app.wechatpay.config import V2SignType
from pos_app.wechatpay.crypto import nonce_str, v2_sign
from pos_app.wechatpay.v2.xml import to_xml


def sign_params(params: Mapping[str, object], key: str, sign_type: V2SignType) -> dict[str, str]:
    """Copy of ``params`` (None dropped) + ``nonce_str`` if absent, ``sign_type`` when HMAC, ``sign``."""
    out = {k: str(v) for k, v in params.items() if v is not None and k != "sign"}
    out.setdefault("nonce_str", nonce_str(32))
    if sign_type == "HMAC-SHA256":
        out["sign_type"] = "HMAC-SHA256"
    out["sign"] = v2_sign(out, key, sign_type)
    return out


def signed_xml(params: Mapping[str, object], key: str, sign_type: V2SignType) -> bytes:
    return to_xml(sign_params(params, key, sign_type))


def verify_sign(params: Mapping[str, str], key: str, sign_type: V2SignType) -> bool:
    """True iff ``params['sign']`` is present and correct (constant-time compare)."""
    given = params.get("sign", "")
    if not given:
        return False
    expected = v2_sign(params, key, sign_type)
    return hmac.compare_digest(given.upper().encode(), expected.encode())
