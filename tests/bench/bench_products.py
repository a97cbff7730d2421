"""Products going up to the hub (issue 14), a script, not a timed test.

Run: ``.venv/bin/python -m tests.bench.bench_products [--n 5000] [--db-url URL]``
(default: the hub on embedded SQLite in a temp dir; ``--db-url`` e.g. a PostgreSQL URL).

Prints, for a till enrolling with N products on sale:
* enrolment snapshot: time to queue the N product rows at the till (one transaction),
* hub ingest of that snapshot (batches of 500, through the protocol's parser): products/s,
* a second till enrolling with the same N products (the hub holds them: no new version),
* N price edits at one till, uploaded: products/s at the hub (each a new master version).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.hub.db import make_engine, migrate, sqlite_url
from pos_app.hub.protocol import parse_batch
from pos_app.hub.store import HubStore
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database
from pos_app.storage.outbox import OutboxRepository


def upload_all(store: HubStore, till_id: str, outbox: OutboxRepository) -> float:
    start = time.perf_counter()
    while batch := outbox.pending(500):
        doc = json.loads(json.dumps({"protocol": 1, "backlog": 0, "rows": [
            {"seq": e.seq, "kind": e.kind, "committed_at": e.committed_at, "payload": e.payload}
            for e in batch]}))
        outbox.acknowledge(store.ingest(till_id, parse_batch(doc)))
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--db-url", default="")
    args = ap.parse_args()
    n = args.n
    tmp = Path(tempfile.mkdtemp(prefix="bench_products_"))
    engine = make_engine(args.db_url or sqlite_url(tmp / "hub"))
    migrate(engine)
    store = HubStore(engine)
    products = [Product(f"SKU{i:06d}", f"商品 {i}", Fen(100 + i), f"69{i:011d}")
                for i in range(n)]
    tills = []
    for name in ("A", "B"):
        db = Database(tmp / f"{name}.sqlite3", till_id="01")
        assert ProductRepository(db).import_products(products) == []
        hub_id, _ = store.enrol(store.create_enrol_code(), name)
        tills.append((db, OutboxRepository(db), hub_id))
    print(f"{n} products, hub on {engine.dialect.name}")
    for label, (_db, outbox, hub_id) in zip(("first till", "second till"), tills, strict=True):
        t0 = time.perf_counter()
        queued = outbox.enable("01")
        queue_s = time.perf_counter() - t0
        v0 = store.master_since(0)[0]
        ingest_s = upload_all(store, hub_id, outbox)
        v1 = store.master_since(0)[0]
        print(f"  {label} enrols: queued {queued} rows in {queue_s * 1000:.0f} ms; hub ingest "
              f"{ingest_s:.2f} s = {queued / ingest_s:.0f} products/s; "
              f"master versions added {v1 - v0}")
    db, outbox, hub_id = tills[0]
    repo = ProductRepository(db)
    t0 = time.perf_counter()
    for p in products:
        repo.save(Product(p.sku, p.name, Fen(p.price + 1), p.barcode), new=False)
    edit_s = time.perf_counter() - t0
    v0 = store.master_since(0)[0]
    ingest_s = upload_all(store, hub_id, outbox)
    v1 = store.master_since(0)[0]
    print(f"  {n} price edits at the till: {edit_s:.2f} s ({n / edit_s:.0f}/s, one transaction "
          f"each); hub ingest {ingest_s:.2f} s = {n / ingest_s:.0f} products/s; "
          f"versions added {v1 - v0}")
    for db, _o, _h in tills:
        db.close()
    engine.dispose()


if __name__ == "__main__":
    main()
