"""Payment attempts: methods, the one state machine and the attempt record.

::

    created ──► awaiting ──► paid | closed | reversed | uncertain
       │                          ▲
       ├──► paid | closed | reversed | failed | uncertain
       │
    uncertain ──► awaiting | paid | closed | reversed | failed

``paid``, ``closed``, ``reversed`` and ``failed`` are terminal. ``failed`` means
*provably not charged* and is only reachable before the customer could act
(business refusal, or the payment service never saw the order). Anything unresolved
is ``uncertain`` — never ``failed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pos_app.domain.money import Fen

#: Payment channels by name. A channel is a name (the adapter registered under it), not a
#: closed list: a new channel is one adapter, no change here or in the schema.
WECHAT = "wechat"
ALIPAY = "alipay"
CASH_CHANNEL = "cash"            # cash attempts and cash refunds


class PaymentMethod(StrEnum):
    NATIVE = "native"
    CODEPAY = "codepay"
    CASH = "cash"


class AttemptState(StrEnum):
    CREATED = "created"              # intent committed, nothing sent yet
    AWAITING_CUSTOMER = "awaiting"   # QR shown / customer confirming: customer must act
    PAID = "paid"
    CLOSED = "closed"                # Native order closed/expired, nothing charged
    REVERSED = "reversed"            # payment-code order reversed (撤销), nothing charged
    FAILED = "failed"                # provably not charged (e.g. expired code, no balance)
    UNCERTAIN = "uncertain"          # outcome unknown: DO NOT re-charge until resolved

    @property
    def terminal(self) -> bool:
        return self in (AttemptState.PAID, AttemptState.CLOSED, AttemptState.REVERSED,
                        AttemptState.FAILED)


S = AttemptState

#: States recovery must resolve (not terminal).
NON_TERMINAL: tuple[AttemptState, ...] = (S.CREATED, S.AWAITING_CUSTOMER, S.UNCERTAIN)

TRANSITIONS: dict[AttemptState, frozenset[AttemptState]] = {
    S.CREATED: frozenset(
        {S.AWAITING_CUSTOMER, S.PAID, S.CLOSED, S.REVERSED, S.FAILED, S.UNCERTAIN}),
    S.AWAITING_CUSTOMER: frozenset({S.PAID, S.CLOSED, S.REVERSED, S.UNCERTAIN}),
    S.UNCERTAIN: frozenset({S.AWAITING_CUSTOMER, S.PAID, S.CLOSED, S.REVERSED, S.FAILED}),
    S.PAID: frozenset(),
    S.CLOSED: frozenset(),
    S.REVERSED: frozenset(),
    S.FAILED: frozenset(),
}


class IllegalTransitionError(Exception):
    """A state change a state machine does not allow (a bug, never user input)."""


def check_transition(current: AttemptState, to: AttemptState) -> None:
    """Raise :class:`IllegalTransitionError` unless ``current → to`` is in the table."""
    if to not in TRANSITIONS[current]:
        raise IllegalTransitionError(f"illegal attempt transition {current} → {to}")


@dataclass(frozen=True)
class PaymentAttempt:
    """A row of ``payment_attempts``."""

    id: int
    order_id: int
    till_id: str
    method: PaymentMethod
    out_trade_no: str
    amount: Fen
    state: AttemptState
    auth_code_masked: str
    code_url: str
    expires_at: datetime | None
    transaction_id: str
    tendered: Fen | None
    change: Fen | None
    message: str
    last_error: str
    created_at: datetime
    updated_at: datetime
    paid_at: datetime | None = None     # when the money was taken (the service's time if known)
    payer_total: Fen | None = None      # what the customer paid (a coupon paid the rest)
    coupon: Fen = Fen(0)                # coupons / discounts the channel applied
    merchant_coupon: Fen = Fen(0)       # the merchant-funded part: settled amount − this
    channel: str = WECHAT               # the channel that carries it (cash: "cash")


@dataclass(frozen=True)
class AttemptEvent:
    """A row of the append-only ``attempt_events`` log."""

    id: int
    attempt_id: int
    at: datetime
    from_state: AttemptState | None
    to_state: AttemptState
    note: str


@dataclass(frozen=True)
class PaidPayment:
    """A payment attempt that ended PAID, as the books see it."""

    attempt_id: int
    order_id: int
    method: PaymentMethod
    amount: Fen                  # what it paid towards the order (cash: not the tendered)
    paid_at: datetime
    out_trade_no: str = ""
    transaction_id: str = ""
    till_id: str = ""
    payer_total: Fen | None = None     # what the customer paid (None: the whole amount)
    coupon: Fen = Fen(0)               # paid by coupons / discounts
    merchant_coupon: Fen = Fen(0)      # merchant-funded coupons (reduce settlement)

    @property
    def customer_paid(self) -> Fen:
        return self.amount if self.payer_total is None else self.payer_total

    @property
    def settlement(self) -> Fen:
        """What the shop is settled for it: the amount less merchant-funded coupons."""
        return Fen(self.amount - self.merchant_coupon)
    channel: str = ""                   # "wechat", "alipay" …, "cash"
