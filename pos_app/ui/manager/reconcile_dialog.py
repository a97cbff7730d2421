"""Reconciliation (对账): download a payment channel's trade bill for a day (WeChat Pay or
Alipay: each channel against its own bill), compare it with the local payments and refunds
of that channel, list the mismatches; a payment the channel has but the till lost can be
re-queried and recorded with one click."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import format_yuan
from pos_app.domain.payment import PaidPayment
from pos_app.manager.export import reconcile_csv, write_csv
from pos_app.manager.reconcile import Mismatch, ReconcileReport
from pos_app.ui import plain_text
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import ManagerContext, error_text
from pos_app.ui.screen_fit import resize_within_screen
from pos_app.ui.text import channel_name, render


def _yuan(v: int | None) -> str:
    return "—" if v is None else format_yuan(v, symbol=True)


class ReconcileDialog(OneKeyDialog):
    """``report`` is the last comparison shown."""

    def __init__(self, ctx: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.report: ReconcileReport | None = None
        self.fix_buttons: dict[int, QPushButton] = {}
        self.setWindowTitle(self.tr("Reconcile with the payment channel's bill"))
        self.setObjectName("reconcileDialog")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        # each enabled channel is reconciled against its own bill (hidden with one channel)
        self.channel_box = QComboBox()
        names = ctx.services.reconcile.channels if ctx.services.reconcile is not None else ()
        for name in names:
            self.channel_box.addItem(channel_name(name), name)
        self.channel_box.setVisible(len(names) > 1)
        top.addWidget(self.channel_box)
        self.day_edit = QDateEdit()
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        # A day's bill exists from 10:00 the next morning: the latest choice is yesterday.
        yesterday = (ctx.services.reconcile.latest_day() if ctx.services.reconcile is not None
                     else datetime.now(SHOP_TZ).date() - timedelta(days=1))
        self.day_edit.setMaximumDate(QDate(yesterday.year, yesterday.month, yesterday.day))
        self.set_day(yesterday)
        self.run_button = QPushButton(self.tr("Download bill and compare"))
        self.run_button.setObjectName("cashButton")
        self.run_button.clicked.connect(self.run)
        top.addWidget(QLabel(self.tr("Business day (Beijing time)")))
        top.addWidget(self.day_edit)
        top.addWidget(self.run_button, 1)
        lay.addLayout(top)
        hint = QLabel(self.tr("The bill for a day is ready after 10:00 the next morning."))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.summary = QLabel("")
        self.summary.setObjectName("paymentStatus")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Problem"), self.tr("Order (out_trade_no)"), self.tr("In the bill"),
            self.tr("Local"), self.tr("Detail"), self.tr("Action")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export CSV"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.export_csv())
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(close)
        lay.addLayout(row)
        resize_within_screen(self, 1100, 640)
        if ctx.services.reconcile is None:
            self.run_button.setEnabled(False)
            self._error(self.tr("Offline: reconciliation needs a payment channel"))

    def channel(self) -> str | None:
        """The channel picked (None: the only one)."""
        name = self.channel_box.currentData()
        return str(name) if name else None

    def on_enter(self) -> None:
        if self.run_button.isEnabled():     # Enter = download and compare
            self.run()

    def set_day(self, day: date) -> None:
        self.day_edit.setDate(QDate(day.year, day.month, day.day))

    def day(self) -> date:
        qd = self.day_edit.date()
        return date(qd.year(), qd.month(), qd.day())

    # ------------------------------------------------------------------ running

    def run(self) -> None:
        service = self._ctx.services.reconcile
        if service is None:
            return
        day, channel = self.day(), self.channel()
        self.run_button.setEnabled(False)
        self._info(self.tr("Downloading the bill for %1…").replace("%1", day.isoformat()))
        self._ctx.worker.run(lambda: service.run(day, channel), self.show_report,
                             self._run_failed)

    def _run_failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self._error(error_text(exc))

    def show_report(self, report: ReconcileReport) -> None:
        self.report = report
        self.run_button.setEnabled(True)
        self.export_button.setEnabled(True)
        head = self.tr("%1 %2: %3 payment(s) and %4 refund(s) match. Bill %5 / local %6; "
                       "refunds %7 / %8. Customers paid %9; the bill settles %10.")
        for key, value in (("%10", _yuan(report.remote_settlement_total)),
                           ("%1", channel_name(report.channel)),
                           ("%2", report.bill_date), ("%3", str(report.matched_payments)),
                           ("%4", str(report.matched_refunds)),
                           ("%5", _yuan(report.remote_payment_total)),
                           ("%6", _yuan(report.local_payment_total)),
                           ("%7", _yuan(report.remote_refund_total)),
                           ("%8", _yuan(report.local_refund_total)),
                           ("%9", _yuan(report.local_customer_paid_total))):
            head = head.replace(key, value)
        if report.ok:
            verdict = self.tr("Everything matches.")
            self.summary.setStyleSheet("color: #1a7f37;")
        else:
            verdict = self.tr("%1 mismatch(es) to check.").replace(
                "%1", str(len(report.mismatches)))
            self.summary.setStyleSheet("color: #cf222e;")
        if report.headline is not None:
            verdict = f"{render(report.headline)} {verdict}"
        self.summary.setText(f"{verdict} {head}")
        if report.warnings:
            self._error(self.tr("Bill warnings: %1").replace("%1", "; ".join(report.warnings)))
        else:
            self._info("")
        self.fix_buttons.clear()
        self.table.setRowCount(len(report.mismatches))
        for r, m in enumerate(report.mismatches):
            no = m.out_trade_no + (f" / {m.out_refund_no}" if m.out_refund_no else "")
            detail = " ".join(x for x in (m.transaction_id, m.detail) if x)
            for c, text in enumerate((render(m.message), no,
                                      _yuan(m.remote_amount), _yuan(m.local_amount), detail)):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if m.fixable:
                b = QPushButton(self.tr("Fix: record it locally"))
                b.clicked.connect(lambda _c=False, mm=m, row=r: self.fix(mm, row))
                self.table.setCellWidget(r, 5, b)
                self.fix_buttons[r] = b
            else:
                self.table.setItem(r, 5, QTableWidgetItem(self.tr("Check by hand")))

    # ------------------------------------------------------------------ fixing

    def fix(self, mismatch: Mismatch, row: int) -> None:
        """Re-query the order at its channel; record it locally only if really paid."""
        service = self._ctx.services.reconcile
        if service is None:
            return
        button = self.fix_buttons.get(row)
        if button is not None:
            button.setEnabled(False)
        actor = self._ctx.session.name
        self._info(self.tr("Re-querying %1 at %2…").replace("%1", mismatch.out_trade_no)
                   .replace("%2", channel_name(mismatch.channel)))
        self._ctx.worker.run(lambda: service.fix_missing_local(mismatch, actor), self._fixed,
                             lambda e: self._fix_failed(e, row))

    def _fixed(self, payment: PaidPayment) -> None:
        self._ok(self.tr("Recorded %1 for %2 (order #%3)").replace(
            "%1", _yuan(payment.amount)).replace("%2", payment.out_trade_no).replace(
            "%3", str(payment.order_id)))
        service = self._ctx.services.reconcile
        if service is not None and self.report is not None:
            day = date.fromisoformat(self.report.bill_date)
            channel = self.report.channel
            msg = self.message.text()

            def rerun(rep: ReconcileReport) -> None:
                self.show_report(rep)
                self._ok(msg)

            self._ctx.worker.run(lambda: service.run(day, channel), rerun, self._run_failed)

    def _fix_failed(self, exc: BaseException, row: int) -> None:
        button = self.fix_buttons.get(row)
        if button is not None:
            button.setEnabled(True)
        self._error(error_text(exc))

    # ------------------------------------------------------------------ export / messages

    def export_csv(self, path: Path | None = None) -> None:
        report = self.report
        if report is None:
            return
        if path is None:
            chosen, _f = QFileDialog.getSaveFileName(
                self, self.tr("Export CSV"), f"reconcile_{report.channel}_{report.bill_date}.csv", "CSV (*.csv)")
            if not chosen:
                return
            path = Path(chosen)
        target, text = path, reconcile_csv(report, plain_text.render)
        self._ctx.worker.run(lambda: write_csv(target, text),
                             lambda p: self._ok(self.tr("Saved %1").replace("%1", str(p))),
                             self._failed)

    def _info(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _ok(self, text: str) -> None:
        self.message.setStyleSheet("color: #1a7f37;")
        self.message.setText(text)

    def _error(self, text: str) -> None:
        self.message.setStyleSheet("color: #cf222e;")
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._error(error_text(exc))
