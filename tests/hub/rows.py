"""Builders of outbox rows as a till would send them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pos_app.hub.protocol import OutboxRow


class TillRows:
    """Gapless outbox rows of one simulated till."""

    def __init__(self, till_id: str, committed_at: str = "2026-12-02T10:15:00+08:00") -> None:
        self.till_id = till_id
        self.seq = 0
        self.committed_at = committed_at

    def row(self, kind: str, **payload: Any) -> OutboxRow:
        self.seq += 1
        return OutboxRow(self.seq, kind, self.committed_at, payload)

    def sale(self, order_id: str, amount_fen: int, *, sku: str = "6901234567892",
             name: str = "矿泉水", cashier: str = "王芳", method: str = "wechat",
             order_status: str = "paid", attempt_state: str = "paid") -> list[OutboxRow]:
        return [
            self.row("order", order_id=order_id, status="open", total_fen=amount_fen,
                     cashier=cashier, shift_id="S1"),
            self.row("order_line", order_id=order_id, line_no=1, sku=sku, name=name, qty=1,
                     unit_price_fen=amount_fen, amount_fen=amount_fen),
            self.row("payment_attempt", attempt_id=f"A-{order_id}", order_id=order_id,
                     method=method, out_trade_no=f"N{order_id}", amount_fen=amount_fen,
                     state="pending"),
            self.row("attempt_event", attempt_id=f"A-{order_id}", state=attempt_state, detail=""),
            self.row("order", order_id=order_id, status=order_status, total_fen=amount_fen,
                     cashier=cashier, shift_id="S1"),
        ]


def as_json(rows: list[OutboxRow]) -> Iterator[dict[str, Any]]:
    for r in rows:
        yield {"seq": r.seq, "kind": r.kind, "committed_at": r.committed_at, "payload": r.payload}
