"""The cash drawer, wired to the receipt printer's drawer kick-out connector.

Opening sends ``ESC p`` (pin 2 or 5, configured pulse) straight to the printer, not
through the print queue, so the drawer never waits behind queued receipts. A printer
that answers status and is not ready (out of paper, cover open, offline) would hold the
kick in its buffer and pop the drawer later, unattended: then nothing is sent and
:class:`DrawerError` says the drawer did not open.

Its state comes from the drawer sensor on connector pin 3 (``DLE EOT 1`` bit 2); which
level means "open" depends on the drawer, hence ``open_when_pin3_high``. Printers that
do not answer status give :attr:`DrawerState.UNKNOWN`.

The device side only: who may open it without a sale (manager PIN) and the audit trail
belong to the callers; :meth:`CashDrawer.open` refuses a no-sale opening that does not
name who authorised it and returns a :class:`DrawerOpening` record for the audit log.
Blocking: call it on a worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from pos_app.devices.printer.escpos import DrawerPin, drawer_kick
from pos_app.devices.printer.network import Delivery
from pos_app.devices.printer.sinks import PrinterError
from pos_app.devices.printer.status import Condition, PrinterStatus
from pos_app.domain.text import Message, MessageKey, msg, register

log = logging.getLogger(__name__)


@register()
class DrawerText(MessageKey):
    NOT_OPENED = "drawer.not_opened"
    NO_SALE_NEEDS_AUTHORISATION = "drawer.no_sale_needs_authorisation"


class DrawerReason(StrEnum):
    CASH_SALE = "cash_sale"
    CASH_REFUND = "cash_refund"
    NO_SALE = "no_sale"        # opened without a sale: manager-authorised, audited
    CASH_IN = "cash_in"        # a recorded cash in / cash out (存取款): the movement's number
    CASH_OUT = "cash_out"


class DrawerState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


class DrawerError(Exception):
    """The drawer was not opened; ``message`` for the cashier, ``condition`` the printer's."""

    def __init__(self, message: Message, condition: Condition | None = None) -> None:
        super().__init__(str(message) + (f" ({condition.value})" if condition else ""))
        self.message = message
        self.condition = condition


class DrawerPort(Protocol):
    """Where the kick goes: the printer the drawer is plugged into."""

    def deliver(self, job: bytes) -> Delivery: ...


class DrawerSensor(Protocol):
    def status(self) -> PrinterStatus | None: ...


@dataclass(frozen=True)
class DrawerConfig:
    pin: DrawerPin = DrawerPin.PIN2
    on_ms: int = 50
    off_ms: int = 500
    open_when_pin3_high: bool = True

    def __post_init__(self) -> None:
        drawer_kick(self.pin, on_ms=self.on_ms, off_ms=self.off_ms)  # refuses bad values

    @property
    def kick(self) -> bytes:
        return drawer_kick(self.pin, on_ms=self.on_ms, off_ms=self.off_ms)


@dataclass(frozen=True)
class DrawerOpening:
    """One opening, for the caller's audit log."""

    reason: DrawerReason
    reference: str            # order / refund number; "" for a no-sale
    authorised_by: str        # who authorised a no-sale; "" otherwise
    at: datetime
    confirmed: bool           # the printer confirmed it received the kick


@dataclass
class CashDrawer:
    port: DrawerPort
    config: DrawerConfig = field(default_factory=DrawerConfig)
    sensor: DrawerSensor | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def open(
        self, reason: DrawerReason, *, reference: str = "", authorised_by: str = "",
    ) -> DrawerOpening:
        """Kick the drawer open; raises :class:`DrawerError` if it was not."""
        reason = DrawerReason(reason)
        if reason is DrawerReason.NO_SALE and not authorised_by.strip():
            raise DrawerError(msg(DrawerText.NO_SALE_NEEDS_AUTHORISATION))
        if reason is not DrawerReason.NO_SALE and not reference.strip():
            raise ValueError(f"drawer opening for {reason.value} needs the order/refund reference")
        try:
            delivery = self.port.deliver(self.config.kick)
        except PrinterError as exc:
            cond = getattr(exc, "condition", Condition.UNREACHABLE)
            log.warning("cash drawer not opened (%s): %s", reason.value, exc)
            raise DrawerError(msg(DrawerText.NOT_OPENED),
                              cond if isinstance(cond, Condition) else None) from exc
        return DrawerOpening(reason, reference, authorised_by.strip(), self.clock(),
                             delivery.confirmed)

    def state(self) -> DrawerState:
        """Open / closed from the drawer sensor; UNKNOWN if it cannot be read."""
        if self.sensor is None:
            return DrawerState.UNKNOWN
        try:
            status = self.sensor.status()
        except PrinterError as exc:
            log.info("drawer sensor not readable: %s", exc)
            return DrawerState.UNKNOWN
        if status is None:
            return DrawerState.UNKNOWN
        is_open = status.drawer_pin3_high == self.config.open_when_pin3_high
        return DrawerState.OPEN if is_open else DrawerState.CLOSED
