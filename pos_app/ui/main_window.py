"""The sale screen: scan/search, quick keys, cart, totals, checkout. Layout + wiring only.

Everything blocking (product look-ups, order writes, payment calls, printing) runs
on the :class:`~pos_app.ui.bridge.Worker`; payment progress arrives as
:class:`PaymentEvent` values through the bridge and is routed to the open dialog.
"""

from __future__ import annotations

import copy
import logging
from collections import deque
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.devices.printer.escpos import render_receipt, render_text
from pos_app.devices.printer.sinks import FileSink, NullSink, PrinterSink, SerialSink
from pos_app.devices.receipt import Receipt, ReceiptLine
from pos_app.devices.scanner.base import ScanEvent, ScanOrigin
from pos_app.devices.scanner.ports import available_ports
from pos_app.domain.cart import Cart, CartError
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen, MoneyFormatError, format_yuan, parse_yuan
from pos_app.domain.scan import ScanKind, classify
from pos_app.manager.pins import Permission, session_may
from pos_app.payments.api import AttemptState, PaymentEvent, PaymentMethod
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.cart_model import CartTableModel
from pos_app.ui.core_messages import localize
from pos_app.ui.customer_phone import CustomerPhoneWindow
from pos_app.ui.i18n import input_error_text
from pos_app.ui.manager import ManagerContext
from pos_app.ui.manager.manager_override import ask_approval
from pos_app.ui.manager.menu import ManagerMenu
from pos_app.ui.payment_dialogs import CashDialog, CodePayDialog, NativePayDialog, PaymentDialog
from pos_app.ui.qr_widget import prerender
from pos_app.ui.receipt_dialog import ReceiptDialog
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.services import AppServices, Mode, Session
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.settings_model import AppSettings, PrinterSettings, save_settings
from pos_app.ui.text import render

log = logging.getLogger("pos_app.ui")


def _cart_fingerprint(cart: Cart) -> tuple[object, ...]:
    return (tuple((ln.product.sku, ln.quantity, ln.discount) for ln in cart.lines),
            cart.order_discount)


def make_sink(p: PrinterSettings) -> PrinterSink:
    from pathlib import Path

    if p.kind == "serial":
        return SerialSink(p.target, p.baud)
    if p.kind == "file":
        return FileSink(Path(p.target))
    return NullSink()


def receipt_order_no(order_id: int) -> str:
    return f"{order_id:08d}"


def payment_sink(bridge: Bridge) -> Callable[[PaymentEvent], None]:
    """The :meth:`Till.subscribe` callback: runs on the payment lane, renders a Native
    QR there (off the UI thread), then hands the event to the UI thread."""

    def sink(ev: PaymentEvent) -> None:
        qr = ev.code_url if ev.code_url and not ev.state.terminal else ""
        if ev.state is AttemptState.PAID:
            qr = receipt_order_no(ev.order_id)  # the receipt dialog shows it as a QR
        if qr:
            try:
                prerender(qr)
            except Exception:  # the UI renders it itself then
                log.exception("QR prerender failed")
        bridge.post(ev)

    return sink


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    closed = Signal()

    def __init__(self, services: AppServices, session: Session, bridge: Bridge, worker: Worker,
                 hub: ScannerHub, settings: AppSettings) -> None:
        super().__init__()
        self.services = services
        self.session = session
        self.bridge = bridge
        self.worker = worker
        # printing has its own thread: a printer that hangs must not hold up look-ups,
        # payments and sign-in, which share ``worker``
        self.print_worker = Worker(bridge, name="ui-print")
        self.hub = hub
        self.settings = settings
        self.sales_enabled = False
        self.cart_model = CartTableModel()
        self.dialog: PaymentDialog | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.phone: CustomerPhoneWindow | None = None
        self.last_receipt: Receipt | None = None
        self._order: tuple[int, tuple[object, ...]] | None = None
        self._order_cart: Cart | None = None  # the cart as persisted for ``_order``
        self._recent_events: deque[PaymentEvent] = deque(maxlen=64)
        self._confirm_clear: int | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._run_search)
        self.setWindowTitle(self.tr("WeChat Pay cashier — %1").replace("%1", services.shop_name))
        self.setObjectName("mainWindow")
        self._build()
        self._build_actions()
        self.manager_menu: ManagerMenu | None = None
        if services.manager is not None:
            ctx = ManagerContext(services.manager, session, worker, services.login.user_names,
                                 print_text=self.print_text,
                                 report_width=settings.printer.width)
            self.manager_menu = ManagerMenu(
                self, ctx, lambda: self.dialog is not None and self.dialog.isVisible(),
                self.show_error)
        self.cart_model.changed.connect(self._refresh_totals)
        self.cart_model.error.connect(self.show_error)
        bridge.posted.connect(self._on_posted)
        hub.scanned.connect(self.on_scan)
        hub.serial_status.connect(self._scanner_status)
        self._refresh_totals()
        self.set_sales_enabled(False, self.tr("Checking unfinished payments…"))
        self.worker.run(self.services.catalog.quick_keys, self._show_quick_keys,
                        lambda e: self.show_error(str(e)))
        self.worker.run(lambda: prerender("warm-up"))  # first QR encode loads qrcode/PIL parts
        self.resize(1280, 800)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        central = QWidget()
        root = QHBoxLayout(central)
        left = QVBoxLayout()
        self.barcode_edit = QLineEdit()
        self.barcode_edit.setObjectName("barcodeEdit")
        self.barcode_edit.setPlaceholderText(
            self.tr("Scan, type a barcode or search products (F2)"))
        self.barcode_edit.returnPressed.connect(self._entry_submitted)
        self.barcode_edit.textEdited.connect(lambda _t: self._search_timer.start())
        left.addWidget(self.barcode_edit)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setMaximumHeight(180)
        self.results.hide()
        self.results.itemActivated.connect(self._result_chosen)
        left.addWidget(self.results)
        self.table = QTableView()
        self.table.setObjectName("cartTable")
        self.table.setModel(self.cart_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().setDefaultSectionSize(40)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 5):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        left.addWidget(self.table, 1)
        edit_row = QHBoxLayout()
        self.edit_buttons: list[QPushButton] = []
        for text, key, slot in (
            (self.tr("Quantity"), "F4", self.ask_quantity),
            (self.tr("Line discount"), "F5", self.ask_line_discount),
            (self.tr("Order discount"), "F6", self.ask_order_discount),
            (self.tr("Remove line"), "Del", self.remove_selected),
            (self.tr("Clear sale"), "F12", self.clear_sale),
        ):
            b = self._button(text, key, slot)
            edit_row.addWidget(b)
            self.edit_buttons.append(b)
        left.addLayout(edit_row)
        root.addLayout(left, 3)

        right = QVBoxLayout()
        totals = QFrame()
        totals.setObjectName("totalsPanel")
        tl = QGridLayout(totals)
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
        right.addWidget(totals)
        self.quick_grid = QGridLayout()
        self.quick_grid.setSpacing(6)
        quick_box = QWidget()
        quick_box.setLayout(self.quick_grid)
        right.addWidget(quick_box, 1)
        pay = QGridLayout()
        self.native_button = self._button(self.tr("WeChat QR"), "F8", self.pay_native, "payButton")
        self.code_button = self._button(self.tr("Payment code"), "F9", self.pay_code, "payButton")
        self.cash_button = self._button(self.tr("Cash"), "F10", self.pay_cash, "cashButton")
        pay.addWidget(self.native_button, 0, 0)
        pay.addWidget(self.code_button, 0, 1)
        pay.addWidget(self.cash_button, 1, 0, 1, 2)
        right.addLayout(pay)
        misc = QHBoxLayout()
        self.phone_button = self._button(self.tr("Customer phone"), "F7", self.show_phone)
        self.phone_button.setVisible(self.services.demo is not None)
        misc.addWidget(self.phone_button)
        misc.addWidget(self._button(self.tr("Settings"), "F11", self.open_settings))
        misc.addWidget(self._button(self.tr("Sign out"), "Ctrl+L", self.sign_out_requested.emit))
        right.addLayout(misc)
        if self.services.actions:
            extra = QHBoxLayout()
            for action in self.services.actions:
                extra.addWidget(self._button(
                    action.label, action.key,
                    lambda a=action: a.run(self, self.session)))  # type: ignore[misc]
            right.addLayout(extra)
        root.addLayout(right, 2)
        self.setCentralWidget(central)

        sb = self.statusBar()
        demo = self.services.mode is Mode.DEMO
        self.mode_label = QLabel(self.tr("DEMO MODE — simulated WeChat Pay") if demo
                                 else self.tr("LIVE"))
        self.mode_label.setObjectName("demoBadge" if demo else "liveBadge")
        self.user_label = QLabel(self.tr("Cashier: %1").replace("%1", self.session.name))
        self.recovery_label = QLabel("")
        self.scanner_label = QLabel("")
        sb.addPermanentWidget(self.scanner_label)
        sb.addPermanentWidget(self.recovery_label)
        sb.addPermanentWidget(self.user_label)
        sb.addPermanentWidget(self.mode_label)

    def _button(self, text: str, key: str, slot: Callable[[], object],
                name: str = "") -> QPushButton:
        b = QPushButton(f"{text}\n{key}" if name else f"{text}  {key}")
        if name:
            b.setObjectName(name)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setMinimumHeight(64 if name else 48)
        b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        b.clicked.connect(lambda _c=False: slot())
        return b

    def _build_actions(self) -> None:
        for key, slot in (
            ("F2", self.focus_entry), ("F3", self.focus_entry), ("F4", self.ask_quantity),
            ("F5", self.ask_line_discount), ("F6", self.ask_order_discount),
            ("Del", self.remove_selected), ("F7", self.show_phone), ("F8", self.pay_native),
            ("F9", self.pay_code), ("F10", self.pay_cash), ("F11", self.open_settings),
            ("F12", self.clear_sale), ("Ctrl+L", self.sign_out_requested.emit),
            ("Ctrl+P", self.reprint_last),
            *((a.key, lambda a=a: a.run(self, self.session)) for a in self.services.actions),
        ):
            act = QAction(self)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _c=False, s=slot: s())
            self.addAction(act)

    # ------------------------------------------------------------------ state

    def set_sales_enabled(self, enabled: bool, message: str = "") -> None:
        self.sales_enabled = enabled
        for b in (self.native_button, self.code_button, self.cash_button):
            b.setEnabled(enabled)
        if message:
            self.recovery_label.setText(message)

    def recovery_done(self, events: list[PaymentEvent]) -> None:
        """Start-up recovery finished: report and open the till for sales."""
        if not events:
            text = self.tr("Recovery: nothing unfinished")
        else:
            counts: dict[str, int] = {}
            for ev in events:
                counts[ev.state.value] = counts.get(ev.state.value, 0) + 1
            detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            text = self.tr("Recovery: %1 resolved (%2)").replace("%1", str(len(events))).replace(
                "%2", detail)
            unknown = sorted({ev.order_id for ev in events
                              if ev.state is AttemptState.UNCERTAIN})
            if unknown:  # still unresolved: say so where it stays on screen
                text += " — " + self.tr("order %1: outcome unknown, do not charge again").replace(
                    "%1", ", ".join(str(o) for o in unknown))
        self.set_sales_enabled(True, text)
        self.focus_entry()

    def recovery_failed(self, exc: BaseException) -> None:
        self.set_sales_enabled(True, self.tr("Recovery failed: %1 — unfinished payments "
                                             "stay blocked").replace("%1", str(exc)))

    def show_error(self, text: str) -> None:
        self.statusBar().showMessage("⚠ " + text, 8000)

    def show_info(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _scanner_status(self, text: str) -> None:
        self.scanner_label.setText(self.tr("Serial scanner: %1").replace("%1", text) if text
                                   else "")

    def _refresh_totals(self) -> None:
        cart = self.cart_model.cart
        self.items_label.setText(str(cart.item_count))
        self.subtotal_label.setText(format_yuan(cart.subtotal, symbol=True))
        disc = sum(ln.discount for ln in cart.lines) + cart.order_discount
        self.discount_label.setText("-" + format_yuan(disc, symbol=True) if disc else "—")
        self.total_label.setText(format_yuan(cart.total, symbol=True))

    def _show_quick_keys(self, products: list[Product]) -> None:
        while self.quick_grid.count():
            item = self.quick_grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        for i, p in enumerate(products[:12]):
            b = QPushButton(f"{p.name}\n{format_yuan(p.price, symbol=True)}")
            b.setObjectName("quickKey")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setMinimumSize(120, 72)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.clicked.connect(lambda _c=False, prod=p: self.add_product(prod))
            self.quick_grid.addWidget(b, i // 3, i % 3)

    # ------------------------------------------------------------------ cart edits

    def focus_entry(self) -> None:
        self.barcode_edit.setFocus()
        self.barcode_edit.selectAll()

    def add_product(self, product: Product, quantity: int = 1) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            # e.g. a look-up that came back after F8/F9/F10: the cart is being paid
            self.show_error(self.tr("Finish the current payment first: %1 was not added")
                            .replace("%1", product.name))
            return
        try:
            row = self.cart_model.add(product, quantity)
        except CartError as exc:
            self.show_error(input_error_text(exc))
            return
        self.table.selectRow(row)
        self.show_info(self.tr("Added %1").replace("%1", product.name))

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        n = len(self.cart_model.cart.lines)
        return n - 1 if n else None

    def _edit(self, fn: Callable[[], None]) -> bool:
        try:
            fn()
        except (CartError, MoneyFormatError, ValueError) as exc:
            self.show_error(input_error_text(exc))
            return False
        return True

    def set_quantity(self, row: int, quantity: int) -> bool:
        return self._edit(lambda: self.cart_model.set_quantity(row, quantity))

    def set_line_discount(self, row: int, text: str) -> bool:
        return self._edit(lambda: self.cart_model.set_line_discount(row, parse_yuan(text)))

    def set_order_discount(self, text: str) -> bool:
        return self._edit(lambda: self.cart_model.set_order_discount(parse_yuan(text)))

    def ask_quantity(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        line = self.cart_model.cart.lines[row]
        q, ok = QInputDialog.getInt(self, self.tr("Quantity"), line.product.name,
                                    line.quantity, 1, 9999)
        if ok:
            self.set_quantity(row, q)

    def ask_line_discount(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        line = self.cart_model.cart.lines[row]
        text, ok = QInputDialog.getText(
            self, self.tr("Line discount"),
            self.tr("Amount off %1 (¥, up to %2)").replace("%1", line.product.name).replace(
                "%2", format_yuan(line.gross)), text=format_yuan(line.discount))
        if ok:
            self.set_line_discount(row, text)

    def ask_order_discount(self) -> None:
        cart = self.cart_model.cart
        if not cart.lines:
            return
        text, ok = QInputDialog.getText(
            self, self.tr("Order discount"),
            self.tr("Amount off the whole order (¥, up to %1)").replace(
                "%1", format_yuan(cart.subtotal)), text=format_yuan(cart.order_discount))
        if ok:
            self.set_order_discount(text)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._edit(lambda: self.cart_model.remove(row))

    def clear_sale(self) -> None:
        """F12. A sale whose payment outcome is unknown is only cleared on a second press:
        clearing it loses the automatic finish should WeChat Pay later say PAID."""
        pending = self._uncertain_order()
        if pending is not None and self._confirm_clear != pending:
            self._confirm_clear = pending
            self.show_error(self.tr("Order %1: outcome unknown, do not charge again. "
                                    "Press F12 again to clear the sale anyway")
                            .replace("%1", str(pending)))
            return
        self._confirm_clear = None
        self.cart_model.clear()
        self._order = None
        self._order_cart = None
        self.focus_entry()

    def _uncertain_order(self) -> int | None:
        """The current sale's order if its latest payment event is UNCERTAIN."""
        if self._order is None:
            return None
        order_id = self._order[0]
        latest = [ev for ev in self._recent_events if ev.order_id == order_id]
        return order_id if latest and latest[-1].state is AttemptState.UNCERTAIN else None

    # ------------------------------------------------------------------ scan / search

    def _entry_submitted(self) -> None:
        text = self.barcode_edit.text().strip()
        if not text:
            return
        if self.results.isVisible() and self.results.count() and not text.isdigit():
            self._result_chosen(self.results.item(0))
            return
        self.barcode_edit.clear()
        self.results.hide()
        self.on_scan(ScanEvent(text, ScanOrigin.MANUAL, 0.0))

    def _run_search(self) -> None:
        text = self.barcode_edit.text().strip()
        if len(text) < 1 or text.isdigit():
            self.results.hide()
            return
        catalog = self.services.catalog
        self.worker.run(lambda: catalog.search(text, 20),
                        lambda found: self._show_results(text, found),
                        lambda e: self.show_error(str(e)))

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
            self.add_product(product)

    def on_scan(self, ev: ScanEvent) -> None:
        """Every scan, whatever its source, lands here (UI thread)."""
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            return  # the settings scan-test panel shows it
        if self.manager_menu is not None and self.manager_menu.offer_scan(ev.code):
            return  # a receipt QR scanned into the refund screen
        if isinstance(self.dialog, CodePayDialog) and self.dialog.isVisible():
            self.dialog.offer_code(ev.code)
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.show_error(self.tr("Finish the current payment first"))
            return
        result = classify(ev.code)
        if result.kind is ScanKind.PRODUCT_BARCODE:
            catalog = self.services.catalog
            code = result.text
            self.worker.run(lambda: catalog.by_barcode(code),
                            lambda p: self._barcode_found(code, p),
                            lambda e: self.show_error(str(e)))
        elif result.kind is ScanKind.WECHAT_CODE:
            self.pay_code(held_code=ev.code)  # never charge before the cashier confirms
        else:
            self.show_error(render(result.message))

    def _barcode_found(self, code: str, product: Product | None) -> None:
        if product is None:
            self.show_error(self.tr("No product with barcode %1").replace("%1", code))
            return
        self.add_product(product)

    # ------------------------------------------------------------------ checkout

    def _can_checkout(self) -> bool:
        if not self.sales_enabled:
            self.show_error(self.tr("Wait: unfinished payments are still being checked"))
            return False
        if self.dialog is not None and self.dialog.isVisible():
            return False
        if not self.cart_model.cart.lines or self.cart_model.cart.total <= 0:
            self.show_error(self.tr("The cart is empty"))
            return False
        return True

    def pay_native(self) -> None:
        if not self._can_checkout():
            return
        dialog = NativePayDialog(self.cart_model.cart.total, self)
        self._open_dialog(dialog)
        till = self.services.till
        self._start(dialog, till.pay_native)

    def pay_code(self, first_code: str | None = None, held_code: str | None = None) -> None:
        """F9. ``first_code`` is charged at once (the cashier chose this tender);
        ``held_code`` (scanned at the sale screen) waits for the cashier's Enter."""
        if not self._can_checkout():
            return
        dialog = CodePayDialog(self.cart_model.cart.total, self)
        till = self.services.till
        dialog.code_submitted.connect(
            lambda code: self._start(dialog, lambda oid: till.pay_code(oid, code)))
        self._open_dialog(dialog)
        if first_code:
            dialog.offer_code(first_code)
        elif held_code:
            dialog.hold_code(held_code)

    def pay_cash(self) -> None:
        if not self._can_checkout():
            return
        dialog = CashDialog(self.cart_model.cart.total, self)
        till = self.services.till
        dialog.confirmed.connect(
            lambda t: self._start(dialog, lambda oid: till.pay_cash(oid, Fen(t))))
        self._open_dialog(dialog)

    def _open_dialog(self, dialog: PaymentDialog) -> None:
        self.dialog = dialog
        self.cart_snapshot = copy.deepcopy(self.cart_model.cart)
        till = self.services.till
        dialog.cancel_requested.connect(
            lambda aid: self.worker.run(lambda: till.cancel(aid), None,
                                        lambda e: self.show_error(str(e))))
        dialog.finished.connect(lambda _r: self._dialog_finished(dialog))
        dialog.open()

    def _start(self, dialog: PaymentDialog, pay: Callable[[int], int]) -> None:
        """Persist the order (once per cart content) and start an attempt, off the UI thread."""
        dialog.begin()
        cart = copy.deepcopy(self.cart_snapshot)  # exactly what the dialog shows the amount of
        fp = _cart_fingerprint(cart)
        existing = self._order[0] if self._order and self._order[1] == fp else None
        stale = self._order[0] if self._order and existing is None else None
        till = self.services.till
        cashier = self.session.name

        def work() -> tuple[int, int]:
            if stale is not None:  # the cart changed after a failed attempt: void the old order
                void = getattr(till, "void_order", None)
                if void is not None:
                    try:
                        void(stale)
                    except Exception as exc:
                        # An unresolved (UNCERTAIN) or paid attempt: a new order for the
                        # edited cart could charge the customer twice, so refuse. Only an
                        # order voided by an earlier try (whose start then failed) is fine.
                        record = getattr(till, "order", lambda _oid: None)(stale)
                        if getattr(record, "status", None) != "voided":
                            log.info("order %s not voided: %s", stale, type(exc).__name__)
                            raise
            oid = existing if existing is not None else till.create_order(cart, cashier=cashier)
            return oid, pay(oid)

        def done(ids: tuple[int, int]) -> None:
            oid, aid = ids
            self._order = (oid, fp)
            self._order_cart = cart
            dialog.bind(oid, aid)
            for ev in list(self._recent_events):
                if dialog.accepts(ev):
                    dialog.on_event(ev)

        def failed(exc: BaseException) -> None:
            log.warning("payment start failed: %s", type(exc).__name__)
            dialog.start_failed(str(exc))

        self.worker.run(work, done, failed)

    def _on_posted(self, payload: object) -> None:
        if isinstance(payload, PaymentEvent):
            self.on_payment_event(payload)

    def on_payment_event(self, ev: PaymentEvent) -> None:
        self._recent_events.append(ev)
        if self.phone is not None and ev.method is PaymentMethod.NATIVE:
            if ev.code_url and not ev.state.terminal:
                self.phone.show_native(ev.code_url, ev.amount)
            elif ev.state.terminal:
                self.phone.clear_native()
        if self.dialog is not None and self.dialog.accepts(ev):
            self.dialog.on_event(ev)
        elif (ev.state is AttemptState.PAID and self._order is not None
              and ev.order_id == self._order[0] and self._order_cart is not None):
            self._paid_after_dialog(ev, self._order[1], self._order_cart)
        elif ev.recovered or ev.state.terminal:
            self.show_info(self.tr("Order %1: %2").replace("%1", str(ev.order_id)).replace(
                "%2", ev.state.value) + (f" — {localize(ev.message)}" if ev.message else ""))

    def _paid_after_dialog(self, ev: PaymentEvent, fp: tuple[object, ...], cart: Cart) -> None:
        """An unknown outcome (dialog already closed) resolved as PAID: finish that sale."""
        receipt = self.build_receipt(cart, ev)
        self.last_receipt = receipt
        running = self.dialog if self.dialog is not None and self.dialog.isVisible() else None
        if running is not None and running.may_close:
            running.reject_now()  # e.g. the cash dialog for this very sale: nothing to take
            running = None
        if running is None and _cart_fingerprint(self.cart_model.cart) == fp:
            self.cart_model.clear()
            self._order = None
            self._order_cart = None
            self.show_info(self.tr("Order %1 was paid after all: sale finished").replace(
                "%1", str(ev.order_id)))
        else:  # edited since: the cashier must sort it out; a new charge stays refused
            self.show_error(self.tr("Order %1 was paid after all: the cart was changed since, "
                                    "check it before charging").replace("%1", str(ev.order_id)))
        self.show_receipt(receipt)

    def _dialog_finished(self, dialog: PaymentDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        paid = dialog.paid_event
        if paid is None:
            self.focus_entry()
            if dialog.last_event is not None and dialog.last_event.state is AttemptState.UNCERTAIN:
                self.show_error(self.tr("Payment outcome unknown: do not charge again"))
            return
        receipt = self.build_receipt(self.cart_snapshot, paid)
        self.last_receipt = receipt
        self.cart_model.clear()
        self._order = None
        self._order_cart = None
        self.show_receipt(receipt)

    # ------------------------------------------------------------------ receipts

    def build_receipt(self, cart: Cart, ev: PaymentEvent) -> Receipt:
        methods = {PaymentMethod.NATIVE: "微信支付", PaymentMethod.CODEPAY: "微信付款码",
                   PaymentMethod.CASH: "现金"}
        tendered = None if ev.change is None else Fen(ev.amount + ev.change)
        return Receipt(
            shop_name=self.services.shop_name,
            order_no=receipt_order_no(ev.order_id),
            created_at=datetime.now(),
            cashier=self.session.name,
            lines=tuple(ReceiptLine(ln.product.name, ln.quantity, ln.product.price, ln.net,
                                    ln.discount) for ln in cart.lines),
            subtotal=cart.subtotal,
            order_discount=cart.order_discount,
            total=cart.total,
            payment_method=methods[ev.method],
            tendered=tendered,
            change=ev.change,
            transaction_id=ev.transaction_id,
        )

    def show_receipt(self, receipt: Receipt) -> None:
        dlg = ReceiptDialog(receipt, self.print_receipt, self.settings.printer.width, self)
        self.receipt_dialog = dlg
        dlg.finished.connect(lambda _r: self.focus_entry())
        dlg.open()

    def reprint_last(self) -> None:
        if self.last_receipt is not None:
            from dataclasses import replace

            self.show_receipt(replace(self.last_receipt, copy=True))

    def print_text(self, text: str, on_done: Callable[[str | None], None]) -> None:
        """Print a plain report (X/Z, refunds…) on the configured printer, off the UI
        thread; ``on_done(error text or None)`` runs on the UI thread."""
        p = self.settings.printer
        if p.kind == "none":
            on_done(self.tr("no printer configured (Settings, F11)"))
            return
        sink = make_sink(p)
        self.print_worker.run(lambda: sink.write(render_text(text, encoding=p.encoding)),
                              lambda _r: on_done(None), lambda e: on_done(str(e)))

    def print_receipt(self, receipt: Receipt, on_done: Callable[[str | None], None]) -> None:
        p = self.settings.printer
        if p.kind == "none":
            on_done(self.tr("no printer configured (Settings, F11)"))
            return
        sink = make_sink(p)

        def job() -> None:
            sink.write(render_receipt(receipt, width=p.width, encoding=p.encoding))

        self.print_worker.run(job, lambda _r: on_done(None), lambda e: on_done(str(e)))

    # ------------------------------------------------------------------ settings / phone

    def open_settings(self) -> None:
        """Settings are manager-only: a cashier needs a manager's PIN on the spot."""
        if self.dialog is not None and self.dialog.isVisible():
            return
        if session_may(self.session.role, Permission.SETTINGS):
            self._show_settings()
        elif self.manager_menu is None:
            self.show_error(self.tr("Settings are for managers: sign in as a manager"))
        else:
            ask_approval(self.manager_menu.ctx, Permission.SETTINGS, self.tr("Open settings"),
                         self, lambda _approver, _pin: self._show_settings())

    def _show_settings(self) -> None:
        dlg = SettingsDialog(self.settings, self.hub, self.worker,
                             self.services.check_merchant_config, available_ports, self)
        self.settings_dialog = dlg

        def finished(_r: int) -> None:
            self.settings_dialog = None
            new = dlg.result_settings
            if new is None:
                self.hub.apply(self.settings.scanner)
                return
            merchant_changed = new.merchant_config_path != self.settings.merchant_config_path
            self.settings = new
            self.hub.apply(new.scanner)
            path = self.services.settings_path
            if path is not None:
                self.worker.run(lambda: save_settings(path, new), None,
                                lambda e: self.show_error(str(e)))
            if merchant_changed:
                self.show_info(self.tr("Merchant config saved: restart the till to use it"))

        dlg.finished.connect(finished)
        dlg.open()

    def show_phone(self) -> None:
        if self.services.demo is None:
            return
        if self.phone is None:
            self.phone = CustomerPhoneWindow(self.services.demo, self.worker,
                                             lambda code: self.hub.inject(code), None)
            if self.dialog is not None and self.dialog.last_event is not None:
                ev = self.dialog.last_event
                if ev.code_url and not ev.state.terminal:
                    self.phone.show_native(ev.code_url, ev.amount)
        self.phone.show()
        self.phone.raise_()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dialog is not None and self.dialog.isVisible() and not self.dialog.may_close:
            event.ignore()
            self.show_error(self.tr("A payment is in progress"))
            return
        if self.phone is not None:
            self.phone.close()
        if self.manager_menu is not None:
            self.manager_menu.close()
        self.print_worker.shutdown(wait=False)  # a queued job may still finish
        event.accept()
        self.closed.emit()


