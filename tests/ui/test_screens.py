"""Login, settings (merchant validation, scanner test, save), translations, smoke start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from pos_app.devices.scanner.base import ScanOrigin
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.i18n import install_translator
from pos_app.ui.login_dialog import LoginDialog
from pos_app.ui.services import Session

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


def test_login_wrong_then_right_pin(qtbot, stack):
    worker = Worker(Bridge())
    dlg = LoginDialog(stack.services.login, worker, "测试商店")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.user_box.count() == 3, timeout=3000)
    dlg.user_box.setCurrentIndex(dlg.user_box.findData("王芳"))
    dlg.pin_edit.setText("1111")
    dlg.submit()
    qtbot.waitUntil(lambda: "PIN" in dlg.message.text(), timeout=5000)
    assert dlg.session is None and dlg.pin_edit.text() == ""
    for key in "2580":
        dlg._pad(key)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg._pad("OK")
    assert dlg.session is not None
    assert (dlg.session.name, dlg.session.role) == ("王芳", "cashier")
    worker.shutdown(wait=True)


def test_settings_are_manager_only(ui):
    ui.open_settings()  # the fixture signs in the cashier 王芳 and has no manager services
    assert ui.settings_dialog is None
    assert "Settings are for managers" in ui.statusBar().currentMessage()


def test_settings_validate_merchant_scan_test_and_save(qtbot, ui, stack, tmp_path):
    ui.session = Session("李经理", "manager")
    ui.open_settings()
    sd = ui.settings_dialog
    sd.merchant_path.setText(str(tmp_path / "nope.json"))
    sd.validate_merchant()
    qtbot.waitUntil(lambda: sd.merchant_result.text().startswith("Not usable"), timeout=3000)
    assert "nope.json" in sd.merchant_result.text()
    sd.merchant_path.setText(str(stack.server.merchant_config_path))
    sd.validate_merchant()
    qtbot.waitUntil(lambda: sd.merchant_result.text().startswith("OK"), timeout=3000)
    # the scanner test panel shows decoded scans; the sale screen ignores them meanwhile
    ui.hub.inject(stack.catalog.by_sku("COKE330").barcode, ScanOrigin.WEDGE)
    assert "PRODUCT_BARCODE" in sd.scan_log.toPlainText()
    assert ui.cart_model.cart.lines == []
    sd.avg_gap.setValue(80)  # > max gap: refused with a clear message, nothing saved
    sd._save()
    assert sd.error.text().startswith("Not saved") and sd.isVisible()
    sd.avg_gap.setValue(25)
    sd.min_length.setValue(8)
    sd._save()
    qtbot.waitUntil(lambda: stack.services.settings_path.exists(), timeout=3000)
    saved = json.loads(stack.services.settings_path.read_text())
    assert saved["scanner"]["min_length"] == 8
    assert saved["merchant_config_path"] == str(stack.server.merchant_config_path)
    assert ui.hub.wedge.config.min_length == 8 and ui.hub.wedge.config.avg_gap == 0.025


def test_zh_cn_translation_is_loaded(qapp):
    tr = install_translator(qapp, "zh_CN")
    try:
        assert tr is not None
        assert QCoreApplication.translate("PaymentDialog", "Paid") == "支付成功"
        assert QCoreApplication.translate("MainWindow", "WeChat QR") == "微信收款码"
    finally:
        qapp.removeTranslator(tr)
        install_translator(qapp, "en")


@pytest.mark.slow
def test_smoke_test_and_screenshot_cli(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    shot = tmp_path / "main.png"
    for extra in (["--smoke-test"], ["--screenshot", str(shot), "--lang", "zh_CN"]):
        proc = subprocess.run([sys.executable, "-m", "pos_app", "--data-dir", str(tmp_path),
                               *extra], cwd=ROOT, env=env, capture_output=True, timeout=60)
        assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_bad_live_config_fails_with_a_clear_message(tmp_path):
    cfg = tmp_path / "till.toml"
    cfg.write_text('merchant_config = "missing.json"\n')
    proc = subprocess.run([sys.executable, "-m", "pos_app", "--config", str(cfg), "--data-dir",
                           str(tmp_path), "--smoke-test"], cwd=ROOT,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "merchant config" in proc.stderr and "missing.json" in proc.stderr


@pytest.mark.slow
def test_live_mode_against_a_merchant_config(tmp_path):
    """--config with a merchant file: LIVE mode, real HTTP to (here) a simulator."""
    from pos_app.simulator.server import SimulatorServer

    with SimulatorServer(tmp_path / "sim") as server:
        cfg = tmp_path / "till.toml"
        cfg.write_text(f'merchant_config = "{server.merchant_config_path}"\n'
                       'shop_name = "测试店"\n')
        shot = tmp_path / "live.png"
        proc = subprocess.run(
            [sys.executable, "-m", "pos_app", "--config", str(cfg), "--data-dir",
             str(tmp_path / "data"), "--screenshot", str(shot)], cwd=ROOT,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True,
            text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert (tmp_path / "data" / "pos_app.sqlite3").exists()
        assert not (tmp_path / "data" / "demo").exists()


def test_run_login_sign_out_and_quit(qapp, tmp_path):
    """The real composition root: sign in, sign out (back to login), close → run() returns."""
    import argparse

    from PySide6.QtCore import QTimer

    from pos_app.app import run
    from pos_app.ui.main_window import MainWindow

    seen: list[str] = []

    def find(cls):
        return next((w for w in qapp.topLevelWidgets() if isinstance(w, cls) and w.isVisible()),
                    None)

    def step_login(then):
        dlg = find(LoginDialog)
        if dlg is None or dlg.user_box.count() == 0:
            QTimer.singleShot(20, lambda: step_login(then))
            return
        seen.append("login")
        then(dlg)

    def sign_in(dlg):
        dlg.user_box.setCurrentIndex(dlg.user_box.findData("王芳"))
        dlg.pin_edit.setText("2580")
        dlg.submit()
        QTimer.singleShot(20, wait_main)

    def wait_main():
        win = find(MainWindow)
        if win is None or not win.sales_enabled:
            QTimer.singleShot(20, wait_main)
            return
        seen.append(f"main:{win.session.name}")
        win.sign_out_requested.emit()
        QTimer.singleShot(20, lambda: step_login(lambda d: (seen.append("again"), d.reject())))

    QTimer.singleShot(0, lambda: step_login(sign_in))
    ns = argparse.Namespace(config=None, demo=False, data_dir=str(tmp_path), lang="en",
                            smoke_test=False, screenshot=None)
    assert run(ns) == 0
    assert seen == ["login", "main:王芳", "login", "again"]


def test_extra_actions_and_report_printing(qtbot, qapp, stack, tmp_path):
    from dataclasses import replace

    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.services import ExtraAction, Session
    from pos_app.ui.settings_model import AppSettings, PrinterSettings

    calls: list[str] = []
    services = replace(stack.services, actions=[
        ExtraAction("Manager", "Ctrl+Shift+F1", lambda win, s: calls.append(s.name))])
    bridge = Bridge()
    worker = Worker(bridge)
    out = tmp_path / "report.bin"
    win = MainWindow(services, Session("李经理", "manager"), bridge, worker, ScannerHub(bridge),
                     AppSettings(printer=PrinterSettings(kind="file", target=str(out))))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    shortcut = next(a for a in win.actions() if a.shortcut().toString() == "Ctrl+Shift+F1")
    shortcut.trigger()
    assert calls == ["李经理"]
    done: list[str | None] = []
    win.print_text("X 报表\n现金 ¥10.00", done.append)
    qtbot.waitUntil(lambda: done == [None], timeout=3000)
    assert "X 报表".encode("gb18030") in out.read_bytes()
    worker.shutdown(wait=True)


def test_cashier_opens_settings_only_with_a_manager_pin(qtbot, qapp, stack, tmp_path):
    from dataclasses import replace

    from pos_app.manager.services import build_manager_services
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.settings_model import AppSettings

    services = replace(stack.services, manager=build_manager_services(stack.db, None))
    bridge = Bridge()
    worker = Worker(bridge)
    win = MainWindow(services, Session("王芳", "cashier"), bridge, worker, ScannerHub(bridge),
                     AppSettings())
    qtbot.addWidget(win)
    win.show()
    win.open_settings()
    assert win.settings_dialog is None  # not yet: a manager must approve
    from pos_app.ui.manager.manager_override import ManagerOverrideDialog

    prompt = win.findChild(ManagerOverrideDialog)
    assert prompt is not None and not prompt.self_approve
    qtbot.waitUntil(lambda: prompt.approve_button.isEnabled(), timeout=5000)
    prompt.user_box.setCurrentIndex(prompt.user_box.findData("李经理"))
    prompt.pin_edit.setText("2580")  # the cashier's own PIN does not open it
    prompt.submit()
    assert not prompt.approve_button.isEnabled()  # checking off the UI thread
    qtbot.waitUntil(lambda: prompt.approve_button.isEnabled(), timeout=5000)
    assert "PIN" in prompt.message.text() and win.settings_dialog is None
    prompt.pin_edit.setText("1470")
    prompt.submit()
    qtbot.waitUntil(lambda: win.settings_dialog is not None, timeout=5000)
    win.settings_dialog.reject()
    worker.shutdown(wait=True)
