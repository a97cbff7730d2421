"""Cash in / cash out (存取款) at one till: cash put into the drawer (a change-float
top-up) or taken out of it (paying a supplier) without a sale.

Rules: an amount in integer fen, 1 fen … ¥100,000; a reason (1–60 characters); an open
shift on this till (the movement belongs to it and to its X/Z); a cash out needs a
manager's PIN (:attr:`Permission.CASH_OUT`, a manager's own session approves itself
through the same PIN prompt) and may not take out more than the drawer should hold.
Every movement is stored with its audit entry in one transaction. A refusal changes
nothing.
"""

from __future__ import annotations

from datetime import timedelta

from pos_app.domain.cash import CashDirection, CashMovement
from pos_app.domain.clock import Clock, SystemClock
from pos_app.domain.money import Fen
from pos_app.domain.shift import Shift
from pos_app.domain.staff import Permission
from pos_app.domain.text import MessageKey, msg, register
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.reports import ReportKind, build_report
from pos_app.manager.store import ShiftStore

MAX_AMOUNT = Fen(10_000_000)     # ¥100,000: anything above is a typo (or a scanned barcode)
MAX_REASON_LEN = 60
_TICK = timedelta(microseconds=1)


@register({"cash.amount_out_of_range": ("max_fen",), "cash.reason_too_long": ("max",)})
class CashText(MessageKey):
    AMOUNT_OUT_OF_RANGE = "cash.amount_out_of_range"
    REASON_REQUIRED = "cash.reason_required"
    REASON_TOO_LONG = "cash.reason_too_long"
    MORE_THAN_DRAWER = "cash.more_than_drawer"


class CashMovementError(ManagerError):
    """A refused cash movement: nothing was stored."""


class CashMovementService:
    def __init__(self, store: ShiftStore, auth: PinAuthenticator, *,
                 clock: Clock | None = None) -> None:
        self._store = store
        self._auth = auth
        self._clock = clock or SystemClock()

    def cash_in(self, user: str, amount: Fen, reason: str) -> CashMovement:
        """Cash put into the drawer by ``user``."""
        reason = self._check(amount, reason)
        self._open_shift()
        return self._store.add_cash_movement(CashDirection.IN, amount, reason, done_by=user,
                                             approved_by="", at=self._clock.now())

    def cash_out(self, user: str, amount: Fen, reason: str, manager: str,
                 manager_pin: str) -> CashMovement:
        """Cash taken out by ``user``, approved by ``manager``'s PIN."""
        reason = self._check(amount, reason)
        shift = self._open_shift()
        approval = self._auth.authorize(manager, manager_pin, Permission.CASH_OUT)
        now = self._clock.now()
        drawer = build_report(
            ReportKind.X, shift,
            self._store.paid_payments_between(shift.opened_at, now + _TICK,
                                              self._store.till_id),
            self._store.refunds_between(shift.opened_at, now + _TICK, self._store.till_id),
            generated_at=now, generated_by=user,
            movements=self._store.cash_movements(shift.shift_id)).expected_cash
        if amount > drawer:
            raise CashMovementError(msg(CashText.MORE_THAN_DRAWER))
        return self._store.add_cash_movement(CashDirection.OUT, amount, reason, done_by=user,
                                             approved_by=approval.approver, at=now)

    def movements(self) -> list[CashMovement]:
        """The open shift's movements (none without an open shift)."""
        shift = self._store.current_shift()
        return [] if shift is None else self._store.cash_movements(shift.shift_id)

    @staticmethod
    def _check(amount: int, reason: str) -> str:
        if isinstance(amount, bool) or not isinstance(amount, int) \
                or not 0 < amount <= MAX_AMOUNT:
            raise CashMovementError(msg(CashText.AMOUNT_OUT_OF_RANGE, max_fen=MAX_AMOUNT))
        reason = " ".join(reason.split())
        if not reason:
            raise CashMovementError(msg(CashText.REASON_REQUIRED))
        if len(reason) > MAX_REASON_LEN:
            raise CashMovementError(msg(CashText.REASON_TOO_LONG, max=MAX_REASON_LEN))
        return reason

    def _open_shift(self) -> Shift:
        shift = self._store.current_shift()
        if shift is None:
            raise CashMovementError(msg(ManagerText.SHIFT_NONE_OPEN))
        return shift
