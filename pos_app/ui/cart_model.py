"""Table model over :class:`pos_app.domain.cart.Cart` (the cart stays the source of truth).

Edits go through ``editor`` (the sale controller, which refuses them while a payment
runs); without one they go to the cart itself."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from pos_app.domain.cart import Cart, CartError, CartLine, DiscountKind
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen, format_yuan
from pos_app.sale.controller import SaleRefused
from pos_app.ui.i18n import input_error_text
from pos_app.ui.text import render

_Index = QModelIndex | QPersistentModelIndex


class CartEditor(Protocol):
    def add(self, product: Product, quantity: int = 1) -> CartLine: ...

    def set_quantity(self, row: int, quantity: int) -> None: ...

    def set_line_discount(self, row: int, discount: Fen,
                          kind: DiscountKind = DiscountKind.AMOUNT) -> None: ...

    def set_order_discount(self, discount: Fen, kind: DiscountKind = DiscountKind.AMOUNT,
                           round_off: int = 0) -> None: ...

    def remove(self, row: int) -> None: ...

    def clear(self) -> None: ...


class CartTableModel(QAbstractTableModel):
    """Columns: item, quantity (editable), unit price, discount, amount."""

    COL_NAME, COL_QTY, COL_PRICE, COL_DISCOUNT, COL_AMOUNT = range(5)
    changed = Signal()
    error = Signal(str)

    def __init__(self, cart: Cart | None = None, editor: CartEditor | None = None) -> None:
        super().__init__()
        self.cart = cart or Cart()
        self._editor: CartEditor = editor or self.cart

    def headers(self) -> list[str]:
        return [
            QCoreApplication.translate("CartTableModel", "Item"),
            QCoreApplication.translate("CartTableModel", "Qty"),
            QCoreApplication.translate("CartTableModel", "Price"),
            QCoreApplication.translate("CartTableModel", "Discount"),
            QCoreApplication.translate("CartTableModel", "Amount"),
        ]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cart.lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        line = self.cart.lines[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col != self.COL_NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.EditRole and col == self.COL_QTY:
            return line.quantity
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == self.COL_NAME:
            return line.product.name
        if col == self.COL_QTY:
            return str(line.quantity)
        if col == self.COL_PRICE:
            return format_yuan(line.product.price)
        if col == self.COL_DISCOUNT:
            return "-" + format_yuan(line.discount) if line.discount else ""
        return format_yuan(line.net)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.COL_QTY:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: _Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != self.COL_QTY:
            return False
        try:
            self.set_quantity(index.row(), int(str(value)))
        except SaleRefused as exc:  # a payment is running: the cart is frozen
            if exc.message is not None:
                self.error.emit(render(exc.message))
            return False
        except (ValueError, CartError) as exc:
            self.error.emit(input_error_text(exc))
            return False
        return True

    # --- edits (every edit goes through the cart's own validation) -----------------

    def add(self, product: Product, quantity: int = 1) -> int:
        """Add and return the row of the affected line."""
        self.beginResetModel()
        try:
            line = self._editor.add(product, quantity)
        finally:
            self.endResetModel()
        self.changed.emit()
        return self.cart.lines.index(line)

    def set_quantity(self, row: int, quantity: int) -> None:
        self._editor.set_quantity(row, quantity)
        self._row_changed(row)

    def set_line_discount(self, row: int, discount: Fen,
                          kind: DiscountKind = DiscountKind.AMOUNT) -> None:
        self._editor.set_line_discount(row, discount, kind)
        self._row_changed(row)

    def set_order_discount(self, discount: Fen, kind: DiscountKind = DiscountKind.AMOUNT,
                           round_off: int = 0) -> None:
        self._editor.set_order_discount(discount, kind, Fen(round_off))
        self.changed.emit()

    def remove(self, row: int) -> None:
        self.cart._line(row)  # validates (CartError) before touching the view
        self.beginResetModel()
        try:
            self._editor.remove(row)
        finally:
            self.endResetModel()
        self.changed.emit()

    def clear(self) -> None:
        self.beginResetModel()
        try:
            self._editor.clear()
        finally:
            self.endResetModel()
        self.changed.emit()

    def refresh(self) -> None:
        """The cart was changed elsewhere (e.g. the sale finished): show it again."""
        self.beginResetModel()
        self.endResetModel()
        self.changed.emit()

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.changed.emit()
