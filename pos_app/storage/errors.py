"""Storage errors.

Tree::

    StorageError
     ├── StorageKnownError   the environment failed (disk full, locked, unreadable file)
     ├── StorageBugError     a constraint or programming error on our side
     └── SchemaTooNewError   the database was written by a newer pos_app
"""

from __future__ import annotations


class StorageError(Exception):
    """Root of storage failures."""


class StorageKnownError(StorageError):
    """Disk / I/O / locking trouble: tell the user, nothing is our bug."""


class StorageBugError(StorageError):
    """A constraint violation or misuse of the schema."""


class SchemaTooNewError(StorageError):
    """The database's user_version is newer than this program knows."""
