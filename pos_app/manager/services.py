"""Composition helper: the manager services over the till's database and gateway."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from pos_app.manager.pins import LockoutPolicy, PinAuthenticator, StaffAdmin
from pos_app.manager.reconcile import ReconcileService
from pos_app.manager.refunds import RefundService
from pos_app.manager.shifts import ShiftService
from pos_app.manager.sqlite_store import SqliteManagerStore
from pos_app.payments.gateway import PaymentGateway
from pos_app.storage.db import Database


@dataclass(frozen=True)
class ManagerServices:
    """Everything the manager screens call (all blocking: run them off the UI thread)."""

    store: SqliteManagerStore
    auth: PinAuthenticator
    refunds: RefundService
    shifts: ShiftService
    reconcile: ReconcileService | None     # None when offline (no gateway)
    staff: StaffAdmin


def _utcnow() -> datetime:
    return datetime.now(UTC)


def build_manager_services(
    db: Database,
    gateway: PaymentGateway | None,
    *,
    clock: Callable[[], datetime] = _utcnow,
    policy: LockoutPolicy | None = None,
) -> ManagerServices:
    """``gateway`` None = offline: cash refunds, shifts and reports still work."""
    store = SqliteManagerStore(db, clock)
    auth = PinAuthenticator(store, policy=policy, clock=clock)
    refunds = RefundService(store, gateway, auth, clock=clock)
    shifts = ShiftService(store, auth, clock=clock)
    reconcile = ReconcileService(store, gateway, clock=clock) if gateway is not None else None
    return ManagerServices(store, auth, refunds, shifts, reconcile, StaffAdmin(store, auth))
