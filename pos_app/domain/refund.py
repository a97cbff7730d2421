"""Refunds: states, the transition table and the refund record.

::

    pending ──► processing ──► success | closed | abnormal
       │
       ├──► success | closed | abnormal | failed
       └──► pending (outcome still unknown: retried with the same refund number)

A cash refund is created ``success`` (the money leaves the drawer at once).
``success``, ``closed``, ``abnormal`` and ``failed`` are final. Every refund that is
not known to have returned nothing (``closed``/``failed``) counts against the
refundable amount — ``abnormal`` included: the money left the merchant's account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pos_app.domain.money import Fen
from pos_app.domain.payment import IllegalTransitionError, PaymentMethod


class RefundState(StrEnum):
    """Local state of one refund."""

    PENDING = "pending"          # intent committed; not sent yet, or outcome unknown → retry same no.
    PROCESSING = "processing"    # the payment service accepted it, money on its way
    SUCCESS = "success"
    CLOSED = "closed"            # closed by the payment service: nothing refunded
    ABNORMAL = "abnormal"        # could not pay out: handle in the merchant portal
    FAILED = "failed"            # refused before being created (e.g. PARAM_ERROR): nothing refunded

    @property
    def taken(self) -> bool:
        """Counts against the refundable amount (may have left, or will leave, the till)."""
        return self not in (RefundState.CLOSED, RefundState.FAILED)

    @property
    def final(self) -> bool:
        return self in (RefundState.SUCCESS, RefundState.CLOSED, RefundState.ABNORMAL,
                        RefundState.FAILED)


R = RefundState

#: Allowed changes; staying in ``pending``/``processing`` records an observation.
REFUND_TRANSITIONS: dict[RefundState, frozenset[RefundState]] = {
    R.PENDING: frozenset({R.PENDING, R.PROCESSING, R.SUCCESS, R.CLOSED, R.ABNORMAL, R.FAILED}),
    R.PROCESSING: frozenset({R.PROCESSING, R.SUCCESS, R.CLOSED, R.ABNORMAL}),
    R.SUCCESS: frozenset(),
    R.CLOSED: frozenset(),
    R.ABNORMAL: frozenset(),
    R.FAILED: frozenset(),
}

#: States a refund may be created in (cash refunds are paid out on the spot).
REFUND_INITIAL: frozenset[RefundState] = frozenset({R.PENDING, R.SUCCESS})


def check_refund_transition(current: RefundState | None, to: RefundState) -> None:
    """Raise :class:`IllegalTransitionError` unless ``current → to`` is allowed
    (``current`` None = creating the refund)."""
    allowed = REFUND_INITIAL if current is None else REFUND_TRANSITIONS[current]
    if to not in allowed:
        raise IllegalTransitionError(f"illegal refund transition {current} → {to}")


@dataclass(frozen=True)
class NewRefund:
    """A refund intent, written before any network call."""

    order_id: int
    attempt_id: int
    method: PaymentMethod
    out_refund_no: str
    out_trade_no: str
    amount: Fen
    payment_total: Fen
    reason: str
    requested_by: str
    approved_by: str
    created_at: datetime
    state: RefundState = RefundState.PENDING
    lines: tuple[tuple[int, int], ...] = ()   # (line_no, quantity)


@dataclass(frozen=True)
class Refund:
    """A row of ``refunds`` with its lines (``refund_lines``)."""

    refund_id: int
    order_id: int
    attempt_id: int
    method: PaymentMethod
    out_refund_no: str
    out_trade_no: str
    amount: Fen
    payment_total: Fen
    reason: str
    requested_by: str
    approved_by: str
    created_at: datetime
    updated_at: datetime
    state: RefundState
    lines: tuple[tuple[int, int], ...] = ()
    wechat_refund_id: str = ""
    message: str = ""
    till_id: str = ""
    channel: str = ""                   # the channel of the payment it returns


@dataclass(frozen=True)
class RefundEvent:
    """A row of the append-only ``refund_events`` log."""

    id: int
    refund_id: int
    at: datetime
    from_state: RefundState | None
    to_state: RefundState
    note: str


@dataclass(frozen=True)
class OwedRefund:
    """Money a customer is owed back: an order paid twice (its PAID payments add up to
    more than its total) whose over-payment the refunds so far do not cover. ``amount``
    is what is still owed; ``attempt_id``/``channel`` the extra payment it goes back to."""

    order_id: int
    order_no: str
    attempt_id: int
    channel: str
    amount: Fen


def refunded_total(refunds: list[Refund] | tuple[Refund, ...]) -> Fen:
    """What the refunds take from their order (ABNORMAL counts, CLOSED/FAILED do not)."""
    return Fen(sum(r.amount for r in refunds if r.state.taken))
