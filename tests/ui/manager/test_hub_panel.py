"""The store hub on the sale screen: the status badge ("Hub: n unsent", flags) for everyone,
Shift+F11 for a manager: the hub's flags, Enter opens the flagged order in the refund screen,
Del marks a flag handled; an unenrolled till shows the enrolment form, and a wrong code is
a clear message with nothing stored."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pos_app.hub.link import HubService
from pos_app.hub.sender import SyncStatus
from pos_app.storage.outbox import HubFlag
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.hub_panel import HubDialog, install_hub
from pos_app.ui.main_window import MainWindow
from pos_app.ui.manager.refund_dialog import RefundDialog
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.settings_model import AppSettings
from tests.ui.manager.conftest import CASHIER, MANAGER


def window(qtbot, stack, world, session):  # type: ignore[no-untyped-def]
    bridge = Bridge()
    worker = Worker(bridge)
    win = MainWindow(replace(stack.services, manager=world.services,
                             staff=world.make_ctx(session).accounts),
                     session, bridge, worker, ScannerHub(bridge), AppSettings())
    qtbot.addWidget(win)
    with qtbot.waitActive(win):          # window shortcuts need the active window
        win.show()
        win.activateWindow()
    win.recovery_done([])
    return win, worker


def flag(order_id: int) -> HubFlag:
    return HubFlag(7, "late_payment", "T1", str(order_id), "N20261202000001", 500,
                   "paid after the till closed the order", "2026-12-02T10:00:00+00:00", None)


def test_manager_sees_the_flags_marks_one_handled_and_opens_the_other(  # type: ignore[no-untyped-def]
        qtbot, stack, world):
    order_id = world.sell(("COKE330", 1), cash=500)
    hub = HubService(stack.db, "01")
    other = replace(flag(order_id), id=6, kind="amount_mismatch", order_id="999")
    hub.outbox.add_flags(7, [other, flag(order_id)])
    win, worker = window(qtbot, stack, world, MANAGER)
    badge = install_hub(win, hub, worker, MANAGER.name, MANAGER.role)
    hub._status(SyncStatus("ok", 3, 2))                 # as the sender thread publishes it
    qtbot.waitUntil(lambda: "3" in badge.label.text(), timeout=3000)
    assert "Hub: 3 unsent" in badge.label.text() and "2 flag" in badge.label.text()
    QTest.keyClick(win, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(getattr(win, "hub_dialog", None), HubDialog), timeout=3000)
    dlg = win.hub_dialog
    qtbot.waitUntil(lambda: dlg.flag_list.count() == 2, timeout=3000)
    assert "Amount differs" in dlg.flag_list.item(0).text()
    QTest.keyClick(dlg.flag_list, Qt.Key.Key_Delete)     # the first one: handled
    qtbot.waitUntil(lambda: dlg.flag_list.count() == 1, timeout=3000)
    assert [f.id for f in hub.open_flags()] == [7]
    text = dlg.flag_list.item(0).text()
    assert f"order {order_id}" in text and "¥5.00" in text and "Paid after" in text
    QTest.keyClick(dlg.flag_list, Qt.Key.Key_Return)     # Enter: the order, to refund it
    menu = win.manager_menu
    assert menu is not None
    qtbot.waitUntil(lambda: isinstance(menu.dialog, RefundDialog)
                    and menu.dialog.summary is not None, timeout=5000)
    assert str(order_id) in menu.dialog.order_label.text()
    assert not dlg.isVisible()
    menu.dialog.reject()
    win.close()
    worker.shutdown(wait=True)


def test_a_cashier_sees_the_badge_but_no_hub_dialog(qtbot, stack, world):  # type: ignore[no-untyped-def]
    hub = HubService(stack.db, "01")
    win, worker = window(qtbot, stack, world, CASHIER)
    badge = install_hub(win, hub, worker, CASHIER.name, CASHIER.role)
    hub._status(SyncStatus("offline", 12, 0))
    qtbot.waitUntil(lambda: "12" in badge.label.text(), timeout=3000)
    assert "offline" in badge.label.text()
    QTest.keyClick(win, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    assert getattr(win, "hub_dialog", None) is None
    win.close()
    worker.shutdown(wait=True)


def test_enrolment_with_a_bad_address_is_a_clear_message(qtbot, stack, world, tmp_path):  # type: ignore[no-untyped-def]
    hub = HubService(stack.db, "01")
    win, worker = window(qtbot, stack, world, MANAGER)
    install_hub(win, hub, worker, MANAGER.name, MANAGER.role)
    QTest.keyClick(win, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(getattr(win, "hub_dialog", None), HubDialog), timeout=3000)
    dlg = win.hub_dialog
    assert dlg.form.isVisible()
    dlg.url.setFocus()
    QTest.keyClicks(dlg.url, "ftp://hub.lan")
    QTest.keyClicks(dlg.code, "ABCD-EFGH-JKLM-NPQR")
    dlg.code.setFocus()
    QTest.keyClick(dlg.code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "https://" in dlg.message.text(), timeout=3000)
    assert not hub.enrolled and not (stack.db.path.parent / "hub.token").exists()
    dlg.reject()
    win.close()
    worker.shutdown(wait=True)
