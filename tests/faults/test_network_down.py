"""Issue 12 #2 over real sockets: WeChat Pay unreachable (connection refused — provably
never sent) is "not charged" at once; a truly unknown outcome is re-checked by itself as
soon as the simulator is back up (no restart, no recover() call)."""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.payment import AttemptState as S
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.messages import PaymentText
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import TillService
from pos_app.simulator.realism import Realism
from pos_app.simulator.scenarios import auth_code_for
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.catalog import demo_products
from pos_app.storage.db import Database
from pos_app.wechatpay.config import MerchantConfig, load_merchant_config
from tests.faults.invariants import assert_consistent
from tests.unit.payments.conftest import zh

pytestmark = pytest.mark.slow

POLICY = PollPolicy(
    codepay_poll=Schedule(((float("inf"), 0.1),)), codepay_deadline=1.0,
    unknown_first_wait=0.1, native_poll=Schedule(((float("inf"), 0.1),)), native_ttl=60,
    prepay_retry_waits=(0.5, 1.0), reverse_retry_waits=(0.1, 0.1),
    close_retry_waits=(0.1,), not_found_grace=0.3, recheck_first=0.3, recheck_max=0.6)


def _refusing_port() -> int:
    """A port on which nothing listens: connecting is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _order(till: TillService) -> int:
    cart = Cart()
    cart.add(demo_products()[1])
    return till.create_order(cart, cashier="net")


def _until(check: Callable[[], bool], timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return check()


@pytest.fixture
def cfg(sim: SimulatorServer) -> MerchantConfig:
    return dataclasses.replace(load_merchant_config(sim.merchant_config_path), read_timeout=1.0)


@pytest.mark.parametrize("method", ["codepay", "native"])
def test_connection_refused_is_not_charged_at_once(tmp_path: Path, cfg: MerchantConfig,
                                                   method: str) -> None:
    offline = dataclasses.replace(cfg, base_url=f"http://127.0.0.1:{_refusing_port()}")
    db = Database(tmp_path / "pos.sqlite3")
    till = TillService(db, WechatChannel.from_config(offline), policy=POLICY)
    till.recover()
    oid = _order(till)
    started = time.monotonic()
    aid = (till.pay_code(oid, auth_code_for("success")) if method == "codepay"
           else till.pay_native(oid))
    assert till.wait_idle(30)
    took = time.monotonic() - started
    a = till.attempt(aid)
    assert a is not None and a.state == S.FAILED          # provably not charged
    assert a.message and "网络不通" in zh(a.message) and "现金" in zh(a.message)
    assert took < 1.0, f"the cashier waited {took:.1f} s for a request that never left"
    # the order is free again: the cashier can take cash at once
    cash = till.pay_cash(oid, demo_products()[1].price)
    assert till.wait_idle(5)
    paid = till.attempt(cash)
    assert paid is not None and paid.state == S.PAID
    till.shutdown()
    db.close()


@pytest.fixture
def own_sim(tmp_path: Path) -> Iterator[SimulatorServer]:
    """A simulator of this test's own: it is taken down and brought back up."""
    server = SimulatorServer(tmp_path / "sim", realism=Realism(close_lag_s=0)).start()
    yield server
    server.stop()


def test_unknown_outcome_is_rechecked_when_the_simulator_is_back(
        own_sim: SimulatorServer, tmp_path: Path) -> None:
    sim = own_sim
    cfg = dataclasses.replace(load_merchant_config(sim.merchant_config_path), read_timeout=1.0)
    port = sim.port

    def network_goes_down(point: str) -> None:
        if point == "response_received":   # the charge was made, its answer lost …
            sim.stop()                      # … and now nothing answers at all

    db = Database(tmp_path / "pos.sqlite3")
    till = TillService(db, WechatChannel.from_config(cfg), policy=POLICY,
                       fault_hook=network_goes_down)
    events: list[PaymentEvent] = []
    till.subscribe(events.append)
    till.recover()
    oid = _order(till)
    sim.inject("drop_after_commit", path_prefix="/v3/pay/transactions/codepay")
    aid = till.pay_code(oid, auth_code_for("success"))
    assert till.wait_idle(30)
    a = till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN     # may have been charged: never "failed"

    time.sleep(1.0)                                      # re-checks keep failing meanwhile
    a = till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN
    sim.port = port
    sim.start()                                          # the network is back
    assert _until(lambda: (till.attempt(aid) or a).state == S.PAID)
    late = [e for e in events if e.attempt_id == aid and e.state == S.PAID]
    assert late and late[-1].paid_late
    assert late[-1].message is not None and late[-1].message.key is PaymentText.PAID_LATE
    assert_consistent(till, sim, cfg.mchid)
    till.shutdown()
    db.close()
