"""The sale screen's ways to add a product: the entry field (scan, type a barcode, or
search by name) and the quick keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos_app.devices.scanner.base import ScanEvent, ScanOrigin
from pos_app.domain.catalog import Product
from pos_app.domain.money import format_yuan
from pos_app.ui.bridge import Worker
from pos_app.ui.services import ProductCatalog


class ProductEntry(QWidget):
    """``submitted`` carries typed text (Enter) as a manual scan; ``chosen`` a product
    picked from the search results. Searches run on ``worker``."""

    submitted = Signal(object)  # ScanEvent
    chosen = Signal(object)     # Product

    def __init__(self, catalog: ProductCatalog, worker: Worker,
                 on_error: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._worker = worker
        self._on_error = on_error
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._run_search)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.barcode_edit = QLineEdit()
        self.barcode_edit.setObjectName("barcodeEdit")
        self.barcode_edit.setPlaceholderText(
            self.tr("Scan, type a barcode or search products (F2)"))
        self.barcode_edit.returnPressed.connect(self._entry_submitted)
        self.barcode_edit.textEdited.connect(lambda _t: self._search_timer.start())
        lay.addWidget(self.barcode_edit)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setMaximumHeight(180)
        self.results.hide()
        self.results.itemActivated.connect(self._result_chosen)
        lay.addWidget(self.results)

    def focus(self) -> None:
        self.barcode_edit.setFocus()
        self.barcode_edit.selectAll()

    def _entry_submitted(self) -> None:
        text = self.barcode_edit.text().strip()
        if not text:
            return
        if self.results.isVisible() and self.results.count() and not text.isdigit():
            self._result_chosen(self.results.item(0))
            return
        self.barcode_edit.clear()
        self.results.hide()
        self.submitted.emit(ScanEvent(text, ScanOrigin.MANUAL, 0.0))

    def _run_search(self) -> None:
        text = self.barcode_edit.text().strip()
        if len(text) < 1 or text.isdigit():
            self.results.hide()
            return
        catalog = self._catalog
        self._worker.run(lambda: catalog.search(text, 20),
                         lambda found: self._show_results(text, found),
                         lambda e: self._on_error(str(e)))

    def _show_results(self, text: str, found: list[Product]) -> None:
        if self.barcode_edit.text().strip() != text:
            return  # stale
        self.results.clear()
        for p in found:
            item = QListWidgetItem(f"{p.name}    {format_yuan(p.price, symbol=True)}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.results.addItem(item)
        self.results.setVisible(bool(found))
        if found:
            self.results.setCurrentRow(0)

    def _result_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        product = item.data(Qt.ItemDataRole.UserRole)
        self.results.hide()
        self.barcode_edit.clear()
        if isinstance(product, Product):
            self.chosen.emit(product)


class QuickKeys(QWidget):
    """Up to 12 product buttons (three per row); ``chosen`` carries the product."""

    chosen = Signal(object)  # Product

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setSpacing(6)

    def show_products(self, products: list[Product]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        for i, p in enumerate(products[:12]):
            b = QPushButton(f"{p.name}\n{format_yuan(p.price, symbol=True)}")
            b.setObjectName("quickKey")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setMinimumSize(120, 72)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.clicked.connect(lambda _c=False, prod=p: self.chosen.emit(prod))
            self.grid.addWidget(b, i // 3, i % 3)
