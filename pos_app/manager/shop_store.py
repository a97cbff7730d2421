"""The manager store: the protocols of :mod:`pos_app.manager.store` over the storage
repositories of one till (no SQL here — every query lives in :mod:`pos_app.storage`).

* the order number shown to staff is the order id;
* new refunds, resumed refunds, shifts and the X/Z figures are this store's till's;
  order look-ups and reconciliation span every till of the shop's database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pos_app.domain.audit import AuditEntry
from pos_app.domain.cash import CashDirection, CashMovement
from pos_app.domain.clock import Clock, SystemClock
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderDiscounts, SaleOrder
from pos_app.domain.payment import NON_TERMINAL, AttemptState, PaidPayment, PaymentMethod
from pos_app.domain.refund import NewRefund, Refund, RefundState
from pos_app.domain.shift import Shift
from pos_app.domain.staff import Role, StaffUser
from pos_app.domain.text import msg
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.payments.gateway import Paid
from pos_app.storage.audit import AuditLog
from pos_app.storage.cash_movements import CashMovementRepository
from pos_app.storage.db import Database
from pos_app.storage.errors import ConflictError
from pos_app.storage.migrate import DEFAULT_TILL_ID
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository
from pos_app.storage.refunds import RefundRepository
from pos_app.storage.shifts import ShiftRepository
from pos_app.storage.staff import UserRepository


class ShopStore:
    """Implements :class:`pos_app.manager.store.ManagerStore` for till ``till_id``."""

    def __init__(self, db: Database, clock: Clock | None = None, *,
                 till_id: str = DEFAULT_TILL_ID) -> None:
        self.db = db
        self.till_id = till_id
        self.clock = clock or SystemClock()
        self._users = UserRepository(db)
        self._orders = OrderRepository(db, self.clock, till_id=till_id)
        self._attempts = PaymentAttemptRepository(db, self.clock, till_id=till_id)
        self._refunds = RefundRepository(db, self.clock, till_id=till_id)
        self._shifts = ShiftRepository(db, self.clock, till_id=till_id)
        self._audit = AuditLog(db, self.clock)
        self._cash = CashMovementRepository(db, self.clock, till_id=till_id)

    # ---- UserStore
    def get_user(self, name: str) -> StaffUser | None:
        return self._users.get_user(name)

    def save_login_state(
        self, name: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        self._users.save_login_state(name, failed_attempts, locked_until)

    def count_attempt(self, name: str, decide: Callable[[StaffUser], StaffUser]
                      ) -> tuple[StaffUser, StaffUser] | None:
        return self._users.count_attempt(name, decide)

    def add_user(self, name: str, role: Role, pin_hash: str) -> int:
        return self._users.add_user(name, role, pin_hash)

    def set_pin_hash(self, name: str, pin_hash: str) -> None:
        self._users.set_pin_hash(name, pin_hash)

    # ---- AuditLog
    def audit(self, actor: str, action: str, detail: Mapping[str, Any]) -> None:
        self._audit.record(actor, action, detail)

    def audit_entries(self, action: str | None = None) -> list[AuditEntry]:
        return self._audit.entries(action)

    # ---- payments
    def paid_payments_between(self, start: datetime, end: datetime,
                              till_id: str | None = None) -> list[PaidPayment]:
        return self._attempts.paid_between(start, end, till_id)

    def unresolved_attempt_count(self, till_id: str | None = None) -> int:
        return self._attempts.unresolved_count(till_id)

    # ---- orders
    def get_order(self, order_id: int) -> SaleOrder | None:
        return self._orders.sale(order_id)

    def find_order(self, key: str) -> SaleOrder | None:
        return self._orders.find_sale(key)

    def search_orders(
        self, start: datetime, end: datetime, amount: Fen | None = None
    ) -> list[SaleOrder]:
        return self._orders.search_sales(start, end, amount)

    def overpaid_orders(self) -> list[SaleOrder]:
        return self._orders.overpaid_sales()

    # ---- refunds
    def get_refund(self, refund_id: int) -> Refund | None:
        return self._refunds.get(refund_id)

    def refunds_for_order(self, order_id: int) -> list[Refund]:
        return self._refunds.for_order(order_id)

    def refunds_between(self, start: datetime, end: datetime,
                        till_id: str | None = None) -> list[Refund]:
        return self._refunds.between(start, end, till_id)

    def unfinished_refunds(self) -> list[Refund]:
        return self._refunds.unfinished()

    def add_refunds(self, order_id: int,
                    build: Callable[[list[Refund]], Sequence[NewRefund]]) -> list[Refund]:
        return self._refunds.add(order_id, build)

    def update_refund(
        self, refund_id: int, *, state: RefundState, at: datetime, wechat_refund_id: str = "",
        message: str = "",
    ) -> Refund:
        return self._refunds.transition(refund_id, state, at=at,
                                       wechat_refund_id=wechat_refund_id, message=message)

    # ---- shifts
    def current_shift(self) -> Shift | None:
        return self._shifts.current()

    def open_shift(self, opened_by: str, opening_float: Fen, at: datetime) -> Shift:
        try:
            return self._shifts.open(opened_by, opening_float, at)
        except ConflictError:
            raise ManagerError(msg(ManagerText.SHIFT_ALREADY_OPEN)) from None

    def close_shift(
        self, shift_id: int, closed_by: str, counted_cash: Fen, at: datetime,
        approved_by: str = "",
    ) -> Shift:
        try:
            return self._shifts.close(shift_id, closed_by, counted_cash, at,
                                      approved_by=approved_by)
        except ConflictError:
            raise ManagerError(msg(ManagerText.SHIFT_NO_SUCH_OPEN)) from None

    def discounts_paid_between(self, start: datetime, end: datetime,
                               till_id: str | None = None) -> list[OrderDiscounts]:
        return self._orders.discounts_paid_between(start, end, till_id)

    # ---- cash movements (存取款)
    def cash_movements(self, shift_id: int) -> list[CashMovement]:
        return self._cash.for_shift(shift_id)

    def add_cash_movement(self, direction: CashDirection, amount: Fen, reason: str, *,
                          done_by: str, approved_by: str, at: datetime) -> CashMovement:
        try:
            return self._cash.add(direction, amount, reason, done_by=done_by,
                                  approved_by=approved_by, at=at)
        except ConflictError:
            raise ManagerError(msg(ManagerText.SHIFT_NONE_OPEN)) from None

    # ---- reconciliation repair
    def record_missing_payment(self, tx: Paid, at: datetime, *,
                               channel: str = "wechat") -> PaidPayment:
        """``at`` = when WeChat Pay says it was paid (becomes the payment's ``paid_at``:
        a repaired payment belongs to that day's bill and shift, not to the repair's)."""
        attempt = self._attempts.by_out_trade_no(tx.out_trade_no)
        if attempt is None:
            return self._insert_recovered_order(tx, at, channel)
        if attempt.state is AttemptState.PAID:
            return self._paid_attempt(attempt.order_id, attempt.id)
        if attempt.state not in NON_TERMINAL:
            raise ManagerError(msg(ManagerText.RECONCILE_LOCAL_ATTEMPT_FINAL,
                                   state=attempt.state.value))
        self._attempts.transition(attempt.id, AttemptState.PAID, paid_at=at,
                                 note="reconcile: paid per trade bill + re-query",
                                 transaction_id=tx.transaction_id)
        return self._paid_attempt(attempt.order_id, attempt.id)

    def _paid_attempt(self, order_id: int, attempt_id: int) -> PaidPayment:
        order = self.get_order(order_id)
        assert order is not None
        return next(p for p in order.payments if p.attempt_id == attempt_id)

    def _insert_recovered_order(self, tx: Paid, at: datetime, channel: str) -> PaidPayment:
        total = Fen(int(tx.total or 0))
        method = PaymentMethod.CODEPAY if tx.by_code else PaymentMethod.NATIVE
        with self.db.transaction() as conn:
            order_id = self._orders.insert_recovered(conn, total, at)
            attempt_id = self._attempts.insert(
                conn, order_id=order_id, method=method, out_trade_no=tx.out_trade_no,
                amount=total, note="reconcile: recovered from trade bill", channel=channel)
            self._attempts.transition(attempt_id, AttemptState.PAID, paid_at=at,
                                     note="reconcile: recovered from trade bill",
                                     transaction_id=tx.transaction_id)
        order = self.get_order(order_id)
        assert order is not None
        return order.payments[0]
