"""pos-app backup / list-backups / restore (the restore the README documents)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.admin_cli import main
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.storage.catalog import ProductRepository, demo_products
from pos_app.storage.db import Database
from pos_app.storage.lock import InstanceLock


def cli(tmp_path: Path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "till"), "--lang", "en", *args],
                read_pin=lambda _p: "")


def test_backup_list_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(tmp_path / "till" / "pos_app.sqlite3")
    ProductRepository(db).import_products(demo_products())
    db.close()
    assert cli(tmp_path, "backup", "--to", str(tmp_path / "usb")) == 0
    assert "Backup written and verified" in capsys.readouterr().out
    assert cli(tmp_path, "list-backups", "--from", str(tmp_path / "usb")) == 0
    listed = capsys.readouterr().out.split()
    assert len(listed) == 1 and listed[0].endswith(".sqlite3")
    db = Database(tmp_path / "till" / "pos_app.sqlite3")
    ProductRepository(db).import_products([Product("NEW", "n", Fen(1))])
    db.close()
    with InstanceLock(tmp_path / "till"):       # the till runs: refused, nothing changed
        assert cli(tmp_path, "restore", listed[0]) == 2
    assert "Another till is already running" in capsys.readouterr().err
    assert cli(tmp_path, "restore", listed[0]) == 0
    assert "previous database is kept as" in capsys.readouterr().out
    db = Database(tmp_path / "till" / "pos_app.sqlite3")
    assert ProductRepository(db).by_sku("NEW") is None
    assert len(ProductRepository(db).all()) == len(demo_products())
    db.close()


def test_backup_of_a_missing_database_or_to_a_bad_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(tmp_path, "backup", "--to", str(tmp_path / "usb")) == 2
    assert "Backup to" in capsys.readouterr().err
    Database(tmp_path / "till" / "pos_app.sqlite3").close()
    (tmp_path / "file").write_text("x")
    assert cli(tmp_path, "backup", "--to", str(tmp_path / "file")) == 2
    err = capsys.readouterr().err
    assert "failed" in err and "Traceback" not in err
