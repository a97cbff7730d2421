"""Issue 12 #1: the disk fills up while a QR waits and the customer pays — on a real small
file system (a tmpfs mount holding the data directory), the real simulator over HTTP.

Nothing is lost: the cashier is told "payment received, cannot save", the till takes no
new sale while it cannot write, and the paid state is stored by itself as soon as space
is freed (no restart)."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.payment import AttemptState as S
from pos_app.domain.text import Message
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.messages import PaymentText
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import PaymentRefused, TillService
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.catalog import demo_products
from pos_app.storage.db import Database
from pos_app.wechatpay.config import load_merchant_config
from tests.faults.invariants import assert_consistent
from tests.helpers.small_disk import fill, mounted_tmpfs
from tests.unit.payments.conftest import zh

pytestmark = [pytest.mark.slow, pytest.mark.logs_errors]   # the disk refusing writes is logged

POLICY = PollPolicy(native_poll=Schedule(((float("inf"), 0.1),)), native_ttl=120,
                    close_retry_waits=(0.1,), storage_retry_first=0.1, storage_retry_max=0.3,
                    recheck_first=0.2, recheck_max=0.5)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs mounted on a fresh directory (root only)."""
    with mounted_tmpfs(tmp_path, 3) as mount:
        yield mount



def until(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_disk_full_while_qr_waits_and_the_customer_pays(
        sim: SimulatorServer, small_disk: Path) -> None:
    cfg = dataclasses.replace(load_merchant_config(sim.merchant_config_path), read_timeout=2)
    db = Database(small_disk / "pos.sqlite3")
    till = TillService(db, WechatChannel.from_config(cfg), policy=POLICY)
    events: list[PaymentEvent] = []
    health: list[Message | None] = []
    awaiting = threading.Event()

    def on(e: PaymentEvent) -> None:
        events.append(e)
        if e.state == S.AWAITING_CUSTOMER:
            awaiting.set()

    till.subscribe(on)
    till.subscribe_health(health.append)
    till.recover()
    cart = Cart()
    cart.add(demo_products()[1])
    oid = till.create_order(cart, cashier="disk")
    aid = till.pay_native(oid)
    assert awaiting.wait(10)
    a = till.attempt(aid)
    assert a is not None

    filler = fill(small_disk)          # the disk is full while the QR waits …
    sim.engine.pay(code_url=a.code_url)   # … and the customer pays
    assert until(lambda: any(e.message is not None and e.message.key is PaymentText.PAID_UNSAVED
                             for e in events))
    unsaved = next(e for e in events if e.message is not None
                   and e.message.key is PaymentText.PAID_UNSAVED)
    assert "已收到付款" in zh(unsaved.message) and "磁盘" in zh(unsaved.message)
    assert unsaved.attempt_id == aid
    still = till.attempt(aid)
    assert still is not None and still.state == S.AWAITING_CUSTOMER   # what the disk holds

    # the till refuses to start a new sale while it cannot write …
    assert not till.can_write
    with pytest.raises(PaymentRefused) as refused:
        till.create_order(cart, cashier="disk")
    assert refused.value.message.key is PaymentText.CANNOT_SAVE
    # … and says so in the status area
    assert until(lambda: bool(health) and health[-1] is not None
                 and health[-1].key is PaymentText.DISK_FULL)
    time.sleep(1.0)                    # the retry loop keeps trying; the disk still refuses
    still = till.attempt(aid)
    assert still is not None and still.state == S.AWAITING_CUSTOMER

    filler.unlink()                    # space freed: no restart, no button
    assert until(lambda: (till.attempt(aid) or still).state == S.PAID)
    assert any(e.attempt_id == aid and e.state == S.PAID for e in events)
    assert until(lambda: till.can_write)
    assert until(lambda: bool(health) and (health[-1] is None
                                           or health[-1].key is not PaymentText.DISK_FULL))
    assert till.create_order(cart, cashier="disk") > oid   # sales again
    assert_consistent(till, sim, cfg.mchid)
    till.shutdown()
    db.close()


def test_disk_full_before_a_sale_refuses_it_cleanly(sim: SimulatorServer,
                                                    small_disk: Path) -> None:
    cfg = load_merchant_config(sim.merchant_config_path)
    db = Database(small_disk / "pos.sqlite3")
    till = TillService(db, WechatChannel.from_config(cfg), policy=POLICY)
    till.recover()
    cart = Cart()
    cart.add(demo_products()[1])
    filler = fill(small_disk)
    with pytest.raises(PaymentRefused) as refused:   # nothing written, a clear message
        for _ in range(50):   # the first writes may still fit in pages SQLite holds
            till.create_order(cart, cashier="disk")
    assert refused.value.message.key is PaymentText.CANNOT_SAVE
    filler.unlink()
    assert until(lambda: till.can_write)
    assert till.create_order(cart, cashier="disk") > 0
    till.shutdown()
    db.close()
