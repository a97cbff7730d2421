"""Orders: the record of a sale, its lines, and the refund → order-status rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pos_app.domain.money import Fen
from pos_app.domain.payment import PaidPayment


class OrderStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    VOIDED = "voided"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"

    @property
    def settled(self) -> bool:
        """Money was taken for this order (refunds may have followed)."""
        return self in (OrderStatus.PAID, OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED)


@dataclass(frozen=True)
class OrderLine:
    """A row of ``order_lines``: what was sold, at which price."""

    line_no: int
    sku: str
    name: str
    quantity: int
    net: Fen                     # line amount after the line discount
    barcode: str = ""
    unit_price: Fen = Fen(0)
    discount: Fen = Fen(0)


@dataclass(frozen=True)
class Order:
    """A row of ``orders``."""

    id: int
    till_id: str
    cashier: str
    status: OrderStatus
    subtotal: Fen
    discount: Fen
    total: Fen
    paid_attempt_id: int | None
    shift_id: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class OrderDiscounts:
    """The discounts given on one sale, by kind (fen; they add up to the sale's gross
    less its total)."""

    order_id: int
    line_amount: Fen = Fen(0)      # amounts off lines
    line_percent: Fen = Fen(0)     # percentages off lines, in fen
    order_amount: Fen = Fen(0)     # an amount off the whole order
    order_percent: Fen = Fen(0)    # a percentage off the whole order, in fen
    round_off: Fen = Fen(0)        # 抹零

    @property
    def total(self) -> Fen:
        return Fen(self.line_amount + self.line_percent + self.order_amount
                   + self.order_percent + self.round_off)


@dataclass(frozen=True)
class SaleOrder:
    """An order with its lines and the payments that paid it (what refunds work on)."""

    order_id: int
    order_no: str
    created_at: datetime
    total: Fen
    cashier: str
    lines: tuple[OrderLine, ...] = ()
    payments: tuple[PaidPayment, ...] = ()
    paid_attempt_id: int | None = None    # the payment that settled it (the first PAID)

    @property
    def over_payment(self) -> Fen:
        """What its payments took beyond its total (a double payment; 0 normally)."""
        return over_payment(self.total, (p.amount for p in self.payments))


def over_payment(total: int, paid: Iterable[int]) -> Fen:
    """What an order's PAID payments took beyond its ``total`` — a double payment (both
    QRs of a pair paid, a payment found late for a sale paid another way); 0 normally."""
    return Fen(max(0, sum(paid) - total))


def owed_refund(total: int, paid: Iterable[int], refunded: Iterable[int]) -> Fen:
    """What is still owed back to the customer of the over-payment: the refunds that
    count (:attr:`pos_app.domain.refund.RefundState.taken`) cover it first."""
    return Fen(max(0, over_payment(total, paid) - sum(refunded)))


def settled_status(total: int, paid: Iterable[int], refunded: Iterable[int]) -> OrderStatus:
    """A settled order's status from its PAID payments and its refunds that count: the
    refunds first give back the over-payment (that leaves the sale PAID), only what goes
    beyond it refunds the sale (:func:`status_after_refunds`)."""
    return status_after_refunds(total, [sum(refunded) - over_payment(total, paid)])


def status_after_refunds(total: int, refunded: Iterable[int]) -> OrderStatus:
    """A settled order's status once ``refunded`` amounts (the refunds that count, see
    :attr:`pos_app.domain.refund.RefundState.taken`) have been taken from ``total``."""
    taken = sum(refunded)
    if taken <= 0:
        return OrderStatus.PAID
    return OrderStatus.REFUNDED if taken >= total else OrderStatus.PARTIALLY_REFUNDED
