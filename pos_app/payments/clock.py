"""Re-export (time lives in :mod:`pos_app.domain.clock`)."""

from pos_app.domain.clock import Clock, EventWaiter, SystemClock, Waiter

__all__ = ["Clock", "EventWaiter", "SystemClock", "Waiter"]
