"""F1 on the sale screen: every key of the till on one page (the Help menu holds it too).

The sale screen's keys are listed here; the menu entries (Manager: refund, shift, cash in
/ out …) are read from the window's menus, so a new menu entry with a shortcut shows up
without touching this list.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.screen_fit import resize_within_screen

HELP_KEY = "F1"


def menu_keys(window: QMainWindow) -> list[tuple[str, str]]:
    """Every menu entry of ``window`` that has a shortcut: (key, its text)."""
    out: list[tuple[str, str]] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        for act in menu.actions():
            key = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if key and key != HELP_KEY:
                out.append((key, act.text().replace("&", "").rstrip("…")))
    return out


class KeyHelpDialog(OneKeyDialog):
    """The table of keys (the sale screen's, then ``more``); Esc or Enter closes it."""

    def sale_keys(self) -> list[tuple[str, str]]:
        """The sale screen's own keys."""
        return [
            ("F2", self.tr("Search products / type a barcode")),
            ("Alt+1 … Alt+=", self.tr("Quick keys")),
            ("F4", self.tr("Quantity of the selected line")),
            ("F5", self.tr("Line discount (amount or %)")),
            ("F6", self.tr("Order discount (amount or %)")),
            ("Ctrl+F6", self.tr("Round off (抹零)")),
            ("Del", self.tr("Remove the selected line")),
            ("F12", self.tr("Clear the sale (asks first)")),
            ("F8", self.tr("WeChat QR (Native)")),
            ("Shift+F8", self.tr("Alipay QR (with Alipay enabled)")),
            ("Ctrl+F8", self.tr("WeChat and Alipay QRs side by side: the customer picks")),
            ("F9", self.tr("Payment code (or scan it at the sale field)")),
            ("F10", self.tr("Cash")),
            ("Ctrl+H", self.tr("Hold the sale (挂单)")),
            ("Ctrl+R", self.tr("Recall a held sale (取单)")),
            ("Ctrl+P", self.tr("Reprint the last receipt")),
            ("Ctrl+K", self.tr("Item without barcode (无码商品): an amount under a category")),
            ("Ctrl+N", self.tr("Add the product of the unknown barcode just scanned (manager)")),
            ("F7", self.tr("Customer phone (demo)")),
            ("F11", self.tr("Settings")),
            ("Ctrl+L", self.tr("Sign out")),
        ]

    def __init__(self, more: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keys"))
        self.setObjectName("keyHelp")
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("Every action has a key"))
        title.setObjectName("dialogTitle")
        lay.addWidget(title)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Key"), self.tr("Action")])
        self.table.verticalHeader().setVisible(False)
        # compact rows: the whole list fits a 1024x768 screen without scrolling
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.set_rows(more)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        lay.addWidget(close)
        resize_within_screen(self, 640, 720)

    def set_rows(self, more: list[tuple[str, str]]) -> None:
        rows = self.sale_keys() + more
        self.table.setRowCount(len(rows))
        for r, (key, text) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(key))
            self.table.setItem(r, 1, QTableWidgetItem(text))

    def rows(self) -> list[tuple[str, str]]:
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text())  # type: ignore[union-attr]
                for r in range(self.table.rowCount())]

    def on_enter(self) -> None:
        self.accept()


def install_key_help(window: QMainWindow) -> QAction:
    """A Help menu with "Keys… F1" on ``window``; returns the action."""
    menu = window.menuBar().addMenu(QCoreApplication.translate("KeyHelp", "&Help"))
    act = QAction(QCoreApplication.translate("KeyHelp", "Keys…"), window)
    act.setShortcut(QKeySequence(HELP_KEY))
    act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    shown: list[KeyHelpDialog] = []     # one page per window, kept (never deleted mid-key)

    def show() -> None:
        if not shown:
            shown.append(KeyHelpDialog(menu_keys(window), window))
        dlg = shown[0]
        dlg.set_rows(menu_keys(window))
        dlg.open()

    act.triggered.connect(lambda _c=False: show())
    menu.addAction(act)
    window.addAction(act)
    return act
