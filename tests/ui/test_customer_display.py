"""The customer display with two screens: runs tests/ui/two_screens_display.py in a process
of its own on the offscreen platform with a screens file (Qt reads the screens once, when
the application starts), and the one-screen case here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
SCREENS = {"screens": [
    {"name": "till", "x": 0, "y": 0, "width": 1280, "height": 800,
     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
    {"name": "customer", "x": 1280, "y": 0, "width": 800, "height": 480,
     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}


def run_two_screens(tmp_path: Path, lang: str = "en", shots: str = "") -> subprocess.CompletedProcess[str]:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               POS_TWO_SCREENS="1", POS_LANG=lang, POS_SHOTS=shots, LANG="C.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "--timeout=120", str(ROOT / "tests" / "ui" / "two_screens_display.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_customer_display_on_a_second_screen(tmp_path):
    done = run_two_screens(tmp_path)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "5 passed" in done.stdout and "skipped" not in done.stdout, done.stdout[-2000:]


def test_one_screen_builds_no_display_and_the_setting_says_so(qtbot, ui):
    from PySide6.QtGui import QGuiApplication

    assert len(QGuiApplication.screens()) == 1
    qtbot.wait(50)                                       # (after the window is up)
    assert ui.devices.display is None and ui.settings.display.screen == "auto"
    assert ui.findChild(object, "customerDisplay") is None
    from pos_app.ui.device_settings import DisplayPage
    from pos_app.ui.settings_model import DisplaySettings

    page = DisplayPage(DisplaySettings())
    qtbot.addWidget(page)
    assert "Only one screen" in page.note.text()
    assert page.display_settings() == DisplaySettings("auto")
    qtbot.keyClick(ui, Qt.Key.Key_Escape)


def test_one_code_and_two_codes_on_the_window_each_named_and_within_its_screen(qtbot):
    """The window as the screens change (no keys: the customer's screen takes none): one
    code beside the cart, two codes side by side under their channels' names, back to one
    when a code is closed, "paid ✓" with the double payment said — never taller than its
    screen (showing a child lays a window out at once: hide first, then show)."""
    from pos_app.domain.money import Fen
    from pos_app.sale.customer_view import CustomerScreen, DisplayLine, Phase, QrCode
    from pos_app.ui.customer_display import CustomerDisplayWindow

    lines = (DisplayLine("可口可乐 330ml", 2, Fen(600)),)
    wx = QrCode("wechat", "weixin://wxpay/bizpayurl?pr=wx1")
    ali = QrCode("alipay", "https://qr.alipay.com/bax0123456789abcdef0123")
    win = CustomerDisplayWindow(CustomerScreen(Phase.IDLE, "店"), qr_size=216)
    qtbot.addWidget(win)
    win.show()
    win.setGeometry(0, 0, 800, 480)
    qtbot.waitExposed(win)

    def pay(*qrs: QrCode) -> CustomerScreen:
        return CustomerScreen(Phase.PAY, "店", lines, Fen(600), method="native", qrs=qrs)

    win.show_screen(pay(ali))
    assert win.qr.isVisible() and win.qr.data == ali.payload and win.lines.isVisible()
    assert win.status_label.text() == "Scan with Alipay to pay"     # by the code's channel
    win.show_screen(pay(wx, ali))
    cards = [c for c in win.qr_cards if c.isVisible()]
    assert [(c.title.text(), c.qr.data) for c in cards] == [
        ("WeChat Pay", wx.payload), ("Alipay", ali.payload)]
    assert win.qr_pair.isVisible() and not win.qr.isVisible() and not win.lines.isVisible()
    assert win.total_label.isVisible() and win.total_label.text() == "¥6.00"
    assert cards[0].geometry().right() < cards[1].geometry().left()   # side by side
    assert win.status_label.text() == "Scan either code to pay"
    assert win.size().toTuple() == (800, 480)
    win.show_screen(pay(wx))                              # Alipay's code closed: one left
    assert not win.qr_pair.isVisible() and win.qr.data == wx.payload
    assert win.status_label.text() == "Scan with WeChat to pay" and win.lines.isVisible()
    assert all(c.qr.data == "" for c in win.qr_cards)
    win.show_screen(pay(wx, ali))
    win.show_screen(CustomerScreen(Phase.PAID, "店", lines, Fen(600), paid=Fen(600),
                                   double_paid=True, owed=Fen(550)))
    assert not win.qr_pair.isVisible() and not win.qr.isVisible()
    assert win.note_label.isVisible()
    assert win.note_label.text() == "Both codes were paid: ¥5.50 will be refunded to you"
    assert win.size().toTuple() == (800, 480)
    win.show_screen(CustomerScreen(Phase.PAID, "店", lines, Fen(600), paid=Fen(600)))
    assert not win.note_label.isVisible()
