"""The hub's real store (SQLite, in-process) speaking the wire format to a till's sender,
behind a gate: for the Z report's hub warning (tests and screenshots)."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from pos_app.hub.db import make_engine, migrate, sqlite_url
from pos_app.hub.protocol import OutboxRow, parse_batch
from pos_app.hub.store import HubStore


class GatedHub:
    """The hub's store behind the wire format; uploads wait while the gate is shut (a slow
    hub: the link stays "ok"), fail while ``down`` (an unreachable hub)."""

    def __init__(self, directory: Path) -> None:
        engine = make_engine(sqlite_url(directory))
        migrate(engine)
        self.store = HubStore(engine)
        self.till_id, _token = self.store.enrol(self.store.create_enrol_code(), "Till 1")
        self.gate = threading.Event()
        self.gate.set()
        self.down = False

    def upload(self, rows: Sequence[OutboxRow], backlog: int = 0) -> int:
        if self.down:
            raise httpx.ConnectError("hub down")
        self.gate.wait()
        doc = json.loads(json.dumps({"protocol": 1, "backlog": backlog, "rows": [
            {"seq": r.seq, "kind": r.kind, "committed_at": r.committed_at, "payload": r.payload}
            for r in rows]}))
        return self.store.ingest(self.till_id, parse_batch(doc))

    def master_since(self, since: int) -> dict[str, Any]:
        version, changes = self.store.master_since(since)
        return {"version": version, "changes": changes}

    def flags_since(self, since: int) -> dict[str, Any]:
        last, flags = self.store.flags_since(since)
        return {"flags": flags, "last": last}
