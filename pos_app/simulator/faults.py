"""Fault injection shared by every simulator listener (v3 HTTP, helper C's v2 TLS).

Kinds (one-shot rules, consumed in order by matching requests)::

    error500          answer 500 SYSTEM_ERROR without doing anything
    error429          answer 429 FREQUENCY_LIMITED without doing anything
    error503          answer 503 SERVICE_UNAVAILABLE without doing anything
    timeout           perform the operation, then hold the answer ``seconds`` (default 15)
                      so the client's read timeout fires first → outcome unknown
    drop_after_commit perform the operation, then close the socket without answering
    bad_signature     answer normally but with a signature that does not verify
    signtest          answer with a ``WECHATPAY/SIGNTEST/…`` probe signature

Persistent settings: ``latency`` (seconds added per path prefix) and ``clock_skew``
(seconds added to response ``Wechatpay-Timestamp``). ``reset()`` clears everything and
releases requests being held.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

ONE_SHOT_KINDS = frozenset(
    {"error500", "error429", "error503", "timeout", "drop_after_commit", "bad_signature", "signtest"}
)
ALL_KINDS = ONE_SHOT_KINDS | {"latency", "clock_skew"}


@dataclass
class FaultRule:
    kind: str
    path_prefix: str = "/"
    remaining: int = 1
    seconds: float = 15.0
    method: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and (self.method is None or self.method == method.upper())


class Faults:
    """Thread-safe fault table; listeners call :meth:`take` once per request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._latency: dict[str, float] = {}
        self.clock_skew_s: float = 0.0
        self._holds: set[threading.Event] = set()

    def inject(
        self,
        kind: str,
        *,
        path_prefix: str = "/",
        count: int = 1,
        seconds: float | None = None,
        method: str | None = None,
    ) -> None:
        """Add a fault. ``latency``/``clock_skew`` are persistent (``seconds`` = amount)."""
        if kind not in ALL_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {sorted(ALL_KINDS)}")
        with self._lock:
            if kind == "latency":
                self._latency[path_prefix] = float(seconds or 0.0)
            elif kind == "clock_skew":
                self.clock_skew_s = float(seconds or 0.0)
            else:
                if count < 1:
                    raise ValueError("count must be ≥ 1")
                self._rules.append(
                    FaultRule(kind, path_prefix, count, 15.0 if seconds is None else float(seconds),
                              method.upper() if method else None)
                )

    def take(self, method: str, path: str) -> FaultRule | None:
        """Consume and return the first one-shot rule matching this request."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                    return FaultRule(rule.kind, rule.path_prefix, 1, rule.seconds, rule.method)
        return None

    def latency_for(self, path: str) -> float:
        with self._lock:
            return sum(s for p, s in self._latency.items() if path.startswith(p))

    def hold(self, seconds: float) -> None:
        """Sleep up to ``seconds`` unless :meth:`reset`/:meth:`release` is called meanwhile."""
        if seconds <= 0:
            return
        event = threading.Event()
        with self._lock:
            self._holds.add(event)
        try:
            event.wait(seconds)
        finally:
            with self._lock:
                self._holds.discard(event)

    def release(self) -> None:
        """Wake every request currently held (latency / timeout)."""
        with self._lock:
            for event in self._holds:
                event.set()

    def reset(self) -> None:
        with self._lock:
            self._rules.clear()
            self._latency.clear()
            self.clock_skew_s = 0.0
        self.release()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "rules": [asdict(r) for r in self._rules],
                "latency": dict(self._latency),
                "clock_skew_s": self.clock_skew_s,
            }
