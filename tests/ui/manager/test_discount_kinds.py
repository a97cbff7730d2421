"""Discounts reach the X/Z by kind (issue 10): a percentage typed at F5 and 抹零 at Ctrl+F6,
keys only, are stored on the order as such and come back from the store as a percentage
and a rounding — not as plain amounts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from pos_app.manager.reports import total_discounts
from pos_app.manager.shop_store import ShopStore

pytestmark = pytest.mark.gui


def test_percentage_and_round_off_by_keys_are_stored_by_kind(qtbot, ui, stack):
    for _ in range(2):
        qtbot.keyClick(ui, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)   # 雪碧 ¥3.50
    qtbot.waitUntil(lambda: ui.cart_model.cart.total == 700, timeout=2000)

    def type_percent() -> None:          # inside the input dialog's own event loop
        box = QApplication.activeModalWidget()
        assert box is not None
        edit = QApplication.focusWidget()
        qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        for ch in "10%":
            qtbot.keyClick(edit, ch)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(200, type_percent)
    qtbot.keyClick(ui, Qt.Key.Key_F5)                                       # 10 % off the line
    qtbot.waitUntil(lambda: ui.cart_model.cart.total == 630, timeout=3000)
    ui.activateWindow()
    qtbot.waitUntil(ui.isActiveWindow, timeout=2000)
    qtbot.keyClick(ui, Qt.Key.Key_F6, Qt.KeyboardModifier.ControlModifier)  # 抹零 → 6.00
    assert ui.cart_model.cart.total == 600
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    qtbot.keyClick(ui.dialog.tendered_edit, Qt.Key.Key_Return)             # exact cash
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=5000)
    ever = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    [sold] = ShopStore(stack.db).discounts_paid_between(*ever)
    assert (sold.line_percent, sold.line_amount, sold.order_amount, sold.order_percent,
            sold.round_off) == (70, 0, 0, 0, 30)
    d = total_discounts([sold])
    assert (d.percent.amount, d.round_off.amount, d.total.amount, d.sales) == (70, 30, 100, 1)
