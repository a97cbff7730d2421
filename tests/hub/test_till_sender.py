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
from pos_app.hub.db import make_engine
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
def env(tmp_path: Path, db_url: str) -> Iterator[Env]:
    """The hub on SQLite and on PostgreSQL (tests/hub/conftest.py's ``db_url``)."""
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
        deadline = time.monotonic() + 20      # the status follows the upload's cycle
        while (env.outbox.state().unsent or not statuses) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert env.outbox.state().unsent == 0 and statuses
    finally:
        sender.stop()
    assert env.hub_rows() == env.outbox.state().last_seq


@pytest.mark.logs_errors
def test_a_hub_restored_from_an_old_copy_answers_gap_and_nothing_is_deleted(
        env: Env, tmp_path: Path) -> None:
    sqlite = env.db_url.startswith("sqlite")
    sender = env.sender()
    cash_sale(env.till)
    sender.cycle()
    held = env.hub_high()
    env.hub.stop()
    hub_file = tmp_path / "hubdata" / "hub.sqlite3"
    saved = tmp_path / "hub-old"
    saved.mkdir()
    if sqlite:
        for f in hub_file.parent.glob("hub.sqlite3*"):         # with its -wal, if any
            shutil.copy(f, saved / f.name)
    env.hub.start()
    cash_sale(env.till)
    sender.cycle()                                         # the hub holds more now
    env.hub.stop()
    if sqlite:                                             # …and is restored from the copy
        for f in hub_file.parent.glob("hub.sqlite3*"):
            f.unlink()
        for f in saved.iterdir():
            shutil.copy(f, hub_file.parent / f.name)
    else:                                                  # (PostgreSQL: what a restored dump holds)
        from sqlalchemy import delete, update

        from pos_app.hub import schema as t

        engine = make_engine(env.db_url)
        with engine.begin() as conn:
            till = env.enrolment.till_id
            conn.execute(delete(t.outbox_rows).where(t.outbox_rows.c.till_id == till,
                                                     t.outbox_rows.c.seq > held))
            conn.execute(update(t.tills).where(t.tills.c.till_id == till).values(high_seq=held))
        engine.dispose()
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


@pytest.mark.logs_errors
def test_master_data_is_applied_in_one_transaction_and_its_version_kept(env: Env) -> None:
    from pos_app.hub.master_apply import pull_master
    from pos_app.hub.protocol import ProtocolError
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.staff import UserRepository

    store = HubStore(make_engine(env.db_url))
    try:
        store.put_master([
            ("product", "TEA500", {"sku": "TEA500", "name": "冰红茶 500ml", "price_fen": 350,
                                   "barcode": "6901234567048"}),
            ("staff", "赵六", {"user_id": "u6", "name": "赵六", "role": "cashier",
                               "pin_hash": "scrypt$placeholder", "active": True}),
            ("setting", "receipt_footer", {"value": "谢谢惠顾"}),
        ], "admin")
        assert pull_master(env.client, env.outbox) == 1 + 2   # versions 1..3
        products = ProductRepository(env.till.db)
        tea = products.by_sku("TEA500")
        assert tea is not None and (tea.name, int(tea.price)) == ("冰红茶 500ml", 350)
        assert UserRepository(env.till.db).get_user("赵六") is not None
        assert env.outbox.setting("receipt_footer") == "谢谢惠顾"
        store.put_master([("product", "TEA500", {"sku": "TEA500", "name": "冰红茶", "price_fen": 300,
                                                 "barcode": None}),
                          ("staff", "赵六", {"user_id": "u6", "name": "赵六", "role": "boss",
                                             "pin_hash": "x", "active": True})], "admin")
        with pytest.raises(ProtocolError):        # a role the till does not know: all refused
            pull_master(env.client, env.outbox)
        assert env.outbox.master_version() == 3
        assert int(products.by_sku("TEA500").price) == 350   # type: ignore[union-attr]
        store.put_master([("product", "TEA500", None), ("staff", "赵六", None)], "admin")
        sender = env.sender(pull_every_s=0)
        sender.cycle()                             # the bad version stays refused…
        assert sender.status.state == "broken" and env.outbox.master_version() == 3
    finally:
        store.engine.dispose()


def test_enrolment_keeps_the_token_owner_only_and_never_logs_it(
        env: Env, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging
    import stat

    from pos_app.hub.link import HubService

    caplog.set_level(logging.DEBUG)   # (httpx logs requests at INFO: headers never)
    till, _ = make_till(tmp_path / "t2" / "till.sqlite3", enabled=False)
    open_shift(till)
    cash_sale(till)                                # history from before enrolment
    out = env.hub.cli("enrol-code")
    code = out.split("once): ")[1].split()[0]
    fingerprint = out.split("fingerprint: ")[1].split()[0]
    service = HubService(till.db, TILL, interval_s=0.05)
    with pytest.raises(Exception, match="fingerprint"):
        service.enrol(env.url, code, "00" * 32, "Till 2")
    assert not service.enrolled and not (tmp_path / "t2" / "hub.token").exists()
    service.enrol(env.url, code, fingerprint, "Till 2")
    token_file = tmp_path / "t2" / "hub.token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    token = token_file.read_text()
    assert token and token not in caplog.text and token not in repr(service.enrolment)
    import time

    deadline = time.monotonic() + 20
    while service.outbox.state().unsent and time.monotonic() < deadline:
        time.sleep(0.05)
    assert service.outbox.state().unsent == 0 and service.outbox.state().last_seq >= 4
    service.stop()
    again = HubService(till.db, TILL).start()     # a restart finds the enrolment
    assert again.enrolled and again.enrolment.till_id == service.enrolment.till_id  # type: ignore[union-attr]
    again.stop()
    till.shutdown()
    till.db.close()
