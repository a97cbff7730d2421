"""Walk the till like a new cashier: a real X server (Xvfb) with a window manager
(openbox), the real app windows maximised, keys typed one by one with QTest, full-screen
screenshots of every step. Not part of the fast suite.

    .venv/bin/python tests/ui/walkthrough.py [--out docs/screenshots/walkthrough]
        [--sizes 1024x768,1280x800] [--langs zh_CN,en]

Per size and language: sign in (PIN typed), a Native QR sale (the demo phone pays), a
payment-code sale (the code scanned at the sale field: one fast burst of keys), a cash
sale (¥50 tender key), a refund of the cash sale (manager PIN). Needs: xvfb, openbox,
xdotool, fonts-wqy-microhei (installer/setup.sh installs them).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.ui.demo_stack import Keys, build_demo_stack, shots_main  # noqa: E402

# ---------------------------------------------------------------- inside the X session

def child(size: str, lang: str, out: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from pos_app.simulator.scenarios import auth_code_for
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.login_dialog import LoginDialog
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.style import apply_style

    app = QApplication([])
    keep = install_translator(app, lang)  # noqa: F841
    apply_style(app)
    tag = f"{size}_{lang}"
    keystrokes: dict[str, int] = {}
    kb = Keys(out, tag)
    pump, wait, key, type_text, scan, activate = (kb.pump, kb.wait, kb.key, kb.type_text,
                                                  kb.scan, kb.activate)

    def shot(name: str) -> None:
        kb.shot(name)

    stack = build_demo_stack(app, prefix="pos_walk_")
    services, bridge, worker, hub, settings, tmp = (stack.services, stack.bridge, stack.worker,
                                                    stack.hub, stack.settings, stack.tmp)

    # sign in: 王芳 is preselected; the PIN typed, Enter
    login = LoginDialog(services.login, worker, services.shop_name, demo=True,
                        remember=tmp / "last_user")
    login.show()
    wait(lambda: login.user_box.count() > 0)
    activate(login)
    wait(lambda: QApplication.focusWidget() is login.pin_edit)
    type_text("2580")
    shot("01_login")
    key(Qt.Key.Key_Return)
    wait(lambda: login.session is not None)
    assert login.session is not None
    win = MainWindow(services, login.session, bridge, worker, hub, settings)
    win.present()
    win.recovery_done([])
    wait(lambda: win.quick_grid.count() > 0)
    # the shift: no shift is open, so the till asks for the opening float
    wait(lambda: win.shift_prompt is not None and win.shift_prompt.isVisible())
    if win.shift_prompt is not None:
        activate(win.shift_prompt)
        shot("02_open_shift")
        type_text("200")
        key(Qt.Key.Key_Return)
        wait(lambda: win.shift_prompt is None or not win.shift_prompt.isVisible())
        activate(win)
    win.focus_entry()

    def three_items() -> None:
        for digit in (Qt.Key.Key_1, Qt.Key.Key_5, Qt.Key.Key_8):   # quick keys Alt+1/5/8
            key(digit, Qt.KeyboardModifier.AltModifier)
        wait(lambda: len(win.cart_model.cart.lines) == 3)

    # 1. WeChat Native QR: the customer scans with the phone (demo phone, F7)
    kb.count = 0
    three_items()
    shot("03_sale")
    key(Qt.Key.Key_F8)
    dlg = win.dialog
    assert dlg is not None
    wait(lambda: dlg.qr.data != "")
    shot("04_native_qr")
    key(Qt.Key.Key_F7)
    phone = win.phone
    assert phone is not None
    wait(lambda: phone.pay_button.isEnabled())
    shot("05_native_qr_with_phone")
    QTest.mouseClick(phone.pay_button, Qt.MouseButton.LeftButton)   # the customer, not the till
    wait(lambda: win.dialog is None and win.sale.last_receipt is not None)
    keystrokes["native"] = kb.count
    phone.hide()
    activate(win)
    shot("06_native_paid")

    # 2. payment code scanned at the sale field: charges at once
    kb.count = 0
    before = win.sale.last_receipt
    three_items()
    scan(auth_code_for("userpaying_then_success", seconds=4))
    dlg = win.dialog
    wait(lambda: dlg is not None and dlg.wait_label.text() != "")
    shot("07_code_waiting_for_password")
    wait(lambda: win.sale.last_receipt is not before and win.dialog is None)
    keystrokes["payment code"] = kb.count
    shot("08_code_paid")

    # 3. cash: ¥50 note, one key
    kb.count = 0
    before = win.sale.last_receipt
    three_items()
    key(Qt.Key.Key_F10)
    shot("09_cash")
    type_text("-")
    wait(lambda: win.sale.last_receipt is not before and win.dialog is None)
    keystrokes["cash"] = kb.count
    shot("10_cash_paid_change")
    cash_receipt = win.sale.last_receipt
    assert cash_receipt is not None

    # 4. refund of the cash sale: receipt number typed, a reason, the manager's PIN
    key(Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    menu = win.manager_menu
    assert menu is not None and menu.dialog is not None
    refund = menu.dialog
    wait(lambda: refund.isActiveWindow())
    type_text(cash_receipt.order_no)
    key(Qt.Key.Key_Return)
    wait(lambda: refund.summary is not None)
    key(Qt.Key.Key_Down)                      # a reason from the list
    shot("11_refund_found")
    key(Qt.Key.Key_Return)                    # → the manager approves
    wait(lambda: refund.override is not None
         and refund.override.isVisible())
    approve = refund.override
    wait(lambda: approve.approve_button.isEnabled())
    approve.activateWindow()
    wait(lambda: QApplication.focusWidget() is approve.pin_edit)
    type_text("3690")                         # 张老板 (the first who may approve)
    shot("12_refund_manager_pin")
    key(Qt.Key.Key_Return)
    wait(lambda: not approve.isVisible())
    pump(2.5)
    shot("13_refund_sent")
    key(Qt.Key.Key_Escape)
    print(f"KEYSTROKES {tag} " + ", ".join(f"{k}={v}" for k, v in keystrokes.items()),
          flush=True)
    if phone is not None:
        phone.close()
    win.close()
    stack.close()
    return 0


def main() -> int:
    return shots_main(__file__, ROOT / "docs" / "screenshots" / "walkthrough", child)


if __name__ == "__main__":
    sys.exit(main())
