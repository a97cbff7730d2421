"""Shifts (班次) of one till: open with a float, X report any time, Z report closes the
shift. The figures are this till's: its payments, its refunds, its unresolved attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pos_app.domain.clock import Clock, SystemClock
from pos_app.domain.money import Fen
from pos_app.domain.shift import Shift as ShiftRecord
from pos_app.domain.staff import Permission, role_allows
from pos_app.domain.text import msg
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.refunds import owed_refunds
from pos_app.manager.reports import ReportKind, ShiftReport, build_report
from pos_app.manager.store import ShiftStore
from pos_app.storage.outbox import OutboxState

MAX_FLOAT = Fen(10_000_000)   # ¥100,000: anything above is a typo (or a scanned barcode)
_TICK = timedelta(microseconds=1)  # store windows are [start, end): include "now"


class ShiftError(ManagerError):
    """A refused shift action: nothing was changed."""


#: the hub link's state in which the hub answered the last time (hub/sender.py SyncStatus)
HUB_REACHABLE = "ok"


@dataclass(frozen=True)
class ZSyncWarning:
    """Closing the shift now leaves ``unsent`` changes on this till only, while the hub
    could take them: offer to wait for the sync, or to close anyway (audited)."""

    unsent: int


def z_sync_warning(outbox: OutboxState | None, link_state: str | None) -> ZSyncWarning | None:
    """Whether the Z report warns about changes not yet sent to the store hub.

    ``outbox`` is the till's outbox state read just now (its unsent count is the truth, the
    status bar's may lag); ``link_state`` the hub link's last state (None: no link running).
    No warning when the till is not enrolled, when nothing is unsent, or when the hub is
    not reachable (offline, refusing this till, or stopped on a disagreement): waiting
    cannot help then, and a till must be able to close its shift with the hub down."""
    if outbox is None or not outbox.enabled or link_state != HUB_REACHABLE:
        return None
    if outbox.unsent <= 0:
        return None
    return ZSyncWarning(outbox.unsent)


def _check_cash(amount: int, refusal: ManagerText) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_FLOAT:
        raise ShiftError(msg(refusal, max_fen=MAX_FLOAT))


class ShiftService:
    """Opens and closes shifts and produces their X/Z reports."""

    def __init__(
        self,
        store: ShiftStore,
        auth: PinAuthenticator,
        *,
        clock: Clock | None = None,
    ) -> None:
        self._store = store
        self._auth = auth
        self._clock = clock or SystemClock()

    @property
    def _till(self) -> str:
        return self._store.till_id

    def current(self) -> ShiftRecord | None:
        return self._store.current_shift()

    def open(self, user: str, opening_float: Fen) -> ShiftRecord:
        """Open a shift with ``opening_float`` fen in the drawer."""
        _check_cash(opening_float, ManagerText.SHIFT_FLOAT_OUT_OF_RANGE)
        if self._store.current_shift() is not None:
            raise ShiftError(msg(ManagerText.SHIFT_ALREADY_OPEN))
        shift = self._store.open_shift(user, opening_float, self._clock.now())
        self._store.audit(user, "shift.open", {"shift_id": shift.shift_id,
                                               "opening_float": opening_float})
        return shift

    def sees_expected_cash(self, user: str) -> bool:
        """Whoever may close the shift (a manager) sees the expected cash on an X; for
        anyone else (a cashier) the X is blind, like the count at the Z."""
        role = self._auth.role_of(user)
        return role is not None and role_allows(role, Permission.CLOSE_SHIFT)

    def x_report(self, user: str) -> ShiftReport:
        """Mid-shift report; changes nothing. Blind unless ``user`` may close the shift."""
        shift = self._open_shift()
        now = self._clock.now()
        blind = not self.sees_expected_cash(user)
        report = build_report(
            ReportKind.X, shift,
            self._store.paid_payments_between(shift.opened_at, now + _TICK, self._till),
            self._store.refunds_between(shift.opened_at, now + _TICK, self._till),
            generated_at=now, generated_by=user,
            unresolved_payments=self._store.unresolved_attempt_count(self._till),
            discounts=self._store.discounts_paid_between(shift.opened_at, now + _TICK,
                                                         self._till),
            movements=self._store.cash_movements(shift.shift_id), blind=blind,
            owed=owed_refunds(self._store))
        self._store.audit(user, "shift.x_report", {"shift_id": shift.shift_id, "blind": blind})
        return report

    def close(
        self,
        user: str,
        manager: str,
        manager_pin: str,
        counted_cash: Fen,
        *,
        allow_unresolved: bool = False,
        unsent_to_hub: int = 0,
    ) -> ShiftReport:
        """Z report: needs a manager PIN; refuses while payments are unresolved unless
        ``allow_unresolved`` (they would be missing from the report). ``unsent_to_hub`` > 0:
        closed although :func:`z_sync_warning` said that many changes had not reached the
        hub yet ("Close anyway"): audited as ``shift.close_before_hub_sync``."""
        _check_cash(counted_cash, ManagerText.SHIFT_COUNTED_CASH_OUT_OF_RANGE)
        shift = self._open_shift()
        unresolved = self._store.unresolved_attempt_count(self._till)
        if unresolved and not allow_unresolved:
            raise ShiftError(msg(ManagerText.SHIFT_PAYMENTS_UNRESOLVED, count=unresolved))
        approval = self._auth.authorize(manager, manager_pin, Permission.CLOSE_SHIFT)
        now = self._clock.now()
        closed = self._store.close_shift(shift.shift_id, user, counted_cash, now,
                                         approval.approver)
        report = build_report(
            ReportKind.Z, closed,
            self._store.paid_payments_between(shift.opened_at, now + _TICK, self._till),
            self._store.refunds_between(shift.opened_at, now + _TICK, self._till),
            generated_at=now, generated_by=user, counted_cash=counted_cash,
            unresolved_payments=unresolved,
            discounts=self._store.discounts_paid_between(shift.opened_at, now + _TICK,
                                                         self._till),
            movements=self._store.cash_movements(shift.shift_id),
            owed=owed_refunds(self._store))
        self._store.audit(user, "shift.close", {
            "shift_id": shift.shift_id, "approved_by": approval.approver,
            "expected_cash": report.expected_cash, "counted_cash": counted_cash,
            "difference": report.difference, "unresolved_payments": unresolved,
        })
        if unsent_to_hub > 0:
            self._store.audit(user, "shift.close_before_hub_sync", {
                "shift_id": shift.shift_id, "approved_by": approval.approver,
                "unsent": unsent_to_hub,
            })
        return report

    def _open_shift(self) -> ShiftRecord:
        shift = self._store.current_shift()
        if shift is None:
            raise ShiftError(msg(ManagerText.SHIFT_NONE_OPEN))
        return shift
