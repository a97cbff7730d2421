"""Alipay payment-code scenarios, selected by the scanned code.

A scenario code is a valid Alipay payment code (18 digits, prefix 25–30)::

    28 9999 RRRRRRRR PP SS     (RRRRRRRR random, PP a parameter in seconds, SS the scenario)

Any other code matching ``^(2[5-9]|30)\\d{14,22}$`` pays at once; anything else is
``ACQ.PAYMENT_AUTH_CODE_INVALID``. Codes are single-use (a second use is refused).

====  ==========================  ==============================================================
 SS   scenario                    behaviour (t = seconds since the pay call)
====  ==========================  ==============================================================
 01   success                     10000, TRADE_SUCCESS
 02   wait_then_success           10003 (WAIT_BUYER_PAY); TRADE_SUCCESS at t ≥ PP (default 5)
 03   wait_then_fail              10003; TRADE_CLOSED (customer gave up) at t ≥ PP (default 5)
 04   wait_forever                10003; stays WAIT_BUYER_PAY until cancelled/closed
 05   insufficient_balance        40004 ACQ.BUYER_BALANCE_NOT_ENOUGH, trade TRADE_CLOSED
 06   auth_code_invalid           40004 ACQ.PAYMENT_AUTH_CODE_INVALID, no trade
 07   unavailable_but_charged     20000 (isp.unknow-error), trade in fact TRADE_SUCCESS
 08   system_error_not_charged    40004 ACQ.SYSTEM_ERROR, trade WAIT_BUYER_PAY (unpaid)
 09   timeout_after_commit        charges, then holds the answer PP s (default 30)
 10   drop_after_commit           charges, then closes the connection without answering
 11   bad_signature               charges, answers 10000 with a signature that does not verify
 12   payment_fail                40004 ACQ.PAYMENT_FAIL, trade TRADE_CLOSED
 13   cancel_retry_once           40004 ACQ.SYSTEM_ERROR (charged); the first cancel answers
                                  ACQ.SYSTEM_ERROR with retry_flag=Y, later ones refund
 14   trade_closed                40004 ACQ.TRADE_HAS_CLOSE, trade TRADE_CLOSED
====  ==========================  ==============================================================
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

ALIPAY_AUTH_CODE_RE = re.compile(r"^(2[5-9]|30)\d{14,22}$")
_MARKER = "9999"

SCENARIOS: dict[str, int] = {
    "success": 1,
    "wait_then_success": 2,
    "wait_then_fail": 3,
    "wait_forever": 4,
    "insufficient_balance": 5,
    "auth_code_invalid": 6,
    "unavailable_but_charged": 7,
    "system_error_not_charged": 8,
    "timeout_after_commit": 9,
    "drop_after_commit": 10,
    "bad_signature": 11,
    "payment_fail": 12,
    "cancel_retry_once": 13,
    "trade_closed": 14,
}
_BY_NUMBER = {v: k for k, v in SCENARIOS.items()}
_DEFAULT_SECONDS = {"wait_then_success": 5, "wait_then_fail": 5, "timeout_after_commit": 30}


@dataclass(frozen=True)
class Scenario:
    name: str
    seconds: int = 0


def auth_code_for(scenario: str, *, seconds: int | None = None) -> str:
    """A fresh 18-digit Alipay payment code that triggers ``scenario``."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; known: {sorted(SCENARIOS)}")
    pp = 0 if seconds is None else seconds
    if not 0 <= pp <= 99:
        raise ValueError("seconds must be 0–99")
    rand = "".join(secrets.choice("0123456789") for _ in range(8))
    return f"28{_MARKER}{rand}{pp:02d}{SCENARIOS[scenario]:02d}"


def random_success_code() -> str:
    while True:
        code = "28" + "".join(secrets.choice("0123456789") for _ in range(16))
        if code[2:6] != _MARKER:
            return code


def scenario_of(auth_code: str) -> Scenario | None:
    """The scenario a code encodes; ``None`` if it is not an Alipay payment code."""
    if not ALIPAY_AUTH_CODE_RE.match(auth_code):
        return None
    if len(auth_code) == 18 and auth_code[2:6] == _MARKER:
        name = _BY_NUMBER.get(int(auth_code[16:18]))
        if name is not None:
            pp = int(auth_code[14:16])
            return Scenario(name, pp if pp else _DEFAULT_SECONDS.get(name, 0))
    return Scenario("success")
