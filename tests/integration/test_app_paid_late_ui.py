"""The till screen when a cancelled QR is paid after all (issue 11 #1), against the
realistic simulator (300 s close lag): the payment screen says "paid late", the sale is
paid, and Shift+F5 opens the refund screen on that order — all by keys."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.backend import StaffLogin, seed_demo_users
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.manager.services import build_manager_services
from pos_app.payment_connection import SimulatorCustomer, check_merchant_config
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import TillService
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database
from pos_app.storage.staff import UserRepository
from pos_app.ui.bridge import Bridge, Worker, payment_sink
from pos_app.ui.main_window import MainWindow
from pos_app.ui.manager.refund_dialog import RefundDialog
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.services import AppServices, Mode, Session
from pos_app.ui.settings_model import AppSettings, PrinterSettings
from pos_app.wechatpay.config import load_merchant_config

pytestmark = pytest.mark.gui
FAST = Schedule(((math.inf, 0.05),))


@dataclasses.dataclass
class Till:
    win: MainWindow
    sim: SimulatorServer
    till: TillService


@pytest.fixture
def till_screen(qtbot, qapp, tmp_path: Path) -> Iterator[Till]:  # type: ignore[no-untyped-def]
    sim = SimulatorServer(tmp_path / "sim").start()          # realistic: close lag 300 s
    db = Database(tmp_path / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    users = UserRepository(db)
    seed_demo_users(users)
    gateway = WechatChannel.from_config(load_merchant_config(sim.merchant_config_path))
    policy = PollPolicy(codepay_poll=FAST, native_poll=FAST, unknown_first_wait=0.1,
                        close_retry_waits=(0.05,), close_confirm_window=20.0)
    till = TillService(db, gateway, policy=policy)
    till.recover()
    manager = build_manager_services(db, gateway)
    manager.shifts.open("王芳", Fen(0))                        # sales need an open shift
    services = AppServices(
        till=till, catalog=catalog, login=StaffLogin(users), mode=Mode.DEMO, shop_name="测试商店",
        data_dir=tmp_path, settings_path=tmp_path / "settings.json", demo=SimulatorCustomer(sim),
        check_merchant_config=check_merchant_config, manager=manager)
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    settings = AppSettings(printer=PrinterSettings(kind="file", target=str(tmp_path / "r.bin")))
    win = MainWindow(services, Session("王芳", "cashier"), bridge, worker, hub, settings)
    sink = payment_sink(bridge)
    till.subscribe(sink)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.recovery_done([])
    qtbot.waitUntil(lambda: win.quick_grid.count() > 0, timeout=3000)
    qtbot.waitUntil(lambda: win.sale.shift_open, timeout=3000)
    try:
        yield Till(win, sim, till)
    finally:
        for d in (win.dialog, win.receipt_dialog):
            if d is not None:
                d.reject_now() if hasattr(d, "reject_now") else d.reject()
        if win.manager_menu is not None:
            win.manager_menu.close()
        till.unsubscribe(sink)
        till.shutdown(wait=True)
        worker.shutdown(wait=True)
        sim.stop()
        db.close()


def test_cancelled_qr_paid_late_is_shown_with_a_keyed_refund_offer(qtbot, till_screen: Till) -> None:  # type: ignore[no-untyped-def]
    win, sim = till_screen.win, till_screen.sim
    qtbot.mouseClick(win.quick_grid.itemAt(0).widget(), Qt.MouseButton.LeftButton)   # ¥3.00
    qtbot.keyClick(win, Qt.Key.Key_F8)                                  # pay by QR
    dlg = win.dialog
    assert dlg is not None
    qtbot.waitUntil(lambda: dlg.state is AttemptState.AWAITING_CUSTOMER, timeout=5000)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)                              # cashier cancels …
    qtbot.waitUntil(lambda: dlg._cancel_sent, timeout=3000)
    [attempt] = till_screen.till.attempts_for_order(dlg.order_id)
    sim.pay(out_trade_no=attempt.out_trade_no)                          # … the customer pays
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=15000)
    assert dlg.last_event is not None and dlg.last_event.paid_late
    assert "Paid late" in dlg.detail_label.text()
    order_id = dlg.order_id
    assert sim.realism.close_lag_s == 300
    qtbot.keyClick(dlg, Qt.Key.Key_Return)                              # done: the sale is paid
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    qtbot.wait(300)
    receipt = win.receipt_dialog
    if receipt is not None and receipt.isVisible():                     # (when not auto-printed)
        qtbot.keyClick(receipt, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not receipt.isVisible(), timeout=3000)
    assert win.paid_late_label is not None and "Shift+F5" in win.paid_late_label.text()
    assert win.paid_late_label.isVisible()                              # the refund offer stays
    menu = win.manager_menu
    assert menu is not None and menu.paid_late_action.isEnabled()
    win.activateWindow()                                                # back on the till screen
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)
    qtbot.keyClick(win, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(menu.dialog, RefundDialog), timeout=3000)
    refund = menu.dialog
    assert isinstance(refund, RefundDialog)
    qtbot.waitUntil(lambda: refund.summary is not None, timeout=5000)
    assert refund.summary is not None and refund.summary.order.order_id == order_id
    assert refund.summary.refundable == 300
