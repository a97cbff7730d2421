"""Synchronous response verification on the exact text Alipay signed.

The signed text is the value of ``"<method_with_underscores>_response"`` (or
``"error_response"``) exactly as it appears in the body, from its ``{`` to the matching
``}`` — found with a string-aware brace scan, never by re-serialising JSON (Alipay
escapes ``/`` as ``\\/``). The fields the client reads are parsed from that verified text
only; a body that repeats the node name after it (an injected second node that a JSON
parser would prefer) is refused.

Keys: :class:`PublicKeyMode` (one Alipay public key) or :class:`CertMode` (Alipay
public-key certificates by ``alipay_cert_sn``). Any failure → :class:`SignatureError`
(outcome unknown).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.alipay.errors import MalformedResponseError, SignatureError, UnknownCertificateError
from pos_app.alipay.signing import rsa2_verify

ERROR_NODE = "error_response"
_WS = " \t\r\n"


def node_name(method: str) -> str:
    return method.replace(".", "_") + "_response"


def _find_key(body: str, name: str, start: int = 0) -> int:
    """Index of the JSON key ``"name"`` followed by ``:`` (outside string values is not
    checked here; the duplicate check below is deliberately conservative)."""
    needle = f'"{name}"'
    i = body.find(needle, start)
    while i >= 0:
        j = i + len(needle)
        while j < len(body) and body[j] in _WS:
            j += 1
        if j < len(body) and body[j] == ":":
            return i
        i = body.find(needle, i + 1)
    return -1


def extract_signed(body: str, method: str) -> tuple[str, str]:
    """``(node_name, exact text of its object value)``; ``MalformedResponseError`` if absent."""
    for name in (node_name(method), ERROR_NODE):
        i = _find_key(body, name)
        if i >= 0:
            break
    else:
        raise MalformedResponseError(f"{method}: no {node_name(method)} in the answer")
    j = body.index(":", i + len(name) + 2) + 1
    while j < len(body) and body[j] in _WS:
        j += 1
    if j >= len(body) or body[j] != "{":
        raise MalformedResponseError(f"{method}: {name} is not an object")
    depth = 0
    in_str = esc = False
    for k in range(j, len(body)):
        c = body[k]
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                if _find_key(body, name, k + 1) >= 0 or (
                    name != ERROR_NODE and _find_key(body, ERROR_NODE) >= 0
                ):
                    raise SignatureError(f"{method}: the answer repeats its response node")
                return name, body[j:k + 1]
    raise MalformedResponseError(f"{method}: unbalanced response object")


class KeySource(Protocol):
    def key_for(self, alipay_cert_sn: str | None) -> rsa.RSAPublicKey: ...


@dataclass(frozen=True)
class PublicKeyMode:
    """Alipay public-key mode: one configured Alipay public key."""

    alipay_public_key: rsa.RSAPublicKey

    def key_for(self, alipay_cert_sn: str | None) -> rsa.RSAPublicKey:
        return self.alipay_public_key


class CertMode:
    """Public-key-certificate mode: Alipay certificates by SN (the configured one first)."""

    def __init__(self, current_sn: str, keys: Mapping[str, rsa.RSAPublicKey]) -> None:
        if current_sn not in keys:
            raise ValueError("current_sn must be one of keys")
        self.current_sn = current_sn
        self._keys = dict(keys)

    def add(self, sn: str, key: rsa.RSAPublicKey) -> None:
        self._keys[sn] = key

    def with_key(self, sn: str, key: rsa.RSAPublicKey) -> CertMode:
        """A copy that also trusts ``key`` under ``sn``."""
        return CertMode(self.current_sn, {**self._keys, sn: key})

    def key_for(self, alipay_cert_sn: str | None) -> rsa.RSAPublicKey:
        sn = alipay_cert_sn or self.current_sn
        key = self._keys.get(sn)
        if key is None:
            raise UnknownCertificateError(sn)
        return key

    def known(self, sn: str) -> bool:
        return sn in self._keys


@dataclass(frozen=True)
class VerifiedResponse:
    node: str
    fields: dict[str, Any]

    @property
    def is_error_node(self) -> bool:
        return self.node == ERROR_NODE


def verify_response(body: bytes, method: str, keys: KeySource) -> VerifiedResponse:
    """Decode, locate, verify and parse one gateway answer (UTF-8)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedResponseError(f"{method}: answer is not UTF-8") from exc
    try:
        envelope = json.loads(text)
    except ValueError as exc:
        raise MalformedResponseError(f"{method}: answer is not JSON") from exc
    if not isinstance(envelope, dict):
        raise MalformedResponseError(f"{method}: answer is not a JSON object")
    name, signed = extract_signed(text, method)
    sign = envelope.get("sign")
    if not isinstance(sign, str) or not sign:
        raise SignatureError(f"{method}: answer carries no signature")
    cert_sn = envelope.get("alipay_cert_sn")
    if cert_sn is not None and not isinstance(cert_sn, str):
        raise MalformedResponseError(f"{method}: alipay_cert_sn is not a string")
    if not rsa2_verify(signed, sign, keys.key_for(cert_sn)):
        raise SignatureError(f"{method}: answer signature does not verify")
    fields = json.loads(signed)
    if not isinstance(fields, dict):
        raise MalformedResponseError(f"{method}: {name} is not an object")
    return VerifiedResponse(name, fields)
