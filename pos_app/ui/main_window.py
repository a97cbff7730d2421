"""The sale screen: layout, key bindings, and the rendering of the sale controller's state.

The rules of the sale (which payment may start, reusing or voiding the order, finishing
the sale, receipts, printing) live in :class:`~pos_app.sale.controller.SaleController`;
this window is its :class:`~pos_app.sale.controller.SaleObserver`. Everything blocking
runs on the :class:`~pos_app.ui.bridge.Worker`; payment events arrive through the
bridge and are handed to the controller on the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.devices.printer.factory import PrinterNotConfigured
from pos_app.devices.receipt import Receipt
from pos_app.devices.scanner.base import ScanEvent
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen, format_yuan, parse_yuan
from pos_app.domain.scan import ScanKind, classify
from pos_app.domain.text import Message
from pos_app.payments.api import AttemptState, PaymentEvent, PaymentMethod
from pos_app.sale.controller import SaleController, SaleRefused
from pos_app.ui import cart_prompts
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.bridge import payment_sink as payment_sink  # re-exported for app/tests
from pos_app.ui.cart_model import CartTableModel
from pos_app.ui.core_messages import localize
from pos_app.ui.customer_phone import CustomerPhoneWindow
from pos_app.ui.i18n import input_error_text, pick
from pos_app.ui.manager import ManagerContext
from pos_app.ui.manager.menu import ManagerMenu
from pos_app.ui.payment_dialogs import CashDialog, CodePayDialog, NativePayDialog, PaymentDialog
from pos_app.ui.product_entry import ProductEntry
from pos_app.ui.qr_widget import prerender
from pos_app.ui.receipt_dialog import ReceiptDialog
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.services import AppServices, Mode, Session
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.settings_flow import open_settings
from pos_app.ui.settings_model import AppSettings
from pos_app.ui.text import render

log = logging.getLogger("pos_app.ui")


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
        self.sale = SaleController(services.till, worker, cashier=session.name,
                                   shop_name=services.shop_name, printer=settings.printer,
                                   print_runner=self.print_worker, observer=self)
        self.cart_model = CartTableModel(self.sale.cart, editor=self.sale)
        self.dialog: PaymentDialog | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.phone: CustomerPhoneWindow | None = None
        self.setWindowTitle(self.tr("WeChat Pay cashier — %1").replace("%1", services.shop_name))
        self.setObjectName("mainWindow")
        self._build()
        self._build_actions()
        self.manager_menu: ManagerMenu | None = None
        if services.manager is not None:
            ctx = ManagerContext(services.manager, session, worker, services.login.user_names,
                                 print_text=self.print_text,
                                 report_width=settings.printer.width)
            self.manager_menu = ManagerMenu(self, ctx, self._paying, self.show_error)
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
        self.entry = ProductEntry(self.services.catalog, self.worker, self.show_error)
        self.entry.submitted.connect(self.on_scan)
        self.entry.chosen.connect(self.add_product)
        self.barcode_edit, self.results = self.entry.barcode_edit, self.entry.results
        left.addWidget(self.entry)
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
        for text, key, slot in (
            (self.tr("Quantity"), "F4", self.ask_quantity),
            (self.tr("Line discount"), "F5", self.ask_line_discount),
            (self.tr("Order discount"), "F6", self.ask_order_discount),
            (self.tr("Remove line"), "Del", self.remove_selected),
            (self.tr("Clear sale"), "F12", self.clear_sale),
        ):
            edit_row.addWidget(self._button(text, key, slot))
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

    # ------------------------------------------------------------------ rendering state

    @property
    def sales_enabled(self) -> bool:
        return self.sale.sales_enabled

    def set_sales_enabled(self, enabled: bool, message: str = "") -> None:
        self.sale.sales_enabled = enabled
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

    def _paying(self) -> bool:
        return self.dialog is not None and self.dialog.isVisible()

    # ------------------------------------------------------------------ cart edits

    def focus_entry(self) -> None:
        self.entry.focus()

    def add_product(self, product: Product, quantity: int = 1) -> None:
        if not self._edit(lambda: self.table.selectRow(self.cart_model.add(product, quantity))):
            return
        self.show_info(self.tr("Added %1").replace("%1", product.name))

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        n = len(self.cart_model.cart.lines)
        return n - 1 if n else None

    def _edit(self, fn: Callable[[], object]) -> bool:
        try:
            fn()
        except SaleRefused as exc:
            if exc.message is not None:
                self.show_error(render(exc.message))
            return False
        except ValueError as exc:  # CartError, MoneyFormatError
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
        q = None if row is None else cart_prompts.quantity(self, self.cart_model.cart, row)
        if row is not None and q is not None:
            self.set_quantity(row, q)

    def ask_line_discount(self) -> None:
        row = self.selected_row()
        text = None if row is None else cart_prompts.line_discount(self, self.cart_model.cart, row)
        if row is not None and text is not None:
            self.set_line_discount(row, text)

    def ask_order_discount(self) -> None:
        text = cart_prompts.order_discount(self, self.cart_model.cart)
        if text is not None:
            self.set_order_discount(text)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._edit(lambda: self.cart_model.remove(row))

    def clear_sale(self) -> None:
        """F12 (an unknown outcome needs a second press: the controller says so)."""
        cleared: list[bool] = []
        if self._edit(lambda: cleared.append(self.sale.clear_sale())) and cleared[0]:
            self.focus_entry()

    # ------------------------------------------------------------------ scans

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
            self.show_error(pick(result.message_zh, result.message_en))

    def _barcode_found(self, code: str, product: Product | None) -> None:
        if product is None:
            self.show_error(self.tr("No product with barcode %1").replace("%1", code))
            return
        self.add_product(product)

    # ------------------------------------------------------------------ checkout

    def pay_native(self) -> None:
        dialog = self._open_payment(PaymentMethod.NATIVE)
        if dialog is not None:
            self._charge(dialog, self.sale.charge_native)

    def pay_code(self, first_code: str | None = None, held_code: str | None = None) -> None:
        """F9. ``first_code`` is charged at once (the cashier chose this tender);
        ``held_code`` (scanned at the sale screen) waits for the cashier's Enter."""
        dialog = self._open_payment(PaymentMethod.CODEPAY)
        if not isinstance(dialog, CodePayDialog):
            return
        dialog.code_submitted.connect(
            lambda code: self._charge(dialog, lambda: self.sale.charge_code(code)))
        if first_code:
            dialog.offer_code(first_code)
        elif held_code:
            dialog.hold_code(held_code)

    def pay_cash(self) -> None:
        dialog = self._open_payment(PaymentMethod.CASH)
        if isinstance(dialog, CashDialog):
            dialog.confirmed.connect(
                lambda t: self._charge(dialog, lambda: self.sale.charge_cash(Fen(t))))

    def _open_payment(self, method: PaymentMethod) -> PaymentDialog | None:
        if not self._edit(lambda: self.sale.begin_payment(method)) or self.sale.payment is None:
            return None
        kinds = {PaymentMethod.NATIVE: NativePayDialog, PaymentMethod.CODEPAY: CodePayDialog,
                 PaymentMethod.CASH: CashDialog}
        dialog: PaymentDialog = kinds[method](self.sale.payment.amount, self)
        self.dialog = dialog
        dialog.cancel_requested.connect(self.sale.cancel)
        dialog.finished.connect(lambda _r: self._dialog_finished(dialog))
        dialog.open()
        return dialog

    def _charge(self, dialog: PaymentDialog, start: Callable[[], None]) -> None:
        dialog.begin()  # from now on the dialog follows the attempt
        start()

    def _dialog_finished(self, dialog: PaymentDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if dialog.paid_event is None:
            self.focus_entry()
        self.sale.end_payment()

    def _on_posted(self, payload: object) -> None:
        if isinstance(payload, PaymentEvent):
            self.on_payment_event(payload)

    def on_payment_event(self, ev: PaymentEvent) -> None:
        if self.phone is not None and ev.method is PaymentMethod.NATIVE:
            if ev.code_url and not ev.state.terminal:
                self.phone.show_native(ev.code_url, ev.amount)
            elif ev.state.terminal:
                self.phone.clear_native()
        self.sale.on_payment_event(ev)

    # ------------------------------------------------------------------ SaleObserver

    def cart_changed(self) -> None:
        self.cart_model.refresh()

    def sale_notice(self, message: Message, error: bool) -> None:
        (self.show_error if error else self.show_info)(render(message))

    def payment_started(self, order_id: int, attempt_id: int) -> None:
        if self.dialog is not None:
            self.dialog.bind(order_id, attempt_id)

    def payment_start_failed(self, exc: BaseException) -> None:
        if self.dialog is not None:
            self.dialog.start_failed(str(exc))

    def payment_event(self, event: PaymentEvent) -> None:
        if self.dialog is not None:
            self.dialog.on_event(event)

    def order_event(self, ev: PaymentEvent) -> None:
        self.show_info(self.tr("Order %1: %2").replace("%1", str(ev.order_id)).replace(
            "%2", ev.state.value) + (f" — {localize(ev.message)}" if ev.message else ""))

    def close_payment(self) -> bool:
        running = self.dialog if self._paying() else None
        if running is not None and running.may_close:
            running.reject_now()
            running = None
        return running is None

    def sale_finished(self, receipt: Receipt) -> None:
        self.show_receipt(receipt)

    def task_failed(self, exc: BaseException) -> None:
        self.show_error(str(exc))

    # ------------------------------------------------------------------ receipts, printing

    def show_receipt(self, receipt: Receipt) -> None:
        dlg = ReceiptDialog(receipt, self.print_receipt, self.settings.printer.width, self)
        self.receipt_dialog = dlg
        dlg.finished.connect(lambda _r: self.focus_entry())
        dlg.open()

    def reprint_last(self) -> None:
        receipt = self.sale.reprint()
        if receipt is not None:
            self.show_receipt(receipt)

    def print_text(self, text: str, on_done: Callable[[str | None], None]) -> None:
        """Print a plain report (X/Z, refunds…) on the configured printer, off the UI
        thread; ``on_done(error text or None)`` runs on the UI thread."""
        self.sale.printing.print_text(text, lambda e: on_done(self._print_error(e)))

    def print_receipt(self, receipt: Receipt, on_done: Callable[[str | None], None]) -> None:
        self.sale.printing.print_receipt(receipt, lambda e: on_done(self._print_error(e)))

    def _print_error(self, exc: BaseException | None) -> str | None:
        if isinstance(exc, PrinterNotConfigured):
            return self.tr("no printer configured (Settings, F11)")
        return None if exc is None else str(exc)

    # ------------------------------------------------------------------ settings / phone

    def open_settings(self) -> None:
        """Settings are manager-only: a cashier needs a manager's PIN on the spot."""
        if not self._paying():
            open_settings(self)

    def apply_settings(self, new: AppSettings) -> None:
        self.settings = new
        self.sale.printing.configure(new.printer)

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
