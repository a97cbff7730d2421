"""Re-export (the attempt state machine lives in :mod:`pos_app.domain.payment`)."""

from pos_app.domain.payment import TRANSITIONS, IllegalTransitionError, check_transition

__all__ = ["TRANSITIONS", "IllegalTransitionError", "check_transition"]
