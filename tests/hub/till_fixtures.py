"""A real till (TillService on a real SQLite file, the fake WeChat gateway) for hub tests."""

from __future__ import annotations

from pathlib import Path

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.till import TillService
from pos_app.storage.db import Database
from pos_app.storage.outbox import OutboxRepository
from pos_app.storage.shifts import ShiftRepository
from tests.helpers.clock import InstantWaiter, ManualClock
from tests.unit.payments.fakes import FakeGateway

TILL = "01"


def cart(price_fen: int = 300, qty: int = 2) -> Cart:
    c = Cart()
    c.add(Product("COKE", "可口可乐 330ml", Fen(price_fen), "6901234567011"), qty)
    return c


def make_till(path: Path, *, enabled: bool = True) -> tuple[TillService, OutboxRepository]:
    clock = ManualClock()
    db = Database(path, till_id=TILL)
    outbox = OutboxRepository(db)
    if enabled:
        outbox.enable(TILL)
    till = TillService(db, WechatChannel(FakeGateway(clock), None), till_id=TILL, clock=clock,
                       waiter=InstantWaiter(clock))
    till.recover()
    return till, outbox


def cash_sale(till: TillService, price_fen: int = 300) -> int:
    order = till.create_order(cart(price_fen), cashier="王芳")
    till.pay_cash(order, Fen(price_fen * 2))
    assert till.wait_idle(10)
    return order


def open_shift(till: TillService) -> None:
    ShiftRepository(till.db, till_id=TILL).open("王芳", Fen(10000))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def enrol_at(hub: object, url: str, name: str = "Till 1") -> object:
    """Enrol with the CLI's one-time code, pinning the hub's CA by its fingerprint."""
    import re

    from pos_app.hub.client import enrol

    out = hub.cli("enrol-code")  # type: ignore[attr-defined]
    code = re.search(r"code \(valid 24 h, once\): (\S+)", out)
    fingerprint = re.search(r"fingerprint: ([0-9a-f]{64})", out)
    assert code is not None
    return enrol(url, code.group(1), name, fingerprint.group(1) if fingerprint else None)
