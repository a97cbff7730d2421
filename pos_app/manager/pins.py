"""Staff roles, PIN hashing (scrypt), PIN rules, lockout policy and manager override.

A stored PIN hash is self-describing: ``<scheme>$<n>$<r>$<p>$<salt b64>$<hash b64>``.
Scheme ``scrypt-pepper``: scrypt over HMAC-SHA256(pepper, PIN), the pepper kept outside
the database (:mod:`pos_app.storage.pepper`) so a copied database alone cannot be
brute-forced; scheme ``scrypt`` (no pepper) still verifies and is re-hashed with the
pepper at the next right PIN. PINs are never logged or put into exception messages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from pos_app.domain.clock import Clock, SystemClock
from pos_app.domain.staff import Permission, Role, StaffUser, role_allows
from pos_app.domain.text import Message, msg
from pos_app.manager.messages import ManagerError, ManagerText

__all__ = ["Approval", "AuthError", "LockoutPolicy", "PinAuthenticator", "PinRuleError", "StaffAdmin", "UserStore", "hash_pin", "is_peppered", "session_may", "validate_pin", "verify_pin"]

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_HASH_BYTES = 32
_SCHEME = "scrypt"
_PEPPERED = "scrypt-pepper"
PIN_MIN_LEN = 4
PIN_MAX_LEN = 8


# --------------------------------------------------------------------------- rules


class PinRuleError(ManagerError):
    """The chosen PIN breaks a rule (message says which)."""


def _is_sequence(pin: str) -> bool:
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {-1})


def validate_pin(pin: str) -> None:
    """Raise :class:`PinRuleError` unless ``pin`` is 4–8 ASCII digits, not all the same
    digit and not a run like 1234 / 98765."""
    if not (PIN_MIN_LEN <= len(pin) <= PIN_MAX_LEN) or not all("0" <= c <= "9" for c in pin):
        raise PinRuleError(msg(ManagerText.PIN_LENGTH))
    if len(set(pin)) == 1:
        raise PinRuleError(msg(ManagerText.PIN_ONE_DIGIT))
    if _is_sequence(pin):
        raise PinRuleError(msg(ManagerText.PIN_SEQUENCE))


# --------------------------------------------------------------------------- hashing


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _material(pin: str, pepper: bytes | None) -> bytes:
    raw = pin.encode("utf-8")
    return raw if pepper is None else hmac.new(pepper, raw, hashlib.sha256).digest()


def hash_pin(pin: str, *, salt: bytes | None = None, pepper: bytes | None = None) -> str:
    """Hash a PIN with scrypt and a random 16-byte salt (self-describing string),
    peppered when ``pepper`` is given."""
    salt = secrets.token_bytes(_SALT_BYTES) if salt is None else salt
    scheme = _SCHEME if pepper is None else _PEPPERED
    digest = hashlib.scrypt(_material(pin, pepper), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=_HASH_BYTES)
    return f"{scheme}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def is_peppered(stored: str) -> bool:
    return stored.startswith(_PEPPERED + "$")


def verify_pin(pin: str, stored: str, pepper: bytes | None = None) -> bool:
    """Constant-time check of ``pin`` against a :func:`hash_pin` string. A peppered hash
    never verifies without its pepper; a malformed stored value verifies as False (never
    raises)."""
    try:
        scheme, n_s, r_s, p_s, salt_s, hash_s = stored.split("$")
        if scheme == _PEPPERED and pepper is None:
            return False
        if scheme not in (_SCHEME, _PEPPERED):
            return False
        n, r, p = int(n_s), int(r_s), int(p_s)
        if not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
            return False
        salt = base64.b64decode(salt_s, validate=True)
        expected = base64.b64decode(hash_s, validate=True)
        material = _material(pin, pepper if scheme == _PEPPERED else None)
        actual = hashlib.scrypt(material, salt=salt, n=n, r=r, p=p,
                                dklen=len(expected), maxmem=256 * n * r * p + 2**20)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


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
        pepper: bytes | None = None,
    ) -> None:
        """``pepper``: the secret kept outside the database (None: PINs hashed without)."""
        self._users = users
        self._policy = policy or LockoutPolicy()
        self._clock = clock or SystemClock()
        self._pepper = pepper

    def hash_pin(self, pin: str) -> str:
        """A new hash of ``pin``, peppered when this authenticator has the pepper."""
        return hash_pin(pin, pepper=self._pepper)

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
        if not verify_pin(pin, user.pin_hash, self._pepper):
            if failed.locked_until is not None:
                raise AuthError(
                    msg(ManagerText.AUTH_NOW_LOCKED),
                    locked_until=failed.locked_until,
                )
            left = self._policy.max_failures - failed.failed_attempts
            raise AuthError(msg(ManagerText.AUTH_WRONG_PIN_TRIES_LEFT, left=left))
        self._users.save_login_state(name, 0, None)
        if self._pepper is not None and not is_peppered(user.pin_hash):
            self._users.set_pin_hash(name, self.hash_pin(pin))   # upgrade an old hash
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
