"""Shared set-up for the manager tests: the real SQLite store (one database file per
store, in the test's tmp dir), a fake clock, seeding, a refund gateway."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus, SaleOrder
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.pin_hash import hash_pin
from pos_app.domain.refund import Refund
from pos_app.domain.staff import Role, StaffUser
from pos_app.domain.text import MessageKey
from pos_app.manager.shop_store import ShopStore
from pos_app.storage.db import Database
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository
from pos_app.wechatpay.errors import ApiError, WechatPayError
from pos_app.wechatpay.models import Refund as WxRefund
from pos_app.wechatpay.models import RefundStatus
from tests.helpers.clock import ManualClock as Clock

__all__ = ["CASHIER_PIN", "MANAGER_PIN", "T0", "Clock", "FakeRefundGateway", "all_refunds",
           "api_error", "cached_hash", "order", "pending", "refused", "seeded_store", "set_unresolved",
           "user"]

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)   # 10:00 Beijing time
MANAGER_PIN = "2580"
CASHIER_PIN = "1397"
_HASHES: dict[str, str] = {}
_DBS: list[Database] = []
_N = itertools.count()
DB_DIR: list[Path] = []      # set per test by conftest.py (the test's tmp_path)


def cached_hash(pin: str) -> str:
    if pin not in _HASHES:
        _HASHES[pin] = hash_pin(pin)
    return _HASHES[pin]


def close_all() -> None:
    while _DBS:
        _DBS.pop().close()


def seeded_store(till_id: str = "01") -> ShopStore:
    """A fresh SQLite database with the manager ``boss`` and the cashier ``amy``."""
    db = Database(DB_DIR[-1] / f"shop{next(_N)}.sqlite3")
    _DBS.append(db)
    store = ShopStore(db, till_id=till_id)
    store.add_user("boss", Role.MANAGER, cached_hash(MANAGER_PIN))
    store.add_user("amy", Role.CASHIER, cached_hash(CASHIER_PIN))
    return store


def user(store: ShopStore, name: str) -> StaffUser:
    found = store.get_user(name)
    assert found is not None
    return found


def all_refunds(store: ShopStore) -> dict[int, Refund]:
    every = store.refunds_between(datetime(2000, 1, 1, tzinfo=UTC),
                                  datetime(2100, 1, 1, tzinfo=UTC))
    return {r.refund_id: r for r in every}


def _repos(store: ShopStore, at: datetime) -> tuple[OrderRepository, PaymentAttemptRepository]:
    clock = Clock(at)
    return (OrderRepository(store.db, clock, till_id=store.till_id),
            PaymentAttemptRepository(store.db, clock, till_id=store.till_id))


def _cart(lines: tuple[tuple[str, int, int], ...], total: int) -> Cart:
    cart = Cart()
    for i, (name, qty, net) in enumerate(lines):
        price = -(-net // qty)
        cart.add(Product(f"SKU{i + 1}", name, Fen(price), ""), qty)
        cart.set_line_discount(i, Fen(price * qty - net))
    extra = sum(net for _, _, net in lines) - total
    assert extra >= 0, "seed lines must cover the total"
    cart.set_order_discount(Fen(extra))
    return cart


def _new_order(store: ShopStore, order_id: int, at: datetime,
               lines: tuple[tuple[str, int, int], ...], total: int) -> int:
    """Create order ``order_id`` (earlier unused ids become voided orders)."""
    orders, _ = _repos(store, at)
    while True:
        oid = orders.create(_cart(lines or (("商品", 1, max(total, 1)),), total), cashier="amy")
        if oid == order_id:
            return oid
        assert oid < order_id, f"order {order_id} must be seeded before order {oid}"
        orders.void(oid)


def order(store: ShopStore, order_id: int, method: PaymentMethod, total: int,
          *, lines: tuple[tuple[str, int, int], ...] = (), at: datetime = T0,
          split_cash: int = 0) -> SaleOrder:
    """A paid order. lines: (name, quantity, net). split_cash: this much of the total paid
    in cash. Out-trade-no ``T<order id>-1``, transaction id ``42000<order id>``."""
    oid = _new_order(store, order_id, at, lines, total)
    orders, attempts = _repos(store, at)
    main = total - split_cash
    wechat = method is not PaymentMethod.CASH
    with store.db.transaction() as conn:
        paid: list[int] = []
        if main:
            paid.append(attempts.insert(
                conn, order_id=oid, method=method, amount=Fen(main), state=AttemptState.PAID,
                out_trade_no=f"T{order_id:06d}-1" if wechat else f"C{order_id:06d}-1",
                transaction_id=f"42000{order_id:08d}" if wechat else ""))
        if split_cash:
            paid.append(attempts.insert(
                conn, order_id=oid, method=PaymentMethod.CASH, amount=Fen(split_cash),
                state=AttemptState.PAID, out_trade_no=f"C{order_id:06d}-2"))
        orders.set_status(conn, oid, OrderStatus.PAID, paid_attempt_id=paid[0])
    sale = store.get_order(oid)
    assert sale is not None
    return sale


def pending(store: ShopStore, order_id: int, out_trade_no: str, total: int,
            at: datetime = T0) -> None:
    """Order ``order_id`` with one attempt left uncertain locally."""
    oid = _new_order(store, order_id, at, (), total)
    _, attempts = _repos(store, at)
    with store.db.transaction() as conn:
        attempts.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY, amount=Fen(total),
                        out_trade_no=out_trade_no, state=AttemptState.UNCERTAIN)


def set_unresolved(store: ShopStore, count: int, at: datetime = T0) -> None:
    """Make exactly ``count`` of the till's attempts unresolved (new uncertain sales, or
    the existing ones closed)."""
    _, attempts = _repos(store, at)
    current = attempts.unfinished()
    for a in current[count:]:
        attempts.transition(a.id, AttemptState.CLOSED, note="test: resolved")
    orders, _ = _repos(store, at)
    for _ in range(count - len(current)):
        oid = orders.create(_cart((("商品", 1, 100),), 100), cashier="amy")
        with store.db.transaction() as conn:
            attempts.insert(conn, order_id=oid, method=PaymentMethod.NATIVE, amount=Fen(100),
                            out_trade_no=f"U{oid:06d}-1", state=AttemptState.UNCERTAIN)


@dataclass
class FakeRefundGateway:
    """Remembers refunds by out_refund_no like WeChat Pay (idempotent per number)."""

    refunds: dict[str, WxRefund] = field(default_factory=dict)
    create_status: RefundStatus = RefundStatus.PROCESSING
    fail_next: list[WechatPayError] = field(default_factory=list)   # raised before acting
    lose_reply_next: int = 0          # act, then raise a transport error
    sent: list[str] = field(default_factory=list)

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> WxRefund:
        from pos_app.wechatpay.errors import RequestTimeoutError

        self.sent.append(out_refund_no)
        if self.fail_next:
            raise self.fail_next.pop(0)
        if out_refund_no not in self.refunds:
            self.refunds[out_refund_no] = WxRefund(out_refund_no, self.create_status, refund,
                                                 total, refund_id=f"50{len(self.refunds):010d}",
                                                 out_trade_no=out_trade_no)
        if self.lose_reply_next:
            self.lose_reply_next -= 1
            raise RequestTimeoutError("read timeout")
        return self.refunds[out_refund_no]

    def query_refund(self, out_refund_no: str) -> WxRefund | None:
        return self.refunds.get(out_refund_no)

    def settle(self, out_refund_no: str, status: RefundStatus) -> None:
        r = self.refunds[out_refund_no]
        self.refunds[out_refund_no] = WxRefund(r.out_refund_no, status, r.refund, r.total,
                                             r.refund_id, r.out_trade_no)


def api_error(status: int, code: str) -> ApiError:
    return ApiError(status, code, "x")


def refused(*keys: MessageKey) -> str:
    """``pytest.raises(SomeManagerError, match=refused(KEY))``: the refusal carries exactly
    that message key (``str(error)`` is ``key(params)``; any other refusal fails the test)."""
    return "^(" + "|".join(re.escape(k.value) for k in keys) + r")\("
