"""Merchant order numbers (auth codes are masked by :func:`pos_app.domain.scan.mask_code`)."""

from __future__ import annotations

import re
import secrets
import string
from datetime import datetime

from pos_app.domain.clock import SHOP_TZ

OUT_TRADE_NO_RE = re.compile(r"^[0-9A-Za-z_\-]{6,32}$")
TILL_ID_RE = re.compile(r"^[0-9A-Za-z]{1,4}$")
WECHAT_AUTH_CODE_RE = re.compile(r"^1[0-5]\d{16}$")


def out_trade_no(prefix: str, now: datetime, till_id: str, seq: int) -> str:
    """``P`` + yyyymmddHHMMSS (China time) + till id + 6-digit sequence + 4 random
    characters, e.g. ``P2026112312000001000042x7Kq`` (≤ 29 chars) — unique per attempt,
    never reused for a new auth code; the random tail keeps numbers unique even if the
    database is reset or two tills share an id."""
    if not TILL_ID_RE.match(till_id):
        raise ValueError("till id must be 1–4 letters/digits")
    tail = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(4))
    value = (f"{prefix}{now.astimezone(SHOP_TZ):%Y%m%d%H%M%S}{till_id}"
             f"{seq % 1_000_000:06d}{tail}")
    assert OUT_TRADE_NO_RE.match(value), value
    return value
