"""The kill-point harness both channels' matrices share: the same steps of a QR and a
payment-code payment, the driver SIGKILLed at one of them (``tests/faults/driver.py``,
``POS_KILL_AT``/``POS_KILL_NTH``), then a fresh till on the same database recovers.

A channel's matrix differs only in the simulator scenarios that make each path happen
(:class:`Scenarios`); what is checked after the restart is :func:`recover_after_kill` plus
the channel's own "paid exactly once or not charged" invariant.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pos_app.domain.payment import PaymentAttempt
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import TillService

ROOT = Path(__file__).resolve().parents[2]

RECOVERY_POLICY = PollPolicy(
    codepay_poll=Schedule(((float("inf"), 0.2),)), codepay_deadline=2.0,
    unknown_first_wait=0.2, native_poll=Schedule(((float("inf"), 0.2),)),
    prepay_retry_waits=(0.1,), reverse_retry_waits=(0.3, 0.5, 1.0, 1.0),
    close_retry_waits=(0.2, 0.5), not_found_grace=0.5,
)

#: (flow, simulator scenario of the auth code, kill step, nth occurrence of the step)
KillPoint = tuple[str, str, str, int]


@dataclass(frozen=True)
class Scenarios:
    """A channel's simulator scenarios for each path of the matrix."""

    success: str            # paid at once
    waiting_then_paid: str  # the customer confirms after a second (USERPAYING / WAIT_BUYER_PAY)
    waiting_forever: str    # never confirms: the till reverses
    unknown: tuple[str, ...]  # outcomes the till cannot know at first
    refused: str            # provably not charged


def kill_matrix(sc: Scenarios) -> list[KillPoint]:
    """Every kill point of a payment-code sale (paid, waited for, timed out, cancelled,
    unknown, refused) and of a QR sale (paid, cancelled)."""
    codepay_success = [("codepay", sc.success, s, 1) for s in (
        "intent_committed", "codepay:before_send", "codepay:after_send", "response_received",
        "committed:paid")]
    codepay_waiting = [("codepay", sc.waiting_then_paid, s, n) for s, n in (
        ("committed:awaiting", 1), ("polling", 1), ("query:before_send", 2),
        ("query:after_send", 2), ("committed:paid", 1))]
    codepay_timeout = [("codepay", sc.waiting_forever, s, 1) for s in (
        "polling", "reversing", "reverse:before_send", "reverse:after_send",
        "committed:reversed")]
    codepay_cancel = [("codepay_cancel", sc.waiting_forever, s, 1) for s in (
        "reversing", "reverse:after_send", "committed:reversed")]
    codepay_unknown = [("codepay", u, s, 1) for u in sc.unknown
                       for s in ("response_received", "polling", "query:after_send")]
    codepay_refused = [("codepay", sc.refused, s, 1) for s in (
        "codepay:after_send", "response_received")]
    native_paid = [("native_paid", "", s, 1) for s in (
        "intent_committed", "native_prepay:before_send", "native_prepay:after_send",
        "response_received", "committed:awaiting", "polling", "query:before_send",
        "query:after_send", "committed:paid")]
    native_cancel = [("native_cancel", "", s, 1) for s in (
        "polling", "closing", "close:before_send", "close:after_send", "confirming",
        "committed:closed")]
    return (codepay_success + codepay_waiting + codepay_timeout + codepay_cancel
            + codepay_unknown + codepay_refused + native_paid + native_cancel)


def point_ids(matrix: list[KillPoint]) -> list[str]:
    return [f"{f}-{sc or 'qr'}-{k}#{n}" for f, sc, k, n in matrix]


def run_until_killed(db: Path, merchant_config: Path, base_url: str, flow: str, code: str,
                     kill_at: str, nth: int, channel: str) -> None:
    """Run the driver on ``db`` and demand it died by SIGKILL at the kill point."""
    env = dict(os.environ, POS_KILL_AT=kill_at, POS_KILL_NTH=str(nth), POS_CHANNEL=channel)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.faults.driver", str(db), str(merchant_config), base_url,
         flow, code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == -signal.SIGKILL, (
        f"kill point {kill_at} not reached: rc={proc.returncode}\n{proc.stdout}\n{proc.stderr}")


def recover_after_kill(till: TillService) -> list[PaymentAttempt]:
    """The restart: the killed sale's intent is on disk, recovery reports every unfinished
    attempt (quickly, as recovered) and the background re-check finishes what recovery
    handed it (a payment code killed just after sending waits out its "not found" grace,
    issue 12 #4: sales are open meanwhile, its order stays blocked). The sale's attempts."""
    unfinished_before = {a.id for a in till.unfinished_attempts()}
    orders = till.recent_orders()
    assert len(orders) == 1
    attempts = till.attempts_for_order(orders[0].id)
    assert len(attempts) == 1, "the intent must be on disk before any network call"
    started = time.monotonic()
    events = till.recover()
    assert time.monotonic() - started < 10
    assert {e.attempt_id for e in events} == unfinished_before
    assert all(e.recovered for e in events)
    deadline = time.monotonic() + 10
    while till.unfinished_attempts() and time.monotonic() < deadline:
        time.sleep(0.05)
    return attempts
