"""End to end: TillService + real APIv3 client + loopback simulator + SQLite, then the
manager features (refund with a lost reply, X/Z report, reconciliation + repair)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.clock import SHOP_TZ as CHINA_TZ
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.pin_hash import hash_pin
from pos_app.domain.refund import RefundState
from pos_app.domain.staff import Role
from pos_app.manager.reconcile import MismatchKind
from pos_app.manager.refunds import RefundError, RefundRequest
from pos_app.manager.services import ManagerServices, build_manager_services
from pos_app.payments.channels.wechat import WechatGateway
from pos_app.payments.till import TillService
from pos_app.simulator.scenarios import random_success_code
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.db import Database
from pos_app.storage.staff import UserRepository
from pos_app.wechatpay.config import load_merchant_config

PIN = "2580"


@dataclass
class World:
    sim: SimulatorServer
    gateway: WechatGateway
    db: Database
    till: TillService
    mgr: ManagerServices
    offset: list[float]            # simulator business-time offset (seconds)

    def sell(self, price: int, *, cash: int | None = None) -> int:
        cart = Cart()
        cart.add(Product("COKE", "可口可乐", Fen(price), "6901234567011"), 1)
        order_id = self.till.create_order(cart, cashier="amy")
        if cash is not None:
            self.till.pay_cash(order_id, Fen(cash))
        else:
            self.till.pay_code(order_id, random_success_code())
        assert self.till.wait_idle(15)
        [attempt] = self.till.attempts_for_order(order_id)
        assert attempt.state is AttemptState.PAID
        return order_id


class OffsetClock:
    """Real time shifted by ``offset[0]`` seconds (shared with the simulator's clock)."""

    def __init__(self, offset: list[float]) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset[0])

    def monotonic(self) -> float:
        return time.monotonic()


#: The shop trades two days ago (a settled day: its bill exists whatever the hour now),
#: then reconciles today — WeChat has no bill for a day that is not over (issue 11 #3).
TRADING_DAY_OFFSET = -2 * 86400.0


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    offset = [TRADING_DAY_OFFSET]
    sim = SimulatorServer(tmp_path / "sim", clock=lambda: time.time() + offset[0],
                          refund_delay_s=30.0).start()   # realistic bill dates
    gateway = WechatGateway.from_config(load_merchant_config(sim.merchant_config_path))
    db = Database(tmp_path / "pos.sqlite3")
    users = UserRepository(db)
    users.add_user("boss", Role.MANAGER, hash_pin(PIN))
    users.add_user("amy", Role.CASHIER, hash_pin("1397"))
    clock = OffsetClock(offset)
    till = TillService(db, gateway, clock=clock)
    till.recover()
    try:
        yield World(sim, gateway, db, till, build_manager_services(db, gateway, clock=clock),
                    offset)
    finally:
        till.shutdown()
        db.close()
        sim.stop()


def test_refund_shift_and_reconcile_against_simulator(world: World) -> None:
    mgr = world.mgr
    mgr.shifts.open("amy", Fen(10000))
    code_order = world.sell(1250)
    cash_order = world.sell(2350, cash=5000)         # change ¥26.50 must not count

    # -- WeChat refund whose reply is lost: stays PENDING, the retry reuses the number
    world.sim.inject("drop_after_commit", path_prefix="/v3/refund/domestic/refunds")
    [rec] = mgr.refunds.request_refund(RefundRequest(
        code_order, "amy", "boss", PIN, "商品破损", amount=Fen(450)))
    assert rec.state is RefundState.PENDING
    again = mgr.refunds.retry(rec.refund_id)
    assert again.state is RefundState.PROCESSING and again.out_refund_no == rec.out_refund_no
    assert [r.out_refund_no for r in world.sim.engine.refunds()] == [rec.out_refund_no]
    with pytest.raises(RefundError, match=r"refund\.exceeds_refundable"):
        mgr.refunds.request_refund(RefundRequest(code_order, "amy", "boss", PIN, "x",
                                                 amount=Fen(801)))
    world.offset[0] += 60                              # the simulator completes the refund
    done = mgr.refunds.follow(rec.refund_id, wait=lambda s: True)
    assert done.state is RefundState.SUCCESS and done.wechat_refund_id
    [cash_ref] = mgr.refunds.request_refund(RefundRequest(
        cash_order, "amy", "boss", PIN, "退货", amount=Fen(350)))
    assert cash_ref.state is RefundState.SUCCESS and cash_ref.method is PaymentMethod.CASH
    order = world.till.order(code_order)
    assert order is not None and order.status.value == "partially_refunded"

    # -- X then Z
    x = mgr.shifts.x_report("amy")
    assert x.sales[PaymentMethod.CODEPAY].amount == 1250
    assert x.sales[PaymentMethod.CASH].amount == 2350
    assert x.refunds[PaymentMethod.CODEPAY].amount == 450
    assert x.expected_cash == 10000 + 2350 - 350
    z = mgr.shifts.close("amy", "boss", PIN, Fen(12000))
    assert z.difference == 0 and mgr.shifts.current() is None

    # -- a payment the till never recorded (paid at WeChat Pay only)
    stray = "PSTRAY" + datetime.now(UTC).strftime("%H%M%S%f")
    world.gateway.native_prepay(out_trade_no=stray, description="stray", total=Fen(777),
                                time_expire=datetime.now(UTC) + timedelta(minutes=5))
    world.sim.pay(out_trade_no=stray)

    day = (datetime.now(UTC) + timedelta(seconds=world.offset[0])).astimezone(CHINA_TZ).date()
    world.offset[0] = 0.0                              # the next days: the bill is ready
    assert mgr.reconcile is not None
    report = mgr.reconcile.run(day)
    assert [(m.kind, m.out_trade_no, m.remote_amount) for m in report.mismatches] == [
        (MismatchKind.REMOTE_ONLY_PAYMENT, stray, 777)]
    assert report.matched_payments == 1 and report.matched_refunds == 1
    assert report.warnings == ()
    pay = mgr.reconcile.fix_missing_local(report.mismatches[0], "boss")
    assert pay.amount == 777 and pay.method is PaymentMethod.NATIVE
    assert mgr.reconcile.run(day).ok

