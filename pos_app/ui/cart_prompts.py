"""The small prompts of the sale screen's cart edits (F4 quantity, F5/F6 discounts)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QWidget

from pos_app.domain.cart import Cart
from pos_app.domain.money import format_yuan

translate = QCoreApplication.translate


def quantity(parent: QWidget, cart: Cart, row: int) -> int | None:
    line = cart.lines[row]
    q, ok = QInputDialog.getInt(parent, translate("MainWindow", "Quantity"),
                                line.product.name, line.quantity, 1, 9999)
    return q if ok else None


def line_discount(parent: QWidget, cart: Cart, row: int) -> str | None:
    """The amount off line ``row`` as typed (¥ text), or None if cancelled."""
    line = cart.lines[row]
    text, ok = QInputDialog.getText(
        parent, translate("MainWindow", "Line discount"),
        translate("MainWindow", "Amount off %1 (¥, up to %2)").replace(
            "%1", line.product.name).replace("%2", format_yuan(line.gross)),
        text=format_yuan(line.discount))
    return text if ok else None


def order_discount(parent: QWidget, cart: Cart) -> str | None:
    """The amount off the whole order as typed (¥ text), or None."""
    if not cart.lines:
        return None
    text, ok = QInputDialog.getText(
        parent, translate("MainWindow", "Order discount"),
        translate("MainWindow", "Amount off the whole order (¥, up to %1)").replace(
            "%1", format_yuan(cart.subtotal)), text=format_yuan(cart.order_discount))
    return text if ok else None
