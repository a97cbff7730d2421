"""The database on a real full file system (a small tmpfs; root only): a refused write is
a StorageWriteError, nothing of it is stored, and the connection is not left inside the
failed transaction (the next write after space is freed commits on its own)."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.storage.db import Database
from pos_app.storage.errors import StorageKnownError, StorageWriteError


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs",
                           str(mount)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(directory: Path) -> Path:
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as f:
        while True:
            try:
                f.write(b"\0" * 4096)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                return filler


def test_a_write_the_full_disk_refuses(small_disk: Path) -> None:
    db = Database(small_disk / "pos.sqlite3")
    with db.transaction() as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
    assert db.probe_write()
    filler = _fill(small_disk)
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
