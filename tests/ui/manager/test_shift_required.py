"""Every sale belongs to a shift (issue 10, defect 4): with no shift open the till asks for
the opening float at sign-in and refuses to take money until one is open."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.main_window import MainWindow, payment_sink
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.settings_model import AppSettings

from .conftest import CASHIER

pytestmark = pytest.mark.gui


def test_no_sale_without_a_shift_and_the_float_is_asked_at_sign_in(qtbot, qapp, world):
    stack = world.stack
    services = replace(stack.services, manager=world.services)
    bridge = Bridge()
    worker = Worker(bridge)
    win = MainWindow(services, CASHIER, bridge, worker, ScannerHub(bridge), AppSettings())
    sink = payment_sink(bridge)
    stack.till.subscribe(sink)
    qtbot.addWidget(win)
    win.show()
    win.recovery_done([])
    qtbot.waitUntil(lambda: win.shift_prompt is not None and win.shift_prompt.isVisible(),
                    timeout=5000)
    prompt = win.shift_prompt
    qtbot.keyClick(prompt, Qt.Key.Key_Escape)          # not now
    qtbot.waitUntil(lambda: not prompt.isVisible())
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: win.cart_model.cart.total == 300, timeout=2000)
    qtbot.keyClick(win, Qt.Key.Key_F10)                # refused: no shift
    assert win.dialog is None and "No shift is open" in win.entry.banner_text
    qtbot.waitUntil(lambda: win.shift_prompt is not None and win.shift_prompt.isVisible(),
                    timeout=5000)                      # asked again, on the spot
    prompt = win.shift_prompt
    prompt.activateWindow()
    prompt.float_edit.setFocus()
    for ch in "200":
        qtbot.keyClick(prompt.float_edit, ch, delay=70)
    qtbot.keyClick(prompt.float_edit, Qt.Key.Key_Return, delay=70)
    qtbot.waitUntil(lambda: win.sale.shift_open, timeout=5000)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    shift = world.services.shifts.current()
    assert shift is not None and shift.opening_float == 20000
    qtbot.keyClick(win, Qt.Key.Key_F10)
    dlg = win.dialog
    assert dlg is not None
    qtbot.keyClick(dlg.tendered_edit, Qt.Key.Key_Return)   # exact cash
    qtbot.waitUntil(lambda: win.sale.last_receipt is not None, timeout=5000)
    orders = stack.till.orders.for_shift(shift.shift_id)
    assert [o.id for o in orders] == [int(win.sale.last_receipt.order_no)]  # in its X/Z
    stack.till.unsubscribe(sink)
    worker.shutdown(wait=True)
