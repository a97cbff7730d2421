"""Composition root: arguments → config → storage → gateway → till → Qt UI.

Demo mode (default): an embedded WeChat Pay simulator is started on 127.0.0.1 with
its state under ``<data-dir>/demo/``, and the till talks to it over real HTTP with
real signatures. Live mode: ``--config`` names an app config (TOML/JSON with
``merchant_config = "…"``) or a merchant config file directly.

No logic lives here beyond wiring; start-up recovery runs on a worker thread and
sales stay disabled until it has finished.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog

from pos_app.payments.api import PaymentEvent
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.i18n import RESOURCES
from pos_app.ui.services import AppServices, LoginError, Mode, Session

if TYPE_CHECKING:
    from pos_app.manager.pins import Approval, Role, StaffAdmin, StaffUser
    from pos_app.storage.staff import UserRepository

log = logging.getLogger("pos_app")

T0 = time.perf_counter()
SMOKE_TIMEOUT_MS = 30_000

DEMO_USERS = (("王芳", "cashier", "2580"), ("李经理", "manager", "1470"), ("张老板", "admin", "3690"))


class StartupError(Exception):
    """The till cannot start (message is shown to the user)."""


# --------------------------------------------------------------------------- adapters


class StaffLogin:
    """:class:`pos_app.ui.services.Login` over the users table + PIN lockout rules."""

    def __init__(self, users: Any, pepper: bytes | None = None) -> None:
        from pos_app.manager.pins import PinAuthenticator

        self._users = users
        self._auth = PinAuthenticator(users, pepper=pepper)

    def user_names(self) -> list[tuple[str, str]]:
        return [(u.name, u.role.value) for u in self._users.list_users()]

    def login(self, name: str, pin: str) -> Session:
        from pos_app.manager.pins import AuthError

        try:
            user = self._auth.authenticate(name, pin)
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


class SimulatorCustomer:
    """:class:`pos_app.ui.services.DemoCustomer` over the embedded simulator."""

    def __init__(self, server: Any) -> None:
        self._server = server

    def pay_code_url(self, code_url: str) -> None:
        self._server.pay(code_url=code_url)

    def scenarios(self) -> list[str]:
        from pos_app.simulator.scenarios import SCENARIOS

        return list(SCENARIOS)

    def auth_code_for(self, scenario: str) -> str:
        from pos_app.simulator.scenarios import auth_code_for

        return auth_code_for(scenario)


def check_merchant_config(path: Path) -> str:
    """Validate a merchant config; a one-line summary or ValueError (ConfigError)."""
    from pos_app.wechatpay.config import load_merchant_config

    cfg = load_merchant_config(path)
    verify = "public key " + (cfg.public_key_id or "") if cfg.uses_public_key else \
        "platform certificates"
    return f"mchid {cfg.mchid}, appid {cfg.appid}, {cfg.base_url}, {verify}"


# --------------------------------------------------------------------------- backend


@dataclass
class Backend:
    services: AppServices
    closers: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for fn in reversed(self.closers):
            try:
                fn()
            except Exception:  # shutting down: log and go on
                log.exception("shutdown step failed")
        self.closers.clear()


def _read_app_config(path: Path) -> dict[str, Any]:
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


def build_backend(ns: argparse.Namespace, data_dir: Path) -> Backend:
    """Everything Qt-free: storage, gateway, till (blocking; before the UI exists)."""
    from pos_app.payments.channels.wechat import WechatChannel
    from pos_app.payments.till import TillService
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.db import Database
    from pos_app.storage.pepper import load_pepper
    from pos_app.storage.staff import UserRepository
    from pos_app.wechatpay.config import load_merchant_config
    from pos_app.wechatpay.errors import ConfigError

    live = bool(ns.config) and not ns.demo
    closers: list[Any] = []
    demo: SimulatorCustomer | None = None
    shop_name = "演示便利店"
    till_id = "01"
    if live:
        cfg_path = Path(ns.config).resolve()
        raw = _read_app_config(cfg_path)
        merchant_path = cfg_path
        if "mchid" not in raw:
            if not raw.get("merchant_config"):
                raise StartupError(f"{cfg_path}: needs merchant_config = \"<merchant.json>\"")
            merchant_path = (cfg_path.parent / str(raw["merchant_config"])).resolve()
            shop_name = str(raw.get("shop_name", "收银台"))
            till_id = str(raw.get("till_id", till_id))
        try:
            merchant = load_merchant_config(merchant_path)
        except ConfigError as exc:
            raise StartupError(f"merchant config: {exc}") from exc
        db = Database(data_dir / "pos_app.sqlite3", till_id=till_id)
    else:
        from pos_app.simulator.server import SimulatorServer

        demo_dir = data_dir / "demo"
        server = SimulatorServer(demo_dir / "simulator").start()
        closers.append(server.stop)
        merchant = load_merchant_config(server.merchant_config_path)
        demo = SimulatorCustomer(server)
        db = Database(demo_dir / "pos_app.sqlite3")
    closers.append(db.close)
    catalog = ProductRepository(db)
    users = UserRepository(db)
    pepper = load_pepper(db.path)          # the PIN pepper, kept outside the database
    if not live:
        catalog.seed_demo()
        seed_demo_users(users, pepper)
    gateway = WechatChannel.from_config(merchant, device_id=till_id)  # the till on every payment
    till = TillService(db, gateway, till_id=till_id, store_name=shop_name)
    closers.append(lambda: till.shutdown(wait=False))
    from pos_app.manager.services import build_manager_services

    manager = build_manager_services(db, gateway, till_id=till_id, pepper=pepper)  # the till's db + gateway
    services = AppServices(
        till=till, catalog=catalog, login=StaffLogin(users, pepper),
        mode=Mode.LIVE if live else Mode.DEMO, shop_name=shop_name, data_dir=data_dir,
        settings_path=settings_file(data_dir), demo=demo,
        check_merchant_config=check_merchant_config, manager=manager,
        staff=StaffAccounts(users, manager.staff),
    )
    return Backend(services, closers)


def seed_demo_users(users: Any, pepper: bytes | None = None) -> None:
    from pos_app.manager.pins import Role, hash_pin

    for name, role, pin in DEMO_USERS:
        if users.get_user(name) is None:
            users.add_user(name, Role(role), hash_pin(pin, pepper=pepper))


# --------------------------------------------------------------------------- run


def run(ns: argparse.Namespace) -> int:
    """Start the till. Returns the process exit code."""
    from pos_app.logs import setup_logging
    from pos_app.ui.settings_model import load_settings

    data_dir = Path(ns.data_dir) if ns.data_dir else Path(platformdirs.user_data_dir("pos_app"))
    data_dir.mkdir(parents=True, exist_ok=True)
    # stderr + a rotating file in the data dir, both through the secret-redacting filter
    setup_logging(data_dir / "logs", level=logging.INFO if not ns.smoke_test else logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry full URLs
    # The Qt-free back end (simulator, keys, TLS contexts, DB) builds on a thread while
    # Qt starts up; the UI waits for it before the first window.
    starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="startup")
    building = starter.submit(build_backend, ns, data_dir)
    loading_settings = starter.submit(load_settings, settings_file(data_dir))
    starter.shutdown(wait=False)
    from pos_app.ui.i18n import choose_language, install_translator
    from pos_app.ui.main_window import MainWindow, payment_sink
    from pos_app.ui.scanners import ScannerHub
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
    try:
        backend = building.result()
    except Exception as exc:  # startup failure: tell the user, exit non-zero
        log.error("cannot start: %s", exc)
        print(f"pos-app: cannot start: {exc}", file=sys.stderr)
        return 2
    services = backend.services
    bridge = Bridge()
    worker = Worker(bridge)
    recovery = Worker(bridge, name="recovery")
    settings = loading_settings.result()  # read on the start-up thread, not the UI thread
    hub = ScannerHub(bridge)
    hub.install(app)
    hub.apply(settings.scanner)
    services.till.subscribe(payment_sink(bridge))
    headless = bool(ns.smoke_test or ns.screenshot)
    state: dict[str, Any] = {"rc": 0, "window": None}

    probe = bool(os.environ.get("POS_APP_STARTUP_PROBE"))

    def open_main(session: Session) -> None:
        win = MainWindow(services, session, bridge, worker, hub, settings)
        win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # sign-out drops its wiring
        state["window"] = win
        win.sign_out_requested.connect(lambda: sign_out(win))
        win.closed.connect(lambda: None if state.get("signing_out") else app.quit())
        win.show()
        if probe:  # benchmarks: wall-clock time of the first idle event-loop turn
            QTimer.singleShot(0, lambda: print(f"POS_APP_FIRST_IDLE {time.time():.6f}",
                                               flush=True))
        # its own thread: a slow recovery (network down) must not hold up product look-ups
        recovery.run(services.till.recover, lambda evs: recovered(win, evs), win.recovery_failed)

    def recovered(win: MainWindow, events: list[PaymentEvent]) -> None:
        win.recovery_done(events)
        manager = services.manager
        if manager is not None and not state.get("refunds_resumed"):
            state["refunds_resumed"] = True
            # refunds a crash left PENDING/PROCESSING: re-query / re-send, same out_refund_no
            recovery.run(manager.refunds.resume, None,
                         lambda e: log.warning("refund resume failed: %s", type(e).__name__))
        if probe:
            print(f"POS_APP_READY {time.time():.6f}", flush=True)
        if headless:
            QTimer.singleShot(50, lambda: finish_headless(win))

    def finish_headless(win: MainWindow) -> None:
        if ns.screenshot:
            ok = win.grab().save(str(ns.screenshot), "PNG")
            state["rc"] = 0 if ok else 1
        log.warning("startup to ready: %.0f ms", (time.perf_counter() - T0) * 1000)
        if probe:
            print(f"POS_APP_QUIT {time.time():.6f}", flush=True)
        app.quit()

    def sign_out(win: MainWindow) -> None:
        state["signing_out"] = True
        try:
            if win.close():
                state["window"] = None
                login()
        finally:
            state["signing_out"] = False

    def login() -> None:
        from pos_app.ui.login_dialog import LoginDialog

        dlg = LoginDialog(services.login, worker, services.shop_name, demo=services.demo is not None)
        state["login"] = dlg

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dlg.session is not None:
                open_main(dlg.session)
            else:
                app.quit()

        dlg.finished.connect(done)
        dlg.open()

    if headless:
        open_main(Session("demo", "cashier"))

        def timeout() -> None:
            state["rc"] = 1
            print("pos-app: smoke test timed out", file=sys.stderr)
            app.quit()

        QTimer.singleShot(SMOKE_TIMEOUT_MS, timeout)
    else:
        login()
    try:
        app.exec()
    finally:
        hub.uninstall(app)
        hub.stop_serial()
        worker.shutdown()
        recovery.shutdown()
        backend.close()
    return int(state["rc"])
