"""The sale screen's status bar: messages, and the badges for mode, cashier, start-up
recovery and the serial scanner."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QStatusBar

from pos_app.domain.payment import AttemptState
from pos_app.domain.text import Message
from pos_app.payments.api import PaymentEvent
from pos_app.ui.text import render


class SaleStatus(QObject):
    def __init__(self, bar: QStatusBar, demo: bool, cashier: str, role: str = "cashier") -> None:
        super().__init__(bar)
        self.bar = bar
        self.mode_label = QLabel(self.tr("DEMO MODE — simulated WeChat Pay") if demo
                                 else self.tr("LIVE"))
        self.mode_label.setObjectName("demoBadge" if demo else "liveBadge")
        who = {"manager": self.tr("Manager: %1"), "admin": self.tr("Administrator: %1")}.get(
            role, self.tr("Cashier: %1"))
        self.user_label = QLabel(who.replace("%1", cashier))
        self.recovery_label = QLabel("")
        self.scanner_label = QLabel("")
        self.storage_label = QLabel("")        # disk full / low free space (issue 12 #1)
        self.storage_label.setObjectName("storageWarning")
        self.storage_label.setStyleSheet("color: #cf222e;")
        for label in (self.storage_label, self.scanner_label, self.recovery_label, self.user_label,
                      self.mode_label):
            bar.addPermanentWidget(label)

    def error(self, text: str) -> None:
        self.bar.showMessage("⚠ " + text, 8000)  # the entry banner keeps it until the next key

    def info(self, text: str) -> None:
        self.bar.showMessage(text, 6000)

    def storage(self, message: Message | None) -> None:
        """The till's storage health (cannot write / low space); None clears it."""
        self.storage_label.setText("⚠ " + render(message) if message is not None else "")

    def scanner(self, text: str) -> None:
        self.scanner_label.setText(self.tr("Serial scanner: %1").replace("%1", text) if text
                                   else "")

    def recovery_done(self, events: list[PaymentEvent]) -> None:
        """Start-up recovery finished: what it resolved, and what is still unknown."""
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
            if unknown:  # still unresolved: say so where it stays on screen
                text += " — " + self.tr("order %1: outcome unknown, do not charge again").replace(
                    "%1", ", ".join(str(o) for o in unknown))
        self.recovery_label.setText(text)

    def recovery_failed(self, exc: BaseException) -> None:
        self.recovery_label.setText(self.tr("Recovery failed: %1 — unfinished payments "
                                            "stay blocked").replace("%1", str(exc)))
