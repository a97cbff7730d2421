"""The till's transactional outbox: one row per committed change, in the change's transaction,
gapless seq, every row valid under the wire protocol."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.money import Fen
from pos_app.hub.protocol import parse_row
from pos_app.payments.till import TillService
from pos_app.storage.errors import ConflictError
from pos_app.storage.outbox import OutboxRepository
from tests.hub.till_fixtures import cart, cash_sale, make_till, open_shift

Till = tuple[TillService, OutboxRepository]


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    t, outbox = make_till(tmp_path / "till.sqlite3")
    yield t, outbox
    t.shutdown()
    t.db.close()


def rows_as_wire(outbox: OutboxRepository) -> list[dict[str, object]]:
    return [{"seq": e.seq, "kind": e.kind, "committed_at": e.committed_at, "payload": e.payload}
            for e in outbox.pending(10_000)]


def test_a_cash_sale_queues_its_rows_in_order_and_every_row_is_valid(till: Till) -> None:
    t, outbox = till
    open_shift(t)
    order = cash_sale(t, 300)
    wire = rows_as_wire(outbox)
    parsed = [parse_row(i, r) for i, r in enumerate(wire)]
    assert [r.seq for r in parsed] == list(range(1, len(parsed) + 1))
    kinds = [r.kind for r in parsed]
    assert kinds[:3] == ["shift", "order", "order_line"]
    assert "payment_attempt" in kinds and "attempt_event" in kinds
    last_order = [r for r in parsed if r.kind == "order"][-1].payload
    assert last_order == {"order_id": str(order), "status": "paid", "total_fen": 600,
                          "cashier": "王芳", "shift_id": "1"}
    line = next(r for r in parsed if r.kind == "order_line").payload
    assert (line["qty"], line["unit_price_fen"], line["amount_fen"]) == (2, 300, 600)
    attempt = next(r for r in parsed if r.kind == "payment_attempt").payload
    assert (attempt["method"], attempt["amount_fen"]) == ("cash", 600)
    assert outbox.state().unsent == len(parsed)


def test_local_states_are_spoken_in_the_protocols_words(till: Till) -> None:
    t, outbox = till
    order = t.create_order(cart(), cashier="amy")
    t.void_order(order)
    orders = [e.payload for e in outbox.pending(100) if e.kind == "order"]
    assert [o["status"] for o in orders] == ["open", "cancelled"]
    for i, r in enumerate(rows_as_wire(outbox)):
        parse_row(i, r)


def test_a_rolled_back_change_leaves_no_row_and_no_hole(till: Till) -> None:
    t, outbox = till
    cash_sale(t)
    before = outbox.state()
    with pytest.raises(RuntimeError), t.db.transaction() as conn:
        conn.execute("UPDATE orders SET status = 'voided' WHERE id = 1")
        raise RuntimeError("crash before commit")
    assert outbox.state() == before
    t.create_order(cart(), cashier="amy")
    seqs = [e.seq for e in outbox.pending(100)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_change_committed_by_a_process_that_dies_has_its_row(tmp_path: Path) -> None:
    t, outbox = make_till(tmp_path / "till.sqlite3")
    cash_sale(t)
    n = outbox.state().last_seq
    raw = sqlite3.connect(tmp_path / "till.sqlite3")   # another writer, committing directly
    raw.execute("UPDATE orders SET status = 'voided' WHERE id = 1")
    raw.commit()
    raw.close()
    assert outbox.state().last_seq == n + 1
    assert outbox.pending(100)[-1].payload["status"] == "cancelled"
    t.shutdown()
    t.db.close()


def test_nothing_is_recorded_before_enrolment_and_enrolment_queues_the_history(
        tmp_path: Path) -> None:
    t, outbox = make_till(tmp_path / "till.sqlite3", enabled=False)
    open_shift(t)
    cash_sale(t)
    assert outbox.state().last_seq == 0 and outbox.pending(10) == []
    queued = outbox.enable("01")
    kinds = [e.kind for e in outbox.pending(100)]
    assert kinds == ["shift", "order", "order_line", "payment_attempt"] and queued == 4
    for i, r in enumerate(rows_as_wire(outbox)):
        parse_row(i, r)
    cash_sale(t)                                    # from now on every change is recorded
    assert outbox.state().last_seq > 4
    t.shutdown()
    t.db.close()


def test_acknowledged_rows_go_and_only_those(till: Till) -> None:
    t, outbox = till
    cash_sale(t)
    n = outbox.state().last_seq
    assert outbox.acknowledge(2) == 2
    assert [e.seq for e in outbox.pending(100)] == list(range(3, n + 1))
    assert outbox.acknowledge(1) == 0                      # an older answer changes nothing
    with pytest.raises(ConflictError):                     # the hub claims more than we wrote
        outbox.acknowledge(n + 5)
    assert outbox.state().acked_seq == 2
    with pytest.raises(Exception, match="not acknowledged"), t.db.transaction() as conn:
        conn.execute("DELETE FROM outbox WHERE seq = ?", (n,))
    with pytest.raises(Exception, match="immutable"), t.db.transaction() as conn:
        conn.execute("UPDATE outbox SET kind = 'x' WHERE seq = ?", (n,))


def test_a_refund_is_queued_with_its_merchant_wide_id(till: Till) -> None:
    from datetime import UTC, datetime

    from pos_app.domain.payment import PaymentMethod
    from pos_app.domain.refund import NewRefund, RefundState
    from pos_app.storage.refunds import RefundRepository

    t, outbox = till
    order = cash_sale(t, 300)
    [attempt] = t.attempts_for_order(order)
    repo = RefundRepository(t.db, till_id="01")
    [refund] = repo.add(order, lambda _: [NewRefund(
        order, attempt.id, PaymentMethod.CASH, "R20261202000001", attempt.out_trade_no,
        Fen(200), Fen(600), "damaged", "amy", "boss", datetime.now(UTC))])
    repo.transition(refund.refund_id, RefundState.SUCCESS)
    wire = rows_as_wire(outbox)
    for i, r in enumerate(wire):
        parse_row(i, r)
    kinds = [r["kind"] for r in wire]
    # a pending refund already counts against the order: it is partially refunded at once
    assert kinds[-4:] == ["refund", "refund_event", "order", "refund_event"]
    first = wire[-4]["payload"]
    assert first == {"refund_id": "R20261202000001", "order_id": str(order), "order_till": "01",
                     "out_refund_no": "R20261202000001", "amount_fen": 200, "state": "created",
                     "cashier": "amy"}
    assert wire[-1]["payload"] == {"refund_id": "R20261202000001", "state": "success",
                                   "detail": ""}
    assert wire[-2]["payload"]["status"] == "partially_refunded"  # type: ignore[index]


def test_master_data_applies_all_or_nothing(till: Till) -> None:
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.outbox import MasterChange

    t, outbox = till
    good = MasterChange("product", "TEA500", {"sku": "TEA500", "name": "冰红茶", "price_fen": 350,
                                              "barcode": None})
    with pytest.raises(ValueError):
        outbox.apply_master(5, [good, MasterChange("coupon", "X", {"value": "1"})])
    assert ProductRepository(t.db).by_sku("TEA500") is None and outbox.master_version() == 0
    outbox.apply_master(5, [good])
    outbox.apply_master(4, [MasterChange("product", "TEA500", None)])   # older: ignored
    assert ProductRepository(t.db).by_sku("TEA500") is not None
    assert outbox.master_version() == 5


def test_flags_kept_are_this_tills_and_unknown_payments_only(till: Till) -> None:
    from typing import Any

    from pos_app.hub.master_apply import pull_flags

    _, outbox = till

    class Hub:
        def master_since(self, since: int) -> dict[str, Any]:
            return {"version": 0, "changes": []}

        def flags_since(self, since: int) -> dict[str, Any]:
            def f(i: int, kind: str, till: str | None) -> dict[str, Any]:
                return {"id": i, "kind": kind, "till_id": till, "order_id": "3",
                        "out_trade_no": f"N{i}", "amount_fen": 500, "detail": "",
                        "created_at": "2026-12-02T10:00:00+00:00"}
            return {"last": 4, "flags": [f(1, "late_payment", "T-ME"), f(2, "late_payment", "T-OTHER"),
                                         f(3, "unknown_payment", None), f(4, "reconcile", "T-ME")]}

    assert pull_flags(Hub(), outbox, "T-ME") == 2
    assert [f.id for f in outbox.open_flags()] == [1, 3]
    assert outbox.flags_seen() == 4
    assert pull_flags(Hub(), outbox, "T-ME") == 0              # the same flags again: kept once


def test_an_own_refund_names_the_till_as_the_hub_knows_it() -> None:
    from pos_app.hub.sender import wire_row
    from pos_app.storage.outbox import OutboxEntry

    mine = OutboxEntry(3, "refund", "2026-12-02T02:00:00+00:00",
                       {"refund_id": "R1", "order_till": "01", "amount_fen": 1})
    other = OutboxEntry(4, "refund", "2026-12-02T02:00:00+00:00",
                        {"refund_id": "R2", "order_till": "T9", "amount_fen": 1})
    assert wire_row(mine, "01", "TABC").payload["order_till"] == "TABC"
    assert wire_row(other, "01", "TABC").payload["order_till"] == "T9"
    assert mine.payload["order_till"] == "01"                    # the stored row is untouched


def test_a_row_goes_only_once_the_hub_confirms_it(till: Till) -> None:
    """A hub that confirms less than it was sent (here: two rows per batch): the sender
    deletes exactly what was confirmed and sends the rest again."""
    from collections.abc import Sequence
    from typing import Any

    from pos_app.hub.protocol import OutboxRow
    from pos_app.hub.sender import HubSender

    t, outbox = till
    for _ in range(3):
        cash_sale(t)
    written = outbox.state().last_seq
    held: list[int] = []

    class StingyHub:
        def upload(self, rows: Sequence[OutboxRow], backlog: int = 0) -> int:
            high = held[-1] if held else 0
            for r in rows[:2]:
                if r.seq == high + 1:
                    held.append(r.seq)
                    high = r.seq
            return high

        def master_since(self, since: int) -> dict[str, Any]:
            return {"version": 0, "changes": []}

        def flags_since(self, since: int) -> dict[str, Any]:
            return {"last": 0, "flags": []}

    sender = HubSender(outbox, StingyHub(), local_till="01", hub_till="T1")
    sender.cycle()
    assert outbox.state().acked_seq == 2 and outbox.pending(1)[0].seq == 3
    while outbox.state().unsent:
        sender.cycle()
    assert held == list(range(1, written + 1))


def test_cash_in_and_out_of_the_drawer_are_queued_signed(till: Till) -> None:
    t, outbox = till
    open_shift(t)
    with t.db.transaction() as conn:
        conn.execute("INSERT INTO cash_movements (till_id, shift_id, direction, amount_fen, reason,"
                     " done_by, approved_by, at) VALUES ('01', 1, 'in', 5000, '补零钱', 'amy', '',"
                     " '2026-12-02T02:00:00.000000+00:00')")
        conn.execute("INSERT INTO cash_movements (till_id, shift_id, direction, amount_fen, reason,"
                     " done_by, approved_by, at) VALUES ('01', 1, 'out', 2000, '付供应商', 'amy',"
                     " 'boss', '2026-12-02T02:05:00.000000+00:00')")
    wire = rows_as_wire(outbox)
    moves = [parse_row(i, r).payload for i, r in enumerate(wire) if r["kind"] == "cash_movement"]
    assert [(m["amount_fen"], m["reason"], m["shift_id"]) for m in moves] == [
        (5000, "补零钱", "1"), (-2000, "付供应商", "1")]


def test_an_electronic_payment_is_sent_under_its_channel(till: Till) -> None:
    """The hub reconciles WeChat payments against WeChat's bill: an Alipay payment must not
    be sent as 'wechat' (it would show as missing at WeChat)."""
    t, outbox = till
    cash_sale(t)
    for n, channel in enumerate(("alipay", "wechat")):
        with t.db.transaction() as conn:          # another attempt like the cash one
            cols = [r[1] for r in conn.execute("PRAGMA table_info(payment_attempts)")
                    if r[1] != "id"]
            values = ["'native'" if c == "method" else "?" if c == "channel"
                      else f"out_trade_no || 'X{n}'" if c == "out_trade_no" else c
                      for c in cols]
            conn.execute(f"INSERT INTO payment_attempts ({', '.join(cols)}) "
                         f"SELECT {', '.join(values)} FROM payment_attempts WHERE id = 1",
                         (channel,))
        attempt = [e.payload for e in outbox.pending(1000) if e.kind == "payment_attempt"][-1]
        assert attempt["method"] == channel
