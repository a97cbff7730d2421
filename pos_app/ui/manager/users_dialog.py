"""Staff (员工) screen: who can sign in and whether they are locked; change your own PIN;
with an administrator's approval add a user, reset a PIN or unlock an account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.staff import Permission, Role, StaffUser
from pos_app.manager.pins import Approval
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import ManagerContext, error_text
from pos_app.ui.manager.manager_override import ManagerOverrideDialog
from pos_app.ui.pin_entry import no_ime
from pos_app.ui.screen_fit import resize_within_screen
from pos_app.ui.services import StaffService


def _pin_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(8)
    no_ime(edit)
    return edit


class UsersDialog(OneKeyDialog):
    """``users`` holds the rows shown (refreshed after every change)."""

    def __init__(self, ctx: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.users: list[StaffUser] = []
        self.override: ManagerOverrideDialog | None = None
        self.setWindowTitle(self.tr("Staff and PINs"))
        self.setObjectName("usersDialog")
        lay = QHBoxLayout(self)
        left = QVBoxLayout()
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"),
                                              self.tr("Sign-in")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        left.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.reset_pin_edit = _pin_edit()
        self.reset_pin_edit.setPlaceholderText(self.tr("New PIN for the selected user"))
        reset = QPushButton(self.tr("Reset PIN"))
        reset.clicked.connect(self.reset_selected)
        unlock = QPushButton(self.tr("Unlock"))
        unlock.clicked.connect(self.unlock_selected)
        row.addWidget(self.reset_pin_edit, 1)
        row.addWidget(reset)
        row.addWidget(unlock)
        left.addLayout(row)
        lay.addLayout(left, 3)

        right = QVBoxLayout()
        add_box = QGroupBox(self.tr("Add a user (administrator)"))
        af = QFormLayout(add_box)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(32)
        self.role_box = QComboBox()
        for role, text in ((Role.CASHIER, self.tr("Cashier")), (Role.MANAGER, self.tr("Manager")),
                           (Role.ADMIN, self.tr("Administrator"))):
            self.role_box.addItem(text, role.value)
        self.new_user_pin = _pin_edit()
        add = QPushButton(self.tr("Add user"))
        add.clicked.connect(self.add_user)
        af.addRow(self.tr("Name"), self.name_edit)
        af.addRow(self.tr("Role"), self.role_box)
        af.addRow(self.tr("PIN"), self.new_user_pin)
        af.addRow(add)
        right.addWidget(add_box)
        own = QGroupBox(self.tr("Change my PIN (%1)").replace("%1", ctx.session.name))
        of = QFormLayout(own)
        self.old_pin = _pin_edit()
        self.new_pin = _pin_edit()
        self.new_pin_again = _pin_edit()
        change = QPushButton(self.tr("Change PIN"))
        change.clicked.connect(self.change_own_pin)
        of.addRow(self.tr("Current PIN"), self.old_pin)
        of.addRow(self.tr("New PIN"), self.new_pin)
        of.addRow(self.tr("New PIN again"), self.new_pin_again)
        of.addRow(change)
        right.addWidget(own)
        rules = QLabel(self.tr("PINs: 4–8 digits, not all the same digit, not a run like 1234."))
        rules.setWordWrap(True)
        right.addWidget(rules)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        right.addWidget(self.message)
        right.addStretch(1)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        right.addWidget(close)
        lay.addLayout(right, 2)
        resize_within_screen(self, 900, 560)
        self.refresh()

    # ------------------------------------------------------------------ list

    def on_enter(self) -> None:
        """Enter in a form's field runs that form's action (and only that)."""
        if self.focus_in(self.reset_pin_edit):
            self.reset_selected()
        elif self.focus_in(self.name_edit, self.new_user_pin):
            self.add_user()
        elif self.focus_in(self.old_pin, self.new_pin, self.new_pin_again):
            self.change_own_pin()

    def refresh(self) -> None:
        self._ctx.worker.run(lambda: self._accounts().users(), self._show, self._failed)

    def _show(self, users: list[StaffUser]) -> None:
        self.users = users
        roles = {Role.CASHIER: self.tr("Cashier"), Role.MANAGER: self.tr("Manager"),
                 Role.ADMIN: self.tr("Administrator")}
        now = datetime.now(SHOP_TZ)
        self.table.setRowCount(len(users))
        for r, u in enumerate(users):
            if u.locked_at(now) and u.locked_until is not None:
                state = self.tr("Locked until %1").replace(
                    "%1", u.locked_until.astimezone(SHOP_TZ).strftime("%H:%M"))
            elif u.failed_attempts:
                state = self.tr("%1 wrong PIN(s)").replace("%1", str(u.failed_attempts))
            else:
                state = self.tr("Active")
            for c, text in enumerate((u.name, roles.get(u.role, u.role.value), state)):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def selected_name(self) -> str | None:
        row = self.table.currentRow()
        return self.users[row].name if 0 <= row < len(self.users) else None

    # ------------------------------------------------------------------ actions

    def _with_admin(self, what: str, action: Callable[[Approval], None]) -> None:
        """Ask for an administrator's PIN, then run ``action(approval)`` on the worker."""
        dlg = ManagerOverrideDialog(self._ctx, Permission.MANAGE_USERS, what, self)
        self.override = dlg

        def accepted() -> None:
            approval = dlg.approval
            dlg.take_pin()
            self.override = None
            if approval is not None:
                self._ctx.worker.run(lambda: action(approval), lambda _r: self._done(what),
                                     self._failed)

        dlg.accepted.connect(accepted)
        dlg.open()

    def add_user(self) -> None:
        name, pin = self.name_edit.text().strip(), self.new_user_pin.text()
        role = Role(str(self.role_box.currentData()))
        self._with_admin(self.tr("Add user %1").replace("%1", name),
                         lambda a: self._accounts().add_user(a, name, role, pin))

    def reset_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            self._say(self.tr("Select a user first"), error=True)
            return
        pin = self.reset_pin_edit.text()
        self._with_admin(self.tr("Reset the PIN of %1").replace("%1", name),
                         lambda a: self._accounts().reset_pin(a, name, pin))

    def unlock_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            self._say(self.tr("Select a user first"), error=True)
            return
        self._with_admin(self.tr("Unlock %1").replace("%1", name),
                         lambda a: self._accounts().unlock(a, name))

    def change_own_pin(self) -> None:
        old, new = self.old_pin.text(), self.new_pin.text()
        if new != self.new_pin_again.text():
            self._say(self.tr("The two new PINs differ"), error=True)
            return
        name = self._ctx.session.name
        self._ctx.worker.run(lambda: self._accounts().change_own_pin(name, old, new),
                             lambda _r: self._done(self.tr("PIN changed")), self._failed)

    def _accounts(self) -> StaffService:
        """(On the worker.) A context without the service refuses every change."""
        accounts = self._ctx.accounts
        if accounts is None:
            raise RuntimeError("no staff service")
        return accounts

    def _done(self, what: str) -> None:
        for edit in (self.old_pin, self.new_pin, self.new_pin_again, self.new_user_pin,
                     self.reset_pin_edit):
            edit.clear()
        self.name_edit.clear()
        self._say(self.tr("Done: %1").replace("%1", what))
        self.refresh()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #cf222e;" if error else "color: #1a7f37;")
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        for edit in (self.old_pin, self.new_pin, self.new_pin_again):
            edit.clear()
        self._say(error_text(exc), error=True)
