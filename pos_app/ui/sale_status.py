"""The sale screen's status bar: messages, and the badges for mode, cashier, start-up
recovery and the serial scanner.

The badges sit on up to three lines so that none is ever cut, even at 1024 px with every
badge on at once: the first line holds the message and who/what (cashier, demo/live,
scanner, a quiet start-up recovery), the second the payments the cashier must act on (start-up recovery, a sale paid
after its cancel), the third the till's troubles (disk, printer, hub). A line with nothing
to say takes no room; a shortened badge keeps its full text as its tooltip."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QStatusBar, QVBoxLayout, QWidget

from pos_app.domain.payment import AttemptState
from pos_app.domain.scan import mask_codes_in
from pos_app.domain.text import Message
from pos_app.payments.api import PaymentEvent
from pos_app.payments.messages import PaymentText
from pos_app.ui.text import render

#: How much of a recovery error the tooltip shows (the log has all of it).
RECOVERY_DETAIL_CHARS = 300


class Line(IntEnum):
    WHO = 0        # the message, cashier, demo/live, scanner, "recovery: nothing unfinished"
    PAYMENTS = 1   # recovery, paid after the cancel
    TROUBLE = 2    # disk, printer, hub


class Badge(QLabel):
    """A status badge: shown only while it has something to say, never squeezed."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setVisible(bool(text))

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class BadgeStrip(QWidget):
    """The status bar's content: the message line and the badge lines."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.setObjectName("statusStrip")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        self.lines: list[QHBoxLayout] = []
        for _ in Line:
            line = QHBoxLayout()
            line.setSpacing(12)
            box.addLayout(line)
            self.lines.append(line)
        self.message = QLabel("")          # the bar's temporary message, drawn here
        self.message.setObjectName("statusMessage")
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.lines[Line.WHO].addWidget(self.message, 1)
        for line in self.lines[Line.PAYMENTS:]:
            line.addStretch(1)
        self.bar = bar
        self._pending = False
        bar.messageChanged.connect(self._message)
        bar.addPermanentWidget(self, 1)

    def relayout(self) -> None:
        """A line came or went: the bar takes the strip's new height (once per turn of the
        event loop, after every badge of that turn is set)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._reformat)

    def _reformat(self) -> None:
        self._pending = False
        self.bar.reformat()

    def _message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setToolTip(text)      # a long one may not fit: whole in the tooltip

    def add(self, label: QLabel, line: Line) -> None:
        for other in self.lines:
            other.removeWidget(label)      # (a badge may change lines)
        target = self.lines[line]
        if line is Line.WHO:
            target.addWidget(label)
        else:                              # left-aligned, before the stretch
            target.insertWidget(target.count() - 1, label)


def add_badge(bar: QStatusBar, label: QLabel, line: Line) -> None:
    """Put ``label`` on ``line`` of the bar's strip (a bare bar: a permanent widget)."""
    strip = bar.findChild(BadgeStrip)
    if strip is None:
        bar.addPermanentWidget(label)
    else:
        strip.add(label, line)


class SaleStatus(QObject):
    def __init__(self, bar: QStatusBar, demo: bool, cashier: str, role: str = "cashier") -> None:
        super().__init__(bar)
        self.bar = bar
        self.strip = BadgeStrip(bar)
        self.mode_label = Badge(self.tr("DEMO MODE — simulated WeChat Pay") if demo
                                 else self.tr("LIVE"))
        self.mode_label.setObjectName("demoBadge" if demo else "liveBadge")
        who = {"manager": self.tr("Manager: %1"), "admin": self.tr("Administrator: %1")}.get(
            role, self.tr("Cashier: %1"))
        self.user_label = Badge(who.replace("%1", cashier))
        self.recovery_label = Badge("")
        self.recovery_label.setObjectName("recoveryBadge")
        self.scanner_label = Badge("")
        self.storage_label = Badge("")        # disk full / low free space (issue 12 #1)
        self.storage_label.setObjectName("storageWarning")
        self.storage_label.setStyleSheet("color: #cf222e;")
        for label, line in ((self.user_label, Line.WHO), (self.mode_label, Line.WHO),
                            (self.scanner_label, Line.WHO),
                            (self.recovery_label, Line.WHO),  # PAYMENTS when there is news
                            (self.storage_label, Line.TROUBLE)):
            self.strip.add(label, line)

    def add_badge(self, label: QLabel, line: Line) -> None:
        self.strip.add(label, line)

    def error(self, text: str) -> None:
        self.bar.showMessage("⚠ " + text, 8000)  # the entry banner keeps it until the next key

    def info(self, text: str) -> None:
        self.bar.showMessage(text, 6000)

    def storage(self, message: Message | None) -> None:
        """The till's storage health (cannot write / low space); None clears it."""
        if message is not None and message.key == PaymentText.DISK_LOW:  # short on the bar
            self.storage_label.setText("⚠ " + self.tr("Disk low: %1 MB free").replace(
                "%1", str(message.param_dict().get("free_mb", "?"))))
            self.storage_label.setToolTip(render(message))
            return
        self.storage_label.setToolTip("")
        self.storage_label.setText("⚠ " + render(message) if message is not None else "")

    def scanner(self, text: str) -> None:
        self.scanner_label.setText(self.tr("Serial scanner: %1").replace("%1", text) if text
                                   else "")

    def recovery_done(self, events: list[PaymentEvent]) -> None:
        """Start-up recovery finished: what it resolved, and what is still unknown."""
        self.recovery_label.setStyleSheet("")
        self.recovery_label.setToolTip("")
        self.strip.add(self.recovery_label, Line.PAYMENTS if events else Line.WHO)
        if not events:
            text = self.tr("Recovery: nothing unfinished")
        else:
            counts: dict[str, int] = {}
            for ev in events:
                counts[ev.state.value] = counts.get(ev.state.value, 0) + 1
            detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            text = self.tr("Recovery: %1 resolved (%2)").replace("%1", str(len(events))).replace(
                "%2", detail)
            unknown = sorted({ev.order_id for ev in events
                              if ev.state is AttemptState.UNCERTAIN})
            if unknown:  # still unresolved: said short and red where it stays on screen,
                # the whole account in the tooltip
                warning = self.tr("order %1: outcome unknown, do not charge again").replace(
                    "%1", ", ".join(str(o) for o in unknown))
                self.recovery_label.setToolTip(text + " — " + warning)
                self.recovery_label.setStyleSheet("color: #cf222e; font-weight: bold;")
                text = "⚠ " + warning[:1].upper() + warning[1:]
        self.recovery_label.setText(text)

    def recovery_failed(self, exc: BaseException) -> None:
        """Said short and red where it stays on screen; the error itself (codes masked,
        cut short) in the tooltip, for whoever is called to look at it."""
        self.strip.add(self.recovery_label, Line.PAYMENTS)
        self.recovery_label.setStyleSheet("color: #cf222e; font-weight: bold;")
        self.recovery_label.setText(
            "⚠ " + self.tr("Recovery failed — unfinished payments stay blocked"))
        detail = mask_codes_in(f"{type(exc).__name__}: {exc}")
        self.recovery_label.setToolTip(detail[:RECOVERY_DETAIL_CHARS])
