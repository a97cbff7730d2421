"""One key, one action: the dialog base every till dialog uses.

Qt's ``QDialog`` lets Enter reach a *default* or *autoDefault* push button, and a button
becomes the default as soon as it takes the focus. When the Enter that started an action
also disabled the focused field, the focus moved on to a button and the same Enter
clicked that button too (a charge followed by its own reverse, a shift opened twice).

:class:`OneKeyDialog` removes the mechanism instead of patching each case: no push button
in it is ever default or autoDefault (checked whenever the dialog is shown or its layout
changes), and Enter/Return is handled in exactly one place, :meth:`on_enter`, which the
dialog decides from its own state. Fields inside such a dialog must not connect
``returnPressed``: a line edit passes the Enter on to the dialog, which acts once.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QPushButton, QWidget


def disarm_buttons(root: QWidget) -> None:
    """No push button under ``root`` may take an Enter meant for something else."""
    for button in root.findChildren(QPushButton):
        if button.autoDefault() or button.isDefault():
            button.setAutoDefault(False)
            button.setDefault(False)


def is_enter(event: QKeyEvent) -> bool:
    # (Qt imported here: its enum namespace is built at the first key press, not before
    # the sign-in screen — issue 13)
    from PySide6.QtCore import Qt

    return Qt.Key(event.key()) in (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class OneKeyDialog(QDialog):
    """Enter calls :meth:`on_enter` once (auto-repeat ignored); Esc rejects as usual."""

    def on_enter(self) -> None:
        """What Enter does in this dialog (nothing by default)."""

    def event(self, e: QEvent) -> bool:
        if e.type() in (QEvent.Type.Show, QEvent.Type.LayoutRequest, QEvent.Type.Polish):
            disarm_buttons(self)
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if is_enter(e):
            e.accept()
            if not e.isAutoRepeat():
                self.on_enter()
            return
        super().keyPressEvent(e)

    def focus_in(self, *widgets: QObject | None) -> bool:
        """Is the keyboard focus in one of ``widgets`` (where an Enter was typed)?"""
        focused = self.focusWidget()
        return focused is not None and any(w is not None and focused is w for w in widgets)
