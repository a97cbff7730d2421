"""Manager screens over the real back end: the UI stack's simulator + SQLite + till,
plus :func:`build_manager_services` on the same database with its own gateway."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from pos_app.backend import StaffAccounts
from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.manager.services import ManagerServices, build_manager_services
from pos_app.payments.channels.wechat import WechatGateway
from pos_app.simulator.scenarios import random_success_code
from pos_app.storage.staff import UserRepository
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.manager import ManagerContext
from pos_app.ui.services import Session
from pos_app.wechatpay.config import load_merchant_config

CASHIER = Session("王芳", "cashier")
MANAGER = Session("李经理", "manager")
MANAGER_PIN = "1470"
FAST_POLL = (0.2,) * 40            # the simulator completes refunds after 1 s


@dataclass
class ManagerWorld:
    stack: object
    gateway: WechatGateway
    services: ManagerServices
    worker: Worker
    make_ctx: Callable[[Session], ManagerContext]

    def sell(self, *items: tuple[str, int], cash: int | None = None) -> int:
        """Sell catalog SKUs ``(sku, qty)``; WeChat payment code unless ``cash`` tendered."""
        st = self.stack
        cart = Cart()
        for sku, qty in items:
            product = st.catalog.by_sku(sku)  # type: ignore[attr-defined]
            assert product is not None
            cart.add(product, qty)
        till = st.till  # type: ignore[attr-defined]
        order_id: int = till.create_order(cart, cashier=CASHIER.name)
        if cash is None:
            till.pay_code(order_id, random_success_code())
        else:
            till.pay_cash(order_id, Fen(cash))
        assert till.wait_idle(15)
        [attempt] = till.attempts_for_order(order_id)
        assert attempt.state is AttemptState.PAID
        return order_id


@pytest.fixture
def world(stack) -> Iterator[ManagerWorld]:
    gateway = WechatGateway.from_config(load_merchant_config(stack.server.merchant_config_path))
    services = build_manager_services(stack.db, gateway, refund_follow_schedule=FAST_POLL)
    worker = Worker(Bridge())
    staff = stack.services.login.user_names
    accounts = StaffAccounts(UserRepository(stack.db), services.staff)

    def make_ctx(session: Session) -> ManagerContext:
        return ManagerContext(services=services, session=session, worker=worker, staff=staff,
                              accounts=accounts)

    yield ManagerWorld(stack, gateway, services, worker, make_ctx)
    services.refunds.shutdown()
    worker.shutdown(wait=True)
