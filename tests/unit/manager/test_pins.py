from __future__ import annotations

from datetime import timedelta

import pytest

from pos_app.domain.pin_hash import (
    hash_pin,
    verify_pin,
)
from pos_app.domain.staff import Permission, Role, role_allows
from pos_app.domain.text import msg
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import (
    AuthError,
    LockoutPolicy,
    PinAuthenticator,
    PinRuleError,
    validate_pin,
)

from .helpers import CASHIER_PIN, MANAGER_PIN, Clock, cached_hash, refused, seeded_store, user


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
    with pytest.raises(PinRuleError, match=refused(
            ManagerText.PIN_LENGTH, ManagerText.PIN_ONE_DIGIT, ManagerText.PIN_SEQUENCE)) as e:
        validate_pin(pin)
    assert pin.strip() == "" or pin not in str(e.value)     # message never echoes the PIN


def test_lockout_after_five_failures_then_unlocks() -> None:
    store, clock = seeded_store(), Clock()
    auth = PinAuthenticator(store, clock=clock)
    for i in range(4):
        with pytest.raises(AuthError, match=refused(ManagerText.AUTH_WRONG_PIN_TRIES_LEFT)) as e:
            auth.authenticate("amy", "9999")
        assert e.value.locked_until is None
        assert user(store, "amy").failed_attempts == i + 1
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_NOW_LOCKED)) as e:
        auth.authenticate("amy", "9999")
    assert e.value.locked_until == clock.now() + timedelta(minutes=5)
    # right PIN while locked: still refused, nothing reset
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_LOCKED)) as e:
        auth.authenticate("amy", CASHIER_PIN)
    assert e.value.locked_until is not None
    clock.advance(seconds=2)
    assert auth.authenticate("amy", CASHIER_PIN).name == "amy"
    assert user(store, "amy").failed_attempts == 0 and user(store, "amy").locked_until is None


def test_success_resets_failure_counter() -> None:
    store = seeded_store()
    auth = PinAuthenticator(store, clock=Clock(), policy=LockoutPolicy(max_failures=3))
    for _ in range(2):
        with pytest.raises(AuthError, match=refused(ManagerText.AUTH_WRONG_PIN_TRIES_LEFT)):
            auth.authenticate("amy", "9999")
    auth.authenticate("amy", CASHIER_PIN)
    for _ in range(2):
        with pytest.raises(AuthError, match=refused(ManagerText.AUTH_WRONG_PIN_TRIES_LEFT)):
            auth.authenticate("amy", "9999")
    assert user(store, "amy").locked_until is None


def test_unknown_user_same_message_as_wrong_pin() -> None:
    auth = PinAuthenticator(seeded_store(), clock=Clock())
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_WRONG_PIN)) as e:
        auth.authenticate("nobody", "4711")
    assert e.value.message == msg(ManagerText.AUTH_WRONG_PIN)  # "Wrong user or PIN"


def test_manager_override_in_cashier_session() -> None:
    store = seeded_store()
    auth = PinAuthenticator(store, clock=Clock())
    assert not role_allows(Role.CASHIER, Permission.REFUND)
    approval = auth.authorize("boss", MANAGER_PIN, Permission.REFUND)
    assert approval.approver == "boss" and approval.permission is Permission.REFUND
    # a cashier cannot approve, even with a right PIN
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_MAY_NOT_APPROVE)):
        auth.authorize("amy", CASHIER_PIN, Permission.REFUND)
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_WRONG_PIN_TRIES_LEFT)):
        auth.authorize("boss", "0912", Permission.REFUND)
    assert user(store, "boss").failed_attempts == 1


def test_admin_has_every_permission() -> None:
    assert all(role_allows(Role.ADMIN, p) for p in Permission)
    assert not role_allows("nonsense", Permission.SELL)
    assert cached_hash("2580") == cached_hash("2580")


def test_staff_admin() -> None:
    from pos_app.manager.pins import StaffAdmin
    from pos_app.manager.shop_store import ShopStore

    store = seeded_store()
    assert isinstance(store, ShopStore)
    store.add_user("root", Role.ADMIN, cached_hash("2580"))
    auth = PinAuthenticator(store, clock=Clock())
    admin = StaffAdmin(store, auth)
    ok = auth.authorize("root", "2580", Permission.MANAGE_USERS)
    with pytest.raises(PinRuleError, match=refused(ManagerText.PIN_ONE_DIGIT)):
        admin.add_user(ok, "bob", Role.CASHIER, "1111")
    admin.add_user(ok, "bob", Role.CASHIER, "4711")
    assert auth.authenticate("bob", "4711").role is Role.CASHIER
    # manager may not manage users
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_MAY_NOT_APPROVE)):
        auth.authorize("boss", MANAGER_PIN, Permission.MANAGE_USERS)
    # wrong kind of approval
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_APPROVAL_FOR_OTHER_ACTION)):
        admin.add_user(auth.authorize("boss", MANAGER_PIN, Permission.REFUND), "x", Role.ADMIN,
                       "4711")
    admin.change_own_pin("bob", "4711", "9075")
    assert auth.authenticate("bob", "9075").name == "bob"
    for _ in range(5):
        with pytest.raises(AuthError, match=refused(
                ManagerText.AUTH_NOW_LOCKED, ManagerText.AUTH_WRONG_PIN_TRIES_LEFT)):
            auth.authenticate("bob", "0000")
    admin.reset_pin(ok, "bob", "3141")
    assert auth.authenticate("bob", "3141").name == "bob"


def test_lockout_holds_against_parallel_guessing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """2 processes x 4 threads guessing at once: failures are counted inside one database
    transaction, so no more PINs are checked than the lockout allows."""
    import multiprocessing

    from pos_app.storage.db import Database
    from pos_app.storage.staff import UserRepository

    from .pin_guesser import guess

    path = tmp_path / "pins.sqlite3"
    db = Database(path)
    UserRepository(db).add_user("amy", Role.CASHIER, cached_hash(CASHIER_PIN))
    ctx = multiprocessing.get_context("spawn")
    checked = ctx.Value("i", 0)
    start = ctx.Event()
    procs = [ctx.Process(target=guess, args=(str(path), checked, start, 4, 5))
             for _ in range(2)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    assert 1 <= checked.value <= LockoutPolicy().max_failures
    amy = UserRepository(db).get_user("amy")
    assert amy is not None and amy.locked_until is not None
    db.close()


def test_peppered_hash_needs_the_pepper_and_old_hashes_are_upgraded() -> None:
    from pos_app.domain.pin_hash import hash_pin, is_peppered, verify_pin

    pepper, other = b"p" * 32, b"q" * 32
    stored = hash_pin("4711", pepper=pepper)
    assert is_peppered(stored) and verify_pin("4711", stored, pepper)
    assert not verify_pin("4711", stored) and not verify_pin("4711", stored, other)
    store = seeded_store()                       # amy's hash has no pepper yet
    auth = PinAuthenticator(store, clock=Clock(), pepper=pepper)
    assert auth.authenticate("amy", CASHIER_PIN).name == "amy"
    upgraded = user(store, "amy").pin_hash
    assert is_peppered(upgraded) and verify_pin(CASHIER_PIN, upgraded, pepper)
    assert auth.authenticate("amy", CASHIER_PIN).name == "amy"
