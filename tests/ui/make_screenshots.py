"""Render every screen against the real back end and save PNGs to docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/make_screenshots.py [--lang zh_CN|en]

Screens: login, sale, native QR, payment code (waiting for password), cash, receipt,
settings (scanner test), customer phone. Chinese needs fonts-wqy-microhei.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from pos_app.app import (  # noqa: E402
    SimulatorCustomer,
    StaffAccounts,
    StaffLogin,
    check_merchant_config,
    seed_demo_users,
)
from pos_app.devices.scanner.base import ScanEvent, ScanOrigin  # noqa: E402
from pos_app.manager.services import build_manager_services  # noqa: E402
from pos_app.payments.api import AttemptState  # noqa: E402
from pos_app.payments.channels.wechat import WechatGateway  # noqa: E402
from pos_app.payments.policy import PollPolicy, Schedule  # noqa: E402
from pos_app.payments.till import TillService  # noqa: E402
from pos_app.simulator.scenarios import auth_code_for  # noqa: E402
from pos_app.simulator.server import SimulatorServer  # noqa: E402
from pos_app.storage.catalog import ProductRepository  # noqa: E402
from pos_app.storage.db import Database  # noqa: E402
from pos_app.storage.staff import UserRepository  # noqa: E402
from pos_app.ui.bridge import Bridge, Worker  # noqa: E402
from pos_app.ui.i18n import install_translator  # noqa: E402
from pos_app.ui.login_dialog import LoginDialog  # noqa: E402
from pos_app.ui.main_window import MainWindow, payment_sink  # noqa: E402
from pos_app.ui.scanners import ScannerHub  # noqa: E402
from pos_app.ui.services import AppServices, Mode, Session  # noqa: E402
from pos_app.ui.settings_model import AppSettings  # noqa: E402
from pos_app.ui.style import apply_style  # noqa: E402
from pos_app.wechatpay.config import load_merchant_config  # noqa: E402


def wait_until(pred: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, out: Path, name: str) -> Path:
    settle()
    path = out / f"{name}.png"
    widget.grab().save(str(path), "PNG")
    print(path)
    return path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.lang == "zh_CN" else "_en"

    app = QApplication([])
    keep = install_translator(app, args.lang)  # noqa: F841
    apply_style(app)
    tmp = Path(tempfile.mkdtemp(prefix="pos_shots_"))
    server = SimulatorServer(tmp / "sim").start()
    db = Database(tmp / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    users = UserRepository(db)
    seed_demo_users(users)
    fast = Schedule(((math.inf, 0.1),))
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

    login = LoginDialog(services.login, worker, services.shop_name, demo=True)
    login.show()
    wait_until(lambda: login.user_box.count() > 0)
    login.pin_edit.setText("2580")
    save(login, out, "login" + suffix)
    login.close()

    win = MainWindow(services, Session("王芳", "cashier"), bridge, worker, hub, AppSettings())
    win.show()
    win.recovery_done([])
    wait_until(lambda: win.quick_grid.count() > 0)
    products = {p.sku: p for p in catalog.quick_keys()}
    win.add_product(products["COKE330"], 2)
    win.add_product(products["NOODLE"])
    win.add_product(products["CHIPS"])
    win.set_line_discount(1, "0.50")
    win.set_order_discount("1.00")
    win.on_scan(ScanEvent(catalog.by_sku("TISSUE").barcode, ScanOrigin.WEDGE, 0))
    wait_until(lambda: len(win.cart_model.cart.lines) == 4)
    save(win, out, "sale" + suffix)

    # Native QR + customer phone
    win.pay_native()
    dlg = win.dialog
    assert dlg is not None
    wait_until(lambda: dlg.state is AttemptState.AWAITING_CUSTOMER)
    save(dlg, out, "native_qr" + suffix)
    win.show_phone()
    assert win.phone is not None
    save(win.phone, out, "customer_phone" + suffix)
    win.phone.tabs.setCurrentIndex(1)
    save(win.phone, out, "customer_phone_code" + suffix)
    win.phone.tabs.setCurrentIndex(0)
    win.phone.pay_shown_qr()
    wait_until(lambda: dlg.state is AttemptState.PAID)
    save(dlg, out, "native_paid" + suffix)
    dlg.accept()
    wait_until(lambda: win.receipt_dialog is not None and win.receipt_dialog.isVisible())
    assert win.receipt_dialog is not None
    save(win.receipt_dialog, out, "receipt" + suffix)
    win.receipt_dialog.accept()

    # payment code, customer still entering the password
    win.add_product(products["MILK250"], 3)
    win.pay_code()
    cdlg = win.dialog
    assert cdlg is not None
    win.on_scan(ScanEvent(auth_code_for("userpaying_forever"),
                          ScanOrigin.WEDGE, 0))
    wait_until(lambda: cdlg.state is AttemptState.AWAITING_CUSTOMER)
    save(cdlg, out, "payment_code" + suffix)
    cdlg.request_cancel()
    wait_until(lambda: cdlg.state is not None and cdlg.state.terminal, 60)
    save(cdlg, out, "payment_code_cancelled" + suffix)
    cdlg.reject_now()

    # cash with change
    win.pay_cash()
    cash = win.dialog
    assert cash is not None
    cash.tendered_edit.setText("20")  # type: ignore[attr-defined]
    cash.confirm()  # type: ignore[attr-defined]
    wait_until(lambda: cash.state is AttemptState.PAID)
    save(cash, out, "cash" + suffix)
    cash.accept()
    wait_until(lambda: win.receipt_dialog is not None and win.receipt_dialog.isVisible())
    win.receipt_dialog.accept()

    # settings with the scanner test panel
    win.session = Session("李经理", "manager")  # settings are manager-only
    win.open_settings()
    sd = win.settings_dialog
    assert sd is not None
    sd.tabs.setCurrentIndex(1)
    hub.inject(products["COKE330"].barcode, ScanOrigin.WEDGE)
    hub.inject(auth_code_for("success"), ScanOrigin.SERIAL)
    hub.inject("28763443825664394", ScanOrigin.WEDGE)
    save(sd, out, "settings" + suffix)
    sd.merchant_path.setText(str(tmp / "missing.json"))
    sd.tabs.setCurrentIndex(0)
    sd.validate_merchant()
    wait_until(lambda: "…" not in sd.merchant_result.text())
    save(sd, out, "settings_merchant" + suffix)
    sd.reject()

    win.phone.close()
    win.close()
    worker.shutdown(wait=True)
    till.shutdown(wait=True)
    server.stop()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
