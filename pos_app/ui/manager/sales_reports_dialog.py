"""Sales reports (销售报表) screen: for a range of shop days, net sales by day and by hour
as bar charts, top products and categories (chart and table), payment methods and
cashiers; the figures are :mod:`pos_app.manager.sales_report`'s (computed on the
worker), exportable to CSV. All tills, or one (Ctrl+T, then the arrow keys: the till ids
found in the data); products are named as they were sold."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.clock import shop_day
from pos_app.domain.money import format_yuan
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.text import msg
from pos_app.manager.reports import METHOD_LABELS
from pos_app.manager.sales_report import (
    Figures,
    SalesReport,
    SalesReports,
    sales_report_csv,
)
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import ManagerContext, error_text
from pos_app.ui.manager.bar_chart import BarChart
from pos_app.ui.manager.products_dialog import csv_file_dialog
from pos_app.ui.screen_fit import resize_within_screen
from pos_app.ui.text import render

TOP_PRODUCTS = 15


def _yuan(v: int) -> str:
    return format_yuan(v, symbol=True)


def _short_yuan(v: int) -> str:
    """Axis labels: whole yuan."""
    sign = "-" if v < 0 else ""
    return f"{sign}¥{abs(v) // 100:,}"


def method_name(m: PaymentMethod) -> str:
    key = METHOD_LABELS.get(m)
    return render(msg(key)) if key is not None else m.value


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class SalesReportsDialog(OneKeyDialog):
    """``report``: the one shown (None until the first one is computed)."""

    def __init__(self, ctx: ManagerContext, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._reports = SalesReports(ctx.services.store.db)
        self._today = today or shop_day(ctx.services.store.clock.now())
        self.report: SalesReport | None = None
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("Sales reports"))
        self.setObjectName("salesReportsDialog")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.first_edit = QDateEdit(_qdate(self._today - timedelta(days=6)))
        self.last_edit = QDateEdit(_qdate(self._today))
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        top.addWidget(QLabel(self.tr("From")))
        top.addWidget(self.first_edit)
        top.addWidget(QLabel(self.tr("to")))
        top.addWidget(self.last_edit)
        top.addWidget(QLabel(self.tr("Till (Ctrl+T)")))
        self.till_box = QComboBox()
        self.till_box.setObjectName("tillBox")
        self.till_box.addItem(self.tr("All tills"), None)
        self.till_box.currentIndexChanged.connect(lambda _i: self.run())
        top.addWidget(self.till_box)
        show = QPushButton(self.tr("Show (Enter)"))
        show.clicked.connect(self.run)
        top.addWidget(show)
        top.addStretch(1)
        self.export_button = QPushButton(self.tr("Export CSV… (Ctrl+E)"))
        self.export_button.setShortcut("Ctrl+E")
        self.export_button.clicked.connect(self.ask_export)
        self.export_button.setEnabled(False)
        top.addWidget(self.export_button)
        lay.addLayout(top)
        presets = QHBoxLayout()
        for text, key, days in ((self.tr("Today"), "Ctrl+1", 0),
                                (self.tr("7 days"), "Ctrl+2", 6),
                                (self.tr("30 days"), "Ctrl+3", 29)):
            b = QPushButton(f"{text} ({key})")
            b.setShortcut(key)
            b.clicked.connect(lambda _c=False, d=days: self.last_days(d))
            presets.addWidget(b)
        month = QPushButton(self.tr("This month (Ctrl+4)"))
        month.setShortcut("Ctrl+4")
        month.clicked.connect(self.this_month)
        presets.addWidget(month)
        presets.addStretch(1)
        lay.addLayout(presets)
        self.summary = QLabel("")
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.message = QLabel("")
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)

        self.tabs = QTabWidget()
        self.day_chart = BarChart()
        self.hour_chart = BarChart()
        self.tabs.addTab(self.day_chart, self.tr("By day"))
        self.tabs.addTab(self.hour_chart, self.tr("By hour"))
        self.product_chart = BarChart(horizontal=True)
        self.product_table = self._table([self.tr("Product"), self.tr("Category"),
                                          self.tr("Qty"), self.tr("Sales"), self.tr("Refunds"),
                                          self.tr("Net")])
        self.tabs.addTab(self._split(self.product_chart, self.product_table),
                         self.tr("Top products"))
        self.category_chart = BarChart(horizontal=True)
        self.category_table = self._table([self.tr("Category"), self.tr("Qty"),
                                           self.tr("Sales"), self.tr("Refunds"), self.tr("Net")])
        self.tabs.addTab(self._split(self.category_chart, self.category_table),
                         self.tr("Categories"))
        self.method_table = self._table([self.tr("Payment method"), self.tr("Payments"),
                                         self.tr("Sales"), self.tr("Refunds"), self.tr("Net")])
        self.tabs.addTab(self.method_table, self.tr("Payment methods"))
        self.cashier_table = self._table([self.tr("Cashier"), self.tr("Payments"),
                                          self.tr("Sales"), self.tr("Refunds"), self.tr("Net")])
        self.tabs.addTab(self.cashier_table, self.tr("Cashiers"))
        lay.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        row.addWidget(close)
        lay.addLayout(row)
        pick_till = QAction(self)
        pick_till.setShortcut(QKeySequence("Ctrl+T"))
        pick_till.triggered.connect(lambda _c=False: self.till_box.setFocus())
        self.addAction(pick_till)
        resize_within_screen(self, 1000, 660)
        reports = self._reports
        ctx.worker.run(reports.tills, self._tills_found, self._failed)
        self.run()

    def _tills_found(self, tills: list[str]) -> None:
        self.till_box.blockSignals(True)
        for till in tills:
            self.till_box.addItem(self.tr("Till %1").replace("%1", till), till)
        self.till_box.blockSignals(False)

    @property
    def till_id(self) -> str | None:
        """The till chosen (None: all tills)."""
        data = self.till_box.currentData()
        return data if isinstance(data, str) else None

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.verticalHeader().setVisible(False)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        h = t.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return t

    @staticmethod
    def _split(chart: BarChart, table: QTableWidget) -> QSplitter:
        s = QSplitter(Qt.Orientation.Horizontal)
        s.addWidget(chart)
        s.addWidget(table)
        s.setSizes([500, 500])
        return s

    # ------------------------------------------------------------------ range

    def last_days(self, days: int) -> None:
        self.first_edit.setDate(_qdate(self._today - timedelta(days=days)))
        self.last_edit.setDate(_qdate(self._today))
        self.run()

    def this_month(self) -> None:
        self.first_edit.setDate(_qdate(self._today.replace(day=1)))
        self.last_edit.setDate(_qdate(self._today))
        self.run()

    def on_enter(self) -> None:
        self.run()

    def run(self) -> None:
        first, last = _date(self.first_edit.date()), _date(self.last_edit.date())
        reports, till = self._reports, self.till_id
        self.message.setText(self.tr("Computing…"))
        self._ctx.worker.run(lambda: reports.report(first, last, till), self.show_report,
                             self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))

    # ------------------------------------------------------------------ showing

    def show_report(self, r: SalesReport) -> None:
        if (r.first_day, r.last_day, r.till_id) != (
                _date(self.first_edit.date()), _date(self.last_edit.date()), self.till_id):
            return  # an older range's (or till's) answer
        self.report = r
        self.message.setText("")
        self.export_button.setEnabled(True)
        t = r.totals
        which = (self.tr("All tills") if r.till_id is None
                 else self.tr("Till %1").replace("%1", r.till_id))
        self.summary.setText(
            which + " · " +
            self.tr("%1 to %2: sales %3 (%4 payments) − refunds %5 (%6) = net %7")
            .replace("%1", r.first_day.isoformat()).replace("%2", r.last_day.isoformat())
            .replace("%3", _yuan(t.sales)).replace("%4", str(t.sales_count))
            .replace("%5", _yuan(t.refunds)).replace("%6", str(t.refund_count))
            .replace("%7", _yuan(t.net)))
        empty = self.tr("No sales in this range")
        self.day_chart.set_data([d.strftime("%m-%d") for d, _ in r.by_day],
                                [f.net for _, f in r.by_day], _short_yuan, empty)
        self.hour_chart.set_data([f"{h:02d}" for h, _ in r.by_hour],
                                 [f.net for _, f in r.by_hour], _short_yuan, empty)
        none = self.tr("(none)")
        top = r.by_product[:TOP_PRODUCTS]
        self.product_chart.set_data([p.name or none for p in top],
                                    [p.figures.net for p in top], _yuan, empty)
        self._fill(self.product_table, [
            [p.name or none, p.category, str(p.figures.quantity - p.figures.refunded_quantity),
             *self._money(p.figures)] for p in r.by_product])
        self.category_chart.set_data([c or none for c, _ in r.by_category],
                                     [f.net for _, f in r.by_category], _yuan, empty)
        self._fill(self.category_table, [
            [c or none, str(f.quantity - f.refunded_quantity), *self._money(f)]
            for c, f in r.by_category])
        self._fill(self.method_table, [
            [method_name(m), str(f.sales_count), *self._money(f)] for m, f in r.by_method])
        self._fill(self.cashier_table, [
            [c or none, str(f.sales_count), *self._money(f)] for c, f in r.by_cashier])

    @staticmethod
    def _money(f: Figures) -> list[str]:
        return [_yuan(f.sales), _yuan(f.refunds), _yuan(f.net)]

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for i, cells in enumerate(rows):
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j >= 1 and (text[:1].isdigit() or text[:1] in "¥-"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(i, j, item)

    # ------------------------------------------------------------------ export

    def ask_export(self) -> None:
        if self.report is None:
            return
        r = self.report
        self.file_dialog = csv_file_dialog(
            self, self.tr("Export the sales report to CSV"), True,
            self.export_to, f"sales-{r.first_day.isoformat()}-{r.last_day.isoformat()}"
            + ("" if r.till_id is None else f"-till-{r.till_id}") + ".csv")

    def export_to(self, path: Path) -> None:
        if self.report is None:
            return
        text = sales_report_csv(self.report)

        def write() -> None:
            tmp = path.with_name(path.name + ".tmp")
            try:
                tmp.write_text(text, encoding="utf-8-sig", newline="")
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)

        self._ctx.worker.run(write, lambda _r: self.message.setText(
            self.tr("Saved %1").replace("%1", str(path))), self._write_failed)

    def _write_failed(self, exc: BaseException) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else \
            type(exc).__name__
        self.message.setText(self.tr("Cannot write the file: %1").replace("%1", reason))
