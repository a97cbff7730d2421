"""Alipay amounts: yuan strings with exactly two decimals ⇄ integer fen (no float anywhere).

Alipay requires ``"88.88"`` (range 0.01 … 100000000.00); ``"10"``, ``"10.0"``,
``"10.000"``, ``"1e3"``, ``" 1.00"`` and negative values are refused both ways.
Bill rows carry signed amounts (refunds are negative): :func:`signed_yuan_to_fen`.
"""

from __future__ import annotations

import re

from pos_app.domain.money import Fen

MAX_FEN = 100_000_000_00
_YUAN_RE = re.compile(r"(0|[1-9][0-9]{0,8})\.([0-9]{2})")
_SIGNED_RE = re.compile(r"(-?)(0|[1-9][0-9]{0,8})\.([0-9]{2})")


def fen_to_yuan(amount: int) -> str:
    """1234 → ``"12.34"``; refuses bool, float, ≤ 0 and amounts above Alipay's maximum."""
    value: object = amount
    if type(value) is not int or not 0 < amount <= MAX_FEN:
        raise ValueError(f"amount must be int fen in 1…{MAX_FEN}, got {amount!r}")
    return f"{amount // 100}.{amount % 100:02d}"


def yuan_to_fen(text: object) -> Fen:
    """``"12.34"`` → 1234 exactly; anything but ``digits.dd`` raises ``ValueError``."""
    if not isinstance(text, str):
        raise ValueError(f"amount must be a string, got {type(text).__name__}")
    m = _YUAN_RE.fullmatch(text)
    if m is None:
        raise ValueError(f"amount must be yuan with exactly two decimals, got {text!r}")
    return Fen(int(m.group(1)) * 100 + int(m.group(2)))


def signed_yuan_to_fen(text: str) -> Fen:
    """Like :func:`yuan_to_fen` but allows a leading ``-`` (bill refund rows)."""
    m = _SIGNED_RE.fullmatch(text)
    if m is None:
        raise ValueError(f"amount must be yuan with exactly two decimals, got {text!r}")
    value = int(m.group(2)) * 100 + int(m.group(3))
    return Fen(-value if m.group(1) else value)
