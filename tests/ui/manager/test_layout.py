"""Any screen fits (issue 10, defect 5): the sale window and the refund screen lay out
within 1024x768 (less a title bar) in English and Chinese; the till starts maximised."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

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
