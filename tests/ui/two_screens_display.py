"""The customer display against TWO screens (run by test_customer_display.py in a process of
its own, with ``QT_QPA_PLATFORM=offscreen:configfile=<screens.json>``; skipped elsewhere).

The real MainWindow on the till's screen, driven with keys; the display on the customer's
screen shows the cart as it grows, the Native QR (decoded from the pixels: it is the code
the till is waiting on), "paid ✓", the change for cash, the idle screen with the shop's
name, and goes away when the setting says off. With both WeChat Pay and Alipay enabled, a
pair of Native attempts (``TillService.pay_native_pair``) puts both codes side by side,
each under its channel's name; the customer pays the Alipay one read off the display and
"paid ✓" stays while the WeChat Pay code is closed; both paid (between two polls) is
"paid ✓" once with the refund said. With ``POS_SHOTS=<dir>`` (and
``POS_LANG=zh_CN|en``) it saves the screens as PNGs for docs/screenshots.
"""

from __future__ import annotations

import io
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from pos_app.domain.payment import AttemptState
from pos_app.payments.api import PaymentEvent
from pos_app.sale.customer_view import Phase
from pos_app.ui.payment_dialogs import CashDialog, NativePayDialog
from pos_app.ui.settings_model import DisplaySettings

pytestmark = [pytest.mark.gui, pytest.mark.skipif(
    os.environ.get("POS_TWO_SCREENS") != "1", reason="needs the two-screen offscreen platform")]

SHOTS = os.environ.get("POS_SHOTS", "")
LANG = os.environ.get("POS_LANG", "en")


@pytest.fixture(autouse=True)
def language(qapp):  # type: ignore[no-untyped-def]
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.style import apply_style

    apply_style(qapp)
    keep = install_translator(qapp, LANG)
    yield keep


def shot(widget: QWidget, name: str) -> None:
    if not SHOTS:
        return
    suffix = "" if LANG == "zh_CN" else "_en"
    widget.grab().save(str(Path(SHOTS) / f"{name}{suffix}.png"))


def decode_all(widget: QWidget) -> list[str]:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buf, "PNG")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(bytes(buf.data()))))
    assert found, "no QR code on the customer display"
    return [str(f.text) for f in found]


def decode(widget: QWidget) -> str:
    return decode_all(widget)[0]


def test_the_sale_as_the_customer_sees_it_on_the_second_screen(qtbot, ui, stack):
    screens = QGuiApplication.screens()
    assert sorted(s.name() for s in screens) == ["customer", "till"]
    assert ui.screen().name() == "till"
    qtbot.waitUntil(lambda: ui.devices.display is not None
                    and ui.devices.display.window is not None, timeout=3000)
    display = ui.devices.display
    win = display.window
    qtbot.waitUntil(win.isVisible, timeout=3000)
    assert win.screen().name() == "customer"
    assert win.geometry().getRect() == (1280, 0, 800, 480)
    qtbot.waitUntil(ui.isActiveWindow, timeout=2000)    # the till keeps the keyboard
    display._settle.setInterval(300)
    assert win.pages.currentIndex() == 0 and win.shop_label.text() == "测试商店"
    shot(win, "customer_display_idle")

    ui.activateWindow()
    qtbot.waitUntil(ui.isActiveWindow, timeout=2000)
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2):  # quick keys: 2 cola + 1 more
        qtbot.keyClick(ui, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: win.lines.rowCount() == 2, timeout=3000)
    assert win.pages.currentIndex() == 1
    assert win.lines.item(0, 0).text().startswith("可口可乐") and win.lines.item(0, 1).text() == "2"
    total = ui.cart_model.cart.total
    assert win.total_label.text() == f"¥{total // 100}.{total % 100:02d}"
    shot(win, "customer_display_cart")

    qtbot.keyClick(ui, Qt.Key.Key_F8)                    # Native QR
    dlg = ui.dialog
    assert isinstance(dlg, NativePayDialog)
    qtbot.waitUntil(lambda: dlg.qr.data != "" and win.qr.data == dlg.qr.data, timeout=5000)
    assert win.qr.isVisible() and display.view.screen.phase is Phase.PAY
    assert decode(win.qr) == dlg.qr.data                 # the customer scans THIS code
    shot(win, "customer_display_qr")
    ui.show_phone()                                      # the demo customer phone stays
    ui.phone.pay_shown_qr()
    qtbot.waitUntil(lambda: display.view.screen.phase is Phase.PAID, timeout=8000)
    assert win.status_label.text() == ("Paid ✓" if LANG == "en" else "支付成功 ✓")
    assert not win.qr.isVisible() and win.qr.data == ""  # no finished order's QR on show
    qtbot.waitUntil(lambda: win.pages.currentIndex() == 0, timeout=5000)  # idle again

    ui.activateWindow()
    qtbot.waitUntil(ui.isActiveWindow, timeout=2000)
    for _ in range(3):
        qtbot.keyClick(ui, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: ui.cart_model.cart.item_count == 3, timeout=3000)
    qtbot.keyClick(ui, Qt.Key.Key_F10)
    cash = ui.dialog
    assert isinstance(cash, CashDialog)
    assert display.view.screen.phase is Phase.PAY and not win.qr.isVisible()
    for ch in "20":
        qtbot.keyClick(cash.tendered_edit, ch)
    qtbot.keyClick(cash.tendered_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: display.view.screen.phase is Phase.PAID, timeout=5000)
    assert cash.paid_event is not None and cash.paid_event.state is AttemptState.PAID
    assert "11.00" in win.change_label.text()
    shot(win, "customer_display_paid")
    qtbot.waitUntil(lambda: win.pages.currentIndex() == 0, timeout=5000)

    ui.apply_settings(replace(ui.settings, display=DisplaySettings(screen="off")))
    assert display.window is None                        # off: the window is gone
    ui.apply_settings(replace(ui.settings, display=DisplaySettings(screen="till")))
    assert display.window is None                        # never over the till's own screen
    ui.apply_settings(replace(ui.settings, display=DisplaySettings(screen="customer")))
    assert display.window is not None and display.window.screen().name() == "customer"


def test_settings_pages_for_the_display_and_printer(qtbot, ui):
    from pos_app.ui.settings_dialog import SettingsDialog

    dlg = SettingsDialog(ui.settings, ui.hub, ui.worker, None, lambda: [], ui)
    qtbot.addWidget(dlg)
    dlg.show()
    page = dlg.display_page
    names = [page.screen_box.itemData(i) for i in range(page.screen_box.count())]
    assert names[:2] == ["auto", "off"] and sorted(names[2:]) == ["customer", "till"]
    assert page.note.text() == ""
    dlg.resize(720, 620)
    dlg.tabs.setCurrentWidget(page)
    shot(dlg, "settings_customer_display")
    printer = dlg.printer_page
    printer.kind.setCurrentIndex(printer.kind.findData("network"))
    printer.host.setText("192.168.1.87")
    printer.shop_name.setText("演示便利店 (建国路店)")
    printer.address.setText("北京市朝阳区建国路88号")
    printer.phone.setText("010-6588 1234")
    printer.drawer_enabled.setChecked(True)
    dlg.tabs.setCurrentWidget(printer)
    shot(dlg, "settings_printer_network")
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)


def test_reprint_dialog_lists_the_day(qtbot, ui, stack):
    from pos_app.domain.cart import Cart
    from pos_app.domain.money import Fen
    from pos_app.manager.services import build_manager_services
    from pos_app.ui.reprint_dialog import ReprintDialog

    for sku, qty in (("COKE330", 2), ("CHIPS", 1)):
        cart = Cart()
        cart.add(stack.catalog.by_sku(sku), qty)
        order_id = stack.till.create_order(cart, cashier="王芳")
        stack.till.pay_cash(order_id, Fen(2000))
    assert stack.till.wait_idle(10)
    desk = build_manager_services(stack.db, None).refunds
    printed: list[str] = []
    dlg = ReprintDialog(desk, ui.worker, ui.sale, lambda r, done: printed.append(r.order_no), ui)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.results.count() == 2, timeout=5000)
    dlg.results.setFocus()
    qtbot.keyClick(dlg.results, Qt.Key.Key_Return)
    assert printed == [f"{order_id - 1:08d}"] or printed == [f"{order_id:08d}"]
    shot(dlg, "reprint_dialog")


class PollGate:
    """Holds the till's payment lane at its next poll (``pause``) until ``release``: what
    the customer does meanwhile is seen by one poll of both attempts."""

    def __init__(self) -> None:
        self._open = threading.Event()
        self._open.set()
        self.held = threading.Event()

    def hook(self, name: str) -> None:
        if name == "polling" and not self._open.is_set():
            self.held.set()
            self._open.wait(10)

    def pause(self) -> None:
        self.held.clear()
        self._open.clear()
        assert self.held.wait(5), "the lane did not come to its next poll"

    def release(self) -> None:
        self._open.set()


@pytest.fixture
def pair_ui(qtbot, qapp, tmp_path) -> Iterator[tuple[object, object, object, PollGate]]:  # type: ignore[no-untyped-def]
    """The till with both WeChat Pay and Alipay (simulators over HTTP) and its window."""
    from pos_app.alipay import load_alipay_config
    from pos_app.backend import StaffLogin, seed_demo_users
    from pos_app.payment_connection import SimulatorCustomer, check_merchant_config
    from pos_app.payments.channels.alipay import AlipayChannel
    from pos_app.payments.channels.wechat import WechatChannel
    from pos_app.payments.till import TillService
    from pos_app.simulator.alipay.server import AlipaySimulatorServer
    from pos_app.simulator.realism import Realism
    from pos_app.simulator.server import SimulatorServer
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.db import Database
    from pos_app.storage.staff import UserRepository
    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.main_window import MainWindow, payment_sink
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.services import AppServices, Mode, Session
    from pos_app.ui.settings_model import AppSettings, PrinterSettings
    from pos_app.wechatpay.config import load_merchant_config
    from tests.ui.conftest import fast_policy

    gate = PollGate()
    wx = SimulatorServer(tmp_path / "wx", realism=Realism(bill_ready_hour=None,
                                                          close_lag_s=0)).start()
    ali = AlipaySimulatorServer(tmp_path / "ali", refund_query_lag_s=0,
                                bill_ready_hour=None).start()
    db = Database(tmp_path / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    users = UserRepository(db)
    seed_demo_users(users)
    till = TillService(db, {
        "wechat": WechatChannel.from_config(load_merchant_config(wx.merchant_config_path)),
        "alipay": AlipayChannel.from_config(load_alipay_config(ali.merchant_config_path))},
        policy=fast_policy(), fault_hook=gate.hook)
    till.recover()
    demo = SimulatorCustomer(wx, lambda: ali)
    services = AppServices(till=till, catalog=catalog, login=StaffLogin(users), mode=Mode.DEMO,
                           shop_name="测试商店", data_dir=tmp_path,
                           settings_path=tmp_path / "settings.json", demo=demo,
                           check_merchant_config=check_merchant_config)
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    hub.install(qapp)
    settings = AppSettings(printer=PrinterSettings(kind="file",
                                                   target=str(tmp_path / "receipts.bin")))
    win = MainWindow(services, Session("王芳", "cashier"), bridge, worker, hub, settings)
    sink = payment_sink(bridge)
    till.subscribe(sink)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.recovery_done([])
    qtbot.waitUntil(lambda: win.quick_grid.count() > 0, timeout=3000)
    yield win, till, demo, gate
    till.unsubscribe(sink)
    gate.release()
    qapp.removeEventFilter(hub.wedge)
    hub.stop_serial()
    worker.shutdown(wait=True)
    till.shutdown(wait=True)
    ali.stop()
    wx.stop()
    db.close()


class PairOnDisplay:
    """A pair started with Ctrl+F8 for the cart rung up with keys; the sale controller
    hands it to the customer display's view (``payment_began`` once, then the events of
    both attempts as they come, interleaved). ``seen``: the till's events, in order."""

    def __init__(self, qtbot, ui, till) -> None:  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: ui.devices.display is not None
                        and ui.devices.display.window is not None, timeout=3000)
        self.display = ui.devices.display
        self.win, self.view = self.display.window, self.display.view
        qtbot.waitUntil(self.win.isVisible, timeout=3000)
        assert self.win.screen().name() == "customer"
        ui.activateWindow()
        qtbot.waitUntil(ui.isActiveWindow, timeout=2000)
        for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2):  # quick keys: 2 cola + 1 more
            qtbot.keyClick(ui, key, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: self.win.lines.rowCount() == 2, timeout=3000)
        self.total = ui.cart_model.cart.total
        self.ui, self.till = ui, till
        self.events: queue.Queue[PaymentEvent] = queue.Queue()
        self.seen: list[PaymentEvent] = []
        till.subscribe(self.events.put)
        qtbot.keyClick(ui, Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)   # both QRs
        qtbot.waitUntil(lambda: self.feed() or len(self.view.screen.qrs) == 2, timeout=8000)
        [order] = till.recent_orders(1)
        self.wx_id, self.ali_id = (a.id for a in till.attempts_for_order(order.id))
        self.codes = {ev.channel: ev.code_url for ev in self.seen if ev.code_url}

    def feed(self) -> None:
        while not self.events.empty():
            self.seen.append(self.events.get())

    def ended(self, attempt_id: int) -> bool:
        self.feed()
        return any(ev.attempt_id == attempt_id and ev.state.terminal for ev in self.seen)

    def close(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        """The paid screen closes by itself: the sale is finished."""
        qtbot.waitUntil(lambda: self.ui.dialog is None, timeout=5000)
        self.till.unsubscribe(self.events.put)


def test_both_channels_codes_side_by_side_on_the_second_screen(qtbot, pair_ui):
    ui, till, demo, _gate = pair_ui
    pair = PairOnDisplay(qtbot, ui, till)
    win, view, codes, total = pair.win, pair.view, pair.codes, pair.total
    assert codes["wechat"].startswith("weixin://") and codes["alipay"].startswith(
        "https://qr.alipay.com/")
    assert {ev.attempt_id for ev in pair.seen} == {pair.wx_id, pair.ali_id}
    assert win.qr_pair.isVisible() and not win.qr.isVisible()
    assert not win.lines.isVisible()                     # the codes take the width
    assert win.geometry().getRect() == (1280, 0, 800, 480)   # and fit the screen
    assert win.total_label.text() == f"¥{total // 100}.{total % 100:02d}"
    cards = [c for c in win.qr_cards if c.isVisible()]
    names = ("WeChat Pay", "Alipay") if LANG == "en" else ("微信支付", "支付宝")
    assert [c.title.text() for c in cards] == list(names)    # WeChat Pay's on the left
    assert cards[0].geometry().right() < cards[1].geometry().left()
    assert [decode(c) for c in cards] == [codes["wechat"], codes["alipay"]]  # each under its name
    assert sorted(decode_all(win)) == sorted(codes.values())    # both read off the screen
    assert win.status_label.text() == ("Scan either code to pay" if LANG == "en"
                                       else "请任选一个二维码扫码支付")
    shot(win, "customer_display_two_qr")

    demo.pay_code_url(decode(cards[1]))                  # the customer scans the Alipay code
    qtbot.waitUntil(lambda: pair.feed() or view.screen.phase is Phase.PAID, timeout=8000)
    qtbot.waitUntil(lambda: pair.ended(pair.wx_id), timeout=8000)
    closed = [ev for ev in pair.seen if ev.attempt_id == pair.wx_id and ev.state.terminal]
    assert closed[-1].state is AttemptState.CLOSED       # the WeChat Pay code closed after
    assert view.screen.phase is Phase.PAID and not view.screen.double_paid
    assert win.status_label.text() == ("Paid ✓" if LANG == "en" else "支付成功 ✓")
    assert not win.qr_pair.isVisible() and all(c.qr.data == "" for c in win.qr_cards)
    assert win.lines.isVisible() and win.geometry().getRect() == (1280, 0, 800, 480)
    assert not win.note_label.isVisible()
    pair.close(qtbot)


@pytest.mark.logs_errors   # storage logs the double payment as an ERROR (it is one)
def test_both_codes_paid_is_paid_once_with_the_refund_said(qtbot, pair_ui):
    ui, till, demo, gate = pair_ui
    pair = PairOnDisplay(qtbot, ui, till)
    cards = [c for c in pair.win.qr_cards if c.isVisible()]
    wechat, alipay = (decode(c) for c in cards)
    gate.pause()                                         # between two polls of the till:
    demo.pay_code_url(wechat)                            # the customer pays one code,
    demo.pay_code_url(alipay)                            # then the other too
    gate.release()
    qtbot.waitUntil(lambda: pair.ended(pair.wx_id) and pair.ended(pair.ali_id), timeout=8000)
    assert [ev.attempt_id for ev in pair.seen if ev.double_paid] == [pair.ali_id]
    qtbot.waitUntil(lambda: pair.view.screen.double_paid, timeout=5000)   # (via the bridge)
    s = pair.view.screen
    assert (s.phase, s.paid, s.double_paid, s.owed) == (Phase.PAID, pair.total, True,
                                                        pair.total)
    win = pair.win
    owed = f"¥{pair.total // 100}.{pair.total % 100:02d}"
    assert win.note_label.isVisible() and owed in win.note_label.text()
    note = win.note_label        # every line of it from the first paint (before any relayout)
    assert note.height() >= note.heightForWidth(note.width())
    assert win.status_label.text() == ("Paid ✓" if LANG == "en" else "支付成功 ✓")
    assert win.geometry().getRect() == (1280, 0, 800, 480)
    shot(win, "customer_display_paid_twice")
    pair.close(qtbot)
