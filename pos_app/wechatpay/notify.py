"""Callbacks (notify): verify the signature over the raw body, then decrypt ``resource``.

Verification always comes first: an unverified body is never decrypted or parsed
beyond what is needed to reject it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_app.wechatpay.crypto import aes_gcm_decrypt
from pos_app.wechatpay.errors import MalformedResponseError
from pos_app.wechatpay.models import Refund, Transaction
from pos_app.wechatpay.payloads import json_object, refund_from_json, transaction_from_json
from pos_app.wechatpay.verifier import ResponseValidator


def _resource_str(resource: Mapping[str, Any], name: str) -> str:
    value = resource.get(name)
    if not isinstance(value, str):
        raise MalformedResponseError(f"notification: resource.{name} missing or not a string")
    return value


def parse_notification(
    headers: Mapping[str, str],
    body: bytes,
    *,
    validator: ResponseValidator,
    apiv3_key: str,
) -> tuple[str, Transaction | Refund]:
    """Return ``(event_type, Transaction | Refund)`` of a verified, decrypted callback.

    Raises :class:`SignatureError` (bad/missing/stale signature, SIGNTEST probe — answer the
    callback with 4xx/5xx so WeChat Pay re-sends), :class:`DecryptionError` (wrong APIv3 key
    or tampered resource) or :class:`MalformedResponseError`.
    """
    validator.validate(headers, body)
    doc = json_object(body, "notification")
    event_type = doc.get("event_type")
    resource = doc.get("resource")
    if not isinstance(event_type, str) or not isinstance(resource, dict):
        raise MalformedResponseError("notification: event_type or resource missing")
    algorithm = _resource_str(resource, "algorithm")
    if algorithm != "AEAD_AES_256_GCM":
        raise MalformedResponseError(f"notification: unsupported algorithm {algorithm!r}")
    plaintext = aes_gcm_decrypt(
        apiv3_key,
        _resource_str(resource, "nonce"),
        _resource_str({"associated_data": "", **resource}, "associated_data"),
        _resource_str(resource, "ciphertext"),
    )
    payload = json_object(plaintext, f"notification {event_type} resource")
    original_type = resource.get("original_type")
    if original_type == "refund" or event_type.startswith("REFUND."):
        return event_type, refund_from_json(payload, f"notification {event_type}")
    if original_type == "transaction" or event_type.startswith("TRANSACTION."):
        return event_type, transaction_from_json(payload, f"notification {event_type}")
    raise MalformedResponseError(
        f"notification: unsupported event {event_type!r} / {original_type!r}"
    )
