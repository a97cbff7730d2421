"""Composition root: arguments → config → storage → gateway → till → Qt UI.

Demo mode (default): an embedded WeChat Pay simulator is started on 127.0.0.1 with
its state under ``<data-dir>/demo/``, and the till talks to it over real HTTP with
real signatures; the Alipay simulator starts on the first Alipay call. Live mode:
``--config`` names an app config (TOML/JSON with ``merchant_config = "…"`` for WeChat Pay
and/or ``alipay_config = "…"`` for Alipay — a shop enables either channel or both) or a
WeChat Pay merchant config file directly.

No logic lives here beyond wiring. Start-up order (issue 13: the first screen in a blink):

1. main thread: the config file is read (a bad one fails before any window), Qt starts
   and the sign-in window is shown — importing only what that window needs;
2. meanwhile a start-up thread opens the database and builds the till; start-up
   recovery runs on its own thread as soon as the till exists, while the sign-in window
   is up. Sales stay disabled until it has finished. The demo data and the PIN pepper
   (OS keyring or file) load on the start-up thread beside it: recovery waits for
   neither; the sign-in screen's PIN field opens once the users are listed;
3. once the till is ready, a warm-up thread builds the manager back end and loads the
   sale screen (a sign-in waits for it), and the payment connection (demo: the embedded
   simulator, its keys, its TLS listener; the HTTP client) is built when the cashier
   signs in — or by the first call that needs it, whichever comes first.

Exit: the window closes → every thread's current step finishes (queued ones are
dropped), the payment lane drains, the database is closed, the simulator stops.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pos_app.ui.services import LoginError, Session

if TYPE_CHECKING:
    from pos_app.domain.staff import Role, StaffUser
    from pos_app.manager.pins import Approval, StaffAdmin
    from pos_app.payments.api import PaymentEvent
    from pos_app.payments.gateway import PaymentChannel
    from pos_app.payments.till import TillService
    from pos_app.simulator.server import SimulatorServer
    from pos_app.startup_checks import StartupFailure
    from pos_app.storage.backup import BackupScheduler
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.db import Database
    from pos_app.storage.staff import UserRepository
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.services import AppServices
    from pos_app.ui.settings_model import AppSettings, BackupSettings

log = logging.getLogger("pos_app")

T0 = time.perf_counter()
SMOKE_TIMEOUT_MS = 30_000

DEMO_USERS = (("王芳", "cashier", "2580"), ("李经理", "manager", "1470"), ("张老板", "admin", "3690"))

T = TypeVar("T")


class StartupError(Exception):
    """The till cannot start (message is shown to the user)."""


# --------------------------------------------------------------------------- adapters


class StaffLogin:
    """:class:`pos_app.ui.services.Login` over the users table + PIN lockout rules.
    ``pepper``: the PIN pepper, or a function fetching it (OS keyring or file) when the
    first PIN is checked — listing the users needs neither it nor the PIN code."""

    def __init__(self, users: Any,
                 pepper: bytes | Callable[[], bytes | None] | None = None) -> None:
        self._users = users
        self._pepper = pepper
        self._auth: Any = None

    def user_names(self) -> list[tuple[str, str]]:
        return [(u.name, u.role.value) for u in self._users.list_users()]

    def _authenticator(self) -> Any:
        if self._auth is None:
            from pos_app.manager.pins import PinAuthenticator

            pepper = self._pepper() if callable(self._pepper) else self._pepper
            self._auth = PinAuthenticator(self._users, pepper=pepper)
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


ALIPAY_SCENARIO = "alipay:"          # demo phone scenarios of the Alipay simulator


class SimulatorCustomer:
    """:class:`pos_app.ui.services.DemoCustomer` over the embedded simulators: WeChat Pay
    (anything with ``pay(code_url=…)``: the server itself or the :class:`Connection`
    starting it), and Alipay (``alipay`` returns its server, started on first use)."""

    def __init__(self, server: Any, alipay: Callable[[], Any] | None = None) -> None:
        self._server = server
        self._alipay = alipay

    def pay_code_url(self, code_url: str) -> None:
        if self._alipay is not None and code_url.startswith("https://qr.alipay.com/"):
            self._alipay().customer_pay(qr_code=code_url)
        else:
            self._server.pay(code_url=code_url)

    def scenarios(self) -> list[str]:
        from pos_app.simulator.scenarios import SCENARIOS

        names = list(SCENARIOS)
        if self._alipay is not None:
            from pos_app.simulator.alipay.scenarios import SCENARIOS as ALIPAY

            names += [ALIPAY_SCENARIO + name for name in ALIPAY]
        return names

    def auth_code_for(self, scenario: str) -> str:
        if scenario.startswith(ALIPAY_SCENARIO):
            from pos_app.simulator.alipay.scenarios import auth_code_for as alipay_code

            return alipay_code(scenario.removeprefix(ALIPAY_SCENARIO))
        from pos_app.simulator.scenarios import auth_code_for

        return auth_code_for(scenario)


class LazyChannel:
    """A payment channel built on its first call (on the payment lane, never the UI
    thread) — demo mode's Alipay simulator starts only when Alipay is used."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._channel: Any = None

    def get(self) -> Any:
        with self._lock:
            if self._channel is None:
                self._channel = self._build()
            return self._channel

    def __getattr__(self, name: str) -> Any:   # the PaymentChannel methods
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get(), name)


def check_alipay_config(path: Path) -> str:
    """Validate an Alipay merchant config (and read its keys/certificates); a one-line
    summary or ValueError saying what is wrong (field or file)."""
    from pos_app.alipay import AlipayClient, AlipayError, load_alipay_config

    try:
        cfg = load_alipay_config(path)
        AlipayClient.from_config(cfg).close_client()   # reads and cross-checks the key files
    except AlipayError as exc:
        raise ValueError(str(exc)) from exc
    mode = "certificates" if cfg.cert_mode else "public key"
    return f"app_id {cfg.app_id}, {cfg.gateway_url}, {mode}"


def check_merchant_config(path: Path) -> str:
    """Validate a merchant config; a one-line summary or ValueError (ConfigError)."""
    from pos_app.wechatpay.config import load_merchant_config

    cfg = load_merchant_config(path)
    verify = "public key " + (cfg.public_key_id or "") if cfg.uses_public_key else \
        "platform certificates"
    return f"mchid {cfg.mchid}, appid {cfg.appid}, {cfg.base_url}, {verify}"


# --------------------------------------------------------------------------- lazy parts


class Once(Generic[T]):
    """A value built by the first thread that asks for it; the others wait for it. A build
    that raised is retried by the next caller (a demo simulator that could not start,
    say), and the exception goes to the caller that triggered it."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None
        self._built = False

    @property
    def built(self) -> bool:
        return self._built

    def get(self) -> T:
        with self._lock:
            if not self._built:
                self._value = self._build()
                self._built = True
            return self._value  # type: ignore[return-value]


@dataclass
class Connected:
    """The payment side: the gateway, and in demo mode the simulator it talks to."""

    gateway: PaymentChannel
    server: SimulatorServer | None = None


class Connection(Once[Connected]):
    """:class:`Once` for the payment side; also the demo customer's way to the simulator."""

    def pay(self, *, code_url: str) -> None:
        server = self.get().server
        if server is None:
            raise RuntimeError("no simulator in live mode")
        server.pay(code_url=code_url)

    def close(self) -> None:
        if self.built and (server := self.get().server) is not None:
            server.stop()


class LazyGateway:
    """Stands in for the gateway until a call needs it (recovery with nothing unfinished,
    the sign-in screen and the sale screen never do): every attribute is the real
    gateway's, built by :class:`Connection` on first use."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection.get().gateway, name)


def demo_connection(demo_dir: Path, till_id: str = "01") -> Connected:
    """Start the embedded simulator (keys generated on its first run) and the gateway.
    The simulator is as unkind as WeChat Pay (realistic defaults: training mode shows the
    ¥1000 password rule, the close lag …)."""
    from pos_app.payments.channels.wechat import WechatChannel
    from pos_app.simulator.server import SimulatorServer
    from pos_app.wechatpay.config import load_merchant_config

    server = SimulatorServer(demo_dir / "simulator").start()
    try:
        merchant = load_merchant_config(server.merchant_config_path)
        return Connected(WechatChannel.from_config(merchant, device_id=till_id), server)
    except BaseException:
        server.stop()
        raise


# --------------------------------------------------------------------------- backend


def _read_app_config(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise StartupError(f"cannot read config {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise StartupError(f"{path} must hold a table/object")
    return raw


def settings_file(data_dir: Path) -> Path:
    """The till's settings (scanner, printer, merchant config path) in its data dir."""
    return data_dir / "settings.json"


@dataclass(frozen=True)
class Plan:
    """What the command line and the app config say (read before any window)."""

    data_dir: Path
    live: bool
    shop_name: str = "演示便利店"
    till_id: str = "01"
    merchant_path: Path | None = None       # WeChat Pay merchant config (None: no WeChat Pay)
    alipay_path: Path | None = None         # Alipay merchant config (None: no Alipay)


def _saved_merchant_configs(data_dir: Path) -> tuple[Path | None, Path | None, str]:
    """The WeChat Pay and Alipay merchant configs (and shop name) saved in the settings
    screen (F11), read without the UI's settings model. A missing or damaged file names none:
    the settings screen reports a damaged one when it loads it."""
    try:
        raw = json.loads(settings_file(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None, ""
    if not isinstance(raw, dict):
        return None, None, ""

    def path(key: str) -> Path | None:
        value = raw.get(key)
        return Path(value).expanduser().resolve() if isinstance(value, str) and value.strip() else None

    receipt = raw.get("receipt")
    shop = receipt.get("shop_name") if isinstance(receipt, dict) else None
    return (path("merchant_config_path"), path("alipay_config_path"),
            shop.strip() if isinstance(shop, str) else "")


def plan_startup(ns: argparse.Namespace, data_dir: Path) -> Plan:
    """--demo: demo. --config: that app config. Neither: the merchant configs saved in the
    settings screen (live), or demo when none is saved."""
    if ns.demo:
        return Plan(data_dir, live=False)
    if not ns.config:
        wechat, alipay, shop = _saved_merchant_configs(data_dir)
        if wechat is None and alipay is None:
            return Plan(data_dir, live=False)
        return Plan(data_dir, live=True, shop_name=shop or "收银台",
                    merchant_path=wechat, alipay_path=alipay)
    cfg_path = Path(ns.config).resolve()
    raw = _read_app_config(cfg_path)
    if "mchid" in raw:
        return Plan(data_dir, live=True, shop_name="演示便利店", merchant_path=cfg_path)
    if not raw.get("merchant_config") and not raw.get("alipay_config"):
        raise StartupError(f"{cfg_path}: needs merchant_config = \"<merchant.json>\""
                           " (WeChat Pay) and/or alipay_config = \"<alipay.json>\" (Alipay)")
    return Plan(data_dir, live=True, shop_name=str(raw.get("shop_name", "收银台")),
                till_id=str(raw.get("till_id", "01")),
                merchant_path=(cfg_path.parent / str(raw["merchant_config"])).resolve()
                if raw.get("merchant_config") else None,
                alipay_path=(cfg_path.parent / str(raw["alipay_config"])).resolve()
                if raw.get("alipay_config") else None)


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
            channels["alipay"] = _alipay_channel(plan.alipay_path)
        db = Database(plan.data_dir / "pos_app.sqlite3", till_id=plan.till_id)
    else:
        demo_dir = plan.data_dir / "demo"
        connection = Connection(lambda: demo_connection(demo_dir, plan.till_id))
        gateway = LazyGateway(connection)
        # the Alipay simulator starts on the first Alipay call (or customer-phone use)
        alipay_sim = LazyChannel(lambda: _start_alipay_simulator(demo_dir, closers))
        sim = alipay_sim
        channels = {"wechat": gateway, "alipay": LazyChannel(
            lambda: _alipay_channel(sim.get().merchant_config_path))}
        db = Database(demo_dir / "pos_app.sqlite3")
    users = UserRepository(db)
    # the PIN pepper, kept outside the database: loaded after recovery has started
    peppered = Once(lambda: load_pepper(db.path))
    till = TillService(db, channels, till_id=plan.till_id, store_name=plan.shop_name)
    return Core(plan, db, ProductRepository(db), users, till, connection, gateway,
                StaffLogin(users, peppered.get), peppered,
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
                                     till_id=core.plan.till_id, pepper=core.pepper)
    return AppServices(
        till=core.till, catalog=core.catalog, login=login,
        mode=Mode.LIVE if core.plan.live else Mode.DEMO, shop_name=core.plan.shop_name,
        data_dir=core.plan.data_dir, settings_path=settings_file(core.plan.data_dir),
        demo=core.demo, check_merchant_config=check_merchant_config, manager=manager,
        check_alipay_config=check_alipay_config,
        staff=StaffAccounts(core.users, manager.staff),
        held=HeldSaleRepository(core.db, till_id=core.plan.till_id),
    )


def _alipay_channel(path: Path) -> Any:
    """The Alipay channel from its merchant config; a clear StartupError if invalid."""
    from pos_app.alipay import AlipayError, load_alipay_config
    from pos_app.payments.channels.alipay import AlipayChannel

    try:
        return AlipayChannel.from_config(load_alipay_config(path.resolve()))
    except (AlipayError, ValueError, OSError) as exc:
        raise StartupError(f"Alipay config: {exc}") from exc


def _start_alipay_simulator(demo_dir: Path, closers: list[Any]) -> Any:
    from pos_app.simulator.alipay.server import AlipaySimulatorServer

    server = AlipaySimulatorServer(demo_dir / "alipay_simulator").start()
    closers.insert(0, server.stop)   # closed after the till (closers run in reverse)
    return server


def seed_demo_users(users: Any, pepper: bytes | None = None) -> None:
    from functools import partial

    from pos_app.domain.staff import Role
    from pos_app.manager.pins import hash_pin

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


# --------------------------------------------------------------------------- run


def run(ns: argparse.Namespace) -> int:
    """Start the till. Returns the process exit code."""
    from pos_app.startup_checks import (
        StartupFailure,
        check_writable,
        start_logging,
        take_data_dir,
    )

    if ns.data_dir:
        data_dir = Path(ns.data_dir)
    else:
        import platformdirs

        data_dir = Path(platformdirs.user_data_dir("pos_app"))
    try:  # one data folder, one running till (the OS drops the lock when we exit)
        instance = take_data_dir(data_dir)
        # stderr + a rotating file in the data dir, both through the secret-redacting filter
        start_logging(data_dir, level=logging.INFO if not ns.smoke_test else logging.WARNING)
        if ns.config and not ns.demo:  # live: a till that cannot write must not open sales
            check_writable(data_dir / "pos_app.sqlite3")
    except StartupFailure as exc:
        gc.enable()
        return _refuse_start(exc, ns)
    try:
        plan = plan_startup(ns, data_dir)
    except StartupError as exc:
        gc.enable()
        rc = _cannot_start(exc)
        _show_failure(f"cannot start: {exc}", ns)
        return rc
    if plan.live and not ns.config:  # live from the saved settings: the same write check
        try:
            check_writable(data_dir / "pos_app.sqlite3")
        except StartupFailure as exc:
            gc.enable()
            return _refuse_start(exc, ns)
    starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="startup")
    building: Future[Core] = Future()

    started: list[bool] = []

    def start_core() -> None:
        """The Qt-free core (database, till) builds on its own thread (the first call)."""
        if not started:
            started.append(True)
            if not building.set_running_or_notify_cancel():
                return
            starter.submit(_build_into, building, plan)
            starter.shutdown(wait=False)

    try:
        return _run_ui(ns, plan, building, start_core)
    finally:
        gc.enable()
        instance.release()


def _build_into(building: Future[Core], plan: Plan) -> None:
    try:
        core = build_core(plan)
    except BaseException as exc:
        building.set_exception(exc)
        return
    building.set_result(core)  # recovery starts now, while the demo data is seeded
    core.seed()


def _refuse_start(exc: StartupFailure, ns: argparse.Namespace) -> int:
    """One clear line on stderr, and a dialog when someone is looking at a screen."""
    from pos_app.startup_checks import report

    line = report(exc.message, ns.lang)
    _show_failure(line, ns)
    return 2


def _show_failure(line: str, ns: argparse.Namespace) -> None:
    """A start-up failure in a dialog too, when there is a screen (not headless runs)."""
    from pos_app.startup_checks import has_display

    if has_display() and not (ns.smoke_test or ns.screenshot):
        from PySide6.QtWidgets import QApplication, QMessageBox

        existing = QApplication.instance()
        _app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
        QMessageBox.critical(None, "pos_app", line)


def start_backups(db_path: Path, chosen: BackupSettings) -> BackupScheduler | None:
    """Periodic verified backups to the folder chosen in the settings (none if unset)."""
    if not chosen.folder:
        return None
    from pos_app.storage.backup import BackupScheduler

    return BackupScheduler(db_path, Path(chosen.folder), interval=chosen.interval_minutes * 60,
                           keep=chosen.keep).start()


def _cannot_start(exc: BaseException) -> int:
    log.error("cannot start: %s", exc)
    print(f"pos-app: cannot start: {exc}", file=sys.stderr)
    return 2


# Our own modules: none uses PySide's ``from __feature__ import …`` (tests/unit/
# test_startup_imports.py checks the sources), so none needs PySide's scan.
_NO_FEATURES = ("pos_app.", )


def _spare_qt_free_modules_the_feature_scan() -> None:
    """PySide6 hooks ``import``: the first time any module is imported after it, it reads
    that module's whole source (``inspect.getsource``) to see whether it might use
    ``from __feature__ import …``. That is ~0.3 ms a module and well over 100 modules
    (the standard library's and ours) before the till is ready. Our modules and the
    standard library's use no PySide features, so they are answered at once; every other
    module is still scanned. Does nothing if PySide6's internals differ from what is
    expected here."""
    feature = sys.modules.get("shibokensupport.feature")
    scan = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(scan) or getattr(scan, "spared", False):
        return
    stdlib = sys.stdlib_module_names

    def uses_pyside(module: Any) -> bool:
        name = str(getattr(module, "__name__", ""))
        if name.startswith(_NO_FEATURES) or name.partition(".")[0] in stdlib:
            return False
        return bool(scan(module))

    uses_pyside.spared = True  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 (a private name)


def _run_ui(ns: argparse.Namespace, plan: Plan, building: Future[Core],
            start_core: Callable[[], None]) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QDialog

    _spare_qt_free_modules_the_feature_scan()

    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.i18n import RESOURCES, choose_language, install_translator
    from pos_app.ui.style import apply_style

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("pos_app")
    app.setQuitOnLastWindowClosed(False)  # sign-out closes the window, then shows login
    icon = RESOURCES / "icons" / "pos_app.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    lang = choose_language(ns.lang)
    translator = install_translator(app, lang)  # noqa: F841 (kept alive for the run)
    apply_style(app)

    bridge = Bridge()
    worker = Worker(bridge)
    recovery = Worker(bridge, name="recovery")
    warm = Worker(bridge, name="warm-up")
    smoke = str(ns.smoke_test or "")
    headless = bool(smoke or ns.screenshot)
    probe = bool(os.environ.get("POS_APP_STARTUP_PROBE"))
    state: dict[str, Any] = {"rc": 0, "window": None, "hub": None, "recovered": None,
                             "first_window": True, "finishing": False}

    def mark(name: str) -> None:  # benchmarks: wall-clock and CPU time of a milestone
        if probe:
            print(f"POS_APP_{name} {time.time():.6f}\n"
                  f"POS_APP_CPU_{name} {time.process_time():.6f}", flush=True)

    def fail(exc: BaseException) -> None:
        state["rc"] = _cannot_start(exc)
        _show_failure(f"cannot start: {exc}", ns)
        app.quit()

    # -- what the sale screen needs: the manager back end, its modules (built once, by
    # the warm-up thread when the first PIN digit is typed, or by the sign-in itself)
    def prepare_sale_screen() -> AppServices:
        core = building.result()
        core.seeded.result()
        services = build_services(core, login)
        import pos_app.ui.main_window  # noqa: F401  (the sale screen's modules)
        return services

    sale_screen: Once[AppServices] = Once(prepare_sale_screen)
    login = DeferredLogin(building, sale_screen.get)

    def recover() -> list[PaymentEvent]:
        core = building.result()
        core.seeded.add_done_callback(seeding_done)
        from pos_app.ui.bridge import payment_sink

        core.till.subscribe(payment_sink(bridge))
        return core.till.recover()

    def seeding_done(seeded: Future[None]) -> None:
        """The demo data or the PIN pepper could not be had (a damaged pepper file, a
        full disk on the first run): nobody can sign in, the till cannot start."""
        exc = seeded.exception()
        if exc is not None:
            bridge.call_soon(lambda: fail(exc))

    def recovered(events: list[PaymentEvent]) -> None:
        report_recovery(("done", events))

    def recovery_failed(exc: BaseException) -> None:
        if building.done() and (building.cancelled() or building.exception() is not None):
            fail(exc)  # no database / bad live config: the till cannot start
            return
        from pos_app.domain.scan import mask_codes_in

        log.error("start-up recovery failed: %s", mask_codes_in(f"{type(exc).__name__}: {exc}"))
        report_recovery(("failed", exc))

    def report_recovery(outcome: tuple[str, Any]) -> None:
        state["recovered"] = outcome
        mark("READY")
        gc.enable()  # (off while starting: see cli.main)
        worker.run(scanner_settings.get, install_scanners, scanners_failed)
        win = state["window"]
        if win is not None and state.pop("awaiting_recovery", False):
            if outcome[0] == "done":
                win.recovery_done(outcome[1])
            else:
                win.recovery_failed(outcome[1])
        finish_if_done()

    def get_sale_screen_ready() -> None:
        """On the warm-up thread, once: the sale screen, then the refunds a crash left
        PENDING/PROCESSING (re-query / re-send, same out_refund_no)."""
        if not state.get("warming"):
            state["warming"] = True
            warm.run(sale_screen.get, None, fail)
            warm.run(resume_refunds, None,
                     lambda e: log.warning("refund resume failed: %s", type(e).__name__))

    def resume_refunds() -> None:
        manager = sale_screen.get().manager
        if manager is not None:
            manager.refunds.resume()

    def show_hub(win: MainWindow, session: Session) -> None:
        def install(hub: Any) -> None:
            import shiboken6

            from pos_app.ui.hub_panel import install_hub

            if shiboken6.isValid(win) and state.get("window") is win:
                install_hub(win, hub, worker, session.name, session.role)

        def failed(exc: BaseException) -> None:   # the till sells on without its hub link
            log.warning("store hub link not started: %s", type(exc).__name__)

        warm.run(lambda: start_hub(building.result()), install, failed)

    def connect() -> None:
        """Build the payment side now (demo: start the simulator) unless already built."""
        core = building.result()
        if not core.connection.built:
            warm.run(core.connection.get, lambda _c: connected(), connection_failed)
        else:
            connected()

    def connected() -> None:
        state["connected"] = True
        finish_if_done()

    def connection_failed(exc: BaseException) -> None:  # retried by the first payment
        log.error("payment connection failed: %s", exc)
        if headless:
            state["rc"] = 1
        connected()

    # -- windows
    # -- scanners: from just after the till is ready, a scan is caught by the hub (and
    # dropped until the sale screen is up) instead of typing into the PIN field
    def load_scanner_settings() -> AppSettings:
        from pos_app.ui.scanners import ScannerHub  # noqa: F401  (loaded off the UI thread)
        from pos_app.ui.settings_model import load_settings

        return load_settings(settings_file(plan.data_dir))

    scanner_settings: Once[AppSettings] = Once(load_scanner_settings)

    def install_scanners(settings: AppSettings | None = None) -> None:
        from pos_app.ui.scanners import ScannerHub

        if state["hub"] is None:
            state["settings"] = settings or scanner_settings.get()
            hub = state["hub"] = ScannerHub(bridge)
            hub.install(app)
            hub.apply(state["settings"].scanner)
            state["backups"] = start_backups(building.result().db.path,
                                             state["settings"].backup)
        finish_if_done()

    def scanners_failed(exc: BaseException) -> None:  # the sale screen retries
        log.error("scanner set-up failed: %s", exc)
        state["scanners_failed"] = True
        finish_if_done()

    def open_main(session: Session) -> None:
        from PySide6.QtCore import Qt

        from pos_app.ui.main_window import MainWindow

        services = sale_screen.get()  # built already when a sign-in got here
        gc.enable()  # (if recovery is still under way)
        install_scanners()  # (done already, unless the sale screen comes first)
        win = MainWindow(services, session, bridge, worker, state["hub"], state["settings"])
        win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # sign-out drops its wiring
        show_hub(win, session)  # the store hub badge, and Shift+F11 for managers
        state["window"] = win
        win.sign_out_requested.connect(lambda: sign_out(win))
        win.closed.connect(lambda: None if state.get("signing_out") else app.quit())
        win.present()  # maximised, or full screen (kiosk setting)
        QTimer.singleShot(0, lambda: mark("FIRST_IDLE"))
        get_sale_screen_ready()  # (done already) + the refunds a crash left unfinished
        connect()
        if state.pop("first_window"):  # the start-up recovery: done, or will report here
            outcome = state["recovered"]
            if outcome is None:
                state["awaiting_recovery"] = True
            elif outcome[0] == "done":
                win.recovery_done(outcome[1])
            else:
                win.recovery_failed(outcome[1])
        else:  # after a sign-out: check again (its own thread: a slow network must not
            # hold up product look-ups)
            recovery.run(services.till.recover, win.recovery_done, win.recovery_failed)
        state["main_shown"] = True
        finish_if_done()

    def sign_out(win: MainWindow) -> None:
        state["signing_out"] = True
        try:
            if win.close():
                state["window"] = None
                show_login()
        finally:
            state["signing_out"] = False

    def users_shown() -> None:
        state["users_shown"] = True
        finish_if_done()

    def show_login() -> None:
        from pos_app.ui.login_dialog import LoginDialog

        dlg = LoginDialog(login, worker, plan.shop_name, demo=not plan.live,
                          remember=plan.data_dir / "last_user")
        state["login"] = dlg

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dlg.session is not None:
                open_main(dlg.session)
            elif not state["finishing"]:
                app.quit()

        dlg.finished.connect(done)
        dlg.typing.connect(get_sale_screen_ready)  # the cashier is signing in
        dlg.users_shown.connect(users_shown)
        dlg.open()
        QTimer.singleShot(0, signin_shown)

    def signin_shown() -> None:
        mark("SIGNIN")
        start_core()  # (once) now that the first screen is up

    # -- headless runs (smoke test, screenshot): finish once everything asked for is up
    def finish_if_done() -> None:
        if not headless or state["finishing"] or state["recovered"] is None:
            return
        if smoke == "signin":
            if not (state.get("users_shown")
                    and (state["hub"] is not None or state.get("scanners_failed"))):
                return
        elif not (state.get("main_shown") and state.get("connected")):
            return
        state["finishing"] = True
        QTimer.singleShot(50, finish_headless)

    def finish_headless() -> None:
        win = state["window"]
        if ns.screenshot and win is not None:
            ok = win.grab().save(str(ns.screenshot), "PNG")
            state["rc"] = 0 if ok else 1
        log.warning("startup to ready: %.0f ms", (time.perf_counter() - T0) * 1000)
        mark("QUIT")
        if state.get("login") is not None:
            state["login"].reject()
        app.quit()

    recovery.run(recover, recovered, recovery_failed)
    if headless and smoke != "signin":
        start_core()
        # the sale screen straight away (no sign-in): wait for the back end first
        try:
            sale_screen.get()
        except Exception as exc:  # startup failure: tell the user, exit non-zero
            _shutdown(app, state, worker, recovery, warm, building)
            return _cannot_start(exc)
        open_main(Session("demo", "cashier"))
    else:
        show_login()
    if headless:
        def timeout() -> None:
            state["rc"] = 1
            print("pos-app: smoke test timed out", file=sys.stderr)
            app.quit()

        QTimer.singleShot(SMOKE_TIMEOUT_MS, timeout)
    try:
        app.exec()
    finally:
        _shutdown(app, state, worker, recovery, warm, building)
    return int(state["rc"])


def _shutdown(app: Any, state: dict[str, Any], worker: Any, recovery: Any, warm: Any,
              building: Future[Core]) -> None:
    """Every thread finishes its current step (queued ones are dropped), then the core
    closes: lane drained, database closed, simulator stopped. No waits beyond that."""
    building.cancel()  # never started (quit before the first screen was up): nothing to close
    hub = state.get("hub")
    if hub is not None:
        hub.uninstall(app)
        hub.stop_serial()
    for w in (worker, recovery, warm):
        w.shutdown(wait=True)
    if state.get("backups") is not None:
        state["backups"].stop()
    try:
        core = building.result()
    except Exception:
        return  # nothing was opened
    core.close()
