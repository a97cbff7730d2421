"""The PIN field and touch keypad shared by sign-in and manager approval."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton

from pos_app.ui.qt_ints import NO_FOCUS


def no_ime(edit: QLineEdit) -> None:
    """Digits-only field: keep a Chinese IME from swallowing scanner/keypad input."""
    from PySide6.QtCore import Qt  # (builds Qt's enum namespace: see qt_ints)

    edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers
                             | Qt.InputMethodHint.ImhNoPredictiveText)


def pin_edit(*, ime_off: bool = True) -> QLineEdit:
    """A masked, IME-free field for a 4–8 digit PIN (Enter is its dialog's business:
    see :class:`~pos_app.ui.keys.OneKeyDialog`). ``ime_off=False``: the field is returned
    disabled, and the caller calls :func:`no_ime` when it enables it (the sign-in screen,
    once the users are listed: see :mod:`pos_app.ui.qt_ints`)."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(8)
    edit.setPlaceholderText(QCoreApplication.translate("PinEntry", "4–8 digits"))
    if ime_off:
        no_ime(edit)
    else:
        edit.setEnabled(False)
    return edit


def pin_pad(
    edit: QLineEdit, last_key: str, on_last: Callable[[], None]
) -> tuple[QGridLayout, dict[str, QPushButton]]:
    """A 4×3 touch keypad typing into ``edit``: digits, ⌫, and ``last_key`` → ``on_last``."""
    grid = QGridLayout()
    buttons: dict[str, QPushButton] = {}
    for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", last_key]):
        b = QPushButton(key)
        b.setObjectName("pinKey")
        b.setProperty("focusPolicy", NO_FOCUS)  # the PIN field keeps the focus
        if key == "⌫":
            b.clicked.connect(edit.backspace)
        elif key == last_key:
            b.clicked.connect(on_last)
        else:
            b.clicked.connect(lambda _c=False, digit=key: edit.insert(digit))
        grid.addWidget(b, i // 3, i % 3)
        buttons[key] = b
    return grid, buttons
