"""The app-wide wedge filter: scans never type into the focused field; typing still works."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from pos_app.devices.scanner.wedge import WedgeConfig
from pos_app.ui.wedge_filter import WedgeFilter

pytestmark = pytest.mark.gui


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def form(qtbot, qapp):
    w = QWidget()
    lay = QVBoxLayout(w)
    qty = QLineEdit()
    other = QLineEdit()
    lay.addWidget(qty)
    lay.addWidget(other)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qty.setFocus()
    clock = FakeClock()
    filt = WedgeFilter(WedgeConfig(), clock=clock)
    filt.install(qapp)
    yield w, qty, filt, clock
    qapp.removeEventFilter(filt)


def type_keys(qtbot, widget, text, clock, gap):
    for ch in text:
        qtbot.keyClick(widget, ch)
        clock.t += gap


def test_scan_into_focused_text_field_does_not_type_into_it(qtbot, form):
    _w, qty, filt, clock = form
    qty.setText("2")
    scans: list[str] = []
    filt.scanned.connect(scans.append)
    returns: list[bool] = []
    qty.returnPressed.connect(lambda: returns.append(True))
    type_keys(qtbot, qty, "134567890123456789", clock, 0.004)
    qtbot.keyClick(qty, Qt.Key.Key_Return)
    assert scans == ["134567890123456789"]
    assert qty.text() == "2"          # nothing typed into the quantity field
    assert returns == []              # the scanner's Enter did not "submit" the field


def test_human_typing_reaches_the_field_and_is_not_captured(qtbot, form):
    _w, qty, filt, clock = form
    scans: list[str] = []
    filt.scanned.connect(scans.append)
    type_keys(qtbot, qty, "12345678", clock, 0.180)
    clock.t += 1.0
    qtbot.waitUntil(lambda: qty.text() == "12345678", timeout=2000)
    returns: list[bool] = []
    qty.returnPressed.connect(lambda: returns.append(True))
    qtbot.keyClick(qty, Qt.Key.Key_Return)
    assert returns == [True]
    assert scans == []


def test_fast_short_typing_is_given_back_in_order_before_enter(qtbot, form):
    _w, qty, _filt, clock = form
    got: list[str] = []
    qty.returnPressed.connect(lambda: got.append(qty.text()))
    type_keys(qtbot, qty, "12", clock, 0.01)
    qtbot.keyClick(qty, Qt.Key.Key_Return)
    assert got == ["12"]


def test_no_shortcut_fires_during_a_scan(qtbot, form):
    w, qty, _filt, clock = form
    fired: list[bool] = []
    sc = QShortcut(QKeySequence("5"), w)
    sc.setContext(Qt.ShortcutContext.ApplicationShortcut)
    sc.activated.connect(lambda: fired.append(True))
    type_keys(qtbot, qty, "6901234567011", clock, 0.003)
    qtbot.keyClick(qty, Qt.Key.Key_Return)
    assert fired == []


def test_disabled_filter_lets_everything_through(qtbot, form):
    _w, qty, filt, clock = form
    filt.enabled = False
    type_keys(qtbot, qty, "6901234567011", clock, 0.003)
    assert qty.text() == "6901234567011"


def test_scan_with_focus_on_a_button_does_not_press_it(qtbot, form):
    w, _qty, filt, clock = form
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("Pay", w)
    button.setAutoDefault(True)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    button.show()
    button.setFocus()
    scans: list[str] = []
    filt.scanned.connect(scans.append)
    type_keys(qtbot, button, "6901234567011", clock, 0.002)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert scans == ["6901234567011"] and clicks == []


def send_keys_at(qapp, widget, text, clock, stamps, stall_after=None, stall=0.0):
    """Real input events carry the device's timestamp (ms). ``stall`` seconds of busy UI
    thread after key ``stall_after``: later keys are *processed* late, in a burst."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for i, (ch, ms) in enumerate(zip(text, stamps, strict=True)):
        key = Qt.Key.Key_Return if ch == "\r" else Qt.Key(ord(ch.upper()))
        for etype in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            ev = QKeyEvent(etype, key, Qt.KeyboardModifier.NoModifier, ch)
            ev.setTimestamp(ms)
            qapp.sendEvent(widget, ev)
        clock.t += 0.0005
        if stall_after == i:
            clock.t += stall


def test_a_ui_stall_mid_scan_leaves_nothing_in_the_field(qtbot, qapp, form):
    _w, qty, filt, clock = form
    scans: list[str] = []
    filt.scanned.connect(scans.append)
    code = "6901234567011"
    send_keys_at(qapp, qty, code + "\r", clock, [1000 + 3 * i for i in range(len(code) + 1)],
                 stall_after=5, stall=0.2)
    assert scans == [code] and qty.text() == ""


def test_slow_typing_processed_in_a_burst_after_a_stall_is_not_eaten(qtbot, qapp, form):
    _w, qty, filt, clock = form
    scans: list[str] = []
    filt.scanned.connect(scans.append)
    returns: list[str] = []
    qty.returnPressed.connect(lambda: returns.append(qty.text()))
    text = "coke12"
    # typed 150 ms apart while the UI thread was busy: all processed back to back
    send_keys_at(qapp, qty, text + "\r", clock, [1000 + 150 * i for i in range(len(text) + 1)])
    assert scans == [] and returns == ["coke12"]
