"""The Z report's warning while changes have not reached the store hub (issue 14).

Shown by the shift screen when :func:`pos_app.manager.shifts.z_sync_warning` says so (the
till is enrolled, the hub answered last time, N > 0 rows are unsent): "N changes not yet
sent to the hub". Enter waits for the sync: the sender is woken, the unsent count is read on
the worker (never on the UI thread) a few times a second and shown as progress; at 0 the
dialog accepts and the close goes on (manager PIN). F8 closes anyway (the close is audited
with the count left). Esc cancels: back to the shift screen, nothing closed.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.manager.shifts import HUB_REACHABLE, ZSyncWarning
from pos_app.storage.outbox import OutboxState
from pos_app.ui.bridge import Worker
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import HubLink

POLL_MS = 250
CLOSE_ANYWAY_KEY = "F8"


class ZSyncChoice(Enum):
    SYNCED = "synced"              # waited: nothing is unsent any more
    CLOSE_ANYWAY = "close_anyway"  # closed with ``unsent`` changes still on this till


class ZSyncDialog(OneKeyDialog):
    """Accepted with :attr:`choice` set; rejected (Esc) when the manager cancels."""

    def __init__(self, hub: HubLink, worker: Worker, warning: ZSyncWarning,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.worker = worker
        self.unsent = warning.unsent
        self.initial = warning.unsent
        self.choice: ZSyncChoice | None = None
        self.waiting = False
        self._polling = False
        self.setObjectName("zSyncDialog")
        self.setWindowTitle(self.tr("Store hub: changes not yet sent"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        # never smaller than its contents (the progress row appears while waiting)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.headline = QLabel("")
        self.headline.setObjectName("dialogTitle")
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        self.detail = QLabel(self.tr(
            "The hub can be reached. Wait until they are sent, so that the store's reports "
            "hold this whole shift, or close the shift now: they are kept on this till and "
            "sent later."))
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.progress = QProgressBar()
        self.progress.setRange(0, max(1, self.initial))
        self.progress.setValue(0)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.state_label = QLabel("")
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        row = QHBoxLayout()
        self.wait_button = QPushButton(self.tr("Wait for the sync (Enter)"))
        self.wait_button.setObjectName("cashButton")
        self.wait_button.clicked.connect(self.start_wait)
        self.anyway_button = QPushButton(
            self.tr("Close anyway (%1)").replace("%1", CLOSE_ANYWAY_KEY))
        self.anyway_button.setShortcut(CLOSE_ANYWAY_KEY)
        self.anyway_button.clicked.connect(self.close_anyway)
        self.cancel_button = QPushButton(self.tr("Cancel (Esc)"))
        self.cancel_button.clicked.connect(self.reject)
        for b in (self.wait_button, self.anyway_button, self.cancel_button):
            row.addWidget(b)
        layout.addLayout(row)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._show_count()

    def _show_count(self) -> None:
        self.headline.setText(self.tr("%1 changes not yet sent to the hub")
                              .replace("%1", str(self.unsent)))

    # ------------------------------------------------------------------ actions

    def on_enter(self) -> None:
        if not self.waiting:
            self.start_wait()

    def start_wait(self) -> None:
        """Wake the sender and follow the count until it reaches 0 (or Esc)."""
        if self.waiting:
            return
        self.waiting = True
        self.wait_button.setEnabled(False)
        self.progress.setVisible(True)
        self.adjustSize()
        self.state_label.setText(self.tr("Sending to the hub…"))
        self.hub.poke()
        self.timer.start()
        self.poll()

    def poll(self) -> None:
        if self._polling or not self.waiting:
            return
        self._polling = True
        outbox = self.hub.outbox
        self.worker.run(outbox.state, self._counted, self._count_failed)

    def _counted(self, state: OutboxState) -> None:
        self._polling = False
        if not self.waiting:
            return
        self.unsent = state.unsent
        self.initial = max(self.initial, self.unsent)
        self.progress.setRange(0, max(1, self.initial))
        self.progress.setValue(self.initial - self.unsent)
        self._show_count()
        if self.unsent <= 0:
            self.choice = ZSyncChoice.SYNCED
            self._stop()
            self.accept()
            return
        status = self.hub.status()
        if status is not None and status.state != HUB_REACHABLE:
            self.state_label.setText(self.tr(
                "The hub stopped answering: the changes are kept and sent later. Wait, or "
                "close anyway."))
        else:
            self.state_label.setText(self.tr("Sending to the hub… %1 left")
                                     .replace("%1", str(self.unsent)))

    def _count_failed(self, exc: BaseException) -> None:
        self._polling = False
        self.state_label.setText(self.tr("The count could not be read: %1")
                                 .replace("%1", type(exc).__name__))

    def close_anyway(self) -> None:
        self.choice = ZSyncChoice.CLOSE_ANYWAY
        self._stop()
        self.accept()

    def _stop(self) -> None:
        self.waiting = False
        self.timer.stop()

    def done(self, result: int) -> None:
        self._stop()
        super().done(result)
