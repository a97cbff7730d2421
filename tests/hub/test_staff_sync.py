"""Staff across tills (issue 14): the shop-wide PIN pepper and staff edits sent up.

Hub on SQLite and on PostgreSQL. A PIN set at till A verifies at till B after going through
the real hub process (TLS, CA pinned at enrolment); a PIN set by the hub's admin verifies at
the tills; a till enrolled before the hub gave out its pepper keeps working and moves to it;
the wrong pepper never verifies; no PIN, pepper or hash reaches a log line; malformed staff
rows are refused and write nothing; staff written from the hub's master data are not sent
back up, and an identical edit adds no master version.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from pos_app.domain.pin_hash import Peppers, hash_pin, hash_pin_shop, is_shop_hash, pepper_id
from pos_app.domain.staff import Role
from pos_app.hub.app import create_app
from pos_app.hub.client import Enrolment, HubClient
from pos_app.hub.link import ShopPepperFetch, enrol_till, save_enrolment
from pos_app.hub.protocol import OutboxRow
from pos_app.hub.sender import HubSender
from pos_app.hub.shop_pepper import HUB_PEPPER_FILE, ShopPepper, hub_shop_pepper
from pos_app.hub.store import HubStore
from pos_app.manager.pins import AuthError, PinAuthenticator, StaffAdmin
from pos_app.storage.db import Database
from pos_app.storage.outbox import MasterChange, OutboxRepository
from pos_app.storage.pepper import (
    SHOP_PEPPER_FILE,
    forget_cached_shop_pepper,
    load_pepper,
    load_shop_pepper,
)
from pos_app.storage.staff import UserRepository
from tests.hub.proc import HubProcess
from tests.hub.rows import TillRows, as_json
from tests.hub.till_fixtures import TILL, free_port

PIN_A = "73915062"          # long and odd: never part of a port, a time or an id by chance
PIN_B = "48207319"
PIN_HUB = "61839274"


def approval() -> Any:
    from datetime import UTC, datetime

    from pos_app.domain.staff import Permission
    from pos_app.manager.pins import Approval

    return Approval("test", Role.ADMIN, Permission.MANAGE_USERS, datetime.now(UTC))


def till_peppers(db: Database) -> Callable[[], Peppers]:
    """What the app gives its authenticator: the local pepper and, once held, the shop's."""
    return lambda: Peppers(local=load_pepper(db.path), shop=load_shop_pepper(db.path))


@pytest.fixture(autouse=True)
def _fresh_pepper_cache() -> Iterator[None]:
    forget_cached_shop_pepper()
    yield
    forget_cached_shop_pepper()


# --------------------------------------------------------------------------- hub store


def staff_row(seq: int, name: str, pin_hash: str, *, role: str = "cashier",
              active: bool = True) -> OutboxRow:
    return OutboxRow(seq, "staff", "2026-12-02T10:15:00+08:00",
                     {"name": name, "role": role, "active": active, "pin_hash": pin_hash})


def ingest(store: HubStore, till: str, *rows: OutboxRow) -> None:
    from pos_app.hub.protocol import Batch

    store.ingest(till, Batch(0, tuple(rows)))


def test_staff_from_a_till_becomes_master_data_once(store: HubStore, tmp_path: Path) -> None:
    shop = hub_shop_pepper(tmp_path / "hubdir")
    store.shop_pepper_id = shop.id
    till, _ = store.enrol(store.create_enrol_code(), "A")
    good = hash_pin_shop(PIN_A, shop.value)
    ingest(store, till, staff_row(1, "王芳", good))
    version, changes = store.master_since(0)
    assert version == 1
    assert changes[0]["data"] == {"user_id": "王芳", "name": "王芳", "role": "cashier",
                                  "pin_hash": good, "active": True}
    # the same edit again (a till applying the hub's version, a re-send): no new version
    ingest(store, till, staff_row(2, "王芳", good))
    assert store.master_since(0)[0] == 1
    # a till-local hash (verifies at that till only) never replaces the shop's
    ingest(store, till, staff_row(3, "王芳", hash_pin(PIN_B, pepper=os.urandom(32)),
                                  role="manager"))
    version, changes = store.master_since(1)
    assert version == 2 and changes[0]["data"]["pin_hash"] == good
    assert changes[0]["data"]["role"] == "manager"
    # a shop hash made with another pepper is not the shop's: kept out as well
    ingest(store, till, staff_row(4, "王芳", hash_pin_shop(PIN_B, os.urandom(32)),
                                  role="manager"))
    assert store.master_since(0)[0] == 2
    # a new member with only a local hash: in the master data without a PIN
    ingest(store, till, staff_row(5, "李四", hash_pin(PIN_B)))
    [li] = [c for c in store.master_since(2)[1] if c["key"] == "李四"]
    assert li["data"]["pin_hash"] == ""
    assert [m["name"] for m in store.staff()] == ["李四", "王芳"]


def test_two_tills_sending_the_same_edit_at_once_add_one_version(
        store: HubStore, tmp_path: Path) -> None:
    import threading

    shop = hub_shop_pepper(tmp_path / "hubdir")
    store.shop_pepper_id = shop.id
    a, _ = store.enrol(store.create_enrol_code(), "A")
    b, _ = store.enrol(store.create_enrol_code(), "B")
    ingest(store, a, staff_row(1, "王芳", hash_pin_shop(PIN_A, shop.value)))
    edit = hash_pin_shop(PIN_B, shop.value)
    for round_ in range(5):
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def send(till: str, seq: int, role: str, start: threading.Barrier = start,
                 errors: list[BaseException] = errors) -> None:
            start.wait()
            try:
                ingest(store, till, staff_row(seq, "王芳", edit, role=role))
            except BaseException as exc:       # reported below
                errors.append(exc)

        role = ("manager", "admin")[round_ % 2]
        threads = [threading.Thread(target=send, args=(a, 2 + round_, role)),
                   threading.Thread(target=send, args=(b, 1 + round_, role))]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        assert errors == []
        assert store.master_since(0)[0] == 2 + round_      # one version per distinct edit
    [member] = store.staff()
    assert member["pin_hash"] == edit and member["role"] == "manager"   # the last round's


def test_a_staff_member_taken_off_at_a_till_is_off_at_the_hub(store: HubStore) -> None:
    till, _ = store.enrol(store.create_enrol_code(), "A")
    ingest(store, till, staff_row(1, "王芳", ""), staff_row(2, "王芳", "", active=False))
    [member] = store.staff()
    assert member["active"] is False and store.master_since(0)[0] == 2


def test_hub_admin_sets_a_pin_with_the_shop_pepper(store: HubStore, tmp_path: Path) -> None:
    shop = hub_shop_pepper(tmp_path / "hubdir")
    with pytest.raises(KeyError):
        store.set_staff("nobody", role=None, pin_hash=hash_pin_shop(PIN_HUB, shop.value))
    v1 = store.set_staff("张老板", role="admin", pin_hash=hash_pin_shop(PIN_HUB, shop.value))
    assert v1 == 1
    assert store.set_staff("张老板", role="admin", pin_hash=None) is None   # nothing changed
    [boss] = store.staff()
    assert boss["role"] == "admin" and is_shop_hash(boss["pin_hash"], shop.id)


def _staff_mutations() -> list[tuple[str, dict[str, Any]]]:
    good = {"seq": 1, "kind": "staff", "committed_at": "2026-12-02T10:15:00+08:00",
            "payload": {"name": "王芳", "role": "cashier", "active": True,
                        "pin_hash": hash_pin(PIN_A)}}
    p = good["payload"]
    assert isinstance(p, dict)
    return [
        ("a PIN for a hash", {**good, "payload": {**p, "pin_hash": PIN_A}}),
        ("a PIN field", {**good, "payload": {**p, "pin": PIN_A}}),
        ("hash with junk", {**good, "payload": {**p, "pin_hash": p["pin_hash"] + "$" + PIN_A}}),
        ("shop hash, bad id", {**good, "payload": {**p, "pin_hash": "scrypt-shop$xyz$"
                                                   + p["pin_hash"].split("$", 1)[1]}}),
        ("unknown role", {**good, "payload": {**p, "role": "boss"}}),
        ("missing field", {**good, "payload": {k: v for k, v in p.items() if k != "role"}}),
        ("active as int", {**good, "payload": {**p, "active": 1}}),
        ("empty name", {**good, "payload": {**p, "name": " "}}),
        ("padded name", {**good, "payload": {**p, "name": " 王芳"}}),
        ("hash not a string", {**good, "payload": {**p, "pin_hash": None}}),
    ]


@pytest.mark.parametrize(("why", "bad"), _staff_mutations(), ids=[m[0] for m in _staff_mutations()])
def test_malformed_staff_rows_are_refused_and_write_nothing(
        store: HubStore, why: str, bad: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(store)) as client:
        code = store.create_enrol_code()
        doc = client.post("/v1/enrol", json={"code": code, "name": "A"}).json()
        auth = {"Authorization": f"PosTill {doc['till_id']}:{doc['token']}"}
        sale = list(as_json(TillRows(doc["till_id"]).sale("O1", 350)))
        bad = {**bad, "seq": len(sale) + 1}
        response = client.post("/v1/outbox", headers=auth,
                               json={"protocol": 1, "backlog": 0, "rows": [*sale, bad]})
    assert response.status_code == 400, (why, response.text)
    assert response.json()["error"] == "malformed"
    assert store.outbox_count() == 0 and store.master_since(0) == (0, [])
    assert PIN_A not in caplog.text and PIN_A not in response.text


def test_the_pepper_is_given_over_https_only(store: HubStore, tmp_path: Path) -> None:
    shop = hub_shop_pepper(tmp_path / "hubdir")
    app = create_app(store, shop_pepper=shop)
    with TestClient(app, base_url="http://testserver") as plain:
        doc = plain.post("/v1/enrol", json={"code": store.create_enrol_code(), "name": "A"}).json()
        assert "shop_pepper" not in doc
        auth = {"Authorization": f"PosTill {doc['till_id']}:{doc['token']}"}
        refused = plain.get("/v1/pepper", headers=auth)
        assert refused.status_code == 404 and refused.json()["error"] == "no_shop_pepper"
    with TestClient(app, base_url="https://testserver") as tls:
        doc = tls.post("/v1/enrol", json={"code": store.create_enrol_code(), "name": "B"}).json()
        assert doc["shop_pepper"] == shop.value.hex() and doc["pepper_id"] == shop.id
        assert tls.get("/v1/pepper").status_code == 401              # tills only
        auth = {"Authorization": f"PosTill {doc['till_id']}:{doc['token']}"}
        assert tls.get("/v1/pepper", headers=auth).json() == shop.wire()
    # the hub's copy: an owner-only file in its data directory, stable across restarts
    key = tmp_path / "hubdir" / HUB_PEPPER_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert hub_shop_pepper(tmp_path / "hubdir") == shop and "value" not in repr(shop)


# --------------------------------------------------------------------------- the till's outbox


def till_db(path: Path, *, enabled: bool = True) -> tuple[Database, OutboxRepository]:
    db = Database(path, till_id=TILL)
    outbox = OutboxRepository(db)
    if enabled:
        outbox.enable(TILL)
    return db, outbox


def staff_rows(outbox: OutboxRepository) -> list[dict[str, Any]]:
    return [e.payload for e in outbox.pending(1000) if e.kind == "staff"]


def test_staff_edits_at_a_till_append_outbox_rows(tmp_path: Path) -> None:
    db, outbox = till_db(tmp_path / "till.sqlite3")
    users = UserRepository(db)
    auth = PinAuthenticator(users, pepper=till_peppers(db))
    admin = StaffAdmin(users, auth)
    admin.add_user(approval(), "王芳", Role.CASHIER, PIN_A)
    [row] = staff_rows(outbox)
    assert set(row) == {"name", "role", "active", "pin_hash"}
    assert (row["name"], row["role"], row["active"]) == ("王芳", "cashier", True)
    assert row["pin_hash"] == users.get_user("王芳").pin_hash   # type: ignore[union-attr]
    # a wrong PIN (the login state) is this till's own: nothing sent
    with pytest.raises(AuthError):
        auth.authenticate("王芳", PIN_B)
    auth.authenticate("王芳", PIN_A)
    assert len(staff_rows(outbox)) == 1
    admin.reset_pin(approval(), "王芳", PIN_B)
    assert len(staff_rows(outbox)) == 2
    # the same value written again is no edit
    users.set_pin_hash("王芳", users.get_user("王芳").pin_hash)  # type: ignore[union-attr]
    assert len(staff_rows(outbox)) == 2
    db.close()


def test_a_till_not_enrolled_records_nothing(tmp_path: Path) -> None:
    db, outbox = till_db(tmp_path / "till.sqlite3", enabled=False)
    UserRepository(db).add_user("王芳", Role.CASHIER, hash_pin(PIN_A))
    assert outbox.pending(10) == []
    db.close()


def test_staff_from_the_hub_are_not_sent_back_up(tmp_path: Path) -> None:
    db, outbox = till_db(tmp_path / "till.sqlite3")
    users = UserRepository(db)
    users.add_user("王芳", Role.CASHIER, hash_pin(PIN_A, pepper=load_pepper(db.path)))
    before = outbox.state().last_seq
    shop = os.urandom(32)
    outbox.apply_master(1, [MasterChange("staff", "王芳", {
        "user_id": "王芳", "name": "王芳", "role": "manager", "pin_hash": hash_pin_shop(PIN_B, shop),
        "active": True}), MasterChange("staff", "李四", {
        "user_id": "李四", "name": "李四", "role": "cashier", "pin_hash": "", "active": True})])
    assert outbox.state().last_seq == before                    # the echo guard
    assert users.get_user("王芳").role is Role.MANAGER          # type: ignore[union-attr]
    # an empty hash from the hub (no shop PIN yet) keeps a till's own
    outbox.apply_master(2, [MasterChange("staff", "王芳", {
        "user_id": "王芳", "name": "王芳", "role": "manager", "pin_hash": "", "active": True})])
    assert is_shop_hash(users.get_user("王芳").pin_hash)        # type: ignore[union-attr]
    # and a local edit after that is sent again
    users.set_pin_hash("李四", hash_pin(PIN_A))
    assert [(e.seq, e.payload["name"]) for e in outbox.pending(10)] == [
        (before, "王芳"), (before + 1, "李四")]        # its own add, then this edit
    db.close()


# --------------------------------------------------------------------------- end to end


@dataclass
class Till:
    db: Database
    outbox: OutboxRepository
    enrolment: Enrolment
    client: HubClient
    sender: HubSender

    @property
    def auth(self) -> PinAuthenticator:
        return PinAuthenticator(UserRepository(self.db), pepper=till_peppers(self.db))

    def sync(self) -> None:
        self.sender.cycle()
        assert self.sender.status.state == "ok", self.sender.status


@dataclass
class Shop:
    hub: HubProcess
    url: str
    tills: list[Till]

    def code(self) -> tuple[str, str]:
        out = self.hub.cli("enrol-code")
        code = re.search(r"code \(valid 24 h, once\): (\S+)", out)
        fingerprint = re.search(r"fingerprint: ([0-9a-f]{64})", out)
        assert code is not None and fingerprint is not None
        return code.group(1), fingerprint.group(1)

    def till(self, path: Path, name: str, *, keep_pepper: bool = True,
             before: Callable[[Database], None] | None = None) -> Till:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path, till_id=TILL)
        if before is not None:
            before(db)
        code, fingerprint = self.code()
        if keep_pepper:
            enrolment = enrol_till(db, TILL, self.url, code, fingerprint, name)
        else:        # a till enrolled before the hub gave out its pepper
            from pos_app.hub.client import enrol

            got = enrol(self.url, code, name, fingerprint)
            enrolment = Enrolment(got.base_url, got.till_id, got.token, got.ca_pem)
            save_enrolment(path.parent, enrolment, name)
            OutboxRepository(db).enable(TILL)
        client = HubClient(enrolment, timeout=10)
        outbox = OutboxRepository(db)
        sender = HubSender(outbox, client, local_till=TILL, hub_till=enrolment.till_id,
                           pull_every_s=0, backoff_s=(0.05,))
        sender.before_pull = ShopPepperFetch(db.path, enrolment.base_url, client.shop_pepper,
                                             pinned=enrolment.ca_pem is not None)
        till = Till(db, outbox, enrolment, client, sender)
        self.tills.append(till)
        return till

    def set_pin(self, name: str, pin: str, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "pos_app", "hub", "set-pin", name, *args,
             "--data-dir", str(self.hub.data_dir), "--config", str(self.hub.config)],
            input=pin + "\n", capture_output=True, text=True, timeout=60, check=True)
        return out.stdout + out.stderr


@pytest.fixture
def shop(tmp_path: Path, db_url: str) -> Iterator[Shop]:
    hub = HubProcess(tmp_path / "hub", db_url, port=free_port())
    shop = Shop(hub, hub.start(), [])
    yield shop
    for till in shop.tills:
        till.client.close()
        till.db.close()
    hub.stop()


def secrets_in(text: str, *secrets_: str) -> list[str]:
    return [s for s in secrets_ if s and s in text]


@pytest.mark.slow
def test_a_pin_set_at_till_a_verifies_at_till_b_through_the_hub(
        shop: Shop, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    a = shop.till(tmp_path / "a" / "pos_app.sqlite3", "Till A")
    b = shop.till(tmp_path / "b" / "pos_app.sqlite3", "Till B")
    shop_pepper = load_shop_pepper(a.db.path)
    assert shop_pepper is not None and load_shop_pepper(b.db.path) == shop_pepper
    hub_pepper = (shop.hub.data_dir / HUB_PEPPER_FILE).read_text().strip()
    assert shop_pepper.hex() == hub_pepper                  # one pepper for the shop
    assert stat.S_IMODE((a.db.path.parent / SHOP_PEPPER_FILE).stat().st_mode) == 0o600
    assert hub_pepper not in (a.db.path.parent / "hub.json").read_text()

    StaffAdmin(UserRepository(a.db), a.auth).add_user(approval(), "王芳", Role.CASHIER, PIN_A)
    hash_a = UserRepository(a.db).get_user("王芳").pin_hash  # type: ignore[union-attr]
    assert is_shop_hash(hash_a, pepper_id(shop_pepper))
    a.sync()                                     # up to the hub…
    b.sync()                                     # …and down to till B
    assert b.auth.authenticate("王芳", PIN_A).name == "王芳"
    with pytest.raises(AuthError):
        b.auth.authenticate("王芳", PIN_B)
    assert staff_rows(b.outbox) == []            # what B applied from the hub: not sent back
    a.sync()
    version = a.outbox.master_version()
    assert version == b.outbox.master_version() >= 1

    # the hub's admin sets a PIN (shop pepper at the hub): both tills take it
    out = shop.set_pin("王芳", PIN_HUB)
    assert PIN_HUB not in out and "PIN set for 王芳" in out
    listing = shop.hub.cli("staff")
    assert "王芳  cashier  active  PIN set" in listing and "scrypt" not in listing
    a.sync()
    b.sync()
    for till in (a, b):
        assert till.auth.authenticate("王芳", PIN_HUB).name == "王芳"
        with pytest.raises(AuthError):
            till.auth.authenticate("王芳", PIN_A)
    # a staff member added at B reaches A with one new version
    hub_version = b.outbox.master_version()
    users_b = UserRepository(b.db)
    users_b.add_user("李四", Role.MANAGER, hash_pin_shop(PIN_B, shop_pepper))
    b.sync()
    a.sync()
    assert a.auth.authenticate("李四", PIN_B).role is Role.MANAGER
    assert a.outbox.master_version() == hub_version + 1

    hashes = [u.pin_hash for t in (a, b) for u in UserRepository(t.db).list_users()]
    leaked = [secrets_in(r.getMessage() + str(r.args), PIN_A, PIN_B, PIN_HUB, hub_pepper,
                         *hashes) for r in caplog.records]
    assert not any(leaked), leaked
    assert not secrets_in(shop.hub.log.read_text(), PIN_A, PIN_B, PIN_HUB, hub_pepper, *hashes)


@pytest.mark.slow
def test_a_till_enrolled_before_keeps_working_and_moves_to_the_shop_pepper(
        shop: Shop, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    def old_staff(db: Database) -> None:     # PINs hashed with this till's own pepper
        UserRepository(db).add_user("王芳", Role.CASHIER, hash_pin(PIN_A, pepper=load_pepper(db.path)))
        UserRepository(db).add_user("老赵", Role.CASHIER, hash_pin(PIN_B))   # older still

    old = shop.till(tmp_path / "old" / "pos_app.sqlite3", "Old till", keep_pepper=False,
                    before=old_staff)
    assert load_shop_pepper(old.db.path) is None
    assert old.auth.authenticate("王芳", PIN_A).name == "王芳"      # works as before
    assert old.outbox.pending(10) == []                            # nothing to send
    old.sync()                                  # the sender fetches the shop's pepper
    shop_pepper = load_shop_pepper(old.db.path)
    assert shop_pepper is not None
    users = UserRepository(old.db)
    assert not is_shop_hash(users.get_user("王芳").pin_hash)          # type: ignore[union-attr]
    old.auth.authenticate("王芳", PIN_A)          # the next right PIN: to the shop pepper
    old.auth.authenticate("老赵", PIN_B)
    assert all(is_shop_hash(u.pin_hash, pepper_id(shop_pepper)) for u in users.list_users())
    old.sync()                                    # …which goes up to the hub
    new = shop.till(tmp_path / "new" / "pos_app.sqlite3", "New till")
    new.sync()
    assert new.auth.authenticate("王芳", PIN_A).name == "王芳"
    assert new.auth.authenticate("老赵", PIN_B).name == "老赵"
    assert not any(secrets_in(r.getMessage(), PIN_A, PIN_B, shop_pepper.hex())
                   for r in caplog.records)


def test_a_till_takes_the_pepper_over_https_only_and_checks_its_id(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    db_path = tmp_path / "pos_app.sqlite3"
    good = ShopPepper(os.urandom(32))
    asked: list[str] = []

    def answer(doc: dict[str, Any]) -> Callable[[], dict[str, Any]]:
        return lambda: asked.append("asked") or doc          # type: ignore[func-returns-value]

    ShopPepperFetch(db_path, "http://hub.lan:8470", answer(good.wire()))()
    ShopPepperFetch(db_path, "https://hub.lan:8470", answer(good.wire()), pinned=False)()
    assert asked == [] and load_shop_pepper(db_path) is None   # plain HTTP, no pinned CA: never
    ShopPepperFetch(db_path, "https://hub.lan:8470", answer({**good.wire(),
                                                             "pepper_id": "0" * 16}))()
    assert asked == ["asked"] and load_shop_pepper(db_path) is None   # mixed up: refused
    ShopPepperFetch(db_path, "https://hub.lan:8470", answer(good.wire()))()
    assert load_shop_pepper(db_path) == good.value
    ShopPepperFetch(db_path, "https://hub.lan:8470", answer(good.wire()))()
    assert asked == ["asked", "asked"]                             # held: not asked again
    assert good.value.hex() not in caplog.text


def test_staff_sent_as_master_data_carry_a_hash_never_a_pin(store: HubStore) -> None:
    with TestClient(create_app(store)) as client:
        doc = client.post("/v1/enrol", json={"code": store.create_enrol_code(), "name": "A"}).json()
        auth = {"Authorization": f"PosTill {doc['till_id']}:{doc['token']}"}
        change = {"kind": "staff", "key": "王芳", "data": {
            "user_id": "王芳", "name": "王芳", "role": "cashier", "pin_hash": PIN_A, "active": True}}
        refused = client.post("/v1/master", headers=auth, json={"changes": [change]})
        assert refused.status_code == 400 and PIN_A not in refused.text
        change["data"]["pin_hash"] = hash_pin(PIN_A)              # type: ignore[index]
        assert client.post("/v1/master", headers=auth, json={"changes": [change]}).status_code == 200
    assert store.master_since(0)[0] == 1


def test_hub_set_pin_checks_the_pin_and_the_tls(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    import io

    from pos_app.hub.db import make_engine
    from pos_app.hub.server import main

    caplog.set_level(logging.DEBUG)
    data = tmp_path / "hub"
    data.mkdir()

    def set_pin(pin: str, *args: str, tls: bool = True) -> int:
        config = tmp_path / f"hub-{tls}.toml"
        config.write_text(f'[hub]\ndatabase_url = "{db_url}"\ntls = {str(tls).lower()}\n')
        monkeypatch.setattr(sys, "stdin", io.StringIO(pin + "\n"))
        return main(["set-pin", *args, "--data-dir", str(data), "--config", str(config)])

    assert set_pin(PIN_HUB, "王芳", "--role", "cashier", tls=False) == 2   # no TLS, no pepper
    assert set_pin("34567", "王芳", "--role", "cashier") == 2              # a run: refused
    assert set_pin(PIN_HUB, "王芳") == 1                                   # who? (no --role)
    assert set_pin(PIN_HUB, "王芳", "--role", "cashier") == 0
    out = capsys.readouterr()
    assert PIN_HUB not in out.out + out.err and "34567" not in out.out + out.err
    store = HubStore(make_engine(db_url))
    try:
        [member] = store.staff()
        shop = hub_shop_pepper(data)
        assert member["role"] == "cashier" and is_shop_hash(member["pin_hash"], shop.id)
        from pos_app.domain.pin_hash import verify_pin

        assert verify_pin(PIN_HUB, member["pin_hash"], Peppers(shop=shop.value))
        assert store.master_since(0)[0] == 1
    finally:
        store.engine.dispose()
    assert PIN_HUB not in caplog.text and shop.value.hex() not in caplog.text
