"""Payment-code scenarios, selected by the scanned auth code.

A scenario code is a valid WeChat payment code (18 digits, prefix 10–15) laid out as::

    13 9999 RRRRRRRR PP SS
    │  │    │        │  └─ scenario number (table below)
    │  │    │        └──── parameter PP (seconds; meaning per scenario; 00 → default)
    │  │    └───────────── 8 random digits (codes are single-use, so every call is fresh)
    │  └────────────────── marker "9999"
    └───────────────────── prefix (always 13)

Any other 18-digit code with prefix 10–15 is ``success`` (the customer pays at
once). Anything not 18 digits / prefix 10–15 is ``AUTH_CODE_INVALID``.

====  ===========================  ===========================================================
 SS   scenario                     behaviour (t = seconds since the codepay call)
====  ===========================  ===========================================================
 01   success                      SUCCESS at once
 02   userpaying_then_success      USERPAYING; SUCCESS at t ≥ PP (default 5); reverse refused
                                   (USERPAYING) while the password box is open (t < PP)
 03   userpaying_then_payerror     USERPAYING; PAYERROR at t ≥ PP (default 5); reverse refused
                                   while t < PP
 04   userpaying_forever           USERPAYING for ever; reverse refused while t < PP (default 0)
 05   systemerror_but_charged      answer SYSTEMERROR, order is in fact SUCCESS
 06   systemerror_not_charged      answer SYSTEMERROR, order is PAYERROR (nothing taken)
 07   bankerror_but_charged        answer BANKERROR, order is in fact SUCCESS
 08   authcodeexpire               AUTHCODEEXPIRE, no order
 09   auth_code_invalid            AUTH_CODE_INVALID, no order
 10   notenough                    NOTENOUGH, order PAYERROR
 11   notsupportcard               NOTSUPORTCARD, order PAYERROR
 12   trade_error                  TRADE_ERROR, order PAYERROR
 13   reverse_recall_once          answer SYSTEMERROR (charged, SUCCESS); the first reverse
                                   answers SYSTEMERROR / recall=Y, later ones succeed
 14   bankerror_not_charged        answer BANKERROR, order PAYERROR
 15   coupon                       SUCCESS, the customer uses a merchant-funded (NOCASH) coupon
                                   of PP yuan (default 1): payer_total and settlement are less
 16   coupon_cash                  SUCCESS with a pre-funded (CASH) coupon of PP yuan: the
                                   customer pays less, the shop is settled the full total
====  ===========================  ===========================================================

Above the ¥1000 password threshold (``Realism.password_above_fen``) a code that would pay at
once behaves as ``userpaying_then_success`` (the customer enters the password).

``auth_code_for("userpaying_then_success", seconds=20)`` builds a code.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from pos_app.domain.scan import mask_code

WECHAT_AUTH_CODE_RE = re.compile(r"^1[0-5]\d{16}$")
_MARKER = "9999"

SCENARIOS: dict[str, int] = {
    "success": 1,
    "userpaying_then_success": 2,
    "userpaying_then_payerror": 3,
    "userpaying_forever": 4,
    "systemerror_but_charged": 5,
    "systemerror_not_charged": 6,
    "bankerror_but_charged": 7,
    "authcodeexpire": 8,
    "auth_code_invalid": 9,
    "notenough": 10,
    "notsupportcard": 11,
    "trade_error": 12,
    "reverse_recall_once": 13,
    "bankerror_not_charged": 14,
    "coupon": 15,
    "coupon_cash": 16,
}
_BY_NUMBER = {v: k for k, v in SCENARIOS.items()}
_DEFAULT_SECONDS = {"userpaying_then_success": 5, "userpaying_then_payerror": 5, "coupon": 1, "coupon_cash": 1}


@dataclass(frozen=True)
class Scenario:
    name: str
    seconds: int = 0


def auth_code_for(scenario: str, *, seconds: int | None = None, prefix: str = "13") -> str:
    """A fresh, valid 18-digit payment code that triggers ``scenario``.

    ``seconds`` (0–99) is the scenario parameter PP (see module table).
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; known: {sorted(SCENARIOS)}")
    if not re.fullmatch(r"1[0-5]", prefix):
        raise ValueError("prefix must be 10–15")
    pp = seconds if seconds is not None else 0
    if not 0 <= pp <= 99:
        raise ValueError("seconds must be 0–99")
    rand = "".join(secrets.choice("0123456789") for _ in range(8))
    return f"{prefix}{_MARKER}{rand}{pp:02d}{SCENARIOS[scenario]:02d}"


def random_success_code(prefix: str = "13") -> str:
    """A valid code that is not a scenario code (plain success)."""
    while True:
        code = prefix + "".join(secrets.choice("0123456789") for _ in range(16))
        if code[2:6] != _MARKER:
            return code


def is_wechat_auth_code(code: str) -> bool:
    return bool(WECHAT_AUTH_CODE_RE.match(code))


def scenario_of(auth_code: str) -> Scenario | None:
    """The scenario a code encodes; ``None`` if the code is not a WeChat code at all."""
    if not is_wechat_auth_code(auth_code):
        return None
    if auth_code[2:6] == _MARKER:
        name = _BY_NUMBER.get(int(auth_code[16:18]))
        if name is not None:
            pp = int(auth_code[14:16])
            return Scenario(name, pp if pp else _DEFAULT_SECONDS.get(name, 0))
    return Scenario("success")


def mask(auth_code: str) -> str:
    """Log-safe form: ``1300****6789`` (the one masking rule, :func:`mask_code`)."""
    return mask_code(auth_code)
