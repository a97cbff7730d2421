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
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from pos_app.devices.printer.factory import PrinterNotConfigured
from pos_app.devices.receipt import Receipt
from pos_app.devices.scanner.base import ScanEvent
from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import format_yuan
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.scan import ScanKind, classify
from pos_app.domain.staff import Permission
from pos_app.domain.text import Message, msg
from pos_app.manager.products import ProductText
from pos_app.manager.refunds import RefundUpdate
from pos_app.payments.api import PaymentEvent
from pos_app.payments.policy import PollPolicy
from pos_app.sale.controller import SaleController, drop_inactive
from pos_app.sale.shop_time import shop_clock
from pos_app.sale.text import SaleText
from pos_app.sale.weighed import Found, look_up
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.bridge import payment_sink as payment_sink  # re-exported for app/tests
from pos_app.ui.cart_model import CartTableModel
from pos_app.ui.cart_panel import CartPanel, TotalsPanel, key_button
from pos_app.ui.checkout import Checkout
from pos_app.ui.customer_phone import CustomerPhoneWindow
from pos_app.ui.key_help import install_key_help
from pos_app.ui.manager import ManagerContext
from pos_app.ui.manager.manager_override import ManagerOverrideDialog, ask_approval
from pos_app.ui.manager.menu import ManagerMenu
from pos_app.ui.manager.products_menu import ProductsMenu
from pos_app.ui.open_price import OpenPriceDialog
from pos_app.ui.pair_pay_dialog import PairPayDialog
from pos_app.ui.payment_dialogs import CodePayDialog, PaymentDialog
from pos_app.ui.product_entry import QUICK_KEYS, ProductEntry, QuickKeys
from pos_app.ui.qr_widget import prerender
from pos_app.ui.receipt_dialog import ReceiptDialog
from pos_app.ui.refund_offers import RefundOffers
from pos_app.ui.refund_owed import RefundOwedBadge
from pos_app.ui.sale_status import SaleStatus
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.services import AppServices, Mode, Session
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.settings_flow import open_settings
from pos_app.ui.settings_model import AppSettings
from pos_app.ui.shift_prompt import OpenShiftPrompt
from pos_app.ui.text import render
from pos_app.ui.till_devices import TillDevices

log = logging.getLogger("pos_app.ui")


def _codepay_deadline(services: AppServices) -> float:
    """How long the till waits for a customer's password before it reverses (seconds)."""
    policy = getattr(services.till, "policy", None)
    return float(getattr(policy, "codepay_deadline", PollPolicy().codepay_deadline))


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
                                   print_runner=self.print_worker, observer=self,
                                   clock=shop_clock)
        self.cart_model = CartTableModel(self.sale.cart, editor=self.sale)
        self.checkout = Checkout(self, self.sale, self.show_error, self.focus_entry,
                                 phone=self.show_phone if services.demo is not None else None,
                                 give_up_after=_codepay_deadline(services))
        self.receipt_dialog: ReceiptDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.phone: CustomerPhoneWindow | None = None
        self._confirm_clear = False
        self._closed = False
        alipay = "alipay" in getattr(services.till, "channels", ())
        self.setWindowTitle((self.tr("Cashier (WeChat Pay · Alipay) — %1") if alipay
                             else self.tr("WeChat Pay cashier — %1")).replace(
                                 "%1", services.shop_name))
        self.setObjectName("mainWindow")
        self._build()
        self._build_actions()
        self.manager_menu: ManagerMenu | None = None
        if services.manager is not None:
            ctx = ManagerContext(services.manager, session, worker, services.login.user_names,
                                 accounts=services.staff, print_text=self.print_text,
                                 report_width=settings.printer.width,
                                 scale_layout=lambda: self.settings.till.scale_layout)
            self.manager_menu = ManagerMenu(self, ctx, self.checkout.showing, self.show_error)
        self.products_menu = (ProductsMenu(self.manager_menu, self.reload_quick_keys)
                              if self.manager_menu is not None else None)
        self.refund_offers = RefundOffers(
            self.status, self.manager_menu, worker,
            services.manager.refunds if services.manager is not None else None,
            info=self.show_info, error=self.show_error)
        self.unknown_barcode = ""
        self.open_price: OpenPriceDialog | None = None
        install_key_help(self)      # F1: every key on one page (Help menu, after Manager)
        self.discount_approval: ManagerOverrideDialog | None = None
        self.shift_prompt: OpenShiftPrompt | None = None
        self.sale.shift_required = services.manager is not None
        self.sale.inactive = self._inactive   # deactivated after it was rung up: not charged
        if self.manager_menu is not None:
            self.manager_menu.dialog_closed.connect(self.check_shift)
            self.manager_menu.dialog_closed.connect(self.refund_offers.refresh)
        self.cart_panel.discount_guard = self._guard_discount
        self.cart_model.error.connect(self.show_error)
        bridge.posted.connect(self._on_posted)
        hub.scanned.connect(self.on_scan)
        hub.serial_status.connect(self.status.scanner)
        self._watch_storage()
        self.devices = TillDevices(self)  # printer state, drawer, reprints, customer display
        self.set_sales_enabled(False, self.tr("Checking unfinished payments…"))
        self.worker.run(self.services.catalog.quick_keys, self.quick_keys.show_products,
                        lambda e: self.show_error(str(e)))
        self.worker.run(lambda: prerender("warm-up"))  # first QR encode loads qrcode/PIL parts
        self.resize(1024, 700)  # before present(): the size it returns to when un-maximised

    def present(self) -> None:
        """Show the till as it is used: maximised, or full screen (kiosk setting)."""
        if self.settings.till.kiosk:
            self.showFullScreen()
        else:
            self.showMaximized()

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
        self.cart_panel = CartPanel(self.cart_model, self.show_error, self.clear_sale)
        self.table = self.cart_panel.table
        left.addWidget(self.cart_panel, 1)
        root.addLayout(left, 5)

        right = QVBoxLayout()
        self.totals = TotalsPanel(self.cart_model)
        self.total_label = self.totals.total_label
        right.addWidget(self.totals)
        self.quick_keys = QuickKeys(self)
        self.quick_keys.chosen.connect(self.add_product)
        self.quick_grid = self.quick_keys.grid
        right.addWidget(self.quick_keys, 1)
        pay = QGridLayout()
        self.native_button = key_button(self.tr("WeChat QR"), "F8", self.pay_native, "payButton")
        self.code_button = key_button(self.tr("Payment code"), "F9", self.pay_code, "payButton")
        self.cash_button = key_button(self.tr("Cash"), "F10", self.pay_cash, "cashButton")
        self.alipay_button = key_button(self.tr("Alipay QR"), "Shift+F8", self.pay_alipay_qr,
                                        "payButton")
        self.both_button = key_button(self.tr("Both QRs"), "Ctrl+F8", self.pay_both_qr,
                                      "payButton")
        both = self._both_channels()
        self.alipay_button.setVisible("alipay" in getattr(self.services.till, "channels", ()))
        self.both_button.setVisible(both)
        pay.addWidget(self.native_button, 0, 0)
        pay.addWidget(self.code_button, 0, 1)
        pay.addWidget(self.alipay_button, 1, 0, 1, 1 if both else 2)   # (Alipay alone: wide)
        pay.addWidget(self.both_button, 1, 1)
        pay.addWidget(self.cash_button, 2, 0, 1, 2)
        right.addLayout(pay)
        misc = QGridLayout()  # two by two: four in a row do not fit 1024 px in English
        self.phone_button = key_button(self.tr("Customer phone"), "F7", self.show_phone)
        self.phone_button.setVisible(self.services.demo is not None)
        for i, button in enumerate((
                self.phone_button,
                key_button(self.tr("No barcode"), "Ctrl+K", self.sell_open_price),
                key_button(self.tr("Settings"), "F11", self.open_settings),
                key_button(self.tr("Sign out"), "Ctrl+L", self.sign_out_requested.emit))):
            misc.addWidget(button, i // 2, i % 2)
        right.addLayout(misc)
        if self.services.actions:
            extra = QHBoxLayout()
            for action in self.services.actions:
                extra.addWidget(key_button(
                    action.label, action.key,
                    lambda a=action: a.run(self, self.session)))  # type: ignore[misc]
            right.addLayout(extra)
        root.addLayout(right, 4)
        self.setCentralWidget(central)

        self.status = SaleStatus(self.statusBar(), self.services.mode is Mode.DEMO,
                                 self.session.name, self.session.role)
        if self.services.mode is Mode.DEMO and "alipay" in getattr(self.services.till,
                                                                    "channels", ()):
            self.status.mode_label.setText(self.tr("DEMO MODE — simulated WeChat Pay and Alipay"))
        self.recovery_label, self.scanner_label = (self.status.recovery_label,
                                                   self.status.scanner_label)

    def _build_actions(self) -> None:
        for key, slot in (
            ("F2", self.focus_entry), ("F3", self.focus_entry),
            ("F4", self.cart_panel.ask_quantity), ("F5", self.cart_panel.ask_line_discount),
            ("F6", self.cart_panel.ask_order_discount), ("Del", self.remove_selected),
            ("F7", self.show_phone), ("F8", self.pay_native), ("Shift+F8", self.pay_alipay_qr),
            ("Ctrl+F8", self.pay_both_qr),
            ("F9", self.pay_code), ("F10", self.pay_cash), ("F11", self.open_settings),
            ("F12", self.clear_sale), ("Ctrl+L", self.sign_out_requested.emit),
            ("Ctrl+P", self.reprint_last), ("Ctrl+F6", self.cart_panel.round_off),
            ("Ctrl+H", self.hold_sale), ("Ctrl+R", self.recall_sale),
            ("Ctrl+N", self.add_unknown_product), ("Ctrl+K", self.sell_open_price),
            *((a.key, lambda a=a: a.run(self, self.session)) for a in self.services.actions),
            *((key, lambda i=i: self._quick_key(i)) for i, key in enumerate(QUICK_KEYS)),
        ):
            act = QAction(self)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _c=False, s=slot: s())
            self.addAction(act)

    def hold_sale(self) -> None:
        """Ctrl+H 挂单: the sale is stored at this till (surviving a restart), the screen
        is free for the next customer."""
        held = self.services.held
        if held is None or self.checkout.showing():
            return
        self.next_action()
        carts: list[Cart] = []
        if not self.cart_panel.edit(lambda: carts.append(self.sale.take_for_hold())):
            return
        cart, cashier = carts[0], self.session.name

        def failed(exc: BaseException) -> None:
            self.cart_panel.edit(lambda: self.sale.restore(cart))  # nothing lost
            self.show_error(str(exc))

        self.worker.run(lambda: held.hold(cart, cashier=cashier),
                        lambda _id: self.entry.notice(self.tr(
                            "Sale on hold (%1) — Ctrl+R recalls it").replace(
                            "%1", format_yuan(cart.total, symbol=True))), failed)
        self.focus_entry()

    def recall_sale(self) -> None:
        """Ctrl+R 取单: the most recently held sale of this till back on screen."""
        held = self.services.held
        if held is None or self.checkout.showing():
            return
        self.next_action()
        if self.cart_model.cart.lines:
            self.show_error(render(msg(SaleText.RECALL_CART_NOT_EMPTY)))
            return

        inactive = self._inactive

        def take() -> tuple[Cart | None, list[str]]:
            cart = held.take_latest()
            return cart, ([] if cart is None else drop_inactive(cart, inactive))

        def got(found: tuple[Cart | None, list[str]]) -> None:
            cart, removed = found
            if cart is None:
                self.show_error(render(msg(SaleText.NOTHING_HELD)))
                return
            if cart.lines and not self.cart_panel.edit(lambda: self.sale.restore(cart)):
                held_again = held
                self.worker.run(lambda: held_again.hold(cart, cashier=self.session.name))
            if removed:   # deactivated since it was held: never sold
                self.show_error(render(msg(SaleText.RECALL_INACTIVE_REMOVED,
                                           names="、".join(removed))))

        self.worker.run(take, got, lambda e: self.show_error(str(e)))

    def _inactive(self, sku: str) -> bool:
        """Is the catalogue's product of ``sku`` deactivated (blocking: off the UI thread)?
        A line with no product in the catalogue (an open-price item) is not."""
        product = self.services.catalog.by_sku(sku)
        return product is not None and not product.active

    def _quick_key(self, index: int) -> None:
        """The product as stored now (off the UI thread), not as the key was drawn: one
        deactivated since (here or by the hub) is refused, a new price is the one sold."""
        product = self.quick_keys.product_at(index)
        if product is None or self.checkout.showing():
            return
        catalog, shown = self.services.catalog, product
        self.worker.run(lambda: catalog.by_sku(shown.sku),
                        lambda now: self._quick_key_found(shown, now),
                        lambda e: self.show_error(str(e)))

    def _quick_key_found(self, shown: Product, now: Product | None) -> None:
        if now is None:
            self.show_error(render(msg(ProductText.NOT_FOUND)))
            self.reload_quick_keys()
            return
        self.add_product(now)
        if now != shown:
            self.reload_quick_keys()   # the keys show the catalogue as it is now

    def _guard_discount(self, cart: Cart, what: str, apply: Callable[[], None]) -> None:
        """A cashier's discount over the limit (share of the sale before discounts) needs a
        manager's PIN on the spot; anything within it applies at once."""
        limit = self.settings.till.cashier_discount_limit_pct
        if (self.session.role != "cashier" or cart.gross <= 0
                or cart.discount_total * 100 <= cart.gross * limit):
            apply()
            return
        if self.manager_menu is None:
            self.show_error(self.tr("A discount over %1% needs a manager's approval").replace(
                "%1", str(limit)))
            return
        share = cart.discount_total * 100 // cart.gross
        text = (self.tr("%1: %2 off in all (%3% of the sale), over the cashier limit of %4%")
                .replace("%1", what)
                .replace("%2", format_yuan(cart.discount_total, symbol=True))
                .replace("%3", str(share)).replace("%4", str(limit)))
        self.discount_approval = ask_approval(self.manager_menu.ctx, Permission.REFUND, text,
                                              self, lambda _manager, _pin: apply())
        self.discount_approval.finished.connect(lambda _r: self.focus_entry())

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
        self.set_sales_enabled(True)
        self.status.recovery_done(events)
        self.refund_offers.refresh()
        self.focus_entry()
        self.check_shift(ask=True)

    def check_shift(self, ask: bool = False) -> None:
        """Is a shift open on this till? (off the UI thread). With ``ask`` and none open,
        the opening float is asked for on the spot."""
        if self.services.manager is None:
            return
        shifts = self.services.manager.shifts
        self.worker.run(shifts.current, lambda s: self._shift_known(s is not None, ask),
                        lambda e: self.show_error(str(e)))

    def _shift_known(self, is_open: bool, ask: bool) -> None:
        if self._closed:
            return  # signed out meanwhile: the window is gone
        self.sale.shift_open = is_open
        if is_open or not ask or self.services.manager is None:
            return
        if self.shift_prompt is not None and self.shift_prompt.isVisible():
            return
        shifts, user = self.services.manager.shifts, self.session.name
        prompt = OpenShiftPrompt(self.worker, lambda amount: shifts.open(user, amount), self)
        self.shift_prompt = prompt

        def done(result: int) -> None:
            self.shift_prompt = None
            self.sale.shift_open = self.sale.shift_open or result == 1
            self.focus_entry()

        prompt.finished.connect(done)
        prompt.open()

    def recovery_failed(self, exc: BaseException) -> None:
        self.set_sales_enabled(True)
        self.status.recovery_failed(exc)

    def show_error(self, text: str) -> None:
        """At the entry field (red, beep) until the next action, and in the status bar."""
        self.entry.alert(text)
        self.status.error(text)

    def show_info(self, text: str) -> None:
        self.status.info(text)

    @property
    def dialog(self) -> PaymentDialog | None:
        """The open payment screen."""
        return self.checkout.dialog

    # ------------------------------------------------------------------ cart edits

    def focus_entry(self) -> None:
        self.entry.focus()

    def next_action(self) -> None:
        """The cashier did something: the last banner has been seen."""
        self.entry.clear_banner()
        self._confirm_clear = False

    def add_product(self, product: Product, quantity: int = 1) -> None:
        self.next_action()
        if self.cart_panel.add(product, quantity):
            self.show_info(self.tr("Added %1").replace("%1", product.name))

    def set_line_discount(self, row: int, text: str) -> bool:
        return self.cart_panel.set_line_discount(row, text)

    def set_order_discount(self, text: str) -> bool:
        return self.cart_panel.set_order_discount(text)

    def remove_selected(self) -> None:
        self.cart_panel.remove_selected()

    def clear_sale(self) -> None:
        """F12: a cart with goods in it is cleared on the second press (the banner asks);
        an unknown outcome needs a second press as well (the controller says so)."""
        if (self.cart_model.cart.lines and not self._confirm_clear
                and self.sale.uncertain_order() is None):  # (the controller asks for that one)
            self.next_action()
            self._confirm_clear = True
            self.entry.warn(self.tr("Clear this sale (%1 items, %2)? Press F12 again to clear, "
                                    "any other key to keep it")
                            .replace("%1", str(self.cart_model.cart.item_count))
                            .replace("%2", format_yuan(self.cart_model.cart.total, symbol=True)))
            return
        self.next_action()
        cleared: list[bool] = []
        if self.cart_panel.edit(lambda: cleared.append(self.sale.clear_sale())) and cleared[0]:
            self.focus_entry()

    # ------------------------------------------------------------------ scans

    def on_scan(self, ev: ScanEvent) -> None:
        """Every scan, whatever its source, lands here (UI thread)."""
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            return  # the settings scan-test panel shows it
        if self.manager_menu is not None and self.manager_menu.offer_scan(ev.code):
            return  # a receipt QR scanned into the refund screen
        if self.devices.offer_scan(ev.code):
            return  # … or into the reprint screen
        if isinstance(self.dialog, CodePayDialog) and self.dialog.isVisible():
            self.dialog.offer_code(ev.code)
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.show_error(self.tr("Finish the current payment first"))
            return
        self.next_action()
        result = classify(ev.code)
        if result.kind is ScanKind.PRODUCT_BARCODE:
            catalog, layout = self.services.catalog, self.settings.till.scale_layout
            code = result.text
            self.worker.run(lambda: look_up(code, catalog, layout), self._barcode_found,
                            lambda e: self.show_error(str(e)))
        elif result.is_payment_code:  # WeChat or Alipay: the till routes it by channel
            # unambiguous (WeChat 10–15 / Alipay 25–30): charge at once, unless the shop
            # wants Enter
            if self.settings.till.confirm_code_with_enter:
                self.pay_code(held_code=ev.code)
            else:
                self.pay_code(first_code=ev.code)
        else:
            self.show_error(render(result.message))

    def _barcode_found(self, found: Found) -> None:
        """A scale label is a line of its own at its exact amount; an unknown barcode is
        remembered for Ctrl+N (a manager adds the product on the spot)."""
        self.unknown_barcode = found.unknown_barcode
        if found.product is None:
            self.show_error(render(found.message) if found.message is not None else "")
            return
        self.add_product(found.product)

    def add_unknown_product(self) -> None:
        """Ctrl+N: the last unknown barcode becomes a product (manager PIN), then sells."""
        code = self.unknown_barcode
        if not code or self.products_menu is None or self.checkout.showing():
            return
        self.next_action()
        self.unknown_barcode = ""
        self.products_menu.add_unknown(code, self.add_product)

    def sell_open_price(self) -> None:
        """Ctrl+K: an item without a barcode (无码商品), an amount under a category."""
        if self.checkout.showing() or self.open_price is not None:
            return
        self.next_action()
        catalog = self.services.catalog
        self.worker.run(catalog.categories, self._ask_open_price,
                        lambda e: self.show_error(str(e)))

    def _ask_open_price(self, categories: list[str]) -> None:
        if self._closed or self.open_price is not None:
            return
        dlg = OpenPriceDialog(categories, self)
        self.open_price = dlg

        def done(result: int) -> None:
            self.open_price = None
            if result and dlg.product is not None:
                self.add_product(dlg.product)
            self.focus_entry()

        dlg.finished.connect(done)
        dlg.open()

    def reload_quick_keys(self) -> None:
        self.worker.run(self.services.catalog.quick_keys, self.quick_keys.show_products,
                        lambda e: self.show_error(str(e)))

    # ------------------------------------------------------------------ checkout

    def pay_native(self) -> None:
        self.next_action()
        self.checkout.pay_native()
        self._shift_first()

    def pay_alipay_qr(self) -> None:
        """Shift+F8: a QR sale with Alipay (refused with a message if not enabled)."""
        self.checkout.pay_native("alipay")

    def _both_channels(self) -> bool:
        channels = getattr(self.services.till, "channels", ())
        return "wechat" in channels and "alipay" in channels

    def pay_both_qr(self) -> None:
        """Ctrl+F8: the WeChat Pay and the Alipay QR side by side; the customer scans
        either, the first paid wins and the till closes the other."""
        if not self._both_channels():
            self.show_error(self.tr("Both QRs need WeChat Pay and Alipay enabled (Settings)"))
            return
        self.next_action()
        self.checkout.pay_native_pair()
        self._shift_first()

    def pay_code(self, first_code: str | None = None, held_code: str | None = None) -> None:
        """F9 (see :meth:`Checkout.pay_code`)."""
        self.next_action()
        self.checkout.pay_code(first_code, held_code)
        self._shift_first()

    def pay_cash(self) -> None:
        self.next_action()
        self.checkout.pay_cash()
        self._shift_first()

    def _shift_first(self) -> None:
        """A payment refused for want of a shift: ask for the opening float now."""
        if self.sale.shift_required and not self.sale.shift_open and self.dialog is None:
            self.check_shift(ask=True)

    def _on_posted(self, payload: object) -> None:
        if isinstance(payload, PaymentEvent):
            self.on_payment_event(payload)

    def on_payment_event(self, ev: PaymentEvent) -> None:
        if self.phone is not None and ev.method is PaymentMethod.NATIVE:
            if ev.code_url and not ev.state.terminal:
                self.phone.show_native(ev.code_url, ev.amount, ev.channel)
            elif ev.state.terminal:
                self.phone.clear_native(ev.channel)
        if self.phone is not None and ev.method is PaymentMethod.CODEPAY and ev.state.terminal:
            self.phone.new_code()  # the code on the phone may be spent: never show it again
        self.sale.on_payment_event(ev)
        self.refund_offers.payment_event(ev)

    @property
    def refund_owed(self) -> RefundOwedBadge:
        """The red "paid twice: refund ¥X" badge."""
        return self.refund_offers.owed

    @property
    def paid_late_label(self) -> QLabel | None:
        """The amber "paid after the cancel" badge (once there was one)."""
        return self.refund_offers.paid_late

    # ------------------------------------------------------------------ SaleObserver

    def cart_changed(self) -> None:
        self.cart_model.refresh()

    def sale_notice(self, message: Message, error: bool) -> None:
        (self.show_error if error else self.show_info)(render(message))

    def payment_started(self, order_id: int, attempt_id: int) -> None:
        self.checkout.started(order_id, attempt_id)

    def payment_start_failed(self, exc: BaseException) -> None:
        self.checkout.start_failed(exc)

    def payment_event(self, event: PaymentEvent) -> None:
        self.checkout.event(event)

    def order_event(self, ev: PaymentEvent) -> None:
        self.show_info(self.tr("Order %1: %2").replace("%1", str(ev.order_id)).replace(
            "%2", ev.state.value) + (f" — {render(ev.message)}" if ev.message is not None else ""))

    def close_payment(self) -> bool:
        return self.checkout.close()

    def sale_finished(self, receipt: Receipt) -> None:
        """Paid: with a printer the receipt prints by itself and the till is on a new sale
        at once (Ctrl+P reprints); without one the receipt is shown."""
        self.statusBar().clearMessage()  # the last "Added …" belongs to the finished sale
        paid = self.tr("Paid %1").replace("%1", format_yuan(receipt.total, symbol=True))
        if receipt.change:
            paid += " — " + self.tr("give %1 change").replace(
                "%1", format_yuan(receipt.change, symbol=True))
        if self.settings.printer.kind == "none":
            self.entry.notice(paid)
            self.refund_offers.say_again(receipt.order_no)   # paid twice: red, not green
            self.show_receipt(receipt)
            return
        self.entry.notice(paid + " · " + self.tr("receipt printing (Ctrl+P reprints)"))
        self.refund_offers.say_again(receipt.order_no)
        self.print_receipt(receipt, self._auto_printed)
        self.focus_entry()

    def _auto_printed(self, error: str | None) -> None:
        if error:
            self.show_error(self.tr("Receipt not printed: %1 (Ctrl+P to retry)").replace(
                "%1", error))

    def task_failed(self, exc: BaseException) -> None:
        self.show_error(str(exc))

    # ------------------------------------------------------------------ receipts, printing

    def show_receipt(self, receipt: Receipt) -> None:
        dlg = ReceiptDialog(receipt, self.print_receipt, self.settings.printer.width, self)
        self.receipt_dialog = dlg
        dlg.finished.connect(lambda _r: self.focus_entry())
        dlg.open()

    def reprint_last(self) -> None:
        """Ctrl+P: the last receipt again (a copy) — printed at once when a printer is
        set, else shown."""
        receipt = self.sale.reprint()
        if receipt is None:
            return
        self.next_action()
        if self.settings.printer.kind == "none":
            self.show_receipt(receipt)
            return
        self.entry.notice(self.tr("Printing a copy of receipt %1").replace("%1", receipt.order_no))
        self.print_receipt(receipt, self._auto_printed)

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
        if not self.checkout.showing():
            open_settings(self)

    def apply_settings(self, new: AppSettings) -> None:
        kiosk_changed = new.till.kiosk != self.settings.till.kiosk
        self.settings = new
        self.sale.printing.configure(new.printer)
        self.devices.apply(new)
        if kiosk_changed and self.isVisible():
            self.present()

    def show_phone(self) -> None:
        if self.services.demo is None:
            return
        if self.phone is None:
            self.phone = CustomerPhoneWindow(self.services.demo, self.worker,
                                             lambda code: self.hub.inject(code), None)
            dialog = self.dialog
            if dialog is not None and dialog.last_event is not None:
                shown = (list(dialog.latest.values()) if isinstance(dialog, PairPayDialog)
                         else [dialog.last_event])
                for ev in shown:
                    if ev.code_url and not ev.state.terminal:
                        self.phone.show_native(ev.code_url, ev.amount, ev.channel)
        self.phone.show()
        self.phone.raise_()

    def _watch_storage(self) -> None:
        """Disk full / low free space in the status area, and refunds that finished in
        the background as status messages (both told off the UI thread)."""
        till = self.services.till
        subscribe = getattr(till, "subscribe_health", None)
        if subscribe is not None:
            def on_health(message: Message | None) -> None:
                self.bridge.call_soon(lambda: self.status.storage(message))
            subscribe(on_health)
            self.closed.connect(lambda: till.unsubscribe_health(on_health))  # type: ignore[attr-defined]
        refunds = self.services.manager.refunds if self.services.manager is not None else None
        if refunds is not None and hasattr(refunds, "subscribe"):
            def on_refund(update: RefundUpdate) -> None:
                def told() -> None:
                    self.show_info(render(update.message))
                    self.refund_offers.refresh()   # a refund that failed is owed again
                self.bridge.call_soon(told)
            refunds.subscribe(on_refund)
            self.closed.connect(lambda: refunds.unsubscribe(on_refund))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dialog is not None and self.dialog.isVisible() and not self.dialog.may_close:
            event.ignore()
            self.show_error(self.tr("A payment is in progress"))
            return
        if self.phone is not None:
            self.phone.close()
        if self.manager_menu is not None:
            self.manager_menu.close()
        self.devices.close()
        self.print_worker.shutdown(wait=False)  # a queued job may still finish
        self._closed = True
        if self.shift_prompt is not None:
            self.shift_prompt.reject()
        event.accept()
        self.closed.emit()
