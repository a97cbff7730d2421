"""Network faults against the Alipay simulator (timeouts, 5xx, answers lost after Alipay
acted, bad signatures, the network down during recovery) through the real client stack;
every case ends paid exactly once or not charged — the WeChat matrix, for Alipay."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from unittest.mock import MagicMock

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.payments.channels.alipay import AlipayChannel
from pos_app.payments.ids import out_trade_no
from pos_app.payments.till import PaymentRefused, TillService
from pos_app.simulator.alipay.scenarios import auth_code_for
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from pos_app.storage.db import Database
from tests.alipay_rig import POLICY, AlipayRig, S, alipay_config, assert_consistent
from tests.unit.payments.conftest import zh

pytestmark = pytest.mark.slow

PAY = "alipay.trade.pay"
PRECREATE = "alipay.trade.precreate"
QUERY = "alipay.trade.query"
CANCEL = "alipay.trade.cancel"
CLOSE = "alipay.trade.close"


@pytest.fixture(scope="module")
def ali_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AlipaySimulatorServer]:
    server = AlipaySimulatorServer(tmp_path_factory.mktemp("alisim")).start()
    yield server
    server.stop()


@pytest.fixture
def rig(ali_sim: AlipaySimulatorServer, tmp_path: Path) -> Iterator[AlipayRig]:
    ali_sim.reset_faults()
    r = AlipayRig(ali_sim, tmp_path, alipay_config(ali_sim, read_timeout=0.5))
    yield r
    r.close()
    ali_sim.reset_faults()


@pytest.mark.parametrize("kind", ["drop_after_commit", "timeout", "bad_signature"])
def test_pay_answer_lost_after_charge_is_paid_once(rig: AlipayRig, kind: str) -> None:
    rig.sim.inject(kind, method=PAY, seconds=1.0 if kind == "timeout" else None)
    aid = rig.till.pay_code(rig.order(), auth_code_for("success"))
    assert rig.finish(aid) == S.PAID


@pytest.mark.parametrize("kind", ["error500", "error503"])
def test_pay_never_performed_ends_not_charged(rig: AlipayRig, kind: str) -> None:
    rig.sim.inject(kind, method=PAY)
    aid = rig.till.pay_code(rig.order(), auth_code_for("success"))
    assert rig.finish(aid) in (S.FAILED, S.REVERSED)
    a = rig.till.attempt(aid)
    assert a is not None and rig.sim.engine.get(a.out_trade_no) is None


def test_untrusted_queries_while_waiting_for_password(rig: AlipayRig) -> None:
    rig.sim.inject("bad_signature", method=QUERY, count=3)
    rig.sim.inject("error500", method=QUERY, count=2)
    aid = rig.till.pay_code(rig.order(), auth_code_for("wait_then_success", seconds=1))
    assert rig.finish(aid) == S.PAID


def test_cancel_errors_are_retried(rig: AlipayRig) -> None:
    rig.sim.inject("error500", method=CANCEL, count=2)
    aid = rig.till.pay_code(rig.order(), auth_code_for("wait_forever"))
    assert rig.finish(aid) == S.REVERSED


def test_cancel_down_for_good_is_uncertain_then_recovered(rig: AlipayRig) -> None:
    oid = rig.order()
    rig.sim.inject("error503", method=CANCEL, count=50)
    aid = rig.till.pay_code(oid, auth_code_for("wait_forever"))
    assert rig.finish(aid, allow_uncertain=True) == S.UNCERTAIN
    with pytest.raises(PaymentRefused) as refused:
        rig.till.pay_code(oid, auth_code_for("success"))
    assert "结果未知" in zh(refused.value.message)
    rig.sim.reset_faults()
    events = rig.till.recover()
    assert [(e.attempt_id, e.state) for e in events] == [(aid, S.REVERSED)]
    assert_consistent(rig.till, rig.sim)


@pytest.mark.parametrize("kind", ["error503", "drop_after_commit", "bad_signature"])
def test_precreate_faults_then_paid(rig: AlipayRig, kind: str) -> None:
    rig.sim.inject(kind, method=PRECREATE)
    aid = rig.till.pay_native(rig.order(), "alipay")
    assert rig.awaiting.wait(10)
    a = rig.till.attempt(aid)
    assert a is not None
    rig.sim.customer_pay(qr_code=a.code_url)
    assert rig.finish(aid) == S.PAID


def test_close_answer_lost_still_closed(rig: AlipayRig) -> None:
    aid = rig.till.pay_native(rig.order(), "alipay")
    assert rig.awaiting.wait(10)
    a = rig.till.attempt(aid)
    assert a is not None
    rig.sim.customer_pay(qr_code=a.code_url, action="scan")
    rig.sim.inject("drop_after_commit", method=CLOSE)
    rig.till.cancel(aid)
    assert rig.finish(aid) == S.CLOSED


def test_paid_while_close_in_flight(rig: AlipayRig) -> None:
    aid = rig.till.pay_native(rig.order(), "alipay")
    assert rig.awaiting.wait(10)
    a = rig.till.attempt(aid)
    assert a is not None
    rig.sim.inject("error500", method=QUERY, count=3)
    rig.sim.customer_pay(qr_code=a.code_url)
    rig.till.cancel(aid)
    assert rig.finish(aid) == S.PAID   # close refused (trade paid) → asked → paid


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_recovery_with_network_down_reports_uncertain(ali_sim: AlipaySimulatorServer,
                                                      tmp_path: Path) -> None:
    cfg = alipay_config(ali_sim, read_timeout=0.5)
    rig = AlipayRig(ali_sim, tmp_path, cfg)
    oid = rig.order()
    # What a till killed while showing an Alipay QR leaves: an awaiting row whose QR a
    # customer has scanned (password box open).
    no = out_trade_no("P", rig.till.clock.now(), "01", 9999)
    with rig.db.transaction() as conn:
        aid = rig.till.attempts.insert(
            conn, order_id=oid, method=PaymentMethod.NATIVE, out_trade_no=no,
            amount=Fen(350), state=S.AWAITING_CUSTOMER, channel="alipay",
            expires_at=rig.till.clock.now() + timedelta(minutes=3))
    qr = rig.channel.client.precreate(out_trade_no=no, total_fen=350, subject="test",
                                      qr_timeout_minutes=2)
    ali_sim.customer_pay(qr_code=qr.qr_code, action="scan")
    rig.close()

    offline = AlipayChannel.from_config(dataclasses.replace(
        cfg, gateway_url=f"http://127.0.0.1:{_dead_port()}/gateway.do"))
    db = Database(tmp_path / "pos.sqlite3")
    till = TillService(db, {"alipay": offline}, policy=POLICY)
    events = till.recover()
    assert [(e.attempt_id, e.state, e.recovered) for e in events] == [(aid, S.UNCERTAIN, True)]
    with pytest.raises(PaymentRefused):
        till.pay_native(oid, "alipay")
    till.shutdown()

    online = AlipayChannel.from_config(cfg)
    till = TillService(db, {"alipay": online}, policy=POLICY)
    events = till.recover()
    assert [(e.attempt_id, e.state) for e in events] == [(aid, S.CLOSED)]
    assert_consistent(till, ali_sim)
    doc = ali_sim.engine.get(no)
    assert doc is not None and doc.status == "TRADE_CLOSED"
    till.shutdown()
    db.close()


def test_attempt_of_a_channel_no_longer_enabled_stays_uncertain(
        ali_sim: AlipaySimulatorServer, tmp_path: Path) -> None:
    """Recovery resolves each attempt with its own channel; without it, nothing is guessed."""
    rig = AlipayRig(ali_sim, tmp_path, alipay_config(ali_sim))
    oid = rig.order()
    with rig.db.transaction() as conn:
        aid = rig.till.attempts.insert(
            conn, order_id=oid, method=PaymentMethod.CODEPAY, channel="alipay",
            out_trade_no=out_trade_no("P", rig.till.clock.now(), "01", 9998), amount=Fen(350))
    rig.close()
    db = Database(tmp_path / "pos.sqlite3")
    wechat = MagicMock()   # a WeChat-only till: WeChat must never be asked about it
    till = TillService(db, {"wechat": wechat}, policy=POLICY)
    events = till.recover()
    assert [(e.attempt_id, e.state) for e in events] == [(aid, S.UNCERTAIN)]
    assert wechat.mock_calls == []
    till.shutdown()
    db.close()
