"""Merchant-wide reconciliation: one bill against every till's paid attempts."""

from __future__ import annotations

from pos_app.hub.protocol import Batch
from pos_app.hub.reconcile import BillRow, reconcile
from pos_app.hub.store import HubStore
from tests.hub.rows import TillRows
from tests.hub.test_store_ingest import enrolled


def test_two_tills_against_one_bill(store: HubStore) -> None:
    a, b = enrolled(store, "A"), enrolled(store, "B")
    store.ingest(a, Batch(0, tuple(TillRows(a).sale("A1", 100))))
    rows_b = TillRows(b)
    store.ingest(b, Batch(0, tuple(rows_b.sale("B1", 200) + rows_b.sale("B2", 300)
                                   + rows_b.sale("B3", 50, method="cash"))))
    bill = [BillRow("NA1", 100), BillRow("NB1", 200), BillRow("NB1", 200),
            BillRow("NB2", 301), BillRow("NX9", 999)]
    result = reconcile(bill, store.paid_attempts("2026-12-02"))
    # with one till's view, NB1 would be "missing locally": the hub sees every till
    assert result.matched == ["NA1", "NB1"]
    assert result.amount_differs == ["NB2"]
    assert result.missing_locally == ["NX9"]
    assert result.missing_at_channel == []
    assert not result.clean
    store.save_reconciliation("2026-12-02", result.to_json())
    [saved] = store.reconciliations()
    assert saved["bill_date"] == "2026-12-02" and saved["matched"] == 2
    late = reconcile([BillRow("NA1", 100)], store.paid_attempts())
    assert late.missing_at_channel == ["NB1", "NB2"]
