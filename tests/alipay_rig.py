"""A till with Alipay (and optionally WeChat Pay) against the Alipay simulator, for the
Alipay end-to-end and fault tests."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from pos_app.alipay import AlipayConfig, load_alipay_config
from pos_app.domain.cart import Cart
from pos_app.domain.payment import AttemptState
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.alipay import AlipayChannel
from pos_app.payments.gateway import PaymentChannel
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import TillService
from pos_app.simulator.alipay.engine import TradeDoc
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from pos_app.storage.catalog import demo_products
from pos_app.storage.db import Database

S = AttemptState

#: Fast polling; the QR lives 2 minutes (Alipay QR timeouts are whole minutes).
POLICY = PollPolicy(
    codepay_poll=Schedule(((float("inf"), 0.1),)), codepay_deadline=1.5,
    unknown_first_wait=0.2, native_poll=Schedule(((float("inf"), 0.1),)), native_ttl=130,
    prepay_retry_waits=(0.1, 0.2), reverse_retry_waits=(0.1, 0.2, 0.3),
    close_retry_waits=(0.1, 0.2), close_confirm_window=0.5, not_found_grace=0.3,
)


def alipay_config(sim: AlipaySimulatorServer, *, cert_mode: bool = False,
                  read_timeout: float = 0.8) -> AlipayConfig:
    path = sim.merchant_certmode_config_path if cert_mode else sim.merchant_config_path
    return dataclasses.replace(load_alipay_config(path), read_timeout=read_timeout,
                               deadline=max(2.0, read_timeout))


def charged(doc: TradeDoc | None) -> bool:
    """Money is with the merchant (a trade cancelled after paying gave it back)."""
    return doc is not None and doc.status in ("TRADE_SUCCESS", "TRADE_FINISHED")


def assert_consistent(till: TillService, sim: AlipaySimulatorServer,
                      *, allow_uncertain: bool = False) -> dict[int, AttemptState]:
    """Each order: paid exactly once or not charged; the DB agrees with Alipay."""
    result: dict[int, AttemptState] = {}
    for order in till.recent_orders(1000):
        attempts = till.attempts_for_order(order.id)
        charges = 0
        for a in attempts:
            doc = sim.engine.get(a.out_trade_no)
            if a.state == S.UNCERTAIN and allow_uncertain:
                continue
            assert a.state.terminal, f"attempt {a.id} left {a.state}"
            assert a.channel == "alipay"
            assert (a.state == S.PAID) == charged(doc), (
                f"DB says {a.state}, simulator says {doc.status if doc else 'no trade'}")
            charges += charged(doc)
            result[a.id] = a.state
        assert charges <= 1, f"order {order.id} charged {charges} times"
        paid = [a for a in attempts if a.state == S.PAID]
        assert (order.status.value == "paid") == bool(paid)
    return result


class AlipayRig:
    def __init__(self, sim: AlipaySimulatorServer, tmp: Path, cfg: AlipayConfig, *,
                 wechat: PaymentChannel | None = None, policy: PollPolicy = POLICY) -> None:
        self.sim = sim
        self.db = Database(tmp / "pos.sqlite3")
        self.channel = AlipayChannel.from_config(cfg)
        channels: dict[str, PaymentChannel] = {"alipay": self.channel}
        if wechat is not None:
            channels["wechat"] = wechat
        self.till = TillService(self.db, channels, policy=policy)
        self.events: list[PaymentEvent] = []
        self.awaiting = threading.Event()
        self.till.subscribe(self._on)
        self.till.recover()

    def _on(self, e: PaymentEvent) -> None:
        self.events.append(e)
        if e.state == S.AWAITING_CUSTOMER:
            self.awaiting.set()

    def order(self, index: int = 1) -> int:
        cart = Cart()
        cart.add(demo_products()[index])
        return self.till.create_order(cart, cashier="ali")

    def finish(self, attempt_id: int, *, allow_uncertain: bool = False) -> AttemptState:
        assert self.till.wait_idle(30)
        a = self.till.attempt(attempt_id)
        assert a is not None
        assert_consistent(self.till, self.sim, allow_uncertain=allow_uncertain)
        return a.state

    def close(self) -> None:
        self.till.shutdown()
        self.channel.client.close_client()
        self.db.close()
