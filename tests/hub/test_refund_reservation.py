"""Cross-till refunds: the hub reserves refundable money per order in one transaction."""

from __future__ import annotations

import threading

import pytest

from pos_app.hub.protocol import Batch, ProtocolError
from pos_app.hub.store import HubStore
from tests.hub.rows import TillRows
from tests.hub.test_store_ingest import enrolled


def sold(store: HubStore, amount: int = 1000) -> str:
    till = enrolled(store)
    store.ingest(till, Batch(0, tuple(TillRows(till).sale("O1", amount))))
    return till


def test_reserve_up_to_the_paid_amount(store: HubStore) -> None:
    till = sold(store)
    other = enrolled(store, "B")
    assert store.reserve_refund(other, till, "O1", "R1", 600).remaining_fen == 400
    with pytest.raises(ProtocolError) as err:
        store.reserve_refund(till, till, "O1", "R2", 401)
    assert err.value.code == "refund_exceeds_paid"
    assert store.reserve_refund(till, till, "O1", "R2", 400).remaining_fen == 0
    # the same request again (a retry) is answered, not reserved twice
    assert store.reserve_refund(other, till, "O1", "R1", 600).reserved_fen == 600
    assert store.release_refund(other, "R1")
    assert store.reserve_refund(other, till, "O1", "R3", 600).remaining_fen == 0


def test_unknown_order_refused(store: HubStore) -> None:
    till = sold(store)
    with pytest.raises(ProtocolError) as err:
        store.reserve_refund(till, till, "NOPE", "R1", 1)
    assert err.value.code == "order_unknown"


def test_two_tills_reserving_at_once_one_wins(store: HubStore) -> None:
    till = sold(store, 1000)
    b, c = enrolled(store, "B"), enrolled(store, "C")
    for attempt in range(5):
        barrier = threading.Barrier(2)
        results: dict[str, object] = {}

        def reserve(who: str, refund_id: str, barrier: threading.Barrier,
                    results: dict[str, object]) -> None:
            barrier.wait()
            try:
                results[who] = store.reserve_refund(who, till, "O1", refund_id, 1000)
            except ProtocolError as exc:
                results[who] = exc

        threads = [threading.Thread(target=reserve, args=(w, f"R{attempt}{w}", barrier, results)) for w in (b, c)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        refused = [r for r in results.values() if isinstance(r, ProtocolError)]
        assert len(results) == 2 and len(refused) == 1, results
        assert refused[0].code == "refund_exceeds_paid"
        winner = next(w for w, r in results.items() if not isinstance(r, ProtocolError))
        assert store.release_refund(winner, f"R{attempt}{winner}")


def test_refund_made_offline_by_the_owning_till_counts(store: HubStore) -> None:
    till = enrolled(store)
    rows = TillRows(till)
    sale = rows.sale("O1", 1000)
    # the hub was down: the till refunded 700 of its own sale, synced afterwards
    refund = rows.row("refund", refund_id="R-offline", order_id="O1", order_till=till,
                      out_refund_no="RF1", amount_fen=700, state="success", cashier="Li")
    store.ingest(till, Batch(0, (*sale, refund)))
    other = enrolled(store, "B")
    with pytest.raises(ProtocolError):
        store.reserve_refund(other, till, "O1", "R2", 301)
    assert store.reserve_refund(other, till, "O1", "R2", 300).remaining_fen == 0
    # a reserved refund, once synced as a refund row, is not counted twice
    store.ingest(other, Batch(0, (TillRows(other).row(
        "refund", refund_id="R2", order_id="O1", order_till=till, out_refund_no="RF2",
        amount_fen=300, state="success", cashier="Wang"),)))
    assert store.release_refund(other, "R2")  # (say it failed after all): 300 free again
    assert store.reserve_refund(till, till, "O1", "R3", 300).remaining_fen == 0
