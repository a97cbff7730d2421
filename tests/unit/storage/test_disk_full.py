"""The database on a real full file system (a small tmpfs; root only): a refused write is
a StorageWriteError, nothing of it is stored, and the connection is not left inside the
failed transaction (the next write after space is freed commits on its own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.storage.db import Database
from pos_app.storage.errors import StorageKnownError, StorageWriteError
from tests.helpers.small_disk import fill, mounted_tmpfs


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs mounted on a fresh directory (root only)."""
    with mounted_tmpfs(tmp_path, 2) as mount:
        yield mount



def test_a_write_the_full_disk_refuses(small_disk: Path) -> None:
    db = Database(small_disk / "pos.sqlite3")
    with db.transaction() as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
    assert db.probe_write()
    filler = fill(small_disk)
    assert not db.probe_write()
    assert db.low_on_space() is not None
    with pytest.raises(StorageWriteError) as refused:
        for i in range(200):   # a page SQLite already holds may take the first ones
            with db.transaction() as conn:
                conn.execute("INSERT INTO t VALUES (?)", (f"row {i} " + "x" * 2000,))
    assert refused.value.disk_full
    assert isinstance(refused.value, StorageKnownError)
    conn = db.connection()
    assert not conn.in_transaction          # not stuck inside the failed transaction
    stored = conn.execute("SELECT COUNT(*) FROM t").fetchone()[0]
    filler.unlink()
    assert db.probe_write()
    with db.transaction() as conn:
        conn.execute("INSERT INTO t VALUES ('after')")
    other = Database(small_disk / "pos.sqlite3")   # another connection sees it: committed
    assert other.connection().execute("SELECT COUNT(*) FROM t").fetchone()[0] == stored + 1
    other.close()
    db.close()
