"""On-the-spot manager approval: pick a manager (or confirm yourself) and enter the PIN.

The PIN is checked with :meth:`PinAuthenticator.authorize` on the worker (lockout rules
apply); on success the dialog is accepted and hands ``(approver, pin)`` to the caller,
which passes them to the service (the service authorises again itself).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.staff import Permission, role_allows
from pos_app.manager.pins import Approval
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import ManagerContext, error_text
from pos_app.ui.pin_entry import pin_edit, pin_pad


class ManagerOverrideDialog(OneKeyDialog):
    """Accepted only after the PIN was verified for ``permission``."""

    def __init__(self, ctx: ManagerContext, permission: Permission, what: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._permission = permission
        self.approval: Approval | None = None
        self._pin = ""
        self.self_approve = ctx.may(permission)
        self.setWindowTitle(self.tr("Manager approval"))
        self.setObjectName("managerOverride")
        self.setModal(True)
        lay = QVBoxLayout(self)
        title = QLabel(what)
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        lay.addWidget(title)
        hint = QLabel(self.tr("Confirm with your PIN") if self.self_approve
                      else self.tr("A manager must approve this: manager, enter your PIN"))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        form = QFormLayout()
        self.user_box = QComboBox()
        self.pin_edit = pin_edit()
        form.addRow(self.tr("Manager"), self.user_box)
        form.addRow(self.tr("PIN"), self.pin_edit)
        lay.addLayout(form)
        pad, self._keys = pin_pad(self.pin_edit, "C", self.pin_edit.clear)
        lay.addLayout(pad)
        self.message = QLabel("")
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        cancel = QPushButton(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        self.approve_button = QPushButton(self.tr("Approve (Enter)"))
        self.approve_button.clicked.connect(self.submit)
        row.addWidget(cancel)
        row.addWidget(self.approve_button)
        lay.addLayout(row)
        self.setMinimumWidth(380)
        if self.self_approve:
            self.user_box.addItem(ctx.session.name, ctx.session.name)
            self.user_box.setEnabled(False)
        else:
            self.approve_button.setEnabled(False)
            ctx.worker.run(ctx.staff, self._got_staff, self._failed)

    def _got_staff(self, users: list[tuple[str, str]]) -> None:
        self.user_box.clear()
        for name, role in users:
            if role_allows(role, self._permission) and name != self._ctx.session.name:
                self.user_box.addItem(name, name)
        self.approve_button.setEnabled(self.user_box.count() > 0)
        if not self.user_box.count():
            self.message.setText(self.tr("No user may approve this"))
        self.pin_edit.setFocus()

    def on_enter(self) -> None:
        self.submit()

    def submit(self) -> None:
        name = self.user_box.currentData()
        pin = self.pin_edit.text()
        if not name or not self.approve_button.isEnabled():
            return
        if not pin:
            self.message.setText(self.tr("Enter the PIN"))
            return
        self.approve_button.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        auth, perm = self._ctx.services.auth, self._permission
        self._ctx.worker.run(lambda: auth.authorize(str(name), pin, perm),
                             lambda a: self._ok(a, pin), self._failed)

    def _ok(self, approval: Approval, pin: str) -> None:
        self.approval = approval
        self._pin = pin
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.approve_button.setEnabled(self.user_box.count() > 0)
        self.pin_edit.clear()
        self.pin_edit.setFocus()
        self.message.setText(error_text(exc))

    def take_pin(self) -> str:
        """The verified PIN, once (then forgotten)."""
        pin, self._pin = self._pin, ""
        return pin


def ask_approval(ctx: ManagerContext, permission: Permission, what: str, parent: QWidget,
                 on_approved: Callable[[str, str], None]) -> ManagerOverrideDialog:
    """Open the approval prompt; ``on_approved(approver, pin)`` runs once it is accepted."""
    dlg = ManagerOverrideDialog(ctx, permission, what, parent)

    def accepted() -> None:
        if dlg.approval is not None:
            on_approved(dlg.approval.approver, dlg.take_pin())

    dlg.accepted.connect(accepted)
    dlg.open()
    return dlg
