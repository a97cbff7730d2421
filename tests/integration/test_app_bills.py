"""Reconciliation against the simulator's realistic bills (issue 11 #3, #5): a day's bill
exists only once the day is settled (after 10:00 the next morning); "no statement" means
"no trades" only for a settled day; SUCCESS/REFUND bills through the adapter; a reversed
payment-code sale (REVOKED row) is no refund.

Time: the shop trades two days ago (the simulator's business clock and the till's clock
are real time shifted back), then reconciles in the present, as a shop does.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.domain.pin_hash import hash_pin
from pos_app.domain.refund import RefundState
from pos_app.domain.staff import Role
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.refunds import RefundRequest
from pos_app.manager.services import ManagerServices, build_manager_services
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.gateway import BillNotReady, BillType
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import TillService
from pos_app.simulator.scenarios import random_success_code
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.db import Database
from pos_app.storage.staff import UserRepository
from pos_app.wechatpay.config import load_merchant_config

PIN = "2580"
DAY_S = 86400.0
FAST = Schedule(((math.inf, 0.05),))


class OffsetClock:
    """Real time shifted by ``offset[0]`` seconds (the simulator shares the offset)."""

    def __init__(self, offset: list[float]) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset[0])

    def monotonic(self) -> float:
        return time.monotonic()


@dataclass
class Books:
    sim: SimulatorServer
    offset: list[float]
    gateway: WechatChannel
    till: TillService
    mgr: ManagerServices

    def sell(self, price: int) -> str:
        cart = Cart()
        cart.add(Product("COKE", "可口可乐", Fen(price), "6901234567011"), 1)
        order_id = self.till.create_order(cart, cashier="amy")
        aid = self.till.pay_code(order_id, random_success_code())
        assert self.till.wait_idle(20)
        a = self.till.attempt(aid)
        assert a is not None
        return f"{a.state.value}:{order_id}:{a.out_trade_no}"

    def day(self) -> object:
        return (datetime.now(UTC) + timedelta(seconds=self.offset[0])).astimezone(SHOP_TZ).date()


@pytest.fixture
def books(tmp_path: Path) -> Iterator[Books]:
    offset = [-2 * DAY_S]
    sim = SimulatorServer(tmp_path / "sim", clock=lambda: time.time() + offset[0],
                          refund_delay_s=0).start()        # realistic bill dates
    gateway = WechatChannel.from_config(load_merchant_config(sim.merchant_config_path))
    db = Database(tmp_path / "pos.sqlite3")
    users = UserRepository(db)
    users.add_user("boss", Role.MANAGER, hash_pin(PIN))
    users.add_user("amy", Role.CASHIER, hash_pin("1397"))
    clock = OffsetClock(offset)
    policy = PollPolicy(codepay_poll=FAST, native_poll=FAST, unknown_first_wait=0.05,
                        codepay_deadline=0.5, reverse_retry_waits=(0.05,))
    till = TillService(db, gateway, clock=clock, policy=policy)
    till.recover()
    try:
        yield Books(sim, offset, gateway, till, build_manager_services(db, gateway, clock=clock))
    finally:
        till.shutdown()
        db.close()
        sim.stop()


def test_today_is_never_reconciled_and_never_no_trades(books: Books) -> None:
    books.offset[0] = 0.0
    books.sell(100)                                         # a trade today
    today = datetime.now(SHOP_TZ).date()
    assert books.mgr.reconcile is not None
    assert books.mgr.reconcile.latest_day() == today - timedelta(days=1)
    with pytest.raises(ManagerError) as exc:
        books.mgr.reconcile.run(today)
    assert exc.value.message.key is ManagerText.RECONCILE_NOT_SETTLED
    with pytest.raises(BillNotReady):                       # the adapter: WeChat refuses today
        books.gateway.trade_bill(today)


def test_yesterday_before_ten_is_not_ready_yet(books: Books) -> None:
    now = datetime.now(SHOP_TZ)
    nine_thirty = now.replace(hour=9, minute=30, second=0, microsecond=0)
    books.offset[0] = (nine_thirty - now).total_seconds()   # the shop's clock: 09:30 today
    assert books.mgr.reconcile is not None
    with pytest.raises(ManagerError) as exc:
        books.mgr.reconcile.run(nine_thirty.date() - timedelta(days=1))
    assert exc.value.message.key is ManagerText.RECONCILE_BILL_NOT_READY


def test_a_settled_day_without_trades_is_no_trades(books: Books) -> None:
    books.offset[0] = 0.0
    assert books.mgr.reconcile is not None
    report = books.mgr.reconcile.run(datetime.now(SHOP_TZ).date() - timedelta(days=3))
    assert report.no_trades and report.ok
    assert report.headline is not None and report.headline.key is ManagerText.RECONCILE_NO_TRADES


def test_reconcile_a_settled_day_with_a_refund_and_a_reversed_code_sale(books: Books) -> None:
    day = books.day()
    state, sold, _no = books.sell(1250).split(":")
    assert state == "paid"
    [rec] = books.mgr.refunds.request_refund(RefundRequest(
        int(sold), "amy", "boss", PIN, "退货", amount=Fen(250)))
    assert rec.state in (RefundState.PROCESSING, RefundState.SUCCESS)
    # a payment-code sale charged at WeChat whose answers were lost: the till reverses it
    books.sim.inject("drop_after_commit", path_prefix="/v3/pay/transactions/codepay")
    books.sim.inject("error500", path_prefix="/v3/pay/transactions/out-trade-no", count=200,
                     method="GET")
    state, _order, reversed_no = books.sell(990).split(":")
    books.sim.reset_faults()
    assert state == AttemptState.REVERSED.value
    [sim_order] = [o for o in books.sim.engine.orders() if o.out_trade_no == reversed_no]
    assert sim_order.trade_state == "REVOKED"

    books.offset[0] = 0.0                                   # two days later: the bill is ready
    assert books.mgr.reconcile is not None
    report = books.mgr.reconcile.run(day)  # type: ignore[arg-type]
    assert report.ok, report.mismatches                     # no spurious refund, no lost sale
    assert (report.matched_payments, report.matched_refunds) == (1, 1)
    assert not report.no_trades and report.remote_settlement_total == 1250

    full = books.gateway.trade_bill(day)  # type: ignore[arg-type]
    assert [r.out_trade_no for r in full.rows if r.is_reversal] == [reversed_no]
    success = books.gateway.trade_bill(day, BillType.SUCCESS)  # type: ignore[arg-type]
    assert success.refunds == () and len(success.payments) == 2       # payments only
    refunds = books.gateway.trade_bill(day, BillType.REFUND)  # type: ignore[arg-type]
    assert refunds.payments == ()
    assert {r.out_refund_no for r in refunds.refunds if not r.is_reversal} == {rec.out_refund_no}
    assert [r.out_trade_no for r in refunds.rows if r.is_reversal] == [reversed_no]
