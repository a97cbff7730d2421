"""The store hub on the till's screen: the status-bar badge ("Hub: 3 unsent", flags) and the
Hub dialog (Shift+F11): enrol this till with the hub's one-time code and CA fingerprint, see
the hub's flags (a late payment, an amount that differs, a payment no till knows) and open
the flagged order in the refund screen.

Everything that touches the network or the database runs on the window's worker; the
sender's status arrives on its own thread and is handed to the UI thread by a signal.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from pos_app.hub.sender import SyncStatus
from pos_app.storage.outbox import HubFlag
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.sale_status import Badge, Line, add_badge

SHORTCUT = "Shift+F11"


def fen_text(fen: int | None) -> str:
    return "" if fen is None else f"¥{fen // 100}.{fen % 100:02d}"


class HubBadge(QObject):
    """The status bar's hub badge; follows the hub service until the bar goes."""

    status_arrived = Signal(object)
    flags_arrived = Signal(object)

    def __init__(self, bar: QStatusBar, hub: Any) -> None:
        super().__init__(bar)
        self.hub = hub
        self.label = Badge("")
        self.label.setObjectName("hubBadge")
        self.flags = 0
        self.last: SyncStatus | None = None
        self.action: Any = None            # Ctrl+H (managers)
        add_badge(bar, self.label, Line.TROUBLE)
        self.status_arrived.connect(self.show_status)
        self.flags_arrived.connect(self.show_flags)
        hub.subscribe(self.status_arrived.emit, self.flags_arrived.emit)
        bar.destroyed.connect(lambda *_: hub.unsubscribe(self.status_arrived.emit,
                                                          self.flags_arrived.emit))

    def show_status(self, status: SyncStatus) -> None:
        self.last = status
        self.flags = status.open_flags
        self._render()

    def show_flags(self, flags: list[HubFlag]) -> None:
        self.flags = len(flags)
        self._render()

    def _render(self) -> None:
        s = self.last
        if s is None:
            self.label.setText("")
            return
        n = str(s.unsent)
        text = {
            "ok": self.tr("Hub: %1 unsent"),
            "offline": self.tr("Hub offline: %1 unsent"),
            "refused": self.tr("Hub refused: %1 unsent"),
            "broken": self.tr("Hub sync stopped: %1 unsent"),
        }.get(s.state, self.tr("Hub: %1 unsent")).replace("%1", n)
        if self.flags:  # short on the bar (it holds every badge at 1024 px); the key in the tip
            text += " · ⚠ " + self.tr("%1 flag(s)").replace("%1", str(self.flags))
        self.label.setText(text)
        tip = self.tr("%1 flag(s) Shift+F11").replace("%1", str(self.flags)) if self.flags else ""
        self.label.setToolTip("\n".join(t for t in (tip, {
            "offline": self.tr("The hub cannot be reached: every sale is kept and sent later"),
            "refused": self.tr("The hub does not accept this till: enrol it again"),
            "broken": self.tr("The hub and this till disagree (a restored backup?): call "
                              "support; nothing is deleted"),
        }.get(s.state, "")) if t))
        self.label.setStyleSheet("color: #cf222e;" if self.flags or s.state in ("refused", "broken")
                                 else "")


class HubDialog(OneKeyDialog):
    """Enrolment (when not enrolled) and the hub's flags. Enter acts on what has focus:
    the enrolment form enrols; a selected flag opens its order."""

    def __init__(self, hub: Any, worker: Any, open_order: Any, who: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.worker = worker
        self.open_order = open_order
        self.who = who
        self.setWindowTitle(self.tr("Store hub"))
        self.setMinimumWidth(640)          # a 64-digit fingerprint, a flag on one line
        self.resize(720, 520)              # fits 1024×768
        layout = QVBoxLayout(self)
        self.state_label = QLabel("")
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        self.form = QWidget()
        form = QFormLayout(self.form)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://hub.lan:8470")
        self.code = QLineEdit()
        self.fingerprint = QLineEdit()
        self.name = QLineEdit()
        form.addRow(self.tr("Hub address"), self.url)
        form.addRow(self.tr("One-time code"), self.code)
        form.addRow(self.tr("Hub CA fingerprint"), self.fingerprint)
        form.addRow(self.tr("This till's name"), self.name)
        self.enrol_button = QPushButton(self.tr("Enrol (Enter)"))
        self.enrol_button.clicked.connect(self.enrol)
        form.addRow(self.enrol_button)
        layout.addWidget(self.form)
        layout.addWidget(QLabel(self.tr("Flags from the hub")))
        self.flag_list = QListWidget()
        layout.addWidget(self.flag_list)
        self.open_button = QPushButton(self.tr("Open the order (Enter)"))
        self.open_button.clicked.connect(self.open_selected)
        self.handled_button = QPushButton(self.tr("Mark handled (Del)"))
        self.handled_button.clicked.connect(self.mark_handled)
        layout.addWidget(self.open_button)
        layout.addWidget(self.handled_button)
        self.close_button = QPushButton(self.tr("Close (Esc)"))
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.close_button)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.refresh()

    # -- state -----------------------------------------------------------------------------
    def refresh(self) -> None:
        enrolled = self.hub.enrolled
        self.form.setVisible(not enrolled)
        status = self.hub.status()
        if not enrolled:
            self.state_label.setText(self.tr("This till is not enrolled at a store hub."))
            self.url.setFocus()
        else:
            state = status.state if status else "ok"
            unsent = status.unsent if status else 0
            self.state_label.setText(self.tr("Hub %1 — %2, %3 unsent").replace(
                "%1", self.hub.base_url).replace("%2", state).replace("%3", str(unsent)))
        self.worker.run(self.hub.open_flags, self.show_flags, self.failed)

    def show_flags(self, flags: list[HubFlag]) -> None:
        self.flag_list.clear()
        names = {"late_payment": self.tr("Paid after the till closed it"),
                 "amount_mismatch": self.tr("Amount differs from WeChat Pay"),
                 "unknown_payment": self.tr("Paid at WeChat Pay, no till knows it")}
        for f in flags:
            order = self.tr("order %1").replace("%1", f.order_id) if f.order_id else ""
            item = QListWidgetItem(" · ".join(x for x in (
                names.get(f.kind, f.kind), order, fen_text(f.amount_fen), f.out_trade_no) if x))
            item.setData(Qt.ItemDataRole.UserRole, f)
            self.flag_list.addItem(item)
        if flags:                      # the flags are what needs a manager now
            self.flag_list.setCurrentRow(0)
            self.flag_list.setFocus()

    def failed(self, exc: BaseException) -> None:
        code = getattr(exc, "code", "")
        if code == "fingerprint_mismatch":
            text = self.tr("The hub's certificate is not the one shown with the code: "
                           "nothing was sent")
        elif code == "enrol_code_invalid":
            text = self.tr("The hub does not know this code, or it was used or expired")
        elif isinstance(exc, ValueError):
            text = self.tr("The hub address must start with https://")
        elif isinstance(exc, OSError) or type(exc).__module__.startswith("httpx"):
            text = self.tr("Cannot reach the hub at this address")
        else:
            text = self.tr("The hub did not accept this (%1)").replace(
                "%1", code or type(exc).__name__)
        self.message.setText(text)

    def selected(self) -> HubFlag | None:
        item = self.flag_list.currentItem()
        flag = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return flag if isinstance(flag, HubFlag) else None

    # -- actions -----------------------------------------------------------------------------
    def on_enter(self) -> None:
        if self.form.isVisible() and self.focus_in(self.url, self.code, self.fingerprint,
                                                     self.name, self.enrol_button):
            self.enrol()
        elif self.selected() is not None:
            self.open_selected()

    def keyPressEvent(self, e: Any) -> None:
        if e.key() == Qt.Key.Key_Delete and self.selected() is not None:
            self.mark_handled()
            return
        super().keyPressEvent(e)

    def enrol(self) -> None:
        url, code = self.url.text().strip(), self.code.text().strip()
        if not url or not code:
            self.message.setText(self.tr("Enter the hub address and the one-time code"))
            return
        self.enrol_button.setEnabled(False)
        self.message.setText(self.tr("Enrolling…"))

        def done(_r: object) -> None:
            self.enrol_button.setEnabled(True)
            self.message.setText(self.tr("Enrolled: this till's sales now go to the hub"))
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.enrol_button.setEnabled(True)
            self.failed(exc)

        self.worker.run(lambda: self.hub.enrol(url, code, self.fingerprint.text(),
                                               self.name.text().strip() or "till"),
                        done, failed)

    def open_selected(self) -> None:
        flag = self.selected()
        if flag is None or not flag.order_id or not flag.order_id.isdigit():
            self.message.setText(self.tr("This flag names no order of this till"))
            return
        self.accept()
        self.open_order(int(flag.order_id))

    def mark_handled(self) -> None:
        flag = self.selected()
        if flag is not None:
            self.worker.run(lambda: self.hub.handle_flag(flag.id, self.who),
                            lambda _r: self.refresh(), self.failed)


def install_hub(window: Any, hub: Any, worker: Any, who: str, role: str) -> HubBadge:
    """The badge in ``window``'s status bar; Shift+F11 opens the Hub dialog (managers)."""
    from PySide6.QtGui import QAction, QKeySequence

    badge = HubBadge(window.statusBar(), hub)
    manager_menu = getattr(window, "manager_menu", None)
    if manager_menu is not None:       # the Z report warns while changes are unsent
        manager_menu.ctx.hub = hub
    if role in ("manager", "admin"):
        def open_order(order_id: int) -> None:
            menu = getattr(window, "manager_menu", None)
            if menu is not None:
                menu.open_refund(order_id)

        def open_dialog() -> None:
            dialog = HubDialog(hub, worker, open_order, who, window)
            dialog.finished.connect(lambda _r: dialog.setParent(None))
            window.hub_dialog = dialog
            dialog.open()

        action = QAction(badge.tr("Store hub…"), window)
        action.setShortcut(QKeySequence(SHORTCUT))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _c=False: open_dialog())
        window.addAction(action)
        badge.action = action
    return badge
