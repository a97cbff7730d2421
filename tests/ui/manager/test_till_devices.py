"""The till's devices on the real MainWindow, driven with keys: the drawer opens for a cash
sale, "no sale" (Ctrl+D) needs a manager's PIN and is audited, a past receipt is reprinted
from the order history (Ctrl+Shift+P), a cash refund prints a refund slip and opens the
drawer, and the network printer is set up in Settings with a test page; its state shows in
the status area while receipts wait."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pos_app.devices.printer.queue import QueueState
from pos_app.domain.money import Fen
from pos_app.sale.cash_drawer import NO_SALE_AUDIT
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.main_window import MainWindow, payment_sink
from pos_app.ui.manager.refund_dialog import RefundDialog
from pos_app.ui.reprint_dialog import ReprintDialog
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.services import Session
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.settings_model import AppSettings, DrawerSettings, PrinterSettings
from tests.unit.devices.fake_printer import PAPER_OUT, READY, fake_printer

from .conftest import CASHIER, MANAGER, MANAGER_PIN

pytestmark = pytest.mark.gui

KICK_PIN2 = b"\x1bp\x00\x19\xfa"
GB = "gb18030"


@pytest.fixture
def till(qtbot, qapp, stack, world, tmp_path) -> Iterator:  # type: ignore[no-untyped-def]
    made: list[tuple[MainWindow, Worker, object]] = []

    def make(session: Session = CASHIER, settings: AppSettings | None = None) -> MainWindow:
        out = tmp_path / "printer.bin"
        settings = settings or AppSettings(
            printer=PrinterSettings(kind="file", target=str(out)),
            drawer=DrawerSettings(enabled=True, pin=2))
        bridge = Bridge()
        worker = Worker(bridge)
        hub = ScannerHub(bridge)
        services = replace(stack.services, manager=world.services,
                           staff=world.make_ctx(session).accounts)
        win = MainWindow(services, session, bridge, worker, hub, settings)
        sink = payment_sink(bridge)
        stack.till.subscribe(sink)
        made.append((win, worker, sink))
        if world.services.shifts.current() is None:
            world.services.shifts.open(session.name, Fen(20000))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.recovery_done([])
        qtbot.waitUntil(lambda: win.sale.shift_open and win.quick_grid.count() > 0,
                        timeout=5000)
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=2000)
        return win

    yield make
    for win, worker, sink in made:
        win.close()
        stack.till.unsubscribe(sink)
        worker.shutdown(wait=True)


def printed(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def type_pin(qtbot, dlg, pin: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (dlg.user_box.count() > 0 and dlg.approve_button.isEnabled())
                    or dlg.self_approve, timeout=5000)
    box = dlg.user_box
    if box.findData("李经理") >= 0:
        box.setCurrentIndex(box.findData("李经理"))
    dlg.pin_edit.setFocus()
    for ch in pin:
        qtbot.keyClick(dlg.pin_edit, ch)
    qtbot.keyClick(dlg.pin_edit, Qt.Key.Key_Return)


def refund_whole_order(qtbot, win, order_id: int, reason: str) -> RefundDialog:  # type: ignore[no-untyped-def]
    """The manager's refund walk with keys: Shift+F1, the order number, the reason, Enter,
    the manager's PIN. The refund screen, left open."""
    qtbot.keyClick(win, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    dlg = win.manager_menu.dialog
    assert isinstance(dlg, RefundDialog)
    dlg.key_edit.setFocus()
    for ch in f"{order_id:08d}":
        qtbot.keyClick(dlg.key_edit, ch)
    qtbot.keyClick(dlg.key_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.summary is not None, timeout=5000)
    edit = dlg.reason_box.lineEdit()
    edit.setFocus()
    edit.clear()
    for ch in reason:
        qtbot.keyClick(edit, ch)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.override is not None and dlg.override.isVisible(), timeout=5000)
    type_pin(qtbot, dlg.override, MANAGER_PIN)
    return dlg


def test_cash_sale_opens_the_drawer_and_a_wechat_sale_does_not(qtbot, till, tmp_path):
    win = till()
    out = tmp_path / "printer.bin"
    qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)     # quick key: ¥3.00
    qtbot.waitUntil(lambda: win.cart_model.cart.total == 300, timeout=2000)
    qtbot.keyClick(win, Qt.Key.Key_F10)
    dlg = win.dialog
    assert dlg is not None
    qtbot.keyClick(dlg.tendered_edit, Qt.Key.Key_Return)                   # exact cash
    qtbot.waitUntil(lambda: KICK_PIN2 in printed(out), timeout=5000)
    data = printed(out)
    assert data.count(KICK_PIN2) == 1 and "现金".encode(GB) in data        # kick + receipt
    assert win.devices.display is None            # one screen: no customer display built


def test_no_sale_needs_a_manager_pin_and_is_audited(qtbot, till, world, tmp_path):
    win = till()
    out = tmp_path / "printer.bin"
    qtbot.keyClick(win, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dlg = win.devices.approval
    assert dlg is not None and dlg.isVisible() and not dlg.self_approve
    type_pin(qtbot, dlg, "0000")                                           # wrong PIN
    qtbot.waitUntil(lambda: dlg.message.text() != "", timeout=5000)
    assert dlg.isVisible() and printed(out) == b""
    assert world.services.store.audit_entries(NO_SALE_AUDIT) == []
    dlg.pin_edit.clear()
    type_pin(qtbot, dlg, MANAGER_PIN)
    qtbot.waitUntil(lambda: printed(out) == KICK_PIN2, timeout=5000)
    [entry] = world.services.store.audit_entries(NO_SALE_AUDIT)
    assert entry.actor == "王芳" and entry.detail["approved_by"] == "李经理"
    qtbot.waitUntil(lambda: "no sale" in win.statusBar().currentMessage(), timeout=3000)


def test_no_sale_without_a_drawer_is_refused_at_once(qtbot, till):
    win = till(settings=AppSettings())
    qtbot.keyClick(win, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert win.devices.approval is None
    assert "No cash drawer" in win.entry.banner_text


def test_reprint_a_past_receipt_from_the_history(qtbot, till, world, tmp_path):
    order_id = world.sell(("COKE330", 2), ("CHIPS", 1))
    win = till()
    out = tmp_path / "printer.bin"
    qtbot.keyClick(win, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dlg = win.devices.reprint_dialog
    assert isinstance(dlg, ReprintDialog) and dlg.isVisible()
    menu = win.menuBar().actions()[0].menu()                              # listed there too
    assert [a.shortcut().toString() for a in menu.actions()][-2:] == [
        "Ctrl+Shift+P", "Ctrl+D"]
    qtbot.waitUntil(lambda: dlg.results.count() == 1, timeout=5000)       # today's orders
    dlg.key_edit.setFocus()
    for ch in f"{order_id:08d}":
        qtbot.keyClick(dlg.key_edit, ch)
    qtbot.keyClick(dlg.key_edit, Qt.Key.Key_Return)                      # find it
    qtbot.waitUntil(lambda: dlg.results.hasFocus(), timeout=5000)
    qtbot.keyClick(dlg.results, Qt.Key.Key_Return)                       # print a copy
    qtbot.waitUntil(lambda: "副本".encode(GB) in printed(out), timeout=5000)
    data = printed(out)
    assert f"单号: {order_id:08d}".encode(GB) in data and "薯片".encode(GB) in data
    assert KICK_PIN2 not in data                                         # not a cash sale
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible()


def test_a_cash_refund_prints_a_slip_and_opens_the_drawer(qtbot, till, world, tmp_path):
    order_id = world.sell(("COKE330", 2), cash=600)
    win = till(MANAGER)
    out = tmp_path / "printer.bin"
    dlg = refund_whole_order(qtbot, win, order_id, "broken")
    qtbot.waitUntil(lambda: "退款凭条".encode(GB) in printed(out), timeout=8000)
    qtbot.waitUntil(lambda: KICK_PIN2 in printed(out), timeout=5000)
    data = printed(out)
    [rec] = world.services.store.refunds_for_order(order_id)
    assert rec.out_refund_no[:20].encode(GB) in data and b"\xa3\xa46.00" in data
    assert "原因: broken".encode(GB) in data and "可口可乐".encode(GB) in data
    assert data.count("退款凭条".encode(GB)) == 1 and data.count(KICK_PIN2) == 1
    dlg.reject()


def test_network_printer_set_up_in_settings_test_page_and_paper_out_in_the_status_area(
        qtbot, till, tmp_path):
    win = till(MANAGER, AppSettings())
    with fake_printer() as printer:
        qtbot.keyClick(win, Qt.Key.Key_F11)
        dlg = win.settings_dialog
        assert isinstance(dlg, SettingsDialog)
        page = dlg.printer_page
        dlg.tabs.setCurrentWidget(page)
        page.kind.setFocus()
        while page.kind.currentData() != "network":
            qtbot.keyClick(page.kind, Qt.Key.Key_Down)
        assert page.host.isVisibleTo(page) and not page.target.isVisibleTo(page)
        page.host.setFocus()
        for ch in "127.0.0.1":
            qtbot.keyClick(page.host, ch)
        page.port.setFocus()
        page.port.selectAll()
        for ch in str(printer.port):
            qtbot.keyClick(page.port, ch)
        page.address.setFocus()
        for ch in "Jianguo Rd 88":
            qtbot.keyClick(page.address, ch)
        page.test_button.setFocus()
        qtbot.keyClick(page.test_button, Qt.Key.Key_Space)               # print a test page
        qtbot.waitUntil(lambda: "printed" in page.test_result.text(), timeout=5000)
        # the fake printer's reader thread may still be storing the bytes the till sent
        qtbot.waitUntil(lambda: "1234567890" * 3 in printer.printed.decode("latin-1"),
                        timeout=5000)                                    # the ruler
        assert win.settings.printer.kind == "none"                       # not saved yet
        qtbot.keyClick(page.address, Qt.Key.Key_Return)                  # Enter = Save
        qtbot.waitUntil(lambda: win.settings.printer.kind == "network", timeout=3000)
        assert (win.settings.printer.host, win.settings.printer.port) == (
            "127.0.0.1", printer.port)
        assert win.settings.receipt.address == "Jianguo Rd 88"
        before = len(printer.printed)
        printer.status = dict(PAPER_OUT)
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=2000)
        qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: win.cart_model.cart.total == 300, timeout=2000)
        qtbot.keyClick(win, Qt.Key.Key_F10)
        cash = win.dialog
        assert cash is not None
        qtbot.keyClick(cash.tendered_edit, Qt.Key.Key_Return)
        label = win.devices.printer_label
        qtbot.waitUntil(lambda: "paper" in label.text().lower(), timeout=8000)
        assert label.text() == "⚠ Printer out of paper · 1 waiting"
        assert "out of paper" in label.toolTip() and "out of paper" in win.statusBar().currentMessage()
        assert "Paid" in win.entry.banner_text                           # (the sale's news stays)
        assert win.sale.cart.lines == []                                # the till goes on
        if os.environ.get("POS_SHOTS"):
            for w, h in ((1024, 768), (1280, 800)):
                win.showNormal()
                win.resize(w, h)
                qtbot.wait(100)
                win.grab().save(f"{os.environ['POS_SHOTS']}/printer_paper_out_{w}_en.png")
        printer.status = dict(READY)
        win.sale.printing.retry_now()
        qtbot.waitUntil(lambda: label.text() == "", timeout=8000)
        qtbot.waitUntil(lambda: "Jianguo Rd 88".encode(GB) in printer.printed[before:],
                        timeout=5000)
        assert win.sale.printing.queue is not None
        assert win.sale.printing.queue.status().state is QueueState.IDLE
        win.close()


def test_the_receipt_header_from_settings_on_screen_without_a_printer(qtbot, till):
    from pos_app.ui.settings_model import ReceiptSettings

    win = till(settings=AppSettings(receipt=ReceiptSettings(
        shop_name="演示便利店 建国路店", address="北京市朝阳区建国路88号", phone="010-6588 1234")))
    qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: win.cart_model.cart.total == 300, timeout=2000)
    qtbot.keyClick(win, Qt.Key.Key_F10)
    qtbot.keyClick(win.dialog.tendered_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.receipt_dialog is not None and win.receipt_dialog.isVisible(),
                    timeout=5000)
    rd = win.receipt_dialog
    assert rd.receipt.shop_name == "演示便利店 建国路店"
    from PySide6.QtWidgets import QLabel

    header = rd.findChild(QLabel, "receiptHeader")
    assert header is not None
    assert header.text() == "地址: 北京市朝阳区建国路88号\n电话: 010-6588 1234"
    qtbot.keyClick(rd, Qt.Key.Key_Escape)


def test_a_wechat_refund_prints_its_slip_once_when_it_succeeds_and_no_drawer(
        qtbot, till, world, tmp_path, monkeypatch):
    order_id = world.sell(("BREAD", 1))                                   # payment code
    monkeypatch.setattr(world.services.refunds, "_schedule", (0.2,) * 50)  # fast background
    win = till(MANAGER)
    out = tmp_path / "printer.bin"
    dlg = refund_whole_order(qtbot, win, order_id, "stale")
    qtbot.waitUntil(lambda: "退款凭条".encode(GB) in printed(out), timeout=15000)
    [rec] = world.services.store.refunds_for_order(order_id)
    assert rec.state.value == "success"
    qtbot.wait(1500)                                  # more follow rounds: no second slip
    data = printed(out)
    assert data.count("退款凭条".encode(GB)) == 1 and KICK_PIN2 not in data
    assert "微信付款码".encode(GB) in data and b"\xa3\xa45.50" in data
    dlg.reject()


def test_a_recorded_cash_in_opens_the_drawer(qtbot, till, tmp_path):
    """存取款: the notes go into the drawer, so it opens once the movement is recorded
    (and not for input that was refused)."""
    from PySide6.QtWidgets import QApplication

    from pos_app.ui.manager.cash_dialog import CashMovementDialog
    win = till()
    out = tmp_path / "printer.bin"
    qtbot.keyClick(win, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(win.manager_menu.dialog, CashMovementDialog), timeout=3000)
    dlg = win.manager_menu.dialog
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.amount_edit, timeout=2000)
    qtbot.keyClicks(dlg.amount_edit, "0")
    qtbot.keyClick(dlg.amount_edit, Qt.Key.Key_Return)             # ¥0: refused
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(300)
    assert KICK_PIN2 not in printed(out) and dlg.movements == []
    dlg.amount_edit.setFocus()
    dlg.amount_edit.clear()
    qtbot.keyClicks(dlg.amount_edit, "50")
    qtbot.keyClick(dlg.amount_edit, Qt.Key.Key_Return)             # → reason
    qtbot.keyClicks(dlg.reason_box, "float")
    qtbot.keyClick(dlg.reason_box, Qt.Key.Key_Return)              # records, drawer opens
    qtbot.waitUntil(lambda: KICK_PIN2 in printed(out), timeout=5000)
    # the drawer opens as the movement is recorded; the list reloads after, off the UI thread
    qtbot.waitUntil(lambda: len(dlg.movements) == 1, timeout=5000)
    assert printed(out).count(KICK_PIN2) == 1
    win.manager_menu.close()
