"""The sale screen with Alipay enabled next to WeChat Pay, driven by key events: Shift+F8
starts an Alipay QR sale the demo customer phone pays; an Alipay payment code scanned at
the sale field is charged with Alipay once the cashier presses Enter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.payment import AttemptState
from pos_app.payments.till import TillService
from pos_app.simulator.alipay.scenarios import auth_code_for
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialogs import CodePayDialog, NativePayDialog
from pos_app.ui.services import Session
from tests.integration.both_channels_rig import add_coke, both_channels_window

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def ui(qtbot: Any, qapp: Any, tmp_path: Path, request: pytest.FixtureRequest
       ) -> Iterator[tuple[MainWindow, TillService, AlipaySimulatorServer]]:
    with both_channels_window(qtbot, qapp, tmp_path,
                              enabled=getattr(request, "param", True)) as window:
        yield window


def test_shift_f8_alipay_qr_paid_by_the_customer_phone(qtbot: Any, ui: Any) -> None:
    win, till, ali = ui
    assert win.alipay_button.isVisible()
    assert win.windowTitle() == "Cashier (WeChat Pay · Alipay) — 测试商店"
    assert win.status.mode_label.text() == "DEMO MODE — simulated WeChat Pay and Alipay"
    add_coke(qtbot, win)
    qtbot.keyClick(win, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    dlg = win.dialog
    assert isinstance(dlg, NativePayDialog)
    assert dlg.windowTitle() == "Alipay — customer scans"
    assert dlg.title.text() == "Ask the customer to scan with Alipay"
    qtbot.waitUntil(lambda: dlg.qr.data != "", timeout=8000)
    assert dlg.qr.data.startswith("https://qr.alipay.com/")
    assert "WeChat" not in dlg.detail_label.text() + dlg.status_label.text()
    win.show_phone()
    assert win.phone.code_url == dlg.qr.data
    win.phone.pay_shown_qr()
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    [order] = till.recent_orders()
    [attempt] = till.attempts_for_order(order.id)
    assert attempt.channel == "alipay"
    doc = ali.engine.get(attempt.out_trade_no)
    assert doc is not None and doc.status == "TRADE_SUCCESS"
    qtbot.waitUntil(lambda: win.sale.last_receipt is not None, timeout=3000)
    assert win.sale.last_receipt.payment_method == "支付宝"


def test_alipay_code_scanned_at_the_sale_field(qtbot: Any, ui: Any) -> None:
    win, till, ali = ui
    add_coke(qtbot, win)
    win.barcode_edit.setFocus()
    for ch in auth_code_for("success"):
        qtbot.keyClick(win.barcode_edit, ch)
    qtbot.keyClick(win.barcode_edit, Qt.Key.Key_Return)
    dlg = win.dialog
    assert isinstance(dlg, CodePayDialog)
    assert dlg.title.text() == "Scan the customer's Alipay payment code"   # the code read
    qtbot.keyClick(dlg.code_edit, Qt.Key.Key_Return)   # the cashier confirms
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    [order] = till.recent_orders()
    [attempt] = till.attempts_for_order(order.id)
    assert attempt.channel == "alipay"
    doc = ali.engine.get(attempt.out_trade_no)
    assert doc is not None and doc.status == "TRADE_SUCCESS"
    qtbot.waitUntil(lambda: win.sale.last_receipt is not None, timeout=3000)
    assert win.sale.last_receipt.payment_method == "支付宝付款码"


@pytest.mark.parametrize("ui", [False], indirect=True)
def test_alipay_not_enabled_is_refused_with_a_message(qtbot: Any, ui: Any) -> None:
    win, till, ali = ui
    assert not win.alipay_button.isVisible()
    add_coke(qtbot, win)
    win.barcode_edit.setFocus()
    for ch in auth_code_for("success"):
        qtbot.keyClick(win.barcode_edit, ch)
    qtbot.keyClick(win.barcode_edit, Qt.Key.Key_Return)
    dlg = win.dialog
    assert isinstance(dlg, CodePayDialog)
    qtbot.keyClick(dlg.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not enabled" in dlg.status_label.text()
                    or "not enabled" in dlg.detail_label.text(), timeout=5000)
    [order] = till.recent_orders()
    assert till.attempts_for_order(order.id) == []     # nothing stored, nothing sent
    assert ali.engine.all_trades() == []


def test_alipay_merchant_settings_validated_and_saved(qtbot: Any, ui: Any,
                                                     tmp_path: Path) -> None:
    """F11 → the Alipay merchant tab: a wrong file is named in a clear message, the
    simulator's config validates, Enter saves it (used after a restart)."""
    import json

    from PySide6.QtWidgets import QApplication

    win, _till, ali = ui
    win.session = Session("李经理", "manager")
    qtbot.keyClick(win, Qt.Key.Key_F11)
    sd = win.settings_dialog
    assert sd is not None
    sd.tabs.setFocus()
    qtbot.keyClick(sd.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # → Alipay
    assert sd.tabs.currentIndex() == 1 and sd.tabs.currentWidget().isAncestorOf(sd.alipay_path)
    sd.alipay_path.setFocus()
    qtbot.keyClicks(sd.alipay_path, str(tmp_path / "nope.json"))
    sd.alipay_validate.setFocus()
    qtbot.keyClick(sd.alipay_validate, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: sd.alipay_result.text().startswith("Not usable"), timeout=5000)
    assert "nope.json" in sd.alipay_result.text()
    # (a second burst of fast keys reads as a scan to the wedge filter: paste the path)
    sd.alipay_path.setText(str(ali.merchant_config_path))
    sd.alipay_validate.setFocus()
    qtbot.keyClick(sd.alipay_validate, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: sd.alipay_result.text().startswith("OK"), timeout=5000)
    assert "app_id 2021" in sd.alipay_result.text()
    qtbot.keyClick(sd.alipay_path, Qt.Key.Key_Return)       # Enter = Save
    path = win.services.settings_path
    qtbot.waitUntil(lambda: path.exists(), timeout=5000)
    saved = json.loads(path.read_text())
    assert saved["alipay_config_path"] == str(ali.merchant_config_path)
    assert win.settings.alipay_config_path == str(ali.merchant_config_path)
    assert "restart" in win.statusBar().currentMessage()
    QApplication.processEvents()


def test_demo_phone_names_the_alipay_scenarios(qtbot: Any, ui: Any) -> None:
    """F7: the demo phone lists the Alipay codes it can present, in the UI language."""
    win, _till, _ali = ui
    qtbot.keyClick(win, Qt.Key.Key_F7)
    box = win.phone.scenario
    titles = {box.itemData(i): box.itemText(i) for i in range(box.count())}
    assert titles["alipay:success"] == "Alipay: Pays at once"
    assert titles["alipay:drop_after_commit"] == "Alipay: Charged, the answer is lost"
    assert titles["success"] == "Pays at once"
    assert not any(t.startswith("alipay:") for t in titles.values())


def test_f9_asks_for_either_code_when_both_channels_are_on(qtbot: Any, ui: Any) -> None:
    win, _till, _ali = ui
    add_coke(qtbot, win)
    qtbot.keyClick(win, Qt.Key.Key_F9)
    dlg = win.dialog
    assert isinstance(dlg, CodePayDialog)
    assert dlg.title.text() == "Scan the customer's payment code (WeChat or Alipay)"
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)


def test_held_alipay_code_names_alipay_and_waits_for_enter(qtbot: Any, ui: Any) -> None:
    """With 'confirm a code with Enter' on, an Alipay code scanned at the sale field is
    held on the code screen, which names Alipay; nothing is sent before Enter."""
    import dataclasses

    from pos_app.ui.settings_model import TillSettings

    win, till, ali = ui
    win.apply_settings(dataclasses.replace(win.settings,
                                           till=TillSettings(confirm_code_with_enter=True)))
    add_coke(qtbot, win)
    win.barcode_edit.setFocus()
    for ch in auth_code_for("success"):
        qtbot.keyClick(win.barcode_edit, ch)
    qtbot.keyClick(win.barcode_edit, Qt.Key.Key_Return)
    dlg = win.dialog
    assert isinstance(dlg, CodePayDialog)
    assert dlg.title.text() == "Scan the customer's Alipay payment code"
    assert dlg.windowTitle() == "Alipay — scan payment code"
    assert ali.engine.all_trades() == []              # held: nothing sent yet
    qtbot.keyClick(dlg.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    [order] = till.recent_orders()
    [attempt] = till.attempts_for_order(order.id)
    assert attempt.channel == "alipay"
