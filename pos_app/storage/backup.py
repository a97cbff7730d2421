"""Backups of the till database to a second place (another disk, a USB stick, a share).

A backup is taken with SQLite's online backup API while the till keeps selling (a few
hundred pages per step, the write lock released between steps), into
``<folder>/pos_app-backup/<name>-<UTC time>.sqlite3.partial``; the copy is switched to a
single-file journal, checked with ``PRAGMA integrity_check``, flushed to the device and
only then renamed to ``….sqlite3``. A backup killed half-way (power cut, kill -9, the
stick pulled out) leaves a ``.partial`` that is never mistaken for a backup and is
removed by the next run; the older generations are untouched. The newest ``keep``
generations are kept. Files and the folder are owner-only where the file system has
permissions (a FAT stick has none: a warning).

Restore (:func:`restore`) takes the till's instance lock (the till must be closed),
checks the backup, keeps the current database files aside as ``*.before-restore-<time>``
and copies the backup in; the next start runs the usual crash recovery on it.

:class:`BackupScheduler` runs :func:`backup_now` every ``interval`` seconds on its own
thread (never the UI's).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pos_app.domain.text import Message, MessageKey, msg, register
from pos_app.storage.db import FILE_MODE, owner_only_dir, tighten_mode
from pos_app.storage.errors import StorageKnownError
from pos_app.storage.lock import InstanceLock

log = logging.getLogger("pos_app.storage.backup")

SUBFOLDER = "pos_app-backup"
PARTIAL = ".partial"
PAGES_PER_STEP = 256
DEFAULT_KEEP = 14
_NAME = re.compile(r"^(?P<name>[A-Za-z0-9_]+)-(?P<stamp>\d{8}T\d{6}\d{6}Z)\.sqlite3$")


@register({
    "backup.failed": ("folder", "reason"),
    "backup.damaged": ("path", "reason"),
    "backup.done": ("path",),
    "backup.restored": ("path", "kept"),
})
class BackupText(MessageKey):
    FAILED = "backup.failed"
    DAMAGED = "backup.damaged"
    DONE = "backup.done"
    RESTORED = "backup.restored"


class BackupError(StorageKnownError):
    """A backup or restore did not happen; :attr:`message` says why (nothing replaced)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class BackupResult:
    path: Path
    pages: int
    removed: tuple[Path, ...]      # old generations and stale .partial files


def backup_folder(location: Path) -> Path:
    """Where the generations live under the chosen ``location``."""
    return Path(location) / SUBFOLDER


def list_backups(location: Path, name: str = "pos_app") -> list[Path]:
    """Complete backups under ``location``, newest first."""
    folder = backup_folder(location)
    try:
        found = [p for p in folder.iterdir() if (m := _NAME.match(p.name)) and
                 m.group("name") == name]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def _fsync(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:
            return              # Windows cannot open a directory: NTFS renames are journaled
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


def integrity_problem(path: Path) -> str | None:
    """None if ``PRAGMA integrity_check`` says ok, else what it (or SQLite) said."""
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
    result = "; ".join(str(r[0]) for r in rows[:5])
    return None if result == "ok" else result


def backup_now(db_path: Path, location: Path, *, keep: int = DEFAULT_KEEP,
               name: str = "pos_app", pages_per_step: int = PAGES_PER_STEP,
               pause: float = 0.0, now: Callable[[], datetime] | None = None) -> BackupResult:
    """One verified generation of ``db_path`` under ``location``; raises :class:`BackupError`.

    ``pause`` seconds are slept after every ``pages_per_step`` pages (sqlite3's own
    ``sleep`` only applies when the source is busy), so a big backup leaves the till room."""
    if keep < 1:
        raise ValueError("keep at least one generation")
    folder = backup_folder(location)
    stamp = (now or (lambda: datetime.now(UTC)))().astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = folder / f"{name}-{stamp}.sqlite3"
    partial = folder / (final.name + PARTIAL)

    def failed(exc: BaseException | str) -> BackupError:
        reason = exc if isinstance(exc, str) else (
            exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc))
        return BackupError(msg(BackupText.FAILED, folder=str(folder), reason=reason))

    try:
        owner_only_dir(folder)
        for stale in folder.glob(f"{name}-*.sqlite3{PARTIAL}"):
            stale.unlink()                 # a backup that was killed half-way
        fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_RDWR, FILE_MODE)
        os.close(fd)
        tighten_mode(partial, FILE_MODE)
    except OSError as exc:
        raise failed(exc) from exc
    pages = 0
    try:
        if not db_path.is_file():
            raise FileNotFoundError(2, f"no database at {db_path}")
        src = sqlite3.connect(f"file:{db_path.as_posix()}?mode=ro", uri=True, timeout=5.0)
        try:
            dst = sqlite3.connect(partial)
            try:
                def progress(_status: int, remaining: int, total: int) -> None:
                    nonlocal pages
                    pages = total
                    if pause and remaining:
                        time.sleep(pause)
                src.backup(dst, pages=pages_per_step, progress=progress, sleep=pause)
                dst.execute("PRAGMA journal_mode=DELETE")   # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        problem = integrity_problem(partial)
        if problem is not None:
            raise failed(f"integrity_check: {problem}")
        _fsync(partial)
        os.replace(partial, final)
        _fsync(folder, directory=True)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise failed(exc) from exc
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    removed: list[Path] = []
    for old in list_backups(location, name)[keep:]:
        try:
            old.unlink()
            removed.append(old)
        except OSError as exc:
            log.warning("cannot remove old backup %s: %s", old, exc.strerror)
    log.info("backup %s (%d pages) verified", final, pages)
    return BackupResult(final, pages, tuple(removed))


def restore(backup: Path, db_path: Path, *, data_dir: Path | None = None) -> Path | None:
    """Replace the database at ``db_path`` with ``backup``. The till must not run: the
    instance lock of ``data_dir`` (default: the database's folder) is taken meanwhile.
    Returns where the replaced database was kept (None if there was none)."""
    backup = Path(backup)
    problem = integrity_problem(backup) if backup.is_file() else "not a file"
    if problem is not None:
        raise BackupError(msg(BackupText.DAMAGED, path=str(backup), reason=problem))
    with InstanceLock(data_dir or db_path.parent):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept: Path | None = None
        try:
            for suffix in ("", "-wal", "-shm"):
                current = db_path.with_name(db_path.name + suffix)
                if current.exists():
                    aside = current.with_name(f"{current.name}.before-restore-{stamp}")
                    os.replace(current, aside)
                    kept = aside if suffix == "" else kept
            partial = db_path.with_name(db_path.name + PARTIAL)
            fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, FILE_MODE)
            os.close(fd)
            shutil.copyfile(backup, partial)
            _fsync(partial)
            os.replace(partial, db_path)
            tighten_mode(db_path, FILE_MODE)
            _fsync(db_path.parent, directory=True)
        except OSError as exc:
            raise BackupError(msg(BackupText.FAILED, folder=str(db_path.parent),
                                  reason=exc.strerror or str(exc))) from exc
    log.warning("database restored from %s (previous one kept as %s)", backup, kept)
    return kept


class BackupScheduler:
    """Backs up every ``interval`` seconds on a daemon thread (first one after
    ``first_delay``); failures are logged and reported to ``on_result``, never raised."""

    def __init__(self, db_path: Path, location: Path, *, interval: float, keep: int,
                 first_delay: float = 60.0,
                 on_result: Callable[[BackupResult | BackupError], None] | None = None) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        self.db_path, self.location = db_path, location
        self.interval, self.keep, self.first_delay = interval, keep, first_delay
        self._on_result = on_result
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="backup", daemon=True)
        self.last: BackupResult | BackupError | None = None

    def start(self) -> BackupScheduler:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_once(self) -> BackupResult | BackupError:
        result: BackupResult | BackupError
        try:
            result = backup_now(self.db_path, self.location, keep=self.keep)
        except BackupError as exc:
            log.error("backup failed: %s", exc)
            result = exc
        self.last = result
        if self._on_result is not None:
            self._on_result(result)
        return result

    def _loop(self) -> None:
        wait = self.first_delay
        while not self._stop.wait(wait):
            self.run_once()
            wait = self.interval
