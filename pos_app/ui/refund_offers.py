"""Money a customer is owed back, said on the sale screen's status area until a manager
deals with it (Shift+F5 opens the refund screen on the order):

* a sale the cashier cancelled that was paid after all (amber, until the refund screen
  is opened for it);
* an order paid twice — both QRs of a pair (red, :class:`RefundOwedBadge`, read again
  from the refund service after start-up, a manager screen closing and a refund's news,
  so it stays across restarts until the money is given back).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication

from pos_app.devices.receipt import receipt_order_no
from pos_app.domain.payment import AttemptState
from pos_app.domain.refund import OwedRefund
from pos_app.payments.api import PaymentEvent
from pos_app.ui.bridge import Worker
from pos_app.ui.manager.menu import ManagerMenu
from pos_app.ui.refund_owed import RefundOwedBadge, owed_text
from pos_app.ui.sale_status import Badge, Line, SaleStatus

log = logging.getLogger("pos_app.ui")


class OwedSource(Protocol):
    def owed_refunds(self) -> list[OwedRefund]: ...


def _tr(text: str) -> str:
    return QCoreApplication.translate("RefundOffers", text)


class RefundOffers:
    def __init__(self, status: SaleStatus, menu: ManagerMenu | None, worker: Worker,
                 refunds: OwedSource | None, *, info: Callable[[str], None],
                 error: Callable[[str], None]) -> None:
        self._status, self._menu, self._worker, self._refunds = status, menu, worker, refunds
        self._info, self._error = info, error
        self.owed = RefundOwedBadge()
        status.add_badge(self.owed, Line.PAYMENTS)
        self.paid_late: Badge | None = None

    def payment_event(self, ev: PaymentEvent) -> None:
        """Every payment event, after the sale had it."""
        if ev.state is not AttemptState.PAID:
            return
        if ev.double_paid:
            self._paid_twice(ev)
        elif ev.paid_late and self._menu is not None:
            self._paid_after_cancel(ev.order_id)

    def say_again(self, order_no: str) -> None:
        """A finished sale's "paid" notice must not hide that it was paid twice: said
        again after it (the second payment can be announced before the sale finishes)."""
        for owed in self.owed.owed.values():
            if receipt_order_no(owed.order_id) == order_no:
                self._error(owed_text(owed))

    def refresh(self) -> None:
        """The red badge from what the refund service says is still owed (read off the
        UI thread); it goes only once a manager has given the money back."""
        if self._refunds is None:
            return
        self._worker.run(self._refunds.owed_refunds, self.owed.replace_all,
                         lambda e: log.warning("refunds owed not read: %s", type(e).__name__))

    def _paid_twice(self, ev: PaymentEvent) -> None:
        """Both QRs of a pair were paid: the second payment is owed back. Said at once,
        in red; the badge stays until a manager refunded it."""
        self.owed.add(ev)
        self._error(owed_text(ev))
        if self._menu is not None:
            self._menu.note_paid_late(ev.order_id)   # Shift+F5 opens its refund
        self.refresh()

    def _paid_after_cancel(self, order_id: int) -> None:
        """A cancelled sale was paid after all: say so until the refund screen is opened
        for it (Shift+F5), which is the way to give the money back."""
        menu = self._menu
        assert menu is not None
        menu.note_paid_late(order_id)
        if self.paid_late is None:
            label = self.paid_late = Badge("")
            label.setObjectName("paidLateOffer")
            label.setStyleSheet("color: #9a6700; font-weight: bold;")
            self._status.add_badge(label, Line.PAYMENTS)
            menu.paid_late_action.triggered.connect(lambda _c=False: label.hide())
        text = _tr("Order %1 was paid after the cancel: the sale is paid. To give the "
                   "money back, refund it (Shift+F5)").replace("%1", str(order_id))
        self.paid_late.setText(_tr("⚠ Order %1 was paid after the cancel: refund it "
                                   "(Shift+F5)").replace("%1", str(order_id)))
        self.paid_late.setToolTip(text)
        self._info(text)
