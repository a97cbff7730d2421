"""Any screen fits (issue 10, defect 5): the sale window and the refund screen lay out
within 1024x768 (less a title bar) in English and Chinese; the till starts maximised."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.domain.money import Fen
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.i18n import install_translator
from pos_app.ui.main_window import MainWindow
from pos_app.ui.manager.refund_dialog import RefundDialog
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.services import Session
from pos_app.ui.settings_model import AppSettings, TillSettings

from .conftest import CASHIER

pytestmark = pytest.mark.gui

SMALLEST = (1024, 768 - 40)  # the smallest screen the till supports, less a title bar


@pytest.fixture(params=["en", "zh_CN"])
def lang(request, qapp):
    tr = install_translator(qapp, request.param)
    yield request.param
    qapp.removeTranslator(tr) if tr is not None else None
    install_translator(qapp, "en")


def _window(qtbot, stack, settings: AppSettings) -> MainWindow:
    bridge = Bridge()
    win = MainWindow(stack.services, Session("李经理", "manager"), bridge, Worker(bridge),
                     ScannerHub(bridge), settings)
    qtbot.addWidget(win)
    return win


def test_sale_window_fits_1024x768(qtbot, stack, lang):
    win = _window(qtbot, stack, AppSettings())
    win.quick_keys.show_products(stack.catalog.quick_keys())  # the longest names shown
    hint = win.minimumSizeHint()
    assert hint.width() <= SMALLEST[0] and hint.height() <= SMALLEST[1], (lang, hint)
    win.resize(*SMALLEST)
    win.show()
    qtbot.waitExposed(win)
    for w in (win.total_label, win.code_button, win.cash_button, win.statusBar()):
        right = w.mapTo(win, w.rect().bottomRight())
        assert right.x() <= win.width() and right.y() <= win.height(), (lang, w)


def test_refund_screen_fits_1024x768(qtbot, world, lang):
    dlg = RefundDialog(world.make_ctx(CASHIER))
    qtbot.addWidget(dlg)
    hint = dlg.minimumSizeHint()
    assert hint.width() <= SMALLEST[0] and hint.height() <= SMALLEST[1], (lang, hint)
    dlg.show()
    assert dlg.width() <= SMALLEST[0] and dlg.height() <= SMALLEST[1], (lang, dlg.size())


@pytest.mark.parametrize("kiosk", [False, True])
def test_the_till_starts_maximised_or_full_screen(qtbot, stack, kiosk):
    win = _window(qtbot, stack, AppSettings(till=replace(TillSettings(), kiosk=kiosk)))
    win.present()
    flag = Qt.WindowState.WindowFullScreen if kiosk else Qt.WindowState.WindowMaximized
    qtbot.waitUntil(lambda: bool(win.windowState() & flag), timeout=2000)


def test_refund_history_status_is_not_cut_at_1024(qtbot, world, lang):
    """The refund screen at 1024x728: every refund's status (the longest English ones,
    a paragraph) is shown whole — its column inside the table, its wrapped text inside
    its row — and the refund number is in the tooltip."""
    from dataclasses import replace as with_

    from PySide6.QtCore import QRect

    from pos_app.domain.payment import PaymentMethod
    from pos_app.domain.refund import RefundState
    from pos_app.manager.refunds import RefundRequest, refund_message
    from pos_app.ui.text import render

    from .conftest import MANAGER, MANAGER_PIN

    order_id = world.sell(("BREAD", 1), ("MILK250", 2), cash=2000)
    [cash] = world.services.refunds.request_refund(RefundRequest(
        order_id, MANAGER.name, MANAGER.name, MANAGER_PIN, "test", amount=Fen(100)))
    dlg = RefundDialog(world.make_ctx(CASHIER))
    qtbot.addWidget(dlg)
    dlg.resize(*SMALLEST)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.load(order_id)
    qtbot.waitUntil(lambda: dlg.history.rowCount() == 1, timeout=5000)
    for n, state in enumerate((RefundState.ABNORMAL, RefundState.PROCESSING,
                               RefundState.PENDING, RefundState.CLOSED), start=1):
        dlg._update(with_(cash, refund_id=cash.refund_id + 100 + n, state=state,
                          method=PaymentMethod.NATIVE,
                          out_refund_no=f"RF20261202101010{n:08x}"))
    qtbot.wait(50)
    table = dlg.history
    assert table.rowCount() == 5
    view = table.viewport().width()
    assert table.columnViewportPosition(3) + table.columnWidth(3) <= view, (lang, view)
    fm = table.fontMetrics()
    for r in range(table.rowCount()):
        item = table.item(r, 3)
        rec = dlg.refunds[int(item.data(Qt.ItemDataRole.UserRole))]
        assert item.text() == render(refund_message(rec))
        need = fm.boundingRect(QRect(0, 0, table.columnWidth(3) - 8, 10_000),
                               int(Qt.TextFlag.TextWordWrap), item.text())
        assert need.height() <= table.rowHeight(r), (lang, r, need, table.rowHeight(r))
        assert need.width() <= table.columnWidth(3), (lang, r)
    for r in range(table.rowCount()):
        rec = dlg.refunds[int(table.item(r, 0).data(Qt.ItemDataRole.UserRole))]
        assert table.item(r, 0).toolTip().startswith(rec.out_refund_no)


def test_report_columns_line_up_in_chinese_on_screen(qtbot, world):
    """The X report is laid out in printer columns (a CJK character = two); on screen the
    right-hand amounts of every full-width line end at the same x in Chinese too."""
    from PySide6.QtGui import QTextCursor

    from pos_app.manager.reports import display_width
    from pos_app.ui.manager.shift_dialog import ShiftDialog

    from .conftest import MANAGER

    qapp = QApplication.instance()
    tr = install_translator(qapp, "zh_CN")
    try:
        world.services.shifts.open(CASHIER.name, Fen(20000))
        world.sell(("BREAD", 1), cash=1000)
        world.sell(("COKE330", 1))
        dlg = ShiftDialog(world.make_ctx(MANAGER))
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        qtbot.waitUntil(dlg.x_button.isEnabled, timeout=5000)
        dlg.x_report()
        qtbot.waitUntil(lambda: dlg.report is not None, timeout=5000)
        view = dlg.report_view
        doc = view.document()
        ends: dict[int, list[str]] = {}
        width = dlg._ctx.report_width
        for n in range(doc.blockCount()):
            block = doc.findBlockByNumber(n)
            text = block.text()
            if display_width(text) != width or set(text) == {"-"} or "  " not in text:
                continue
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            ends.setdefault(view.cursorRect(cursor).x(), []).append(text)
        assert len(ends) == 1 and any(any(ord(c) > 0x2E80 for c in t)
                                      for t in next(iter(ends.values()))), ends
    finally:
        qapp.removeTranslator(tr) if tr is not None else None
        install_translator(qapp, "en")
