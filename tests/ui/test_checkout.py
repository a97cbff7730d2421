"""End-to-end checkout through the real till and the embedded simulator (over HTTP)."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import time

import pytest
import serial
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt

from pos_app.devices.scanner.serial import SerialScannerConfig, Suffix
from pos_app.payments.api import AttemptState
from pos_app.simulator.scenarios import auth_code_for
from pos_app.ui.payment_dialogs import CashDialog, CodePayDialog, NativePayDialog

pytestmark = pytest.mark.gui


def add_coke(qtbot, win, n=1):
    """Quick key 1 = 可口可乐 ¥3.00."""
    for _ in range(n):
        qtbot.mouseClick(win.quick_grid.itemAt(0).widget(), Qt.MouseButton.LeftButton)
    assert win.cart_model.cart.total == 300 * n


def decode_qr(label) -> str:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    label.grab().save(buf, "PNG")
    img = Image.open(io.BytesIO(bytes(buf.data())))
    found = zxingcpp.read_barcodes(img)
    assert found, "no QR found in the rendered dialog"
    return found[0].text


def scan_keys(qtbot, widget, code: str) -> None:
    """A wedge scanner: one burst of key events, microseconds apart, then Enter."""
    for ch in code:
        qtbot.keyClick(widget, ch)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_native_qr_paid_by_customer_phone(qtbot, ui, stack):
    add_coke(qtbot, ui, 2)
    qtbot.keyClick(ui, Qt.Key.Key_F8)
    dlg = ui.dialog
    assert isinstance(dlg, NativePayDialog)
    qtbot.waitUntil(lambda: dlg.qr.data != "", timeout=5000)
    assert dlg.qr.data.startswith("weixin://wxpay/bizpayurl")
    assert decode_qr(dlg.qr) == dlg.qr.data          # what the customer sees decodes back
    assert dlg.state is AttemptState.AWAITING_CUSTOMER
    assert not dlg.may_close
    dlg.close()                                       # cannot be closed while waiting
    assert dlg.isVisible()
    ui.show_phone()
    assert ui.phone.code_url == dlg.qr.data
    ui.phone.pay_shown_qr()                           # the customer pays in "WeChat"
    qtbot.waitUntil(lambda: ui.phone.pay_result.text() not in ("", "Paying…"), timeout=5000)
    assert "✓" in ui.phone.pay_result.text(), ui.phone.pay_result.text()
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    assert dlg.status_label.text() == "Paid"
    assert dlg.paid_event.transaction_id
    qtbot.keyClick(dlg, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ui.receipt_dialog is not None and ui.receipt_dialog.isVisible())
    assert ui.cart_model.cart.lines == []
    rec = ui.receipt_dialog.receipt
    assert rec.total == 600 and rec.payment_method == "微信支付"
    assert decode_qr(ui.receipt_dialog.qr) == rec.order_no
    paid = [o for o in stack.server.engine.orders() if o.paid]
    assert len(paid) == 1


def test_payment_code_scanned_through_the_wedge_filter(qtbot, ui, stack):
    add_coke(qtbot, ui)
    ui.barcode_edit.setFocus()
    code = auth_code_for("success")
    scan_keys(qtbot, ui.barcode_edit, code)
    assert ui.barcode_edit.text() == ""               # the scan did not type into the field
    dlg = ui.dialog
    assert isinstance(dlg, CodePayDialog)
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    assert "Paid" in dlg.status_label.text()
    assert code not in dlg.code_shown.text()          # shown masked only
    dlg.accept()
    qtbot.waitUntil(lambda: ui.receipt_dialog is not None)
    assert ui.receipt_dialog.receipt.payment_method == "微信付款码"


def test_product_barcode_scanned_into_focused_field_adds_a_line(qtbot, ui, stack):
    barcode = stack.catalog.by_sku("MILK250").barcode
    ui.barcode_edit.setFocus()
    scan_keys(qtbot, ui.barcode_edit, barcode)
    qtbot.waitUntil(lambda: len(ui.cart_model.cart.lines) == 1, timeout=3000)
    assert ui.cart_model.cart.lines[0].product.sku == "MILK250"
    assert ui.barcode_edit.text() == ""


@pytest.fixture
def pty_pair(tmp_path):
    if shutil.which("socat") is None:
        pytest.skip("socat not installed")
    a, b = tmp_path / "ttyA", tmp_path / "ttyB"
    proc = subprocess.Popen(
        ["socat", "-d", "-d", f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
        stderr=subprocess.PIPE)
    deadline = time.monotonic() + 5
    while not (a.exists() and b.exists()):
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("socat did not create the pty pair")
        time.sleep(0.01)
    yield str(a), str(b)
    proc.send_signal(signal.SIGTERM)
    proc.wait(5)


def test_payment_code_from_serial_scanner_with_userpaying(qtbot, ui, stack, pty_pair):
    scanner_end, device_end = pty_pair
    ui.hub.start_serial(SerialScannerConfig(port=scanner_end, suffix=Suffix.CR))
    qtbot.waitUntil(lambda: ui.scanner_label.text().endswith("connected"), timeout=3000)
    add_coke(qtbot, ui, 3)
    qtbot.keyClick(ui, Qt.Key.Key_F9)
    dlg = ui.dialog
    assert isinstance(dlg, CodePayDialog)
    states: list[AttemptState] = []
    orig = dlg.on_event
    dlg.on_event = lambda ev: (states.append(ev.state), orig(ev))  # type: ignore[method-assign]
    code = auth_code_for("userpaying_then_success", seconds=1)
    with serial.Serial(device_end) as dev:
        dev.write(code.encode() + b"\r")
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=10000)
    assert AttemptState.AWAITING_CUSTOMER in states   # password step was shown live
    assert "Paid" in dlg.status_label.text()


def test_cancel_native_closes_the_order_and_keeps_the_cart(qtbot, ui, stack):
    add_coke(qtbot, ui)
    ui.pay_native()
    dlg = ui.dialog
    qtbot.waitUntil(lambda: dlg.state is AttemptState.AWAITING_CUSTOMER, timeout=5000)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)            # Esc = cancel, not close
    assert dlg.isVisible()
    qtbot.waitUntil(lambda: dlg.state is AttemptState.CLOSED, timeout=8000)
    assert dlg.may_close and dlg.paid_event is None
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert ui.cart_model.cart.total == 300            # nothing lost, cashier can retry
    order = stack.server.engine.orders()[0]
    assert not order.paid


def test_refused_payment_code_can_be_rescanned(qtbot, ui, stack):
    add_coke(qtbot, ui)
    ui.pay_code()
    dlg = ui.dialog
    dlg.offer_code(auth_code_for("notenough"))
    qtbot.waitUntil(lambda: dlg.state is AttemptState.FAILED, timeout=8000)
    assert dlg.code_edit.isEnabled() and dlg.may_close
    dlg.offer_code(auth_code_for("success"))
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)


def test_cash_with_change(qtbot, ui, stack):
    add_coke(qtbot, ui, 3)
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    dlg = ui.dialog
    assert isinstance(dlg, CashDialog)
    dlg.tendered_edit.setText("1")
    dlg.confirm()
    assert "short" in dlg.status_label.text() and dlg.state is None
    dlg.tendered_edit.setText("9999")
    dlg.confirm()
    assert "¥1000" in dlg.status_label.text()        # change-limit guard
    dlg.tendered_edit.setText("20")
    assert dlg.change_label.text() == "¥11.00"
    dlg.confirm()
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=5000)
    assert dlg.paid_event.change == 1100
    dlg.confirm()
    qtbot.waitUntil(lambda: ui.receipt_dialog is not None)
    rec = ui.receipt_dialog.receipt
    assert (rec.tendered, rec.change) == (2000, 1100)
    ui.receipt_dialog.print_receipt()
    out = ui.settings.printer.target
    qtbot.waitUntil(lambda: os.path.exists(out) and os.path.getsize(out) > 0, timeout=3000)
    with open(out, "rb") as fh:
        data = fh.read()
    assert "找零".encode("gb18030") in data and data.endswith(b"\x1dVB\x00")


def test_system_error_but_charged_ends_paid_not_double_charged(qtbot, ui, stack):
    add_coke(qtbot, ui)
    ui.pay_code(first_code=auth_code_for("systemerror_but_charged"))
    dlg = ui.dialog
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    assert len([o for o in stack.server.engine.orders() if o.paid]) == 1


def test_customer_phone_presents_a_payment_code(qtbot, ui, stack):
    add_coke(qtbot, ui)
    ui.show_phone()
    ui.phone.tabs.setCurrentIndex(1)
    ui.phone.scenario.setCurrentIndex(ui.phone.scenario.findData("success"))
    ui.phone.present()                                # "scanned" by the till
    dlg = ui.dialog
    assert isinstance(dlg, CodePayDialog)
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)


def test_cart_edits_quantity_discounts_and_bad_input(qtbot, ui, stack):
    add_coke(qtbot, ui)
    model = ui.cart_model
    assert model.setData(model.index(0, model.COL_QTY), "4")
    assert model.cart.total == 1200
    assert not model.setData(model.index(0, model.COL_QTY), "0")     # refused, unchanged
    assert ui.set_line_discount(0, "2.50") and model.cart.total == 950
    assert not ui.set_line_discount(0, "99")                          # > line amount
    assert not ui.set_order_discount("abc")
    assert "not an amount" in ui.statusBar().currentMessage()
    assert ui.set_order_discount("0.50") and model.cart.total == 900
    assert ui.total_label.text() == "¥9.00"
    ui.remove_selected()
    assert model.cart.lines == [] and ui.total_label.text() == "¥0.00"
    ui.pay_native()                                                   # empty cart: refused
    assert ui.dialog is None and "empty" in ui.statusBar().currentMessage()


def test_product_search_by_name(qtbot, ui, stack):
    ui.barcode_edit.setText("牛奶")
    ui.barcode_edit.textEdited.emit("牛奶")
    qtbot.waitUntil(lambda: ui.results.isVisible() and ui.results.count() == 1, timeout=3000)
    qtbot.keyClick(ui.barcode_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(ui.cart_model.cart.lines) == 1, timeout=3000)
    assert ui.cart_model.cart.lines[0].product.sku == "MILK250"


def test_sales_wait_for_recovery(qtbot, ui, stack):
    ui.set_sales_enabled(False, "checking")
    add_coke(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F8)
    assert ui.dialog is None and not ui.native_button.isEnabled()


def test_retry_reuses_the_order_and_a_changed_cart_voids_it(qtbot, ui, stack):
    add_coke(qtbot, ui)
    ui.pay_code(first_code=auth_code_for("notenough"))
    dlg = ui.dialog
    qtbot.waitUntil(lambda: dlg.state is AttemptState.FAILED, timeout=8000)
    first_order = dlg.order_id
    dlg.reject_now()
    ui.pay_code(first_code=auth_code_for("notenough"))          # same cart → same order
    dlg = ui.dialog
    qtbot.waitUntil(lambda: dlg.state is AttemptState.FAILED, timeout=8000)
    assert dlg.order_id == first_order
    dlg.reject_now()
    add_coke_again = ui.quick_grid.itemAt(1).widget()
    qtbot.mouseClick(add_coke_again, Qt.MouseButton.LeftButton)  # cart changed
    ui.pay_code(first_code=auth_code_for("success"))
    dlg = ui.dialog
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    assert dlg.order_id != first_order
    assert stack.till.order(first_order).status.value == "voided"
