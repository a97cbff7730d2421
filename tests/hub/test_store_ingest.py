"""Ingest on both back ends: idempotent by (till, seq), all-or-nothing per batch."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pos_app.hub import schema as t
from pos_app.hub.protocol import Batch, OutboxRow, ProtocolError
from pos_app.hub.store import HubStore
from tests.hub.rows import TillRows


def enrolled(store: HubStore, name: str = "Till 1") -> str:
    till_id, _token = store.enrol(store.create_enrol_code(), name)
    return till_id


def batch(rows: list[OutboxRow], backlog: int = 0) -> Batch:
    return Batch(backlog, tuple(rows))


def test_ingest_then_retry_is_idempotent(store: HubStore) -> None:
    till = enrolled(store)
    rows = TillRows(till).sale("O1", 350)
    assert store.ingest(till, batch(rows)) == 5
    assert store.ingest(till, batch(rows)) == 5  # the till never got our answer: retry
    assert store.ingest(till, batch(rows[2:4])) == 5  # a partial re-send
    assert store.outbox_count(till) == 5
    assert store.takings("2026-12-02")["takings_fen"] == 350


def test_gap_refused_and_nothing_written(store: HubStore) -> None:
    till = enrolled(store)
    rows = TillRows(till).sale("O1", 350)
    store.ingest(till, batch(rows[:2]))
    with pytest.raises(ProtocolError) as err:
        store.ingest(till, batch(rows[3:]))  # seq 3 missing
    assert err.value.code == "gap"
    assert store.outbox_count(till) == 2
    assert store.tills()[0].high_seq == 2


def test_replay_with_different_content_refused_nothing_written(store: HubStore) -> None:
    till = enrolled(store)
    rows = TillRows(till).sale("O1", 350)
    store.ingest(till, batch(rows[:3]))
    # an older backup of the till re-sends seq 3 with other content, plus new rows
    forged = OutboxRow(3, "payment_attempt", rows[2].committed_at,
                       {**rows[2].payload, "amount_fen": 1})
    with pytest.raises(ProtocolError) as err:
        store.ingest(till, batch([forged, *rows[3:]]))
    assert err.value.code == "replay_conflict"
    assert store.outbox_count(till) == 3
    with store.engine.begin() as conn:
        amount = conn.execute(select(t.payments.c.amount_fen)).scalar_one()
    assert amount == 350


def test_tills_have_their_own_sequences(store: HubStore) -> None:
    a, b = enrolled(store, "A"), enrolled(store, "B")
    assert store.ingest(a, batch(TillRows(a).sale("O1", 100))) == 5
    assert store.ingest(b, batch(TillRows(b).sale("O1", 200))) == 5  # same order id, other till
    report = store.takings("2026-12-02")
    assert report["takings_fen"] == 300
    assert sorted(x["amount_fen"] for x in report["by_till"]) == [100, 200]


def test_revoked_till_cannot_ingest(store: HubStore) -> None:
    till = enrolled(store)
    store.revoke(till)
    with pytest.raises(ProtocolError) as err:
        store.ingest(till, batch(TillRows(till).sale("O1", 100)))
    assert err.value.status == 401
    assert store.outbox_count() == 0


def test_clock_skew_orders_by_seq_reports_by_committed_at(store: HubStore) -> None:
    till = enrolled(store)
    rows = TillRows(till, committed_at="2026-12-02T11:00:00+08:00").sale("O1", 100)
    # the till's clock jumps back an hour between the attempt and its 'paid' event
    skewed = [OutboxRow(r.seq, r.kind, "2026-12-02T10:00:00+08:00", r.payload) if r.seq >= 4
              else r for r in rows]
    store.ingest(till, batch(skewed))
    with store.engine.begin() as conn:
        state = conn.execute(select(t.payments.c.state)).scalar_one()
    assert state == "paid"  # the later seq wins, whatever its clock said
    assert store.takings("2026-12-02")["by_hour"] == {10: 100}
    # a UTC clock on another till lands in the same shop-local day and hour
    other = enrolled(store, "B")
    store.ingest(other, batch(TillRows(other, "2026-12-02T02:30:00+00:00").sale("O2", 50)))
    assert store.takings("2026-12-02")["by_hour"] == {10: 150}


def test_reports_by_product_cashier_and_day(store: HubStore) -> None:
    till = enrolled(store)
    rows = TillRows(till)
    batch_rows = (rows.sale("O1", 300, sku="A", name="Apple", cashier="Li")
                  + rows.sale("O2", 200, sku="B", name="Bread", cashier="Wang")
                  + rows.sale("O3", 999, sku="C", name="Cake", cashier="Li",
                              order_status="cancelled", attempt_state="closed"))
    store.ingest(till, batch(batch_rows))
    report = store.takings("2026-12-02")
    assert report["takings_fen"] == 500
    assert [(p["sku"], p["amount_fen"]) for p in report["by_product"]] == [("A", 300), ("B", 200)]
    assert {c["cashier"]: c["amount_fen"] for c in report["by_cashier"]} == {"Li": 300, "Wang": 200}
    assert store.days("2026-12-01", "2026-12-31") == [("2026-12-02", 500)]


def test_master_data_versions(store: HubStore) -> None:
    till = enrolled(store)
    v1 = store.put_master([("product", "A", {"sku": "A", "name": "Apple", "price_fen": 300,
                                             "barcode": None})], till)
    v2 = store.put_master([("product", "A", {"sku": "A", "name": "Apple", "price_fen": 320,
                                             "barcode": None}),
                           ("setting", "shop_name", {"value": "小店"})], "admin")
    assert (v1, v2) == (1, 3)
    version, changes = store.master_since(1)
    assert version == 3
    assert [(c["version"], c["key"]) for c in changes] == [(2, "A"), (3, "shop_name")]
    assert changes[0]["data"]["price_fen"] == 320
    assert store.master_since(3) == (3, [])


def test_hub_down_for_a_day_two_tills_catch_up_exactly_once(store: HubStore) -> None:
    a, b = enrolled(store, "A"), enrolled(store, "B")
    backlog = {}
    for till in (a, b):
        maker = TillRows(till, committed_at="2026-12-01T09:00:00+08:00")
        backlog[till] = [r for i in range(300) for r in maker.sale(f"O{i}", 100)]
    # the hub comes back: both tills send 1,000-row batches, interleaved; one answer is lost
    # so that till re-sends its last batch before going on
    for start in range(0, 1500, 1000):
        for till in (a, b):
            chunk = backlog[till][start:start + 1000]
            store.ingest(till, batch(chunk, backlog=1500 - start - len(chunk)))
            if till == b and start == 0:
                store.ingest(till, batch(chunk))
    assert store.outbox_count(a) == store.outbox_count(b) == 1500
    assert [t.backlog for t in store.tills()] == [0, 0]
    assert store.takings("2026-12-01")["takings_fen"] == 2 * 300 * 100
