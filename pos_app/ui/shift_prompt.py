"""Sign-in with no shift open on this till: ask for the opening float (the cash in the
drawer) and open the shift, so every sale belongs to one. Enter opens; Esc leaves the
till without a shift (sales are refused until one is opened, Shift+F2)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.domain.money import Fen, MoneyFormatError, parse_yuan
from pos_app.ui.bridge import Worker
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import error_text
from pos_app.ui.pin_entry import no_ime


class OpenShiftPrompt(OneKeyDialog):
    """``open_shift(float_fen)`` runs on ``worker``; accepted once the shift is open."""

    def __init__(self, worker: Worker, open_shift: Callable[[Fen], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._open_shift = open_shift
        self._busy = False
        self.setWindowTitle(self.tr("Open the shift"))
        self.setObjectName("openShiftPrompt")
        self.setModal(True)
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("No shift is open on this till. Count the cash in the drawer "
                               "and enter it to open the shift."))
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        lay.addWidget(title)
        self.float_edit = QLineEdit()
        self.float_edit.setPlaceholderText(self.tr("Opening float ¥, e.g. 200"))
        no_ime(self.float_edit)
        lay.addWidget(self.float_edit)
        hint = QLabel(self.tr("Enter: open the shift · Esc: not now (no sales until a shift "
                              "is open)"))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.message = QLabel("")
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.setMinimumWidth(420)
        self.float_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_enter(self) -> None:
        if self._busy:
            return
        text = self.float_edit.text().strip()
        try:
            amount = parse_yuan(text)
        except MoneyFormatError:
            self.message.setText(self.tr("Not an amount: %1").replace("%1", text))
            return
        self._busy = True
        self.message.setText("")
        opener = self._open_shift
        self._worker.run(lambda: opener(amount), lambda _s: self.accept(), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.message.setText(error_text(exc))
