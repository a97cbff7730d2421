"""The demo till that the screen scripts drive — one place for what
``tests/ui/walkthrough.py`` and ``tests/ui/make_screenshots.py`` both need:

* :func:`run_under_xvfb` — a real X server (Xvfb) of a given size with a window manager
  (openbox), the calling script re-run inside it with ``--child``;
* :func:`shots_main` — the command line every screen script shares (``--out``,
  ``--sizes``, ``--langs``): one X server per size and language;
* :func:`build_demo_stack` — the real back end: the WeChat Pay simulator over HTTP, SQLite
  with the demo catalogue and staff, the till service, the manager services, the UI
  bridge/worker/scanner hub and the app services of demo mode;
* :class:`Keys` — keys typed one by one with QTest into whatever has the focus (counted),
  the window manager asked for the focus, full-screen grabs.

Not part of the fast suite (no ``test_`` names here).
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHOP = "演示便利店"


# ---------------------------------------------------------------- the X server side

def free_display() -> int:
    for n in range(90, 190):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def run_under_xvfb(size: str, script: str, args: list[str]) -> int:
    """Run ``python script --child --size SIZE *args`` inside a fresh Xvfb of ``size``
    (e.g. ``"1024x768"``) with openbox managing the windows; its exit status."""
    for tool in ("Xvfb", "openbox"):
        if shutil.which(tool) is None:
            print(f"{Path(script).name}: {tool} is missing (apt-get install xvfb openbox)",
                  file=sys.stderr)
            return 2
    n = free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=f":{n}", QT_QPA_PLATFORM="xcb")
    wm = None
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            if time.monotonic() > deadline:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        wm = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        return subprocess.call([sys.executable, script, "--child", "--size", size, *args],
                               env=env)
    finally:
        for p in (wm, xvfb):
            if p is not None:
                p.terminate()
                p.wait(5)


def shots_main(script: str, default_out: Path, child: Callable[[str, str, Path], int]) -> int:
    """The shared ``main()`` of a screen script::

        script [--out DIR] [--sizes 1024x768,1280x800] [--langs zh_CN,en]

    re-runs ``script`` under :func:`run_under_xvfb` once per size and language; inside,
    ``child(size, lang, out)`` takes the shots. Its exit status: any child's failure."""
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(default_out))
    ap.add_argument("--sizes", default="1024x768,1280x800")
    ap.add_argument("--langs", default="zh_CN,en")
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--size", default="")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.child:
        return child(args.size, args.langs, out)
    rc = 0
    for size in args.sizes.split(","):
        for lang in args.langs.split(","):
            rc |= run_under_xvfb(size, script, ["--langs", lang, "--out", str(out)])
    return rc


# ---------------------------------------------------------------- the back end

@dataclass
class DemoStack:
    """The demo till's back end and UI plumbing (built inside a ``QApplication``)."""

    tmp: Path
    server: Any          # SimulatorServer
    db: Any              # Database
    catalog: Any         # ProductRepository
    till: Any            # TillService
    manager: Any         # ManagerServices
    services: Any        # AppServices
    bridge: Any
    worker: Any
    hub: Any
    settings: Any        # AppSettings (receipts to a file in tmp)

    def close(self) -> None:
        self.manager.refunds.shutdown()
        self.worker.shutdown(wait=False)
        self.till.shutdown(wait=True)
        self.server.stop()
        self.db.close()


def build_demo_stack(app: Any, *, prefix: str = "pos_demo_", poll_s: float = 0.2,
                     printer_file: bool = True) -> DemoStack:
    """The demo till over a fresh temporary directory: simulator, database with the demo
    catalogue and staff (王芳 2580 cashier, 李经理 1470 manager, 张老板 3690 admin), till
    service (recovered), manager services (refunds followed every ``poll_s`` … s) and the
    scanner hub installed on ``app``. ``printer_file``: receipts go to a file (printed at
    once after a sale); else no printer (the receipt is shown)."""
    from pos_app.backend import StaffAccounts, StaffLogin, seed_demo_users
    from pos_app.manager.services import build_manager_services
    from pos_app.payment_connection import SimulatorCustomer, check_merchant_config
    from pos_app.payments.channels.wechat import WechatGateway
    from pos_app.payments.policy import PollPolicy, Schedule
    from pos_app.payments.till import TillService
    from pos_app.simulator.server import SimulatorServer
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.db import Database
    from pos_app.storage.staff import UserRepository
    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.main_window import payment_sink
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.services import AppServices, Mode
    from pos_app.ui.settings_model import AppSettings, PrinterSettings
    from pos_app.wechatpay.config import load_merchant_config

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    server = SimulatorServer(tmp / "sim").start()
    db = Database(tmp / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    users = UserRepository(db)
    seed_demo_users(users)
    fast = Schedule(((math.inf, poll_s),))
    gateway = WechatGateway.from_config(load_merchant_config(server.merchant_config_path))
    till = TillService(db, gateway, store_name=SHOP,
                       policy=PollPolicy(codepay_poll=fast, native_poll=fast))
    till.recover()
    manager = build_manager_services(db, gateway,
                                     refund_follow_schedule=(max(poll_s, 0.3),) * 40)
    services = AppServices(till=till, catalog=catalog, login=StaffLogin(users), mode=Mode.DEMO,
                           shop_name=SHOP, data_dir=tmp, demo=SimulatorCustomer(server),
                           check_merchant_config=check_merchant_config, manager=manager,
                           staff=StaffAccounts(users, manager.staff),
                           settings_path=tmp / "settings.json")
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    hub.install(app)
    till.subscribe(payment_sink(bridge))
    settings = (AppSettings(printer=PrinterSettings(kind="file", target=str(tmp / "receipts.bin")))
                if printer_file else AppSettings())
    return DemoStack(tmp, server, db, catalog, till, manager, services, bridge, worker, hub,
                     settings)


# ---------------------------------------------------------------- the keyboard

class Keys:
    """Keys typed into the focused widget with QTest (``count`` counts keystrokes, a scan
    counts one), the focus asked of the window manager, full-screen shots."""

    def __init__(self, out: Path, tag: str) -> None:
        self.out = out
        self.tag = tag
        self.count = 0
        self.shots: list[Path] = []

    @staticmethod
    def pump(seconds: float = 0.15) -> None:
        from PySide6.QtWidgets import QApplication

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.01)

    def wait(self, pred: Callable[[], bool], timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > deadline:
                raise TimeoutError("the till did not reach the expected state")
            self.pump(0.02)

    @staticmethod
    def target() -> Any:
        from PySide6.QtWidgets import QApplication

        w = QApplication.focusWidget() or QApplication.activeWindow()
        assert w is not None, "nothing has the keyboard focus"
        return w

    def key(self, k: Any, mod: Any = None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(self.target(), k, mod or Qt.KeyboardModifier.NoModifier, 40)
        self.count += 1
        self.pump(0.05)

    def type_text(self, text: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        for ch in text:
            QTest.keyClick(self.target(), ch, Qt.KeyboardModifier.NoModifier, 70)
            self.count += 1
        self.pump(0.05)

    def scan(self, code: str) -> None:
        """A wedge scanner: one burst of key events and Enter (one scan = one action)."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        w = self.target()
        for ch in code:
            QTest.keyClick(w, ch)
        QTest.keyClick(w, Qt.Key.Key_Return)
        self.count += 1  # the cashier pulls the trigger once
        self.pump(0.1)

    def open_shift(self, win: Any, float_yuan: str = "200") -> None:
        """No shift is open: the till asks for the opening float; type it and Enter, then
        give the sale window the focus back."""
        from PySide6.QtCore import Qt

        self.wait(lambda: win.shift_prompt is not None and win.shift_prompt.isVisible())
        if win.shift_prompt is not None:
            self.activate(win.shift_prompt)
            self.type_text(float_yuan)
            self.key(Qt.Key.Key_Return)
            self.wait(lambda: win.shift_prompt is None or not win.shift_prompt.isVisible())
        self.activate(win)

    def activate(self, w: Any) -> None:
        """The window manager gives the focus back (as a click on the window would)."""
        deadline = time.monotonic() + 10
        tries = 0
        while not w.isActiveWindow():
            w.activateWindow()
            w.raise_()
            self.pump(0.1)
            tries += 1
            if tries % 5 == 0 and shutil.which("xdotool"):  # ask the window manager itself
                subprocess.call(["xdotool", "windowactivate", str(int(w.winId()))],
                                stderr=subprocess.DEVNULL)
            if time.monotonic() > deadline:
                raise TimeoutError("the window manager did not activate the window")

    def shot(self, name: str) -> Path:
        """The whole screen (every window, the window manager's frames) as
        ``<out>/<tag>_<name>.png``."""
        from PySide6.QtWidgets import QApplication

        self.pump(0.4)
        path = self.out / f"{self.tag}_{name}.png"
        QApplication.primaryScreen().grabWindow(0).save(str(path), "PNG")
        self.shots.append(path)
        print(path, flush=True)
        return path
