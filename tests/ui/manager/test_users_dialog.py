"""Staff screen: lockout shown and lifted with an administrator's PIN, PIN rules,
change your own PIN."""

from __future__ import annotations

import pytest

from pos_app.domain.pin_hash import hash_pin
from pos_app.domain.staff import Role
from pos_app.manager.pins import AuthError
from pos_app.ui.manager.users_dialog import UsersDialog

from .conftest import CASHIER

pytestmark = pytest.mark.gui
ADMIN_PIN = "3691"


def admin_approves(qtbot, dlg: UsersDialog) -> None:
    override = dlg.override
    assert override is not None and not override.self_approve
    qtbot.waitUntil(lambda: override.approve_button.isEnabled(), timeout=5000)
    admins = {override.user_box.itemData(i) for i in range(override.user_box.count())}
    assert admins == {"老板", "张老板"}                           # only admins may
    override.user_box.setCurrentIndex(override.user_box.findData("老板"))
    override.pin_edit.setText(ADMIN_PIN)
    override.submit()


def test_unlock_add_user_and_change_own_pin(qtbot, world):
    store, auth = world.services.store, world.services.auth
    store.add_user("老板", Role.ADMIN, hash_pin(ADMIN_PIN))
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.authenticate("王芳", "0000")
    dlg = UsersDialog(world.make_ctx(CASHIER))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 4, timeout=5000)
    row = [u.name for u in dlg.users].index("王芳")
    assert dlg.table.item(row, 2).text().startswith("Locked until")
    dlg.table.selectRow(row)
    dlg.unlock_selected()
    admin_approves(qtbot, dlg)
    qtbot.waitUntil(lambda: dlg.message.text() == "Done: Unlock 王芳", timeout=5000)
    qtbot.waitUntil(lambda: dlg.table.item(row, 2).text() == "Active", timeout=5000)

    dlg.name_edit.setText("小张")
    dlg.new_user_pin.setText("1234")                               # a run: refused
    dlg.add_user()
    admin_approves(qtbot, dlg)
    qtbot.waitUntil(lambda: "run like 1-2-3-4" in dlg.message.text(), timeout=5000)
    assert store.get_user("小张") is None
    dlg.new_user_pin.setText("5820")
    dlg.add_user()
    admin_approves(qtbot, dlg)
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 5, timeout=5000)
    assert auth.authenticate("小张", "5820").role is Role.CASHIER

    dlg.old_pin.setText("2580")
    dlg.new_pin.setText("3690")
    dlg.new_pin_again.setText("3691")
    dlg.change_own_pin()
    assert dlg.message.text() == "The two new PINs differ"
    dlg.new_pin_again.setText("3690")
    dlg.change_own_pin()
    qtbot.waitUntil(lambda: dlg.message.text() == "Done: PIN changed", timeout=5000)
    assert auth.authenticate("王芳", "3690").name == "王芳"
