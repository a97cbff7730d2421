"""The sale screen's ways to add a product: the entry field (scan, type a barcode, or
search by name) and the quick keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
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

#: the text colour of a deactivated product (search results, the products table)
INACTIVE_GREY = "#9a9a9a"


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
        self.banner = QLabel("")
        self.banner.setObjectName("entryBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        lay.addWidget(self.banner)
        self.barcode_edit.textEdited.connect(lambda _t: self.clear_banner())
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setMaximumHeight(180)
        self.results.hide()
        self.results.itemActivated.connect(self._result_chosen)
        lay.addWidget(self.results)

    # --- the banner under the field: where the cashier looks -----------------------

    def alert(self, text: str) -> None:
        """An error at the counter: red banner and the system beep, until the next action."""
        self.banner.setProperty("kind", "error")
        self._show_banner("⚠ " + text)
        QApplication.beep()

    def notice(self, text: str) -> None:
        """Good news worth a look (paid, change to give), until the next action."""
        self.banner.setProperty("kind", "ok")
        self._show_banner(text)

    def warn(self, text: str) -> None:
        """A question the next key answers (e.g. F12 again to clear)."""
        self.banner.setProperty("kind", "warn")
        self._show_banner(text)

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()

    def clear_banner(self) -> None:
        self.banner.hide()
        self.banner.setText("")
        self.banner.setProperty("kind", "")

    @property
    def banner_text(self) -> str:
        return "" if self.banner.isHidden() else self.banner.text()

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
            text = f"{p.name}    {format_yuan(p.price, symbol=True)}"
            if not p.active:   # listed (the cashier sees why), greyed; choosing it is refused
                text += "    " + self.tr("(inactive)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p)
            if not p.active:
                item.setForeground(QBrush(QColor(INACTIVE_GREY)))
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


# the keyboard's way to the quick keys, in grid order (Alt+1 … Alt+9, Alt+0, Alt+-, Alt+=)
QUICK_KEYS = tuple(f"Alt+{k}" for k in "1234567890-=")


class QuickKeys(QWidget):
    """Up to 12 product buttons (three per row), each with its key (:data:`QUICK_KEYS`);
    ``chosen`` carries the product."""

    chosen = Signal(object)  # Product

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setSpacing(6)
        self.products: list[Product] = []

    def product_at(self, index: int) -> Product | None:
        return self.products[index] if 0 <= index < len(self.products) else None

    def show_products(self, products: list[Product]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self.products = list(products[:len(QUICK_KEYS)])
        for i, p in enumerate(self.products):
            name = p.name.replace(" ", "\n", 1)  # "可口可乐\n330ml": fits a 1024 px screen
            b = QPushButton(f"{name}\n{format_yuan(p.price, symbol=True)}  {QUICK_KEYS[i]}")
            b.setObjectName("quickKey")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setMinimumSize(96, 56)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.clicked.connect(lambda _c=False, prod=p: self.chosen.emit(prod))
            self.grid.addWidget(b, i // 3, i % 3)
