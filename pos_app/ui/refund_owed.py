"""The sale screen's red "paid twice — refund owed" badge.

A customer who paid both QRs of a pair (Ctrl+F8) paid the order twice: the till says so
at once (the second PAID event carries ``double_paid``), and keeps saying so — across
a restart, from the refund service's list of what is owed — until a manager has given
the money back (Shift+F5 opens the refund screen on the order).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from PySide6.QtCore import QCoreApplication

from pos_app.domain.money import format_yuan
from pos_app.ui.sale_status import Badge
from pos_app.ui.text import channel_name


class Owed(Protocol):
    """One order paid twice, as much as this badge needs of it."""

    @property
    def order_id(self) -> int: ...

    @property
    def amount(self) -> int: ...

    @property
    def channel(self) -> str: ...


def owed_text(owed: Owed) -> str:
    """The sentence the cashier reads (also the tool tip)."""
    return QCoreApplication.translate(
        "RefundOwed", "Order %1 was paid twice: give %2 back to the customer (%3) — "
        "a manager refunds it (Shift+F5)").replace("%1", str(owed.order_id)).replace(
        "%2", format_yuan(owed.amount, symbol=True)).replace("%3", channel_name(owed.channel))


class RefundOwedBadge(Badge):
    """Red, bold, and on screen while at least one order is owed a refund."""

    def __init__(self) -> None:
        super().__init__("")
        self.setObjectName("refundOwed")
        self.setStyleSheet("color: white; background: #cf222e; font-weight: bold;"
                           " padding: 1px 6px;")
        self.owed: dict[int, Owed] = {}

    def add(self, owed: Owed) -> None:
        """A double payment just happened (the event): shown at once."""
        self.owed[owed.order_id] = owed
        self._show()

    def replace_all(self, owed: Iterable[Owed]) -> None:
        """What the refund service says is still owed (start-up, after a refund)."""
        self.owed = {o.order_id: o for o in owed}
        self._show()

    def first_order(self) -> int | None:
        return next(iter(self.owed), None)

    def _show(self) -> None:
        if not self.owed:
            self.setText("")
            self.setToolTip("")
            return
        first = next(iter(self.owed.values()))
        more = len(self.owed) - 1
        short = QCoreApplication.translate(
            "RefundOwed", "⚠ Order %1 paid twice: refund %2 (Shift+F5)").replace(
            "%1", str(first.order_id)).replace("%2", format_yuan(first.amount, symbol=True))
        if more:
            short += " " + QCoreApplication.translate("RefundOwed", "+%1 more").replace(
                "%1", str(more))
        self.setText(short)
        self.setToolTip("\n".join(owed_text(o) for o in self.owed.values()))
