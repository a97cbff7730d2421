"""Staff: roles, what each role may do, and the user record (PIN hash, lockout state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    CASHIER = "cashier"
    MANAGER = "manager"
    ADMIN = "admin"


class Permission(StrEnum):
    SELL = "sell"
    X_REPORT = "x_report"
    REFUND = "refund"
    CLOSE_SHIFT = "close_shift"          # also: sees the expected cash on an X
    CASH_OUT = "cash_out"                # take cash out of the drawer (存取款)
    RECONCILE = "reconcile"
    MANAGE_USERS = "manage_users"
    SETTINGS = "settings"
    NO_SALE = "no_sale"          # open the cash drawer without a sale


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASHIER: frozenset({Permission.SELL, Permission.X_REPORT}),
    Role.MANAGER: frozenset(
        {Permission.SELL, Permission.X_REPORT, Permission.REFUND, Permission.CLOSE_SHIFT,
         Permission.RECONCILE, Permission.SETTINGS, Permission.NO_SALE, Permission.CASH_OUT}
    ),
    Role.ADMIN: frozenset(Permission),
}


def role_allows(role: Role | str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


@dataclass(frozen=True)
class StaffUser:
    """A row of ``users``."""

    name: str
    role: Role
    pin_hash: str
    failed_attempts: int = 0
    locked_until: datetime | None = None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until
