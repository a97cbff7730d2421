"""The PIN pepper lives outside the database: OS keyring when usable, else an owner-only
file beside the database."""

from __future__ import annotations

import os
import stat
import sys
import types
from pathlib import Path

import pytest

from pos_app.storage.errors import StorageKnownError
from pos_app.storage.pepper import KEYRING_SERVICE, NO_KEYRING_ENV, PEPPER_FILE, load_pepper


def test_file_beside_the_database_owner_only_and_stable(tmp_path: Path) -> None:
    db_path = tmp_path / "pos_app.sqlite3"
    pepper = load_pepper(db_path)
    assert len(pepper) == 32 and load_pepper(db_path) == pepper
    key = tmp_path / PEPPER_FILE
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    (tmp_path / "other").mkdir()
    assert load_pepper(tmp_path / "other" / "x.sqlite3") != pepper   # one per database


def test_damaged_pepper_is_refused_not_replaced(tmp_path: Path) -> None:
    (tmp_path / PEPPER_FILE).write_text("not hex")
    with pytest.raises(StorageKnownError):
        load_pepper(tmp_path / "pos_app.sqlite3")
    assert (tmp_path / PEPPER_FILE).read_text() == "not hex"


class _Backend:
    priority = 5


def _fake_keyring(monkeypatch: pytest.MonkeyPatch, store: dict[tuple[str, str], str],
                  refuse: bool = False) -> None:
    ring = types.ModuleType("keyring")
    backends = types.ModuleType("keyring.backends")
    fail = types.ModuleType("keyring.backends.fail")

    class FailKeyring:
        priority = 0

    fail.Keyring = FailKeyring  # type: ignore[attr-defined]
    backends.fail = fail  # type: ignore[attr-defined]

    def set_password(service: str, user: str, value: str) -> None:
        if refuse:
            raise RuntimeError("keyring locked")
        store[(service, user)] = value

    ring.get_keyring = lambda: _Backend()  # type: ignore[attr-defined]
    ring.get_password = lambda s, u: store.get((s, u))  # type: ignore[attr-defined]
    ring.set_password = set_password  # type: ignore[attr-defined]
    ring.backends = backends  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", ring)
    monkeypatch.setitem(sys.modules, "keyring.backends", backends)
    monkeypatch.setitem(sys.modules, "keyring.backends.fail", fail)
    monkeypatch.delenv(NO_KEYRING_ENV, raising=False)


def test_os_keyring_when_usable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store: dict[tuple[str, str], str] = {}
    _fake_keyring(monkeypatch, store)
    db_path = tmp_path / "pos_app.sqlite3"
    pepper = load_pepper(db_path)
    assert store == {(KEYRING_SERVICE, str(db_path.resolve())): pepper.hex()}
    assert not (tmp_path / PEPPER_FILE).exists() and load_pepper(db_path) == pepper


def test_keyring_refusal_falls_back_to_the_file(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_keyring(monkeypatch, {}, refuse=True)
    pepper = load_pepper(tmp_path / "pos_app.sqlite3")
    assert (tmp_path / PEPPER_FILE).read_text() == pepper.hex()
