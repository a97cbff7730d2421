"""Shop-wide PINs (scheme ``scrypt-shop``): a hash names its pepper, verifies only with that
pepper, old local hashes keep verifying and move to the shop pepper at the next right PIN,
and a copied database alone verifies nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pos_app.domain.pin_hash import (
    Peppers,
    hash_pin,
    hash_pin_shop,
    is_hash_string,
    is_shop_hash,
    needs_upgrade,
    pepper_id,
    verify_pin,
)
from pos_app.domain.staff import Role
from pos_app.manager.pins import (
    AuthError,
    PinAuthenticator,
)
from pos_app.storage.db import Database
from pos_app.storage.pepper import (
    forget_cached_shop_pepper,
    load_pepper,
    load_shop_pepper,
    save_shop_pepper,
)
from pos_app.storage.staff import UserRepository

PIN = "4711"
SHOP, OTHER_SHOP, LOCAL = b"s" * 32, b"o" * 32, b"l" * 32


def test_a_shop_hash_names_its_pepper_and_verifies_only_with_it() -> None:
    stored = hash_pin_shop(PIN, SHOP)
    scheme, named, *_ = stored.split("$")
    assert (scheme, named) == ("scrypt-shop", pepper_id(SHOP)) and SHOP.hex() not in stored
    assert is_hash_string(stored) and is_shop_hash(stored, pepper_id(SHOP))
    assert verify_pin(PIN, stored, Peppers(local=LOCAL, shop=SHOP))
    assert not verify_pin("4712", stored, Peppers(shop=SHOP))
    # the wrong pepper never verifies: another shop's, the local one, none at all
    assert not verify_pin(PIN, stored, Peppers(shop=OTHER_SHOP))
    assert not verify_pin(PIN, stored, Peppers(local=SHOP))
    assert not verify_pin(PIN, stored, SHOP)             # bytes: a local pepper
    assert not verify_pin(PIN, stored)
    # the id is part of what is checked: another id on the same digest fails
    forged = stored.replace(pepper_id(SHOP), pepper_id(OTHER_SHOP))
    assert not verify_pin(PIN, forged, Peppers(shop=SHOP))
    assert not verify_pin(PIN, forged, Peppers(shop=OTHER_SHOP))


@pytest.mark.parametrize("stored", [
    "", PIN, "scrypt-shop$$16384$8$1$AA==$AA==", "scrypt-shop$zz$16384$8$1$AA==$AA==",
    "scrypt-shop$0123456789abcdef$16384$8$1$!!$AA==", "scrypt-shop$0123456789abcdef$1$2$3",
])
def test_malformed_shop_hashes_verify_false(stored: str) -> None:
    assert not verify_pin(PIN, stored, Peppers(local=LOCAL, shop=SHOP))
    assert not is_hash_string(stored) or stored.startswith("scrypt-shop$0123")


def test_peppers_never_show_in_repr() -> None:
    text = repr(Peppers(local=LOCAL, shop=SHOP))
    assert "sss" not in text and "lll" not in text and LOCAL.hex() not in text


def test_needs_upgrade() -> None:
    both = Peppers(local=LOCAL, shop=SHOP)
    assert needs_upgrade(hash_pin(PIN), both) and needs_upgrade(hash_pin(PIN, pepper=LOCAL), both)
    assert needs_upgrade(hash_pin_shop(PIN, OTHER_SHOP), both)
    assert not needs_upgrade(hash_pin_shop(PIN, SHOP), both)
    assert not needs_upgrade(hash_pin(PIN, pepper=LOCAL), Peppers(local=LOCAL))   # as before


def _users(path: Path) -> tuple[Database, UserRepository]:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    return db, UserRepository(db)


def test_old_local_hashes_verify_and_move_to_the_shop_pepper(tmp_path: Path) -> None:
    db, users = _users(tmp_path / "pos_app.sqlite3")
    users.add_user("amy", Role.CASHIER, hash_pin(PIN, pepper=LOCAL))
    users.add_user("bob", Role.CASHIER, hash_pin(PIN))                      # older still
    auth = PinAuthenticator(users, pepper=Peppers(local=LOCAL, shop=SHOP))
    for name in ("amy", "bob"):
        assert auth.authenticate(name, PIN).name == name
        stored = users.get_user(name).pin_hash                             # type: ignore[union-attr]
        assert is_shop_hash(stored, pepper_id(SHOP)) and verify_pin(PIN, stored, Peppers(shop=SHOP))
        assert auth.authenticate(name, PIN).name == name
    assert auth.hash_pin(PIN).startswith("scrypt-shop$")
    # a till that has not (yet) the shop pepper hashes with its own, as before
    assert PinAuthenticator(users, pepper=LOCAL).hash_pin(PIN).startswith("scrypt-pepper$")
    db.close()


def test_a_pin_hashed_with_another_shops_pepper_is_refused(tmp_path: Path) -> None:
    db, users = _users(tmp_path / "pos_app.sqlite3")
    users.add_user("amy", Role.CASHIER, hash_pin_shop(PIN, OTHER_SHOP))
    auth = PinAuthenticator(users, pepper=Peppers(local=LOCAL, shop=SHOP))
    with pytest.raises(AuthError):
        auth.authenticate("amy", PIN)
    assert users.get_user("amy").failed_attempts == 1                     # type: ignore[union-attr]
    db.close()


@pytest.mark.parametrize("scheme", ["shop", "local"])
def test_a_copied_database_alone_verifies_no_pin(tmp_path: Path, scheme: str) -> None:
    forget_cached_shop_pepper()
    till = tmp_path / "till" / "pos_app.sqlite3"
    db, users = _users(till)
    shop = os.urandom(32)
    save_shop_pepper(till, shop)
    peppers = Peppers(local=load_pepper(till), shop=load_shop_pepper(till))
    auth = PinAuthenticator(users, pepper=peppers if scheme == "shop" else peppers.local)
    users.add_user("amy", Role.CASHIER, auth.hash_pin(PIN))
    assert auth.authenticate("amy", PIN).name == "amy"
    db.close()
    thief = tmp_path / "thief" / "pos_app.sqlite3"
    thief.parent.mkdir()
    shutil.copy(till, thief)                                 # the database, not the peppers
    db2, stolen = _users(thief)
    stored = stolen.get_user("amy").pin_hash                 # type: ignore[union-attr]
    found = Peppers(local=load_pepper(thief), shop=load_shop_pepper(thief))
    assert found.shop is None and found.local != peppers.local
    assert not verify_pin(PIN, stored, found)               # not even the right PIN
    assert not verify_pin(PIN, stored)
    with pytest.raises(AuthError):
        PinAuthenticator(stolen, pepper=found).authenticate("amy", PIN)
    db2.close()
    forget_cached_shop_pepper()
