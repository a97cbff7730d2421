"""The till at a busy counter (issue 10, defects 6–9 and the faster path), driven by key
events on the real main window."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.domain.payment import AttemptState
from pos_app.simulator.scenarios import auth_code_for
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.login_dialog import LoginDialog
from pos_app.ui.payment_dialogs import CashDialog, CodePayDialog, NativePayDialog
from pos_app.ui.sale_status import SaleStatus

pytestmark = pytest.mark.gui


def keys(qtbot, text: str, widget=None) -> None:
    """Typed by a person (slower than a scanner, so the wedge filter leaves it alone)."""
    for ch in text:
        qtbot.keyClick(widget or QApplication.focusWidget(), ch, delay=70)


def enter(qtbot, widget=None) -> None:
    qtbot.keyClick(widget or QApplication.focusWidget(), Qt.Key.Key_Return, delay=70)


def coke(qtbot, ui) -> None:
    before = ui.cart_model.cart.total
    qtbot.keyClick(ui, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)   # quick key 1
    qtbot.waitUntil(lambda: ui.cart_model.cart.total == before + 300, timeout=2000)


# --- defect 6: errors where the cashier looks --------------------------------------------

def test_unknown_barcode_shows_a_red_banner_with_a_beep_until_the_next_key(
        qtbot, ui, monkeypatch):
    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    ui.entry.focus()
    keys(qtbot, "6901234567999", ui.barcode_edit)    # bad check digit
    enter(qtbot, ui.barcode_edit)
    qtbot.waitUntil(lambda: ui.entry.banner_text != "", timeout=2000)
    assert "check digit" in ui.entry.banner_text and beeps == [1]
    assert ui.entry.banner.property("kind") == "error"
    qtbot.wait(100)
    assert ui.entry.banner_text != ""                  # stays: no timer takes it away
    keys(qtbot, "6", ui.barcode_edit)                 # the next action
    assert ui.entry.banner_text == ""


# --- defect 7: one shop time zone ------------------------------------------------------

def test_receipt_time_is_shop_time_not_the_machine_clock(qtbot, ui):
    coke(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    dlg = ui.dialog
    enter(qtbot, dlg.tendered_edit)                   # exact cash
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=5000)
    at = ui.sale.last_receipt.created_at
    assert at.utcoffset() == timedelta(hours=8)       # Asia/Shanghai, on a UTC machine too


# --- defect 8: the demo phone during a payment -----------------------------------------

def test_customer_phone_opens_with_f7_while_the_qr_screen_is_modal(qtbot, ui):
    coke(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F8)
    dlg = ui.dialog
    assert isinstance(dlg, NativePayDialog)
    qtbot.waitUntil(lambda: dlg.qr.data != "", timeout=5000)
    qtbot.keyClick(dlg, Qt.Key.Key_F7)
    assert ui.phone is not None and ui.phone.isVisible()
    assert ui.phone.code_url == dlg.qr.data
    qtbot.mouseClick(ui.phone.pay_button, Qt.MouseButton.LeftButton)  # the customer pays
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=8000)
    assert not dlg.isVisible()


# --- defect 9: the smaller ones ----------------------------------------------------------

def test_after_a_failed_code_the_next_wait_offers_cancel_not_close(qtbot, ui):
    coke(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F9)
    dlg = ui.dialog
    assert isinstance(dlg, CodePayDialog)
    keys(qtbot, auth_code_for("notenough"), dlg.code_edit)
    enter(qtbot, dlg.code_edit)
    qtbot.waitUntil(lambda: dlg.state is AttemptState.FAILED, timeout=5000)
    dlg.code_edit.setFocus()
    keys(qtbot, auth_code_for("userpaying_forever"), dlg.code_edit)
    enter(qtbot, dlg.code_edit)
    qtbot.waitUntil(lambda: dlg.state is AttemptState.AWAITING_CUSTOMER, timeout=5000)
    assert dlg.cancel_button.text() == "Cancel payment (Esc)"
    qtbot.waitUntil(lambda: "gives up and reverses in" in dlg.wait_label.text(), timeout=3000)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dlg.state is AttemptState.REVERSED, timeout=8000)


def test_sign_in_remembers_the_last_user_and_clears_a_stale_pin_message(qtbot, stack,
                                                                         tmp_path):
    worker = Worker(Bridge())
    remember = tmp_path / "last_user"
    dlg = LoginDialog(stack.services.login, worker, "店", remember=remember)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.user_box.count() == 3, timeout=3000)
    assert dlg.user_box.currentData() == "王芳"         # the first cashier, not the admin
    dlg.pin_edit.setFocus()
    keys(qtbot, "1111", dlg.pin_edit)
    enter(qtbot, dlg.pin_edit)
    qtbot.waitUntil(lambda: "PIN" in dlg.message.text(), timeout=5000)
    dlg.user_box.setFocus()
    before = dlg.user_box.currentIndex()
    qtbot.keyClick(dlg.user_box, Qt.Key.Key_Up)        # another user
    assert dlg.user_box.currentIndex() != before
    assert dlg.message.text() == ""
    name = dlg.user_box.currentData()
    pin = {"李经理": "1470", "张老板": "3690", "王芳": "2580"}[name]
    dlg.pin_edit.setFocus()
    keys(qtbot, pin, dlg.pin_edit)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        enter(qtbot, dlg.pin_edit)
    qtbot.waitUntil(lambda: remember.exists(), timeout=2000)
    again = LoginDialog(stack.services.login, worker, "店", remember=remember)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.user_box.count() == 3, timeout=3000)
    assert again.user_box.currentData() == name
    worker.shutdown(wait=True)


def test_status_bar_names_the_role(qapp):
    from PySide6.QtWidgets import QStatusBar
    bar = QStatusBar()
    assert SaleStatus(bar, True, "李经理", "manager").user_label.text() == "Manager: 李经理"
    assert SaleStatus(bar, True, "王芳", "cashier").user_label.text() == "Cashier: 王芳"


def test_demo_phone_never_shows_a_spent_payment_code(qtbot, ui):
    coke(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F7)
    phone = ui.phone
    phone.tabs.setCurrentIndex(1)
    phone.scenario.setCurrentIndex(phone.scenario.findData("success"))
    shown = phone.code_qr.data
    ui.activateWindow()
    qtbot.keyClick(ui, Qt.Key.Key_F9)
    dlg = ui.dialog
    keys(qtbot, shown, dlg.code_edit)                  # the cashier types the phone's code
    enter(qtbot, dlg.code_edit)
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=8000)
    assert phone.code_qr.data != shown                 # spent: the phone shows a new one


def test_scenario_names_are_in_the_ui_language(qtbot, ui):
    qtbot.keyClick(ui, Qt.Key.Key_F7)
    titles = [ui.phone.scenario.itemText(i) for i in range(ui.phone.scenario.count())]
    assert "Pays at once" in titles and "userpaying_forever" not in titles


# --- faster at the counter -------------------------------------------------------------

def test_payment_code_scanned_at_the_sale_field_charges_in_one_scan(qtbot, ui, stack):
    coke(qtbot, ui)
    ui.entry.focus()
    code = auth_code_for("success")
    for ch in code:                                    # a scanner: one fast burst
        qtbot.keyClick(ui.barcode_edit, ch)
    qtbot.keyClick(ui.barcode_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=8000)
    qtbot.waitUntil(lambda: ui.dialog is None, timeout=3000)
    assert ui.receipt_dialog is None                  # printed, no second screen
    out = ui.settings.printer.target
    qtbot.waitUntil(lambda: os.path.exists(out) and os.path.getsize(out) > 0, timeout=3000)
    assert ui.focusWidget() is ui.barcode_edit        # ready for the next customer


def test_cash_tender_key_takes_a_fifty_in_one_key(qtbot, ui):
    coke(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    dlg = ui.dialog
    assert isinstance(dlg, CashDialog)
    qtbot.keyClick(dlg.tendered_edit, "-")            # ¥50 note
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=5000)
    rec = ui.sale.last_receipt
    assert (rec.tendered, rec.change) == (5000, 4700)
    assert "give ¥47.00 change" in ui.entry.banner_text


def test_a_line_deactivated_after_it_was_rung_up_is_not_charged(qtbot, ui, stack):
    """可乐 rung up, then deactivated by the manager: F10 and ¥50 are refused with its name
    (nothing stored); Esc, Del on the line, the rest is paid."""
    coke(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)      # 雪碧
    qtbot.waitUntil(lambda: ui.cart_model.cart.total == 650, timeout=3000)
    stack.catalog.set_active("COKE330", False)
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    dlg = ui.dialog
    assert isinstance(dlg, CashDialog)
    qtbot.keyClick(dlg.tendered_edit, "-")                                  # ¥50 note
    qtbot.waitUntil(lambda: "not charged: 可口可乐 330ml" in dlg.detail_label.text(),
                    timeout=3000)
    assert dlg.status_label.text() == "Could not start the payment"
    assert stack.till.recent_orders() == []
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ui.dialog is None, timeout=3000)
    ui.activateWindow()
    qtbot.waitUntil(ui.isActiveWindow, timeout=2000)
    ui.table.selectRow(0)
    qtbot.keyClick(ui, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: ui.cart_model.cart.total == 350, timeout=3000)
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    qtbot.keyClick(ui.dialog.tendered_edit, "-")
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=5000)
    assert ui.sale.last_receipt.total == 350


def test_f12_asks_before_clearing_a_cart(qtbot, ui):
    coke(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F12)
    assert ui.cart_model.cart.total == 300 and "F12 again" in ui.entry.banner_text
    coke(qtbot, ui)                                    # any other action keeps the sale
    qtbot.keyClick(ui, Qt.Key.Key_F12)
    assert ui.cart_model.cart.total == 600
    qtbot.keyClick(ui, Qt.Key.Key_F12)
    assert ui.cart_model.cart.lines == []


def test_round_off_with_ctrl_f6(qtbot, ui):
    qtbot.keyClick(ui, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)   # 雪碧 ¥3.50
    qtbot.waitUntil(lambda: ui.cart_model.cart.total == 350, timeout=2000)
    qtbot.keyClick(ui, Qt.Key.Key_F6, Qt.KeyboardModifier.ControlModifier)
    assert ui.cart_model.cart.total == 300 and ui.cart_model.cart.order_discount == 50


def test_product_search_by_pinyin_initials(qtbot, ui):
    ui.entry.focus()
    keys(qtbot, "kkkl", ui.barcode_edit)
    qtbot.waitUntil(lambda: ui.results.isVisible() and ui.results.count() > 0, timeout=3000)
    assert "可口可乐" in ui.results.item(0).text()
    enter(qtbot, ui.barcode_edit)
    qtbot.waitUntil(lambda: ui.cart_model.cart.total == 300, timeout=2000)


def test_confirm_with_enter_setting_holds_a_scanned_code(qtbot, ui, stack):
    from pos_app.ui.settings_model import TillSettings
    ui.apply_settings(replace(ui.settings, till=TillSettings(confirm_code_with_enter=True)))
    coke(qtbot, ui)
    ui.entry.focus()
    code = auth_code_for("success")
    for ch in code:
        qtbot.keyClick(ui.barcode_edit, ch)
    qtbot.keyClick(ui.barcode_edit, Qt.Key.Key_Return)
    dlg = ui.dialog
    assert isinstance(dlg, CodePayDialog) and dlg.state is None
    qtbot.wait(200)
    assert stack.server.engine.orders() == []
    enter(qtbot, dlg.code_edit)
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=8000)


# --- hold and recall (挂单/取单), surviving a restart ------------------------------------

def test_hold_and_recall_a_sale_across_a_restart(qtbot, qapp, stack, tmp_path):
    from pos_app.storage.db import Database
    from pos_app.storage.held_sales import HeldSaleRepository
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.services import Session
    from pos_app.ui.settings_model import AppSettings

    def till_window(db):
        services = replace(stack.services, held=HeldSaleRepository(db))
        bridge = Bridge()
        win = MainWindow(services, Session("王芳", "cashier"), bridge, Worker(bridge),
                         ScannerHub(bridge), AppSettings())
        qtbot.addWidget(win)
        win.show()
        win.recovery_done([])
        qtbot.waitUntil(lambda: win.quick_grid.count() > 0, timeout=3000)
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=2000)
        return win

    win = till_window(stack.db)
    coke(qtbot, win)
    coke(qtbot, win)
    qtbot.keyClick(win, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Ctrl+R" in win.entry.banner_text, timeout=3000)
    assert win.cart_model.cart.lines == []
    win.close()
    db = Database(stack.db.path)                       # the till restarts
    win = till_window(db)
    qtbot.keyClick(win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.cart_model.cart.total == 600, timeout=3000)
    assert win.cart_model.cart.lines[0].quantity == 2
    qtbot.keyClick(win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "on hold" in win.entry.banner_text
                    or "Finish or hold" in win.entry.banner_text, timeout=3000)
    db.close()


def test_a_recalled_sale_loses_a_product_deactivated_since(qtbot, stack):
    """Held with 可乐 ×2 and 雪碧, 可乐 deactivated meanwhile: Ctrl+R brings back 雪碧 only
    and says why; a held sale of nothing but inactive products brings back nothing."""
    from pos_app.storage.held_sales import HeldSaleRepository
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.services import Session
    from pos_app.ui.settings_model import AppSettings

    bridge = Bridge()
    worker = Worker(bridge)
    win = MainWindow(replace(stack.services, held=HeldSaleRepository(stack.db)),
                     Session("王芳", "cashier"), bridge, worker, ScannerHub(bridge),
                     AppSettings())
    qtbot.addWidget(win)
    win.show()
    win.recovery_done([])
    qtbot.waitUntil(lambda: win.quick_grid.count() > 0, timeout=3000)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    for k in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2):            # 可乐 ×2, 雪碧
        qtbot.keyClick(win, k, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: win.cart_model.cart.total == 950, timeout=3000)
    qtbot.keyClick(win, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Ctrl+R" in win.entry.banner_text, timeout=3000)
    stack.catalog.set_active("COKE330", False)
    qtbot.keyClick(win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "removed from the recalled sale" in win.entry.banner_text,
                    timeout=3000)
    assert "可口可乐 330ml" in win.entry.banner_text
    assert [ln.product.sku for ln in win.cart_model.cart.lines] == ["SPRITE500"]
    assert win.cart_model.cart.total == 350
    qtbot.keyClick(win, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)   # hold 雪碧
    qtbot.waitUntil(lambda: "Ctrl+R" in win.entry.banner_text, timeout=3000)
    stack.catalog.set_active("SPRITE500", False)
    qtbot.keyClick(win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "removed from the recalled sale" in win.entry.banner_text,
                    timeout=3000)
    assert win.cart_model.cart.lines == []
    worker.shutdown(wait=True)
