"""One key, one action in the manager dialogs (issue 10, defect 3 and its class): an Enter that starts something never
also clicks a button that took the focus meanwhile. Driven by key events only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.staff import Permission
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager.manager_override import ManagerOverrideDialog
from pos_app.ui.manager.reconcile_dialog import ReconcileDialog
from pos_app.ui.manager.refund_dialog import RefundDialog
from pos_app.ui.manager.shift_dialog import ShiftDialog
from pos_app.ui.manager.users_dialog import UsersDialog
from pos_app.ui.settings_dialog import SettingsDialog
from tests.ui.test_one_key import _no_default_buttons

from .conftest import CASHIER, MANAGER

pytestmark = pytest.mark.gui


def test_opening_a_shift_with_enter_opens_it_once(qtbot, world):
    dlg = ShiftDialog(world.make_ctx(CASHIER))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.shift_label.text() == "No open shift", timeout=5000)
    dlg.activateWindow()
    dlg.float_edit.setFocus()
    for ch in "200":
        qtbot.keyClick(dlg.float_edit, ch, delay=70)
    qtbot.keyClick(dlg.float_edit, Qt.Key.Key_Return, delay=70)
    qtbot.waitUntil(dlg.x_button.isEnabled, timeout=5000)
    qtbot.wait(300)                                   # a second open would have failed now
    assert dlg.message.text() == ""
    assert "float ¥200.00" in dlg.shift_label.text()


def test_refund_lookup_with_enter_runs_once_and_buttons_are_inert(qtbot, world):
    dlg = RefundDialog(world.make_ctx(CASHIER))
    qtbot.addWidget(dlg)
    dlg.show()
    _no_default_buttons(dlg)
    lookups: list[int] = []
    real = dlg.lookup
    dlg.lookup = lambda: (lookups.append(1), real())
    dlg.key_edit.setFocus()
    for ch in "999":
        qtbot.keyClick(dlg.key_edit, ch, delay=70)
    qtbot.keyClick(dlg.key_edit, Qt.Key.Key_Return, delay=70)
    qtbot.wait(200)
    assert lookups == [1]


@pytest.mark.parametrize("make", ["users", "reconcile", "override", "settings"])
def test_every_other_dialog_has_no_default_button(qtbot, world, ui, make):
    ctx = world.make_ctx(MANAGER)
    if make == "users":
        dlg = UsersDialog(ctx)
    elif make == "reconcile":
        dlg = ReconcileDialog(ctx)
    elif make == "override":
        dlg = ManagerOverrideDialog(ctx, Permission.CLOSE_SHIFT, "test")
    else:
        dlg = SettingsDialog(ui.settings, ui.hub, ui.worker,
                             ui.services.check_merchant_config, lambda: [], ui)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.wait(50)
    _no_default_buttons(dlg)
    assert isinstance(dlg, OneKeyDialog)

