"""The sale window over a till with both channels (WeChat Pay and Alipay simulators),
shared by the Alipay and the both-QRs UI tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from pos_app.backend import StaffAccounts, StaffLogin, seed_demo_users
from pos_app.domain.money import Fen
from pos_app.manager.services import build_manager_services
from pos_app.payment_connection import LazyChannel, SimulatorCustomer, check_alipay_config
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
from tests.alipay_rig import POLICY, alipay_config


@contextmanager
def both_channels_window(
        qtbot: Any, qapp: Any, tmp_path: Path, *, enabled: bool = True,
        fault_hook: Callable[[str], None] | None = None, manager: bool = False,
        wechat: bool = True,
) -> Iterator[tuple[MainWindow, TillService, AlipaySimulatorServer]]:
    """The real sale window over a till with WeChat Pay and (``enabled``) Alipay, both
    simulated, in demo mode (the customer phone pays either). ``manager``: with the
    manager's services (refunds, shifts) and signed in as the demo manager 李经理
    (PIN 1470), a shift open."""
    wx = SimulatorServer(tmp_path / "wx", realism=Realism(close_lag_s=0)).start()
    ali = AlipaySimulatorServer(tmp_path / "ali").start()
    db = Database(tmp_path / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    users = UserRepository(db)
    seed_demo_users(users)
    channels: dict[str, Any] = {}
    if wechat:   # (False: a shop with Alipay alone)
        channels["wechat"] = WechatChannel.from_config(
            load_merchant_config(wx.merchant_config_path))
    if enabled:
        channels["alipay"] = LazyChannel(lambda: AlipayChannel.from_config(alipay_config(ali)))
    till = TillService(db, channels, policy=POLICY, fault_hook=fault_hook)
    till.recover()
    back_office = build_manager_services(db, channels) if manager else None
    if back_office is not None:
        back_office.shifts.open("李经理", Fen(20000))
    services = AppServices(
        till=till, catalog=catalog, login=StaffLogin(users), mode=Mode.DEMO,
        shop_name="测试商店", data_dir=tmp_path, settings_path=tmp_path / "settings.json",
        demo=SimulatorCustomer(wx, lambda: ali), check_alipay_config=check_alipay_config,
        manager=back_office,
        staff=StaffAccounts(users, back_office.staff) if back_office is not None else None)
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    hub.install(qapp)
    settings = AppSettings(printer=PrinterSettings(kind="file",
                                                   target=str(tmp_path / "receipts.bin")))
    session = Session("李经理", "manager") if manager else Session("王芳", "cashier")
    win = MainWindow(services, session, bridge, worker, hub, settings)
    sink = payment_sink(bridge)
    till.subscribe(sink)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.recovery_done([])
    qtbot.waitUntil(lambda: win.quick_grid.count() > 0, timeout=3000)
    try:
        yield win, till, ali
    finally:
        if win.phone is not None:
            win.phone.close()
        for d in (win.dialog, win.receipt_dialog):
            if d is not None:
                d.reject_now() if hasattr(d, "reject_now") else d.reject()
        qapp.removeEventFilter(hub.wedge)
        till.unsubscribe(sink)
        worker.shutdown(wait=True)
        till.shutdown(wait=True)
        if back_office is not None:
            back_office.refunds.shutdown()
        db.close()
        wx.stop()
        ali.stop()


def add_coke(qtbot: Any, win: MainWindow) -> None:
    qtbot.mouseClick(win.quick_grid.itemAt(0).widget(), Qt.MouseButton.LeftButton)
