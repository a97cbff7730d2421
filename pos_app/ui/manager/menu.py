"""The Manager menu of the sale screen: Refund, Shift X/Z, Reconcile, Staff, Cash in/out.

Shortcuts are Shift+F1…F4 (plain F-keys belong to the sale screen), Shift+F10 for cash
in / cash out (存取款, next to F10 cash). Who may do what:
a refund and a Z close need a manager PIN (a cashier gets the on-the-spot override);
reconciliation is for manager/admin sessions only; a cashier may open a shift, print
an X report (blind: no expected cash), record a cash in and change their own PIN; a cash
out needs a manager PIN.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow

from pos_app.domain.staff import Permission
from pos_app.ui.manager import ManagerContext
from pos_app.ui.manager.cash_dialog import CashMovementDialog
from pos_app.ui.manager.reconcile_dialog import ReconcileDialog
from pos_app.ui.manager.refund_dialog import RefundDialog
from pos_app.ui.manager.shift_dialog import ShiftDialog
from pos_app.ui.manager.users_dialog import UsersDialog

SHORTCUTS = {"refund": "Shift+F1", "shift": "Shift+F2", "reconcile": "Shift+F3",
             "staff": "Shift+F4", "cash": "Shift+F10"}
#: Opens the refund screen on the last order paid after the cashier cancelled (paid late).
PAID_LATE_REFUND = "Shift+F5"


class ManagerMenu(QObject):
    """Adds the menu to ``window``; ``blocked()`` says when a payment dialog is open."""

    dialog_closed = Signal()

    def __init__(self, window: QMainWindow, ctx: ManagerContext,
                 blocked: Callable[[], bool], on_error: Callable[[str], None]) -> None:
        super().__init__(window)
        self._window = window
        self.window = window
        self.ctx = ctx
        self._blocked = blocked
        self._on_error = on_error
        self.dialog: QDialog | None = None
        menu = window.menuBar().addMenu(self.tr("&Manager"))
        self.menu = menu
        self.actions: dict[str, QAction] = {}
        for key, text, slot in (
            ("refund", self.tr("Refund…"), self.open_refund),
            ("shift", self.tr("Shift: open, X / Z report…"), self.open_shift),
            ("reconcile", self.tr("Reconcile with the payment bills…"), self.open_reconcile),
            ("staff", self.tr("Staff and PINs…"), self.open_staff),
            ("cash", self.tr("Cash in / out (存取款)…"), self.open_cash),
        ):
            act = QAction(text, window)
            act.setShortcut(QKeySequence(SHORTCUTS[key]))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _c=False, s=slot: s())
            menu.addAction(act)
            window.addAction(act)
            self.actions[key] = act
        self.actions["reconcile"].setEnabled(ctx.may(Permission.RECONCILE))
        self.paid_late_order: int | None = None
        self.paid_late_action = QAction(self.tr("Refund the order paid late…"), window)
        self.paid_late_action.setShortcut(QKeySequence(PAID_LATE_REFUND))
        self.paid_late_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.paid_late_action.setEnabled(False)
        self.paid_late_action.triggered.connect(lambda _c=False: self.open_paid_late_refund())
        menu.addAction(self.paid_late_action)
        window.addAction(self.paid_late_action)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog

        def finished(_r: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            self.dialog_closed.emit()  # e.g. a shift opened or closed there
            # not deleteLater(): a worker callback may still be queued for it; without a
            # parent Python frees it once the last pending callback has run
            dialog.setParent(None)

        dialog.finished.connect(finished)
        dialog.open()

    def open_dialog(self, dialog: QDialog) -> None:
        """Show ``dialog`` as this menu's one open screen (see :meth:`may_open`)."""
        self._open(dialog)

    def may_open(self) -> bool:
        return self._may_open()

    def _may_open(self) -> bool:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return False
        if self._blocked():
            self._on_error(self.tr("Finish the current payment first"))
            return False
        return True

    def open_refund(self, order_id: int | None = None) -> None:
        if self._may_open():
            dialog = RefundDialog(self.ctx, self._window)
            self._open(dialog)
            if order_id is not None:
                dialog.load(order_id)

    def note_paid_late(self, order_id: int) -> None:
        """A sale the cashier had cancelled was paid after all: offer its refund."""
        self.paid_late_order = order_id
        self.paid_late_action.setEnabled(True)

    def open_paid_late_refund(self) -> None:
        if self.paid_late_order is not None:
            self.open_refund(self.paid_late_order)

    def open_shift(self) -> None:
        if self._may_open():
            self._open(ShiftDialog(self.ctx, self._window))

    def open_reconcile(self) -> None:
        if not self.ctx.may(Permission.RECONCILE):
            self._on_error(self.tr("Reconciliation is for managers"))
            return
        if self._may_open():
            self._open(ReconcileDialog(self.ctx, self._window))

    def open_cash(self) -> None:
        if self._may_open():
            self._open(CashMovementDialog(self.ctx, self._window))

    def open_staff(self) -> None:
        if self._may_open():
            self._open(UsersDialog(self.ctx, self._window))

    def offer_scan(self, code: str) -> bool:
        """Route a scan to the open refund screen (receipt QR). True if it took it."""
        if self.dialog is None or not self.dialog.isVisible():
            return False
        offer = getattr(self.dialog, "offer_code", None)   # refund: receipt QR; products
        if offer is not None:
            offer(code)
        return True   # swallowed by any other manager screen

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
