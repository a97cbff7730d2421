"""The shop's PIN pepper at a till: outside the database (keyring, else an owner-only file
beside it), like the till's own pepper."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.storage.errors import StorageKnownError
from pos_app.storage.pepper import (
    SHOP_KEYRING_SERVICE,
    SHOP_PEPPER_FILE,
    forget_cached_shop_pepper,
    load_shop_pepper,
    save_shop_pepper,
)
from tests.unit.storage.test_pepper import _fake_keyring


@pytest.fixture(autouse=True)
def _no_cache() -> Iterator[None]:
    forget_cached_shop_pepper()
    yield
    forget_cached_shop_pepper()


def test_none_until_saved_then_an_owner_only_file(tmp_path: Path) -> None:
    db_path = tmp_path / "pos_app.sqlite3"
    assert load_shop_pepper(db_path) is None
    value = os.urandom(32)
    save_shop_pepper(db_path, value)
    assert load_shop_pepper(db_path) == value          # this process: at once
    forget_cached_shop_pepper()
    assert load_shop_pepper(db_path) == value          # another process: from the file
    key = tmp_path / SHOP_PEPPER_FILE
    assert key.read_text() == value.hex() and stat.S_IMODE(key.stat().st_mode) == 0o600
    other = os.urandom(32)                             # enrolled again, at another hub
    save_shop_pepper(db_path, other)
    forget_cached_shop_pepper()
    assert load_shop_pepper(db_path) == other


def test_wrong_length_refused_and_a_damaged_file_replaced(tmp_path: Path) -> None:
    db_path = tmp_path / "pos_app.sqlite3"
    with pytest.raises(StorageKnownError):
        save_shop_pepper(db_path, b"short")
    (tmp_path / SHOP_PEPPER_FILE).write_text("not hex")
    assert load_shop_pepper(db_path) is None        # as if none: the hub gives it again
    value = os.urandom(32)
    save_shop_pepper(db_path, value)
    forget_cached_shop_pepper()
    assert load_shop_pepper(db_path) == value


def test_os_keyring_when_usable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store: dict[tuple[str, str], str] = {}
    _fake_keyring(monkeypatch, store)
    db_path = tmp_path / "pos_app.sqlite3"
    value = os.urandom(32)
    save_shop_pepper(db_path, value)
    assert store == {(SHOP_KEYRING_SERVICE, str(db_path.resolve())): value.hex()}
    assert not (tmp_path / SHOP_PEPPER_FILE).exists()
    forget_cached_shop_pepper()
    assert load_shop_pepper(db_path) == value


def test_keyring_refusal_falls_back_to_the_file(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_keyring(monkeypatch, {}, refuse=True)
    value = os.urandom(32)
    save_shop_pepper(tmp_path / "pos_app.sqlite3", value)
    assert (tmp_path / SHOP_PEPPER_FILE).read_text() == value.hex()
