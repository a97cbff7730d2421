"""The wire protocol's validation, without a database."""

from __future__ import annotations

from typing import Any

import pytest

from pos_app.hub.protocol import PAYLOAD_FIELDS, ProtocolError, parse_batch, parse_master_change


def row(seq: int = 1, **payload: Any) -> dict[str, Any]:
    base = {"movement_id": "M1", "shift_id": "S1", "amount_fen": -500, "reason": "payout"}
    return {"seq": seq, "kind": "cash_movement", "committed_at": "2026-12-02T10:00:00+08:00",
            "payload": {**base, **payload}}


def test_valid_batch() -> None:
    batch = parse_batch({"protocol": 1, "backlog": 0, "rows": [row(7), row(8)]})
    assert [r.seq for r in batch.rows] == [7, 8]
    assert batch.rows[0].payload["amount_fen"] == -500  # a pay-out is negative, still int fen


@pytest.mark.parametrize("doc", [
    {"protocol": 1, "backlog": 0},
    {"protocol": 1, "backlog": 0, "rows": [], "till_id": "x"},
    {"protocol": 1, "backlog": -1, "rows": []},
    {"protocol": 1.0, "backlog": 0, "rows": []},
    {"protocol": 1, "backlog": 0, "rows": [row(1, amount_fen=1e3)]},
    {"protocol": 1, "backlog": 0, "rows": [row(1, amount_fen=None)]},
    {"protocol": 1, "backlog": 0, "rows": [row(1), row(3)]},
    {"protocol": 1, "backlog": 0, "rows": [row(2), row(1)]},
    {"protocol": 1, "backlog": 0, "rows": [row(1, reason="x" * 5000)]},
    {"protocol": 1, "backlog": 0, "rows": [row(1) | {"committed_at": "yesterday"}]},
    [],
])
def test_refused(doc: Any) -> None:
    with pytest.raises(ProtocolError):
        parse_batch(doc)


def test_every_money_field_is_int_fen() -> None:
    for kind, fields in PAYLOAD_FIELDS.items():
        for name, (wanted, _nullable) in fields.items():
            if name.endswith("_fen"):
                assert wanted is int, (kind, name)


def test_master_change_validation() -> None:
    assert parse_master_change(0, {"kind": "product", "key": "A", "data": None}) == (
        "product", "A", None)
    with pytest.raises(ProtocolError):
        parse_master_change(0, {"kind": "product", "key": "A",
                                "data": {"sku": "A", "name": "x", "price_fen": 1.5, "barcode": None}})
    with pytest.raises(ProtocolError):
        parse_master_change(0, {"kind": "staff", "key": "u", "data": {
            "user_id": "u", "name": "n", "role": "r", "pin_hash": "h", "active": 1}})


def test_boss_view_language() -> None:
    from pos_app.hub.web import pick_lang

    assert pick_lang("en", "zh-CN") == "en"
    assert pick_lang(None, "en-US,en;q=0.9") == "en"
    assert pick_lang(None, "zh-CN,zh;q=0.9,en;q=0.8") == "zh_CN"
    assert pick_lang("fr", "") == "zh_CN"
