from __future__ import annotations

from datetime import timedelta

import pytest

from pos_app.domain.text import msg
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import (
    AuthError,
    LockoutPolicy,
    Permission,
    PinAuthenticator,
    PinRuleError,
    Role,
    hash_pin,
    role_allows,
    validate_pin,
    verify_pin,
)

from .helpers import CASHIER_PIN, MANAGER_PIN, Clock, cached_hash, seeded_store


def test_hash_is_self_describing_salted_and_verifies() -> None:
    h1, h2 = hash_pin("4711"), hash_pin("4711")
    assert h1 != h2                                   # random salt
    assert h1.startswith("scrypt$16384$8$1$")
    assert "4711" not in h1
    assert verify_pin("4711", h1) and verify_pin("4711", h2)
    assert not verify_pin("4712", h1)


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$1$2$3$x$y", "md5$16384$8$1$AA==$AA==",
                                    "scrypt$16384$8$1$!!$AA==", "scrypt$99999999$8$1$AA==$AA=="])
def test_malformed_hash_never_verifies(stored: str) -> None:
    assert verify_pin("4711", stored) is False


@pytest.mark.parametrize("pin", ["4711", "2580", "90210", "13579246", "1243", "0912"])
def test_good_pins(pin: str) -> None:
    validate_pin(pin)


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "１２３５", "0000", "7777777",
                                 "1234", "4321", "0123", "3456789", "98765", " 4711"])
def test_bad_pins(pin: str) -> None:
    with pytest.raises(PinRuleError) as e:
        validate_pin(pin)
    assert pin.strip() == "" or pin not in str(e.value)     # message never echoes the PIN


def test_lockout_after_five_failures_then_unlocks() -> None:
    store, clock = seeded_store(), Clock()
    auth = PinAuthenticator(store, clock=clock)
    for i in range(4):
        with pytest.raises(AuthError) as e:
            auth.authenticate("amy", "9999")
        assert e.value.locked_until is None
        assert store.users["amy"].failed_attempts == i + 1
    with pytest.raises(AuthError) as e:
        auth.authenticate("amy", "9999")
    assert e.value.locked_until == clock.now + timedelta(minutes=5)
    # right PIN while locked: still refused, nothing reset
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(AuthError) as e:
        auth.authenticate("amy", CASHIER_PIN)
    assert e.value.locked_until is not None
    clock.advance(seconds=2)
    assert auth.authenticate("amy", CASHIER_PIN).name == "amy"
    assert store.users["amy"].failed_attempts == 0 and store.users["amy"].locked_until is None


def test_success_resets_failure_counter() -> None:
    store = seeded_store()
    auth = PinAuthenticator(store, clock=Clock(), policy=LockoutPolicy(max_failures=3))
    for _ in range(2):
        with pytest.raises(AuthError):
            auth.authenticate("amy", "9999")
    auth.authenticate("amy", CASHIER_PIN)
    for _ in range(2):
        with pytest.raises(AuthError):
            auth.authenticate("amy", "9999")
    assert store.users["amy"].locked_until is None


def test_unknown_user_same_message_as_wrong_pin() -> None:
    auth = PinAuthenticator(seeded_store(), clock=Clock())
    with pytest.raises(AuthError) as e:
        auth.authenticate("nobody", "4711")
    assert e.value.message == msg(ManagerText.AUTH_WRONG_PIN)  # "Wrong user or PIN"


def test_manager_override_in_cashier_session() -> None:
    store = seeded_store()
    auth = PinAuthenticator(store, clock=Clock())
    assert not role_allows(Role.CASHIER, Permission.REFUND)
    approval = auth.authorize("boss", MANAGER_PIN, Permission.REFUND)
    assert approval.approver == "boss" and approval.permission is Permission.REFUND
    with pytest.raises(AuthError):          # a cashier cannot approve, even with a right PIN
        auth.authorize("amy", CASHIER_PIN, Permission.REFUND)
    with pytest.raises(AuthError):
        auth.authorize("boss", "0912", Permission.REFUND)
    assert store.users["boss"].failed_attempts == 1


def test_admin_has_every_permission() -> None:
    assert all(role_allows(Role.ADMIN, p) for p in Permission)
    assert not role_allows("nonsense", Permission.SELL)
    assert cached_hash("2580") == cached_hash("2580")


def test_staff_admin() -> None:
    from pos_app.manager.memstore import MemoryStore
    from pos_app.manager.pins import StaffAdmin, StaffUser

    store = seeded_store()
    assert isinstance(store, MemoryStore)
    store.put_user(StaffUser("root", Role.ADMIN, cached_hash("2580")))
    auth = PinAuthenticator(store, clock=Clock())
    admin = StaffAdmin(store, auth)
    ok = auth.authorize("root", "2580", Permission.MANAGE_USERS)
    with pytest.raises(PinRuleError):
        admin.add_user(ok, "bob", Role.CASHIER, "1111")
    admin.add_user(ok, "bob", Role.CASHIER, "4711")
    assert auth.authenticate("bob", "4711").role is Role.CASHIER
    with pytest.raises(AuthError):                      # manager may not manage users
        auth.authorize("boss", MANAGER_PIN, Permission.MANAGE_USERS)
    with pytest.raises(AuthError):                      # wrong kind of approval
        admin.add_user(auth.authorize("boss", MANAGER_PIN, Permission.REFUND), "x", Role.ADMIN,
                       "4711")
    admin.change_own_pin("bob", "4711", "9075")
    assert auth.authenticate("bob", "9075").name == "bob"
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.authenticate("bob", "0000")
    admin.reset_pin(ok, "bob", "3141")
    assert auth.authenticate("bob", "3141").name == "bob"
