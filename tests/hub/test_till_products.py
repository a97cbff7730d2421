"""Products edited at a till go up to the hub and down to the other tills (issue 14), on the
hub's SQLite and PostgreSQL back ends: real till databases (migration 0009_product_outbox's
triggers), the real sender, the hub's real HTTP handlers (in-process client).

Echo guard both sides: a product a till wrote by applying the hub's master data is not sent
back up; the hub adds no master version for an edit identical to what it holds."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.hub.app import create_app
from pos_app.hub.client import HubRefused
from pos_app.hub.protocol import OutboxRow
from pos_app.hub.sender import HubSender
from pos_app.hub.store import HubStore
from pos_app.payments.till import TillService
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.outbox import OutboxRepository
from tests.hub.till_fixtures import TILL, make_till

COLA = Product("COLA", "可口可乐 330ml", Fen(300), "6901234567011")


class InProcessHub:
    """:class:`pos_app.hub.client.HubClient`'s calls on the hub's real routes (no socket)."""

    def __init__(self, http: TestClient, till_id: str, token: str) -> None:
        self.http = http
        self.till_id = till_id
        self.auth = {"Authorization": f"PosTill {till_id}:{token}"}

    def _check(self, response: Any) -> dict[str, Any]:
        doc: dict[str, Any] = response.json()
        if response.status_code != 200:
            raise HubRefused(response.status_code, str(doc.get("error")), str(doc.get("detail")))
        return doc

    def upload(self, rows: Sequence[OutboxRow], backlog: int = 0) -> int:
        body = {"protocol": 1, "backlog": backlog, "rows": [
            {"seq": r.seq, "kind": r.kind, "committed_at": r.committed_at, "payload": r.payload}
            for r in rows]}
        return int(self._check(self.http.post("/v1/outbox", headers=self.auth,
                                              content=json.dumps(body)))["high_seq"])

    def master_since(self, since: int) -> dict[str, Any]:
        return self._check(self.http.get("/v1/master", params={"since": since},
                                         headers=self.auth))

    def flags_since(self, since: int) -> dict[str, Any]:
        return self._check(self.http.get("/v1/flags", params={"since": since},
                                         headers=self.auth))


@dataclass
class TillAtHub:
    till: TillService
    outbox: OutboxRepository
    products: ProductRepository
    client: InProcessHub
    sender: HubSender

    def sync(self) -> None:
        """One sender cycle: upload everything, then pull master data."""
        assert self.sender.cycle() == self.sender.interval_s, self.sender.status
        assert self.sender.status.state == "ok"

    def unsent_kinds(self) -> list[str]:
        return [e.kind for e in self.outbox.pending(1000)]


@pytest.fixture
def hub(store: HubStore) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as http:
        yield http


@pytest.fixture
def tills(tmp_path: Path, store: HubStore, hub: TestClient) -> Iterator[Any]:
    made: list[TillAtHub] = []

    def make(name: str, *, products: Sequence[Product] = (), enrol: bool = True) -> TillAtHub:
        till, outbox = make_till(tmp_path / f"{name}.sqlite3", enabled=False)
        repo = ProductRepository(till.db)
        for p in products:                      # on sale before the till is enrolled
            assert repo.save(p, new=True) == []
        response = hub.post("/v1/enrol", json={"code": store.create_enrol_code(), "name": name})
        doc = response.json()
        client = InProcessHub(hub, doc["till_id"], doc["token"])
        if enrol:
            outbox.enable(TILL)
        sender = HubSender(outbox, client, local_till=TILL, hub_till=doc["till_id"],
                           pull_every_s=0, backoff_s=(0.01,))
        t = TillAtHub(till, outbox, repo, client, sender)
        made.append(t)
        return t

    yield make
    for t in made:
        t.till.shutdown()
        t.till.db.close()


def master_products(store: HubStore) -> list[dict[str, Any]]:
    return [c for c in store.master_since(0)[1] if c["kind"] == "product"]


def test_an_edit_at_till_a_reaches_till_b_via_the_hub(store: HubStore, tills: Any) -> None:
    a, b = tills("A"), tills("B")
    assert a.products.save(COLA, new=True) == []
    assert a.products.save(Product("COLA", "可口可乐 330ml", Fen(350), "6901234567011"),
                           new=False) == []
    assert a.unsent_kinds() == ["product", "product"]
    a.sync()
    version, _ = store.master_since(0)
    assert [(c["key"], c["data"]["price_fen"]) for c in master_products(store)] == [
        ("COLA", 300), ("COLA", 350)]
    b.sync()
    got = b.products.by_sku("COLA")
    assert got is not None and got.price == 350 and got.barcode == "6901234567011"
    assert got.name == "可口可乐 330ml"
    assert b.outbox.master_version() == version
    # B edits it back (last writer in ingest order wins); A gets it
    assert b.products.save(Product("COLA", "可乐", Fen(320), "6901234567011"), new=False) == []
    b.sync()
    a.sync()
    got = a.products.by_sku("COLA")
    assert got is not None and (got.name, got.price) == ("可乐", 320)


def test_what_a_till_applied_from_the_hub_is_not_sent_back(store: HubStore, tills: Any) -> None:
    a, b = tills("A"), tills("B")
    assert a.products.save(COLA, new=True) == []
    a.sync()
    version = store.master_since(0)[0]
    b.sync()                                    # B applies COLA from the hub's master data
    assert b.products.by_sku("COLA") is not None
    assert b.unsent_kinds() == [] and b.outbox.state().unsent == 0
    assert a.unsent_kinds() == []               # A applied its own edit back: no echo
    for t in (a, b):
        t.sync()
    assert store.master_since(0)[0] == version  # nothing went round again
    assert len(master_products(store)) == 1


def test_an_edit_identical_to_the_hubs_adds_no_version(store: HubStore, tills: Any) -> None:
    a, b = tills("A"), tills("B")
    assert a.products.save(COLA, new=True) == []
    a.sync()
    b.sync()
    dearer = Product("COLA", "可口可乐 330ml", Fen(350), "6901234567011")
    for t in (a, b):                            # both tills make the same edit
        assert t.products.save(dearer, new=False) == []
    a.sync()
    version = store.master_since(0)[0]
    assert b.unsent_kinds() == ["product"]
    b.sync()
    assert store.master_since(0)[0] == version  # the hub had it just so: no new version
    assert [c["data"]["price_fen"] for c in master_products(store)] == [300, 350]


def test_a_till_enrolling_with_an_older_product_gets_the_hubs(store: HubStore, tills: Any) -> None:
    """What a till had before it enrolled fills in only what the hub lacks: a stale price
    typed in at a new till does not overwrite the store's."""
    a = tills("A")
    assert a.products.save(COLA, new=True) == []
    a.sync()
    version = store.master_since(0)[0]
    stale = Product("COLA", "可乐(旧)", Fen(250), "6901234567011")
    b = tills("B", products=[stale, Product("TEA", "绿茶", Fen(400))])
    assert b.unsent_kinds() == ["product", "product"]
    b.sync()
    assert [(c["key"], c["data"]["price_fen"]) for c in master_products(store)] == [
        ("COLA", 300), ("TEA", 400)]            # TEA filled in, COLA kept
    assert store.master_since(0)[0] == version + 1
    got = b.products.by_sku("COLA")
    assert got is not None and (got.name, got.price) == ("可口可乐 330ml", 300)
    assert b.unsent_kinds() == []               # the hub's version applied: not sent back
    a.sync()
    assert a.products.by_sku("TEA") is not None


def test_a_product_taken_off_sale_at_a_till_is_a_deletion_at_the_hub(
        store: HubStore, tills: Any) -> None:
    a, b = tills("A"), tills("B")
    assert a.products.save(COLA, new=True) == []
    a.sync()
    b.sync()
    with a.till.db.transaction() as conn:
        conn.execute("UPDATE products SET active = 0 WHERE sku = 'COLA'")
    a.sync()
    assert master_products(store)[-1]["data"] is None
    b.sync()
    cola = b.products.by_sku("COLA")                  # off sale at B too (kept: history)
    assert cola is not None and not cola.active
    assert b.unsent_kinds() == []


def test_products_on_sale_before_enrolment_arrive_once(store: HubStore, tills: Any) -> None:
    tea = Product("TEA", "绿茶 500ml", Fen(400))
    a = tills("A", products=[COLA, tea], enrol=False)
    assert a.outbox.enable(TILL) == 2           # the two products (no sales yet)
    assert a.outbox.enable(TILL) == 0           # enrolling again queues nothing
    a.sync()
    a.outbox.disable()                          # left the hub and came back: re-sent,
    a.outbox.enable(TILL)                       # but the hub adds nothing
    a.sync()
    got = sorted((c["key"], c["data"]["price_fen"], c["data"]["barcode"])
                 for c in master_products(store))
    assert got == [("COLA", 300, "6901234567011"), ("TEA", 400, None)]
    b = tills("B")
    b.sync()
    assert {p.sku for p in b.products.all()} >= {"COLA", "TEA"}


GOOD = {"sku": "COLA", "name": "可乐", "price_fen": 300, "barcode": None, "active": True,
        "at_enrolment": False}


@pytest.mark.parametrize("bad", [
    {"price_fen": -1},
    {"price_fen": 3.5},
    {"price_fen": "300"},
    {"price_fen": True},
    {"barcode": 6901234567011},
    {"barcode": ""},
    {"sku": ""},
    {"sku": " COLA"},
    {"name": ""},
    {"active": 1},
    {"at_enrolment": None},
    {"colour": "red"},
    {"price_fen": None},
])
def test_malformed_product_rows_are_refused_with_nothing_written(
        store: HubStore, tills: Any, bad: dict[str, Any]) -> None:
    a = tills("A")
    before = store.master_since(0)[0]
    payload = {**GOOD, **bad}
    good_row = OutboxRow(1, "product", "2026-12-02T10:00:00+00:00", {**GOOD, "sku": "TEA"})
    bad_row = OutboxRow(2, "product", "2026-12-02T10:00:00+00:00", payload)
    with pytest.raises(HubRefused) as refused:
        a.client.upload([good_row, bad_row])
    assert (refused.value.status, refused.value.code) == (400, "malformed")
    assert store.outbox_count() == 0 and store.master_since(0)[0] == before


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_a_product_row_missing_a_field_is_refused(
        store: HubStore, tills: Any, missing: str) -> None:
    a = tills("A")
    payload = {k: v for k, v in GOOD.items() if k != missing}
    with pytest.raises(HubRefused) as refused:
        a.client.upload([OutboxRow(1, "product", "2026-12-02T10:00:00+00:00", payload)])
    assert refused.value.code == "malformed"
    assert store.outbox_count() == 0 and master_products(store) == []


def test_a_till_enrolled_before_the_upgrade_sends_its_products_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Migration 0009 queues the products on sale of a till already enrolled (once: a
    migration runs once); an unenrolled till queues nothing until its enrolment."""
    import sqlite3

    from pos_app.storage import migrate as m
    from pos_app.storage.db import Database

    steps = m.migrations()
    for enrolled in (True, False):
        path = tmp_path / f"old_{enrolled}.sqlite3"
        conn = sqlite3.connect(path, isolation_level=None)
        monkeypatch.setattr(m, "migrations", lambda: steps[:8])
        assert m.migrate(conn, till_id=TILL) == 8
        conn.execute("INSERT INTO products (sku, name, price_fen) VALUES"
                     " ('COLA', '可乐', 300), ('OLD', '旧货', 100)")
        conn.execute("UPDATE products SET active = 0 WHERE sku = 'OLD'")
        conn.execute("UPDATE outbox_state SET enabled = ?", (int(enrolled),))
        monkeypatch.undo()
        assert m.migrate(conn, till_id=TILL) == len(steps)
        assert m.migrate(conn, till_id=TILL) == len(steps)     # nothing runs twice
        conn.close()
        db = Database(path, till_id=TILL)
        outbox = OutboxRepository(db)
        queued = [(e.kind, e.payload["sku"], e.payload["active"], e.payload["at_enrolment"])
                  for e in outbox.pending(10)]
        assert queued == ([("product", "COLA", True, True)] if enrolled else [])
        assert outbox.state().last_seq == len(queued)
        db.close()
