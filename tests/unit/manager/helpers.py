"""Shared fixtures for the manager tests: a fake clock, store seeding, a refund gateway."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pos_app.domain.money import Fen
from pos_app.manager.memstore import MemoryStore
from pos_app.manager.pins import Role, StaffUser, hash_pin
from pos_app.manager.store import PaidPayment, SaleOrder, SoldLine
from pos_app.payments.api import PaymentMethod
from pos_app.wechatpay.errors import ApiError, WechatPayError
from pos_app.wechatpay.models import Refund, RefundStatus

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)   # 10:00 Beijing time
MANAGER_PIN = "2580"
CASHIER_PIN = "1397"
_HASHES: dict[str, str] = {}


def cached_hash(pin: str) -> str:
    if pin not in _HASHES:
        _HASHES[pin] = hash_pin(pin)
    return _HASHES[pin]


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def seeded_store() -> MemoryStore:
    store = MemoryStore()
    store.put_user(StaffUser("boss", Role.MANAGER, cached_hash(MANAGER_PIN)))
    store.put_user(StaffUser("amy", Role.CASHIER, cached_hash(CASHIER_PIN)))
    return store


def order(store: MemoryStore, order_id: int, method: PaymentMethod, total: int,
          *, lines: tuple[tuple[str, int, int], ...] = (), at: datetime = T0,
          split_cash: int = 0) -> SaleOrder:
    """lines: (name, quantity, net). split_cash: this much of the total paid in cash."""
    sold = tuple(SoldLine(i + 1, f"SKU{i + 1}", n, q, Fen(net))
                 for i, (n, q, net) in enumerate(lines))
    pays = []
    main = total - split_cash
    if main:
        pays.append(PaidPayment(order_id * 10, order_id, method, Fen(main), at,
                                f"T{order_id:06d}-1" if method is not PaymentMethod.CASH else "",
                                f"42000{order_id:08d}" if method is not PaymentMethod.CASH
                                else ""))
    if split_cash:
        pays.append(PaidPayment(order_id * 10 + 1, order_id, PaymentMethod.CASH,
                                Fen(split_cash), at))
    return store.add_order(SaleOrder(order_id, f"N{order_id:04d}", at, Fen(total), "amy",
                                     sold, tuple(pays)))


@dataclass
class FakeRefundGateway:
    """Remembers refunds by out_refund_no like WeChat Pay (idempotent per number)."""

    refunds: dict[str, Refund] = field(default_factory=dict)
    create_status: RefundStatus = RefundStatus.PROCESSING
    fail_next: list[WechatPayError] = field(default_factory=list)   # raised before acting
    lose_reply_next: int = 0          # act, then raise a transport error
    sent: list[str] = field(default_factory=list)

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> Refund:
        from pos_app.wechatpay.errors import RequestTimeoutError

        self.sent.append(out_refund_no)
        if self.fail_next:
            raise self.fail_next.pop(0)
        if out_refund_no not in self.refunds:
            self.refunds[out_refund_no] = Refund(out_refund_no, self.create_status, refund,
                                                 total, refund_id=f"50{len(self.refunds):010d}",
                                                 out_trade_no=out_trade_no)
        if self.lose_reply_next:
            self.lose_reply_next -= 1
            raise RequestTimeoutError("read timeout")
        return self.refunds[out_refund_no]

    def query_refund(self, out_refund_no: str) -> Refund | None:
        return self.refunds.get(out_refund_no)

    def settle(self, out_refund_no: str, status: RefundStatus) -> None:
        r = self.refunds[out_refund_no]
        self.refunds[out_refund_no] = Refund(r.out_refund_no, status, r.refund, r.total,
                                             r.refund_id, r.out_trade_no)


def api_error(status: int, code: str) -> ApiError:
    return ApiError(status, code, "x")
