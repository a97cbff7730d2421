"""PIN hashes (scrypt) and the PIN rules: pure functions, no storage (the peppers are
passed in; :mod:`pos_app.storage.pepper` keeps them, :mod:`pos_app.manager.pins` uses them
for logins and staff admin, the store hub for PINs set at the hub).

A stored PIN hash is self-describing: ``<scheme>$<n>$<r>$<p>$<salt b64>$<hash b64>``.
Scheme ``scrypt-pepper``: scrypt over HMAC-SHA256(pepper, PIN), the pepper kept outside
the database so a copied database alone cannot be brute-forced; scheme ``scrypt`` (no
pepper) still verifies and is re-hashed with the pepper at the next right PIN.

Shop-wide PINs (several tills, one store hub): scheme ``scrypt-shop`` names the pepper it
was made with, ``scrypt-shop$<pepper id>$<n>$<r>$<p>$<salt b64>$<hash b64>``, the pepper
being the *shop's* (held by the hub, given to each till at enrolment over the pinned TLS
channel, kept outside every database). Such a hash verifies at every till holding that
pepper and nowhere else (another pepper id, or no shop pepper: False). A till's own
``scrypt-pepper`` / ``scrypt`` hashes keep verifying with its local pepper and are re-hashed
with the shop pepper at the next right PIN (:class:`Peppers`, :func:`needs_upgrade`).
PINs, peppers and hashes are never logged or put into exception messages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_HASH_BYTES = 32
_SCHEME = "scrypt"
_PEPPERED = "scrypt-pepper"
_SHOP = "scrypt-shop"
PEPPER_ID_HEX = 16
PIN_MIN_LEN = 4
PIN_MAX_LEN = 8


def _is_sequence(pin: str) -> bool:
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {-1})


def pin_rule_broken(pin: str) -> str | None:
    """The PIN rule ``pin`` breaks (``"length"``: not 4–8 ASCII digits, ``"one_digit"``:
    all the same digit, ``"sequence"``: a run like 1234 / 98765), or None."""
    if not (PIN_MIN_LEN <= len(pin) <= PIN_MAX_LEN) or not all("0" <= c <= "9" for c in pin):
        return "length"
    if len(set(pin)) == 1:
        return "one_digit"
    if _is_sequence(pin):
        return "sequence"
    return None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _material(pin: str, pepper: bytes | None) -> bytes:
    raw = pin.encode("utf-8")
    return raw if pepper is None else hmac.new(pepper, raw, hashlib.sha256).digest()


def hash_pin(pin: str, *, salt: bytes | None = None, pepper: bytes | None = None) -> str:
    """Hash a PIN with scrypt and a random 16-byte salt (self-describing string),
    peppered when ``pepper`` is given."""
    salt = secrets.token_bytes(_SALT_BYTES) if salt is None else salt
    scheme = _SCHEME if pepper is None else _PEPPERED
    digest = hashlib.scrypt(_material(pin, pepper), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=_HASH_BYTES)
    return f"{scheme}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def is_peppered(stored: str) -> bool:
    return stored.startswith((_PEPPERED + "$", _SHOP + "$"))


@dataclass(frozen=True)
class Peppers:
    """The secrets PIN hashes are made with, all kept outside the database: this
    database's own (``local``, scheme ``scrypt-pepper``) and the shop's from the store hub
    (``shop``, scheme ``scrypt-shop``). New hashes use the shop pepper when there is one.
    Never in a ``repr`` (a log line or a traceback must not show them)."""

    local: bytes | None = field(default=None, repr=False)
    shop: bytes | None = field(default=None, repr=False)


PepperSource = bytes | Peppers | Callable[[], Peppers] | None


def as_peppers(source: PepperSource) -> Peppers:
    """``bytes``: a local pepper only (what tills had before the store hub)."""
    if source is None:
        return Peppers()
    if isinstance(source, bytes):
        return Peppers(local=source)
    if isinstance(source, Peppers):
        return source
    return source()


def pepper_id(pepper: bytes) -> str:
    """A public name of a shop pepper (written into its hashes): the first 64 bits of
    HMAC-SHA256(pepper, a fixed label) — names the pepper, reveals nothing of it."""
    return hmac.new(pepper, b"pos_app shop pepper id", hashlib.sha256).hexdigest()[:PEPPER_ID_HEX]


def hash_pin_shop(pin: str, shop_pepper: bytes, *, salt: bytes | None = None) -> str:
    """Hash a PIN with the shop's pepper (it verifies at every till of the shop)."""
    salt = secrets.token_bytes(_SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(_material(pin, shop_pepper), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=_HASH_BYTES)
    return (f"{_SHOP}${pepper_id(shop_pepper)}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}"
            f"${_b64(salt)}${_b64(digest)}")


_B64 = r"[A-Za-z0-9+/]{4,88}={0,2}"
_HASH_RE = re.compile(
    rf"(?:{_SCHEME}|{_PEPPERED}|{_SHOP}\$[0-9a-f]{{{PEPPER_ID_HEX}}})"
    rf"\$[0-9]{{1,8}}\$[0-9]{{1,3}}\$[0-9]{{1,3}}\${_B64}\${_B64}")


def is_hash_string(stored: str) -> bool:
    """``stored`` has the form of a hash this module makes (never a bare PIN)."""
    return len(stored) <= 300 and _HASH_RE.fullmatch(stored) is not None


def is_shop_hash(stored: str, shop_pepper_id: str | None = None) -> bool:
    """A ``scrypt-shop`` hash (made with the pepper named ``shop_pepper_id``, if given)."""
    if not stored.startswith(_SHOP + "$") or not is_hash_string(stored):
        return False
    return shop_pepper_id is None or hmac.compare_digest(
        stored.split("$")[1].encode(), shop_pepper_id.encode())


def needs_upgrade(stored: str, peppers: Peppers) -> bool:
    """After a right PIN: should ``stored`` be re-hashed (with the best pepper held)?"""
    if peppers.shop is not None:
        return not is_shop_hash(stored, pepper_id(peppers.shop))
    return peppers.local is not None and not is_peppered(stored)


def verify_pin(pin: str, stored: str, pepper: bytes | Peppers | None = None) -> bool:
    """Constant-time check of ``pin`` against a :func:`hash_pin` / :func:`hash_pin_shop`
    string. A peppered hash never verifies without its pepper (a shop hash: without the
    shop pepper its id names); a malformed stored value verifies as False (never raises).
    ``pepper`` as bytes is the local pepper."""
    peppers = as_peppers(pepper)
    try:
        parts = stored.split("$")
        key: bytes | None
        if parts[0] == _SHOP:
            if len(parts) != 7 or peppers.shop is None:
                return False
            # the id is public (it is in every hash), compared in constant time all the same
            if not hmac.compare_digest(parts[1].encode(), pepper_id(peppers.shop).encode()):
                return False
            key = peppers.shop
            parts = parts[:1] + parts[2:]
        elif parts[0] == _PEPPERED:
            if peppers.local is None:
                return False
            key = peppers.local
        elif parts[0] == _SCHEME:
            key = None
        else:
            return False
        _scheme, n_s, r_s, p_s, salt_s, hash_s = parts
        n, r, p = int(n_s), int(r_s), int(p_s)
        if not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
            return False
        salt = base64.b64decode(salt_s, validate=True)
        expected = base64.b64decode(hash_s, validate=True)
        actual = hashlib.scrypt(_material(pin, key), salt=salt, n=n, r=r, p=p,
                                dklen=len(expected), maxmem=256 * n * r * p + 2**20)
    except (ValueError, TypeError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(actual, expected)
