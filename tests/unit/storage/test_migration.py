"""Schema v1 → v2: a v1 shop database keeps its sales, refunds and their facts."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from pos_app.domain.payment import AttemptState
from pos_app.domain.refund import RefundState
from pos_app.storage.db import Database
from pos_app.storage.migrate import _split, migrations, schema_version
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository
from pos_app.storage.refunds import RefundRepository
from pos_app.storage.shifts import ShiftRepository

T = "2026-11-22T02:00:00.000000+00:00"
PAID_AT = "2026-11-21T02:03:00.000000+00:00"


def _v1_database(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for statement in _split(migrations()[0][1]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    ex = conn.execute
    ex("INSERT INTO shifts (id, opened_by, float_fen, opened_at) VALUES (1, 'amy', 1000, ?)", (T,))
    for oid in (1, 2):
        ex("INSERT INTO orders (id, cashier, status, subtotal_fen, total_fen, paid_attempt_id,"
           " created_at, updated_at) VALUES (?, 'amy', 'partially_refunded', 900, 900, ?, ?, ?)",
           (oid, oid, T, T))
        ex("INSERT INTO order_lines (order_id, line_no, sku, name, unit_price_fen, quantity,"
           " net_fen) VALUES (?, 1, 'A', '可乐', 300, 3, 900)", (oid,))
        ex("INSERT INTO payment_attempts (id, order_id, method, out_trade_no, amount_fen, state,"
           " created_at, updated_at) VALUES (?, ?, 'native', ?, 900, 'paid', ?, ?)",
           (oid, oid, f"P{oid:08d}", T, T))
        ex("INSERT INTO attempt_events (attempt_id, at, from_state, to_state) VALUES"
           " (?, ?, 'created', 'paid')", (oid, T))
    # attempt 2 was repaired by reconciliation: booked at WeChat Pay's time
    ex("INSERT INTO audit_log (who, what, at, detail) VALUES ('reconcile',"
       " 'reconcile.paid_at:2', ?, ?)", (T, json.dumps({"paid_at": PAID_AT})))
    ex("INSERT INTO refunds (id, order_id, attempt_id, out_refund_no, amount_fen, reason,"
       " status, manager, refund_id, created_at, updated_at) VALUES (1, 1, 1, 'RF1', 300,"
       " '退货', 'ABNORMAL', 'boss', '5030', ?, ?)", (T, T))
    ex("INSERT INTO audit_log (who, what, at, detail) VALUES ('amy', 'refund.intent:RF1', ?,"
       " ?)", (T, json.dumps({"method": "native", "lines": [[1, 1]], "amount": 300})))
    # an entry written by v1's unused AuditLog helper: plain text, not JSON
    ex("INSERT INTO audit_log (who, what, at, detail) VALUES ('amy', 'refund.intent:RF1', ?,"
       " 'order 1')", (T,))
    ex("INSERT INTO audit_log (who, what, at, detail) VALUES ('x', 'reconcile.paid_at:1', ?,"
       " 'not json')", (T,))
    conn.execute("COMMIT")
    conn.close()


def test_v1_database_migrates_with_its_facts(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    _v1_database(path)
    db = Database(path, till_id="07")            # the configured till owns the old rows
    try:
        assert schema_version(db.connection()) == len(migrations())
        orders = OrderRepository(db, till_id="07")
        assert orders.get(1).till_id == "07"  # type: ignore[union-attr]
        attempts = PaymentAttemptRepository(db, till_id="07")
        assert attempts.get(1).paid_at == datetime.fromisoformat(T)  # type: ignore[union-attr]
        assert attempts.get(2).paid_at == datetime.fromisoformat(PAID_AT)  # type: ignore[union-attr]
        assert attempts.get(2).state is AttemptState.PAID  # type: ignore[union-attr]
        [refund] = RefundRepository(db).for_order(1)
        assert (refund.state, refund.requested_by, refund.approved_by, refund.lines,
                refund.wechat_refund_id, refund.till_id) == (
            RefundState.ABNORMAL, "amy", "boss", ((1, 1),), "5030", "07")
        assert RefundRepository(db).refunded_total(1) == 300     # ABNORMAL counts
        assert [e.to_state for e in RefundRepository(db).events(1)] == [RefundState.ABNORMAL]
        shift = ShiftRepository(db, till_id="07").current()
        assert shift is not None and shift.till_id == "07"
        assert ShiftRepository(db, till_id="01").current() is None
        day = attempts.paid_between(datetime(2026, 11, 21, tzinfo=UTC),
                                    datetime(2026, 11, 22, tzinfo=UTC))
        assert [p.attempt_id for p in day] == [2]
    finally:
        db.close()
