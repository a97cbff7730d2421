"""Open-price item (无码商品) at the sale screen: an amount typed in 元 under a category,
with no barcode (:func:`pos_app.sale.weighed.open_price_line` checks it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.catalog import Product
from pos_app.sale.weighed import LineRefused, open_price_line
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.text import render


class OpenPriceDialog(OneKeyDialog):
    """Accepted with ``product`` (the line to add) once the input is good."""

    def __init__(self, categories: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.product: Product | None = None
        self.setWindowTitle(self.tr("Item without barcode"))
        self.setObjectName("openPriceDialog")
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("Sell an amount under a category (no barcode)"))
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        lay.addWidget(title)
        form = QFormLayout()
        self.category_box = QComboBox()
        self.category_box.setEditable(True)
        self.category_box.addItems(categories)
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("openPriceAmount")
        self.amount_edit.setPlaceholderText("0.00")
        form.addRow(self.tr("Category"), self.category_box)
        form.addRow(self.tr("Amount (¥)"), self.amount_edit)
        lay.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        cancel = QPushButton(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        add = QPushButton(self.tr("Add (Enter)"))
        add.clicked.connect(self.on_enter)
        row.addWidget(cancel)
        row.addWidget(add)
        lay.addLayout(row)
        self.setMinimumWidth(380)
        self.amount_edit.setFocus()

    def on_enter(self) -> None:
        try:
            self.product = open_price_line(self.category_box.currentText(),
                                           self.amount_edit.text())
        except LineRefused as exc:
            self.message.setText(render(exc.message))
            self.amount_edit.setFocus()
            self.amount_edit.selectAll()
            return
        self.accept()
