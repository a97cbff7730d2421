"""Records the manager features read and write, and the storage protocols they need.

The services in this package depend only on these protocols: the SQLite adapter
(:mod:`pos_app.manager.sqlite_store`) and the in-memory store
(:mod:`pos_app.manager.memstore`) both implement them. All datetimes are timezone-aware.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from pos_app.domain.money import Fen
from pos_app.manager.pins import UserStore
from pos_app.payments.api import PaymentMethod
from pos_app.payments.gateway import Paid


class RefundState(StrEnum):
    """Local state of one refund."""

    PENDING = "pending"          # intent committed; not sent yet, or outcome unknown → retry same no.
    PROCESSING = "processing"    # WeChat Pay accepted it, money on its way
    SUCCESS = "success"
    CLOSED = "closed"            # WeChat Pay closed it: nothing refunded
    ABNORMAL = "abnormal"        # WeChat Pay could not pay out: handle in the merchant portal
    FAILED = "failed"            # refused before being created (e.g. PARAM_ERROR): nothing refunded

    @property
    def taken(self) -> bool:
        """Counts against the refundable amount (may have left, or will leave, the till)."""
        return self not in (RefundState.CLOSED, RefundState.FAILED)

    @property
    def final(self) -> bool:
        return self in (RefundState.SUCCESS, RefundState.CLOSED, RefundState.ABNORMAL,
                        RefundState.FAILED)


@dataclass(frozen=True)
class SoldLine:
    line_no: int
    sku: str
    name: str
    quantity: int
    net: Fen                     # line amount after the line discount


@dataclass(frozen=True)
class PaidPayment:
    """A payment attempt that ended PAID."""

    attempt_id: int
    order_id: int
    method: PaymentMethod
    amount: Fen                  # what it paid towards the order (cash: not the tendered)
    paid_at: datetime
    out_trade_no: str = ""
    transaction_id: str = ""


@dataclass(frozen=True)
class SaleOrder:
    order_id: int
    order_no: str
    created_at: datetime
    total: Fen
    cashier: str
    lines: tuple[SoldLine, ...] = ()
    payments: tuple[PaidPayment, ...] = ()


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
class RefundRecord:
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


@dataclass(frozen=True)
class ShiftRecord:
    shift_id: int
    opened_at: datetime
    opened_by: str
    opening_float: Fen
    closed_at: datetime | None = None
    closed_by: str = ""
    counted_cash: Fen | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    detail: Mapping[str, Any] = field(default_factory=dict)


class AuditLog(Protocol):
    def audit(self, actor: str, action: str, detail: Mapping[str, Any]) -> None:
        """Append one entry (never PINs, keys or full auth codes)."""


class OrderLookup(Protocol):
    def get_order(self, order_id: int) -> SaleOrder | None: ...

    def find_order(self, key: str) -> SaleOrder | None:
        """By order number, out_trade_no or transaction_id."""

    def search_orders(
        self, start: datetime, end: datetime, amount: Fen | None = None
    ) -> list[SaleOrder]:
        """Paid orders created in ``[start, end)``, optionally with this total."""


class RefundStore(OrderLookup, AuditLog, Protocol):
    def refunds_for_order(self, order_id: int) -> list[RefundRecord]: ...

    def add_refund(self, refund: NewRefund) -> RefundRecord:
        """Insert and commit; out_refund_no is unique."""

    def update_refund(
        self,
        refund_id: int,
        *,
        state: RefundState,
        at: datetime,
        wechat_refund_id: str = "",
        message: str = "",
    ) -> RefundRecord: ...

    def get_refund(self, refund_id: int) -> RefundRecord | None: ...

    def unfinished_refunds(self) -> list[RefundRecord]:
        """Refunds in PENDING or PROCESSING (to resume after a restart)."""


class ActivityStore(AuditLog, Protocol):
    def paid_payments_between(self, start: datetime, end: datetime) -> list[PaidPayment]: ...

    def refunds_between(self, start: datetime, end: datetime) -> list[RefundRecord]:
        """Refunds created in ``[start, end)``, any state."""

    def unresolved_attempt_count(self) -> int:
        """Payment attempts not yet in a terminal state (awaiting / uncertain)."""


class ShiftStore(ActivityStore, Protocol):
    def current_shift(self) -> ShiftRecord | None: ...

    def open_shift(self, opened_by: str, opening_float: Fen, at: datetime) -> ShiftRecord: ...

    def close_shift(
        self, shift_id: int, closed_by: str, counted_cash: Fen, at: datetime
    ) -> ShiftRecord: ...


class ReconcileStore(ActivityStore, Protocol):
    def record_missing_payment(self, tx: Paid, at: datetime) -> PaidPayment:
        """Mark the local attempt with ``tx.out_trade_no`` PAID (or create a recovered
        order for it when none exists), booked as paid at ``at`` (WeChat Pay's
        success time); returns the paid payment."""


class ManagerStore(RefundStore, ShiftStore, ReconcileStore, UserStore, Protocol):
    """Everything the manager features need from storage."""


def sum_fen(values: Sequence[int]) -> Fen:
    return Fen(sum(values))
