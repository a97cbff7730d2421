"""The till's sender against the real hub process (TLS, pinned CA): every committed change
arrives exactly once, through a hub outage, a hub restored from an old copy, a till restored
from an old copy."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pos_app.hub.client import Enrolment, HubClient
from pos_app.hub.db import make_engine, sqlite_url
from pos_app.hub.sender import HubSender
from pos_app.hub.store import HubStore
from pos_app.payments.till import TillService
from pos_app.storage.outbox import OutboxRepository
from tests.hub.proc import HubProcess
from tests.hub.till_fixtures import TILL, cash_sale, enrol_at, free_port, make_till, open_shift

pytestmark = pytest.mark.slow


@dataclass
class Env:
    hub: HubProcess
    url: str
    db_url: str
    enrolment: Enrolment
    till: TillService
    outbox: OutboxRepository
    client: HubClient

    def sender(self, **kw: object) -> HubSender:
        return HubSender(self.outbox, self.client, local_till=TILL,
                         hub_till=self.enrolment.till_id, backoff_s=(0.05,), **kw)  # type: ignore[arg-type]

    def hub_rows(self) -> int:
        store = HubStore(make_engine(self.db_url))
        try:
            return store.outbox_count(self.enrolment.till_id)
        finally:
            store.engine.dispose()

    def hub_high(self) -> int:
        return self.client.upload([], 0)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    db_url = sqlite_url(tmp_path / "hubdata")
    hub = HubProcess(tmp_path / "hub", db_url, port=free_port())
    url = hub.start()
    enrolment = enrol_at(hub, url)
    assert isinstance(enrolment, Enrolment) and enrolment.ca_pem is not None
    till, outbox = make_till(tmp_path / "till.sqlite3", enabled=False)
    outbox.enable(TILL)
    client = HubClient(enrolment, timeout=5)
    yield Env(hub, url, db_url, enrolment, till, outbox, client)
    client.close()
    till.shutdown()
    till.db.close()
    hub.stop()


def test_every_committed_change_reaches_the_hub_once(env: Env) -> None:
    open_shift(env.till)
    for i in range(12):
        cash_sale(env.till, 100 + i)
    written = env.outbox.state().last_seq
    sender = env.sender(batch_rows=7)         # several batches
    assert sender.cycle() == sender.interval_s
    assert sender.status.state == "ok" and sender.status.unsent == 0
    assert sender.uploads >= written // 7
    assert env.outbox.pending(10) == []
    assert env.hub_rows() == written == env.hub_high()
    sender.cycle()                                        # nothing more, nothing doubled
    assert env.hub_rows() == written
    store = HubStore(make_engine(env.db_url))
    try:
        day = store.takings(store.tills()[0].last_seen_at[:10])  # type: ignore[index]
        assert day["takings_fen"] == 0                     # cash: not a WeChat payment…
    finally:
        store.engine.dispose()


def test_hub_down_for_a_while_then_back_catches_up(env: Env) -> None:
    sender = env.sender()
    cash_sale(env.till)
    sender.cycle()
    env.hub.stop()
    for i in range(5):
        cash_sale(env.till, 200 + i)
    pending = env.outbox.state().unsent
    assert pending > 0
    wait = sender.cycle()
    assert sender.status.state == "offline" and sender.status.unsent == pending
    assert wait == 0.05                                   # backs off, tries again
    assert env.outbox.state().unsent == pending           # nothing dropped while down
    env.hub.start()
    sender.cycle()
    assert sender.status == type(sender.status)("ok", 0, 0, "")
    assert env.hub_rows() == env.outbox.state().last_seq


def test_background_thread_sends_without_being_asked(env: Env) -> None:
    import time

    statuses: list[object] = []
    sender = env.sender(interval_s=0.05, on_status=statuses.append)
    sender.start()
    try:
        cash_sale(env.till)
        sender.poke()
        deadline = time.monotonic() + 20
        while env.outbox.state().unsent and time.monotonic() < deadline:
            time.sleep(0.05)
        assert env.outbox.state().unsent == 0 and statuses
    finally:
        sender.stop()
    assert env.hub_rows() == env.outbox.state().last_seq


@pytest.mark.logs_errors
def test_a_hub_restored_from_an_old_copy_answers_gap_and_nothing_is_deleted(
        env: Env, tmp_path: Path) -> None:
    sender = env.sender()
    cash_sale(env.till)
    sender.cycle()
    held = env.hub_high()
    env.hub.stop()
    hub_file = tmp_path / "hubdata" / "hub.sqlite3"
    assert hub_file.exists(), list((tmp_path / "hubdata").iterdir())
    saved = tmp_path / "hub-old"
    saved.mkdir()
    for f in hub_file.parent.glob("hub.sqlite3*"):             # with its -wal, if any
        shutil.copy(f, saved / f.name)
    env.hub.start()
    cash_sale(env.till)
    sender.cycle()                                         # the hub holds more now
    env.hub.stop()
    for f in hub_file.parent.glob("hub.sqlite3*"):             # …and is restored from the copy
        f.unlink()
    for f in saved.iterdir():
        shutil.copy(f, hub_file.parent / f.name)
    env.hub.start()
    cash_sale(env.till)
    before = env.outbox.state()
    sender.cycle()
    assert (sender.status.state, sender.status.error) == ("broken", "gap")
    assert env.outbox.state() == before and before.unsent > 0
    assert env.hub_high() == held


@pytest.mark.logs_errors
def test_a_till_restored_from_an_old_copy_is_refused_and_keeps_its_rows(
        env: Env, tmp_path: Path) -> None:
    sender = env.sender()
    cash_sale(env.till)
    sender.cycle()
    env.till.shutdown()
    env.till.db.close()
    shutil.copy(tmp_path / "till.sqlite3", tmp_path / "till-old.sqlite3")
    till, outbox = make_till(tmp_path / "till.sqlite3", enabled=False)
    cash_sale(till)
    HubSender(outbox, env.client, local_till=TILL, hub_till=env.enrolment.till_id).cycle()
    hub_rows = env.hub_rows()
    till.shutdown()
    till.db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp_path}/till.sqlite3{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "till-old.sqlite3", tmp_path / "till.sqlite3")
    env.till, env.outbox = make_till(tmp_path / "till.sqlite3", enabled=False)
    cash_sale(env.till, 999)                               # same seqs, other content
    before = env.outbox.state()
    sender = env.sender()
    sender.cycle()
    assert (sender.status.state, sender.status.error) == ("broken", "replay_conflict")
    assert env.outbox.state() == before and before.unsent > 0
    assert env.hub_rows() == hub_rows                      # the duplicate seqs were refused
