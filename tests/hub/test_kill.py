"""The hub killed with SIGKILL mid-ingest: after restart and re-upload nothing is lost or doubled."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from pos_app.hub.client import HubClient, HubRefused
from pos_app.hub.db import make_engine
from pos_app.hub.protocol import OutboxRow
from pos_app.hub.store import HubStore
from tests.hub.proc import HubProcess
from tests.hub.rows import TillRows

pytestmark = pytest.mark.slow
SALES = 400  # x5 rows
BATCH = 250


class Till:
    """A till's sender: keeps every row until the hub confirms it, re-sends after errors."""

    def __init__(self, rows: list[OutboxRow]) -> None:
        self.rows = rows
        self.acked = 0
        self.errors = 0

    def run(self, client_for: list[HubClient], stop: threading.Event) -> None:
        while self.acked < len(self.rows) and not stop.is_set():
            batch = self.rows[self.acked:self.acked + BATCH]
            try:
                self.acked = client_for[0].upload(batch, backlog=len(self.rows) - self.acked)
            except (httpx.HTTPError, HubRefused, RuntimeError):
                self.errors += 1
                time.sleep(0.05)


def test_sigkill_mid_ingest_loses_and_doubles_nothing(tmp_path: Path, db_url: str) -> None:
    from pos_app.hub.client import Enrolment, enrol

    hub = HubProcess(tmp_path / "hub", db_url, tls=False)
    try:
        url = hub.start()
        code = hub.cli("enrol-code").split(": ")[1].split()[0]
        enrolment = enrol(url, code, "Till 1", None)
        maker = TillRows(enrolment.till_id)
        rows = [r for i in range(SALES) for r in maker.sale(f"O{i}", 100 + i)]
        till = Till(rows)
        clients = [HubClient(enrolment, timeout=5)]
        stop = threading.Event()
        sender = threading.Thread(target=till.run, args=(clients, stop))
        sender.start()
        while till.acked < BATCH * 2 and sender.is_alive():
            time.sleep(0.01)
        time.sleep(0.03)
        hub.kill()  # the sender is mid-upload: a batch is in flight or in the transaction
        killed_at = till.acked
        url2 = hub.start()
        old = clients[0]
        clients[0] = HubClient(Enrolment(url2, enrolment.till_id, enrolment.token, None), timeout=5)
        time.sleep(0.5)  # let an upload still on the old client fail before closing it
        old.close()
        sender.join(120)
        stop.set()
        assert till.acked == len(rows), (till.acked, till.errors)
        assert killed_at < len(rows)
        assert till.errors >= 1  # the kill was felt by the sender
        clients[0].close()
    finally:
        hub.stop()
    store = HubStore(make_engine(db_url))
    assert store.outbox_count(enrolment.till_id) == len(rows)
    report = store.takings("2026-12-02")
    assert report["payments"] == SALES
    assert report["takings_fen"] == sum(100 + i for i in range(SALES))
    store.engine.dispose()
