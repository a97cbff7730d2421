"""End to end: the real hub process (TLS), the WeChat Pay simulator sending its callbacks to
the hub's notify_url, a till on the real WeChat adapter feeding the hub. A customer pays an
order the till had closed → the simulator calls the hub back → the hub flags a late payment
→ the till pulls the flag and shows it to the manager."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.hub.client import Enrolment, HubClient
from pos_app.hub.db import sqlite_url
from pos_app.hub.sender import HubSender
from pos_app.payments.channels.wechat import WechatGateway
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import TillService
from pos_app.simulator.realism import Realism
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.db import Database
from pos_app.storage.outbox import OutboxRepository
from pos_app.wechatpay.config import load_merchant_config
from tests.hub.proc import HubProcess
from tests.hub.till_fixtures import TILL, cart, enrol_at, free_port

pytestmark = pytest.mark.slow
FAST = Schedule(((30.0, 0.05),))


def fast_policy() -> PollPolicy:
    return PollPolicy(codepay_poll=FAST, native_poll=FAST, unknown_first_wait=0.1,
                      prepay_retry_waits=(0.05,), reverse_retry_waits=(0.05, 0.05, 0.1),
                      close_retry_waits=(0.05, 0.1))


def wechat_section(sim: Path) -> str:
    ident = __import__("json").loads((sim / "identity.json").read_text())
    return ("\n[wechatpay]\n"
            f'apiv3_key_file = "{sim / "apiv3.key"}"\n'
            f'public_key_id = "{ident["public_key_id"]}"\n'
            f'public_key_file = "{sim / "pub_key.pem"}"\n'
            f'platform_cert_files = ["{sim / "platform_cert.pem"}"]\n')


@dataclass
class Shop:
    hub: HubProcess
    url: str
    sim: SimulatorServer
    till: TillService
    outbox: OutboxRepository
    sender: HubSender
    client: HubClient


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    sim_dir = tmp_path / "sim"
    sim = SimulatorServer(sim_dir, realism=Realism(bill_ready_hour=None, close_lag_s=0,
                                                   notify_retry_scale=0.01))
    hub = HubProcess(tmp_path / "hub", sqlite_url(tmp_path / "hubdata"), port=free_port())
    hub.config.write_text(hub.config.read_text() + wechat_section(sim_dir))
    url = hub.start()
    enrolment = enrol_at(hub, url)
    assert isinstance(enrolment, Enrolment) and enrolment.ca_pem is not None
    sim.notify_ca_pem = enrolment.ca_pem          # the shop's hub, trusted like a public CA
    sim.merchant_json_extra["notify_url"] = f"{url}/wechatpay/notify"
    sim.start()
    db = Database(tmp_path / "till.sqlite3", till_id=TILL)
    outbox = OutboxRepository(db)
    outbox.enable(TILL)
    gateway = WechatGateway.from_config(load_merchant_config(sim.merchant_config_path))
    till = TillService(db, gateway, till_id=TILL, policy=fast_policy())
    till.recover()
    client = HubClient(enrolment, timeout=5)
    sender = HubSender(outbox, client, local_till=TILL, hub_till=enrolment.till_id,
                       interval_s=0.05, pull_every_s=0.1, backoff_s=(0.1,))
    yield Shop(hub, url, sim, till, outbox, sender, client)
    sender.stop()
    client.close()
    till.shutdown()
    db.close()
    sim.stop()
    hub.stop()


def book_late_payment(sim: SimulatorServer, out_trade_no: str) -> None:
    """WeChat's record turns SUCCESS after it had confirmed the close (what the hub's
    callback check exists for: the till believes the order closed for certain)."""
    engine = sim.engine
    with engine._tx():
        o = engine._get(sim.identity.mchid, out_trade_no)
        assert o is not None and o.trade_state == "CLOSED"
        engine._mark_paid(o, engine.clock())
        engine._save(o)


def wait_for(pred: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_late_payment_reaches_the_till_as_a_flag_within_seconds(shop: Shop) -> None:
    order = shop.till.create_order(cart(500, 1), cashier="王芳")
    attempt = shop.till.pay_native(order)
    wait_for(lambda: shop.till.attempt(attempt).state is AttemptState.AWAITING_CUSTOMER)  # type: ignore[union-attr]
    shop.till.cancel(attempt)                    # the customer walks away; the till closes
    wait_for(lambda: shop.till.attempt(attempt).state is AttemptState.CLOSED)  # type: ignore[union-attr]
    out_trade_no = shop.till.attempt(attempt).out_trade_no  # type: ignore[union-attr]
    shop.sender.start()
    wait_for(lambda: shop.outbox.state().unsent == 0)    # the hub knows the order was closed
    paid_at = time.monotonic()
    book_late_payment(shop.sim, out_trade_no)   # …but WeChat books the payment after all
    wait_for(lambda: any(f.kind == "late_payment" for f in shop.outbox.open_flags()))
    seconds = time.monotonic() - paid_at
    [flag] = [f for f in shop.outbox.open_flags() if f.kind == "late_payment"]
    assert (flag.order_id, flag.out_trade_no, flag.amount_fen) == (str(order), out_trade_no, 500)
    assert seconds < 10, seconds
    print(f"late payment: WeChat booked it → flag at the till in {seconds:.2f} s")
    assert shop.sim.notifier is not None
    [note] = [n for n in shop.sim.notifier.pending() if n["event_type"] == "TRANSACTION.SUCCESS"]
    assert note["delivered_at"] is not None and note["failures"] == 0


def test_callbacks_retry_while_the_hub_is_down_and_arrive_once(shop: Shop) -> None:
    shop.sim.set_realism(notify_signtest=True)   # the first delivery is WeChat's SIGNTEST probe
    order = shop.till.create_order(cart(300, 1), cashier="王芳")
    attempt = shop.till.pay_native(order)
    wait_for(lambda: shop.till.attempt(attempt).state is AttemptState.AWAITING_CUSTOMER)  # type: ignore[union-attr]
    out_trade_no = shop.till.attempt(attempt).out_trade_no  # type: ignore[union-attr]
    shop.sim.pay(out_trade_no=out_trade_no)
    wait_for(lambda: shop.till.attempt(attempt).state is AttemptState.PAID)  # type: ignore[union-attr]
    assert shop.sim.notifier is not None
    notes = shop.sim.notifier.pending
    wait_for(lambda: any(n["delivered_at"] for n in notes()))
    [note] = notes()
    assert note["failures"] == 1 and note["last_status"] == 204   # probe refused, then taken
    shop.hub.stop()
    refund_no = "R" + out_trade_no[1:]
    shop.sim.engine.refund(shop.sim.identity.mchid, refund_no, 300, 300,
                           out_trade_no=out_trade_no)
    wait_for(lambda: len(notes()) == 2 and notes()[1]["failures"] >= 1)
    shop.hub.start()
    wait_for(lambda: all(n["delivered_at"] for n in notes()))
    assert notes()[1]["event_type"] == "REFUND.SUCCESS"
    with httpx.Client(verify=False) as c:
        assert c.get(f"{shop.url}/health").status_code == 200
    _ = Fen
