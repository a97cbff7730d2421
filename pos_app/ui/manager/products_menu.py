"""The Manager menu's Products (Shift+F6) and Sales reports (Shift+F7) entries, and the
on-the-spot "add this product" for an unknown barcode. Each asks for a manager's PIN
first (a manager confirms with their own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from pos_app.domain.catalog import Product
from pos_app.domain.staff import Permission
from pos_app.ui.manager.manager_override import ManagerOverrideDialog, ask_approval
from pos_app.ui.manager.products_dialog import NewProductDialog, ProductsDialog
from pos_app.ui.manager.sales_reports_dialog import SalesReportsDialog

if TYPE_CHECKING:
    from pos_app.ui.manager.menu import ManagerMenu

SHORTCUTS = {"products": "Shift+F6", "sales": "Shift+F7"}


class ProductsMenu(QObject):
    """Added to ``menu`` (the main window's Manager menu)."""

    def __init__(self, menu: ManagerMenu, on_catalog_changed: Callable[[], None]) -> None:
        super().__init__(menu)
        self._menu = menu
        self._changed = on_catalog_changed
        self.approval: ManagerOverrideDialog | None = None
        self.actions: dict[str, QAction] = {}
        window = menu.window
        for key, text, slot in (
            ("products", self.tr("Products…"), self.open_products),
            ("sales", self.tr("Sales reports…"), self.open_sales),
        ):
            act = QAction(text, window)
            act.setShortcut(QKeySequence(SHORTCUTS[key]))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _c=False, s=slot: s())
            menu.menu.addAction(act)
            window.addAction(act)
            self.actions[key] = act

    def _approved(self, permission: Permission, what: str, then: Callable[[], None]) -> None:
        if not self._menu.may_open():
            return
        self.approval = ask_approval(self._menu.ctx, permission, what, self._menu.window,
                                     lambda _manager, _pin: then())

    def open_products(self) -> None:
        def show() -> None:
            if self._menu.may_open():
                dialog = ProductsDialog(self._menu.ctx, self._menu.window)
                dialog.changed.connect(self._changed)
                self._menu.open_dialog(dialog)

        self._approved(Permission.SETTINGS, self.tr("Products"), show)

    def open_sales(self) -> None:
        def show() -> None:
            if self._menu.may_open():
                self._menu.open_dialog(SalesReportsDialog(self._menu.ctx, self._menu.window))

        self._approved(Permission.RECONCILE, self.tr("Sales reports"), show)

    def add_unknown(self, barcode: str, added: Callable[[Product], None]) -> None:
        """An unknown barcode: a manager adds the product, then ``added(product)``."""
        def show() -> None:
            if self._menu.may_open():
                dialog = NewProductDialog(self._menu.ctx, barcode, self._menu.window)

                def done(result: int) -> None:
                    if result and dialog.product is not None:
                        self._changed()
                        added(dialog.product)

                dialog.finished.connect(done)
                self._menu.open_dialog(dialog)

        self._approved(Permission.SETTINGS, self.tr("Add product %1").replace("%1", barcode),
                       show)
