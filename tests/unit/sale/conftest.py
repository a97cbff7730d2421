"""The sale controller on the real till: SQLite, TillService, the simulator over HTTP.

No Qt: :class:`QueueRunner` plays the UI's worker + bridge (work on a thread, results
and payment events delivered on the test thread when it pumps)."""

from __future__ import annotations

import math
import queue
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pos_app.devices.receipt import Receipt
from pos_app.domain.catalog import Product
from pos_app.domain.text import Message
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.wechat import WechatGateway
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import TillService
from pos_app.sale.controller import SaleController
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database
from pos_app.wechatpay.config import load_merchant_config

FAST = Schedule(((math.inf, 0.05),))


class QueueRunner:
    """A one-thread worker whose callbacks run when the test thread pumps."""

    def __init__(self, inbox: queue.Queue[Callable[[], None]]) -> None:
        self.inbox = inbox
        self.pool = ThreadPoolExecutor(max_workers=1)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> object:
        def job() -> None:
            try:
                result = fn()
            except BaseException as exc:
                if on_error is not None:
                    self.inbox.put(lambda err=exc: on_error(err))  # type: ignore[misc]
                return
            if on_done is not None:
                self.inbox.put(lambda: on_done(result))

        return self.pool.submit(job)


@dataclass
class Screen:
    """A recording :class:`SaleObserver`."""

    notices: list[tuple[Message, bool]] = field(default_factory=list)
    started: list[tuple[int, int]] = field(default_factory=list)
    start_failures: list[BaseException] = field(default_factory=list)
    events: list[PaymentEvent] = field(default_factory=list)
    other_events: list[PaymentEvent] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    failures: list[BaseException] = field(default_factory=list)
    cart_changes: int = 0
    payment_may_close: bool = True
    closed_payments: int = 0

    def cart_changed(self) -> None:
        self.cart_changes += 1

    def sale_notice(self, message: Message, error: bool) -> None:
        self.notices.append((message, error))

    def payment_started(self, order_id: int, attempt_id: int) -> None:
        self.started.append((order_id, attempt_id))

    def payment_start_failed(self, exc: BaseException) -> None:
        self.start_failures.append(exc)

    def payment_event(self, event: PaymentEvent) -> None:
        self.events.append(event)

    def order_event(self, event: PaymentEvent) -> None:
        self.other_events.append(event)

    def close_payment(self) -> bool:
        if self.payment_may_close:
            self.closed_payments += 1
        return self.payment_may_close

    def sale_finished(self, receipt: Receipt) -> None:
        self.receipts.append(receipt)

    def task_failed(self, exc: BaseException) -> None:
        self.failures.append(exc)


@dataclass(frozen=True)
class PrinterCfg:
    kind: str = "none"
    target: str = ""
    baud: int = 9600
    encoding: str = "gb18030"
    width: int = 32


@dataclass
class World:
    server: SimulatorServer
    db: Database
    till: TillService
    catalog: ProductRepository
    sale: SaleController
    screen: Screen
    inbox: queue.Queue[Callable[[], None]]
    runner: QueueRunner

    def product(self, sku: str) -> Product:
        p = self.catalog.by_sku(sku)
        assert p is not None
        return p

    def pump_until(self, cond: Callable[[], bool], timeout: float = 10.0) -> None:
        """Deliver results and events on this thread until ``cond()`` holds."""
        import time

        deadline = time.monotonic() + timeout
        while not cond():
            left = deadline - time.monotonic()
            assert left > 0, "timed out"
            try:
                deliver = self.inbox.get(timeout=min(0.05, left))
            except queue.Empty:
                continue
            deliver()

    def network_down(self) -> dict[str, Any]:
        from pos_app.wechatpay.errors import TransportError

        gw = getattr(self.till.gateway, "v3", self.till.gateway)  # below a channel adapter
        saved = {name: getattr(gw, name) for name in ("reverse", "query", "close")}

        def down(*_a: object, **_k: object) -> None:
            raise TransportError("connection refused")

        for name in saved:
            setattr(gw, name, down)
        return saved

    def network_up(self, saved: dict[str, Any]) -> None:
        gw = getattr(self.till.gateway, "v3", self.till.gateway)
        for name, fn in saved.items():
            setattr(gw, name, fn)


def fast_policy() -> PollPolicy:
    return PollPolicy(codepay_poll=FAST, native_poll=FAST, unknown_first_wait=0.1,
                      prepay_retry_waits=(0.05,), reverse_retry_waits=(0.05, 0.05, 0.1),
                      close_retry_waits=(0.05, 0.1))


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    server = SimulatorServer(tmp_path / "sim").start()
    db = Database(tmp_path / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    gateway = WechatGateway.from_config(load_merchant_config(server.merchant_config_path))
    till = TillService(db, gateway, policy=fast_policy())
    till.recover()
    inbox: queue.Queue[Callable[[], None]] = queue.Queue()
    runner = QueueRunner(inbox)
    screen = Screen()
    sale = SaleController(till, runner, cashier="王芳", shop_name="测试商店",
                          printer=PrinterCfg(), observer=screen)
    sale.sales_enabled = True
    till.subscribe(lambda ev: inbox.put(lambda: sale.on_payment_event(ev)))
    yield World(server, db, till, catalog, sale, screen, inbox, runner)
    runner.pool.shutdown(wait=True)
    till.shutdown(wait=True)
    server.stop()
    db.close()
