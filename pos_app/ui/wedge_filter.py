"""App-wide keyboard-wedge capture.

Installed on the QApplication, :class:`WedgeFilter` sees every key press before any
widget does. Printable keys are held back and fed to the pure
:class:`~pos_app.devices.scanner.wedge.KeystrokeDecoder`:

* a fast burst ending in Enter/Tab is a scan → the keys are swallowed (they never
  reach the focused widget, whatever it is) and :attr:`scanned` is emitted;
* anything else is a human typing → the held keys are re-sent to the widget they
  were aimed at, in order (typing is delayed by at most ``max_gap``).

ShortcutOverride events for held keys are accepted so that no shortcut fires in
the middle of a scan.

Gaps between keys are measured with the input events' own timestamps when they have
one, so a busy UI thread (keys queued, then processed in a burst) neither splits a
scan nor turns slow typing into a "scan"; held keys expire after ``max_gap`` without
a key being *processed*.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from pos_app.devices.scanner.wedge import KeystrokeDecoder, Replay, Scan, WedgeConfig

_TERMINATOR_KEYS = {
    Qt.Key.Key_Return: "\r",
    Qt.Key.Key_Enter: "\r",
    Qt.Key.Key_Tab: "\t",
}


@dataclass(frozen=True)
class _HeldKey:
    target: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class WedgeFilter(QObject):
    """Event filter turning scanner key bursts into :attr:`scanned` signals."""

    scanned = Signal(str)

    def __init__(
        self,
        config: WedgeConfig | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._decoder: KeystrokeDecoder[_HeldKey] = KeystrokeDecoder(config)
        self._clock = clock
        self._replaying = False
        self.enabled = True
        self._t = 0.0                      # decoder time of the last key fed
        self._seen: float | None = None    # clock() when that key was processed
        self._seen_stamp = 0               # its event timestamp (ms, 0 = none)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    @property
    def config(self) -> WedgeConfig:
        return self._decoder.config

    def set_config(self, config: WedgeConfig) -> None:
        self._apply(self._decoder.flush())
        self._decoder = KeystrokeDecoder(config)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if self._replaying or not self.enabled:
            return False
        if etype not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(event, QKeyEvent) or not watched.isWidgetType():
            return False
        char = self._char_of(event)
        if etype == QEvent.Type.ShortcutOverride:
            # A key we will hold (or a terminator while holding) must not trigger a shortcut.
            if char is not None and (char not in "\r\t" or self._decoder.holding):
                event.accept()
                return True
            return False
        if event.isAutoRepeat():
            return False
        held = _HeldKey(watched, event.key(), event.modifiers(), event.text())
        decisions, taken = self._decoder.feed(char if char is not None else "",
                                              self._time_of(event), held)
        self._apply(decisions)
        self._arm()
        return taken

    def flush(self) -> None:
        """Release held keys now (tests, focus changes)."""
        self._apply(self._decoder.flush())

    def _char_of(self, event: QKeyEvent) -> str | None:
        key = event.key()
        if key in _TERMINATOR_KEYS:
            return _TERMINATOR_KEYS[Qt.Key(key)]
        mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                     | Qt.KeyboardModifier.KeypadModifier)
        text = event.text()
        if mods != Qt.KeyboardModifier.NoModifier or len(text) != 1 or not text.isprintable():
            return None
        return text

    def _time_of(self, event: QKeyEvent) -> float:
        """Decoder time of a key: the clock at the start of a burst, then advanced by the
        gaps between the events' timestamps (falling back to processing time)."""
        now, stamp = self._clock(), event.timestamp()
        if self._seen is None or not self._decoder.holding:
            self._t = now
        else:
            gap = now - self._seen
            if stamp and self._seen_stamp and 0 <= stamp - self._seen_stamp <= 10_000:
                gap = (stamp - self._seen_stamp) / 1000
            self._t += gap
        self._seen, self._seen_stamp = now, stamp
        return self._t

    def _now(self) -> float:
        """Decoder time now: the last key's time plus the processing time since."""
        if self._seen is None:
            return self._clock()
        return self._t + (self._clock() - self._seen)

    def _arm(self) -> None:
        deadline = self._decoder.deadline()
        if deadline is None:
            self._timer.stop()
            return
        ms = max(0, int((deadline - self._now()) * 1000) + 1)
        self._timer.start(ms)

    def _on_timeout(self) -> None:
        self._apply(self._decoder.poll(self._now()))
        self._arm()

    def _apply(self, decisions: list[Scan[_HeldKey] | Replay[_HeldKey]]) -> None:
        for d in decisions:
            if isinstance(d, Scan):
                self.scanned.emit(d.code)
            else:
                self._replay(d.keys)

    def _replay(self, keys: tuple[_HeldKey, ...]) -> None:
        self._replaying = True
        try:
            for k in keys:
                for etype in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    ev = QKeyEvent(etype, k.key, k.modifiers, k.text)
                    try:
                        QApplication.sendEvent(k.target, ev)
                    except RuntimeError:  # the target widget was deleted meanwhile
                        break
        finally:
            self._replaying = False
