"""Keyboard-wedge decoding: tell a scanner's key burst from a human typing.

Pure logic, no Qt. The UI feeds every printable key and terminator with its arrival
time; the decoder holds keys back while they *might* be a scan and answers with
:class:`Scan` (swallow the keys, report the code) or :class:`Replay` (they were a
human typing: deliver the held keys to where they were going, in order).

Rules (defaults after onScan.js / Odoo's barcode service):

* a scan is at least ``min_length`` characters, ended by a terminator (Enter/Tab);
* every gap between its keys is ≤ ``max_gap`` and the average gap ≤ ``avg_gap``;
* with ``terminator_required=False`` a fast burst that simply stops (no key for
  ``max_gap``) also counts as a scan (scanners configured without a suffix).

Keys are carried as opaque tokens ``K`` so the caller gets its own key events back.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K")

TERMINATORS = frozenset({"\r", "\n", "\t"})


@dataclass(frozen=True)
class WedgeConfig:
    """Timing thresholds in seconds."""

    avg_gap: float = 0.030
    max_gap: float = 0.050
    min_length: int = 6
    terminator_required: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.avg_gap <= self.max_gap <= 1.0:
            raise ValueError("need 0 < avg_gap <= max_gap <= 1 s")
        if self.min_length < 1:
            raise ValueError("min_length must be at least 1")


@dataclass(frozen=True)
class Scan(Generic[K]):
    """The held keys were a scan: drop them (and the terminator) and report ``code``."""

    code: str
    keys: tuple[K, ...]


@dataclass(frozen=True)
class Replay(Generic[K]):
    """The held keys were typing: deliver them to their target, in this order."""

    keys: tuple[K, ...]


@dataclass
class _Held(Generic[K]):
    chars: list[str] = field(default_factory=list)
    keys: list[K] = field(default_factory=list)
    times: list[float] = field(default_factory=list)


Decision = Scan[K] | Replay[K]


class KeystrokeDecoder(Generic[K]):
    """Feed ``(char, t, key)``; act on the returned decisions.

    Call :meth:`poll` once :meth:`deadline` has passed (the UI uses a timer) so held
    keys are released when no further key follows.
    """

    def __init__(self, config: WedgeConfig | None = None) -> None:
        self.config = config or WedgeConfig()
        self._held: _Held[K] = _Held()

    @property
    def holding(self) -> bool:
        return bool(self._held.chars)

    def deadline(self) -> float | None:
        """Time after which :meth:`poll` must be called, or None when nothing is held."""
        if not self._held.times:
            return None
        return self._held.times[-1] + self.config.max_gap

    def feed(self, char: str, t: float, key: K) -> tuple[list[Decision[K]], bool]:
        """Offer one key. Returns (decisions, held): ``held`` False means the key itself
        was not taken and must be delivered normally (after acting on the decisions)."""
        out: list[Decision[K]] = []
        if self._held.times and t - self._held.times[-1] > self.config.max_gap:
            out.extend(self._expire())
        if char in TERMINATORS:
            if not self._held.chars:
                return out, False
            if self._looks_like_scan(t):
                code = "".join(self._held.chars)
                keys = (*self._held.keys, key)
                self._held = _Held()
                out.append(Scan(code, keys))
                return out, True
            out.append(self._release())
            return out, False
        if len(char) != 1 or not char.isprintable():
            if self._held.chars:
                out.append(self._release())
            return out, False
        self._held.chars.append(char)
        self._held.keys.append(key)
        self._held.times.append(t)
        return out, True

    def poll(self, t: float) -> list[Decision[K]]:
        """Release held keys whose follow-up never came (call after :meth:`deadline`)."""
        if self._held.times and t - self._held.times[-1] >= self.config.max_gap:
            return self._expire()
        return []

    def flush(self) -> list[Decision[K]]:
        """Give back everything held as typing (e.g. focus changed, filter disabled)."""
        return [self._release()] if self._held.chars else []

    def _expire(self) -> list[Decision[K]]:
        if not self.config.terminator_required and self._looks_like_scan(None):
            code = "".join(self._held.chars)
            keys = tuple(self._held.keys)
            self._held = _Held()
            return [Scan(code, keys)]
        return [self._release()]

    def _release(self) -> Replay[K]:
        keys = tuple(self._held.keys)
        self._held = _Held()
        return Replay(keys)

    def _looks_like_scan(self, end: float | None) -> bool:
        times = self._held.times if end is None else [*self._held.times, end]
        if len(self._held.chars) < self.config.min_length:
            return False
        gaps = [b - a for a, b in itertools.pairwise(times)]
        if not gaps:
            return False
        return max(gaps) <= self.config.max_gap and sum(gaps) / len(gaps) <= self.config.avg_gap
