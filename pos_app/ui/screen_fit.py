"""Sizes that fit the screen the till runs on (1024x768 and up)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, but never larger than the available screen."""
    screen = widget.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width())
        height = min(height, room.height() - 40)  # the window manager's title bar
    widget.resize(width, height)
