"""Cash in / cash out (存取款, issue 16) from the sale window by keys only: Shift+F10 opens
the screen, a cash in is recorded with Enter, a cash out (Ctrl+O) asks for the manager's
PIN; both land in the shift and its X, a bad amount or a missing reason stores nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.domain.money import Fen
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.main_window import MainWindow, payment_sink
from pos_app.ui.manager.cash_dialog import CashMovementDialog
from pos_app.ui.manager.menu import SHORTCUTS
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.settings_model import AppSettings

from .conftest import CASHIER, MANAGER_PIN

pytestmark = pytest.mark.gui


def _type(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        qtbot.keyClicks(widget, ch, delay=20)


@pytest.fixture
def till_window(qtbot, qapp, world):  # type: ignore[no-untyped-def]
    stack = world.stack
    services = replace(stack.services, manager=world.services)
    bridge = Bridge()
    worker = Worker(bridge)
    world.services.shifts.open(CASHIER.name, Fen(20000))          # float 200.00
    win = MainWindow(services, CASHIER, bridge, worker, ScannerHub(bridge), AppSettings())
    sink = payment_sink(bridge)
    stack.till.subscribe(sink)
    qtbot.addWidget(win)
    win.show()
    win.recovery_done([])
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    yield win
    if win.manager_menu is not None:
        win.manager_menu.close()
    stack.till.unsubscribe(sink)
    worker.shutdown(wait=True)


def _open(qtbot, win) -> CashMovementDialog:  # type: ignore[no-untyped-def]
    assert SHORTCUTS["cash"] == "Shift+F10"
    qtbot.keyClick(win, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(win.manager_menu.dialog, CashMovementDialog), timeout=3000)
    dlg = win.manager_menu.dialog
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.amount_edit, timeout=2000)
    return dlg


def test_cash_in_and_out_by_keys_land_in_the_shift_and_the_x(qtbot, world, till_window):
    win = till_window
    dlg = _open(qtbot, win)
    _type(qtbot, dlg.amount_edit, "50")
    qtbot.keyClick(dlg.amount_edit, Qt.Key.Key_Return)             # → reason
    reason = dlg.reason_box
    assert QApplication.focusWidget() is reason
    _type(qtbot, reason, "change float")
    qtbot.keyClick(reason, Qt.Key.Key_Return)                      # records the cash in
    qtbot.waitUntil(lambda: len(dlg.movements) == 1, timeout=5000)
    assert dlg.message.text() == "Cash in ¥50.00 recorded"
    assert dlg.table.item(0, 2).text() == "+¥50.00"

    qtbot.keyClick(dlg, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)   # cash out
    assert dlg.out_radio.isChecked() and QApplication.focusWidget() is dlg.amount_edit
    _type(qtbot, dlg.amount_edit, "32.6")
    qtbot.keyClick(dlg.amount_edit, Qt.Key.Key_Return)
    _type(qtbot, reason, "milk supplier")
    qtbot.keyClick(reason, Qt.Key.Key_Return)                      # asks for the PIN
    qtbot.waitUntil(lambda: dlg.override is not None and dlg.override.isVisible()
                    and dlg.override.approve_button.isEnabled(), timeout=5000)
    override = dlg.override
    assert not override.self_approve                               # a cashier's session
    box = override.user_box
    if box.findData("李经理") >= 0:
        box.setCurrentIndex(box.findData("李经理"))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is override.pin_edit, timeout=2000)
    _type(qtbot, override.pin_edit, MANAGER_PIN)
    qtbot.keyClick(override.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(dlg.movements) == 2, timeout=5000)
    assert dlg.message.text() == "Cash out ¥32.60 recorded"
    assert dlg.table.item(1, 2).text() == "-¥32.60"
    assert dlg.table.item(1, 4).text() == "王芳 / 李经理"

    shift = world.services.shifts.current()
    moves = world.services.store.cash_movements(shift.shift_id)
    assert [(m.direction.value, m.amount, m.reason, m.done_by, m.approved_by) for m in moves] == [
        ("in", 5000, "change float", "王芳", ""), ("out", 3260, "milk supplier", "王芳", "李经理")]
    x = world.services.shifts.x_report("李经理")
    assert x.expected_cash == 20000 + 5000 - 3260                   # 217.40, no sales yet
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: win.manager_menu.dialog is None, timeout=2000)


def test_bad_input_and_a_cancelled_pin_store_nothing(qtbot, world, till_window):
    dlg = _open(qtbot, till_window)
    _type(qtbot, dlg.amount_edit, "5x")
    qtbot.keyClick(dlg.amount_edit, Qt.Key.Key_Return)
    reason = dlg.reason_box
    qtbot.keyClick(reason, Qt.Key.Key_Return)
    assert dlg.message.text() == "Not an amount: 5x"
    assert QApplication.focusWidget() is dlg.amount_edit
    dlg.amount_edit.selectAll()
    _type(qtbot, dlg.amount_edit, "5")
    qtbot.keyClick(dlg.amount_edit, Qt.Key.Key_Return)
    qtbot.keyClick(reason, Qt.Key.Key_Return)                      # no reason
    assert dlg.message.text() == "A reason is required"
    qtbot.keyClick(dlg, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, dlg.amount_edit, "5")
    qtbot.keyClick(dlg.amount_edit, Qt.Key.Key_Return)
    _type(qtbot, reason, "x")
    qtbot.keyClick(reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.override is not None and dlg.override.isVisible(), timeout=5000)
    qtbot.keyClick(dlg.override, Qt.Key.Key_Escape)               # no PIN: nothing happens
    qtbot.waitUntil(lambda: not dlg.override.isVisible(), timeout=2000)
    qtbot.wait(200)
    shift = world.services.shifts.current()
    assert world.services.store.cash_movements(shift.shift_id) == []
    assert [e for e in world.services.store.audit_entries() if e.action.startswith("cash.")] == []


def test_f1_lists_every_key_with_cash_in_out(qtbot, till_window):
    from pos_app.ui.key_help import KeyHelpDialog

    win = till_window
    qtbot.keyClick(win, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), KeyHelpDialog),
                    timeout=3000)
    dlg = QApplication.activeModalWidget()
    rows = dict(dlg.rows())
    assert rows["Shift+F10"] == "Cash in / out (存取款)"
    assert rows["F10"] == "Cash" and rows["Shift+F2"].startswith("Shift: open, X / Z report")
    assert "F1" not in rows
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=2000)
