"""The till's side of the wire protocol (a thin httpx client; the outbox sender uses it).

:func:`enrol` pins the hub's CA: it fetches ``/v1/ca`` without verification, checks the
SHA-256 fingerprint the admin read off the hub, and from then on every request is verified
against that CA only. Over HTTPS the enrolment answer also carries the shop's PIN pepper
(:mod:`pos_app.hub.shop_pepper`): kept in ``Enrolment.shop_pepper`` (never in ``repr``),
taken only over the pinned channel (never over plain HTTP or an unpinned CA).
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from pos_app.hub.protocol import PROTOCOL_VERSION, OutboxRow
from pos_app.hub.tls import ca_fingerprint


class HubRefused(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Enrolment:
    base_url: str
    till_id: str
    token: str = field(repr=False)
    ca_pem: bytes | None
    # the shop's PIN pepper from the enrolment answer (not kept in hub.json: see link.py)
    shop_pepper: bytes | None = field(default=None, repr=False, compare=False)


def _verify(ca_pem: bytes | None) -> ssl.SSLContext | bool:
    if ca_pem is None:
        return True
    return ssl.create_default_context(cadata=ca_pem.decode())


def _check(response: httpx.Response) -> dict[str, Any]:
    try:
        doc = response.json()
    except ValueError:
        doc = {}
    if response.status_code >= 400:
        raise HubRefused(response.status_code, str(doc.get("error", "http")),
                         str(doc.get("detail", response.reason_phrase)))
    if not isinstance(doc, dict):
        raise HubRefused(response.status_code, "malformed", "answer is not an object")
    return doc


def fetch_pinned_ca(base_url: str, fingerprint: str, timeout: float = 10.0) -> bytes:
    with httpx.Client(verify=False, timeout=timeout) as client:  # checked by fingerprint below
        pem = client.get(f"{base_url}/v1/ca").content
    if ca_fingerprint(pem) != fingerprint.replace(":", "").lower():
        raise HubRefused(0, "fingerprint_mismatch", "the hub's CA is not the one shown")
    return pem


def enrol(base_url: str, code: str, name: str, fingerprint: str | None,
          timeout: float = 10.0) -> Enrolment:
    ca_pem = fetch_pinned_ca(base_url, fingerprint, timeout) if fingerprint else None
    with httpx.Client(verify=_verify(ca_pem), timeout=timeout) as client:
        doc = _check(client.post(f"{base_url}/v1/enrol", json={"code": code, "name": name}))
    shop_pepper = None
    if ca_pem is not None and base_url.startswith("https://") and "shop_pepper" in doc:
        from pos_app.hub.shop_pepper import ShopPepperError, parse_wire

        try:
            shop_pepper = parse_wire(doc)
        except ShopPepperError:   # enrolled all the same: the sender asks again later
            shop_pepper = None
    return Enrolment(base_url, str(doc["till_id"]), str(doc["token"]), ca_pem, shop_pepper)


class HubClient:
    def __init__(self, enrolment: Enrolment, timeout: float = 10.0) -> None:
        self.enrolment = enrolment
        self._client = httpx.Client(
            base_url=enrolment.base_url, verify=_verify(enrolment.ca_pem), timeout=timeout,
            headers={"Authorization": f"PosTill {enrolment.till_id}:{enrolment.token}"},
        )

    def close(self) -> None:
        self._client.close()

    def upload(self, rows: Sequence[OutboxRow], backlog: int = 0) -> int:
        body = {"protocol": PROTOCOL_VERSION, "backlog": backlog, "rows": [
            {"seq": r.seq, "kind": r.kind, "committed_at": r.committed_at, "payload": r.payload}
            for r in rows]}
        return int(_check(self._client.post("/v1/outbox", json=body))["high_seq"])

    def master_since(self, since: int) -> dict[str, Any]:
        return _check(self._client.get("/v1/master", params={"since": since}))

    def shop_pepper(self) -> dict[str, Any]:
        """The shop's PIN pepper (``GET /v1/pepper``; the hub answers over HTTPS only)."""
        return _check(self._client.get("/v1/pepper"))

    def flags_since(self, since: int) -> dict[str, Any]:
        return _check(self._client.get("/v1/flags", params={"since": since}))

    def reserve_refund(self, order_till: str, order_id: str, refund_id: str, amount_fen: int) -> dict[str, Any]:
        return _check(self._client.post("/v1/refunds/reserve", json={
            "order_till": order_till, "order_id": order_id, "refund_id": refund_id,
            "amount_fen": amount_fen}))
