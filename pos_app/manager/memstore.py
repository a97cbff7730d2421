"""In-memory :class:`~pos_app.manager.store.ManagerStore` (tests, demos, UI prototyping)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pos_app.domain.money import Fen
from pos_app.manager.pins import Role, StaffUser
from pos_app.manager.store import (
    AuditEntry,
    NewRefund,
    PaidPayment,
    RefundRecord,
    RefundState,
    SaleOrder,
    ShiftRecord,
)
from pos_app.payments.api import PaymentMethod
from pos_app.payments.gateway import Paid


class MemoryStore:
    """Dict-backed store; ``unresolved_attempts`` is settable by tests."""

    def __init__(self) -> None:
        self.orders: dict[int, SaleOrder] = {}
        self.refunds: dict[int, RefundRecord] = {}
        self.shifts: dict[int, ShiftRecord] = {}
        self.users: dict[str, StaffUser] = {}
        self.audit_log: list[AuditEntry] = []
        self.unresolved_attempts = 0
        self.pending_out_trade_nos: dict[str, int] = {}   # unpaid local attempts: no → order_id
        self._next_attempt = 1000

    # ---- seeding helpers
    def add_order(self, order: SaleOrder) -> SaleOrder:
        self.orders[order.order_id] = order
        return order

    def put_user(self, user: StaffUser) -> None:
        self.users[user.name] = user

    # ---- UserStore / UserAdminStore
    def add_user(self, name: str, role: Role, pin_hash: str) -> int:
        self.users[name] = StaffUser(name, role, pin_hash)
        return len(self.users)

    def set_pin_hash(self, name: str, pin_hash: str) -> None:
        self.users[name] = replace(self.users[name], pin_hash=pin_hash)

    def get_user(self, name: str) -> StaffUser | None:
        return self.users.get(name)

    def save_login_state(
        self, name: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        self.users[name] = replace(self.users[name], failed_attempts=failed_attempts,
                                   locked_until=locked_until)

    # ---- AuditLog
    def audit(self, actor: str, action: str, detail: Mapping[str, Any]) -> None:
        self.audit_log.append(AuditEntry(datetime.now(UTC), actor, action, dict(detail)))

    # ---- OrderLookup
    def get_order(self, order_id: int) -> SaleOrder | None:
        return self.orders.get(order_id)

    def find_order(self, key: str) -> SaleOrder | None:
        for o in self.orders.values():
            if o.order_no == key or any(key in (p.out_trade_no, p.transaction_id)
                                        for p in o.payments if key):
                return o
        return None

    def search_orders(
        self, start: datetime, end: datetime, amount: Fen | None = None
    ) -> list[SaleOrder]:
        return [o for o in self.orders.values() if o.payments and start <= o.created_at < end
                and (amount is None or o.total == amount)]

    # ---- RefundStore
    def refunds_for_order(self, order_id: int) -> list[RefundRecord]:
        return [r for r in self.refunds.values() if r.order_id == order_id]

    def add_refund(self, refund: NewRefund) -> RefundRecord:
        if any(r.out_refund_no == refund.out_refund_no for r in self.refunds.values()):
            raise ValueError("duplicate out_refund_no")
        rid = len(self.refunds) + 1
        rec = RefundRecord(
            refund_id=rid, order_id=refund.order_id, attempt_id=refund.attempt_id,
            method=refund.method, out_refund_no=refund.out_refund_no,
            out_trade_no=refund.out_trade_no, amount=refund.amount,
            payment_total=refund.payment_total, reason=refund.reason,
            requested_by=refund.requested_by, approved_by=refund.approved_by,
            created_at=refund.created_at, updated_at=refund.created_at, state=refund.state,
            lines=refund.lines,
        )
        self.refunds[rid] = rec
        return rec

    def update_refund(
        self, refund_id: int, *, state: RefundState, at: datetime, wechat_refund_id: str = "",
        message: str = "",
    ) -> RefundRecord:
        old = self.refunds[refund_id]
        rec = replace(old, state=state, updated_at=at, message=message,
                      wechat_refund_id=wechat_refund_id or old.wechat_refund_id)
        self.refunds[refund_id] = rec
        return rec

    def get_refund(self, refund_id: int) -> RefundRecord | None:
        return self.refunds.get(refund_id)

    def unfinished_refunds(self) -> list[RefundRecord]:
        return [r for r in self.refunds.values()
                if r.state in (RefundState.PENDING, RefundState.PROCESSING)]

    # ---- ActivityStore
    def paid_payments_between(self, start: datetime, end: datetime) -> list[PaidPayment]:
        return sorted((p for o in self.orders.values() for p in o.payments
                       if start <= p.paid_at < end), key=lambda p: p.paid_at)

    def refunds_between(self, start: datetime, end: datetime) -> list[RefundRecord]:
        return [r for r in self.refunds.values() if start <= r.created_at < end]

    def unresolved_attempt_count(self) -> int:
        return self.unresolved_attempts

    # ---- ShiftStore
    def current_shift(self) -> ShiftRecord | None:
        return next((s for s in self.shifts.values() if s.is_open), None)

    def open_shift(self, opened_by: str, opening_float: Fen, at: datetime) -> ShiftRecord:
        sid = len(self.shifts) + 1
        self.shifts[sid] = ShiftRecord(sid, at, opened_by, opening_float)
        return self.shifts[sid]

    def close_shift(
        self, shift_id: int, closed_by: str, counted_cash: Fen, at: datetime
    ) -> ShiftRecord:
        self.shifts[shift_id] = replace(self.shifts[shift_id], closed_at=at, closed_by=closed_by,
                                        counted_cash=counted_cash)
        return self.shifts[shift_id]

    # ---- ReconcileStore
    def record_missing_payment(self, tx: Paid, at: datetime) -> PaidPayment:
        method = PaymentMethod.CODEPAY if tx.by_code else PaymentMethod.NATIVE
        order_id = self.pending_out_trade_nos.pop(tx.out_trade_no, None)
        self._next_attempt += 1
        pay = PaidPayment(self._next_attempt, order_id or -self._next_attempt, method,
                          Fen(tx.total or 0), at, tx.out_trade_no, tx.transaction_id)
        if order_id is None or order_id not in self.orders:
            order = SaleOrder(pay.order_id, f"RECOVERED-{tx.out_trade_no}", at, pay.amount,
                              "reconcile", (), (pay,))
            self.orders[order.order_id] = order
        else:
            o = self.orders[order_id]
            self.orders[order_id] = replace(o, payments=(*o.payments, pay))
        return pay
