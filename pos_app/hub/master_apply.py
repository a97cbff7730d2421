"""Master data and flags from the hub, applied to the till's own store.

:func:`pull_master` fetches every change after the version the till holds, checks each one
against the protocol (a change the till could not apply refuses the whole version: nothing
is written, the last good version stays) and applies them with the new version in one
transaction. :func:`pull_flags` keeps the hub's flags about this till's payments.
"""

from __future__ import annotations

from typing import Any, Protocol

from pos_app.hub.protocol import ProtocolError, parse_master_change
from pos_app.storage.outbox import HubFlag, MasterChange, OutboxRepository

STAFF_ROLES = frozenset({"cashier", "manager", "admin"})
#: flag kinds a till shows (others are for the boss's view only)
TILL_FLAG_KINDS = frozenset({"late_payment", "amount_mismatch", "unknown_payment"})


class MasterSource(Protocol):
    def master_since(self, since: int) -> dict[str, Any]: ...
    def flags_since(self, since: int) -> dict[str, Any]: ...


def _int(doc: dict[str, Any], name: str) -> int:
    value = doc.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProtocolError("malformed", f"{name}: not a non-negative integer")
    return value


def parse_master(doc: dict[str, Any]) -> tuple[int, list[MasterChange]]:
    version = _int(doc, "version")
    raw = doc.get("changes")
    if not isinstance(raw, list):
        raise ProtocolError("malformed", "changes: not a list")
    changes: list[MasterChange] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ProtocolError("malformed", f"changes[{i}]: not an object")
        kind, key, data = parse_master_change(
            i, {k: v for k, v in item.items() if k != "version"})
        if data is not None:
            if kind == "staff" and data["role"] not in STAFF_ROLES:
                raise ProtocolError("malformed", f"changes[{i}].data.role: unknown role")
            if kind == "staff" and data["name"] != key:
                raise ProtocolError("malformed", f"changes[{i}]: staff key is not the name")
            if kind == "product" and data["sku"] != key:
                raise ProtocolError("malformed", f"changes[{i}]: product key is not the sku")
        changes.append(MasterChange(kind, key, data))
    return version, changes


def pull_master(client: MasterSource, outbox: OutboxRepository) -> int:
    """Apply what is new; returns the version now held."""
    since = outbox.master_version()
    version, changes = parse_master(client.master_since(since))
    if version > since:
        outbox.apply_master(version, changes)
    return max(version, since)


def pull_flags(client: MasterSource, outbox: OutboxRepository, hub_till: str) -> int:
    """Keep new flags about this till (and payments no till knows); returns how many."""
    doc = client.flags_since(outbox.flags_seen())
    last = _int(doc, "last")
    raw = doc.get("flags")
    if not isinstance(raw, list):
        raise ProtocolError("malformed", "flags: not a list")
    mine: list[HubFlag] = []
    for f in raw:
        if not isinstance(f, dict) or f.get("kind") not in TILL_FLAG_KINDS:
            continue
        if f.get("till_id") not in (hub_till, None):
            continue
        amount = f.get("amount_fen")
        mine.append(HubFlag(
            id=_int(f, "id"), kind=str(f["kind"]), till_id=f.get("till_id"),
            order_id=None if f.get("order_id") is None else str(f["order_id"]),
            out_trade_no=str(f.get("out_trade_no", "")),
            amount_fen=amount if isinstance(amount, int) and not isinstance(amount, bool)
            else None,
            detail=str(f.get("detail", ""))[:500], created_at=str(f.get("created_at", "")),
            handled_by=None))
    return outbox.add_flags(last, mine)
