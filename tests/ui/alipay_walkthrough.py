"""Screens of the Alipay channel under a real X server (Xvfb + openbox), keys typed with
QTest, full-screen screenshots. Not part of the fast suite.

    .venv/bin/python tests/ui/alipay_walkthrough.py [--out docs/screenshots/alipay]
        [--sizes 1024x768,1280x800] [--langs zh_CN,en]

Per size and language: the sale screen with both QR keys, an Alipay QR sale (Shift+F8,
the demo phone pays it), an Alipay payment code scanned at the sale field (waiting for the
password, then paid), the demo phone presenting an Alipay code, the refund screen on the
Alipay sale, reconciliation with the channel picker on Alipay, the Alipay merchant tab
of the settings.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.ui.demo_stack import Keys, shots_main  # noqa: E402


class _NextDay:
    """The manager's clock a day later: today's bills are settled."""

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(days=1)

    def monotonic(self) -> float:
        return time.monotonic()


def child(size: str, lang: str, out: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from pos_app.alipay import load_alipay_config
    from pos_app.backend import StaffAccounts, StaffLogin, seed_demo_users
    from pos_app.domain.money import Fen
    from pos_app.manager.services import build_manager_services
    from pos_app.payment_connection import (
        LazyChannel,
        SimulatorCustomer,
        check_alipay_config,
        check_merchant_config,
    )
    from pos_app.payments.channels.alipay import AlipayChannel
    from pos_app.payments.channels.wechat import WechatChannel
    from pos_app.payments.policy import PollPolicy, Schedule
    from pos_app.payments.till import TillService
    from pos_app.simulator.alipay.scenarios import auth_code_for
    from pos_app.simulator.alipay.server import AlipaySimulatorServer
    from pos_app.simulator.realism import Realism
    from pos_app.simulator.server import SimulatorServer
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.db import Database
    from pos_app.storage.staff import UserRepository
    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.main_window import MainWindow, payment_sink
    from pos_app.ui.manager.reconcile_dialog import ReconcileDialog
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.services import AppServices, Mode, Session
    from pos_app.ui.settings_model import AppSettings, PrinterSettings
    from pos_app.ui.style import apply_style
    from pos_app.wechatpay.config import load_merchant_config

    app = QApplication([])
    keep = install_translator(app, lang)  # noqa: F841
    apply_style(app)
    tag = f"{size}_{lang}"

    kb = Keys(out, tag)
    pump, wait, key, type_text = kb.pump, kb.wait, kb.key, kb.type_text
    scan, activate, shot = kb.scan, kb.activate, kb.shot

    tmp = Path(tempfile.mkdtemp(prefix="pos_ali_walk_"))
    wx = SimulatorServer(tmp / "wx", realism=Realism(bill_ready_hour=None, close_lag_s=0)).start()
    offset = [0.0]
    ali = AlipaySimulatorServer(tmp / "ali", clock=lambda: time.time() + offset[0],
                                refund_query_lag_s=0, bill_ready_hour=None).start()
    db = Database(tmp / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    users = UserRepository(db)
    seed_demo_users(users)
    fast = Schedule(((math.inf, 0.2),))
    channels = {
        "wechat": WechatChannel.from_config(load_merchant_config(wx.merchant_config_path)),
        "alipay": LazyChannel(lambda: AlipayChannel.from_config(
            load_alipay_config(ali.merchant_config_path)))}
    pay_both = [False]   # section 6: the customer pays both codes before the till looks

    def customer_pays_both(name: str) -> None:
        if name == "polling" and pay_both[0]:
            pay_both[0] = False
            [order] = till.recent_orders(1)
            for a in till.attempts_for_order(order.id):
                services.demo.pay_code_url(a.code_url)   # type: ignore[union-attr]

    till = TillService(db, channels, store_name="演示便利店",
                       policy=PollPolicy(codepay_poll=fast, native_poll=fast),
                       fault_hook=customer_pays_both)
    till.recover()
    manager = build_manager_services(db, channels)
    services = AppServices(till=till, catalog=catalog, login=StaffLogin(users), mode=Mode.DEMO,
                           shop_name="演示便利店", data_dir=tmp,
                           settings_path=tmp / "settings.json",
                           demo=SimulatorCustomer(wx, lambda: ali),
                           check_merchant_config=check_merchant_config,
                           check_alipay_config=check_alipay_config, manager=manager,
                           staff=StaffAccounts(users, manager.staff))
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    hub.install(app)
    till.subscribe(payment_sink(bridge))
    settings = AppSettings(printer=PrinterSettings(kind="file", target=str(tmp / "receipts.bin")))
    manager.shifts.open("李经理", Fen(20000))
    win = MainWindow(services, Session("李经理", "manager"), bridge, worker, hub, settings)
    win.present()
    win.recovery_done([])
    wait(lambda: win.quick_grid.count() > 0)
    activate(win)
    win.focus_entry()

    def three_items() -> None:
        for digit in (Qt.Key.Key_1, Qt.Key.Key_5, Qt.Key.Key_8):
            key(digit, Qt.KeyboardModifier.AltModifier)
        wait(lambda: len(win.cart_model.cart.lines) == 3)

    # 1. Alipay QR (Shift+F8), paid by the demo phone
    three_items()
    shot("01_sale_two_qr_keys")
    key(Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    dlg = win.dialog
    assert dlg is not None
    wait(lambda: dlg.qr.data != "")
    shot("02_alipay_qr")
    key(Qt.Key.Key_F7)
    phone = win.phone
    assert phone is not None
    wait(lambda: phone.pay_button.isEnabled())
    shot("03_alipay_qr_with_phone")
    QTest.mouseClick(phone.pay_button, Qt.MouseButton.LeftButton)   # the customer
    wait(lambda: win.dialog is None and win.sale.last_receipt is not None)
    phone.tabs.setCurrentIndex(1)
    index = phone.scenario.findData("alipay:wait_then_success")
    phone.scenario.setCurrentIndex(index)
    pump(0.5)
    shot("04_phone_alipay_code")
    phone.hide()
    activate(win)
    win.focus_entry()
    shot("05_alipay_qr_paid")

    # 2. an Alipay payment code scanned at the sale field: waits for the password
    before = win.sale.last_receipt
    three_items()
    scan(auth_code_for("wait_then_success", seconds=4))
    code_dlg = win.dialog
    wait(lambda: code_dlg is not None and code_dlg.wait_label.text() != "")
    shot("06_alipay_code_waiting_for_password")
    wait(lambda: win.sale.last_receipt is not before and win.dialog is None)
    receipt = win.sale.last_receipt
    assert receipt is not None
    shot("07_alipay_code_paid")

    # 3. refund screen on the Alipay sale (Shift+F1), the order found by its number
    key(Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    menu = win.manager_menu
    assert menu is not None and menu.dialog is not None
    refund = menu.dialog
    wait(lambda: refund.isActiveWindow())
    type_text(receipt.order_no)
    key(Qt.Key.Key_Return)
    wait(lambda: refund.summary is not None)
    key(Qt.Key.Key_Down)
    shot("08_refund_alipay_order")
    key(Qt.Key.Key_Escape)
    wait(lambda: menu.dialog is None or not refund.isVisible())
    activate(win)

    # 4. reconciliation the next day: the channel picker on Alipay; Alipay has a payment
    #    the till never recorded (shown with its one-click fix)
    stray = "PSTRAY" + datetime.now(UTC).strftime("%H%M%S")
    qr = channels["alipay"].get().client.precreate(out_trade_no=stray, total_fen=777,
                                                   subject="stray", qr_timeout_minutes=5)
    ali.customer_pay(qr_code=qr.qr_code)
    offset[0] += 86400
    ctx = dataclasses.replace(menu.ctx, services=build_manager_services(
        db, channels, clock=_NextDay()))
    rec = ReconcileDialog(ctx, win)
    rec.show()
    activate(rec)
    rec.channel_box.setFocus()
    key(Qt.Key.Key_Down)
    key(Qt.Key.Key_Return)
    wait(lambda: rec.report is not None)
    shot("09_reconcile_alipay")
    key(Qt.Key.Key_Escape)
    activate(win)

    # 5. settings (F11): the Alipay merchant tab, validated
    key(Qt.Key.Key_F11)
    sd = win.settings_dialog
    assert sd is not None
    activate(sd)
    sd.tabs.setFocus()
    key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    sd.alipay_path.setText(str(ali.merchant_config_path))
    sd.alipay_validate.setFocus()
    key(Qt.Key.Key_Space)
    wait(lambda: sd.alipay_result.text() not in ("", sd.tr("Checking…")))
    shot("10_settings_alipay")
    key(Qt.Key.Key_Escape)
    activate(win)
    win.focus_entry()

    # 6. both QRs side by side (Ctrl+F8): the customer picks Alipay on the phone
    three_items()
    key(Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)
    pair = win.dialog
    assert pair is not None
    wait(lambda: all(q.data for q in pair.qrs.values()))  # type: ignore[attr-defined]
    shot("11_both_qrs")
    key(Qt.Key.Key_F7)
    wait(lambda: phone.which.isVisible())
    phone.which.setCurrentIndex(phone.which.findData("alipay"))
    shot("12_both_qrs_with_phone")
    before = win.sale.last_receipt
    QTest.mouseClick(phone.pay_button, Qt.MouseButton.LeftButton)   # the customer
    wait(lambda: win.sale.last_receipt is not before and win.dialog is None)
    phone.hide()
    activate(win)

    # 7. a customer who pays both codes: one sale, a refund owed in red until refunded
    three_items()
    pay_both[0] = True
    key(Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)
    wait(lambda: win.refund_owed.isVisible())
    wait(lambda: win.dialog is None)
    activate(win)
    win.focus_entry()
    shot("13_paid_twice_refund_owed")

    if phone is not None:
        phone.close()
    win.close()
    worker.shutdown(wait=False)
    till.shutdown(wait=True)
    wx.stop()
    ali.stop()
    return 0


def main() -> int:
    return shots_main(__file__, ROOT / "docs" / "screenshots" / "alipay", child)


if __name__ == "__main__":
    sys.exit(main())
