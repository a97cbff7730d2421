"""Products (商品管理) screen, behind a manager's PIN: search, add and edit products (name,
barcode, price, category, quick key, scale item code), deactivate and reactivate them
(Ctrl+D; inactive ones are listed greyed when "show inactive", Ctrl+H, is on), import and
export the catalogue as CSV. Every check is :mod:`pos_app.manager.products`'s; every call
runs on the worker. A product with a scale item code under a weight label format is priced
per kg: its price reads "¥12.80/kg" in the table and the form.

:class:`NewProductDialog` is the same form on its own: an unknown barcode scanned at the
sale field becomes a product on the spot, and the sale goes on with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen, format_yuan
from pos_app.domain.text import msg
from pos_app.manager.products import (
    ImportOutcome,
    ProductAdmin,
    ProductDraft,
    ProductError,
    ProductText,
)
from pos_app.sale.weighed import weighs
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.product_csv import ImportText
from pos_app.ui.bridge import Worker
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import ManagerContext, error_text
from pos_app.ui.product_entry import INACTIVE_GREY
from pos_app.ui.screen_fit import resize_within_screen
from pos_app.ui.text import render

_SHOWN_PROBLEMS = 12


def product_admin(ctx: ManagerContext) -> ProductAdmin:
    """The catalogue service over the till's database."""
    return ProductAdmin(ProductRepository(ctx.services.store.db))


def price_text(price: Fen, per_kg: bool) -> str:
    """``¥12.80``, or ``¥12.80/kg`` for a product sold by weight."""
    return format_yuan(price, symbol=True) + ("/kg" if per_kg else "")


def problem_text(exc: BaseException) -> str:
    if isinstance(exc, ProductError):
        return "\n".join(render(m) for m in exc.messages)
    return error_text(exc)


def csv_file_dialog(parent: QWidget, title: str, save: bool,
                    chosen: Callable[[Path], None], name: str = "products.csv") -> QFileDialog:
    """A non-blocking file dialog (Qt's own, so keys drive it the same everywhere). It is
    not a child of ``parent``: a :class:`OneKeyDialog` disarms every button under it,
    and the file dialog's Enter must reach its own Save/Open button."""
    dlg = QFileDialog(None, title)
    dlg.setWindowModality(Qt.WindowModality.ApplicationModal)
    parent.destroyed.connect(dlg.deleteLater)
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dlg.setNameFilter("CSV (*.csv)")
    dlg.setDefaultSuffix("csv")
    if save:
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.selectFile(name)
    else:
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
    dlg.fileSelected.connect(lambda name: chosen(Path(name)))
    dlg.setObjectName("csvFileDialog")
    dlg.open()
    return dlg


class ProductForm(QWidget):
    """The fields of one product (``editing``: the SKU of the product shown, or None
    for a new one; ``editing_active``: whether that product is active). ``weighs``: the
    till's label scale format carries a weight, so a product with a scale item code is
    priced per kg (the price field says "/kg")."""

    def __init__(self, parent: QWidget | None = None, weighs: bool = False) -> None:
        super().__init__(parent)
        self.editing: str | None = None
        self.editing_active = True
        self.weighs = weighs
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.sku_edit = QLineEdit()
        self.sku_edit.setPlaceholderText(self.tr("empty: the barcode"))
        self.name_edit = QLineEdit()
        self.barcode_edit = QLineEdit()
        self.price_edit = QLineEdit()
        self.price_edit.setPlaceholderText("0.00")
        self.category_box = QComboBox()
        self.category_box.setEditable(True)
        self.quick_key_edit = QLineEdit()
        self.quick_key_edit.setPlaceholderText(self.tr("1–12, empty: none"))
        self.scale_code_edit = QLineEdit()
        self.scale_code_edit.setPlaceholderText(self.tr("label scale item code"))
        for edit in (self.sku_edit, self.name_edit, self.barcode_edit, self.price_edit):
            edit.setObjectName("productField")
        form.addRow(self.tr("Product name"), self.name_edit)
        form.addRow(self.tr("Barcode"), self.barcode_edit)
        price_row = QHBoxLayout()
        price_row.addWidget(self.price_edit, 1)
        self.per_kg_label = QLabel("/kg")
        self.per_kg_label.setObjectName("perKgLabel")
        self.per_kg_label.setToolTip(self.tr("Sold by weight: the price is per kg"))
        self.per_kg_label.hide()
        price_row.addWidget(self.per_kg_label)
        form.addRow(self.tr("Price (¥)"), price_row)
        self.scale_code_edit.textChanged.connect(lambda _t: self._per_kg_shown())
        form.addRow(self.tr("Category"), self.category_box)
        form.addRow(self.tr("SKU"), self.sku_edit)
        form.addRow(self.tr("Quick key"), self.quick_key_edit)
        form.addRow(self.tr("Scale item code"), self.scale_code_edit)

    @property
    def per_kg(self) -> bool:
        """The product as typed is priced per kg (a scale item code, a weight format)."""
        return self.weighs and bool(self.scale_code_edit.text().strip())

    def _per_kg_shown(self) -> None:
        self.per_kg_label.setVisible(self.per_kg)

    def set_categories(self, names: list[str]) -> None:
        current = self.category_box.currentText()
        self.category_box.clear()
        self.category_box.addItems(names)
        self.category_box.setEditText(current)

    def clear(self, barcode: str = "") -> None:
        self.editing = None
        self.editing_active = True
        self.sku_edit.setReadOnly(False)
        for edit in (self.sku_edit, self.name_edit, self.price_edit, self.quick_key_edit,
                     self.scale_code_edit):
            edit.clear()
        self.barcode_edit.setText(barcode)
        self.category_box.setEditText("")

    def show_product(self, p: Product) -> None:
        self.editing = p.sku
        self.editing_active = p.active
        self.sku_edit.setText(p.sku)
        self.sku_edit.setReadOnly(True)   # the SKU names the product (orders keep it)
        self.name_edit.setText(p.name)
        self.barcode_edit.setText(p.barcode)
        self.price_edit.setText(format_yuan(p.price))
        self.category_box.setEditText(p.category)
        self.quick_key_edit.setText("" if p.quick_key is None else str(p.quick_key))
        self.scale_code_edit.setText(p.scale_code)

    def draft(self) -> ProductDraft:
        return ProductDraft(sku=self.sku_edit.text(), name=self.name_edit.text(),
                            barcode=self.barcode_edit.text(), price=self.price_edit.text(),
                            category=self.category_box.currentText(),
                            quick_key=self.quick_key_edit.text(),
                            scale_code=self.scale_code_edit.text())


class _Saver:
    """Saves the form on the worker; one save at a time."""

    def __init__(self, admin: ProductAdmin, worker: Worker, form: ProductForm,
                 message: QLabel, saved: Callable[[Product], None]) -> None:
        self.admin, self.worker, self.form, self.message = admin, worker, form, message
        self.saved = saved
        self.busy = False

    def save(self) -> None:
        if self.busy:
            return
        self.busy = True
        draft, new, admin = self.form.draft(), self.form.editing is None, self.admin
        set_message(self.message, "", QCoreApplication.translate("ProductsDialog", "Saving…"))
        self.worker.run(lambda: admin.save(draft, new=new), self._done, self._failed)

    def _done(self, product: Product) -> None:
        self.busy = False
        set_message(self.message, "ok", render(msg(ProductText.SAVED, name=product.name)))
        self.saved(product)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        set_message(self.message, "error", problem_text(exc))


def set_message(label: QLabel, kind: str, text: str) -> None:
    """``kind``: "error" (red), "ok" (green) or "" (plain)."""
    label.setProperty("kind", kind)
    label.setStyleSheet({"error": "color: #c9302c;", "ok": "color: #18794e;"}.get(kind, ""))
    label.setText(text)


def _message_label() -> QLabel:
    label = QLabel("")
    label.setObjectName("productMessage")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ProductsDialog(OneKeyDialog):
    """``products``: the rows shown (the search's results)."""

    changed = Signal()   # the catalogue changed (the sale screen reloads its quick keys)

    def __init__(self, ctx: ManagerContext, parent: QWidget | None = None,
                 admin: ProductAdmin | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.admin = admin or product_admin(ctx)
        self.products: list[Product] = []
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("Products"))
        self.setObjectName("productsDialog")
        self._toggling = False
        lay = QHBoxLayout(self)
        left = QVBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("productSearch")
        self.search_edit.setPlaceholderText(self.tr("Search by name, pinyin initials, SKU or "
                                                    "barcode (Ctrl+F)"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.search_edit.textEdited.connect(lambda _t: self._timer.start())
        left.addWidget(self.search_edit)
        self.show_inactive = QCheckBox(self.tr("Show inactive products (Ctrl+H)"))
        self.show_inactive.setObjectName("showInactive")
        self.show_inactive.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.show_inactive.toggled.connect(lambda _on: self.refresh())
        left.addWidget(self.show_inactive)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("productTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Product"), self.tr("Price"), self.tr("Category"), self.tr("Barcode"),
            self.tr("Quick key"), self.tr("SKU")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        left.addWidget(self.table, 1)
        files = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import CSV… (Ctrl+I)"))
        self.import_button.setShortcut("Ctrl+I")
        self.import_button.clicked.connect(self.ask_import)
        self.export_button = QPushButton(self.tr("Export CSV… (Ctrl+E)"))
        self.export_button.setShortcut("Ctrl+E")
        self.export_button.clicked.connect(self.ask_export)
        files.addWidget(self.import_button)
        files.addWidget(self.export_button)
        files.addStretch(1)
        left.addLayout(files)
        lay.addLayout(left, 3)

        right = QVBoxLayout()
        self.heading = QLabel(self.tr("New product"))
        self.heading.setObjectName("dialogTitle")
        self.heading.setWordWrap(True)   # a long name must not squeeze the table
        right.addWidget(self.heading)
        self.form = ProductForm(weighs=weighs(ctx.scale_layout()))
        right.addWidget(self.form)
        self.message = _message_label()
        right.addWidget(self.message, 1)
        self.active_button = QPushButton(self.tr("Deactivate (Ctrl+D)"))
        self.active_button.setObjectName("activeButton")
        self.active_button.clicked.connect(self.toggle_active)
        right.addWidget(self.active_button)
        buttons = QHBoxLayout()
        new = QPushButton(self.tr("New (Ctrl+N)"))
        new.setShortcut("Ctrl+N")
        new.clicked.connect(lambda _c=False: self.new_product())
        self.save_button = QPushButton(self.tr("Save (Enter)"))
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        buttons.addWidget(new)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        right.addLayout(buttons)
        lay.addLayout(right, 2)
        find = QAction(self)
        find.setShortcut(QKeySequence("Ctrl+F"))
        find.triggered.connect(lambda _c=False: self.search_edit.setFocus())
        self.addAction(find)
        for keys, slot in (("Ctrl+D", self.toggle_active),
                           ("Ctrl+H", self.show_inactive.toggle)):
            act = QAction(self)
            act.setShortcut(QKeySequence(keys))
            act.triggered.connect(lambda _c=False, s=slot: s())
            self.addAction(act)
        self._saver = _Saver(self.admin, ctx.worker, self.form, self.message, self._saved)
        resize_within_screen(self, 1180, 660)   # the table's names want the room
        self.new_product()
        self.search_edit.setFocus()   # find the product first; Ctrl+N starts a new one
        self.refresh()

    # --- list ---------------------------------------------------------------------

    def refresh(self) -> None:
        text, admin = self.search_edit.text(), self.admin
        inactive = self.show_inactive.isChecked()
        self._ctx.worker.run(lambda: (admin.search(text, inactive=inactive),
                                      admin.categories()),
                             lambda got: self._show(text, inactive, *got), self._failed)

    def _show(self, text: str, inactive: bool, products: list[Product],
              categories: list[str]) -> None:
        if text != self.search_edit.text() or inactive != self.show_inactive.isChecked():
            return  # stale
        self.products = products
        self.form.set_categories(categories)
        self.table.blockSignals(True)
        self.table.setRowCount(len(products))
        grey = QBrush(QColor(INACTIVE_GREY))
        for row, p in enumerate(products):
            # a short mark first (a long name is cut at the right in a narrow column);
            # the words are in the tool tip, the row greyed and in italics
            name = p.name if p.active else f"⊘ {p.name}"
            tip = p.name if p.active else f"{p.name} ({self.tr('inactive')})"
            per_kg = self.form.weighs and bool(p.scale_code)
            for col, value in enumerate((name, price_text(p.price, per_kg), p.category,
                                         p.barcode, "" if p.quick_key is None else
                                         f"Alt+{'1234567890-='[p.quick_key - 1]}", p.sku)):
                item = QTableWidgetItem(value)
                if col == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if not p.active:
                    item.setForeground(grey)
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                if col == 0:
                    item.setToolTip(tip)   # the whole name, however narrow the column
                self.table.setItem(row, col, item)
        self.table.clearSelection()   # rows are new: a kept row index would be stale
        selected = [i for i, p in enumerate(products) if p.sku == self.form.editing]
        if selected:
            self.table.selectRow(selected[0])
        self.table.blockSignals(False)

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.products):
            p = self.products[rows[0].row()]
            self.form.show_product(p)
            self._editing(p)
            self.message.setText("")

    def _editing(self, p: Product | None) -> None:
        """The heading and the deactivate/reactivate button for the product in the form."""
        if p is None:
            self.heading.setText(self.tr("New product"))
        elif p.active:
            self.heading.setText(self.tr("Edit %1").replace("%1", p.name))
        else:
            self.heading.setText(self.tr("Edit %1 (inactive: not sold)").replace("%1", p.name))
        self.active_button.setEnabled(p is not None)
        self.active_button.setText(self.tr("Reactivate (Ctrl+D)") if p is not None
                                   and not p.active else self.tr("Deactivate (Ctrl+D)"))

    def toggle_active(self) -> None:
        """Ctrl+D: deactivate the product in the form (or reactivate an inactive one)."""
        sku, admin = self.form.editing, self.admin
        if sku is None or self._toggling:
            return
        self._toggling = True
        active = not self.form.editing_active
        self._ctx.worker.run(lambda: admin.set_active(sku, active), self._toggled,
                             self._toggle_failed)

    def _toggled(self, product: Product) -> None:
        self._toggling = False
        if self.form.editing == product.sku:
            self.form.editing_active = product.active
            self._editing(product)
        set_message(self.message, "ok", render(msg(
            ProductText.REACTIVATED if product.active else ProductText.DEACTIVATED,
            name=product.name)))
        self.changed.emit()   # the sale screen's quick keys follow
        self.refresh()

    def _toggle_failed(self, exc: BaseException) -> None:
        self._toggling = False
        self._failed(exc)

    # --- editing --------------------------------------------------------------------

    def new_product(self, barcode: str = "") -> None:
        self.table.clearSelection()
        self.form.clear(barcode)
        self._editing(None)
        self.message.setText("")
        self.form.name_edit.setFocus()

    def on_enter(self) -> None:
        if self.focus_in(self.search_edit):
            if self.products:
                self.table.selectRow(0)
                self.form.name_edit.setFocus()
            return
        if self.focus_in(self.table):
            self.form.name_edit.setFocus()
            return
        self.save()

    def save(self) -> None:
        self._saver.save()

    def _saved(self, product: Product) -> None:
        product = replace(product, active=self.form.editing_active)  # a save keeps it
        self.form.show_product(product)
        self._editing(product)
        self.changed.emit()
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        set_message(self.message, "error", problem_text(exc))

    def offer_code(self, code: str) -> None:
        """A scan while the screen is open: find that product, or start a new one with
        the barcode."""
        code = code.strip()
        found = [i for i, p in enumerate(self.products) if p.barcode == code]
        if found:
            self.table.selectRow(found[0])
            return
        self.new_product(code)

    # --- CSV ------------------------------------------------------------------------

    def ask_import(self) -> None:
        self.file_dialog = csv_file_dialog(self, self.tr("Import products from CSV"), False,
                                           self.import_file)

    def ask_export(self) -> None:
        self.file_dialog = csv_file_dialog(self, self.tr("Export products to CSV"), True,
                                           self.export_file)

    def import_file(self, path: Path) -> None:
        admin = self.admin
        self.message.setText(self.tr("Importing %1…").replace("%1", path.name))
        self._ctx.worker.run(lambda: admin.import_csv(path), self._imported, self._failed)

    def _imported(self, outcome: ImportOutcome) -> None:
        notes = [render(m) for m in outcome.notes]
        if outcome.problems:
            shown = [render(m) for m in outcome.problems[:_SHOWN_PROBLEMS]]
            if len(outcome.problems) > _SHOWN_PROBLEMS:
                shown.append("…")
            shown.append(render(msg(ImportText.NOTHING_WRITTEN,
                                    problems=len(outcome.problems))))
            set_message(self.message, "error", "\n".join(notes + shown))
            return
        set_message(self.message, "ok", "\n".join(
            [*notes, render(msg(ImportText.IMPORTED, count=outcome.count))]))
        self.changed.emit()
        self.refresh()

    def export_file(self, path: Path) -> None:
        admin = self.admin
        self._ctx.worker.run(lambda: admin.export_csv(path),
                             lambda n: self._exported(n, path), self._failed)

    def _exported(self, count: int, path: Path) -> None:
        set_message(self.message, "ok",
                    render(msg(ProductText.EXPORTED, count=count, path=str(path))))


class NewProductDialog(OneKeyDialog):
    """Add the product an unknown barcode stands for; ``product`` once saved (accepted)."""

    def __init__(self, ctx: ManagerContext, barcode: str, parent: QWidget | None = None,
                 admin: ProductAdmin | None = None) -> None:
        super().__init__(parent)
        self.admin = admin or product_admin(ctx)
        self.product: Product | None = None
        self.setWindowTitle(self.tr("Add this product"))
        self.setObjectName("newProductDialog")
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("Barcode %1 is not in the catalogue: add it and it goes on "
                               "the sale").replace("%1", barcode))
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        lay.addWidget(title)
        self.form = ProductForm(weighs=weighs(ctx.scale_layout()))
        self.form.clear(barcode)
        lay.addWidget(self.form)
        self.message = _message_label()
        lay.addWidget(self.message)
        row = QHBoxLayout()
        cancel = QPushButton(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        save = QPushButton(self.tr("Save and sell (Enter)"))
        save.clicked.connect(self.on_enter)
        row.addWidget(cancel)
        row.addWidget(save)
        lay.addLayout(row)
        self.setMinimumWidth(460)
        self._saver = _Saver(self.admin, ctx.worker, self.form, self.message, self._saved)
        ctx.worker.run(self.admin.categories, self.form.set_categories)
        self.form.name_edit.setFocus()

    def offer_code(self, code: str) -> None:
        self.form.barcode_edit.setText(code.strip())

    def on_enter(self) -> None:
        self._saver.save()

    def _saved(self, product: Product) -> None:
        self.product = product
        self.accept()
