"""Storage errors.

Tree::

    StorageError
     ├── StorageKnownError   the environment failed (disk full, locked, unreadable file)
     │    └── StorageWriteError  the disk refused a write (full, read-only, I/O error)
     ├── StorageBugError     a constraint or programming error on our side
     ├── SchemaTooNewError   the database was written by a newer pos_app
     └── ConflictError       the change conflicts with the stored state (nothing written)
"""

from __future__ import annotations


class StorageError(Exception):
    """Root of storage failures."""


class StorageKnownError(StorageError):
    """Disk / I/O / locking trouble: tell the user, nothing is our bug."""


class StorageWriteError(StorageKnownError):
    """The disk refused a write (full, read-only, I/O error): nothing of the transaction
    was stored. ``disk_full`` is True when the file system has no space left."""

    def __init__(self, text: str, *, disk_full: bool = False) -> None:
        super().__init__(text)
        self.disk_full = disk_full


class StorageBugError(StorageError):
    """A constraint violation or misuse of the schema."""


class SchemaTooNewError(StorageError):
    """The database's user_version is newer than this program knows."""


class ConflictError(StorageError, ValueError):
    """The change conflicts with what is stored (e.g. a shift already open, a refund
    beyond what is left): nothing was written."""
