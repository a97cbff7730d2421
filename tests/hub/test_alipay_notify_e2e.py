"""End to end for Alipay's 异步通知: the Alipay simulator's notification sender POSTs to the
hub's ``/alipay/notify`` over a real socket (the hub served by uvicorn), in public-key and
certificate mode, on SQLite and PostgreSQL. A customer pays a QR the till had cancelled →
the simulator notifies the hub → the hub flags a late payment; a hub that is down gets the
same notification again on Alipay's (shortened) schedule and records it once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.testclient import TestClient

from pos_app.alipay import AlipayClient, load_alipay_config
from pos_app.hub.alipay_notify import AlipayNotifyReceiver
from pos_app.hub.app import create_app
from pos_app.hub.config import load_config
from pos_app.hub.store import HubStore
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from tests.hub.rows import TillRows, as_json
from tests.hub.test_alipay_notify import flags, hub_toml, notes
from tests.hub.test_api import enrol, upload
from tests.hub.till_fixtures import free_port


class Served:
    """The hub's app on 127.0.0.1:<port> with uvicorn in a thread (start/stop at will)."""

    def __init__(self, app: object, port: int) -> None:
        self.app, self.port = app, port
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1",  # type: ignore[arg-type]
                                                    port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_for(lambda: self.server is not None and self.server.started)

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(10)
            self.server = self.thread = None


def wait_for(pred: Callable[[], object], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.fixture(params=["public_key", "cert"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def shop(store: HubStore, mode: str, tmp_path: Path
         ) -> Iterator[tuple[AlipaySimulatorServer, Served, TestClient]]:
    port = free_port()
    sim = AlipaySimulatorServer(tmp_path / "ali", notify_url=f"http://127.0.0.1:{port}/alipay/notify",
                                notify_retry_scale=0.002, notify_cert_mode=mode == "cert")
    sim.notifier.poll_s = 0.05
    sim.start()
    config = load_config(tmp_path, hub_toml(sim, mode, tmp_path))
    assert config.alipay_notify is not None
    receiver = AlipayNotifyReceiver(store, config.alipay_notify)
    served = Served(create_app(store, alipay_notify=receiver), port)
    with TestClient(create_app(store, alipay_notify=receiver)) as client:
        yield sim, served, client
    served.stop()
    sim.stop()


def qr_paid_after_the_till_cancelled(sim: AlipaySimulatorServer, client: TestClient,
                                     auth: dict[str, str], till: str, total_fen: int) -> str:
    order_id = f"O{time.time_ns()}"
    with AlipayClient.from_config(load_alipay_config(sim.merchant_config_path)) as c:
        c.precreate(out_trade_no="N" + order_id, total_fen=total_fen, subject="x")
    upload(client, auth, list(as_json(TillRows(till).sale(
        order_id, total_fen, method="alipay", order_status="cancelled", attempt_state="closed"))))
    sim.customer_pay(out_trade_no="N" + order_id)   # the customer pays after all
    return order_id


def test_a_late_alipay_payment_reaches_the_hub_as_a_flag(shop, store: HubStore) -> None:
    sim, served, client = shop
    served.start()
    till, auth = enrol(client, store)
    paid = time.monotonic()
    order_id = qr_paid_after_the_till_cancelled(sim, client, auth, till, 1250)
    wait_for(lambda: any(f["kind"] == "late_payment" for f in flags(client, auth)))
    assert time.monotonic() - paid < 10
    [flag] = flags(client, auth)
    assert (flag["till_id"], flag["order_id"], flag["amount_fen"]) == (till, order_id, 1250)
    [row] = sim.notifier.pending()
    assert row["delivered_at"] is not None and row["failures"] == 0 and notes(store) == 1


def test_the_hub_down_gets_it_again_on_alipays_schedule_once(shop, store: HubStore) -> None:
    sim, served, client = shop
    till, auth = enrol(client, store)
    qr_paid_after_the_till_cancelled(sim, client, auth, till, 800)
    wait_for(lambda: sim.notifier.pending() and sim.notifier.pending()[0]["failures"] >= 2)
    assert notes(store) == 0                        # nobody heard it
    served.start()
    wait_for(lambda: sim.notifier.pending()[0]["delivered_at"] is not None, timeout=30)
    assert notes(store) == 1
    assert [f["kind"] for f in flags(client, auth)] == ["late_payment"]
