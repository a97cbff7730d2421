"""Composition root: arguments → config → storage → gateway → till → Qt UI.

Demo mode (default): an embedded WeChat Pay simulator is started on 127.0.0.1 with
its state under ``<data-dir>/demo/``, and the till talks to it over real HTTP with
real signatures; the Alipay simulator starts on the first Alipay call. Live mode:
``--config`` names an app config (TOML/JSON with ``merchant_config = "…"`` for WeChat Pay
and/or ``alipay_config = "…"`` for Alipay — a shop enables either channel or both) or a
WeChat Pay merchant config file directly.

No logic lives here beyond wiring; the Qt-free parts are :mod:`pos_app.startup_plan` (what to
start), :mod:`pos_app.backend` (the database, till and services) and
:mod:`pos_app.payment_connection` (simulators or merchant configs, built when first needed).
Start-up order (issue 13: the first screen in a blink):

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
import logging
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos_app.backend import Core, DeferredLogin, build_core, build_services, start_hub
from pos_app.payment_connection import Once
from pos_app.startup_plan import Plan, StartupError, plan_startup, settings_file
from pos_app.ui.services import Session

if TYPE_CHECKING:
    from pos_app.payments.api import PaymentEvent
    from pos_app.startup_checks import StartupFailure
    from pos_app.storage.backup import BackupScheduler
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.services import AppServices
    from pos_app.ui.settings_model import AppSettings, BackupSettings

log = logging.getLogger("pos_app")

T0 = time.perf_counter()
SMOKE_TIMEOUT_MS = 30_000


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
