"""The shop-wide PIN pepper: one secret for every till of the shop, so that a PIN set at one
till (or at the hub) verifies at all of them (:mod:`pos_app.domain.pin_hash`, scheme
``scrypt-shop``).

* **The hub** keeps it in the owner-only file ``shop_pepper.key`` in its data directory
  (created on first use), never in its database, never in a log line
  (:func:`hub_shop_pepper`). Its admin sets staff PINs with it (``pos-app hub set-pin``).
* **A till** gets it over the channel it pinned at enrolment, and only over HTTPS: in the
  enrolment answer, or — a till enrolled before the hub had one — from ``GET /v1/pepper``
  (:class:`pos_app.hub.link.ShopPepperFetch`, run by the sender before it pulls master
  data). It keeps it outside its database like its own pepper
  (:func:`pos_app.storage.pepper.save_shop_pepper`). A till without it keeps working on
  its local pepper.

On the wire: ``{"shop_pepper": <64 hex>, "pepper_id": <16 hex>}``; the till checks that
the id names the pepper (a damaged or mixed-up answer is refused, nothing saved).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pos_app.domain.pin_hash import pepper_id

HUB_PEPPER_FILE = "shop_pepper.key"
PEPPER_BYTES = 32


class ShopPepperError(ValueError):
    """No usable shop pepper (the message never holds it)."""


@dataclass(frozen=True)
class ShopPepper:
    value: bytes = field(repr=False)

    @property
    def id(self) -> str:
        return pepper_id(self.value)

    def wire(self) -> dict[str, str]:
        return {"shop_pepper": self.value.hex(), "pepper_id": self.id}


def _read(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ShopPepperError(f"cannot read the shop PIN pepper {path}: "
                              f"{type(exc).__name__}") from None
    os.chmod(path, 0o600)
    try:
        value = bytes.fromhex(text)
    except ValueError:
        value = b""
    if len(value) != PEPPER_BYTES:
        raise ShopPepperError(f"the shop PIN pepper {path} is damaged")
    return value


def hub_shop_pepper(data_dir: Path) -> ShopPepper:
    """The hub's shop pepper: its owner-only file in ``data_dir``, created on first use
    (never replaced: a damaged file is an error, every shop PIN hangs on it)."""
    path = data_dir / HUB_PEPPER_FILE
    found = _read(path)
    if found is not None:
        return ShopPepper(found)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    value = secrets.token_bytes(PEPPER_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:             # another process was faster: use its pepper
        return hub_shop_pepper(data_dir)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value.hex())
        fh.flush()
        os.fsync(fh.fileno())
    return ShopPepper(value)


def parse_wire(doc: Mapping[str, Any]) -> bytes:
    """The pepper in a hub answer; :class:`ShopPepperError` when absent or inconsistent."""
    text, named = doc.get("shop_pepper"), doc.get("pepper_id")
    if not isinstance(text, str) or not isinstance(named, str):
        raise ShopPepperError("no shop pepper in the hub's answer")
    try:
        value = bytes.fromhex(text)
    except ValueError:
        raise ShopPepperError("the hub's shop pepper is not hex") from None
    if len(value) != PEPPER_BYTES or pepper_id(value) != named:
        raise ShopPepperError("the hub's shop pepper does not match its id")
    return value
