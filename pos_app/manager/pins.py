"""Staff roles, PIN hashing (scrypt), PIN rules, lockout policy and manager override.

The hashes themselves (schemes ``scrypt``, ``scrypt-pepper`` and the shop-wide
``scrypt-shop``, the :class:`Peppers` they are made with) are :mod:`pos_app.domain.pin_hash`'s
(import them from there). PINs are never logged or put into exception messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from pos_app.domain.clock import Clock, SystemClock
from pos_app.domain.pin_hash import (
    Peppers,
    PepperSource,
    as_peppers,
    hash_pin,
    hash_pin_shop,
    needs_upgrade,
    pin_rule_broken,
    verify_pin,
)
from pos_app.domain.staff import Permission, Role, StaffUser, role_allows
from pos_app.domain.text import Message, msg
from pos_app.manager.messages import ManagerError, ManagerText

__all__ = ["Approval", "AuthError", "LockoutPolicy", "PinAuthenticator", "PinRuleError", "StaffAdmin", "UserStore", "session_may", "validate_pin"]

# --------------------------------------------------------------------------- rules


class PinRuleError(ManagerError):
    """The chosen PIN breaks a rule (message says which)."""


_RULE_TEXT = {"length": ManagerText.PIN_LENGTH, "one_digit": ManagerText.PIN_ONE_DIGIT,
              "sequence": ManagerText.PIN_SEQUENCE}


def validate_pin(pin: str) -> None:
    """Raise :class:`PinRuleError` unless ``pin`` is 4–8 ASCII digits, not all the same
    digit and not a run like 1234 / 98765."""
    broken = pin_rule_broken(pin)
    if broken is not None:
        raise PinRuleError(msg(_RULE_TEXT[broken]))


# --------------------------------------------------------------------------- lockout


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``max_failures`` wrong PINs in a row the user is locked for ``lock_for``."""

    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=5)


def after_failure(user: StaffUser, now: datetime, policy: LockoutPolicy) -> StaffUser:
    """The user's login state after one more wrong PIN."""
    failed = user.failed_attempts + 1
    if failed >= policy.max_failures:
        return replace(user, failed_attempts=0, locked_until=now + policy.lock_for)
    return replace(user, failed_attempts=failed, locked_until=None)


def after_success(user: StaffUser) -> StaffUser:
    return replace(user, failed_attempts=0, locked_until=None)


class UserStore(Protocol):
    """What PIN checks need from storage."""

    def get_user(self, name: str) -> StaffUser | None: ...

    def save_login_state(
        self, name: str, failed_attempts: int, locked_until: datetime | None
    ) -> None: ...

    def count_attempt(self, name: str, decide: Callable[[StaffUser], StaffUser]
                      ) -> tuple[StaffUser, StaffUser] | None:
        """Atomically store ``decide(user)``'s login state before the PIN is checked;
        ``(as it was, as stored)``, or None for no such user."""

    def set_pin_hash(self, name: str, pin_hash: str) -> None: ...


class AuthError(ManagerError):
    """Login / approval refused. ``locked_until`` is set when the account is locked."""

    def __init__(self, message: Message, *, locked_until: datetime | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True)
class Approval:
    """Proof that ``approver`` (with ``role``) authorised ``permission`` at ``at``."""

    approver: str
    role: Role
    permission: Permission
    at: datetime


class PinAuthenticator:
    """Checks PINs against the user store, applying the lockout policy."""

    def __init__(
        self,
        users: UserStore,
        *,
        policy: LockoutPolicy | None = None,
        clock: Clock | None = None,
        pepper: PepperSource = None,
    ) -> None:
        """``pepper``: the secrets kept outside the database (None: PINs hashed without):
        the local pepper as bytes, :class:`Peppers`, or a function giving them at each
        check (the shop pepper may arrive from the hub while the till runs)."""
        self._users = users
        self._policy = policy or LockoutPolicy()
        self._clock = clock or SystemClock()
        self._pepper = pepper

    def peppers(self) -> Peppers:
        return as_peppers(self._pepper)

    def hash_pin(self, pin: str) -> str:
        """A new hash of ``pin``: with the shop pepper when held, else the local one."""
        peppers = self.peppers()
        if peppers.shop is not None:
            return hash_pin_shop(pin, peppers.shop)
        return hash_pin(pin, pepper=peppers.local)

    def authenticate(self, name: str, pin: str) -> StaffUser:
        """Return the user if ``pin`` is right; raise :class:`AuthError` otherwise.

        The try is counted as a failure *before* the PIN is checked, in one database
        transaction (a right PIN then resets the count): however many threads or
        processes guess at once, at most ``max_failures`` PINs are checked per lock."""
        now = self._clock.now()
        counted = self._users.count_attempt(
            name, lambda u: u if u.locked_at(now) else after_failure(u, now, self._policy))
        if counted is None:
            raise AuthError(msg(ManagerText.AUTH_WRONG_PIN))
        user, failed = counted
        if user.locked_at(now):
            raise AuthError(
                msg(ManagerText.AUTH_LOCKED),
                locked_until=user.locked_until,
            )
        peppers = self.peppers()
        if not verify_pin(pin, user.pin_hash, peppers):
            if failed.locked_until is not None:
                raise AuthError(
                    msg(ManagerText.AUTH_NOW_LOCKED),
                    locked_until=failed.locked_until,
                )
            left = self._policy.max_failures - failed.failed_attempts
            raise AuthError(msg(ManagerText.AUTH_WRONG_PIN_TRIES_LEFT, left=left))
        self._users.save_login_state(name, 0, None)
        if needs_upgrade(user.pin_hash, peppers):    # an old hash: to the best pepper held
            self._users.set_pin_hash(name, self.hash_pin(pin))
        return after_success(user)

    def role_of(self, name: str) -> Role | None:
        """``name``'s role (None for no such user)."""
        user = self._users.get_user(name)
        return None if user is None else user.role

    def authorize(self, name: str, pin: str, permission: Permission) -> Approval:
        """Manager override: ``name`` + ``pin`` must be valid and the role must allow
        ``permission`` (used inside a cashier's session, e.g. for a refund)."""
        user = self.authenticate(name, pin)
        if not role_allows(user.role, permission):
            raise AuthError(msg(ManagerText.AUTH_MAY_NOT_APPROVE))
        return Approval(approver=user.name, role=user.role, permission=permission,
                        at=self._clock.now())


def session_may(role: Role | str, permission: Permission) -> bool:
    """True if the logged-in role can do ``permission`` without an override."""
    return role_allows(role, permission)


# --------------------------------------------------------------------------- staff admin


class UserAdminStore(UserStore, Protocol):
    def add_user(self, name: str, role: Role, pin_hash: str) -> int: ...


class StaffAdmin:
    """Create staff, change and reset PINs, unlock accounts (PIN rules enforced)."""

    def __init__(self, users: UserAdminStore, auth: PinAuthenticator) -> None:
        self._users = users
        self._auth = auth

    def add_user(self, approval: Approval, name: str, role: Role, pin: str) -> None:
        _require(approval, Permission.MANAGE_USERS)
        name = name.strip()
        if not name or len(name) > 32:
            raise ManagerError(msg(ManagerText.STAFF_NAME_LENGTH))
        if self._users.get_user(name) is not None:
            raise ManagerError(msg(ManagerText.STAFF_NAME_TAKEN))
        validate_pin(pin)
        self._users.add_user(name, Role(role), self._auth.hash_pin(pin))

    def change_own_pin(self, name: str, old_pin: str, new_pin: str) -> None:
        """The user proves the old PIN (lockout applies), then sets a new valid one."""
        validate_pin(new_pin)
        self._auth.authenticate(name, old_pin)
        if old_pin == new_pin:
            raise PinRuleError(msg(ManagerText.PIN_SAME_AS_OLD))
        self._users.set_pin_hash(name, self._auth.hash_pin(new_pin))

    def reset_pin(self, approval: Approval, name: str, new_pin: str) -> None:
        """An admin sets a new PIN for someone (also unlocks the account)."""
        _require(approval, Permission.MANAGE_USERS)
        if self._users.get_user(name) is None:
            raise ManagerError(msg(ManagerText.STAFF_NO_SUCH_USER))
        validate_pin(new_pin)
        self._users.set_pin_hash(name, self._auth.hash_pin(new_pin))
        self._users.save_login_state(name, 0, None)

    def unlock(self, approval: Approval, name: str) -> None:
        _require(approval, Permission.MANAGE_USERS)
        self._users.save_login_state(name, 0, None)


def _require(approval: Approval, permission: Permission) -> None:
    if approval.permission is not permission:
        raise AuthError(msg(ManagerText.AUTH_APPROVAL_FOR_OTHER_ACTION))
