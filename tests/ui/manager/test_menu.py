"""The Manager menu on a main window: shortcuts, who may open what, scans → refund screen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow

from pos_app.ui.manager.menu import ManagerMenu
from pos_app.ui.manager.reconcile_dialog import ReconcileDialog
from pos_app.ui.manager.refund_dialog import RefundDialog
from pos_app.ui.manager.shift_dialog import ShiftDialog

from .conftest import CASHIER, MANAGER

pytestmark = pytest.mark.gui


def make(qtbot, world, session, blocked=lambda: False):
    win = QMainWindow()
    qtbot.addWidget(win)
    errors: list[str] = []
    menu = ManagerMenu(win, world.make_ctx(session), blocked, errors.append)
    win.show()
    return win, menu, errors


def test_cashier_menu_refund_by_scan_and_no_reconcile(qtbot, world):
    order_id = world.sell(("COKE330", 1))
    _win, menu, errors = make(qtbot, world, CASHIER)
    assert [a.shortcut().toString() for a in menu.actions.values()] == [
        "Shift+F1", "Shift+F2", "Shift+F3", "Shift+F4", "Shift+F10"]
    assert not menu.actions["reconcile"].isEnabled()
    menu.open_reconcile()
    assert errors == ["Reconciliation is for managers"] and menu.dialog is None
    menu.actions["refund"].trigger()
    assert isinstance(menu.dialog, RefundDialog)
    dlg = menu.dialog
    assert menu.offer_scan(f"{order_id:08d}")
    qtbot.waitUntil(lambda: dlg.summary is not None, timeout=5000)
    assert dlg.summary.order.order_id == order_id
    menu.open_shift()                        # one manager screen at a time
    assert menu.dialog is dlg
    dlg.reject()
    assert menu.dialog is None and not menu.offer_scan("123")
    menu.open_shift()
    assert isinstance(menu.dialog, ShiftDialog)
    menu.close()


def test_manager_menu_reconcile_and_blocked_while_paying(qtbot, world):
    paying = [True]
    _win, menu, errors = make(qtbot, world, MANAGER, lambda: paying[0])
    assert menu.actions["reconcile"].isEnabled()
    menu.open_reconcile()
    assert menu.dialog is None and errors == ["Finish the current payment first"]
    paying[0] = False
    menu.open_reconcile()
    assert isinstance(menu.dialog, ReconcileDialog)
    menu.close()


def test_main_window_manager_menu_scan_routes_to_refund(qtbot, qapp, stack, world, tmp_path):
    from dataclasses import replace

    from pos_app.devices.scanner.base import ScanOrigin
    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.settings_model import AppSettings

    order_id = world.sell(("COKE330", 1))
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    win = MainWindow(replace(stack.services, manager=world.services,
                             staff=world.make_ctx(CASHIER).accounts),
                     CASHIER, bridge, worker, hub, AppSettings())
    qtbot.addWidget(win)
    win.show()
    win.recovery_done([])
    menu = win.manager_menu
    assert menu is not None
    assert [a.text() for a in win.menuBar().actions()] == ["&Manager", "&Help"]
    menu.actions["refund"].trigger()
    dlg = menu.dialog
    assert isinstance(dlg, RefundDialog)
    hub.inject(f"{order_id:08d}", ScanOrigin.WEDGE)          # receipt QR → refund screen
    qtbot.waitUntil(lambda: dlg.summary is not None, timeout=5000)
    assert win.cart_model.cart.lines == []                    # not treated as a product
    dlg.reject()
    win.close()
    worker.shutdown(wait=True)
