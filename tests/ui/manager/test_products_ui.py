"""Products at the till (issue 16), driven by keys on the real main window over the real
back end: the products screen behind a manager PIN, an unknown barcode added on the spot,
open-price items, scale labels, catalogue CSV, the sales reports screen."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.domain.scale_barcode import ean13_check_digit
from pos_app.storage.catalog import ean13
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.main_window import MainWindow
from pos_app.ui.manager.manager_override import ManagerOverrideDialog
from pos_app.ui.manager.products_dialog import NewProductDialog, ProductsDialog
from pos_app.ui.manager.sales_reports_dialog import SalesReportsDialog
from pos_app.ui.open_price import OpenPriceDialog
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.settings_model import AppSettings, TillSettings

from .conftest import CASHIER, MANAGER_PIN

pytestmark = pytest.mark.gui

NEW_CODE = ean13("690999000001")


def keys(qtbot, text: str, widget=None) -> None:
    """Typed by a person (slower than a scanner: the wedge filter leaves it alone);
    Chinese arrives as a Pinyin IME delivers it, a committed input-method string."""
    target = widget or QApplication.focusWidget()
    for ch in text:
        if ch.isascii():
            qtbot.keyClick(target, ch, delay=60)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(target, event)


def enter(qtbot, widget=None) -> None:
    qtbot.keyClick(widget or QApplication.focusWidget(), Qt.Key.Key_Return, delay=60)


def key(qtbot, widget, k, mod=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, k, mod, delay=60)


def retype(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    keys(qtbot, text, edit)


@pytest.fixture
def till(qtbot, qapp, stack, world):
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    settings = AppSettings(till=TillSettings(scale_layout="ff5-weight5-g"))
    world.services.shifts.open(CASHIER.name, Fen(10000))   # no opening-float prompt
    win = MainWindow(replace(stack.services, manager=world.services,
                             staff=world.make_ctx(CASHIER).accounts),
                     CASHIER, bridge, worker, hub, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.recovery_done([])
    qtbot.waitUntil(lambda: win.sale.shift_open, timeout=3000)
    qtbot.waitUntil(lambda: win.quick_grid.count() > 0, timeout=3000)
    yield win
    if win.manager_menu is not None:
        win.manager_menu.close()
    for w in QApplication.topLevelWidgets():
        if isinstance(w, (ManagerOverrideDialog, OpenPriceDialog)) and w.isVisible():
            w.reject()
    worker.shutdown(wait=True)


def approve_with_keys(qtbot, win) -> None:
    """The manager's PIN typed into the approval prompt, then Enter."""
    menu = win.products_menu
    qtbot.waitUntil(lambda: menu.approval is not None and menu.approval.isVisible()
                    and menu.approval.approve_button.isEnabled(), timeout=5000)
    ov = menu.approval
    for _ in range(ov.user_box.count()):        # the manager, picked with the arrow keys
        if ov.user_box.currentData() == "李经理":
            break
        key(qtbot, ov.user_box, Qt.Key.Key_Down)
    assert ov.user_box.currentData() == "李经理"
    keys(qtbot, MANAGER_PIN, ov.pin_edit)
    enter(qtbot, ov.pin_edit)


def open_products(qtbot, win, count: int = 12) -> ProductsDialog:
    key(qtbot, win, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    approve_with_keys(qtbot, win)
    qtbot.waitUntil(lambda: isinstance(win.manager_menu.dialog, ProductsDialog), timeout=5000)
    dlg = win.manager_menu.dialog
    qtbot.waitUntil(lambda: len(dlg.products) == count, timeout=5000)
    dlg.activateWindow()                       # as the window manager does for a new dialog
    qtbot.waitUntil(dlg.isActiveWindow, timeout=3000)
    return dlg


def test_unknown_barcode_is_added_by_a_manager_and_sold(qtbot, till, stack):
    till.entry.focus()
    keys(qtbot, NEW_CODE, till.barcode_edit)
    enter(qtbot, till.barcode_edit)
    qtbot.waitUntil(lambda: "Ctrl+N" in till.entry.banner_text, timeout=3000)
    assert NEW_CODE in till.entry.banner_text and till.cart_model.cart.lines == []
    key(qtbot, till, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    approve_with_keys(qtbot, till)
    qtbot.waitUntil(lambda: isinstance(till.manager_menu.dialog, NewProductDialog),
                    timeout=5000)
    dlg = till.manager_menu.dialog
    assert dlg.form.barcode_edit.text() == NEW_CODE
    keys(qtbot, "散装花生", dlg.form.name_edit)
    retype(qtbot, dlg.form.price_edit, "8.888")              # three decimals: refused
    enter(qtbot, dlg.form.price_edit)
    qtbot.waitUntil(lambda: "8.888" in dlg.message.text(), timeout=5000)
    assert dlg.isVisible() and stack.catalog.by_barcode(NEW_CODE) is None
    retype(qtbot, dlg.form.price_edit, "8.88")
    enter(qtbot, dlg.form.price_edit)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: till.cart_model.cart.total == 888, timeout=3000)
    [line] = till.cart_model.cart.lines
    assert (line.product.name, line.product.barcode, line.product.sku) == (
        "散装花生", NEW_CODE, NEW_CODE)
    assert stack.catalog.by_barcode(NEW_CODE) == line.product
    # Ctrl+N again does nothing: the offer was for that one barcode
    till.activateWindow()
    qtbot.waitUntil(till.isActiveWindow, timeout=3000)
    first_approval = till.products_menu.approval
    key(qtbot, till, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(200)
    assert till.products_menu.approval is first_approval and not first_approval.isVisible()
    key(qtbot, till, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)   # keys do reach it
    qtbot.waitUntil(lambda: till.open_price is not None, timeout=3000)
    key(qtbot, till.open_price, Qt.Key.Key_Escape)


def test_a_wrong_pin_opens_nothing(qtbot, till):
    key(qtbot, till, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    menu = till.products_menu
    qtbot.waitUntil(lambda: menu.approval is not None and menu.approval.approve_button.isEnabled(),
                    timeout=5000)
    keys(qtbot, "0000", menu.approval.pin_edit)
    enter(qtbot, menu.approval.pin_edit)
    qtbot.waitUntil(lambda: menu.approval.message.text() not in ("", "Checking…"), timeout=5000)
    assert menu.approval.isVisible() and till.manager_menu.dialog is None
    key(qtbot, menu.approval, Qt.Key.Key_Escape)
    assert till.manager_menu.dialog is None


def test_products_screen_edits_refuses_bad_input_and_updates_the_quick_keys(qtbot, till, stack):
    dlg = open_products(qtbot, till)
    before = stack.catalog.all()
    # search by pinyin initials, Enter picks the first hit into the form
    dlg.table.setFocus()                                   # the first row looked at …
    key(qtbot, dlg.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dlg.form.editing is not None, timeout=3000)
    assert dlg.form.editing in ("BEER500", "BREAD")       # the list is by SKU
    key(qtbot, dlg, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)   # … then a search
    assert dlg.search_edit.hasFocus()
    keys(qtbot, "kkkl", dlg.search_edit)
    qtbot.waitUntil(lambda: len(dlg.products) == 1, timeout=3000)
    enter(qtbot, dlg.search_edit)
    assert dlg.form.editing == "COKE330" and dlg.form.price_edit.text() == "3.00"
    # a clash and a bad barcode at once: both said, nothing written
    retype(qtbot, dlg.form.quick_key_edit, "2")                 # 雪碧's key
    retype(qtbot, dlg.form.barcode_edit, "6901234567015")       # bad check digit
    enter(qtbot, dlg.form.barcode_edit)
    qtbot.waitUntil(lambda: "check digit" in dlg.message.text(), timeout=3000)
    assert stack.catalog.all() == before
    retype(qtbot, dlg.form.barcode_edit, ean13("690123456701"))
    enter(qtbot, dlg.form.barcode_edit)
    qtbot.waitUntil(lambda: "Quick key 2 already belongs to 雪碧 500ml" in dlg.message.text(),
                    timeout=3000)
    assert stack.catalog.all() == before
    # a good edit: new price and category, quick key 12
    retype(qtbot, dlg.form.quick_key_edit, "12")
    retype(qtbot, dlg.form.price_edit, "3.20")
    dlg.form.category_box.lineEdit().setFocus()
    keys(qtbot, "饮料", dlg.form.category_box.lineEdit())
    enter(qtbot, dlg.form.price_edit)
    qtbot.waitUntil(lambda: dlg.message.text().startswith("Saved"), timeout=3000)
    coke = stack.catalog.by_sku("COKE330")
    assert (coke.price, coke.category, coke.quick_key) == (320, "饮料", 12)
    # the sale screen's quick keys follow (可乐 moved from key 1 to 12, at ¥3.20)
    qtbot.waitUntil(lambda: till.quick_keys.products[-1].sku == "COKE330", timeout=3000)
    # a new product from scratch
    key(qtbot, dlg, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dlg.form.editing is None and dlg.form.name_edit.hasFocus()
    keys(qtbot, "王老吉", dlg.form.name_edit)
    retype(qtbot, dlg.form.price_edit, "4.5")
    retype(qtbot, dlg.form.sku_edit, "WLJ310")
    enter(qtbot, dlg.form.sku_edit)
    qtbot.waitUntil(lambda: stack.catalog.by_sku("WLJ310") is not None, timeout=3000)
    assert stack.catalog.by_sku("WLJ310").price == 450
    key(qtbot, dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible()


def _file_dialog(qtbot, owner) -> QFileDialog:
    qtbot.waitUntil(lambda: owner.file_dialog is not None and owner.file_dialog.isVisible(),
                    timeout=3000)
    return owner.file_dialog


def _type_path(qtbot, owner, path: Path) -> None:
    """The file name typed into the (Qt) file dialog ``owner`` opened, then Enter; the
    focus goes back to ``owner`` as the window manager gives it back."""
    fd = _file_dialog(qtbot, owner)
    edit = fd.findChild(QLineEdit, "fileNameEdit")
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    fd.setDirectory(str(path.parent))      # the folder the shop keeps its files in
    qtbot.keyClicks(edit, path.name)
    qtbot.wait(300)              # the dialog reads the typed name (queued), as a person pauses
    qtbot.keyClick(fd, Qt.Key.Key_Return)   # Enter: the dialog's Save/Open button
    qtbot.waitUntil(lambda: not fd.isVisible(), timeout=3000)
    owner.activateWindow()
    qtbot.waitUntil(owner.isActiveWindow, timeout=3000)


def test_a_scan_in_the_products_screen_finds_or_starts_the_product(qtbot, till):
    from pos_app.devices.scanner.base import ScanOrigin

    dlg = open_products(qtbot, till)
    till.hub.inject(ean13("690123456701"), ScanOrigin.WEDGE)      # 可口可乐's barcode
    qtbot.waitUntil(lambda: dlg.form.editing == "COKE330", timeout=3000)
    till.hub.inject(NEW_CODE, ScanOrigin.WEDGE)
    qtbot.waitUntil(lambda: dlg.form.barcode_edit.text() == NEW_CODE, timeout=3000)
    assert dlg.form.editing is None and till.cart_model.cart.lines == []


def test_catalogue_csv_export_and_all_or_nothing_import(qtbot, till, stack, tmp_path):
    dlg = open_products(qtbot, till)
    out = tmp_path / "export.csv"
    key(qtbot, dlg, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    _type_path(qtbot, dlg, out)
    qtbot.waitUntil(lambda: "Exported 12 products" in dlg.message.text(), timeout=5000)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 12 and rows[0].keys() >= {"sku", "barcode", "name", "price", "category"}
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,barcode,name,price\nNEW1,,新品,1.00\nNEW2,,坏价格,abc\n", encoding="utf-8")
    key(qtbot, dlg, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    _type_path(qtbot, dlg, bad)
    qtbot.waitUntil(lambda: "nothing was imported" in dlg.message.text(), timeout=5000)
    assert "line 3" in dlg.message.text() and stack.catalog.by_sku("NEW1") is None
    good = tmp_path / "good.csv"
    good.write_text("sku,barcode,name,price,category\nNEW1,,新品,1.00,零食\n", encoding="utf-8")
    key(qtbot, dlg, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    _type_path(qtbot, dlg, good)
    qtbot.waitUntil(lambda: "imported 1 products" in dlg.message.text(), timeout=5000)
    assert stack.catalog.by_sku("NEW1").category == "零食"


def test_open_price_item_with_ctrl_k(qtbot, till, stack):
    stack.catalog.upsert(Product("VEG", "青菜", Fen(500), category="蔬菜"))
    key(qtbot, till, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: till.open_price is not None and till.open_price.isVisible(),
                    timeout=3000)
    dlg = till.open_price
    assert dlg.category_box.currentText() == "蔬菜" and dlg.amount_edit.hasFocus()
    keys(qtbot, "12.345", dlg.amount_edit)
    enter(qtbot, dlg.amount_edit)
    assert dlg.isVisible() and "positive amount" in dlg.message.text()
    assert till.cart_model.cart.lines == []
    retype(qtbot, dlg.amount_edit, "12.34")
    enter(qtbot, dlg.amount_edit)
    qtbot.waitUntil(lambda: till.cart_model.cart.total == 1234, timeout=3000)
    [line] = till.cart_model.cart.lines
    assert (line.product.sku, line.product.name) == ("OPEN-蔬菜", "蔬菜")


def test_weighed_label_at_the_sale_field(qtbot, till, stack):
    stack.catalog.upsert(Product("APPLE", "苹果", Fen(1298), category="水果", scale_code="12"))
    till.entry.focus()
    first12 = "22" + "00012" + "00532"                 # 0.532 kg of item 12
    keys(qtbot, first12 + str(ean13_check_digit(first12)), till.barcode_edit)
    enter(qtbot, till.barcode_edit)
    qtbot.waitUntil(lambda: till.cart_model.cart.total == 691, timeout=3000)   # 690.536 → 691
    [line] = till.cart_model.cart.lines
    assert line.product.name == "苹果 0.532kg"
    unknown = "22" + "00099" + "00532"
    keys(qtbot, unknown + str(ean13_check_digit(unknown)), till.barcode_edit)
    enter(qtbot, till.barcode_edit)
    qtbot.waitUntil(lambda: "00099" in till.entry.banner_text, timeout=3000)
    assert till.cart_model.cart.total == 691


def test_sales_reports_screen_and_csv(qtbot, till, world, tmp_path):
    world.sell(("COKE330", 2), ("CHIPS", 1))                 # 6.00 + 7.80 by payment code
    world.sell(("BREAD", 1), cash=1000)                      # 5.50 cash
    key(qtbot, till, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    approve_with_keys(qtbot, till)
    qtbot.waitUntil(lambda: isinstance(till.manager_menu.dialog, SalesReportsDialog),
                    timeout=5000)
    dlg = till.manager_menu.dialog
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=5000)
    assert dlg.report.totals.sales == 1930 and dlg.report.totals.sales_count == 2
    assert "sales ¥19.30 (2 payments)" in dlg.summary.text()
    assert dlg.report.last_day - dlg.report.first_day == date(2000, 1, 7) - date(2000, 1, 1)
    assert dlg.tabs.currentWidget() is dlg.day_chart
    qtbot.waitUntil(lambda: len(dlg.day_chart.bars) == 7, timeout=3000)
    assert dlg.day_chart.bars[-1].height() > 0                # today's bar
    key(qtbot, dlg, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)   # today only
    qtbot.waitUntil(lambda: dlg.report.first_day == dlg.report.last_day, timeout=5000)
    assert dlg.product_table.rowCount() == 3
    assert dlg.product_table.item(0, 0).text() == "乐事薯片 原味 70g"      # ¥7.80, the top seller
    key(qtbot, dlg, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    out = tmp_path / "sales.csv"
    _type_path(qtbot, dlg, out)
    qtbot.waitUntil(lambda: out.exists(), timeout=5000)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0]["section"] == "range" and rows[0]["net_fen"] == "1930"


INACTIVE = "product is inactive"


def scan_keys(qtbot, win, code: str) -> None:
    win.entry.focus()
    keys(qtbot, code, win.barcode_edit)
    enter(qtbot, win.barcode_edit)


def back_to_sale(qtbot, win) -> None:
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    win.entry.focus()


def test_deactivate_and_reactivate_a_product_with_keys(qtbot, till, stack):
    """Ctrl+D in the products screen deactivates the product in the form: gone from the
    list (Ctrl+H shows it, greyed) and from the quick keys; at the sale its barcode, a
    search result, a quick key drawn before (the hub deactivated it) and its scale label
    each say "product is inactive" and add nothing; Ctrl+D again sells it again."""
    coke = stack.catalog.by_sku("COKE330")
    apple = Product("APPLE", "苹果", Fen(1298), category="水果", scale_code="12")
    stack.catalog.upsert(apple)
    till.reload_quick_keys()
    dlg = open_products(qtbot, till, 13)
    key(qtbot, dlg, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    keys(qtbot, "kkkl", dlg.search_edit)
    qtbot.waitUntil(lambda: len(dlg.products) == 1, timeout=3000)
    enter(qtbot, dlg.search_edit)
    assert dlg.form.editing == "COKE330" and dlg.active_button.text() == "Deactivate (Ctrl+D)"
    key(qtbot, dlg, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dlg.message.text().startswith("Deactivated 可口可乐"), timeout=3000)
    assert stack.catalog.by_sku("COKE330").active is False
    qtbot.waitUntil(lambda: dlg.products == [], timeout=3000)     # "show inactive" is off
    assert dlg.form.editing == "COKE330" and "inactive" in dlg.heading.text()
    assert dlg.active_button.text() == "Reactivate (Ctrl+D)"
    qtbot.waitUntil(lambda: "COKE330" not in [p.sku for p in till.quick_keys.products],
                    timeout=3000)
    key(qtbot, dlg, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)   # show inactive
    assert dlg.show_inactive.isChecked()
    qtbot.waitUntil(lambda: len(dlg.products) == 1, timeout=3000)
    assert not dlg.products[0].active
    assert dlg.table.item(0, 0).text() == "⊘ 可口可乐 330ml"   # a short mark first
    assert dlg.table.item(0, 0).toolTip() == "可口可乐 330ml (inactive)"
    assert dlg.table.item(0, 1).foreground().color().name() == "#9a9a9a"
    # the scale item is deactivated too (Ctrl+F, its name, Enter, Ctrl+D)
    key(qtbot, dlg, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    retype(qtbot, dlg.search_edit, "pg")
    qtbot.waitUntil(lambda: [p.sku for p in dlg.products] == ["APPLE"], timeout=3000)
    enter(qtbot, dlg.search_edit)
    key(qtbot, dlg, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dlg.message.text().startswith("Deactivated 苹果"), timeout=3000)
    key(qtbot, dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible()

    back_to_sale(qtbot, till)
    scan_keys(qtbot, till, coke.barcode)                          # its barcode
    qtbot.waitUntil(lambda: INACTIVE in till.entry.banner_text, timeout=3000)
    assert "可口可乐 330ml" in till.entry.banner_text and till.cart_model.cart.lines == []
    keys(qtbot, "kkkl", till.barcode_edit)                       # a search result
    qtbot.waitUntil(lambda: till.entry.results.isVisible(), timeout=3000)
    assert till.entry.results.item(0).text().endswith("(inactive)")
    enter(qtbot, till.barcode_edit)
    qtbot.waitUntil(lambda: INACTIVE in till.entry.banner_text, timeout=3000)
    assert till.cart_model.cart.lines == []
    first12 = "22" + "00012" + "00532"                            # its scale label
    scan_keys(qtbot, till, first12 + str(ean13_check_digit(first12)))
    qtbot.waitUntil(lambda: "苹果" in till.entry.banner_text, timeout=3000)
    assert INACTIVE in till.entry.banner_text and till.cart_model.cart.lines == []
    # a quick key drawn before the hub deactivated its product: refused, keys redrawn
    first = till.quick_keys.product_at(0)
    assert first is not None and first.sku == "SPRITE500"
    stack.catalog.set_active("SPRITE500", False)
    key(qtbot, till, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "雪碧" in till.entry.banner_text, timeout=3000)
    assert INACTIVE in till.entry.banner_text and till.cart_model.cart.lines == []
    qtbot.waitUntil(lambda: till.quick_keys.product_at(0).sku == "WATER550", timeout=3000)
    key(qtbot, till, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)   # now 农夫山泉
    qtbot.waitUntil(lambda: till.cart_model.cart.total == 200, timeout=3000)

    # reactivated: sold again, back on its quick key
    dlg = open_products(qtbot, till, 10)
    key(qtbot, dlg, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(dlg.products) == 13, timeout=3000)
    key(qtbot, dlg, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    keys(qtbot, "kkkl", dlg.search_edit)
    qtbot.waitUntil(lambda: len(dlg.products) == 1, timeout=3000)
    enter(qtbot, dlg.search_edit)
    key(qtbot, dlg, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dlg.message.text().startswith("Reactivated 可口可乐"), timeout=3000)
    assert stack.catalog.by_sku("COKE330").active
    qtbot.waitUntil(lambda: till.quick_keys.product_at(0).sku == "COKE330", timeout=3000)
    key(qtbot, dlg, Qt.Key.Key_Escape)
    back_to_sale(qtbot, till)
    scan_keys(qtbot, till, coke.barcode)
    qtbot.waitUntil(lambda: till.cart_model.cart.total == 500, timeout=3000)


def test_weighed_items_read_per_kg(qtbot, till, stack):
    """Under a weight label format (the fixture's), a product with a scale item code is
    priced per kg: "¥12.98/kg" in the table, "/kg" by the price in the form — shown as
    soon as a scale code is typed, gone when it is cleared."""
    stack.catalog.upsert(Product("APPLE", "苹果", Fen(1298), category="水果", scale_code="12"))
    dlg = open_products(qtbot, till, 13)
    row = [p.sku for p in dlg.products].index("APPLE")
    assert dlg.table.item(row, 1).text() == "¥12.98/kg"
    coke = [p.sku for p in dlg.products].index("COKE330")
    assert dlg.table.item(coke, 1).text() == "¥3.00"
    key(qtbot, dlg, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    keys(qtbot, "pg", dlg.search_edit)
    qtbot.waitUntil(lambda: [p.sku for p in dlg.products] == ["APPLE"], timeout=3000)
    enter(qtbot, dlg.search_edit)
    assert dlg.form.editing == "APPLE" and dlg.form.per_kg_label.isVisible()
    key(qtbot, dlg, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not dlg.form.per_kg_label.isVisible()
    keys(qtbot, "香蕉", dlg.form.name_edit)
    retype(qtbot, dlg.form.price_edit, "6.50")
    retype(qtbot, dlg.form.scale_code_edit, "13")
    assert dlg.form.per_kg_label.isVisible()
    retype(qtbot, dlg.form.sku_edit, "BANANA")
    enter(qtbot, dlg.form.sku_edit)
    qtbot.waitUntil(lambda: dlg.message.text().startswith("Saved 香蕉"), timeout=3000)
    assert stack.catalog.by_sku("BANANA").scale_code == "13"
    key(qtbot, dlg, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    retype(qtbot, dlg.search_edit, "xj")
    qtbot.waitUntil(lambda: [p.sku for p in dlg.products] == ["BANANA"], timeout=3000)
    assert dlg.table.item(0, 1).text() == "¥6.50/kg"


def _sell_at(db, till_id: str, product: Product, qty: int) -> None:
    """A cash sale booked by another till on the same database (as the hub's store has)."""
    from pos_app.domain.order import OrderStatus
    from pos_app.domain.payment import PaymentMethod
    from pos_app.storage.orders import OrderRepository
    from pos_app.storage.payments import PaymentAttemptRepository

    cart = Cart()
    cart.add(product, qty)
    orders = OrderRepository(db, till_id=till_id)
    attempts = PaymentAttemptRepository(db, till_id=till_id)
    oid = orders.create(cart, cashier="小李")
    with db.transaction() as conn:
        aid = attempts.insert(conn, order_id=oid, method=PaymentMethod.CASH, amount=cart.total,
                              state=AttemptState.PAID, out_trade_no=f"T{till_id}-{oid:06d}")
        orders.set_status(conn, oid, OrderStatus.PAID, paid_attempt_id=aid)


def test_sales_reports_by_till_and_names_as_sold(qtbot, till, world, stack):
    """Ctrl+T and the arrow keys pick a till (the ids found in the data); a product
    renamed since its sale is listed under the name it was sold as."""
    world.sell(("COKE330", 2))                                   # this till: ¥6.00
    coke = stack.catalog.by_sku("COKE330")
    _sell_at(stack.db, "07", replace(coke, name="可乐 (旧名)"), 1)  # till 07: ¥3.00
    _sell_at(stack.db, "07", stack.catalog.by_sku("BREAD"), 1)   # till 07: ¥5.50
    stack.catalog.set_active("BREAD", False)                     # still in the report
    key(qtbot, till, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    approve_with_keys(qtbot, till)
    qtbot.waitUntil(lambda: isinstance(till.manager_menu.dialog, SalesReportsDialog),
                    timeout=5000)
    dlg = till.manager_menu.dialog
    qtbot.waitUntil(lambda: dlg.report is not None and dlg.till_box.count() == 3,
                    timeout=5000)
    own = stack.till.till_id
    assert [dlg.till_box.itemText(i) for i in range(3)] == [
        "All tills", *[f"Till {t}" for t in sorted([own, "07"])]]
    assert dlg.report.till_id is None and dlg.report.totals.sales == 1450
    assert dlg.summary.text().startswith("All tills · ")
    key(qtbot, dlg, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert dlg.till_box.hasFocus()
    while dlg.till_box.currentData() != "07":
        key(qtbot, dlg.till_box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dlg.report.till_id == "07", timeout=5000)
    assert dlg.report.totals.sales == 850 and dlg.summary.text().startswith("Till 07 · ")
    names = sorted(dlg.product_table.item(i, 0).text()
                   for i in range(dlg.product_table.rowCount()))
    assert names == ["可乐 (旧名)", "桃李面包"]
    key(qtbot, dlg.till_box, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: dlg.report.till_id is None, timeout=5000)
    assert dlg.report.totals.sales == 1450
