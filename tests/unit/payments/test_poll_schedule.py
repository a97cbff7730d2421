"""Poll schedules (payments/policy.py): the interval for an elapsed time, step by step, and
past the last step (a schedule whose last step is finite keeps its last interval)."""

from __future__ import annotations

import math

from pos_app.payments.policy import PollPolicy, Schedule


def test_the_code_payment_schedule_step_by_step() -> None:
    s = PollPolicy().codepay_poll
    assert [s.interval(t) for t in (0.0, 1.99, 2.0, 5.99, 6.0, 11.99, 12.0, 20.99, 21.0, 44.0)] \
        == [0.5, 0.5, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 5.0, 5.0]


def test_the_native_schedule_step_by_step() -> None:
    s = PollPolicy().native_poll
    assert [s.interval(t) for t in (0.0, 2.0, 89.9, 90.0, 179.0)] == [0.5, 1.0, 1.0, 2.0, 2.0]


def test_past_a_finite_last_step_the_last_interval_goes_on() -> None:
    s = Schedule(((2.0, 0.5), (6.0, 1.0), (10.0, 3.0)))
    assert s.interval(10.0) == 3.0      # the last step's interval, not an earlier one
    assert s.interval(1000.0) == 3.0
    assert s.interval(math.inf) == 3.0
    one = Schedule(((5.0, 4.0),))
    assert one.interval(7.0) == 4.0
