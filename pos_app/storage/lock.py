"""One data directory, one running till: an OS-level lock on ``<data_dir>/pos_app.lock``.

The lock is ``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows, taken on an open
file descriptor and held for the life of the process: the operating system drops it when
the process ends, however it ends (kill -9, power cut, crash), so a dead till never leaves
it stuck and no stale-lock clean-up exists. The file itself carries the holder's pid and
start time, for the message only; its presence means nothing.

A second till (or the app started twice) refuses to start before it opens the database,
so it never runs start-up recovery on the first one's live payments.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from pos_app.domain.text import Message, MessageKey, msg, register
from pos_app.storage.db import owner_only_dir
from pos_app.storage.errors import StorageKnownError

LOCK_FILENAME = "pos_app.lock"
_INFO_OFFSET = 16          # the holder's line is written past the locked byte (Windows)


@register({
    "storage.instance_running": ("data_dir", "holder"),
    "storage.instance_lock_failed": ("data_dir", "reason"),
})
class LockText(MessageKey):
    INSTANCE_RUNNING = "storage.instance_running"
    LOCK_FAILED = "storage.instance_lock_failed"


class InstanceLockedError(StorageKnownError):
    """Another live process holds the data directory; :attr:`message` says which."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def _try_lock(fd: int) -> bool:
    """Take the lock without waiting; False if another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


class InstanceLock:
    """``with InstanceLock(data_dir):`` or :meth:`acquire` / :meth:`release`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_FILENAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder(self) -> str:
        """What the file says about the process holding it (``pid 123 since …``)."""
        try:
            with self.path.open("rb") as fh:
                fh.seek(_INFO_OFFSET)
                return fh.read(200).decode("utf-8", "replace").strip() or "?"
        except OSError:
            return "?"

    def acquire(self) -> InstanceLock:
        """Take the lock or raise :class:`InstanceLockedError` (another till runs here)
        / :class:`StorageKnownError` (the directory or file cannot be created)."""
        if self._fd is not None:
            return self
        try:
            owner_only_dir(self.data_dir)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise InstanceLockedError(msg(LockText.LOCK_FAILED, data_dir=str(self.data_dir),
                                          reason=exc.strerror or str(exc))) from exc
        if not _try_lock(fd):
            os.close(fd)
            raise InstanceLockedError(msg(LockText.INSTANCE_RUNNING,
                                          data_dir=str(self.data_dir), holder=self.holder()))
        self._fd = fd
        started = datetime.now(UTC).isoformat(timespec="seconds")
        line = f"pid {os.getpid()} since {started}\n".encode()
        try:
            os.ftruncate(fd, _INFO_OFFSET)
            os.lseek(fd, _INFO_OFFSET, os.SEEK_SET)
            os.write(fd, line)
        except OSError:
            pass                    # the line is informational; the lock is what counts
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __del__(self) -> None:  # a forgotten lock object: the OS would drop it at exit anyway
        with contextlib.suppress(OSError):
            self.release()

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
