"""End-to-end checkout through the real till and the embedded simulator (over HTTP)."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import time
from dataclasses import replace

import pytest
import serial
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt

from pos_app.devices.scanner.serial import SerialScannerConfig, Suffix
from pos_app.domain.payment import AttemptState
from pos_app.simulator.scenarios import auth_code_for
from pos_app.ui.payment_dialogs import CashDialog, CodePayDialog, NativePayDialog
from pos_app.ui.settings_model import AppSettings, TillSettings
from pos_app.wechatpay.errors import TransportError

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
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)   # closes by itself when paid
    assert ui.receipt_dialog is None                  # printed, no second screen
    assert ui.cart_model.cart.lines == []
    rec = ui.sale.last_receipt
    assert rec.total == 600 and rec.payment_method == "微信支付"
    assert "Paid ¥6.00" in ui.entry.banner_text
    out = ui.settings.printer.target
    qtbot.waitUntil(lambda: os.path.exists(out) and os.path.getsize(out) > 0, timeout=3000)
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
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)  # charged at once
    assert "Paid" in dlg.status_label.text()
    assert code not in dlg.code_shown.text()          # shown masked only
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=3000)
    assert ui.sale.last_receipt.payment_method == "微信付款码"


def test_payment_code_at_the_sale_field_waits_for_the_cashier(qtbot, ui, stack):
    """With "confirm with Enter" set, a code scanned mid-sale must not start a charge."""
    ui.apply_settings(replace(ui.settings, till=TillSettings(confirm_code_with_enter=True)))
    add_coke(qtbot, ui)
    code = auth_code_for("success")
    ui.barcode_edit.setFocus()
    scan_keys(qtbot, ui.barcode_edit, code)
    dlg = ui.dialog
    assert isinstance(dlg, CodePayDialog)
    assert "Enter" in dlg.status_label.text() and code not in dlg.code_shown.text()
    scan_keys(qtbot, dlg.code_edit, code)             # the same code read again
    qtbot.wait(300)                                   # a started charge would be in flight
    assert dlg.state is None and not dlg.busy and dlg.may_close
    assert stack.server.engine.orders() == []         # nothing sent to WeChat Pay
    assert dlg.code_edit.text() == ""
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)            # the cashier backs out: nothing changed
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert ui.cart_model.cart.total == 300 and stack.server.engine.orders() == []
    scan_keys(qtbot, ui.barcode_edit, code)
    dlg = ui.dialog
    qtbot.keyClick(dlg.code_edit, Qt.Key.Key_Return)  # now the cashier chooses to charge
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    assert len([o for o in stack.server.engine.orders() if o.paid]) == 1


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
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=3000)
    rec = ui.sale.last_receipt
    assert (rec.tendered, rec.change) == (2000, 1100)
    assert "give ¥11.00 change" in ui.entry.banner_text   # on the sale screen, big
    out = ui.settings.printer.target                  # printed by itself
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
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)  # one scan


def test_cart_edits_quantity_discounts_and_bad_input(qtbot, ui, stack):
    add_coke(qtbot, ui)
    model = ui.cart_model
    assert model.setData(model.index(0, model.COL_QTY), "4")
    assert model.cart.total == 1200
    assert not model.setData(model.index(0, model.COL_QTY), "0")     # refused, unchanged
    assert ui.set_line_discount(0, "2.50") and model.cart.total == 950
    assert not ui.set_line_discount(0, "99")                          # > line amount
    assert not ui.set_order_discount("abc")
    assert "Not an amount" in ui.statusBar().currentMessage()
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


def test_unknown_outcome_blocks_charging_a_changed_cart_again(qtbot, ui, stack):
    """An UNCERTAIN attempt may still turn out paid: editing the cart and taking the
    money again (a new order) would charge twice."""
    add_coke(qtbot, ui)
    ui.pay_code(first_code=auth_code_for("userpaying_forever"))
    dlg = ui.dialog
    qtbot.waitUntil(lambda: dlg.state is AttemptState.AWAITING_CUSTOMER, timeout=5000)
    gw = stack.till.gateway.v3                        # the network goes down mid-payment

    def down(*_a: object, **_k: object) -> None:
        raise TransportError("connection refused")

    for name in ("reverse", "query", "close"):
        setattr(gw, name, down)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)            # cancel: the reverse cannot get through
    qtbot.waitUntil(lambda: dlg.state is AttemptState.UNCERTAIN, timeout=8000)
    assert "do NOT charge again" in dlg.status_label.text()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert ui.cart_model.cart.total == 300            # not cleared: not paid
    assert "do not charge again" in ui.statusBar().currentMessage()
    qtbot.mouseClick(ui.quick_grid.itemAt(1).widget(), Qt.MouseButton.LeftButton)
    ui.pay_cash()
    cash = ui.dialog
    assert isinstance(cash, CashDialog)
    cash.tendered_edit.setText("20")
    cash.confirm()
    qtbot.waitUntil(lambda: cash.may_close, timeout=5000)
    assert cash.paid_event is None and cash.state is None
    assert "outcome is unknown" in cash.detail_label.text()  # in the UI language
    assert [o.status.value for o in stack.till.recent_orders()].count("paid") == 0
    cash.reject_now() if hasattr(cash, "reject_now") else cash.reject()
    qtbot.waitUntil(lambda: not cash.isVisible())
    ui.clear_sale()                                   # F12: warned first, nothing cleared
    assert ui.cart_model.cart.lines and "Press F12 again" in ui.statusBar().currentMessage()
    ui.clear_sale()                                   # second press: the cashier insists
    assert ui.cart_model.cart.lines == []


@pytest.mark.parametrize("cash_dialog_open", [False, True])
def test_paid_after_the_dialog_closed_finishes_the_sale(qtbot, ui, stack, cash_dialog_open):
    """UNCERTAIN, the cashier closes the dialog, then WeChat Pay says PAID: the cashier
    must see it was paid (receipt) and the paid cart must not stay up for a re-charge."""
    add_coke(qtbot, ui)
    ui.pay_code(first_code=auth_code_for("userpaying_then_success", seconds=1))
    dlg = ui.dialog
    qtbot.waitUntil(lambda: dlg.state is AttemptState.AWAITING_CUSTOMER, timeout=5000)
    gw = stack.till.gateway.v3                        # below the adapter: the network
    saved = {name: getattr(gw, name) for name in ("reverse", "query", "close")}

    def down(*_a: object, **_k: object) -> None:
        raise TransportError("connection refused")

    for name in saved:
        setattr(gw, name, down)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dlg.state is AttemptState.UNCERTAIN, timeout=8000)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert ui.cart_model.cart.total == 300
    if cash_dialog_open:                              # the cashier is about to take cash
        ui.pay_cash()
        cash = ui.dialog
        assert isinstance(cash, CashDialog)
    for name, fn in saved.items():                    # the network is back
        setattr(gw, name, fn)
    qtbot.wait(1100)                                  # the customer's password step is over
    stack.till.recover()
    qtbot.waitUntil(lambda: ui.sale.last_receipt is not None, timeout=8000)
    assert ui.sale.last_receipt.total == 300
    assert ui.cart_model.cart.lines == []
    if cash_dialog_open:                              # no cash can be taken for it now
        assert not cash.isVisible() and ui.dialog is None
        assert [o.status.value for o in stack.till.recent_orders()] == ["paid"]


def test_receipt_qr_is_not_encoded_on_the_ui_thread(qtbot, ui, stack, monkeypatch):
    import threading

    from pos_app.ui import qr_widget

    on_ui: list[str] = []
    real = qr_widget.qr_png

    def spy(data: str, **kw: int) -> bytes:
        if threading.current_thread() is threading.main_thread():
            on_ui.append(data)
        return real(data, **kw)

    monkeypatch.setattr(qr_widget, "qr_png", spy)
    ui.apply_settings(AppSettings())                  # no printer: the receipt is shown
    add_coke(qtbot, ui)
    ui.pay_cash()
    dlg = ui.dialog
    dlg.confirm()
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=5000)
    qtbot.waitUntil(lambda: ui.receipt_dialog is not None)
    assert ui.receipt_dialog.qr.data == ui.receipt_dialog.receipt.order_no
    assert on_ui == []


def test_a_lookup_finishing_after_a_payment_opened_does_not_change_the_cart(qtbot, ui, stack):
    """Scan, then F9 before the product look-up came back: the dialog's amount must stay
    the amount charged, and an item must not slip into a cart that is being paid."""
    from pos_app.devices.scanner.base import ScanEvent, ScanOrigin

    add_coke(qtbot, ui)
    ui.on_scan(ScanEvent(stack.catalog.by_sku("MILK250").barcode, ScanOrigin.WEDGE, 0.0))
    ui.pay_code()                                     # before the look-up result arrived
    dlg = ui.dialog
    qtbot.wait(200)                                   # the look-up result is delivered
    assert ui.cart_model.cart.total == dlg.amount == 300
    assert "payment" in ui.statusBar().currentMessage()
    dlg.offer_code(auth_code_for("success"))
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    assert dlg.paid_event.amount == 300


def test_double_pressed_payment_keys_start_one_attempt_and_sign_out_waits(qtbot, ui, stack):
    add_coke(qtbot, ui)
    for key in (Qt.Key.Key_F8, Qt.Key.Key_F8, Qt.Key.Key_F9, Qt.Key.Key_F10):
        qtbot.keyClick(ui, key)
        ui.pay_native()                               # the same, reaching the slot directly
    dlg = ui.dialog
    assert isinstance(dlg, NativePayDialog)
    qtbot.waitUntil(lambda: dlg.state is AttemptState.AWAITING_CUSTOMER, timeout=5000)
    assert len(stack.till.attempts_for_order(dlg.order_id)) == 1
    assert len(stack.till.recent_orders()) == 1
    assert not ui.close()                             # sign-out / quit refused mid-payment
    assert ui.isVisible() and dlg.isVisible()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dlg.state is AttemptState.CLOSED, timeout=8000)


def test_recovered_unknown_outcome_is_flagged_at_start_up(qtbot, ui):
    from pos_app.domain.payment import PaymentMethod
    from pos_app.payments.api import PaymentEvent

    ui.recovery_done([PaymentEvent(order_id=9, attempt_id=4, method=PaymentMethod.CODEPAY,
                                   state=AttemptState.UNCERTAIN, amount=300, recovered=True)])
    assert "do not charge again" in ui.recovery_label.text()
    assert "9" in ui.recovery_label.text()


def test_a_failed_recovery_is_said_short_with_the_masked_detail_in_the_tooltip(qtbot, ui):
    from pos_app.storage.errors import StorageKnownError

    code = "134567890123456789"                                   # a payment code
    ui.recovery_failed(StorageKnownError(f"disk I/O error at {code} " + "x" * 600))
    text, tip = ui.recovery_label.text(), ui.recovery_label.toolTip()
    assert "blocked" in text and len(text) < 80 and "disk" not in text
    assert tip.startswith("StorageKnownError: disk I/O error") and len(tip) <= 300
    assert code not in tip and code not in text


def test_scan_into_the_cash_field_types_nothing_and_takes_no_cash(qtbot, ui, stack):
    add_coke(qtbot, ui)
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    dlg = ui.dialog
    assert isinstance(dlg, CashDialog)
    dlg.tendered_edit.setFocus()
    scan_keys(qtbot, dlg.tendered_edit, stack.catalog.by_sku("MILK250").barcode)
    qtbot.wait(100)
    assert dlg.tendered_edit.text() == "" and dlg.state is None and not dlg.busy_recording
    assert len(ui.cart_model.cart.lines) == 1
    assert stack.till.recent_orders() == []           # the scanner's Enter took no cash


def test_a_hung_printer_does_not_hold_up_sales(qtbot, ui, stack, monkeypatch):
    import threading

    from pos_app.devices.printer import factory

    release = threading.Event()

    class HungPrinter:
        def write(self, job: bytes) -> None:
            release.wait(10)                          # a printer that never drains

    monkeypatch.setattr(factory, "make_sink", lambda _p: HungPrinter())
    results: list[str | None] = []
    ui.print_text("X report", results.append)
    barcode = stack.catalog.by_sku("MILK250").barcode
    ui.barcode_edit.setFocus()
    scan_keys(qtbot, ui.barcode_edit, barcode)
    try:
        qtbot.waitUntil(lambda: len(ui.cart_model.cart.lines) == 1, timeout=3000)
    finally:
        release.set()
    qtbot.waitUntil(lambda: results == [None], timeout=3000)


def test_a_stale_order_voided_by_an_earlier_try_does_not_block_the_sale(qtbot, ui, stack):
    add_coke(qtbot, ui)
    ui.pay_code(first_code=auth_code_for("notenough"))
    dlg = ui.dialog
    qtbot.waitUntil(lambda: dlg.state is AttemptState.FAILED, timeout=8000)
    first_order = dlg.order_id
    dlg.reject_now()
    qtbot.mouseClick(ui.quick_grid.itemAt(1).widget(), Qt.MouseButton.LeftButton)
    stack.till.void_order(first_order)                # voided, but that start then failed
    ui.pay_code(first_code=auth_code_for("success"))
    dlg = ui.dialog
    qtbot.waitUntil(lambda: dlg.state is AttemptState.PAID, timeout=8000)
    assert dlg.order_id != first_order
