"""The refund screen for a sale paid twice (issue 16), shot like the walkthrough (Xvfb +
openbox, the real window maximised, keys typed): the manager opens 退款 (Shift+F1), types
the order number + Enter: "Paid twice: give back ¥X" is offered first and chosen; a
reason (↓), Enter, the PIN, Enter: given back, the sale stays paid. Before that, the X
report (Shift+F2) lists the refund owed. Not part of the fast suite.

    .venv/bin/python tests/ui/owed_refund_shots.py [--out docs/screenshots/refund_owed]
        [--sizes 1024x768,1280x800] [--langs zh_CN,en]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.ui.demo_stack import Keys, build_demo_stack, shots_main  # noqa: E402


def child(size: str, lang: str, out: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from pos_app.domain.cart import Cart
    from pos_app.domain.payment import AttemptState, PaymentMethod
    from pos_app.payments.channels.wechat import WechatGateway
    from pos_app.payments.gateway import Paid
    from pos_app.simulator.scenarios import random_success_code
    from pos_app.storage.payments import PaymentAttemptRepository
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.manager.refund_dialog import RefundDialog
    from pos_app.ui.manager.shift_dialog import ShiftDialog
    from pos_app.ui.services import Session
    from pos_app.ui.style import apply_style
    from pos_app.wechatpay.config import load_merchant_config

    app = QApplication([])
    keep = install_translator(app, lang)  # noqa: F841
    apply_style(app)
    kb = Keys(out, f"{size}_{lang}")
    stack = build_demo_stack(app, prefix="pos_owedshots_")
    Key = Qt.Key
    # a sale paid by payment code, then paid again (a real second payment at the simulator,
    # recorded PAID as the till records one: storage's double payment)
    cart = Cart()
    for sku, qty in (("COKE330", 2), ("CHIPS", 1)):
        product = stack.catalog.by_sku(sku)
        assert product is not None
        cart.add(product, qty)
    order_id = stack.till.create_order(cart, cashier="王芳")
    stack.till.pay_code(order_id, random_success_code())
    assert stack.till.wait_idle(15)
    order = stack.till.order(order_id)
    gateway = WechatGateway.from_config(load_merchant_config(stack.server.merchant_config_path))
    attempts = PaymentAttemptRepository(stack.db)
    with stack.db.transaction() as conn:
        again = attempts.insert(conn, order_id=order_id, method=PaymentMethod.CODEPAY,
                                out_trade_no=f"DUP{order_id:010d}", amount=order.total)
    paid = gateway.codepay(out_trade_no=f"DUP{order_id:010d}", description="可口可乐 等",
                           total=order.total, auth_code=random_success_code())
    assert isinstance(paid, Paid)
    attempts.transition(again, AttemptState.PAID, transaction_id=paid.transaction_id)

    win = MainWindow(stack.services, Session("李经理", "manager"), stack.bridge, stack.worker,
                     stack.hub, stack.settings)
    win.present()
    win.recovery_done([])
    kb.wait(lambda: win.quick_grid.count() > 0)
    kb.open_shift(win)
    # the manager's X lists the refund owed
    kb.activate(win)
    win.focus_entry()
    kb.key(Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    menu = win.manager_menu
    assert menu is not None
    kb.wait(lambda: isinstance(menu.dialog, ShiftDialog) and menu.dialog.x_button.isEnabled())
    shift = menu.dialog
    assert isinstance(shift, ShiftDialog)
    kb.activate(shift)
    QTest.mouseClick(shift.x_button, Qt.MouseButton.LeftButton)
    kb.wait(lambda: shift.report is not None)
    kb.pump(0.3)
    kb.shot("manager_shift_x_owed")
    kb.key(Key.Key_Escape)
    kb.wait(lambda: not shift.isVisible())
    kb.activate(win)
    win.focus_entry()
    kb.key(Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    kb.wait(lambda: isinstance(menu.dialog, RefundDialog) and menu.dialog.isVisible())
    dlg = menu.dialog
    assert isinstance(dlg, RefundDialog)
    kb.activate(dlg)
    kb.type_text(f"{order_id:08d}")
    kb.key(Key.Key_Return)
    kb.wait(lambda: dlg.summary is not None and dlg.owed_radio.isVisible())
    kb.wait(lambda: QApplication.focusWidget() in (dlg.reason_box, dlg.reason_box.lineEdit()))
    for _ in range(4):                                   # "Charged twice"
        kb.key(Key.Key_Down)
    kb.pump(0.3)
    kb.shot("manager_refund_owed")
    kb.key(Key.Key_Return)
    kb.wait(lambda: dlg.override is not None and dlg.override.isVisible()
            and dlg.override.approve_button.isEnabled())
    ov = dlg.override
    assert ov is not None
    kb.activate(ov)
    kb.wait(lambda: QApplication.focusWidget() is ov.pin_edit)
    kb.type_text("1470")
    kb.key(Key.Key_Return)
    kb.wait(lambda: not dlg.owed_radio.isVisible() and dlg.history.rowCount() == 1
            and dlg.refunds[next(iter(dlg.refunds))].state.final)
    kb.activate(dlg)
    kb.pump(0.5)
    kb.shot("manager_refund_owed_done")
    kb.key(Key.Key_Escape)
    win.close()
    stack.close()
    return 0


def main() -> int:
    return shots_main(__file__, ROOT / "docs" / "screenshots" / "refund_owed", child)


if __name__ == "__main__":
    sys.exit(main())
