"""storage/backup.py guards that the fault test cannot reach by killing: a copy that fails
its integrity check never becomes a generation; names and pruning; the lock file's mode."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.storage import backup as backup_mod
from pos_app.storage.backup import BackupError, backup_folder, backup_now, list_backups
from pos_app.storage.catalog import ProductRepository, demo_products
from pos_app.storage.checks import CannotWriteError, check_database_writable
from pos_app.storage.db import Database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    db = Database(tmp_path / "till" / "pos_app.sqlite3")
    ProductRepository(db).import_products(demo_products())
    db.close()
    return db.path


def test_a_copy_failing_integrity_check_is_not_a_backup(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = backup_now(db_path, tmp_path / "usb").path
    monkeypatch.setattr(backup_mod, "integrity_problem", lambda _p: "*** in database main ***")
    with pytest.raises(BackupError) as info:
        backup_now(db_path, tmp_path / "usb")
    assert "integrity_check" in str(info.value.message.param_dict()["reason"])
    assert list_backups(tmp_path / "usb") == [good]
    assert sorted(p.name for p in backup_folder(tmp_path / "usb").iterdir()) == [good.name]


def test_generations_are_named_by_time_and_pruned_oldest_first(db_path: Path,
                                                               tmp_path: Path) -> None:
    t0 = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    made = [backup_now(db_path, tmp_path / "usb", keep=3,
                       now=lambda i=i: t0 + timedelta(hours=i)).path for i in range(5)]
    assert list_backups(tmp_path / "usb") == made[:1:-1]
    assert made[2].name == "pos_app-20261201T220000000000Z.sqlite3"
    # the backup is a single self-contained file (no WAL beside it) and opens on its own
    assert not list(backup_folder(tmp_path / "usb").glob("*-wal"))
    restored = Database(made[-1])
    assert len(ProductRepository(restored).all()) == len(demo_products())
    restored.close()


def test_keep_must_be_positive(db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        backup_now(db_path, tmp_path / "usb", keep=0)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that bind (not root)")
def test_a_read_only_database_is_found_before_the_first_sale(db_path: Path) -> None:
    db_path.chmod(0o400)
    try:
        with pytest.raises(CannotWriteError):
            check_database_writable(db_path)
    finally:
        db_path.chmod(0o600)
    check_database_writable(db_path)
