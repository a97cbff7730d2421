"""The till ↔ hub wire protocol, version 1 (JSON over HTTPS; every body is UTF-8 JSON).

Authentication
    ``POST /v1/enrol`` ``{"code": str, "name": str}`` → ``{"till_id": str, "token": str,
    "protocol": 1}``. The one-time code comes from ``pos-app hub enrol-code`` (admin, at the
    hub), together with the SHA-256 fingerprint of the hub's CA certificate: the till fetches
    ``GET /v1/ca`` (PEM) once, checks the fingerprint, and from then on trusts only that CA.
    Every other till request carries ``Authorization: PosTill <till_id>:<token>``; the hub keeps
    only a SHA-256 of the token. An unknown, revoked or wrong credential is ``401``.

Upload (till → hub): ``POST /v1/outbox``::

    {"protocol": 1, "backlog": int, "rows": [
        {"seq": int, "kind": str, "committed_at": str, "payload": {...}}, ...]}

    ``seq`` is the till's outbox sequence: gapless from 1, per till. ``committed_at`` is the
    till's ISO-8601 commit time with an offset; the hub uses it for reports only, never for
    ordering (tills' clocks drift). ``backlog`` is how many rows the till still holds unsent
    after this batch (shown in the boss's view). The hub validates the whole batch first, then
    ingests it in one transaction, idempotently keyed by (till, seq):

    * a row already held with identical content is accepted again (a retry);
    * a row already held with different content → ``409 replay_conflict``;
    * a row that would leave a hole (its seq above the held high seq + 1) → ``409 gap``;
    * a malformed row (unknown kind, unknown or missing field, wrong type, a float or a bool
      where an int is wanted, money not int fen) → ``400 malformed``.

    Any refusal writes nothing. The answer is ``{"high_seq": N}``: the highest contiguous seq
    the hub holds for this till; a till deletes outbox rows up to ``N`` and nothing after.

    A ``product`` row (a product added or edited at a till: ``sku``, ``name``,
    ``price_fen``, ``barcode`` or null, ``active``, ``at_enrolment``) also changes the
    store's master data, unless the hub holds it already as it is (see ``PRODUCT_FIELDS``).

Master data (hub → till): ``GET /v1/master?since=N`` → ``{"version": V, "changes": [{"version":
    v, "kind": "product"|"staff"|"setting", "key": str, "data": {...}|null}, ...]}`` with every
    change after version ``N``; ``data`` null is a deletion. A till applies the list in one
    transaction and remembers ``V``. ``POST /v1/master`` ``{"changes": [{kind, key, data}]}``
    sends edits up (same validation: staff carry ``pin_hash`` only, never a PIN).

Staff edited at a till: an upload row of kind ``staff`` (a staff member added or edited at
    a till: ``name``, ``role``, ``active``, ``pin_hash`` — a hash string or ``""``, never a
    PIN; see ``STAFF_ROW_FIELDS``) also changes the store's master data, unless the hub holds
    it already as it is. Only a hash made with the shop's pepper (``scrypt-shop$<the hub's
    pepper id>$…``) is taken into the master data; a till-local hash keeps the PIN the hub
    holds (it would verify nowhere else).

The shop's PIN pepper: over HTTPS only, the enrolment answer also carries ``"shop_pepper":
    hex, "pepper_id": str`` (see :mod:`pos_app.hub.shop_pepper`), and an enrolled till asks
    ``GET /v1/pepper`` → ``{"shop_pepper", "pepper_id"}`` (a till enrolled before the hub had
    one). Over plain HTTP: ``404 no_shop_pepper``.

Refunds across tills: ``POST /v1/refunds/reserve`` ``{"order_till": str, "order_id": str,
    "refund_id": str, "amount_fen": int}`` → ``200 {"reserved_fen", "remaining_fen"}`` or
    ``409 refund_exceeds_paid``; ``POST /v1/refunds/release`` ``{"refund_id"}`` frees a
    reservation whose refund failed for certain.

Flags (hub → till): ``GET /v1/flags?since=N`` → ``{"flags": [{"id", "kind", "till_id",
    "order_id", "out_trade_no", "amount_fen", "detail", "created_at"}], "last": M}`` —
    e.g. ``late_payment``: WeChat Pay reported a payment for an order the till had closed.

Errors are ``{"error": code, "detail": str}``; ``detail`` is for logs, never shown as is.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.domain.pin_hash import is_hash_string

PROTOCOL_VERSION = 1
MAX_BATCH_ROWS = 1000

# A field spec: the Python type wanted, and whether None is allowed.
_STR = (str, False)
_OPT_STR = (str, True)
_INT = (int, False)
_OPT_INT = (int, True)

# Every payload kind and its exact fields. Money fields end in ``_fen`` and are ints.
PAYLOAD_FIELDS: dict[str, dict[str, tuple[type, bool]]] = {
    "order": {
        "order_id": _STR, "status": _STR, "total_fen": _INT, "cashier": _STR,
        "shift_id": _OPT_STR,
    },
    "order_line": {
        "order_id": _STR, "line_no": _INT, "sku": _STR, "name": _STR, "qty": _INT,
        "unit_price_fen": _INT, "amount_fen": _INT,
    },
    "payment_attempt": {
        "attempt_id": _STR, "order_id": _STR, "method": _STR, "out_trade_no": _STR,
        "amount_fen": _INT, "state": _STR,
    },
    "attempt_event": {"attempt_id": _STR, "state": _STR, "detail": _STR},
    "refund": {
        "refund_id": _STR, "order_id": _STR, "order_till": _STR, "out_refund_no": _STR,
        "amount_fen": _INT, "state": _STR, "cashier": _STR,
    },
    "refund_event": {"refund_id": _STR, "state": _STR, "detail": _STR},
    "shift": {
        "shift_id": _STR, "cashier": _STR, "opened_at": _STR, "closed_at": _OPT_STR,
        "opening_float_fen": _INT,
    },
    "cash_movement": {
        "movement_id": _STR, "shift_id": _STR, "amount_fen": _INT, "reason": _STR,
    },
    "audit": {"action": _STR, "actor": _STR, "detail": _STR},
}

MASTER_FIELDS: dict[str, dict[str, tuple[type, bool]]] = {
    "product": {"sku": _STR, "name": _STR, "price_fen": _INT, "barcode": _OPT_STR},
    "staff": {"user_id": _STR, "name": _STR, "role": _STR, "pin_hash": _STR, "active": (bool, False)},
    "setting": {"value": _STR},
}

ORDER_STATES = frozenset({"open", "paid", "cancelled", "closed", "refunded", "partially_refunded"})
ATTEMPT_STATES = frozenset({"created", "pending", "paid", "failed", "closed", "cancelled", "unknown"})
REFUND_STATES = frozenset({"created", "processing", "success", "closed", "abnormal", "unknown"})

# -- kind ``product``: a product added or edited at a till (till migration 0009) ------------
# The hub turns it into master data (store.py): ``active`` true → the product as the master
# data carries it (sku, name, price_fen, barcode), false → a deletion of ``sku``. Conflicts
# between tills: the last writer in the hub's ingest order wins. ``at_enrolment`` true: the
# till had it before it joined the hub; it only fills in a SKU the hub has never held (the
# hub's version wins, the till gets it with its first pull).
PRODUCT_FIELDS: dict[str, tuple[type, bool]] = {
    "sku": _STR, "name": _STR, "price_fen": _INT, "barcode": _OPT_STR, "active": (bool, False),
    "at_enrolment": (bool, False),
}
PAYLOAD_FIELDS["product"] = PRODUCT_FIELDS
MAX_SKU_LEN = 64
MAX_PRODUCT_NAME_LEN = 200
MAX_BARCODE_LEN = 64


def check_product(where: str, payload: Mapping[str, Any]) -> None:
    """A ``product`` payload whose fields have their types: refuse what no till writes."""
    sku, name, barcode = payload["sku"], payload["name"], payload["barcode"]
    if not sku or sku != sku.strip() or len(sku) > MAX_SKU_LEN:
        raise ProtocolError("malformed", f"{where}.sku: empty, padded or too long")
    if not name.strip() or len(name) > MAX_PRODUCT_NAME_LEN:
        raise ProtocolError("malformed", f"{where}.name: empty or too long")
    if payload["price_fen"] < 0:
        raise ProtocolError("malformed", f"{where}.price_fen: negative money")
    if barcode is not None and (not barcode or barcode != barcode.strip()
                                or len(barcode) > MAX_BARCODE_LEN):
        raise ProtocolError("malformed", f"{where}.barcode: empty, padded or too long")


def product_master_data(payload: Mapping[str, Any]) -> dict[str, Any] | None:
    """The master data change a ``product`` row stands for (None: a deletion)."""
    if not payload["active"]:
        return None
    return {k: payload[k] for k in ("sku", "name", "price_fen", "barcode")}


class ProtocolError(ValueError):
    """A request the hub refuses; ``code`` is the wire error code, ``status`` the HTTP status."""

    def __init__(self, code: str, detail: str, status: int = 400) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.status = status


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    kind: str
    committed_at: str
    payload: dict[str, Any]

    def canonical(self) -> str:
        """The row's content as stored and compared (key order independent)."""
        return canonical_json(self.payload)


@dataclass(frozen=True)
class Batch:
    backlog: int
    rows: tuple[OutboxRow, ...]


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _is_type(value: object, wanted: type) -> bool:
    if wanted is int:  # bool is an int subclass; a float is never money
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, wanted)


def check_fields(where: str, obj: object, spec: Mapping[str, tuple[type, bool]]) -> dict[str, Any]:
    """``obj`` must be an object with exactly ``spec``'s fields, each of its type."""
    if not isinstance(obj, dict):
        raise ProtocolError("malformed", f"{where}: not an object")
    unknown = sorted(set(obj) - set(spec))
    if unknown:
        raise ProtocolError("malformed", f"{where}: unknown field(s) {', '.join(unknown)}")
    for name, (wanted, nullable) in spec.items():
        if name not in obj:
            raise ProtocolError("malformed", f"{where}: missing field {name}")
        value = obj[name]
        if value is None and nullable:
            continue
        if not _is_type(value, wanted):
            raise ProtocolError(
                "malformed", f"{where}.{name}: {type(value).__name__}, wanted {wanted.__name__}"
            )
        if name.endswith("_fen") and name != "amount_fen" and value < 0:
            raise ProtocolError("malformed", f"{where}.{name}: negative money")
        if isinstance(value, str) and len(value) > 4000:
            raise ProtocolError("malformed", f"{where}.{name}: too long")
    return dict(obj)


def _check_state(where: str, payload: Mapping[str, Any], field: str, allowed: frozenset[str]) -> None:
    if payload[field] not in allowed:
        raise ProtocolError("malformed", f"{where}.{field}: unknown state {payload[field]!r}")


def parse_timestamp(where: str, text: object) -> datetime:
    if not isinstance(text, str):
        raise ProtocolError("malformed", f"{where}: committed_at not a string")
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ProtocolError("malformed", f"{where}: committed_at not ISO-8601") from exc
    if when.tzinfo is None:
        raise ProtocolError("malformed", f"{where}: committed_at without a UTC offset")
    return when


def parse_row(index: int, obj: object) -> OutboxRow:
    where = f"rows[{index}]"
    row = check_fields(
        where, obj, {"seq": _INT, "kind": _STR, "committed_at": _STR, "payload": (dict, False)}
    )
    if row["seq"] < 1:
        raise ProtocolError("malformed", f"{where}.seq: must be >= 1")
    kind = row["kind"]
    spec = PAYLOAD_FIELDS.get(kind)
    if spec is None:
        raise ProtocolError("malformed", f"{where}.kind: unknown kind {kind!r}")
    parse_timestamp(where, row["committed_at"])
    payload = check_fields(f"{where}.payload", row["payload"], spec)
    if kind == "staff":
        check_staff_row(f"{where}.payload", payload)
    if kind == "order":
        _check_state(where, payload, "status", ORDER_STATES)
    elif kind == "payment_attempt":
        _check_state(where, payload, "state", ATTEMPT_STATES)
        if payload["amount_fen"] <= 0:
            raise ProtocolError("malformed", f"{where}.amount_fen: must be > 0")
    elif kind == "attempt_event":
        _check_state(where, payload, "state", ATTEMPT_STATES)
    elif kind == "product":
        check_product(f"{where}.payload", payload)
    elif kind in ("refund", "refund_event"):
        _check_state(where, payload, "state", REFUND_STATES)
        if kind == "refund" and payload["amount_fen"] <= 0:
            raise ProtocolError("malformed", f"{where}.amount_fen: must be > 0")
    return OutboxRow(row["seq"], kind, row["committed_at"], payload)


def parse_batch(doc: object) -> Batch:
    """Validate a whole upload; raises :class:`ProtocolError` before anything is written."""
    body = check_fields("batch", doc, {"protocol": _INT, "backlog": _INT, "rows": (list, False)})
    if body["protocol"] != PROTOCOL_VERSION:
        raise ProtocolError("unsupported_protocol", f"protocol {body['protocol']} (hub speaks 1)")
    if body["backlog"] < 0:
        raise ProtocolError("malformed", "batch.backlog: negative")
    raw_rows: list[object] = body["rows"]
    if len(raw_rows) > MAX_BATCH_ROWS:
        raise ProtocolError("malformed", f"batch: more than {MAX_BATCH_ROWS} rows")
    rows = tuple(parse_row(i, r) for i, r in enumerate(raw_rows))
    for prev, row in itertools.pairwise(rows):
        if row.seq != prev.seq + 1:
            raise ProtocolError("gap", f"batch: seq {row.seq} after {prev.seq} (must be contiguous)", 409)
    return Batch(body["backlog"], rows)


def parse_master_change(index: int, obj: object) -> tuple[str, str, dict[str, Any] | None]:
    where = f"changes[{index}]"
    change = check_fields(where, obj, {"kind": _STR, "key": _STR, "data": (dict, True)})
    spec = MASTER_FIELDS.get(change["kind"])
    if spec is None:
        raise ProtocolError("malformed", f"{where}.kind: unknown kind {change['kind']!r}")
    if not change["key"]:
        raise ProtocolError("malformed", f"{where}.key: empty")
    data = change["data"]
    if data is None:
        return change["kind"], change["key"], None
    return change["kind"], change["key"], check_fields(f"{where}.data", data, spec)


def parse_json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError("malformed", "body is not UTF-8 JSON") from exc


# -- kind ``staff``: a staff member added or edited at a till (till migration 0010) ----------
# The hub turns it into master data (store.py, ``staff_from_till``). ``pin_hash`` is a hash
# string of pos_app.manager.pins (or "" for a staff member without a PIN at that till):
# anything else — a bare PIN above all — is refused, and the whole batch with it.
STAFF_ROW_FIELDS: dict[str, tuple[type, bool]] = {
    "name": _STR, "role": _STR, "active": (bool, False), "pin_hash": _STR,
}
PAYLOAD_FIELDS["staff"] = STAFF_ROW_FIELDS
STAFF_ROLE_NAMES = frozenset({"cashier", "manager", "admin"})
MAX_STAFF_NAME_LEN = 200


def check_staff_row(where: str, payload: Mapping[str, Any]) -> None:
    """A ``staff`` payload whose fields have their types: refuse what no till writes."""
    name = payload["name"]
    if not name.strip() or name != name.strip() or len(name) > MAX_STAFF_NAME_LEN:
        raise ProtocolError("malformed", f"{where}.name: empty, padded or too long")
    if payload["role"] not in STAFF_ROLE_NAMES:
        raise ProtocolError("malformed", f"{where}.role: unknown role")
    if payload["pin_hash"] and not is_hash_string(payload["pin_hash"]):
        # never echo the value: it may be a PIN sent by mistake
        raise ProtocolError("malformed", f"{where}.pin_hash: not a PIN hash")
