"""The sale screen's cart: the table, its edit keys (F4/F5/F6/Del) and the totals.

Edits go through the table model to the sale controller, which refuses them while a
payment runs; refusals and bad input are reported through ``on_error``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cart import Cart, parse_percent
from pos_app.domain.catalog import Product
from pos_app.domain.money import format_yuan, parse_yuan
from pos_app.sale.controller import SaleRefused
from pos_app.ui.cart_model import CartTableModel
from pos_app.ui.i18n import input_error_text
from pos_app.ui.text import render


def key_button(text: str, key: str, slot: Callable[[], object], name: str = "") -> QPushButton:
    """A touch-sized button labelled with its key; it never takes the keyboard focus."""
    b = QPushButton(f"{text}\n{key}" if name else f"{text}  {key}")
    if name:
        b.setObjectName(name)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.setMinimumHeight(64 if name else 48)
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    b.clicked.connect(lambda _c=False: slot())
    return b


class CartPanel(QWidget):
    def __init__(self, model: CartTableModel, on_error: Callable[[str], None],
                 clear_sale: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._on_error = on_error
        # (the cart as it would be, what, apply) → apply now, or after a manager's PIN
        self.discount_guard: Callable[[Cart, str, Callable[[], None]], None] = (
            lambda _cart, _what, apply: apply())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableView()
        self.table.setObjectName("cartTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().setDefaultSectionSize(40)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 5):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 1)
        edit_row = QGridLayout()  # two rows of three: fits a 1024 px screen in any language
        for i, (text, key, slot) in enumerate((
            (self.tr("Quantity"), "F4", self.ask_quantity),
            (self.tr("Line discount"), "F5", self.ask_line_discount),
            (self.tr("Order discount"), "F6", self.ask_order_discount),
            (self.tr("Round off"), "Ctrl+F6", self.round_off),
            (self.tr("Remove line"), "Del", self.remove_selected),
            (self.tr("Clear sale"), "F12", clear_sale),
        )):
            b = key_button(text, key, slot)
            b.setMinimumHeight(40)
            edit_row.addWidget(b, i // 3, i % 3)
        lay.addLayout(edit_row)

    def edit(self, fn: Callable[[], object]) -> bool:
        """Run an edit; a refusal or bad input is reported and changes nothing."""
        try:
            fn()
        except SaleRefused as exc:
            if exc.message is not None:
                self._on_error(render(exc.message))
            return False
        except ValueError as exc:  # CartError, MoneyFormatError
            self._on_error(input_error_text(exc))
            return False
        return True

    def add(self, product: Product, quantity: int = 1) -> bool:
        return self.edit(lambda: self.table.selectRow(self.model.add(product, quantity)))

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        n = len(self.model.cart.lines)
        return n - 1 if n else None

    def set_quantity(self, row: int, quantity: int) -> bool:
        return self.edit(lambda: self.model.set_quantity(row, quantity))

    def set_line_discount(self, row: int, text: str) -> bool:
        """``text`` is an amount (``"2.50"``) or a percentage (``"10%"``) off the line."""
        def trial() -> Cart:
            cart = copy.deepcopy(self.model.cart)
            bp = parse_percent(text)
            if bp is None:
                cart.set_line_discount(row, parse_yuan(text))
            else:
                cart.set_line_discount_percent(row, bp)
            return cart
        return self._discount(trial, lambda cart: self.model.set_line_discount(
            row, cart.lines[row].discount, cart.lines[row].discount_kind),
            self.tr("Line discount"))

    def set_order_discount(self, text: str) -> bool:
        """``text`` is an amount (``"5"``) or a percentage (``"10%"``) off the order."""
        def trial() -> Cart:
            cart = copy.deepcopy(self.model.cart)
            bp = parse_percent(text)
            if bp is None:
                cart.set_order_discount(parse_yuan(text))
            else:
                cart.set_order_discount_percent(bp)
            return cart
        return self._discount(trial, lambda cart: self.model.set_order_discount(
            cart.order_discount, cart.order_discount_kind, cart.round_off_amount),
            self.tr("Order discount"))

    def round_off(self) -> None:
        """Ctrl+F6 抹零: the customer pays the total rounded down to the yuan."""
        if not self.model.cart.lines:
            return

        def trial() -> Cart:
            cart = copy.deepcopy(self.model.cart)
            cart.round_off(100)
            return cart
        self._discount(trial, lambda cart: self.model.set_order_discount(
            cart.order_discount, cart.order_discount_kind, cart.round_off_amount),
            self.tr("Round off (抹零)"))

    def _discount(self, trial: Callable[[], Cart], apply: Callable[[Cart], None],
                  what: str) -> bool:
        """Work the discount out on a copy (the cart's own rules), then let the guard
        apply it — at once, or after a manager approved a discount over the limit."""
        result: list[Cart] = []
        if not self.edit(lambda: result.append(trial())):
            return False
        cart = result[0]

        def apply_now() -> None:
            self.edit(lambda: apply(cart))
        self.discount_guard(cart, what, apply_now)
        return True

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.edit(lambda: self.model.remove(row))

    def ask_quantity(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        line = self.model.cart.lines[row]
        q, ok = QInputDialog.getInt(self, self.tr("Quantity"), line.product.name,
                                    line.quantity, 1, 9999)
        if ok:
            self.set_quantity(row, q)

    def ask_line_discount(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        line = self.model.cart.lines[row]
        text, ok = QInputDialog.getText(
            self, self.tr("Line discount"),
            self.tr("Amount off %1 (¥ up to %2, or a percentage like 10%)").replace(
                "%1", line.product.name).replace(
                "%2", format_yuan(line.gross)), text=format_yuan(line.discount))
        if ok:
            self.set_line_discount(row, text)

    def ask_order_discount(self) -> None:
        cart = self.model.cart
        if not cart.lines:
            return
        text, ok = QInputDialog.getText(
            self, self.tr("Order discount"),
            self.tr("Amount off the whole order (¥ up to %1, or a percentage like 10%)").replace(
                "%1", format_yuan(cart.subtotal)), text=format_yuan(cart.order_discount))
        if ok:
            self.set_order_discount(text)


class TotalsPanel(QFrame):
    """Items, subtotal, discount and the big total of the cart in ``model``."""

    def __init__(self, model: CartTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("totalsPanel")
        tl = QGridLayout(self)
        self.items_label = QLabel()
        self.subtotal_label = QLabel()
        self.discount_label = QLabel()
        self.total_label = QLabel()
        self.total_label.setObjectName("totalAmount")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        for i, (name, lab) in enumerate((
            (self.tr("Items"), self.items_label),
            (self.tr("Subtotal"), self.subtotal_label),
            (self.tr("Discount"), self.discount_label),
        )):
            tl.addWidget(QLabel(name), i, 0)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight)
            tl.addWidget(lab, i, 1)
        total_caption = QLabel(self.tr("Total"))
        total_caption.setObjectName("totalCaption")
        tl.addWidget(total_caption, 3, 0)
        tl.addWidget(self.total_label, 3, 1)
        model.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        cart = self.model.cart
        self.items_label.setText(str(cart.item_count))
        self.subtotal_label.setText(format_yuan(cart.subtotal, symbol=True))
        disc = sum(ln.discount for ln in cart.lines) + cart.order_discount
        self.discount_label.setText("-" + format_yuan(disc, symbol=True) if disc else "—")
        self.total_label.setText(format_yuan(cart.total, symbol=True))
