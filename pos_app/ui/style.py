"""The app's stylesheet (resources/qss/pos.qss)."""

from __future__ import annotations

import contextlib

from PySide6.QtWidgets import QApplication

from pos_app.ui.i18n import RESOURCES


def apply_style(app: QApplication) -> None:
    path = RESOURCES / "qss" / "pos.qss"
    with contextlib.suppress(OSError):  # unstyled is still usable
        app.setStyleSheet(path.read_text(encoding="utf-8"))
