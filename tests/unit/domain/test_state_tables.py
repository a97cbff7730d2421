"""The two state machines as their module docstrings draw them, written out edge by edge
(issue 17: dropping an edge from a table must fail a test, even an edge no code path of
today's workflow takes — the table is the specification other code relies on)."""

from __future__ import annotations

import pytest

from pos_app.domain.payment import (
    NON_TERMINAL,
    TRANSITIONS,
    AttemptState,
    IllegalTransitionError,
    check_transition,
)
from pos_app.domain.refund import (
    REFUND_INITIAL,
    REFUND_TRANSITIONS,
    RefundState,
    check_refund_transition,
)

A = AttemptState
R = RefundState

ATTEMPT_EDGES = {
    A.CREATED: {A.AWAITING_CUSTOMER, A.PAID, A.CLOSED, A.REVERSED, A.FAILED, A.UNCERTAIN},
    A.AWAITING_CUSTOMER: {A.PAID, A.CLOSED, A.REVERSED, A.UNCERTAIN},
    A.UNCERTAIN: {A.AWAITING_CUSTOMER, A.PAID, A.CLOSED, A.REVERSED, A.FAILED},
    A.PAID: set(), A.CLOSED: set(), A.REVERSED: set(), A.FAILED: set(),
}
REFUND_EDGES = {
    R.PENDING: {R.PENDING, R.PROCESSING, R.SUCCESS, R.CLOSED, R.ABNORMAL, R.FAILED},
    R.PROCESSING: {R.PROCESSING, R.SUCCESS, R.CLOSED, R.ABNORMAL},
    R.SUCCESS: set(), R.CLOSED: set(), R.ABNORMAL: set(), R.FAILED: set(),
}


def test_attempt_table_is_the_drawn_one() -> None:
    assert {k: set(v) for k, v in TRANSITIONS.items()} == ATTEMPT_EDGES


@pytest.mark.parametrize("current", list(A))
def test_attempt_transitions_checked(current: AttemptState) -> None:
    for to in A:
        if to in ATTEMPT_EDGES[current]:
            check_transition(current, to)
        else:
            with pytest.raises(IllegalTransitionError):
                check_transition(current, to)


def test_attempt_terminal_states() -> None:
    assert {s for s in A if s.terminal} == {A.PAID, A.CLOSED, A.REVERSED, A.FAILED}
    assert set(NON_TERMINAL) == {A.CREATED, A.AWAITING_CUSTOMER, A.UNCERTAIN}


def test_refund_table_is_the_drawn_one() -> None:
    assert {k: set(v) for k, v in REFUND_TRANSITIONS.items()} == REFUND_EDGES
    assert set(REFUND_INITIAL) == {R.PENDING, R.SUCCESS}


@pytest.mark.parametrize("current", [None, *R])
def test_refund_transitions_checked(current: RefundState | None) -> None:
    allowed = {R.PENDING, R.SUCCESS} if current is None else REFUND_EDGES[current]
    for to in R:
        if to in allowed:
            check_refund_transition(current, to)
        else:
            with pytest.raises(IllegalTransitionError):
                check_refund_transition(current, to)


def test_refund_state_properties() -> None:
    assert {s for s in R if s.taken} == {R.PENDING, R.PROCESSING, R.SUCCESS, R.ABNORMAL}
    assert {s for s in R if s.final} == {R.SUCCESS, R.CLOSED, R.ABNORMAL, R.FAILED}
