"""补打: find a past paid order (receipt number / out_trade_no / transaction id, or a
day's list) and print its receipt again, marked as a copy.

The order comes from the books (:meth:`RefundDesk.find_order` / ``search_orders`` on the
worker); the receipt is :func:`pos_app.devices.receipt.receipt_from_order` with the
till's current header. Enter in the number field looks it up; Enter in the list prints
the chosen order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.devices.receipt import Receipt, receipt_from_order
from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import format_yuan
from pos_app.domain.order import SaleOrder
from pos_app.sale.controller import SaleController
from pos_app.ui.bridge import Worker
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.services import RefundDesk

PrintReceipt = Callable[[Receipt, Callable[[str | None], None]], None]


class ReprintDialog(OneKeyDialog):
    def __init__(self, desk: RefundDesk, worker: Worker, sale: SaleController,
                 print_receipt: PrintReceipt, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._worker = worker
        self._sale = sale
        self._print = print_receipt
        self.orders: dict[int, SaleOrder] = {}
        self.printed: list[str] = []            # order numbers sent to the printer
        self.setWindowTitle(self.tr("Reprint a receipt"))
        self.setObjectName("reprintDialog")
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Receipt number")))
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("reprintKey")
        self.key_edit.setPlaceholderText(self.tr("scan the receipt's QR or type its number"))
        row.addWidget(self.key_edit, 1)
        lay.addLayout(row)
        day_row = QHBoxLayout()
        day_row.addWidget(QLabel(self.tr("Orders of")))
        today = datetime.now(SHOP_TZ).date()   # the shop's day, whatever the machine's zone
        self.day_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        day_row.addWidget(self.day_edit)
        show = QPushButton(self.tr("Show"))
        show.clicked.connect(self.search_day)
        day_row.addWidget(show)
        day_row.addStretch(1)
        lay.addLayout(day_row)
        self.results = QListWidget()
        self.results.setObjectName("reprintResults")
        lay.addWidget(self.results, 1)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        self.print_button = QPushButton(self.tr("Print a copy (Enter)"))
        self.print_button.clicked.connect(self.print_selected)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.print_button)
        lay.addLayout(buttons)
        self.resize(560, 460)
        self.search_day()

    def on_enter(self) -> None:
        if self.focus_in(self.key_edit) and self.key_edit.text().strip():
            self.lookup()
        elif self.focus_in(self.day_edit):
            self.search_day()
        else:
            self.print_selected()

    def offer_code(self, code: str) -> None:
        """A scan while the dialog is open (the receipt's QR holds its number)."""
        self.key_edit.setText(code.strip())
        self.lookup()

    def lookup(self) -> None:
        key = self.key_edit.text().strip()
        desk = self._desk
        self._say(self.tr("Looking up…"))
        self._worker.run(lambda: desk.find_order(key), lambda o: self._found(key, o),
                         self._failed)

    def _found(self, key: str, order: SaleOrder | None) -> None:
        if order is None:
            self._say(self.tr("No paid order found for %1").replace("%1", key), error=True)
            return
        self._show([order])
        self.results.setCurrentRow(0)
        self.results.setFocus()

    def search_day(self) -> None:
        qd = self.day_edit.date()
        day = date(qd.year(), qd.month(), qd.day())
        desk = self._desk
        self._worker.run(lambda: desk.search_orders(day, None), self._show, self._failed)

    def _show(self, orders: list[SaleOrder]) -> None:
        self.results.clear()
        self.orders = {o.order_id: o for o in orders}
        for o in orders:
            when = o.created_at.astimezone(SHOP_TZ).strftime("%m-%d %H:%M")
            item = QListWidgetItem(f"#{o.order_no}   {when}   "
                                   f"{format_yuan(o.total, symbol=True)}   {o.cashier}")
            item.setData(Qt.ItemDataRole.UserRole, o.order_id)
            self.results.addItem(item)
        if orders and self.results.currentRow() < 0:
            self.results.setCurrentRow(0)
        self._say(self.tr("%1 order(s)").replace("%1", str(len(orders))))

    def print_selected(self) -> None:
        row = self.results.currentRow()
        if row < 0:
            self._say(self.tr("Choose an order first"), error=True)
            return
        item = self.results.item(row)
        order = self.orders[int(item.data(Qt.ItemDataRole.UserRole))]
        s = self._sale
        receipt = receipt_from_order(order, shop_name=s.shop_name, shop_address=s.shop_address,
                                     shop_phone=s.shop_phone)
        self.printed.append(receipt.order_no)
        self._say(self.tr("Printing a copy of receipt %1").replace("%1", receipt.order_no))
        self._print(receipt, lambda err: self._printed(receipt.order_no, err))

    def _printed(self, order_no: str, err: str | None) -> None:
        if err:
            self._say(self.tr("Receipt %1 not printed: %2").replace("%1", order_no)
                      .replace("%2", err), error=True)

    def _failed(self, exc: BaseException) -> None:
        self._say(str(exc), error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #cf222e;" if error else "")
        self.message.setText(text)
