"""Merchant-wide reconciliation hook: WeChat's trade bill covers every till of the merchant.

:func:`reconcile` takes channel-neutral bill rows and every till's paid attempts (as held by
the hub) and sorts them into matched / missing locally / missing at the channel / amount
differs. The full daily workflow (download, store, show) builds on it later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pos_app.hub.store import PaidAttempt


@dataclass(frozen=True)
class BillRow:
    """One successful payment as the channel's bill lists it (neutral: no channel spelling)."""

    out_trade_no: str
    amount_fen: int


@dataclass
class Reconciliation:
    matched: list[str] = field(default_factory=list)
    missing_locally: list[str] = field(default_factory=list)  # in the bill, at no till
    missing_at_channel: list[str] = field(default_factory=list)  # paid at a till, not in bill
    amount_differs: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing_locally or self.missing_at_channel or self.amount_differs)

    def to_json(self) -> dict[str, Any]:
        return {
            "matched": len(self.matched),
            "missing_locally": self.missing_locally,
            "missing_at_channel": self.missing_at_channel,
            "amount_differs": self.amount_differs,
        }


def reconcile(bill: Iterable[BillRow], paid: Iterable[PaidAttempt]) -> Reconciliation:
    ours = {p.out_trade_no: p for p in paid}
    seen: set[str] = set()
    result = Reconciliation()
    for row in bill:
        if row.out_trade_no in seen:
            continue
        seen.add(row.out_trade_no)
        attempt = ours.get(row.out_trade_no)
        if attempt is None:
            result.missing_locally.append(row.out_trade_no)
        elif attempt.amount_fen != row.amount_fen:
            result.amount_differs.append(row.out_trade_no)
        else:
            result.matched.append(row.out_trade_no)
    result.missing_at_channel = sorted(set(ours) - seen)
    return result
