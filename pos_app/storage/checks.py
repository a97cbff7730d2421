"""Can this till write? Checked at start-up so a read-only data folder or database is
refused with a reason before the first sale, not discovered by it."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from pos_app.domain.text import Message, MessageKey, msg, register
from pos_app.storage.errors import StorageKnownError


@register({
    "storage.folder_unwritable": ("folder", "reason"),
    "storage.database_read_only": ("path", "reason"),
})
class CheckText(MessageKey):
    FOLDER_UNWRITABLE = "storage.folder_unwritable"
    DATABASE_READ_ONLY = "storage.database_read_only"


class CannotWriteError(StorageKnownError):
    """A folder or the database cannot be written; :attr:`message` says which and why."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or \
        type(exc).__name__


def ensure_writable_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) and prove a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".write-probe-", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise CannotWriteError(msg(CheckText.FOLDER_UNWRITABLE, folder=str(folder),
                                   reason=_reason(exc))) from exc


def check_database_writable(db_path: Path) -> None:
    """The database's folder takes new files (-wal, -shm, journals) and the database
    takes a write (a schema change in a transaction that is rolled back)."""
    ensure_writable_dir(db_path.parent)
    if not db_path.exists():
        return
    try:
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=5.0)
    except sqlite3.Error as exc:
        raise CannotWriteError(msg(CheckText.DATABASE_READ_ONLY, path=str(db_path),
                                   reason=_reason(exc))) from exc
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE _write_probe (x INTEGER)")
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise CannotWriteError(msg(CheckText.DATABASE_READ_ONLY, path=str(db_path),
                                   reason=_reason(exc))) from exc
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
