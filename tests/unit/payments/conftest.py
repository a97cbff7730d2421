from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.text import Message
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.till import TillService
from pos_app.storage.db import Database
from tests.helpers.clock import InstantWaiter, ManualClock
from tests.unit.payments.fakes import FakeGateway


class Harness:
    def __init__(self, tmp: Path) -> None:
        self.clock = ManualClock()
        self.waiter = InstantWaiter(self.clock)
        self.gw = FakeGateway(self.clock)
        self.db = Database(tmp / "t.sqlite3")
        self.events: list[PaymentEvent] = []
        self.till = self.make_till()

    def make_till(self) -> TillService:
        till = TillService(self.db, WechatChannel(self.gw, None), clock=self.clock,
                           waiter=self.waiter)
        till.subscribe(self._on_event)
        return till

    def _on_event(self, e: PaymentEvent) -> None:
        # Every event must describe state that is already committed.
        a = self.till.attempt(e.attempt_id)
        assert a is not None and a.state == e.state
        self.events.append(e)

    def order(self, price: int = 300, qty: int = 1) -> int:
        cart = Cart()
        cart.add(Product("COKE", "可口可乐 330ml", Fen(price), "6901234567011"), qty)
        return self.till.create_order(cart, cashier="alice")

    def run(self) -> None:
        assert self.till.wait_idle(10)

    def states(self, attempt_id: int) -> list[str]:
        return [e.state.value for e in self.events if e.attempt_id == attempt_id]


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = Harness(tmp_path)
    harness.till.recover()
    yield harness
    harness.till.shutdown()
    harness.db.close()


def zh(stored: str | Message | None) -> str:
    """An attempt's stored message as the Chinese UI shows it (Qt-free renderer): lets
    the tests keep asserting on the words the cashier reads."""
    from pos_app.payments.messages import from_stored
    from pos_app.ui import plain_text

    message = stored if isinstance(stored, Message) or stored is None else from_stored(stored)
    assert message is not None, "no message stored"
    return plain_text.render(message, "zh_CN")
