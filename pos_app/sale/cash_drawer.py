"""When the cash drawer opens: a cash sale, a cash refund, and "no sale" (a manager's
PIN, audited). Qt-free; a :class:`~pos_app.sale.controller.SaleWatcher`.

The kick goes straight to the receipt printer (:meth:`Printing.send_now`, never behind
queued receipts) on the print runner; a drawer that did not open is told through
``on_error`` (the cashier opens it with its key). A no-sale opening is written to the
audit log *before* the kick (who asked, who approved), so an opening is never unrecorded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from pos_app.devices.drawer import CashDrawer, DrawerConfig, DrawerError, DrawerReason, DrawerText
from pos_app.devices.printer.escpos import DrawerPin
from pos_app.devices.printer.factory import PrinterNotConfigured, is_configured
from pos_app.devices.printer.network import Delivery
from pos_app.devices.printer.sinks import PrinterError
from pos_app.devices.receipt import Receipt
from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.text import Message, msg
from pos_app.payments.api import PaymentEvent
from pos_app.sale.printing import Printing
from pos_app.sale.runner import Runner

log = logging.getLogger(__name__)

NO_SALE_AUDIT = "drawer.no_sale"

Audit = Callable[[str, str, Mapping[str, Any]], None]   # (actor, action, detail), blocking


def drawer_config(pin: int) -> DrawerConfig:
    """The drawer setting's pin (2 or 5) as the device config."""
    return DrawerConfig(pin=DrawerPin.PIN5 if pin == 5 else DrawerPin.PIN2)


class _PrintingPort:
    """The drawer's port: whatever printer ``printing`` has now (blocking deliver)."""

    def __init__(self, printing: Printing) -> None:
        self._printing = printing

    def deliver(self, job: bytes) -> Delivery:
        if not is_configured(self._printing.config):
            raise PrinterNotConfigured("no printer: the drawer has nothing to kick it")
        return self._printing.printer().deliver(job)


class DrawerControl:
    """``config`` None = no drawer. ``on_error(message)`` and ``on_opened(reason)`` come
    back through ``runner``'s callbacks (the caller's thread)."""

    def __init__(self, printing: Printing, runner: Runner, *, config: DrawerConfig | None,
                 audit: Audit | None, on_error: Callable[[Message], None],
                 on_opened: Callable[[DrawerReason], None] | None = None,
                 till_id: str = "") -> None:
        self._printing = printing
        self._runner = runner
        self.config = config
        self._audit = audit
        self._on_error = on_error
        self._on_opened = on_opened
        self._till_id = till_id

    @property
    def enabled(self) -> bool:
        return self.config is not None

    # -- SaleWatcher ----------------------------------------------------------------------
    def payment_began(self, method: PaymentMethod, amount: Fen) -> None:
        return None

    def payment_event(self, event: PaymentEvent) -> None:
        return None

    def payment_ended(self, paid: bool) -> None:
        return None

    def sale_finished(self, receipt: Receipt, method: PaymentMethod) -> None:
        if method is PaymentMethod.CASH:
            self.open(DrawerReason.CASH_SALE, reference=receipt.order_no)

    # -- the other openings -----------------------------------------------------------------
    def cash_refund(self, out_refund_no: str) -> None:
        self.open(DrawerReason.CASH_REFUND, reference=out_refund_no)

    def no_sale(self, *, cashier: str, approved_by: str) -> None:
        """Open without a sale: ``approved_by`` is the manager whose PIN was checked."""
        if not approved_by.strip():
            self._on_error(msg(DrawerText.NO_SALE_NEEDS_AUTHORISATION))
            return
        self.open(DrawerReason.NO_SALE, authorised_by=approved_by, actor=cashier)

    def open(self, reason: DrawerReason, *, reference: str = "", authorised_by: str = "",
             actor: str = "") -> None:
        config = self.config
        if config is None:
            if reason is DrawerReason.NO_SALE:
                self._on_error(msg(DrawerText.NOT_OPENED))
            return
        drawer = CashDrawer(_PrintingPort(self._printing), config)
        audit, till_id = self._audit, self._till_id

        def work() -> None:
            if reason is DrawerReason.NO_SALE:
                if audit is None:
                    raise DrawerError(msg(DrawerText.NO_SALE_NEEDS_AUTHORISATION))
                audit(actor or authorised_by, NO_SALE_AUDIT,
                      {"approved_by": authorised_by, "till_id": till_id})
            drawer.open(reason, reference=reference, authorised_by=authorised_by)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, DrawerError):
                self._on_error(exc.message)
            elif isinstance(exc, PrinterError):  # e.g. no printer configured
                self._on_error(msg(DrawerText.NOT_OPENED))
            else:
                log.warning("cash drawer (%s): %s", reason.value, type(exc).__name__)
                self._on_error(msg(DrawerText.NOT_OPENED))

        def opened(_r: object) -> None:
            if self._on_opened is not None:
                self._on_opened(reason)

        self._runner.run(work, opened, failed)
