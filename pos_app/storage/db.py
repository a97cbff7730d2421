"""SQLite access: one connection per thread, WAL, explicit transactions.

The database holds PIN hashes and the shop's sales: its directory is created owner-only
(0700) and the database file with its ``-wal``/``-shm`` files owner-only (0600).

Every connection runs with ``journal_mode=WAL``, ``foreign_keys=ON``,
``busy_timeout`` and ``synchronous=FULL`` (a committed payment transition must
survive power loss, not just a process crash). Connections are in autocommit
mode; :meth:`Database.transaction` opens ``BEGIN IMMEDIATE`` so a writer takes
the write lock up front instead of failing half-way with SQLITE_BUSY.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from pos_app.domain.clock import Clock, SystemClock
from pos_app.storage.errors import StorageBugError, StorageKnownError, StorageWriteError
from pos_app.storage.migrate import DEFAULT_TILL_ID, migrate

log = logging.getLogger("pos_app.storage")

DB_FILENAME = "pos_app.sqlite3"
BUSY_TIMEOUT_MS = 5000
DIR_MODE = 0o700        # the data directory: owner only (PIN hashes, sales)
FILE_MODE = 0o600       # the database and its -wal/-shm files: owner only
#: Below this much free space in the data directory the till warns (start-up, status).
LOW_SPACE_BYTES = 200 * 1024 * 1024
#: A write probe: this many bytes must fit beside the database (room for a WAL frame
#: or two and the sale that follows), or the disk counts as not accepting writes.
PROBE_BYTES = 256 * 1024

# SQLite primary result codes for "the disk refused the write"
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 8, 10, 13, 14
_WRITE_FAILURES = frozenset({_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN})


def known_error(exc: sqlite3.Error, text: str = "") -> StorageKnownError:
    """The storage error for a failed statement: a :class:`StorageWriteError` when the
    disk refused the write (full / read-only / I/O), else a :class:`StorageKnownError`."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    detail = f"{text}{exc}"
    full = primary == _SQLITE_FULL or "disk is full" in str(exc)
    if primary in _WRITE_FAILURES or full:
        return StorageWriteError(detail, disk_full=full)
    return StorageKnownError(detail)


def tighten_mode(path: Path, mode: int) -> None:
    """chmod on POSIX (Windows: the user's profile folder is already private). A file
    system without permission bits (e.g. a FAT stick) only earns a warning."""
    if os.name != "posix":
        return
    try:
        os.chmod(path, mode)
    except OSError as exc:
        log.warning("cannot make %s owner-only: %s", path, exc.strerror)


def owner_only_dir(path: Path) -> None:
    """Create ``path`` (and parents) and make it owner-only."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    tighten_mode(path, DIR_MODE)


def owner_only_file(path: Path) -> None:
    """Create ``path`` empty if missing, owner-only; tighten it if it exists."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)
    os.close(fd)
    tighten_mode(path, FILE_MODE)


def default_db_path(data_dir: str | Path | None = None) -> Path:
    """``<data_dir>/pos_app.sqlite3``; default dir from platformdirs.user_data_dir."""
    base = Path(data_dir) if data_dir is not None else Path(platformdirs.user_data_dir("pos_app"))
    return base / DB_FILENAME


class Stamp:
    """Timestamps for rows: the injected clock's time (or the system's) as ISO text."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()

    def now(self) -> datetime:
        return self.clock.now()

    def iso(self, at: datetime | None = None) -> str:
        text = to_iso(self.clock.now() if at is None else at)
        assert text is not None
        return text


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def to_iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def required_iso(text: str | None) -> datetime:
    value = from_iso(text)
    if value is None:
        raise ValueError("missing timestamp")
    return value


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open (SQLite may already have done it)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            log.error("rollback failed: %s", exc)


class Database:
    """A SQLite file shared by threads; each thread gets its own connection."""

    def __init__(self, path: str | Path | None = None, *,
                 till_id: str = DEFAULT_TILL_ID) -> None:
        """``till_id``: this till's id, given to rows that exist before a migration
        adds the column (a database from an older version belongs to this till)."""
        self.path = Path(path) if path is not None else default_db_path()
        try:
            owner_only_dir(self.path.parent)
            # SQLite creates -wal/-shm with the database file's permissions
            for name in (self.path, *(self.path.with_name(self.path.name + s)
                                      for s in ("-wal", "-shm"))):
                if name == self.path or name.exists():
                    owner_only_file(name)
        except OSError as exc:
            raise StorageKnownError(f"cannot create database {self.path}: {exc}") from exc
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        migrate(self.connection(), till_id=till_id)
        free = self.low_on_space()
        if free is not None:
            log.warning("low disk space for %s: %d MB free", self.path.parent, free // 2**20)

    def connection(self) -> sqlite3.Connection:
        """The calling thread's connection (opened on first use)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                )
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA synchronous=FULL")
            except sqlite3.Error as exc:
                raise StorageKnownError(f"cannot open database {self.path}: {exc}") from exc
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (rollback on error). Nested use joins the outer one."""
        conn = self.connection()
        if conn.in_transaction:
            yield conn
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise known_error(exc, "database busy or unwritable: ") from exc
        try:
            yield conn
        except sqlite3.IntegrityError as exc:
            _rollback(conn)
            raise StorageBugError(str(exc)) from exc
        except sqlite3.OperationalError as exc:
            _rollback(conn)
            raise known_error(exc) from exc
        except BaseException:
            _rollback(conn)
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            # SQLITE_FULL / IOERR at COMMIT may leave the transaction open: roll it back,
            # or every later "transaction" of this thread would silently join it.
            _rollback(conn)
            raise known_error(exc, "commit failed: ") from exc

    def free_bytes(self) -> int | None:
        """Free space for this database's directory (None if it cannot be told)."""
        try:
            return shutil.disk_usage(self.path.parent).free
        except OSError:
            return None

    def low_on_space(self, threshold: int = LOW_SPACE_BYTES) -> int | None:
        """The free bytes when below ``threshold``, else None."""
        free = self.free_bytes()
        return free if free is not None and free < threshold else None

    def probe_write(self, size: int = PROBE_BYTES) -> bool:
        """True when the database's directory accepts ``size`` bytes written and synced
        (the probe file is removed again); False when the disk refuses."""
        probe = self.path.with_name(self.path.name + ".probe")
        try:
            fd = os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
            try:
                os.write(fd, b"\0" * size)
                os.fsync(fd)
            finally:
                os.close(fd)
            return True
        except OSError as exc:
            log.warning("the data directory refuses writes: %s", exc.strerror)
            return False
        finally:
            with suppress(OSError):
                probe.unlink()

    def close(self) -> None:
        """Close every connection this object opened (call at shutdown)."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
