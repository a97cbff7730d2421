"""The customer display against TWO screens (run by test_customer_display.py in a process of
its own, with ``QT_QPA_PLATFORM=offscreen:configfile=<screens.json>``; skipped elsewhere).

The real MainWindow on the till's screen, driven with keys; the display on the customer's
screen shows the cart as it grows, the Native QR (decoded from the pixels: it is the code
the till is waiting on), "paid ✓", the change for cash, the idle screen with the shop's
name, and goes away when the setting says off. With ``POS_SHOTS=<dir>`` (and
``POS_LANG=zh_CN|en``) it saves the screens as PNGs for docs/screenshots.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from pos_app.domain.payment import AttemptState
from pos_app.sale.customer_view import Phase
from pos_app.ui.payment_dialogs import CashDialog, NativePayDialog
from pos_app.ui.settings_model import DisplaySettings

pytestmark = [pytest.mark.gui, pytest.mark.skipif(
    os.environ.get("POS_TWO_SCREENS") != "1", reason="needs the two-screen offscreen platform")]

SHOTS = os.environ.get("POS_SHOTS", "")
LANG = os.environ.get("POS_LANG", "en")


@pytest.fixture(autouse=True)
def language(qapp):  # type: ignore[no-untyped-def]
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.style import apply_style

    apply_style(qapp)
    keep = install_translator(qapp, LANG)
    yield keep


def shot(widget: QWidget, name: str) -> None:
    if not SHOTS:
        return
    suffix = "" if LANG == "zh_CN" else "_en"
    widget.grab().save(str(Path(SHOTS) / f"{name}{suffix}.png"))


def decode(widget: QWidget) -> str:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buf, "PNG")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(bytes(buf.data()))))
    assert found, "no QR code on the customer display"
    return str(found[0].text)


def test_the_sale_as_the_customer_sees_it_on_the_second_screen(qtbot, ui, stack):
    screens = QGuiApplication.screens()
    assert sorted(s.name() for s in screens) == ["customer", "till"]
    assert ui.screen().name() == "till"
    qtbot.waitUntil(lambda: ui.devices.display is not None
                    and ui.devices.display.window is not None, timeout=3000)
    display = ui.devices.display
    win = display.window
    qtbot.waitUntil(win.isVisible, timeout=3000)
    assert win.screen().name() == "customer"
    assert win.geometry().getRect() == (1280, 0, 800, 480)
    qtbot.waitUntil(ui.isActiveWindow, timeout=2000)    # the till keeps the keyboard
    display._settle.setInterval(300)
    assert win.pages.currentIndex() == 0 and win.shop_label.text() == "测试商店"
    shot(win, "customer_display_idle")

    ui.activateWindow()
    qtbot.waitUntil(ui.isActiveWindow, timeout=2000)
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2):  # quick keys: 2 cola + 1 more
        qtbot.keyClick(ui, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: win.lines.rowCount() == 2, timeout=3000)
    assert win.pages.currentIndex() == 1
    assert win.lines.item(0, 0).text().startswith("可口可乐") and win.lines.item(0, 1).text() == "2"
    total = ui.cart_model.cart.total
    assert win.total_label.text() == f"¥{total // 100}.{total % 100:02d}"
    shot(win, "customer_display_cart")

    qtbot.keyClick(ui, Qt.Key.Key_F8)                    # Native QR
    dlg = ui.dialog
    assert isinstance(dlg, NativePayDialog)
    qtbot.waitUntil(lambda: dlg.qr.data != "" and win.qr.data == dlg.qr.data, timeout=5000)
    assert win.qr.isVisible() and display.view.screen.phase is Phase.PAY
    assert decode(win.qr) == dlg.qr.data                 # the customer scans THIS code
    shot(win, "customer_display_qr")
    ui.show_phone()                                      # the demo customer phone stays
    ui.phone.pay_shown_qr()
    qtbot.waitUntil(lambda: display.view.screen.phase is Phase.PAID, timeout=8000)
    assert win.status_label.text() == ("Paid ✓" if LANG == "en" else "支付成功 ✓")
    assert not win.qr.isVisible() and win.qr.data == ""  # no finished order's QR on show
    qtbot.waitUntil(lambda: win.pages.currentIndex() == 0, timeout=5000)  # idle again

    ui.activateWindow()
    qtbot.waitUntil(ui.isActiveWindow, timeout=2000)
    for _ in range(3):
        qtbot.keyClick(ui, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: ui.cart_model.cart.item_count == 3, timeout=3000)
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    cash = ui.dialog
    assert isinstance(cash, CashDialog)
    assert display.view.screen.phase is Phase.PAY and not win.qr.isVisible()
    for ch in "20":
        qtbot.keyClick(cash.tendered_edit, ch)
    qtbot.keyClick(cash.tendered_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: display.view.screen.phase is Phase.PAID, timeout=5000)
    assert cash.paid_event is not None and cash.paid_event.state is AttemptState.PAID
    assert "11.00" in win.change_label.text()
    shot(win, "customer_display_paid")
    qtbot.waitUntil(lambda: win.pages.currentIndex() == 0, timeout=5000)

    ui.apply_settings(replace(ui.settings, display=DisplaySettings(screen="off")))
    assert display.window is None                        # off: the window is gone
    ui.apply_settings(replace(ui.settings, display=DisplaySettings(screen="till")))
    assert display.window is None                        # never over the till's own screen
    ui.apply_settings(replace(ui.settings, display=DisplaySettings(screen="customer")))
    assert display.window is not None and display.window.screen().name() == "customer"


def test_settings_pages_for_the_display_and_printer(qtbot, ui):
    from pos_app.ui.settings_dialog import SettingsDialog

    dlg = SettingsDialog(ui.settings, ui.hub, ui.worker, None, lambda: [], ui)
    qtbot.addWidget(dlg)
    dlg.show()
    page = dlg.display_page
    names = [page.screen_box.itemData(i) for i in range(page.screen_box.count())]
    assert names[:2] == ["auto", "off"] and sorted(names[2:]) == ["customer", "till"]
    assert page.note.text() == ""
    dlg.resize(720, 620)
    dlg.tabs.setCurrentWidget(page)
    shot(dlg, "settings_customer_display")
    printer = dlg.printer_page
    printer.kind.setCurrentIndex(printer.kind.findData("network"))
    printer.host.setText("192.168.1.87")
    printer.shop_name.setText("演示便利店 (建国路店)")
    printer.address.setText("北京市朝阳区建国路88号")
    printer.phone.setText("010-6588 1234")
    printer.drawer_enabled.setChecked(True)
    dlg.tabs.setCurrentWidget(printer)
    shot(dlg, "settings_printer_network")
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)


def test_reprint_dialog_lists_the_day(qtbot, ui, stack):
    from pos_app.domain.cart import Cart
    from pos_app.domain.money import Fen
    from pos_app.manager.services import build_manager_services
    from pos_app.ui.reprint_dialog import ReprintDialog

    for sku, qty in (("COKE330", 2), ("CHIPS", 1)):
        cart = Cart()
        cart.add(stack.catalog.by_sku(sku), qty)
        order_id = stack.till.create_order(cart, cashier="王芳")
        stack.till.pay_cash(order_id, Fen(2000))
    assert stack.till.wait_idle(10)
    desk = build_manager_services(stack.db, None).refunds
    printed: list[str] = []
    dlg = ReprintDialog(desk, ui.worker, ui.sale, lambda r, done: printed.append(r.order_no), ui)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.results.count() == 2, timeout=5000)
    dlg.results.setFocus()
    qtbot.keyClick(dlg.results, Qt.Key.Key_Return)
    assert printed == [f"{order_id - 1:08d}"] or printed == [f"{order_id:08d}"]
    shot(dlg, "reprint_dialog")
