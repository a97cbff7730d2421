"""One key, one action (issue 10, defects 1–3): an Enter that starts something never
also clicks a button that took the focus meanwhile. Driven by key events only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from pos_app.domain.payment import AttemptState
from pos_app.simulator.scenarios import auth_code_for
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.login_dialog import LoginDialog
from pos_app.ui.payment_dialogs import CodePayDialog
from pos_app.ui.settings_model import AppSettings

pytestmark = pytest.mark.gui


def type_keys(qtbot, code: str) -> None:
    """Typed by a person into whatever has the focus (slower than a scanner)."""
    for ch in code:
        qtbot.keyClick(QApplication.focusWidget(), ch, delay=70)


def press_enter(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, delay=70)


def coke_by_keys(qtbot, ui) -> None:
    ui.entry.focus()
    for ch in "6901234567014":       # 可口可乐's barcode, typed
        qtbot.keyClick(ui.barcode_edit, ch, delay=70)
    qtbot.keyClick(ui.barcode_edit, Qt.Key.Key_Return, delay=70)
    qtbot.waitUntil(lambda: ui.cart_model.cart.total == 300, timeout=3000)


def test_enter_on_a_typed_payment_code_charges_once_and_never_reverses(qtbot, ui, stack):
    coke_by_keys(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F9)
    dlg = ui.dialog
    assert isinstance(dlg, CodePayDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.code_edit, timeout=2000)
    cancels: list[int] = []
    dlg.cancel_requested.connect(cancels.append)
    type_keys(qtbot, auth_code_for("success"))
    press_enter(qtbot)
    qtbot.waitUntil(lambda: dlg.state is not None and dlg.state.terminal, timeout=8000)
    qtbot.wait(500)                                  # a reverse would have gone out by now
    assert cancels == []                             # the Enter did not also click Cancel
    assert dlg.state is AttemptState.PAID
    [order] = stack.server.engine.orders()
    assert order.trade_state == "SUCCESS", order.trade_state


def test_no_dialog_button_is_default_or_auto_default(qtbot, ui):
    coke_by_keys(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F9)
    dlg = ui.dialog
    buttons = dlg.findChildren(QPushButton)
    assert buttons and not any(b.autoDefault() or b.isDefault() for b in buttons)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)


def test_enter_at_the_receipt_does_what_its_label_says(qtbot, ui, monkeypatch):
    printed: list[object] = []
    monkeypatch.setattr(ui.sale.printing, "print_receipt", lambda r, done: printed.append(r))
    ui.apply_settings(AppSettings())                 # no printer: the receipt is shown
    coke_by_keys(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    dlg = ui.dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.tendered_edit, timeout=2000)
    press_enter(qtbot)                               # exact cash
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=5000)
    if dlg.isVisible():
        press_enter(qtbot)                           # "Done (Enter)"
    qtbot.waitUntil(lambda: ui.receipt_dialog is not None and ui.receipt_dialog.isVisible(),
                    timeout=3000)
    receipt = ui.receipt_dialog
    assert "New sale (Enter)" in [b.text() for b in receipt.findChildren(QPushButton)]
    press_enter(qtbot)
    qtbot.waitUntil(lambda: not receipt.isVisible(), timeout=2000)
    assert printed == []
    assert ui.cart_model.cart.lines == []


def _no_default_buttons(dlg) -> None:
    buttons = dlg.findChildren(QPushButton)
    assert buttons and not [b.text() for b in buttons if b.autoDefault() or b.isDefault()]


def test_sign_in_with_enter_checks_the_pin_once(qtbot, stack):
    calls: list[str] = []
    login = stack.services.login
    real = login.login

    def counting(name, pin):
        calls.append(name)
        return real(name, pin)

    worker = Worker(Bridge())
    dlg = LoginDialog(stack.services.login, worker, "测试商店")
    dlg._login = type("L", (), {"login": staticmethod(counting),
                                 "user_names": staticmethod(login.user_names)})()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.user_box.count() == 3, timeout=3000)
    _no_default_buttons(dlg)
    dlg.user_box.setCurrentIndex(dlg.user_box.findData("王芳"))
    dlg.pin_edit.setFocus()
    for ch in "2580":
        qtbot.keyClick(dlg.pin_edit, ch, delay=70)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        qtbot.keyClick(dlg.pin_edit, Qt.Key.Key_Return, delay=70)
    qtbot.wait(200)
    assert calls == ["王芳"]
    worker.shutdown(wait=True)
