"""The storage protocols the manager features need (records live in :mod:`pos_app.domain`).

Each service depends only on the protocol it names; :class:`pos_app.manager.shop_store.ShopStore`
implements them all over the storage repositories. All datetimes are timezone-aware.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from pos_app.domain.cash import CashDirection, CashMovement
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderDiscounts, SaleOrder
from pos_app.domain.payment import PaidPayment
from pos_app.domain.refund import NewRefund, Refund, RefundState
from pos_app.domain.shift import Shift
from pos_app.manager.pins import UserStore
from pos_app.payments.gateway import Paid

__all__ = ["ActivityStore", "AuditLog", "ManagerStore", "OrderLookup", "OwedLookup", "ReconcileStore", "RefundStore", "ShiftStore", "sum_fen"]


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


class OwedLookup(Protocol):
    """What the refunds owed for orders paid twice are read from."""

    def refunds_for_order(self, order_id: int) -> list[Refund]: ...

    def overpaid_orders(self) -> list[SaleOrder]:
        """Settled orders (every till) whose PAID payments add up to more than their
        total (paid twice), with their payments — refunded or not."""


class RefundStore(OrderLookup, AuditLog, OwedLookup, Protocol):

    def add_refunds(self, order_id: int,
                    build: Callable[[list[Refund]], Sequence[NewRefund]]
                    ) -> list[Refund]:
        """Insert and commit refunds of ``order_id``; out_refund_no is unique. ``build`` gets
        the order's refunds as they are inside the write transaction and returns the new
        ones, or raises to refuse (the double-tap guard: nothing is written)."""

    def update_refund(
        self,
        refund_id: int,
        *,
        state: RefundState,
        at: datetime,
        wechat_refund_id: str = "",
        message: str = "",
    ) -> Refund: ...

    def get_refund(self, refund_id: int) -> Refund | None: ...

    def unfinished_refunds(self) -> list[Refund]:
        """This till's refunds in PENDING or PROCESSING (to resume after a restart)."""


class ActivityStore(AuditLog, Protocol):
    def paid_payments_between(self, start: datetime, end: datetime,
                              till_id: str | None = None) -> list[PaidPayment]:
        """Payments booked in ``[start, end)`` of ``till_id`` (None: every till)."""

    def refunds_between(self, start: datetime, end: datetime,
                        till_id: str | None = None) -> list[Refund]:
        """Refunds created in ``[start, end)``, any state, of ``till_id`` (None: every till)."""

    def unresolved_attempt_count(self, till_id: str | None = None) -> int:
        """Payment attempts not yet in a terminal state (awaiting / uncertain)."""


class ShiftStore(ActivityStore, OwedLookup, Protocol):
    till_id: str

    def current_shift(self) -> Shift | None:
        """This till's open shift."""

    def open_shift(self, opened_by: str, opening_float: Fen, at: datetime) -> Shift: ...

    def close_shift(
        self, shift_id: int, closed_by: str, counted_cash: Fen, at: datetime,
        approved_by: str = "",
    ) -> Shift: ...

    def discounts_paid_between(self, start: datetime, end: datetime,
                               till_id: str | None = None) -> list[OrderDiscounts]:
        """Discounts by kind of the sales booked in ``[start, end)`` of ``till_id``."""

    def cash_movements(self, shift_id: int) -> list[CashMovement]: ...

    def add_cash_movement(self, direction: CashDirection, amount: Fen, reason: str, *,
                          done_by: str, approved_by: str, at: datetime) -> CashMovement:
        """Record it (and its audit entry) in this till's open shift; ManagerError if none."""


class ReconcileStore(ActivityStore, Protocol):
    def record_missing_payment(self, tx: Paid, at: datetime, *,
                               channel: str = "wechat") -> PaidPayment:
        """Mark the local attempt with ``tx.out_trade_no`` PAID (or create a recovered
        order for it when none exists), booked as paid at ``at`` (WeChat Pay's
        success time); returns the paid payment."""


class ManagerStore(RefundStore, ShiftStore, ReconcileStore, UserStore, Protocol):
    """Everything the manager features need from storage."""


def sum_fen(values: Sequence[int]) -> Fen:
    return Fen(sum(values))
