"""The till's back end, Qt-free: the database, catalogue, staff and till built on the
start-up thread (:class:`Core`), the services the sale screen uses, the hub link, the demo
staff, and the sign-in that waits for the back end (:class:`DeferredLogin`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pos_app.payment_connection import (
    Connected,
    Connection,
    LazyChannel,
    LazyGateway,
    Once,
    SimulatorCustomer,
    alipay_channel,
    check_alipay_config,
    check_merchant_config,
    demo_connection,
    start_alipay_simulator,
)
from pos_app.startup_plan import Plan, StartupError, settings_file
from pos_app.ui.services import LoginError, Session

if TYPE_CHECKING:
    from pos_app.domain.staff import Role, StaffUser
    from pos_app.manager.pins import Approval, StaffAdmin
    from pos_app.payments.gateway import PaymentChannel
    from pos_app.payments.till import TillService
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.db import Database
    from pos_app.storage.staff import UserRepository
    from pos_app.ui.services import AppServices

log = logging.getLogger("pos_app")

DEMO_USERS = (("王芳", "cashier", "2580"), ("李经理", "manager", "1470"), ("张老板", "admin", "3690"))


class StaffLogin:
    """:class:`pos_app.ui.services.Login` over the users table + PIN lockout rules.
    ``pepper``: the PIN pepper, or a function fetching the peppers (OS keyring or file) at
    each PIN check (the shop's may arrive from the hub while the till runs) — listing the
    users needs neither them nor the PIN code."""

    def __init__(self, users: Any,
                 pepper: bytes | Callable[[], Any] | None = None) -> None:
        self._users = users
        self._pepper = pepper
        self._auth: Any = None

    def user_names(self) -> list[tuple[str, str]]:
        return [(u.name, u.role.value) for u in self._users.list_users()]

    def _authenticator(self) -> Any:
        if self._auth is None:
            from pos_app.domain.pin_hash import as_peppers
            from pos_app.manager.pins import PinAuthenticator

            source = self._pepper
            if callable(source):
                fetch = source
                self._auth = PinAuthenticator(self._users, pepper=lambda: as_peppers(fetch()))
            else:
                self._auth = PinAuthenticator(self._users, pepper=source)
        return self._auth

    def login(self, name: str, pin: str) -> Session:
        from pos_app.manager.pins import AuthError

        try:
            user = self._authenticator().authenticate(name, pin)
        except AuthError as exc:
            raise LoginError(exc.message) from exc
        return Session(user.name, user.role.value)


class StaffAccounts:
    """:class:`pos_app.ui.services.StaffService`: the users table for the list, the
    manager's :class:`~pos_app.manager.pins.StaffAdmin` for every change."""

    def __init__(self, users: UserRepository, admin: StaffAdmin) -> None:
        self._users = users
        self._admin = admin

    def users(self) -> list[StaffUser]:
        return self._users.list_users()

    def add_user(self, approval: Approval, name: str, role: Role, pin: str) -> None:
        self._admin.add_user(approval, name, role, pin)

    def reset_pin(self, approval: Approval, name: str, new_pin: str) -> None:
        self._admin.reset_pin(approval, name, new_pin)

    def unlock(self, approval: Approval, name: str) -> None:
        self._admin.unlock(approval, name)

    def change_own_pin(self, name: str, old_pin: str, new_pin: str) -> None:
        self._admin.change_own_pin(name, old_pin, new_pin)



@dataclass
class Core:
    """What the till needs before recovery (built on the start-up thread)."""

    plan: Plan
    db: Database
    catalog: ProductRepository
    users: UserRepository
    till: TillService
    connection: Connection
    gateway: PaymentChannel
    login: StaffLogin
    # the PIN pepper (OS keyring or file: slow on a first run, or on a desktop with a
    # keyring) — only PIN checks and new PIN hashes need it, recovery does not
    peppered: Once[bytes]
    demo: SimulatorCustomer | None = None
    hub: Any = None            # pos_app.hub.link.HubService: the store hub link
    closers: list[Callable[[], None]] = field(default_factory=list)
    # every enabled payment channel by name (the till's; refunds and reconciliation too)
    channels: dict[str, Any] = field(default_factory=dict)
    # demo data in place (users, products) and the pepper loaded; recovery waits for neither
    seeded: Future[None] = field(default_factory=Future)

    @property
    def pepper(self) -> bytes:
        return self.peppered.get()

    def peppers(self) -> Any:
        """:class:`pos_app.domain.pin_hash.Peppers`: this database's pepper and, once the till
        is enrolled at a store hub, the shop's (read at each PIN check: it may arrive)."""
        from pos_app.domain.pin_hash import Peppers
        from pos_app.storage.pepper import load_shop_pepper

        return Peppers(local=self.peppered.get(), shop=load_shop_pepper(self.db.path))

    def seed(self) -> None:
        """Demo mode: the demo catalogue and users, where missing (first run). Then the
        pepper, so that the first PIN check does not wait for it."""
        try:
            if not self.plan.live:
                self.catalog.seed_demo()
                if any(self.users.get_user(name) is None for name, _, _ in DEMO_USERS):
                    seed_demo_users(self.users, self.pepper)
            self.peppered.get()
        except BaseException as exc:
            self.seeded.set_exception(exc)
            raise
        self.seeded.set_result(None)

    def close(self) -> None:
        """Drain the payment lane, close the database, stop the simulator (in that order:
        a draining payment may still need both)."""
        for fn in (lambda: self.hub and self.hub.stop(),      # its thread reads the database
                   lambda: self.till.shutdown(wait=True), self.db.close, self.connection.close,
                   *reversed(self.closers)):
            try:
                fn()
            except Exception:  # shutting down: log and go on
                log.exception("shutdown step failed")


def build_core(plan: Plan) -> Core:
    """Storage and the till (blocking; on the start-up thread). Live mode builds the
    gateway here (a bad merchant key fails the start); demo mode defers the simulator."""
    from pos_app.payments.till import TillService
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.db import Database
    from pos_app.storage.pepper import load_pepper
    from pos_app.storage.staff import UserRepository

    closers: list[Callable[[], None]] = []
    channels: dict[str, Any] = {}
    alipay_sim: LazyChannel | None = None
    if plan.live:
        from pos_app.payments.channels.wechat import WechatChannel
        from pos_app.payments.registry import UnavailableChannel
        from pos_app.wechatpay.config import load_merchant_config
        from pos_app.wechatpay.errors import ConfigError

        if plan.merchant_path is not None:
            try:
                merchant = load_merchant_config(plan.merchant_path)
            except ConfigError as exc:
                raise StartupError(f"merchant config: {exc}") from exc
            connection = Connection(lambda: Connected(WechatChannel.from_config(
                merchant, device_id=plan.till_id)))   # the till on every payment (device_id)
        else:   # an Alipay-only shop
            connection = Connection(lambda: Connected(UnavailableChannel("wechat")))
        gateway: PaymentChannel = connection.get().gateway
        if plan.merchant_path is not None:
            channels["wechat"] = gateway
        if plan.alipay_path is not None:   # a bad Alipay key fails the start too
            channels["alipay"] = alipay_channel(plan.alipay_path)
        db = Database(plan.data_dir / "pos_app.sqlite3", till_id=plan.till_id)
    else:
        demo_dir = plan.data_dir / "demo"
        connection = Connection(lambda: demo_connection(demo_dir, plan.till_id))
        gateway = LazyGateway(connection)
        # the Alipay simulator starts on the first Alipay call (or customer-phone use)
        alipay_sim = LazyChannel(lambda: start_alipay_simulator(demo_dir, closers))
        sim = alipay_sim
        channels = {"wechat": gateway, "alipay": LazyChannel(
            lambda: alipay_channel(sim.get().merchant_config_path))}
        db = Database(demo_dir / "pos_app.sqlite3")
    users = UserRepository(db)
    # the PIN pepper, kept outside the database: loaded after recovery has started
    peppered = Once(lambda: load_pepper(db.path))
    till = TillService(db, channels, till_id=plan.till_id, store_name=plan.shop_name)

    def peppers() -> Any:
        from pos_app.domain.pin_hash import Peppers
        from pos_app.storage.pepper import load_shop_pepper

        return Peppers(local=peppered.get(), shop=load_shop_pepper(db.path))

    return Core(plan, db, ProductRepository(db), users, till, connection, gateway,
                StaffLogin(users, peppers), peppered,
                demo=None if alipay_sim is None else SimulatorCustomer(connection, alipay_sim.get),
                closers=closers, channels=channels)


def start_hub(core: Core) -> Any:
    """The store hub link (sends the outbox when this till is enrolled; nothing otherwise),
    built off the UI thread at the first sign-in (it loads the HTTP and TLS stack, which the
    sign-in screen does without). Every payment event wakes the sender."""
    from pos_app.hub.link import HubService

    if core.hub is None:
        hub = HubService(core.db, core.plan.till_id).start()
        core.till.subscribe(lambda _event: hub.poke())
        core.hub = hub
    return core.hub


def build_services(core: Core, login: Any) -> AppServices:
    """The UI's services over ``core``, with the manager back end (on the warm-up thread)."""
    from pos_app.manager.services import build_manager_services
    from pos_app.storage.held_sales import HeldSaleRepository
    from pos_app.ui.services import AppServices, Mode

    # the till's database and gateway
    manager = build_manager_services(core.db, core.channels or core.gateway,
                                     till_id=core.plan.till_id, pepper=core.peppers)
    return AppServices(
        till=core.till, catalog=core.catalog, login=login,
        mode=Mode.LIVE if core.plan.live else Mode.DEMO, shop_name=core.plan.shop_name,
        data_dir=core.plan.data_dir, settings_path=settings_file(core.plan.data_dir),
        demo=core.demo, check_merchant_config=check_merchant_config, manager=manager,
        check_alipay_config=check_alipay_config,
        staff=StaffAccounts(core.users, manager.staff),
        held=HeldSaleRepository(core.db, till_id=core.plan.till_id),
    )


def seed_demo_users(users: Any, pepper: bytes | None = None) -> None:
    from functools import partial

    from pos_app.domain.pin_hash import hash_pin
    from pos_app.domain.staff import Role

    missing = [(name, role, pin) for name, role, pin in DEMO_USERS if users.get_user(name) is None]
    # scrypt releases the GIL: hash the PINs side by side (first run only)
    with ThreadPoolExecutor(max_workers=max(1, len(missing))) as pool:
        hashes = list(pool.map(partial(hash_pin, pepper=pepper), [pin for _, _, pin in missing]))
    for (name, role, _), pin_hash in zip(missing, hashes, strict=True):
        users.add_user(name, Role(role), pin_hash)


class DeferredLogin:
    """:class:`pos_app.ui.services.Login` usable before the database is open: each call
    (made off the UI thread by the sign-in dialog) waits for the start-up thread. A
    successful sign-in also readies the sale screen (``ready``: built by the warm-up
    thread already, or being built there, or built now)."""

    def __init__(self, core: Future[Core], ready: Callable[[], object]) -> None:
        self._core = core
        self._ready = ready

    def _ready_core(self) -> Core:
        core = self._core.result()
        core.seeded.result()
        return core

    def user_names(self) -> list[tuple[str, str]]:
        return self._ready_core().login.user_names()

    def login(self, name: str, pin: str) -> Session:
        session = self._ready_core().login.login(name, pin)
        self._ready()
        return session
