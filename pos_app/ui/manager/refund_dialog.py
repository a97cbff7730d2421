"""Refund against the original order: find it, choose full / by items / by amount, give a
reason, get a manager PIN, then follow the refund to SUCCESS / CLOSED / ABNORMAL.

Find by the receipt's order number (scan its QR or type it), ``out_trade_no`` or
WeChat ``transaction_id``, or by date (+ amount) from the history. Amounts are parsed
with :func:`parse_yuan` (integer fen). Every service call runs on the worker; the
by-items amount is :meth:`RefundService.quote`'s. A refund in flight is followed by the
service alone (:meth:`RefundService.follow_in_background`, which goes on after the
screen is closed); the screen only listens to the service's updates
(:meth:`RefundService.subscribe`) and shows them — it runs no follow loop of its own.

An order paid twice (both QRs paid) gets a fourth choice, chosen when the order is
loaded: "Paid twice: give back ¥X (channel)" — what the double payment still owes, back
to the extra payment (``RefundRequest(double_payment=True)``); the sale stays paid.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import Fen, MoneyFormatError, format_yuan, parse_yuan
from pos_app.domain.order import SaleOrder
from pos_app.domain.payment import ALIPAY, PaymentMethod
from pos_app.domain.refund import Refund as RefundRecord
from pos_app.domain.refund import RefundState
from pos_app.domain.staff import Permission
from pos_app.manager.messages import ManagerError
from pos_app.manager.refunds import (
    MAX_REASON_LEN,
    OrderRefundable,
    RefundRequest,
    RefundUpdate,
    plan_allocation,
    plan_owed,
    refund_message,
)
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.manager import ManagerContext, error_text
from pos_app.ui.manager.manager_override import ManagerOverrideDialog, ask_approval
from pos_app.ui.screen_fit import resize_within_screen
from pos_app.ui.text import channel_name, render

_STATE_COLOURS = {
    RefundState.SUCCESS: "#1a7f37",
    RefundState.PROCESSING: "#0969da",
    RefundState.PENDING: "#9a6700",
    RefundState.CLOSED: "#9a6700",
    RefundState.ABNORMAL: "#cf222e",
    RefundState.FAILED: "#cf222e",
}


def _when(at: datetime) -> str:
    return at.astimezone(SHOP_TZ).strftime("%Y-%m-%d %H:%M")


class RefundDialog(OneKeyDialog):
    """One refund screen; ``summary`` is the loaded order's refundable state."""

    FULL, LINES, AMOUNT, OWED = 0, 1, 2, 3

    def __init__(self, ctx: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.summary: OrderRefundable | None = None
        self.refunds: dict[int, RefundRecord] = {}
        self.override: ManagerOverrideDialog | None = None
        self._following: set[int] = set()   # in flight, shown here, followed by the service
        self._busy = False
        self._closed = False
        ctx.refunds.subscribe(self._service_update)
        self._quote: tuple[int, tuple[tuple[int, int], ...], Fen] | None = None
        self._submit_after_quote = False
        self._choose_default = True     # the next order shown gets the default choice
        self.setWindowTitle(self.tr("Refund"))
        self.setObjectName("refundDialog")
        self._build()
        resize_within_screen(self, 1200, 720)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        root = QHBoxLayout(self)
        left = QVBoxLayout()
        find = QGroupBox(self.tr("Original order"))
        fl = QGridLayout(find)
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText(
            self.tr("Scan the receipt QR, or type the order number / out_trade_no"))
        find_button = QPushButton(self.tr("Find"))
        find_button.clicked.connect(self.lookup)
        fl.addWidget(self.key_edit, 0, 0, 1, 3)
        fl.addWidget(find_button, 0, 3)
        self.day_edit = QDateEdit()
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        today = datetime.now(SHOP_TZ).date()
        self.day_edit.setDate(QDate(today.year, today.month, today.day))
        self.amount_filter = QLineEdit()
        self.amount_filter.setPlaceholderText(self.tr("Total ¥ (optional)"))
        search_button = QPushButton(self.tr("Search history"))
        search_button.clicked.connect(self.search_history)
        fl.addWidget(QLabel(self.tr("Date")), 1, 0)
        fl.addWidget(self.day_edit, 1, 1)
        fl.addWidget(self.amount_filter, 1, 2)
        fl.addWidget(search_button, 1, 3)
        self.results = QListWidget()
        self.results.setMaximumHeight(130)
        self.results.itemActivated.connect(self._result_chosen)
        self.results.itemClicked.connect(self._result_chosen)
        fl.addWidget(self.results, 2, 0, 1, 4)
        left.addWidget(find)

        self.order_label = QLabel(self.tr("No order loaded"))
        self.order_label.setObjectName("dialogTitle")
        left.addWidget(self.order_label)
        figures = QFrame()
        figures.setObjectName("totalsPanel")
        gl = QGridLayout(figures)
        self.paid_label = QLabel("—")
        self.refunded_label = QLabel("—")
        self.refundable_label = QLabel("—")
        self.refundable_label.setObjectName("bigAmount")
        for i, (caption, lab) in enumerate(((self.tr("Paid amount"), self.paid_label),
                                            (self.tr("Already refunded"), self.refunded_label),
                                            (self.tr("Refundable"), self.refundable_label))):
            gl.addWidget(QLabel(caption), 0, i)
            gl.addWidget(lab, 1, i)
        left.addWidget(figures)
        self.lines = QTableWidget(0, 5)
        self.lines.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Sold"),
                                              self.tr("Refunded"), self.tr("Left"),
                                              self.tr("Refund qty")])
        self.lines.verticalHeader().setVisible(False)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        hh = self.lines.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 5):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        left.addWidget(self.lines, 1)
        root.addLayout(left, 3)

        right = QVBoxLayout()
        mode = QGroupBox(self.tr("Refund"))
        ml = QVBoxLayout(mode)
        self.mode_group = QButtonGroup(self)
        # an order paid twice: give back what is owed (on top, and chosen, when shown;
        # made first so that Tab and the arrows go down the choices as they are shown)
        self.owed_radio = QRadioButton("")
        self.owed_radio.setObjectName("owedRefund")
        self.owed_radio.setStyleSheet("color: #cf222e; font-weight: bold;")
        self.owed_radio.setVisible(False)
        self.full_radio = QRadioButton(self.tr("Everything still refundable"))
        self.lines_radio = QRadioButton(self.tr("By item quantities"))
        self.amount_radio = QRadioButton(self.tr("By amount"))
        for i, r in enumerate((self.full_radio, self.lines_radio, self.amount_radio,
                               self.owed_radio)):
            self.mode_group.addButton(r, i)
        for r in (self.owed_radio, self.full_radio, self.lines_radio, self.amount_radio):
            ml.addWidget(r)
        self.full_radio.setChecked(True)
        self.mode_group.idToggled.connect(lambda _i, _on: self._update_quote())
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText(self.tr("Amount ¥, e.g. 4.50"))
        self.amount_edit.textEdited.connect(lambda _t: self._update_quote())
        ml.addWidget(self.amount_edit)
        self.quote_label = QLabel("")
        self.quote_label.setObjectName("paymentStatus")
        ml.addWidget(self.quote_label)
        ml.addWidget(QLabel(self.tr("Reason (required)")))
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        self.reason_box.addItems(["", self.tr("Damaged goods"), self.tr("Customer changed mind"),
                                  self.tr("Wrong item or price"), self.tr("Charged twice")])
        line_edit = self.reason_box.lineEdit()
        if line_edit is not None:
            line_edit.setMaxLength(MAX_REASON_LEN)
            line_edit.setPlaceholderText(self.tr("Why is this refunded?"))
        ml.addWidget(self.reason_box)
        self.refund_button = QPushButton(self.tr("Refund (manager PIN)"))
        self.refund_button.setObjectName("cashButton")
        self.refund_button.clicked.connect(self.submit)
        self.refund_button.setEnabled(False)
        ml.addWidget(self.refund_button)
        right.addWidget(mode)
        self.status = QLabel("")
        self.status.setObjectName("paymentStatus")
        self.status.setWordWrap(True)
        right.addWidget(self.status)
        self.history = QTableWidget(0, 4)
        self.history.setHorizontalHeaderLabels([self.tr("Refund no."), self.tr("Method"),
                                                self.tr("Amount"), self.tr("Status")])
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # the status says what to do next and can be a paragraph: it gets the width left
        # and wraps (rows grow); the long refund number is elided in the middle (its full
        # text is in the tooltip) so that at 1024 px nothing of the status is cut
        self.history.setWordWrap(True)
        self.history.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        hh = self.history.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.history.installEventFilter(self)     # resized: the refund number's width again
        for c in (1, 2):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        hh.sectionResized.connect(lambda *_a: self.history.resizeRowsToContents())
        right.addWidget(self.history, 1)
        row = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("Retry / refresh status"))
        self.retry_button.clicked.connect(self.retry_selected)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        row.addWidget(self.retry_button)
        row.addWidget(close)
        right.addLayout(row)
        root.addLayout(right, 3)

    # ------------------------------------------------------------------ finding

    def on_enter(self) -> None:
        """Enter finds the typed order, or searches the history by amount."""
        if self.focus_in(self.key_edit):
            self.lookup()
        elif self.focus_in(self.amount_filter, self.day_edit):
            self.search_history()
        elif self.focus_in(self.reason_box, self.reason_box.lineEdit(), self.amount_edit):
            self.submit()

    def offer_code(self, code: str) -> None:
        """A scan while the dialog is open (receipt QR = order number)."""
        self.key_edit.setText(code.strip())
        self.lookup()

    def lookup(self) -> None:
        key = self.key_edit.text().strip()
        if not key:
            self._error(self.tr("Scan or type the receipt's order number"))
            return
        refunds = self._ctx.refunds
        self._info(self.tr("Looking up…"))
        self._ctx.worker.run(lambda: refunds.find_order(key),
                             lambda o: self._found(key, o), self._failed)

    def _found(self, key: str, order: SaleOrder | None) -> None:
        if order is None:
            self._error(self.tr("No paid order found for %1").replace("%1", key))
            return
        self.load(order.order_id)

    def search_history(self) -> None:
        text = self.amount_filter.text().strip()
        amount: Fen | None = None
        if text:
            try:
                amount = parse_yuan(text)
            except MoneyFormatError:
                self._error(self.tr("Not an amount: %1").replace("%1", text))
                return
        qd = self.day_edit.date()
        day = datetime(qd.year(), qd.month(), qd.day()).date()
        refunds = self._ctx.refunds
        self._ctx.worker.run(lambda: refunds.search_orders(day, amount), self._show_results,
                             self._failed)

    def _show_results(self, orders: list[SaleOrder]) -> None:
        self.results.clear()
        for o in orders:
            item = QListWidgetItem(f"#{o.order_no}   {_when(o.created_at)}   "
                                   f"{format_yuan(o.total, symbol=True)}   {o.cashier}")
            item.setData(Qt.ItemDataRole.UserRole, o.order_id)
            self.results.addItem(item)
        self._info(self.tr("%1 order(s) found").replace("%1", str(len(orders))))

    def _result_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.load(int(item.data(Qt.ItemDataRole.UserRole)))

    def load(self, order_id: int) -> None:
        refunds = self._ctx.refunds
        self._ctx.worker.run(lambda: refunds.refundable(order_id), self._show_summary,
                             self._failed)

    def _show_summary(self, summary: OrderRefundable) -> None:
        changed = self.summary is None or self.summary.order.order_id != summary.order.order_id
        default, self._choose_default = self._choose_default or changed, False
        self.summary = summary
        self._quote = None  # refunded quantities may have changed
        o = summary.order
        self.order_label.setText(self.tr("Order #%1 · %2 · %3").replace("%1", o.order_no)
                                 .replace("%2", _when(o.created_at)).replace("%3", o.cashier))
        paid = summary.paid
        # how it was paid: the refund goes back the same way (the payment's own channel)
        ways = dict.fromkeys(self.method_label(p.payment.channel, p.payment.method)
                             for p in summary.payments)
        self.paid_label.setText(" · ".join([format_yuan(paid, symbol=True), *ways]))
        self.refunded_label.setText(format_yuan(paid - summary.refundable, symbol=True))
        self.refundable_label.setText(format_yuan(summary.refundable, symbol=True))
        self.lines.setRowCount(len(summary.lines))
        for r, lr in enumerate(summary.lines):
            for c, text in enumerate((lr.line.name, str(lr.line.quantity),
                                      str(lr.refunded_quantity), str(lr.remaining_quantity))):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.lines.setItem(r, c, item)
            spin = QSpinBox()
            spin.setRange(0, max(0, lr.remaining_quantity))
            spin.setEnabled(lr.remaining_quantity > 0)
            spin.valueChanged.connect(self._qty_changed)
            self.lines.setCellWidget(r, 4, spin)
        for rec in summary.refunds:
            self.refunds[rec.refund_id] = rec
        self._show_history()
        self.refund_button.setEnabled(summary.refundable > 0 and not self._busy)
        if summary.refundable > 0 and not self._busy:
            self.reason_box.setFocus()  # a reason (↓ picks one), then Enter asks for the PIN
        self._show_owed(summary, default)
        if changed:
            self.status.setText("")
            self.amount_edit.clear()
            for rec in summary.refunds:
                if not rec.state.final and rec.method is not PaymentMethod.CASH \
                        and rec.refund_id not in self._following:
                    self._follow(rec.refund_id)   # pick up refunds still in flight
        if summary.refundable <= 0:
            self._info(self.tr("Nothing left to refund on this order"))
        self._update_quote()

    def _show_owed(self, summary: OrderRefundable, default: bool) -> None:
        """The paid-twice choice while something is owed; the default choice is it, else
        everything still refundable."""
        owed = summary.owed
        extra = summary.extra_payment
        if owed > 0 and extra is not None:
            self.owed_radio.setText(self.tr("Paid twice: give back %1 (%2)").replace(
                "%1", format_yuan(owed, symbol=True)).replace(
                "%2", self.channel_label(extra.payment.channel, extra.payment.method)))
        self.owed_radio.setVisible(owed > 0)
        if default or (owed <= 0 and self.owed_radio.isChecked()):
            (self.owed_radio if owed > 0 else self.full_radio).setChecked(True)

    # ------------------------------------------------------------------ choosing

    def line_quantities(self) -> dict[int, int]:
        if self.summary is None:
            return {}
        out: dict[int, int] = {}
        for r, lr in enumerate(self.summary.lines):
            spin = self.lines.cellWidget(r, 4)
            if isinstance(spin, QSpinBox) and spin.value() > 0:
                out[lr.line.line_no] = spin.value()
        return out

    def set_line_quantity(self, row: int, quantity: int) -> None:
        spin = self.lines.cellWidget(row, 4)
        if isinstance(spin, QSpinBox):
            spin.setValue(quantity)

    def _qty_changed(self, _v: int) -> None:
        if self.line_quantities():
            self.lines_radio.setChecked(True)
        self._update_quote()

    def requested_amount(self) -> Fen:
        """What the chosen mode would refund (raises ManagerError / MoneyFormatError)."""
        s = self.summary
        if s is None:
            return Fen(0)
        mode = self.mode_group.checkedId()
        if mode == self.FULL:
            return s.refundable
        if mode == self.OWED:
            return s.owed
        if mode == self.LINES:
            quote = self._quote
            key = (s.order.order_id, self._lines_key())
            if quote is None or quote[:2] != key:
                raise QuotePending
            return quote[2]
        return parse_yuan(self.amount_edit.text().strip())

    def _lines_key(self) -> tuple[tuple[int, int], ...]:
        return tuple(sorted(self.line_quantities().items()))

    def _request_quote(self) -> None:
        """The service's amount for the chosen quantities (on the worker)."""
        s = self.summary
        if s is None:
            return
        order_id, lines = s.order.order_id, self._lines_key()
        refunds = self._ctx.refunds

        def quoted(amount: Fen) -> None:
            self._quote = (order_id, lines, amount)
            self._update_quote()
            if self._submit_after_quote:
                self._submit_after_quote = False
                self.submit()

        def refused(exc: BaseException) -> None:
            self._submit_after_quote = False
            self._failed(exc)

        self._ctx.worker.run(lambda: refunds.quote(order_id, dict(lines)), quoted, refused)

    def _update_quote(self) -> None:
        self.amount_edit.setEnabled(self.mode_group.checkedId() == self.AMOUNT)
        if self.summary is None:
            self.quote_label.setText("")
            return
        try:
            amount = self.requested_amount()
        except QuotePending:
            self.quote_label.setText(self.tr("Refund: —"))
            self._request_quote()
            return
        except (MoneyFormatError, ManagerError):
            self.quote_label.setText(self.tr("Refund: —"))
            return
        self.quote_label.setText(self.tr("Refund: %1").replace(
            "%1", format_yuan(amount, symbol=True)))

    # ------------------------------------------------------------------ refunding

    def submit(self) -> None:
        """Check the input here (nothing sent), then ask for the manager's PIN."""
        s = self.summary
        if s is None or self._busy:
            return
        reason = self.reason_box.currentText().strip()
        mode = self.mode_group.checkedId()
        try:
            amount = self.requested_amount()
        except QuotePending:  # the service's amount first, then submit again
            self._submit_after_quote = True
            self._request_quote()
            return
        except MoneyFormatError:
            self._error(self.tr("Not an amount: %1").replace("%1", self.amount_edit.text()))
            return
        if mode == self.LINES and not self.line_quantities():
            self._error(self.tr("Choose the quantities to refund"))
            return
        if amount <= 0:
            self._error(self.tr("Nothing to refund"))
            return
        try:                                     # same rules (and messages) as the service
            if mode == self.OWED:
                plan_owed(s)
            else:
                plan_allocation(s, amount, None)
        except ManagerError as exc:
            self._error(error_text(exc))
            return
        if not reason:
            self._error(self.tr("A refund reason is required"))
            self.reason_box.setFocus()
            return
        order_id = s.order.order_id
        lines = self.line_quantities() if mode == self.LINES else None
        what = (self.tr("Give back %1 paid twice on order #%2") if mode == self.OWED
                else self.tr("Refund %1 on order #%2")).replace(
            "%1", format_yuan(amount, symbol=True)).replace("%2", s.order.order_no)

        def approved(manager: str, pin: str) -> None:
            self.override = None
            self._send(RefundRequest(
                order_id=order_id, cashier=self._ctx.session.name, manager=manager,
                manager_pin=pin, reason=reason, full=mode == self.FULL,
                amount=amount if mode == self.AMOUNT else None, lines=lines,
                double_payment=mode == self.OWED))

        self.override = ask_approval(self._ctx, Permission.REFUND, what, self, approved)

    def _send(self, req: RefundRequest) -> None:
        self._busy = True
        self.refund_button.setEnabled(False)
        self._info(self.tr("Sending the refund…"))
        refunds = self._ctx.refunds
        self._ctx.worker.run(lambda: refunds.request_refund(req), self._sent, self._send_failed)

    def _sent(self, records: list[RefundRecord]) -> None:
        self._busy = False
        if self._ctx.on_refunded is not None:
            self._ctx.on_refunded(records)  # refund slip, cash drawer
        for rec in records:
            self._update(rec)
            if not rec.state.final and rec.method is not PaymentMethod.CASH:
                self._follow(rec.refund_id)
        self.reason_box.setCurrentIndex(0)
        self.amount_edit.clear()
        self._choose_default = True
        if self.summary is not None:
            self.load(self.summary.order.order_id)

    def _send_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.refund_button.setEnabled(self.summary is not None and self.summary.refundable > 0)
        self._error(error_text(exc))
        if self.summary is not None:    # refused: maybe another screen refunded meanwhile
            self.load(self.summary.order.order_id)

    def retry_selected(self) -> None:
        """Re-query the selected refund; a PENDING one is re-sent with the SAME number."""
        row = self.history.currentRow()
        if row < 0:
            row = self.history.rowCount() - 1
        if row < 0:
            return
        item = self.history.item(row, 0)
        if item is None:
            return
        refund_id = int(item.data(Qt.ItemDataRole.UserRole))
        refunds = self._ctx.refunds
        self._info(self.tr("Checking the refund…"))
        self._ctx.worker.run(lambda: refunds.retry(refund_id), self._retried, self._failed)

    def _retried(self, rec: RefundRecord) -> None:
        self._update(rec)
        if not rec.state.final and rec.refund_id not in self._following:
            self._follow(rec.refund_id)
        if self.summary is not None:
            self.load(self.summary.order.order_id)

    def _follow(self, refund_id: int) -> None:
        """Have the service follow the refund (idempotent: it already does for the refunds
        it sent); its final state comes back through :meth:`_service_update`."""
        if self._closed or refund_id in self._following:
            return
        self._following.add(refund_id)
        self._ctx.refunds.follow_in_background(refund_id)

    def _service_update(self, update: RefundUpdate) -> None:
        """From the service's follow thread: show it on the UI thread."""
        if not self._closed:
            self._ctx.worker.call_soon(lambda: self._followed(update.record))

    def _followed(self, rec: RefundRecord) -> None:
        self._following.discard(rec.refund_id)
        if self._closed or rec.refund_id not in self.refunds:
            return      # another screen's refund, or this one is closed
        self._update(rec)
        if rec.state.final and self.summary is not None:
            self.load(self.summary.order.order_id)

    def _update(self, rec: RefundRecord) -> None:
        self.refunds[rec.refund_id] = rec
        self._show_history()
        msg = refund_message(rec, datetime.now(UTC))
        amount = format_yuan(rec.amount, symbol=True)
        self.status.setStyleSheet(f"color: {_STATE_COLOURS[rec.state]};")
        self.status.setText(f"{amount} — {render(msg)}")

    def _show_history(self) -> None:
        order_id = self.summary.order.order_id if self.summary is not None else None
        recs = sorted((r for r in self.refunds.values() if r.order_id == order_id),
                      key=lambda r: r.refund_id)
        self.history.setRowCount(len(recs))
        for r, rec in enumerate(recs):
            msg = refund_message(rec, datetime.now(UTC))
            cells = (rec.out_refund_no, self.method_label(rec.channel, rec.method),
                     format_yuan(rec.amount, symbol=True), render(msg))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, rec.refund_id)
                item.setToolTip(f"{rec.out_refund_no}\n{render(msg)}\n{rec.reason} — "
                                f"{rec.approved_by}")
                if c == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.history.setItem(r, c, item)
        self._fit_history()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.history and event.type() == QEvent.Type.Resize:
            self._fit_history()
        return super().eventFilter(watched, event)

    def _fit_history(self) -> None:
        """The refund number as wide as it needs, but at most a quarter of the table (it
        is elided in the middle then): the status keeps the room to be read whole."""
        table = self.history
        fm = table.fontMetrics()
        head = table.horizontalHeaderItem(0)
        need = max([fm.horizontalAdvance(head.text() if head is not None else "")]
                   + [fm.horizontalAdvance(it.text()) for r in range(table.rowCount())
                      if (it := table.item(r, 0)) is not None]) + 16
        table.setColumnWidth(0, max(fm.horizontalAdvance("RF2026…a1b2"),
                                    min(need, table.viewport().width() // 4)))
        table.resizeRowsToContents()

    def channel_label(self, channel: str, method: PaymentMethod) -> str:
        """Where a payment's money goes back: the channel alone."""
        return self.tr("Cash") if method is PaymentMethod.CASH else channel_name(channel)

    def method_label(self, channel: str, method: PaymentMethod) -> str:
        """How a payment was made: its channel and method (records from before channels:
        cash or WeChat Pay)."""
        if method is PaymentMethod.CASH:
            return self.tr("Cash")
        if channel == ALIPAY:
            return self.tr("Alipay QR") if method is PaymentMethod.NATIVE \
                else self.tr("Alipay code")
        return self.tr("WeChat QR") if method is PaymentMethod.NATIVE else self.tr("WeChat code")

    # ------------------------------------------------------------------ messages

    def _info(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)

    def _error(self, text: str) -> None:
        self.status.setStyleSheet("color: #cf222e;")
        self.status.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._error(error_text(exc))

    def done(self, result: int) -> None:
        self._stop_following()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_following()
        super().closeEvent(event)

    def _stop_following(self) -> None:
        """Stop listening (the service goes on following its refunds)."""
        if not self._closed:
            self._closed = True
            self._ctx.refunds.unsubscribe(self._service_update)


class QuotePending(Exception):
    """The by-items amount has not come back from the service yet."""
