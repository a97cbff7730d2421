"""Network faults injected by the simulator (timeouts, 5xx, answers lost after the
server acted, bad signatures, the network down during recovery) against the real
HTTP client stack; every case ends paid exactly once or not charged."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState as S
from pos_app.domain.payment import PaymentMethod
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.wechat import WechatChannel as WechatGateway
from pos_app.payments.ids import out_trade_no
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import PaymentRefused, TillService
from pos_app.simulator.scenarios import auth_code_for
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.catalog import demo_products
from pos_app.storage.db import Database
from pos_app.wechatpay.config import MerchantConfig, load_merchant_config
from tests.faults.invariants import assert_consistent, sim_order
from tests.unit.payments.conftest import zh

pytestmark = pytest.mark.slow

POLICY = PollPolicy(
    codepay_poll=Schedule(((float("inf"), 0.1),)), codepay_deadline=1.5,
    unknown_first_wait=0.2, native_poll=Schedule(((float("inf"), 0.1),)), native_ttl=60,
    prepay_retry_waits=(0.1, 0.2), reverse_retry_waits=(0.1, 0.2, 0.3),
    close_retry_waits=(0.1, 0.2), not_found_grace=0.3,
)
CODEPAY = "/v3/pay/transactions/codepay"
NATIVE = "/v3/pay/transactions/native"
BY_NO = "/v3/pay/transactions/out-trade-no/"


class Rig:
    def __init__(self, sim: SimulatorServer, tmp: Path, cfg: MerchantConfig) -> None:
        self.sim = sim
        self.cfg = cfg
        self.db = Database(tmp / "pos.sqlite3")
        self.till = TillService(self.db, WechatGateway.from_config(cfg), policy=POLICY)
        self.events: list[PaymentEvent] = []
        self.awaiting = threading.Event()
        self.till.subscribe(self._on)
        self.till.recover()

    def _on(self, e: PaymentEvent) -> None:
        self.events.append(e)
        if e.state == S.AWAITING_CUSTOMER:
            self.awaiting.set()

    def order(self) -> int:
        cart = Cart()
        cart.add(demo_products()[1])
        return self.till.create_order(cart, cashier="net")

    def finish(self, attempt_id: int) -> S:
        assert self.till.wait_idle(30)
        a = self.till.attempt(attempt_id)
        assert a is not None
        assert_consistent(self.till, self.sim, self.cfg.mchid)
        return a.state

    def fault(self, kind: str, prefix: str, *, count: int = 1, seconds: float | None = None,
              method: str | None = None) -> None:
        self.sim.engine.inject(kind, path_prefix=prefix, count=count, seconds=seconds,
                               method=method)


@pytest.fixture
def cfg(sim: SimulatorServer) -> MerchantConfig:
    return dataclasses.replace(load_merchant_config(sim.merchant_config_path), read_timeout=0.5)


@pytest.fixture
def rig(sim: SimulatorServer, tmp_path: Path, cfg: MerchantConfig) -> Iterator[Rig]:
    r = Rig(sim, tmp_path, cfg)
    yield r
    r.till.shutdown()
    r.db.close()


@pytest.mark.parametrize("kind", ["drop_after_commit", "timeout", "bad_signature", "signtest"])
def test_codepay_answer_lost_after_charge_is_paid_once(rig: Rig, kind: str) -> None:
    rig.fault(kind, CODEPAY, seconds=1.0 if kind == "timeout" else None)
    aid = rig.till.pay_code(rig.order(), auth_code_for("success"))
    assert rig.finish(aid) == S.PAID


@pytest.mark.parametrize("kind", ["error500", "error503", "error429"])
def test_codepay_never_performed_ends_not_charged(rig: Rig, kind: str) -> None:
    rig.fault(kind, CODEPAY)
    aid = rig.till.pay_code(rig.order(), auth_code_for("success"))
    state = rig.finish(aid)
    assert state in (S.FAILED, S.REVERSED)
    a = rig.till.attempt(aid)
    assert a is not None and sim_order(rig.sim, rig.cfg.mchid, a.out_trade_no) is None


def test_untrusted_queries_while_userpaying(rig: Rig) -> None:
    rig.fault("bad_signature", BY_NO, count=3, method="GET")
    rig.fault("error500", BY_NO, count=2, method="GET")
    aid = rig.till.pay_code(rig.order(), auth_code_for("userpaying_then_success", seconds=1))
    assert rig.finish(aid) == S.PAID


def test_reverse_recall_and_errors_are_retried(rig: Rig) -> None:
    rig.fault("error500", BY_NO, count=2, method="POST")
    aid = rig.till.pay_code(rig.order(), auth_code_for("userpaying_forever"))
    assert rig.finish(aid) == S.REVERSED


def test_reverse_down_for_good_is_uncertain_then_recovered(rig: Rig) -> None:
    oid = rig.order()
    rig.fault("error503", BY_NO, count=50, method="POST")
    aid = rig.till.pay_code(oid, auth_code_for("userpaying_forever"))
    assert rig.till.wait_idle(30)
    a = rig.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN
    with pytest.raises(PaymentRefused) as refused:
        rig.till.pay_code(oid, auth_code_for("success"))
    assert "结果未知" in zh(refused.value.message)
    rig.sim.engine.reset_faults()
    events = rig.till.recover()
    assert [(e.attempt_id, e.state) for e in events] == [(aid, S.REVERSED)]
    assert_consistent(rig.till, rig.sim, rig.cfg.mchid)


@pytest.mark.parametrize("kind", ["error503", "drop_after_commit", "bad_signature"])
def test_native_prepay_faults_then_paid(rig: Rig, kind: str) -> None:
    rig.fault(kind, NATIVE)
    aid = rig.till.pay_native(rig.order())
    assert rig.awaiting.wait(10)
    a = rig.till.attempt(aid)
    assert a is not None
    rig.sim.engine.pay(code_url=a.code_url)
    assert rig.finish(aid) == S.PAID


def test_native_close_answer_lost_still_closed(rig: Rig) -> None:
    rig.fault("drop_after_commit", BY_NO, method="POST")
    aid = rig.till.pay_native(rig.order())
    assert rig.awaiting.wait(10)
    rig.till.cancel(aid)
    assert rig.finish(aid) == S.CLOSED


def test_native_paid_while_close_in_flight(rig: Rig) -> None:
    aid = rig.till.pay_native(rig.order())
    assert rig.awaiting.wait(10)
    a = rig.till.attempt(aid)
    assert a is not None
    rig.fault("error500", BY_NO, count=100, method="GET")  # no more queries succeed
    rig.sim.engine.pay(code_url=a.code_url)
    rig.till.cancel(aid)
    assert rig.finish(aid) == S.PAID  # close answered ORDER_PAID


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_recovery_with_network_down_reports_uncertain(sim: SimulatorServer, tmp_path: Path,
                                                      cfg: MerchantConfig) -> None:
    db_path = tmp_path / "pos.sqlite3"
    rig = Rig(sim, tmp_path, cfg)
    oid = rig.order()
    # The state a till killed while showing the QR leaves behind: intent + awaiting row,
    # an unpaid Native order at WeChat Pay.
    with rig.db.transaction() as conn:
        aid = rig.till.attempts.insert(
            conn, order_id=oid, method=PaymentMethod.NATIVE,
            out_trade_no=out_trade_no("P", rig.till.clock.now(), "01", 9999),
            amount=Fen(350), state=S.AWAITING_CUSTOMER)
    a = rig.till.attempt(aid)
    assert a is not None
    sim.engine.create_native(cfg.mchid, cfg.appid, a.out_trade_no, "test", 350)
    rig.till.shutdown()
    rig.db.close()

    offline = dataclasses.replace(cfg, base_url=f"http://127.0.0.1:{_dead_port()}")
    db = Database(db_path)
    till = TillService(db, WechatGateway.from_config(offline), policy=POLICY)
    events = till.recover()
    assert [(e.attempt_id, e.state, e.recovered) for e in events] == [(aid, S.UNCERTAIN, True)]
    assert till.recovered  # sales may continue, but this order stays blocked
    with pytest.raises(PaymentRefused) as refused:
        till.pay_native(oid)
    assert "结果未知" in zh(refused.value.message)
    till.shutdown()

    online = TillService(db, WechatGateway.from_config(cfg), policy=POLICY)
    events = online.recover()
    assert [(e.attempt_id, e.state) for e in events] == [(aid, S.CLOSED)]
    assert_consistent(online, sim, cfg.mchid)
    view = sim_order(sim, cfg.mchid, a.out_trade_no)
    assert view is not None and view.trade_state == "CLOSED"
    online.shutdown()
    db.close()


def test_v2_micropay_protocol(sim: SimulatorServer, tmp_path: Path, cfg: MerchantConfig) -> None:
    if not cfg.apiv2_key:
        pytest.skip("simulator provides no APIv2 key")
    rig = Rig(sim, tmp_path, dataclasses.replace(cfg, codepay_protocol="v2"))
    aid = rig.till.pay_code(rig.order(), auth_code_for("success"))
    assert rig.finish(aid) == S.PAID
    aid = rig.till.pay_code(rig.order(), auth_code_for("reverse_recall_once"))
    assert rig.finish(aid) == S.PAID
    oid = rig.order()
    aid = rig.till.pay_code(oid, auth_code_for("userpaying_forever"))
    assert rig.finish(aid) == S.REVERSED
    rig.till.shutdown()
    rig.db.close()
