"""Cash in / cash out (存取款) screen, Shift+F10 from the sale screen: cash put into the
drawer (a change-float top-up) or taken out of it (paying a supplier) with an amount and
a reason. A cash out needs a manager's PIN (the approval prompt). The shift's movements are
listed; they are in its X and Z. Keys: Ctrl+I cash in, Ctrl+O cash out, Enter in the
amount goes to the reason, Enter in the reason records it, Esc closes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cash import CashDirection, CashMovement
from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import Fen, MoneyFormatError, format_yuan, parse_yuan
from pos_app.domain.staff import Permission
from pos_app.manager.cash_movements import MAX_REASON_LEN
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import ManagerContext, error_text
from pos_app.ui.manager.manager_override import ManagerOverrideDialog, ask_approval
from pos_app.ui.pin_entry import no_ime
from pos_app.ui.screen_fit import resize_within_screen


class CashMovementDialog(OneKeyDialog):
    """``movements`` are the open shift's, as last loaded."""

    def __init__(self, ctx: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.movements: list[CashMovement] = []
        self.override: ManagerOverrideDialog | None = None
        self._busy = False
        self.setWindowTitle(self.tr("Cash in / out"))
        self.setObjectName("cashMovementDialog")
        self._build()
        resize_within_screen(self, 760, 560)
        self.refresh()

    def _build(self) -> None:
        root = QVBoxLayout(self)
        title = QLabel(self.tr("Cash in / out (存取款)"))
        title.setObjectName("dialogTitle")
        root.addWidget(title)
        grid = QGridLayout()
        self.in_radio = QRadioButton(self.tr("Cash in (Ctrl+I)"))
        self.out_radio = QRadioButton(self.tr("Cash out, manager PIN (Ctrl+O)"))
        self.direction = QButtonGroup(self)
        self.direction.addButton(self.in_radio)
        self.direction.addButton(self.out_radio)
        self.in_radio.setChecked(True)
        row = QHBoxLayout()
        row.addWidget(self.in_radio)
        row.addWidget(self.out_radio)
        row.addStretch(1)
        grid.addLayout(row, 0, 0, 1, 2)
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText(self.tr("Amount ¥, e.g. 50"))
        no_ime(self.amount_edit)
        grid.addWidget(QLabel(self.tr("Amount")), 1, 0)
        grid.addWidget(self.amount_edit, 1, 1)
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        self.reason_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason_box.setCompleter(None)  # type: ignore[arg-type]  # Enter records what was typed
        self.reason_box.addItems(["", self.tr("Change float top-up"), self.tr("Pay a supplier"),
                                  self.tr("Bank deposit"), self.tr("Petty cash")])
        edit = self.reason_box.lineEdit()
        if edit is not None:
            edit.setMaxLength(MAX_REASON_LEN)
            edit.setPlaceholderText(self.tr("Why is the cash put in or taken out?"))
        grid.addWidget(QLabel(self.tr("Reason")), 2, 0)
        grid.addWidget(self.reason_box, 2, 1)
        root.addLayout(grid)
        self.record_button = QPushButton(self.tr("Record (Enter)"))
        self.record_button.setObjectName("cashButton")
        self.record_button.clicked.connect(self.submit)
        root.addWidget(self.record_button)
        self.message = QLabel("")
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        root.addWidget(self.message)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("In / out"),
                                              self.tr("Amount"), self.tr("Reason"),
                                              self.tr("By")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        hh = self.table.horizontalHeader()
        for c in (0, 1, 2, 4):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        root.addWidget(self.table, 1)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        root.addWidget(close)
        for key, radio in (("Ctrl+I", self.in_radio), ("Ctrl+O", self.out_radio)):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(lambda r=radio: (r.setChecked(True), self.amount_edit.setFocus()))
        self.amount_edit.setFocus()

    # ------------------------------------------------------------------ state

    @property
    def chosen(self) -> CashDirection:
        return CashDirection.OUT if self.out_radio.isChecked() else CashDirection.IN

    def on_enter(self) -> None:
        if self.focus_in(self.amount_edit):
            self.reason_box.setFocus()
        elif self.focus_in(self.reason_box, self.reason_box.lineEdit()):
            self.submit()

    def refresh(self) -> None:
        self._ctx.worker.run(self._ctx.services.cash.movements, self._show, self._failed)

    def _show(self, movements: list[CashMovement]) -> None:
        self.movements = movements
        self.table.setRowCount(len(movements))
        for r, m in enumerate(movements):
            who = m.done_by + (f" / {m.approved_by}" if m.approved_by else "")
            cells = (m.at.astimezone(SHOP_TZ).strftime("%H:%M"),
                     self.tr("In") if m.direction is CashDirection.IN else self.tr("Out"),
                     ("+" if m.direction is CashDirection.IN else "-")
                     + format_yuan(m.amount, symbol=True),
                     m.reason, who)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)

    # ------------------------------------------------------------------ recording

    def submit(self) -> None:
        """Check the input here (nothing stored), then record it (a cash out after the
        manager's PIN)."""
        if self._busy:
            return
        text = self.amount_edit.text().strip()
        try:
            amount = parse_yuan(text)
        except MoneyFormatError:
            self._say(self.tr("Not an amount: %1").replace("%1", text), error=True)
            self.amount_edit.setFocus()
            return
        reason = self.reason_box.currentText().strip()
        if amount <= 0:
            self._say(self.tr("Enter the amount"), error=True)
            self.amount_edit.setFocus()
            return
        if not reason:
            self._say(self.tr("A reason is required"), error=True)
            self.reason_box.setFocus()
            return
        cash, user = self._ctx.services.cash, self._ctx.session.name
        if self.chosen is CashDirection.IN:
            self._run(lambda: cash.cash_in(user, amount, reason))
            return

        def approved(manager: str, pin: str) -> None:
            self.override = None
            self._run(lambda: cash.cash_out(user, amount, reason, manager, pin))

        what = self.tr("Take %1 out of the drawer: %2").replace(
            "%1", format_yuan(amount, symbol=True)).replace("%2", reason)
        self.override = ask_approval(self._ctx, Permission.CASH_OUT, what, self, approved)

    def _run(self, call: Callable[[], CashMovement]) -> None:
        self._busy = True
        self.record_button.setEnabled(False)
        self._say(self.tr("Recording…"))
        self._ctx.worker.run(call, self._recorded, self._refused)

    def _recorded(self, m: CashMovement) -> None:
        self._busy = False
        self.record_button.setEnabled(True)
        done = (self.tr("Cash in %1 recorded") if m.direction is CashDirection.IN
                else self.tr("Cash out %1 recorded"))
        self._say(done.replace("%1", format_yuan(Fen(m.amount), symbol=True)))
        if self._ctx.on_cash_moved is not None:
            self._ctx.on_cash_moved(m)          # the drawer opens for the notes
        self.amount_edit.clear()
        self.reason_box.setCurrentIndex(0)
        self.reason_box.setEditText("")
        self.in_radio.setChecked(True)
        self.amount_edit.setFocus()
        self.refresh()

    def _refused(self, exc: BaseException) -> None:
        self._busy = False
        self.record_button.setEnabled(True)
        self._failed(exc)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #cf222e;" if error else "color: #1a7f37;")
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._say(error_text(exc), error=True)
