"""The one attempt state machine shared by Native, payment code and cash.

::

    created ──► awaiting ──► paid | closed | reversed | uncertain
       │                          ▲
       ├──► paid | closed | reversed | failed | uncertain
       │
    uncertain ──► awaiting | paid | closed | reversed | failed

``paid``, ``closed``, ``reversed`` and ``failed`` are terminal. ``failed`` means
*provably not charged* and is only reachable before the customer could act
(business refusal, or WeChat Pay never saw the order). Anything unresolved is
``uncertain`` — never ``failed``.
"""

from __future__ import annotations

from pos_app.payments.api import AttemptState

S = AttemptState

TRANSITIONS: dict[AttemptState, frozenset[AttemptState]] = {
    S.CREATED: frozenset(
        {S.AWAITING_CUSTOMER, S.PAID, S.CLOSED, S.REVERSED, S.FAILED, S.UNCERTAIN}),
    S.AWAITING_CUSTOMER: frozenset({S.PAID, S.CLOSED, S.REVERSED, S.UNCERTAIN}),
    S.UNCERTAIN: frozenset({S.AWAITING_CUSTOMER, S.PAID, S.CLOSED, S.REVERSED, S.FAILED}),
    S.PAID: frozenset(),
    S.CLOSED: frozenset(),
    S.REVERSED: frozenset(),
    S.FAILED: frozenset(),
}


class IllegalTransitionError(Exception):
    """A state change the attempt state machine does not allow (a bug, never user input)."""


def check_transition(current: AttemptState, to: AttemptState) -> None:
    """Raise :class:`IllegalTransitionError` unless ``current → to`` is in the table."""
    if to not in TRANSITIONS[current]:
        raise IllegalTransitionError(f"illegal attempt transition {current} → {to}")
