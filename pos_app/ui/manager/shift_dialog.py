"""Shift (交班) screen: open with a float, X report any time, Z report closes the shift
after the counted cash is entered (manager PIN) and shows the difference. Reports can
be printed and exported as CSV (UTF-8 with BOM for Excel).

Blind count, decided per role by :meth:`ShiftService.x_report`: a cashier's X (shown,
printed, exported) leaves the drawer arithmetic and the expected cash out; a manager's
(whoever may close the shift) shows them. The Z shows them after the count, with the
manager who approved it.

Store hub: when the till is enrolled, the hub answered last time and changes are unsent,
the Z first shows :class:`~pos_app.ui.manager.hub_sync_warning.ZSyncDialog` (wait for the
sync, or close anyway: audited); with the hub down it closes as usual."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontMetricsF, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import Fen, MoneyFormatError, format_yuan, parse_yuan
from pos_app.domain.shift import Shift as ShiftRecord
from pos_app.domain.staff import Permission
from pos_app.manager.export import shift_report_csv, write_csv
from pos_app.manager.reports import ReportKind, ShiftReport, display_width, render_text
from pos_app.manager.shifts import ZSyncWarning, z_sync_warning
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import ManagerContext, error_text
from pos_app.ui.manager.hub_sync_warning import ZSyncChoice, ZSyncDialog
from pos_app.ui.manager.manager_override import ManagerOverrideDialog, ask_approval
from pos_app.ui.pin_entry import no_ime
from pos_app.ui.screen_fit import resize_within_screen
from pos_app.ui.text import render


class ShiftDialog(OneKeyDialog):
    """Enter in the float field opens the shift, in the counted field closes it. ``report`` is the last X/Z report shown (for print / export)."""

    def __init__(self, ctx: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.shift: ShiftRecord | None = None
        self.report: ShiftReport | None = None
        self.override: ManagerOverrideDialog | None = None
        self.hub_warning: ZSyncDialog | None = None
        self.setWindowTitle(self.tr("Shift: X / Z report"))
        self.setObjectName("shiftDialog")
        self._build()
        resize_within_screen(self, 900, 700)
        self.refresh()

    def _build(self) -> None:
        root = QHBoxLayout(self)
        left = QVBoxLayout()
        self.shift_label = QLabel(self.tr("Loading…"))
        self.shift_label.setObjectName("dialogTitle")
        self.shift_label.setWordWrap(True)
        left.addWidget(self.shift_label)

        open_box = QGroupBox(self.tr("Open shift"))
        ol = QGridLayout(open_box)
        self.float_edit = QLineEdit()
        self.float_edit.setPlaceholderText(self.tr("Opening float ¥, e.g. 200"))
        no_ime(self.float_edit)
        self.open_button = QPushButton(self.tr("Open shift"))
        self.open_button.clicked.connect(self.open_shift)
        ol.addWidget(QLabel(self.tr("Cash in drawer")), 0, 0)
        ol.addWidget(self.float_edit, 0, 1)
        ol.addWidget(self.open_button, 1, 0, 1, 2)
        left.addWidget(open_box)

        self.x_button = QPushButton(self.tr("X report (mid-shift)"))
        self.x_button.clicked.connect(self.x_report)
        left.addWidget(self.x_button)

        close_box = QGroupBox(self.tr("Close shift (Z report)"))
        cl = QGridLayout(close_box)
        self.counted_edit = QLineEdit()
        self.counted_edit.setPlaceholderText(self.tr("Counted cash ¥"))
        no_ime(self.counted_edit)
        self.close_button = QPushButton(self.tr("Count done: close shift (manager PIN)"))
        self.close_button.setObjectName("cashButton")
        self.close_button.clicked.connect(self.close_shift)
        cl.addWidget(QLabel(self.tr("Counted cash")), 0, 0)
        cl.addWidget(self.counted_edit, 0, 1)
        cl.addWidget(self.close_button, 1, 0, 1, 2)
        left.addWidget(close_box)

        self.expected_label = QLabel("")
        self.difference_label = QLabel("")
        self.difference_label.setObjectName("bigAmount")
        self.difference_label.setWordWrap(True)
        left.addWidget(self.expected_label)
        left.addWidget(self.difference_label)
        self.message = QLabel("")
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        left.addWidget(self.message)
        left.addStretch(1)
        root.addLayout(left, 2)

        right = QVBoxLayout()
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        font = QFont("WenQuanYi Micro Hei Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.report_view.setFont(font)
        # own rule: the app-wide "* { font-family }" would make the columns proportional
        # (a CJK character must be exactly two Latin columns wide, like on the printer)
        self.report_view.setStyleSheet('font-family: "WenQuanYi Micro Hei Mono";'
                                       " font-size: 14px; background: white;")
        right.addWidget(self.report_view, 1)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print (Ctrl+P)"))
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.clicked.connect(self.print_report)
        self.export_button = QPushButton(self.tr("Export CSV"))
        self.export_button.clicked.connect(lambda: self.export_csv())
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        for b in (self.print_button, self.export_button, close):
            row.addWidget(b)
        right.addLayout(row)
        root.addLayout(right, 3)
        self._report_buttons()

    # ------------------------------------------------------------------ state

    def on_enter(self) -> None:
        if self.focus_in(self.float_edit) and self.open_button.isEnabled():
            self.open_shift()
        elif self.focus_in(self.counted_edit) and self.close_button.isEnabled():
            self.close_shift()

    def refresh(self) -> None:
        shifts = self._ctx.services.shifts
        self._ctx.worker.run(shifts.current, self._show_shift, self._failed)

    def _show_shift(self, shift: ShiftRecord | None) -> None:
        self.shift = shift
        if shift is None:
            self.shift_label.setText(self.tr("No open shift"))
        else:
            self.shift_label.setText(
                self.tr("Shift #%1 open since %2 (%3), float %4")
                .replace("%1", str(shift.shift_id))
                .replace("%2", shift.opened_at.astimezone(SHOP_TZ).strftime("%m-%d %H:%M"))
                .replace("%3", shift.opened_by)
                .replace("%4", format_yuan(shift.opening_float, symbol=True)))
        is_open = shift is not None
        self.open_button.setEnabled(not is_open)
        self.float_edit.setEnabled(not is_open)
        self.x_button.setEnabled(is_open)
        self.close_button.setEnabled(is_open)
        self.counted_edit.setEnabled(is_open)

    def _report_buttons(self) -> None:
        has = self.report is not None
        self.print_button.setEnabled(has and self._ctx.print_text is not None)
        self.export_button.setEnabled(has)

    def _money(self, edit: QLineEdit) -> Fen | None:
        text = edit.text().strip()
        try:
            value = parse_yuan(text)
        except MoneyFormatError:
            self._say(self.tr("Not an amount: %1").replace("%1", text), error=True)
            edit.setFocus()
            return None
        return value

    # ------------------------------------------------------------------ actions

    def open_shift(self) -> None:
        amount = self._money(self.float_edit)
        if amount is None:
            return
        self.message.setText("")
        shifts, user = self._ctx.services.shifts, self._ctx.session.name
        self._ctx.worker.run(lambda: shifts.open(user, amount), self._opened, self._failed)

    def _opened(self, shift: ShiftRecord) -> None:
        self.float_edit.clear()
        self._show_shift(shift)

    def x_report(self) -> None:
        self.message.setText("")
        shifts, user = self._ctx.services.shifts, self._ctx.session.name
        self._ctx.worker.run(lambda: shifts.x_report(user), self.show_report, self._failed)

    def close_shift(self) -> None:
        counted = self._money(self.counted_edit)
        if counted is None or self.shift is None:
            return
        self.message.setText("")
        hub = self._ctx.hub
        if hub is None:
            self._ask_close(counted, 0)
            return
        # changes not yet at the hub? (the count is read on the worker: a disk read)
        status = hub.status()
        link_state = None if status is None else status.state
        outbox = hub.outbox
        self.close_button.setEnabled(False)
        self._ctx.worker.run(lambda: z_sync_warning(outbox.state(), link_state),
                             lambda w: self._hub_checked(counted, w), self._close_failed)

    def _hub_checked(self, counted: Fen, warning: ZSyncWarning | None) -> None:
        self.close_button.setEnabled(self.shift is not None)
        hub = self._ctx.hub
        if warning is None or hub is None:
            self._ask_close(counted, 0)
            return
        dialog = ZSyncDialog(hub, self._ctx.worker, warning, self)
        self.hub_warning = dialog

        def finished(result: int) -> None:
            self.hub_warning = None
            dialog.setParent(None)
            if result == ZSyncDialog.DialogCode.Accepted and self.shift is not None:
                left = dialog.unsent if dialog.choice is ZSyncChoice.CLOSE_ANYWAY else 0
                self._ask_close(counted, left)

        dialog.finished.connect(finished)
        dialog.open()

    def _ask_close(self, counted: Fen, unsent_to_hub: int) -> None:
        """The manager's PIN, then the Z (``unsent_to_hub`` > 0: closed anyway, audited)."""
        if self.shift is None:
            return
        user = self._ctx.session.name
        shifts = self._ctx.services.shifts

        def approved(manager: str, pin: str) -> None:
            self.override = None
            self.close_button.setEnabled(False)
            self._ctx.worker.run(
                lambda: shifts.close(user, manager, pin, counted, unsent_to_hub=unsent_to_hub),
                self._closed, self._close_failed)

        what = self.tr("Close shift #%1 with %2 counted").replace(
            "%1", str(self.shift.shift_id)).replace("%2", format_yuan(counted, symbol=True))
        self.override = ask_approval(self._ctx, Permission.CLOSE_SHIFT, what, self, approved)

    def _closed(self, report: ShiftReport) -> None:
        self.counted_edit.clear()
        self.show_report(report)
        self._show_shift(None)

    def _close_failed(self, exc: BaseException) -> None:
        self.close_button.setEnabled(self.shift is not None)
        self._failed(exc)

    def show_report(self, report: ShiftReport) -> None:
        self.report = report
        self.report_view.setPlainText(self.report_text())
        align_wide_chars(self.report_view)
        # blind count: the expected cash is shown once the counted amount is in (Z) only
        self.expected_label.setText(self.tr("Expected cash: %1").replace(
            "%1", format_yuan(report.expected_cash, symbol=True))
            if report.kind is ReportKind.Z else "")
        diff = report.difference
        if report.kind is ReportKind.Z and diff is not None:
            if diff == 0:
                text, colour = self.tr("Cash matches: difference ¥0.00"), "#1a7f37"
            elif diff < 0:
                text, colour = self.tr("Cash SHORT by %1").replace(
                    "%1", format_yuan(-diff, symbol=True)), "#cf222e"
            else:
                text, colour = self.tr("Cash OVER by %1").replace(
                    "%1", format_yuan(diff, symbol=True)), "#9a6700"
            self.difference_label.setStyleSheet(f"color: {colour};")
            self.difference_label.setText(text)
        else:
            self.difference_label.setText("")
        self._report_buttons()

    def report_text(self) -> str:
        if self.report is None:
            return ""
        return render_text(self.report, width=self._ctx.report_width, render=render)

    def print_report(self) -> None:
        printer = self._ctx.print_text
        if self.report is None or printer is None:
            return
        self.print_button.setEnabled(False)
        self._say(self.tr("Printing…"))

        def done(error: str | None) -> None:
            self._report_buttons()
            if error:
                self._say(self.tr("Print failed: %1").replace("%1", error), error=True)
            else:
                self._say(self.tr("Printed"))

        printer(self.report_text(), done)

    def export_csv(self, path: Path | None = None) -> None:
        """Save the shown report as CSV; without ``path`` a file dialog asks."""
        report = self.report
        if report is None:
            return
        if path is None:
            name = f"{report.kind.value}_report_shift{report.shift.shift_id}.csv"
            chosen, _f = QFileDialog.getSaveFileName(self, self.tr("Export CSV"), name,
                                                     "CSV (*.csv)")
            if not chosen:
                return
            path = Path(chosen)
        target = path
        text = shift_report_csv(report)
        self._ctx.worker.run(lambda: write_csv(target, text),
                             lambda p: self._say(self.tr("Saved %1").replace("%1", str(p))),
                             self._failed)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #cf222e;" if error else "color: #1a7f37;")
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._say(error_text(exc), error=True)


def align_wide_chars(view: QPlainTextEdit) -> None:
    """Make every CJK / fullwidth character exactly two Latin columns wide on screen, as
    on the printer (the report is laid out in printer columns). Monospace CJK fonts draw
    them 1 em wide against 0.6 em for Latin, so each wide character gets the difference
    as letter spacing."""
    metrics = QFontMetricsF(view.font())
    latin, wide = metrics.horizontalAdvance("0"), metrics.horizontalAdvance("中")
    extra = 2 * latin - wide
    if abs(extra) < 0.01:
        return
    fmt = QTextCharFormat()
    fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
    fmt.setFontLetterSpacing(extra)
    doc = view.document()
    cursor = QTextCursor(doc)
    text = doc.toPlainText()
    start = None
    for i, c in enumerate(text + "\n"):
        is_wide = display_width(c) == 2
        if is_wide and start is None:
            start = i
        elif not is_wide and start is not None:
            cursor.setPosition(start)
            cursor.setPosition(i, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
            start = None

