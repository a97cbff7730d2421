"""The PIN pepper: a secret mixed into every PIN hash and kept *outside* the database,
so a copied database alone cannot be brute-forced (a 4-digit PIN falls in minutes to
anyone holding its hash, whatever the hash).

Where it lives, per database (a data directory has one):

1. an existing owner-only file ``pin_pepper.key`` beside the database (created when no
   keyring was usable; it keeps working if a keyring appears later);
2. else the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service) via
   the ``keyring`` package, entry ``pos_app.pin_pepper`` / ``<database path>``;
3. else a new owner-only file ``pin_pepper.key`` (0600) beside the database.

Losing the pepper makes every peppered PIN unverifiable: staff PINs must then be reset
(``pos-app add-user`` for a new admin on a fresh database, or an admin resets them).
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from pos_app.storage.db import FILE_MODE, tighten_mode
from pos_app.storage.errors import StorageKnownError

log = logging.getLogger("pos_app.storage")

PEPPER_FILE = "pin_pepper.key"
KEYRING_SERVICE = "pos_app.pin_pepper"
PEPPER_BYTES = 32
#: Set (to anything) to never use the OS keyring (tests, kiosks without a user session).
NO_KEYRING_ENV = "POS_APP_NO_KEYRING"


def _keyring() -> Any | None:
    """The ``keyring`` module when it has a usable backend, else None."""
    if os.environ.get(NO_KEYRING_ENV):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration: use the file
        log.warning("OS keyring unavailable; the PIN pepper is kept in a file")
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def _decode(text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        value = bytes.fromhex(text.strip())
    except ValueError:
        return None
    return value if len(value) == PEPPER_BYTES else None


def _read_file(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageKnownError(f"cannot read the PIN pepper {path}: {exc}") from exc
    tighten_mode(path, FILE_MODE)
    value = _decode(text)
    if value is None:
        raise StorageKnownError(f"the PIN pepper {path} is damaged")
    return value


def _create_file(path: Path) -> bytes:
    value = secrets.token_bytes(PEPPER_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:          # another process was faster: use its pepper
        found = _read_file(path)
        assert found is not None
        return found
    except OSError as exc:
        raise StorageKnownError(f"cannot create the PIN pepper {path}: {exc}") from exc
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value.hex())
        fh.flush()
        os.fsync(fh.fileno())
    return value


def load_pepper(db_path: Path) -> bytes:
    """The pepper of the database at ``db_path`` (created on first use)."""
    path = db_path.parent / PEPPER_FILE
    found = _read_file(path)
    if found is not None:
        return found
    ring = _keyring()
    if ring is not None:
        entry = str(db_path.resolve())
        try:
            value = _decode(ring.get_password(KEYRING_SERVICE, entry))
            if value is None:
                ring.set_password(KEYRING_SERVICE, entry, secrets.token_bytes(PEPPER_BYTES).hex())
                value = _decode(ring.get_password(KEYRING_SERVICE, entry))
            if value is not None:
                return value
        except Exception as exc:  # the keyring refused (locked, no session): use the file
            log.warning("OS keyring refused the PIN pepper (%s); using a file",
                        type(exc).__name__)
    return _create_file(path)
