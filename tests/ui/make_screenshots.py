"""Full-window screenshots of the screens the walkthrough does not cover — the receipt,
settings and the manager screens — with the real till maximised under Xvfb + openbox,
driven by keys, against the real back end (simulator over HTTP, SQLite, till service).

    .venv/bin/python tests/ui/make_screenshots.py [--sizes 1024x768,1280x800]
        [--langs zh_CN,en] [--out docs/screenshots]

Writes ``<out>/screens/<size>_<lang>_<name>.png`` for every size and language, and the
1280x800 ones again as ``<out>/<name>.png`` (zh_CN) / ``<out>/<name>_en.png`` (en), the
names docs/screenshots/README.md lists. Needs xvfb, openbox, xdotool and
fonts-wqy-microhei (installer/setup.sh installs them). Not part of the fast suite.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.ui.demo_stack import Keys, build_demo_stack, shots_main  # noqa: E402

MAIN_SIZE = "1280x800"        # the size the top-level docs/screenshots/*.png are taken at


def child(size: str, lang: str, out: Path) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from pos_app.devices.scanner.base import ScanOrigin
    from pos_app.simulator.scenarios import auth_code_for
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.services import Session
    from pos_app.ui.style import apply_style

    app = QApplication([])
    keep = install_translator(app, lang)  # noqa: F841
    apply_style(app)
    shots = out / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    kb = Keys(shots, f"{size}_{lang}")
    stack = build_demo_stack(app, prefix="pos_shots_", printer_file=False)  # receipt shown
    Key, Mod = Qt.Key, Qt.KeyboardModifier

    def window(session: Session) -> MainWindow:
        win = MainWindow(stack.services, session, stack.bridge, stack.worker, stack.hub,
                         stack.settings)
        win.present()
        win.recovery_done([])
        kb.wait(lambda: win.quick_grid.count() > 0)
        kb.pump(0.5)          # the shift prompt may come up first: the caller activates
        return win

    def menu_dialog(win: MainWindow, fkey: Qt.Key) -> object:
        kb.activate(win)
        win.focus_entry()
        kb.key(fkey, Mod.ShiftModifier)
        menu = win.manager_menu
        assert menu is not None
        kb.wait(lambda: menu.dialog is not None and menu.dialog.isVisible())
        dlg = menu.dialog
        kb.activate(dlg)
        return dlg

    def approve(owner: object, pin: str, shot: str | None = None) -> None:
        kb.wait(lambda: owner.override is not None and owner.override.isVisible()
                and owner.override.approve_button.isEnabled())
        ov = owner.override
        box = ov.user_box
        if box.findData("李经理") >= 0:
            box.setCurrentIndex(box.findData("李经理"))
        kb.activate(ov)
        kb.wait(lambda: QApplication.focusWidget() is ov.pin_edit)
        kb.type_text(pin)
        if shot:
            kb.shot(shot)
        kb.key(Key.Key_Return)
        kb.wait(lambda: not ov.isVisible())

    # ---- the cashier: a discounted cash sale and its receipt
    win = window(Session("王芳", "cashier"))
    kb.wait(lambda: win.shift_prompt is not None and win.shift_prompt.isVisible())
    kb.activate(win.shift_prompt)
    kb.type_text("200")
    kb.key(Key.Key_Return)
    kb.wait(lambda: win.sale.shift_open)
    kb.activate(win)
    win.focus_entry()
    for digit in (Key.Key_1, Key.Key_5, Key.Key_8):               # quick keys Alt+1/5/8
        kb.key(digit, Mod.AltModifier)
    kb.wait(lambda: len(win.cart_model.cart.lines) == 3)
    def order_discount() -> None:       # typed inside the input dialog's own event loop
        kb.wait(lambda: QApplication.activeModalWidget() is not None)
        kb.key(Key.Key_A, Mod.ControlModifier)
        kb.type_text("10%")
        kb.key(Key.Key_Return)

    QTimer.singleShot(200, order_discount)
    kb.key(Key.Key_F6)                                             # 10 % off the order
    kb.wait(lambda: win.cart_model.cart.order_discount > 0)
    kb.activate(win)
    kb.key(Key.Key_F6, Mod.ControlModifier)                        # 抹零
    kb.key(Key.Key_F10)
    kb.wait(lambda: win.dialog is not None)
    kb.key(Key.Key_Return)                                         # exact cash
    kb.wait(lambda: win.receipt_dialog is not None and win.receipt_dialog.isVisible())
    order_no = win.sale.last_receipt.order_no
    kb.shot("receipt")
    kb.key(Key.Key_Return)                                         # new sale
    kb.wait(lambda: win.receipt_dialog is None or not win.receipt_dialog.isVisible())

    # ---- cash in, cash out (manager PIN)
    cash = menu_dialog(win, Key.Key_F10)
    kb.type_text("100")
    kb.key(Key.Key_Return)
    kb.key(Key.Key_Down)                                           # a reason from the list
    kb.key(Key.Key_Return)
    kb.wait(lambda: len(cash.movements) == 1)
    kb.key(Key.Key_O, Mod.ControlModifier)
    kb.type_text("45.5")
    kb.key(Key.Key_Return)
    kb.key(Key.Key_Down)
    kb.key(Key.Key_Down)
    kb.key(Key.Key_Return)
    approve(cash, "1470", "manager_override")
    kb.wait(lambda: len(cash.movements) == 2)
    kb.activate(cash)
    kb.shot("cash_movements")
    kb.key(Key.Key_Escape)

    # ---- the cashier's X: blind
    shift = menu_dialog(win, Key.Key_F2)
    kb.wait(lambda: shift.x_button.isEnabled())
    QTest.mouseClick(shift.x_button, Qt.MouseButton.LeftButton)
    kb.wait(lambda: shift.report is not None)
    kb.shot("manager_shift_x")
    kb.key(Key.Key_Escape)

    # ---- a refund of the sale (manager PIN)
    refund = menu_dialog(win, Key.Key_F1)
    kb.type_text(order_no)
    kb.key(Key.Key_Return)
    kb.wait(lambda: refund.summary is not None)
    kb.key(Key.Key_Down)
    kb.key(Key.Key_Return)
    approve(refund, "1470")
    kb.wait(lambda: refund.history.rowCount() > 0)
    kb.activate(refund)
    kb.pump(1.0)
    kb.shot("manager_refund")
    kb.key(Key.Key_Escape)
    win.close()

    # ---- the manager: X with the expected cash, reconcile, staff, settings, Z
    win = window(Session("李经理", "manager"))
    kb.activate(win)
    kb.key(Key.Key_F1)                                             # every key on one page
    kb.wait(lambda: QApplication.activeModalWidget() is not None)
    keys_page = QApplication.activeModalWidget()
    kb.activate(keys_page)
    kb.shot("key_help")
    kb.key(Key.Key_Escape)
    shift = menu_dialog(win, Key.Key_F2)
    kb.wait(lambda: shift.x_button.isEnabled())
    QTest.mouseClick(shift.x_button, Qt.MouseButton.LeftButton)
    kb.wait(lambda: shift.report is not None)
    kb.shot("manager_shift_x_manager")
    kb.key(Key.Key_Escape)
    menu_dialog(win, Key.Key_F3)
    kb.shot("manager_reconcile")
    kb.key(Key.Key_Escape)
    menu_dialog(win, Key.Key_F4)
    kb.pump(0.5)
    kb.shot("manager_users")
    kb.key(Key.Key_Escape)
    kb.activate(win)
    kb.key(Key.Key_F11)
    kb.wait(lambda: win.settings_dialog is not None and win.settings_dialog.isVisible())
    sd = win.settings_dialog
    kb.activate(sd)
    sd.tabs.setCurrentIndex(1)
    product = stack.catalog.by_sku("COKE330")
    stack.hub.inject(product.barcode, ScanOrigin.WEDGE)
    stack.hub.inject(auth_code_for("success"), ScanOrigin.SERIAL)
    stack.hub.inject("28763443825664394", ScanOrigin.WEDGE)
    kb.shot("settings")
    sd.merchant_path.setText(str(stack.tmp / "missing.json"))
    sd.tabs.setCurrentIndex(0)
    sd.validate_merchant()
    kb.wait(lambda: "…" not in sd.merchant_result.text())
    kb.shot("settings_merchant")
    sd.reject()
    shift = menu_dialog(win, Key.Key_F2)
    kb.wait(lambda: shift.counted_edit.isEnabled())
    shift.counted_edit.setFocus()
    kb.type_text("240")
    kb.key(Key.Key_Return)
    approve(shift, "1470")
    kb.wait(lambda: shift.report is not None and shift.report.kind.value == "Z")
    kb.activate(shift)
    kb.shot("manager_shift_z")
    kb.key(Key.Key_Escape)
    win.close()
    stack.close()
    if size == MAIN_SIZE:
        suffix = "" if lang == "zh_CN" else "_en"
        for path in kb.shots:
            name = path.stem.removeprefix(f"{size}_{lang}_")
            shutil.copyfile(path, out / f"{name}{suffix}.png")
    return 0


def main() -> int:
    return shots_main(__file__, ROOT / "docs" / "screenshots", child)


if __name__ == "__main__":
    sys.exit(main())
