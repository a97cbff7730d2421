"""Manager screens: refunds, shifts (X/Z), reconciliation, manager override, staff.

The screens only lay out widgets and call :class:`~pos_app.manager.services.ManagerServices`
on the :class:`~pos_app.ui.bridge.Worker` (every manager service call blocks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pos_app.domain.cash import CashMovement
from pos_app.domain.refund import Refund as RefundRecord
from pos_app.domain.staff import Permission
from pos_app.manager.messages import ManagerError
from pos_app.manager.pins import session_may
from pos_app.manager.services import ManagerServices
from pos_app.ui.bridge import Worker
from pos_app.ui.services import RefundDesk, Session, StaffService
from pos_app.ui.text import render

if TYPE_CHECKING:
    from pos_app.hub.sender import SyncStatus
    from pos_app.storage.outbox import OutboxRepository

#: ``print_text(text, on_done)`` prints plain report text on a worker; ``on_done``
#: gets an error text or None (on the UI thread).
TextPrinter = Callable[[str, Callable[[str | None], None]], None]


def _no_scale_layout() -> str:
    return ""


class HubLink(Protocol):
    """What the manager screens use of the store hub link (pos_app.hub.link.HubService)."""

    @property
    def outbox(self) -> OutboxRepository: ...
    def status(self) -> SyncStatus | None: ...
    def poke(self) -> None: ...


@dataclass
class ManagerContext:
    """What every manager screen needs (built by the main window)."""

    services: ManagerServices
    session: Session
    worker: Worker
    staff: Callable[[], list[tuple[str, str]]]       # blocking: (name, role) of every user
    accounts: StaffService | None = None              # the staff screen's service
    print_text: TextPrinter | None = None
    report_width: int = 32
    #: told the records of every refund made on the refund screen (refund slip, drawer)
    on_refunded: Callable[[list[RefundRecord]], None] | None = None
    #: told every cash in / cash out recorded on the cash screen (the drawer opens)
    on_cash_moved: Callable[[CashMovement], None] | None = None
    #: the till's label scale format now (a setting): a weight format prices per kg
    scale_layout: Callable[[], str] = _no_scale_layout
    #: the store hub link once it runs (install_hub): the Z report warns while changes
    #: are unsent and the hub can be reached
    hub: HubLink | None = None

    @property
    def refunds(self) -> RefundDesk:
        return self.services.refunds

    def may(self, permission: Permission) -> bool:
        """The signed-in user can do this without a manager override."""
        return session_may(self.session.role, permission)


def error_text(exc: BaseException) -> str:
    """A refused action's message in the UI language (a ManagerError carries a message key)."""
    if isinstance(exc, ManagerError):
        return render(exc.message)
    return f"{type(exc).__name__}: {exc}"

