"""Row → domain record mapping, one function per table (the only place rows are read)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pos_app.domain.audit import AuditEntry
from pos_app.domain.cash import CashDirection, CashMovement
from pos_app.domain.money import Fen
from pos_app.domain.order import Order, OrderDiscounts, OrderLine, OrderStatus
from pos_app.domain.payment import (
    AttemptEvent,
    AttemptState,
    PaidPayment,
    PaymentAttempt,
    PaymentMethod,
)
from pos_app.domain.refund import Refund, RefundEvent, RefundState
from pos_app.domain.shift import Shift
from pos_app.domain.staff import Role, StaffUser
from pos_app.storage.db import from_iso, required_iso


def _fen(value: int | None) -> Fen | None:
    return None if value is None else Fen(value)


def order_row(row: sqlite3.Row) -> Order:
    return Order(
        id=row["id"], till_id=row["till_id"], cashier=row["cashier"],
        status=OrderStatus(row["status"]), subtotal=Fen(row["subtotal_fen"]),
        discount=Fen(row["discount_fen"]), total=Fen(row["total_fen"]),
        paid_attempt_id=row["paid_attempt_id"], shift_id=row["shift_id"],
        created_at=required_iso(row["created_at"]), updated_at=required_iso(row["updated_at"]),
    )


def order_line_row(r: sqlite3.Row) -> OrderLine:
    return OrderLine(
        line_no=r["line_no"], sku=r["sku"], name=r["name"], quantity=r["quantity"],
        net=Fen(r["net_fen"]), barcode=r["barcode"], unit_price=Fen(r["unit_price_fen"]),
        discount=Fen(r["discount_fen"]),
    )


def order_discounts_row(r: sqlite3.Row) -> OrderDiscounts:
    """A row of :meth:`OrderRepository.discounts_paid_between`'s query."""
    rest = r["discount_fen"] - r["round_off_fen"]
    percent = r["discount_kind"] == "percent"
    return OrderDiscounts(
        order_id=r["id"], line_amount=Fen(r["line_amount"]), line_percent=Fen(r["line_percent"]),
        order_amount=Fen(0 if percent else rest), order_percent=Fen(rest if percent else 0),
        round_off=Fen(r["round_off_fen"]))


def cash_movement_row(r: sqlite3.Row) -> CashMovement:
    return CashMovement(
        id=r["id"], till_id=r["till_id"], shift_id=r["shift_id"],
        direction=CashDirection(r["direction"]), amount=Fen(r["amount_fen"]),
        reason=r["reason"], done_by=r["done_by"], approved_by=r["approved_by"],
        at=required_iso(r["at"]))


def attempt_row(row: sqlite3.Row) -> PaymentAttempt:
    return PaymentAttempt(
        id=row["id"], order_id=row["order_id"], till_id=row["till_id"],
        method=PaymentMethod(row["method"]), out_trade_no=row["out_trade_no"],
        amount=Fen(row["amount_fen"]), state=AttemptState(row["state"]),
        auth_code_masked=row["auth_code_masked"], code_url=row["code_url"],
        expires_at=from_iso(row["expires_at"]), transaction_id=row["transaction_id"],
        tendered=_fen(row["tendered_fen"]), change=_fen(row["change_fen"]),
        message=row["message"], last_error=row["last_error"],
        created_at=required_iso(row["created_at"]), updated_at=required_iso(row["updated_at"]),
        paid_at=from_iso(row["paid_at"]), payer_total=_fen(row["payer_total_fen"]),
        coupon=Fen(row["coupon_fen"]), merchant_coupon=Fen(row["merchant_coupon_fen"]),
    )


def paid_payment(row: sqlite3.Row) -> PaidPayment:
    """A ``payment_attempts`` row in state ``paid``, as the books see it."""
    return PaidPayment(
        attempt_id=row["id"], order_id=row["order_id"], method=PaymentMethod(row["method"]),
        amount=Fen(row["amount_fen"]),
        paid_at=required_iso(row["paid_at"] or row["updated_at"]),
        out_trade_no=row["out_trade_no"], transaction_id=row["transaction_id"],
        till_id=row["till_id"], payer_total=_fen(row["payer_total_fen"]),
        coupon=Fen(row["coupon_fen"]), merchant_coupon=Fen(row["merchant_coupon_fen"]))


def attempt_event_row(r: sqlite3.Row) -> AttemptEvent:
    return AttemptEvent(
        id=r["id"], attempt_id=r["attempt_id"], at=required_iso(r["at"]),
        from_state=AttemptState(r["from_state"]) if r["from_state"] else None,
        to_state=AttemptState(r["to_state"]), note=r["note"])


def refund_row(row: sqlite3.Row, lines: tuple[tuple[int, int], ...]) -> Refund:
    """A ``refunds`` row joined with its attempt (``method``, ``out_trade_no``,
    ``payment_total``) and its ``refund_lines``."""
    return Refund(
        refund_id=row["id"], order_id=row["order_id"], attempt_id=row["attempt_id"] or 0,
        method=PaymentMethod(row["method"] or PaymentMethod.CASH.value),
        out_refund_no=row["out_refund_no"], out_trade_no=row["out_trade_no"] or "",
        amount=Fen(row["amount_fen"]), payment_total=Fen(row["payment_total"] or 0),
        reason=row["reason"], requested_by=row["requested_by"],
        approved_by=row["approved_by"], created_at=required_iso(row["created_at"]),
        updated_at=required_iso(row["updated_at"]), state=RefundState(row["state"]),
        lines=lines, wechat_refund_id=row["refund_id"], message=row["message"],
        till_id=row["till_id"])


def refund_event_row(r: sqlite3.Row) -> RefundEvent:
    return RefundEvent(
        id=r["id"], refund_id=r["refund_id"], at=required_iso(r["at"]),
        from_state=RefundState(r["from_state"]) if r["from_state"] else None,
        to_state=RefundState(r["to_state"]), note=r["note"])


def shift_row(row: sqlite3.Row) -> Shift:
    return Shift(
        shift_id=row["id"], opened_at=required_iso(row["opened_at"]),
        opened_by=row["opened_by"], opening_float=Fen(row["float_fen"]),
        closed_at=from_iso(row["closed_at"]), closed_by=row["closed_by"] or "",
        counted_cash=_fen(row["counted_cash_fen"]), till_id=row["till_id"],
        approved_by=row["approved_by"] or "")


def user_row(row: sqlite3.Row) -> StaffUser:
    return StaffUser(name=row["name"], role=Role(row["role"]), pin_hash=row["pin_hash"],
                     failed_attempts=row["failed_attempts"],
                     locked_until=from_iso(row["locked_until"]))


def audit_row(row: sqlite3.Row) -> AuditEntry:
    try:
        detail: Any = json.loads(row["detail"]) if row["detail"] else {}
    except ValueError:
        detail = {"text": row["detail"]}
    if not isinstance(detail, dict):
        detail = {"value": detail}
    return AuditEntry(at=required_iso(row["at"]), actor=row["who"], action=row["what"],
                      detail=detail)
