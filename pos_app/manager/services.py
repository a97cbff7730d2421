"""Composition helper: the manager services over the till's database and gateway."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pos_app.domain.clock import Clock, SystemClock
from pos_app.domain.pin_hash import PepperSource
from pos_app.manager.cash_movements import CashMovementService
from pos_app.manager.pins import LockoutPolicy, PinAuthenticator, StaffAdmin
from pos_app.manager.reconcile import ReconcileService
from pos_app.manager.refunds import DEFAULT_POLL_SCHEDULE, RefundService
from pos_app.manager.shifts import ShiftService
from pos_app.manager.shop_store import ShopStore
from pos_app.payments.gateway import PaymentChannel, PaymentGateway
from pos_app.payments.registry import ChannelRegistry
from pos_app.storage.db import Database
from pos_app.storage.migrate import DEFAULT_TILL_ID


@dataclass(frozen=True)
class ManagerServices:
    """Everything the manager screens call (all blocking: run them off the UI thread)."""

    store: ShopStore
    auth: PinAuthenticator
    refunds: RefundService
    shifts: ShiftService
    reconcile: ReconcileService | None     # None when offline (no gateway)
    staff: StaffAdmin
    cash: CashMovementService


def build_manager_services(
    db: Database,
    gateway: PaymentGateway | Mapping[str, PaymentChannel] | None,
    *,
    till_id: str = DEFAULT_TILL_ID,
    clock: Clock | None = None,
    policy: LockoutPolicy | None = None,
    pepper: PepperSource = None,
    refund_follow_schedule: Sequence[float] = DEFAULT_POLL_SCHEDULE,
) -> ManagerServices:
    """``gateway``: the till's channels by name (one channel alone is WeChat Pay); None =
    offline: cash refunds, shifts and reports still work.
    Shifts, X/Z and refunds are ``till_id``'s; ``pepper`` is the PIN pepper
    (:func:`pos_app.storage.pepper.load_pepper`) or a function giving the peppers
    (:class:`~pos_app.domain.pin_hash.Peppers`: the shop's too, once enrolled at a hub); ``refund_follow_schedule`` the waits of
    the refunds' background follow (the last one repeats until final)."""
    clock = clock or SystemClock()
    store = ShopStore(db, clock, till_id=till_id)
    auth = PinAuthenticator(store, policy=policy, clock=clock, pepper=pepper)
    channels = ChannelRegistry.of(gateway)
    refunds = RefundService(store, dict(channels), auth, clock=clock,
                            follow_schedule=refund_follow_schedule)
    shifts = ShiftService(store, auth, clock=clock)
    reconcile = ReconcileService(store, dict(channels), clock=clock) if channels else None
    return ManagerServices(store, auth, refunds, shifts, reconcile, StaffAdmin(store, auth),
                           CashMovementService(store, auth, clock=clock))
