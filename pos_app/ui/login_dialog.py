"""Sign-in: pick the user (cashier/manager), enter the PIN. Checked off the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.pin_entry import no_ime, pin_edit, pin_pad
from pos_app.ui.qt_ints import ALIGN_CENTER
from pos_app.ui.services import Login, LoginError, Session

if TYPE_CHECKING:
    from pos_app.ui.bridge import Worker


class LoginDialog(OneKeyDialog):
    """On success :attr:`session` is set and the dialog is accepted. ``users_shown`` is
    emitted once the user list has arrived (the screen is usable); ``typing`` at the first
    PIN digit (time to get the sale screen ready). Enter signs in (once)."""

    users_shown = Signal()
    typing = Signal()

    def __init__(self, login: Login, worker: Worker, shop_name: str,
                 parent: QWidget | None = None, *, demo: bool = False,
                 remember: Path | None = None) -> None:
        """``remember``: a file holding the last user who signed in at this till (preselected
        next time; without it the first cashier is)."""
        super().__init__(parent)
        self._remember = remember
        self._login = login
        self._worker = worker
        self.session: Session | None = None
        self.setWindowTitle(self.tr("Sign in"))
        self.setObjectName("loginDialog")
        lay = QVBoxLayout(self)
        title = QLabel(shop_name)
        title.setObjectName("dialogTitle")
        title.setProperty("alignment", ALIGN_CENTER)  # (no Qt.…: see qt_ints)
        lay.addWidget(title)
        if demo:
            hint = QLabel(self.tr(
                "Demo accounts (PIN): 王芳 2580 cashier · 李经理 1470 manager · 张老板 3690 admin"
            ))
            hint.setObjectName("demoHint")
            hint.setWordWrap(True)
            hint.setProperty("alignment", ALIGN_CENTER)
            lay.addWidget(hint)
        form = QFormLayout()
        self.user_box = QComboBox()
        self.user_box.currentIndexChanged.connect(lambda _i: self._user_changed())
        self.pin_edit = pin_edit(ime_off=False)  # enabled with the user list
        self.pin_edit.textChanged.connect(self._typed)
        self._typing = False
        form.addRow(self.tr("User"), self.user_box)
        form.addRow(self.tr("PIN"), self.pin_edit)
        lay.addLayout(form)
        pad, self._keys = pin_pad(self.pin_edit, "OK", self.submit)
        lay.addLayout(pad)
        self.message = QLabel("")
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.sign_in = QPushButton(self.tr("Sign in (Enter)"))
        self.sign_in.clicked.connect(self.submit)
        lay.addWidget(self.sign_in)
        self.setMinimumWidth(380)
        self.sign_in.setEnabled(False)
        self._worker.run(self._login.user_names, self._got_users, self._failed)

    def _got_users(self, users: list[tuple[str, str]]) -> None:
        roles = {"cashier": self.tr("Cashier"), "manager": self.tr("Manager"),
                 "admin": self.tr("Administrator")}
        self.user_box.clear()
        for name, role in users:
            self.user_box.addItem(f"{name} — {roles.get(role, role)}", name)
        last = self._last_user()
        index = self.user_box.findData(last) if last else -1
        if index < 0:  # never the admin by default: the first cashier, else the first user
            index = next((i for i, (_n, role) in enumerate(users) if role == "cashier"), 0)
        if users:
            self.user_box.setCurrentIndex(index)
        self.message.setText("")
        if not self.pin_edit.isEnabled():
            no_ime(self.pin_edit)
            self.pin_edit.setEnabled(True)
        self.sign_in.setEnabled(bool(users))
        if not users:
            self.message.setText(self.tr("No users are set up. Create the first one with: pos-app add-user NAME --role admin"))
        self.pin_edit.setFocus()
        self.users_shown.emit()

    def _typed(self, text: str) -> None:
        if text and not self._typing:
            self._typing = True
            self.typing.emit()

    def on_enter(self) -> None:
        self.submit()

    def _user_changed(self) -> None:
        """Another user: the last one's PIN message is not theirs."""
        self.message.setText("")
        self.pin_edit.clear()

    def _last_user(self) -> str:
        if self._remember is None:
            return ""
        try:
            return self._remember.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def _pad(self, key: str) -> None:
        self._keys[key].click()

    def submit(self) -> None:
        name = self.user_box.currentData()
        pin = self.pin_edit.text()
        if not name or not self.sign_in.isEnabled():
            return
        if not pin:
            self.message.setText(self.tr("Enter your PIN"))
            return
        self.sign_in.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        self._worker.run(lambda: self._login.login(str(name), pin), self._ok, self._failed)

    def _ok(self, session: Session) -> None:
        self.session = session
        if self._remember is not None:
            name, path = session.name, self._remember
            self._worker.run(lambda: path.write_text(name, encoding="utf-8"))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.sign_in.setEnabled(self.user_box.count() > 0)
        self.pin_edit.clear()
        self.pin_edit.setFocus()
        if isinstance(exc, LoginError):
            from pos_app.ui.text import render  # the message catalogs: only when needed

            self.message.setText(render(exc.message))
        else:
            self.message.setText(self.tr("Sign-in failed: %1").replace("%1", str(exc)))
