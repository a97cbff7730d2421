"""The sale window's devices beside the scanners: the receipt printer's state in the status
area, the cash drawer (cash sale, cash refund, no-sale with a manager's PIN), the refund
slip, reprints from the order history (补打), and the customer display (created after
the till's window is up, on the screen the settings choose).

Everything blocking runs on the window's print worker or the network print queue's
thread; their news comes back through the bridge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import QMenu

from pos_app.devices.drawer import DrawerReason
from pos_app.devices.printer.queue import QueueState, QueueStatus
from pos_app.devices.printer.status import Condition
from pos_app.devices.refund_slip import refund_slip, render_refund_slip
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.refund import Refund as RefundRecord
from pos_app.domain.refund import RefundState
from pos_app.domain.staff import Permission
from pos_app.domain.text import Message
from pos_app.manager.refunds import RefundUpdate
from pos_app.sale.cash_drawer import DrawerControl, drawer_config
from pos_app.ui.manager.manager_override import ManagerOverrideDialog, ask_approval
from pos_app.ui.reprint_dialog import ReprintDialog
from pos_app.ui.sale_status import Badge, Line
from pos_app.ui.settings_model import AppSettings
from pos_app.ui.text import render
from pos_app.ui.texts import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from pos_app.ui.customer_display import CustomerDisplay
    from pos_app.ui.main_window import MainWindow

_SHORT_CONDITIONS = {
    Condition.PAPER_OUT: QT_TRANSLATE_NOOP("TillDevices", "out of paper"),
    Condition.COVER_OPEN: QT_TRANSLATE_NOOP("TillDevices", "cover open"),
    Condition.ERROR: QT_TRANSLATE_NOOP("TillDevices", "error"),
    Condition.OFFLINE: QT_TRANSLATE_NOOP("TillDevices", "offline"),
    Condition.UNREACHABLE: QT_TRANSLATE_NOOP("TillDevices", "not reachable"),
}
_ANY_CONDITION = QT_TRANSLATE_NOOP("TillDevices", "not printing")


def _short_condition(condition: Condition) -> str:
    return QCoreApplication.translate("TillDevices",
                                      _SHORT_CONDITIONS.get(condition, _ANY_CONDITION))


NO_SALE_KEY = "Ctrl+D"
REPRINT_KEY = "Ctrl+Shift+P"


class TillDevices(QObject):
    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.display: CustomerDisplay | None = None
        self.approval: ManagerOverrideDialog | None = None
        self.reprint_dialog: ReprintDialog | None = None
        self._shown = False
        self.printer_label = Badge("")
        self.printer_label.setObjectName("printerStatus")
        win.status.add_badge(self.printer_label, Line.TROUBLE)
        printing = win.sale.printing
        printing.set_status_listener(
            lambda st: win.bridge.call_soon(lambda: self.queue_status(st)))
        manager = win.services.manager
        audit = manager.store.audit if manager is not None else None
        self.drawer = DrawerControl(printing, win.print_worker, config=None, audit=audit,
                                    on_error=self._drawer_error, on_opened=self._drawer_opened,
                                    till_id=str(getattr(win.services.till, "till_id", "")))
        win.sale.watchers.append(self.drawer)
        self.actions: list[QAction] = []
        for key, text, slot in (
                (REPRINT_KEY, self.tr("Reprint a receipt…"), self.open_reprint),
                (NO_SALE_KEY, self.tr("Open the cash drawer (no sale)…"), self.ask_no_sale)):
            act = QAction(text, win)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _c=False, s=slot: s())
            win.addAction(act)
            self.actions.append(act)
        if win.manager_menu is not None:
            win.manager_menu.ctx.on_refunded = self.refunded
            win.manager_menu.ctx.on_cash_moved = self.drawer.cash_moved
            bar_actions = win.menuBar().actions()
            menu = bar_actions[0].menu() if bar_actions else None
            if isinstance(menu, QMenu):  # listed in the Manager menu, where people look
                menu.addSeparator()
                menu.addActions(self.actions)
        refunds = manager.refunds if manager is not None else None
        if refunds is not None and hasattr(refunds, "subscribe"):
            def on_update(update: RefundUpdate) -> None:
                win.bridge.call_soon(lambda: self.refunded([update.record]))
            refunds.subscribe(on_update)
            win.closed.connect(lambda: refunds.unsubscribe(on_update))
        self.apply(win.settings)
        win.installEventFilter(self)

    # -- settings -------------------------------------------------------------------------
    def apply(self, settings: AppSettings) -> None:
        sale = self.win.sale
        r = settings.receipt
        sale.shop_name = r.shop_name.strip() or self.win.services.shop_name
        sale.shop_address, sale.shop_phone = r.address.strip(), r.phone.strip()
        self.drawer.config = drawer_config(settings.drawer.pin) if settings.drawer.enabled else None
        if self.display is not None:
            self.display.view.set_shop_name(sale.shop_name)
        if self._shown:
            self.place_display()

    # -- customer display --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.win and event.type() == QEvent.Type.Show and not self._shown:
            self._shown = True  # the till is up: the display comes after (start-up time)
            QTimer.singleShot(0, self, self.place_display)
            app = QGuiApplication.instance()
            if isinstance(app, QGuiApplication):
                app.screenAdded.connect(self._screens_changed)
                app.screenRemoved.connect(self._screens_changed)
        return False

    def _screens_changed(self, _screen: QScreen) -> None:
        QTimer.singleShot(0, self, self.place_display)

    def place_display(self) -> None:
        """The customer display on the chosen screen (created the first time one is)."""
        if self.win.isHidden() and not self._shown:
            return
        # imported here: a till with one screen never loads it (start-up time)
        from pos_app.ui.customer_display import CustomerDisplay, choose_screen

        setting = self.win.settings.display.screen
        till = self.win.screen()
        if self.display is None:
            if choose_screen(setting, till) is None:
                return  # one screen, or off: nothing is built
            self.display = CustomerDisplay(self.win.sale.shop_name, self.win.sale,
                                           self.win.cart_model, self)
        self.display.place(setting, till, focus_back=self.win)  # the keys stay on the till

    def show_qr(self, payload: str = "", image: bytes | None = None) -> None:
        """A channel's QR for the running payment, for the customer (any channel)."""
        if self.display is not None:
            self.display.view.show_qr(payload, image)

    # -- printer state ------------------------------------------------------------------------
    def queue_status(self, st: QueueStatus) -> None:
        """The network print queue's state: a short badge in the status area (the full
        message as its tooltip and, when the trouble starts, as the status message)."""
        label = self.printer_label
        message = st.message
        if message is not None:
            full = render(message)
            if label.toolTip() != full:  # new trouble: said in the status bar too (not the
                self.win.status.error(full)  # entry banner: it may be telling the change)
            label.setStyleSheet("color: #cf222e; font-weight: bold;")
            label.setToolTip(full)
            label.setText(self.tr("⚠ Printer %1 · %2 waiting").replace(
                "%1", _short_condition(st.condition)).replace("%2", str(st.pending)))
            return
        label.setToolTip("")
        if st.state is QueueState.PRINTING and st.pending > 1:
            label.setStyleSheet("")
            label.setText(self.tr("Printing — %1 waiting").replace("%1", str(st.pending)))
        else:
            label.setStyleSheet("")
            label.setText("")

    # -- cash drawer -------------------------------------------------------------------------
    def ask_no_sale(self) -> None:
        """Ctrl+D: open the drawer without a sale — a manager's PIN, then audited."""
        win = self.win
        if win.checkout.showing():
            return
        if not self.drawer.enabled:
            win.show_error(self.tr("No cash drawer is set up (Settings, F11)"))
            return
        if win.manager_menu is None:
            win.show_error(self.tr("Opening the drawer without a sale needs a manager"))
            return
        cashier = win.session.name
        self.approval = ask_approval(
            win.manager_menu.ctx, Permission.NO_SALE, self.tr("Open the cash drawer (no sale)"),
            win, lambda manager, _pin: self.drawer.no_sale(cashier=cashier, approved_by=manager))
        self.approval.finished.connect(lambda _r: win.focus_entry())

    def _drawer_error(self, message: Message) -> None:
        self.win.show_error(render(message))

    def _drawer_opened(self, reason: DrawerReason) -> None:
        if reason is DrawerReason.NO_SALE:
            self.win.show_info(self.tr("Cash drawer opened (no sale, recorded)"))

    # -- refunds: slip and drawer ---------------------------------------------------------------
    def refunded(self, records: list[RefundRecord]) -> None:
        """Refunds made on the refund screen, or followed to their end in the background
        (each is told once by one of the two: the screen's are final when told — cash — or
        followed by the service): a slip for each that went through, the drawer for cash."""
        for rec in records:
            if rec.state is not RefundState.SUCCESS:
                continue
            if rec.method is PaymentMethod.CASH:
                self.drawer.cash_refund(rec.out_refund_no)
            self._print_slip(rec)

    def _print_slip(self, rec: RefundRecord) -> None:
        win = self.win
        manager = win.services.manager
        if manager is None or win.settings.printer.kind == "none":
            return
        refunds, sale, cfg = manager.refunds, win.sale, win.settings.printer

        def slip_bytes() -> bytes:
            order = refunds.refundable(rec.order_id).order
            slip = refund_slip(rec, order, shop_name=sale.shop_name,
                               shop_address=sale.shop_address, shop_phone=sale.shop_phone)
            return render_refund_slip(slip, width=cfg.width, encoding=cfg.encoding)

        def print_it(job: bytes) -> None:
            sale.printing.print_bytes(lambda: job, f"refund {rec.out_refund_no}",
                                      lambda e: self._slip_printed(rec, e))

        win.worker.run(slip_bytes, print_it, lambda e: self._slip_printed(rec, e))

    def _slip_printed(self, rec: RefundRecord, exc: BaseException | None) -> None:
        if exc is not None:
            self.win.show_error(self.tr("Refund slip not printed: %1").replace("%1", str(exc)))

    # -- reprint from the order history ---------------------------------------------------------
    def open_reprint(self) -> None:
        """Ctrl+Shift+P: find a past order and print its receipt again (a copy)."""
        win = self.win
        if win.checkout.showing() or win.services.manager is None:
            return
        dlg = ReprintDialog(win.services.manager.refunds, win.worker, win.sale,
                            win.print_receipt, win)
        self.reprint_dialog = dlg
        dlg.finished.connect(lambda _r: win.focus_entry())
        dlg.open()

    def offer_scan(self, code: str) -> bool:
        """A scan while the reprint screen is open goes there. True if it took it."""
        dlg = self.reprint_dialog
        if dlg is not None and dlg.isVisible():
            dlg.offer_code(code)
            return True
        return False

    def close(self) -> None:
        self.win.sale.printing.set_status_listener(None)
        if self.display is not None:
            self.display.detach()
            self.display = None
        if self.drawer in self.win.sale.watchers:
            self.win.sale.watchers.remove(self.drawer)
        self.win.sale.printing.stop()
