"""Shift screen (open, X, Z with counted cash → difference, print, CSV) and the
reconciliation screen (bill download, mismatch, one-click fix) on the real back end."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from pos_app.devices.printer.escpos import render_text
from pos_app.domain.clock import SHOP_TZ as CHINA_TZ
from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.manager.reconcile import MismatchKind, ReconcileService
from pos_app.manager.reports import ReportKind
from pos_app.manager.services import build_manager_services
from pos_app.ui.manager import ManagerContext
from pos_app.ui.manager.reconcile_dialog import ReconcileDialog
from pos_app.ui.manager.shift_dialog import ShiftDialog
from tests.helpers.clock import ManualClock

from .conftest import CASHIER, MANAGER, MANAGER_PIN

pytestmark = pytest.mark.gui


def test_shift_open_x_and_z_with_difference(qtbot, world, tmp_path):
    printed: list[str] = []
    ctx = world.make_ctx(CASHIER)
    ctx.print_text = lambda text, done: (printed.append(text), done(None))
    dlg = ShiftDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.shift_label.text() == "No open shift", timeout=5000)
    assert not dlg.x_button.isEnabled() and not dlg.export_button.isEnabled()
    dlg.float_edit.setText("abc")
    dlg.open_shift()
    assert dlg.message.text() == "Not an amount: abc"
    dlg.float_edit.setText("100")
    dlg.open_shift()
    qtbot.waitUntil(dlg.x_button.isEnabled, timeout=5000)
    assert "float ¥100.00" in dlg.shift_label.text()
    world.sell(("BEER500", 2), cash=2000)                          # cash 12.00, change 8.00
    world.sell(("COKE330", 1))                                     # WeChat code 3.00
    dlg.x_report()
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=5000)
    assert dlg.report.kind is ReportKind.X
    assert dlg.report.sales[PaymentMethod.CASH].amount == 1200
    assert dlg.report.sales[PaymentMethod.CODEPAY].amount == 300
    assert dlg.expected_label.text() == ""                      # blind: not before the Z count
    x_text = dlg.report_view.toPlainText()
    assert "X REPORT" in x_text and "Expected cash: counted blind at the Z" in x_text
    assert "112.00" not in x_text and "Expected cash " not in x_text   # 100 + 12: not shown
    dlg.counted_edit.setText("110.50")
    dlg.close_shift()
    override = dlg.override
    assert override is not None and not override.self_approve      # cashier: manager needed
    qtbot.waitUntil(lambda: override.approve_button.isEnabled(), timeout=5000)
    override.user_box.setCurrentIndex(override.user_box.findData("李经理"))
    override.pin_edit.setText(MANAGER_PIN)
    override.submit()
    qtbot.waitUntil(lambda: dlg.report is not None and dlg.report.kind is ReportKind.Z,
                    timeout=5000)
    assert dlg.report.expected_cash == 11200 and dlg.report.difference == -150
    assert dlg.expected_label.text() == "Expected cash: ¥112.00"   # shown after the count
    assert dlg.difference_label.text() == "Cash SHORT by ¥1.50"
    text = dlg.report_view.toPlainText()
    assert "Z REPORT" in text and "112.00" in text and "-1.50" in text
    assert any(ln.startswith("Approved by") and ln.endswith("李经理") for ln in text.splitlines())
    assert dlg.shift_label.text() == "No open shift" and world.services.shifts.current() is None
    dlg.print_report()
    assert printed == [text] and dlg.message.text() == "Printed"
    job = render_text(printed[0])
    assert job.startswith(b"\x1b@\x1c&") and b"112.00" in job
    out = tmp_path / "z.csv"
    dlg.export_csv(out)
    qtbot.waitUntil(out.exists, timeout=5000)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"Z,1,difference,cash,,-150,-1.50" in raw


def test_a_managers_x_shows_the_expected_cash(qtbot, world):
    world.services.shifts.open(CASHIER.name, Fen(10000))
    world.sell(("BEER500", 2), cash=2000)                          # cash 12.00
    dlg = ShiftDialog(world.make_ctx(MANAGER))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(dlg.x_button.isEnabled, timeout=5000)
    dlg.x_report()
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=5000)
    assert not dlg.report.blind
    lines = dlg.report_view.toPlainText().splitlines()
    assert any(ln.startswith("= Expected cash") and ln.endswith("112.00") for ln in lines)


def test_reconcile_shows_missing_payment_and_fixes_it(qtbot, world, tmp_path):
    world.sell(("COKE330", 1))                                     # matched
    stray = "PSTRAY" + datetime.now(UTC).strftime("%H%M%S%f")     # paid, never recorded
    world.gateway.native_prepay(out_trade_no=stray, description="stray", total=Fen(777),
                                time_expire=datetime.now(UTC) + timedelta(minutes=5))
    world.stack.server.pay(out_trade_no=stray)
    # Reconcile the way a shop does: the next day (today's bill does not exist yet).
    tomorrow = ManualClock(datetime.now(UTC) + timedelta(days=1))
    ctx = dataclasses.replace(world.make_ctx(MANAGER), services=dataclasses.replace(
        world.services, reconcile=ReconcileService(world.services.store, world.gateway,
                                                   clock=tomorrow)))
    dlg = ReconcileDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    today = datetime.now(CHINA_TZ).date()
    assert dlg.day() == today               # the default is the service's yesterday …
    dlg.set_day(today + timedelta(days=1))
    assert dlg.day() == today               # … and the picker cannot go past it
    dlg.run()
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=10000)
    [m] = dlg.report.mismatches
    assert (m.kind, m.out_trade_no, m.remote_amount) == (
        MismatchKind.REMOTE_ONLY_PAYMENT, stray, 777)
    assert dlg.table.rowCount() == 1
    assert dlg.table.item(0, 0).text() == "Paid in the bill, missing locally"
    assert dlg.table.item(0, 1).text() == stray and dlg.table.item(0, 2).text() == "¥7.77"
    assert dlg.summary.text().startswith("1 mismatch(es) to check.")
    out = tmp_path / "rec.csv"
    dlg.export_csv(out)
    qtbot.waitUntil(out.exists, timeout=5000)
    assert stray in out.read_text(encoding="utf-8-sig")
    dlg.fix_buttons[0].click()
    qtbot.waitUntil(lambda: dlg.report is not None and dlg.report.ok, timeout=10000)
    assert dlg.table.rowCount() == 0
    assert dlg.summary.text().startswith("Everything matches.")
    assert "Recorded ¥7.77" in dlg.message.text()
    order = world.services.refunds.find_order(stray)
    assert order is not None and order.total == 777


def test_reconcile_offline_is_disabled_with_a_message(qtbot, world, stack):
    ctx = ManagerContext(build_manager_services(stack.db, None), MANAGER, world.worker,
                         stack.services.login.user_names)
    dlg = ReconcileDialog(ctx)
    qtbot.addWidget(dlg)
    assert not dlg.run_button.isEnabled()
    assert dlg.message.text() == "Offline: reconciliation needs a payment channel"
