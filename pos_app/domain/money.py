"""Money as integer fen (分). No floats anywhere near money.

``Fen`` is a ``NewType`` over ``int``; parsing and formatting of 元 strings is done
with integer arithmetic and ``decimal`` only for parsing user/bill text.
"""

from __future__ import annotations

import re
from typing import NewType

from pos_app.domain.text import MessageKey, msg, register

Fen = NewType("Fen", int)

_YUAN_RE = re.compile(r"^\s*(?P<sign>-)?\s*[¥￥]?\s*(?P<int>\d+)(?:\.(?P<frac>\d{1,2}))?\s*$")


@register()
class MoneyText(MessageKey):
    NOT_AN_AMOUNT = "money.not_an_amount"


class MoneyFormatError(ValueError):
    """A text could not be read as an amount of money."""

    message = msg(MoneyText.NOT_AN_AMOUNT)


def fen(value: int) -> Fen:
    """Checked constructor: refuses bools and floats."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"money must be int fen, got {type(value).__name__}")
    return Fen(value)


def parse_yuan(text: str) -> Fen:
    """Parse ``"12.3"``, ``"¥12.30"``, ``"-0.05"`` or ``"12"`` (元) into fen.

    More than two decimals is an error (never silently rounded).
    """
    m = _YUAN_RE.match(text)
    if not m:
        raise MoneyFormatError(f"not an amount: {text!r}")
    frac = (m.group("frac") or "").ljust(2, "0")
    value = int(m.group("int")) * 100 + int(frac)
    return Fen(-value if m.group("sign") else value)


def format_yuan(amount: int, *, symbol: bool = False) -> str:
    """Format fen as 元 with exactly two decimals: 1234 → ``"12.34"``."""
    sign = "-" if amount < 0 else ""
    a = abs(amount)
    text = f"{sign}{a // 100}.{a % 100:02d}"
    return f"¥{text}" if symbol else text


def percent_of(amount: int, percent_bp: int) -> Fen:
    """``amount`` × basis points / 10000, rounded half up to the fen (integers only)."""
    num = amount * percent_bp
    q, r = divmod(abs(num), 10000)
    if r * 2 >= 10000:
        q += 1
    return Fen(q if num >= 0 else -q)
