"""The sale window's status area with every badge on at once (demo, printer trouble, hub
unsent + flags while offline, disk low, serial scanner, recovery with an unknown outcome):
at 1024x768 and 1280x800 (less a title bar), in English and Chinese, each badge is on
screen and shown whole (its full text, where shortened, is its tooltip), with the till's
style sheet applied (its larger fonts are what the cashier sees)."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QLabel

from pos_app.devices.printer.queue import QueueState, QueueStatus
from pos_app.devices.printer.status import Condition
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.text import msg
from pos_app.hub.link import HubService
from pos_app.hub.sender import SyncStatus
from pos_app.payments.api import PaymentEvent
from pos_app.payments.messages import PaymentText
from pos_app.ui.bridge import Bridge, Worker
from pos_app.ui.hub_panel import install_hub
from pos_app.ui.i18n import install_translator
from pos_app.ui.main_window import MainWindow
from pos_app.ui.scanners import ScannerHub
from pos_app.ui.services import Session
from pos_app.ui.settings_model import AppSettings
from pos_app.ui.style import apply_style

pytestmark = pytest.mark.gui


@pytest.fixture(params=["en", "zh_CN"])
def lang(request, qapp):
    tr = install_translator(qapp, request.param)
    apply_style(qapp)                  # the till's own fonts and paddings, as it runs
    yield request.param
    qapp.setStyleSheet("")
    qapp.removeTranslator(tr) if tr is not None else None
    install_translator(qapp, "en")


def _window(qtbot, stack):  # type: ignore[no-untyped-def]
    bridge = Bridge()
    worker = Worker(bridge)
    win = MainWindow(stack.services, Session("李经理", "manager"), bridge, worker,
                     ScannerHub(bridge), AppSettings())
    qtbot.addWidget(win)
    return win, worker


def _turn_every_badge_on(qtbot, stack, win, worker):  # type: ignore[no-untyped-def]
    badge = install_hub(win, HubService(stack.db, "01"), worker, "李经理", "manager")
    badge.show_status(SyncStatus("offline", 128, 3))
    win.devices.queue_status(QueueStatus(QueueState.WAITING, Condition.PAPER_OUT, 12, 40))
    win.status.storage(msg(PaymentText.DISK_LOW, free_mb=150))
    win.status.scanner("/dev/ttyUSB0")
    win.status.recovery_done([PaymentEvent(1042, 7, PaymentMethod.CODEPAY,
                                           AttemptState.UNCERTAIN, Fen(1250))])


@pytest.mark.parametrize("size", [(1024, 768 - 40), (1280, 800 - 40)])
def test_every_badge_shows_whole(qtbot, stack, lang, size):  # type: ignore[no-untyped-def]
    win, worker = _window(qtbot, stack)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(200)                    # start-up done (the till's own disk check has spoken)
    _turn_every_badge_on(qtbot, stack, win, worker)
    qtbot.wait(50)                     # the bar takes its new height after the event loop turns
    assert win.minimumSizeHint().width() <= size[0], (lang, win.minimumSizeHint())
    assert win.width() == size[0], (lang, win.width())
    if os.environ.get("POS_SHOTS"):
        win.grab().save(f"{os.environ['POS_SHOTS']}/status_every_badge_{size[0]}_{lang}.png")
    bar = win.statusBar()
    labels = [w for w in bar.findChildren(QLabel) if w.isVisibleTo(win) and w.text()]
    names = {w.objectName() for w in labels}
    assert {"demoBadge", "printerStatus", "hubBadge", "storageWarning"} <= names, names
    for w in labels:
        box = w.geometry().translated(w.parentWidget().mapTo(win, w.parentWidget().rect().topLeft()))
        assert box.left() >= 0 and box.right() <= win.width() and box.bottom() <= win.height(), (
            lang, size, w.objectName(), w.text(), box)
        assert w.height() >= w.sizeHint().height(), (lang, size, w.objectName(), w.height())
        if w.objectName() == "statusMessage":  # a passing message takes the room left (whole
            continue                           # in its tooltip; errors also at the entry)
        assert w.width() >= w.sizeHint().width() or w.wordWrap(), (
            lang, size, w.objectName(), w.text(), w.width(), w.sizeHint().width())
        if w.wordWrap():
            assert w.height() >= w.heightForWidth(w.width()), (lang, size, w.text())
    win.close()
    worker.shutdown(wait=True)
