"""Issue 12 #5: a refund the payment service is still processing is followed in the
background until final — no dialog open, no restart — and the result is told
(real simulator over HTTP, real SQLite)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.domain.pin_hash import hash_pin
from pos_app.domain.refund import RefundState
from pos_app.domain.staff import Role
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.refunds import RefundRequest, RefundService, RefundUpdate
from pos_app.manager.shop_store import ShopStore
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.till import TillService
from pos_app.simulator.realism import Realism
from pos_app.simulator.scenarios import random_success_code
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.db import Database
from pos_app.storage.staff import UserRepository
from pos_app.wechatpay.config import load_merchant_config
from tests.unit.payments.conftest import zh

pytestmark = pytest.mark.slow
PIN = "2580"


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[SimulatorServer, Database, TillService, WechatChannel]]:
    sim = SimulatorServer(tmp_path / "sim", refund_delay_s=1.5,
                          realism=Realism(close_lag_s=0, refund_spacing_s=0)).start()
    gateway = WechatChannel.from_config(load_merchant_config(sim.merchant_config_path))
    db = Database(tmp_path / "pos.sqlite3")
    UserRepository(db).add_user("boss", Role.MANAGER, hash_pin(PIN))
    till = TillService(db, gateway)
    till.recover()
    try:
        yield sim, db, till, gateway
    finally:
        till.shutdown()
        db.close()
        sim.stop()


def _paid_order(till: TillService) -> int:
    cart = Cart()
    cart.add(Product("COKE", "可口可乐", Fen(1250), "6901234567011"), 1)
    order_id = till.create_order(cart, cashier="amy")
    till.pay_code(order_id, random_success_code())
    assert till.wait_idle(15)
    [attempt] = till.attempts_for_order(order_id)
    assert attempt.state is AttemptState.PAID
    return order_id


def test_processing_refund_is_followed_to_success_in_the_background(
        shop: tuple[SimulatorServer, Database, TillService, WechatChannel]) -> None:
    _sim, db, till, gateway = shop
    order_id = _paid_order(till)
    store = ShopStore(db)
    refunds = RefundService(store, gateway, PinAuthenticator(store), follow_schedule=(0.3,))
    updates: list[RefundUpdate] = []
    told = threading.Event()
    refunds.subscribe(lambda u: (updates.append(u), told.set()))
    [rec] = refunds.request_refund(RefundRequest(order_id, "amy", "boss", PIN, "破损",
                                                 amount=Fen(450)))
    assert rec.state is RefundState.PROCESSING       # the money is on its way
    # nobody calls refresh / follow / resume: the service follows it by itself
    assert told.wait(15), "no result told"
    [update] = updates
    assert update.record.refund_id == rec.refund_id
    assert update.record.state is RefundState.SUCCESS
    assert update.message.key is ManagerText.REFUND_FOLLOWED_SUCCESS
    assert "退款成功" in zh(update.message)
    stored = store.get_refund(rec.refund_id)
    assert stored is not None and stored.state is RefundState.SUCCESS
    assert refunds.following() == set()
    refunds.shutdown()


def test_resume_after_restart_follows_in_the_background(
        shop: tuple[SimulatorServer, Database, TillService, WechatChannel]) -> None:
    _sim, db, till, gateway = shop
    order_id = _paid_order(till)
    store = ShopStore(db)
    first = RefundService(store, gateway, PinAuthenticator(store), follow_schedule=(3600,))
    [rec] = first.request_refund(RefundRequest(order_id, "amy", "boss", PIN, "破损",
                                               amount=Fen(450)))
    assert rec.state is RefundState.PROCESSING
    first.shutdown()                                  # the till goes away mid-refund
    again = RefundService(store, gateway, PinAuthenticator(store), follow_schedule=(0.3,))
    told = threading.Event()
    again.subscribe(lambda _u: told.set())
    [resumed] = again.resume()
    assert resumed.state is RefundState.PROCESSING   # still on its way right after start
    assert told.wait(15)
    stored = store.get_refund(rec.refund_id)
    assert stored is not None and stored.state is RefundState.SUCCESS
    again.shutdown()
