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

The *shop* pepper (a till enrolled at a store hub): the hub's, given to the till at
enrolment over the pinned TLS channel, so that a PIN set at one till verifies at every
till of the shop. Kept like the local one, outside the database: an existing owner-only
``shop_pepper.key`` beside the database, else the OS keyring (``pos_app.shop_pepper`` /
``<database path>``), else a new owner-only file (:func:`save_shop_pepper`). A till without
one (not enrolled, or enrolled before the hub had one) has None (:func:`load_shop_pepper`).
The hub keeps its copy in an owner-only file in its data directory
(:mod:`pos_app.hub.shop_pepper`), never in its database. Never logged.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
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


# --------------------------------------------------------------------------- the shop's

SHOP_PEPPER_FILE = "shop_pepper.key"
SHOP_KEYRING_SERVICE = "pos_app.shop_pepper"
# per database (resolved path): what this process found or saved, so a PIN check does not
# ask the keyring each time; save_shop_pepper keeps it current
_shop_cache: dict[str, bytes | None] = {}
_shop_lock = threading.Lock()


def _read_shop(db_path: Path) -> bytes | None:
    try:
        found = _read_file(db_path.parent / SHOP_PEPPER_FILE)
    except StorageKnownError:
        # the hub has the original: the till's sender fetches it again and replaces the
        # file; meanwhile this till's own PINs work, shop PINs do not
        log.warning("the shop PIN pepper beside %s is damaged or unreadable; it is fetched"
                    " from the hub again", db_path.parent)
        return None
    if found is not None:
        return found
    ring = _keyring()
    if ring is None:
        return None
    try:
        return _decode(ring.get_password(SHOP_KEYRING_SERVICE, str(db_path.resolve())))
    except Exception as exc:  # a locked keyring: as if there were none (local PINs work)
        log.warning("OS keyring refused the shop PIN pepper (%s)", type(exc).__name__)
        return None


def load_shop_pepper(db_path: Path) -> bytes | None:
    """The shop's pepper this till received from its hub, or None."""
    key = str(db_path.resolve())
    with _shop_lock:
        if key not in _shop_cache:
            _shop_cache[key] = _read_shop(db_path)
        return _shop_cache[key]


def save_shop_pepper(db_path: Path, pepper: bytes) -> None:
    """Keep the shop's pepper beside the database ``db_path`` (keyring, else an
    owner-only file). A different one already held is replaced (a re-enrolment at
    another hub): PINs hashed with the old one then no longer verify."""
    if len(pepper) != PEPPER_BYTES:
        raise StorageKnownError("the shop PIN pepper has the wrong length")
    key = str(db_path.resolve())
    path = db_path.parent / SHOP_PEPPER_FILE
    with _shop_lock:
        ring = None if path.exists() else _keyring()
        stored = False
        if ring is not None:
            try:
                ring.set_password(SHOP_KEYRING_SERVICE, key, pepper.hex())
                stored = _decode(ring.get_password(SHOP_KEYRING_SERVICE, key)) == pepper
            except Exception as exc:  # the keyring refused: use the file
                log.warning("OS keyring refused the shop PIN pepper (%s); using a file",
                            type(exc).__name__)
        if not stored:
            write_pepper_file(path, pepper)
        _shop_cache[key] = pepper


def write_pepper_file(path: Path, pepper: bytes) -> None:
    """Write (or replace) an owner-only pepper file atomically."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(pepper.hex())
            fh.flush()
            os.fsync(fh.fileno())
        tighten_mode(tmp, FILE_MODE)
        os.replace(tmp, path)
    except OSError as exc:
        raise StorageKnownError(f"cannot write the PIN pepper {path}: {exc}") from exc


def forget_cached_shop_pepper() -> None:
    """Tests: drop what this process remembers (the files and keyring stay)."""
    with _shop_lock:
        _shop_cache.clear()
