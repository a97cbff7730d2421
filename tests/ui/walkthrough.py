"""Walk the till like a new cashier: a real X server (Xvfb) with a window manager
(openbox), the real app windows maximised, keys typed one by one with QTest, full-screen
screenshots of every step. Not part of the fast suite.

    .venv/bin/python tests/ui/walkthrough.py [--out docs/screenshots/walkthrough]
        [--sizes 1024x768,1280x800] [--langs zh_CN,en]

Per size and language: sign in (PIN typed), a Native QR sale (the demo phone pays), a
payment-code sale (the code scanned at the sale field: one fast burst of keys), a cash
sale (¥50 tender key), a refund of the cash sale (manager PIN). Needs: xvfb, openbox,
xdotool, fonts-wqy-microhei (installer/setup.sh installs them).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------- the X server side

def _free_display() -> int:
    for n in range(90, 190):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def run_under_xvfb(size: str, lang: str, out: Path) -> int:
    for tool in ("Xvfb", "openbox"):
        if shutil.which(tool) is None:
            print(f"walkthrough: {tool} is missing (apt-get install xvfb openbox)",
                  file=sys.stderr)
            return 2
    n = _free_display()
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
        return subprocess.call([sys.executable, __file__, "--child", "--size", size,
                                "--langs", lang, "--out", str(out)], env=env)
    finally:
        for p in (wm, xvfb):
            if p is not None:
                p.terminate()
                p.wait(5)


# ---------------------------------------------------------------- inside the X session

def child(size: str, lang: str, out: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from pos_app.app import (
        SimulatorCustomer,
        StaffAccounts,
        StaffLogin,
        check_merchant_config,
        seed_demo_users,
    )
    from pos_app.manager.services import build_manager_services
    from pos_app.payments.channels.wechat import WechatGateway
    from pos_app.payments.policy import PollPolicy, Schedule
    from pos_app.payments.till import TillService
    from pos_app.simulator.scenarios import auth_code_for
    from pos_app.simulator.server import SimulatorServer
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.db import Database
    from pos_app.storage.staff import UserRepository
    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.login_dialog import LoginDialog
    from pos_app.ui.main_window import MainWindow, payment_sink
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.services import AppServices, Mode
    from pos_app.ui.settings_model import AppSettings, PrinterSettings
    from pos_app.ui.style import apply_style
    from pos_app.wechatpay.config import load_merchant_config

    app = QApplication([])
    keep = install_translator(app, lang)  # noqa: F841
    apply_style(app)
    tag = f"{size}_{lang}"
    shots: list[Path] = []
    keystrokes: dict[str, int] = {}
    count = [0]

    def pump(seconds: float = 0.15) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.01)

    def wait(pred: Callable[[], bool], timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > deadline:
                raise TimeoutError("the till did not reach the expected state")
            pump(0.02)

    def target() -> QWidget:
        w = QApplication.focusWidget() or QApplication.activeWindow()
        assert w is not None, "nothing has the keyboard focus"
        return w

    def key(k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(target(), k, mod, 40)
        count[0] += 1
        pump(0.05)

    def type_text(text: str) -> None:
        for ch in text:
            QTest.keyClick(target(), ch, Qt.KeyboardModifier.NoModifier, 70)
            count[0] += 1
        pump(0.05)

    def scan(code: str) -> None:
        """A wedge scanner: one burst of key events and Enter (one scan = one action)."""
        w = target()
        for ch in code:
            QTest.keyClick(w, ch)
        QTest.keyClick(w, Qt.Key.Key_Return)
        count[0] += 1  # the cashier pulls the trigger once
        pump(0.1)

    def activate(w: QWidget) -> None:
        """The window manager gives the focus back (as a click on the window would)."""
        deadline = time.monotonic() + 10
        tries = 0
        while not w.isActiveWindow():
            w.activateWindow()
            w.raise_()
            pump(0.1)
            tries += 1
            if tries % 5 == 0 and shutil.which("xdotool"):  # ask the window manager itself
                subprocess.call(["xdotool", "windowactivate", str(int(w.winId()))],
                                stderr=subprocess.DEVNULL)
            if time.monotonic() > deadline:
                raise TimeoutError("the window manager did not activate the window")

    def shot(name: str) -> None:
        pump(0.4)
        screen = QApplication.primaryScreen()
        path = out / f"{tag}_{name}.png"
        screen.grabWindow(0).save(str(path), "PNG")
        shots.append(path)
        print(path, flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="pos_walk_"))
    server = SimulatorServer(tmp / "sim").start()
    db = Database(tmp / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    users = UserRepository(db)
    seed_demo_users(users)
    fast = Schedule(((math.inf, 0.2),))
    gateway = WechatGateway.from_config(load_merchant_config(server.merchant_config_path))
    till = TillService(db, gateway, store_name="演示便利店",
                       policy=PollPolicy(codepay_poll=fast, native_poll=fast))
    till.recover()
    manager = build_manager_services(db, gateway)
    services = AppServices(till=till, catalog=catalog, login=StaffLogin(users), mode=Mode.DEMO,
                           shop_name="演示便利店", data_dir=tmp, demo=SimulatorCustomer(server),
                           check_merchant_config=check_merchant_config, manager=manager,
                           staff=StaffAccounts(users, manager.staff))
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    hub.install(app)
    till.subscribe(payment_sink(bridge))
    settings = AppSettings(printer=PrinterSettings(kind="file", target=str(tmp / "receipts.bin")))

    # sign in: 王芳 is preselected; the PIN typed, Enter
    login = LoginDialog(services.login, worker, services.shop_name, demo=True,
                        remember=tmp / "last_user")
    login.show()
    wait(lambda: login.user_box.count() > 0)
    activate(login)
    wait(lambda: QApplication.focusWidget() is login.pin_edit)
    type_text("2580")
    shot("01_login")
    key(Qt.Key.Key_Return)
    wait(lambda: login.session is not None)
    assert login.session is not None
    win = MainWindow(services, login.session, bridge, worker, hub, settings)
    win.present()
    win.recovery_done([])
    wait(lambda: win.quick_grid.count() > 0)
    # the shift: no shift is open, so the till asks for the opening float
    wait(lambda: win.shift_prompt is not None and win.shift_prompt.isVisible())
    if win.shift_prompt is not None:
        activate(win.shift_prompt)
        shot("02_open_shift")
        type_text("200")
        key(Qt.Key.Key_Return)
        wait(lambda: win.shift_prompt is None or not win.shift_prompt.isVisible())
        activate(win)
    win.focus_entry()

    def three_items() -> None:
        for digit in (Qt.Key.Key_1, Qt.Key.Key_5, Qt.Key.Key_8):   # quick keys Alt+1/5/8
            key(digit, Qt.KeyboardModifier.AltModifier)
        wait(lambda: len(win.cart_model.cart.lines) == 3)

    # 1. WeChat Native QR: the customer scans with the phone (demo phone, F7)
    count[0] = 0
    three_items()
    shot("03_sale")
    key(Qt.Key.Key_F8)
    dlg = win.dialog
    assert dlg is not None
    wait(lambda: dlg.qr.data != "")
    shot("04_native_qr")
    key(Qt.Key.Key_F7)
    phone = win.phone
    assert phone is not None
    wait(lambda: phone.pay_button.isEnabled())
    shot("05_native_qr_with_phone")
    QTest.mouseClick(phone.pay_button, Qt.MouseButton.LeftButton)   # the customer, not the till
    wait(lambda: win.dialog is None and win.sale.last_receipt is not None)
    keystrokes["native"] = count[0]
    phone.hide()
    activate(win)
    shot("06_native_paid")

    # 2. payment code scanned at the sale field: charges at once
    count[0] = 0
    before = win.sale.last_receipt
    three_items()
    scan(auth_code_for("userpaying_then_success", seconds=4))
    dlg = win.dialog
    wait(lambda: dlg is not None and dlg.wait_label.text() != "")
    shot("07_code_waiting_for_password")
    wait(lambda: win.sale.last_receipt is not before and win.dialog is None)
    keystrokes["payment code"] = count[0]
    shot("08_code_paid")

    # 3. cash: ¥50 note, one key
    count[0] = 0
    before = win.sale.last_receipt
    three_items()
    key(Qt.Key.Key_F10)
    shot("09_cash")
    type_text("-")
    wait(lambda: win.sale.last_receipt is not before and win.dialog is None)
    keystrokes["cash"] = count[0]
    shot("10_cash_paid_change")
    cash_receipt = win.sale.last_receipt
    assert cash_receipt is not None

    # 4. refund of the cash sale: receipt number typed, a reason, the manager's PIN
    key(Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    menu = win.manager_menu
    assert menu is not None and menu.dialog is not None
    refund = menu.dialog
    wait(lambda: refund.isActiveWindow())
    type_text(cash_receipt.order_no)
    key(Qt.Key.Key_Return)
    wait(lambda: refund.summary is not None)
    key(Qt.Key.Key_Down)                      # a reason from the list
    shot("11_refund_found")
    key(Qt.Key.Key_Return)                    # → the manager approves
    wait(lambda: refund.override is not None
         and refund.override.isVisible())
    approve = refund.override
    wait(lambda: approve.approve_button.isEnabled())
    approve.activateWindow()
    wait(lambda: QApplication.focusWidget() is approve.pin_edit)
    type_text("3690")                         # 张老板 (the first who may approve)
    shot("12_refund_manager_pin")
    key(Qt.Key.Key_Return)
    wait(lambda: not approve.isVisible())
    pump(2.5)
    shot("13_refund_sent")
    key(Qt.Key.Key_Escape)
    print(f"KEYSTROKES {tag} " + ", ".join(f"{k}={v}" for k, v in keystrokes.items()),
          flush=True)
    if phone is not None:
        phone.close()
    win.close()
    worker.shutdown(wait=False)
    till.shutdown(wait=True)
    server.stop()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "walkthrough"))
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
            rc |= run_under_xvfb(size, lang, out)
    return rc


if __name__ == "__main__":
    sys.exit(main())
