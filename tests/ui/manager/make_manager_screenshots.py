"""Render the manager screens against the real back end → docs/screenshots/manager_*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/manager/make_manager_screenshots.py \
        [--lang zh_CN|en]

Screens: refund (partial, by items, succeeded), manager override prompt, shift Z report
with a cash difference, reconciliation with a mismatch, staff. Chinese needs
fonts-wqy-microhei.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from pos_app.app import StaffAccounts, StaffLogin, seed_demo_users  # noqa: E402
from pos_app.domain.cart import Cart  # noqa: E402
from pos_app.domain.money import Fen  # noqa: E402
from pos_app.manager.refunds import CHINA_TZ  # noqa: E402
from pos_app.manager.services import build_manager_services  # noqa: E402
from pos_app.payments.channels.wechat import WechatGateway  # noqa: E402
from pos_app.payments.till import TillService  # noqa: E402
from pos_app.simulator.scenarios import random_success_code  # noqa: E402
from pos_app.simulator.server import SimulatorServer  # noqa: E402
from pos_app.storage.catalog import ProductRepository  # noqa: E402
from pos_app.storage.db import Database  # noqa: E402
from pos_app.storage.staff import UserRepository  # noqa: E402
from pos_app.ui.bridge import Bridge, Worker  # noqa: E402
from pos_app.ui.i18n import install_translator  # noqa: E402
from pos_app.ui.manager import ManagerContext  # noqa: E402
from pos_app.ui.manager.reconcile_dialog import ReconcileDialog  # noqa: E402
from pos_app.ui.manager.refund_dialog import RefundDialog  # noqa: E402
from pos_app.ui.manager.shift_dialog import ShiftDialog  # noqa: E402
from pos_app.ui.manager.users_dialog import UsersDialog  # noqa: E402
from pos_app.ui.services import Session  # noqa: E402
from pos_app.ui.style import apply_style  # noqa: E402
from pos_app.wechatpay.config import load_merchant_config  # noqa: E402


def wait_until(pred: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        QApplication.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, out: Path, name: str) -> None:
    wait_until(lambda: True)
    end = time.monotonic() + 0.2
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)
    path = out / f"{name}.png"
    widget.grab().save(str(path), "PNG")
    print(path)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sfx = "" if args.lang == "zh_CN" else "_en"

    app = QApplication([])
    keep = install_translator(app, args.lang)  # noqa: F841
    apply_style(app)
    tmp = Path(tempfile.mkdtemp(prefix="pos_mgr_shots_"))
    server = SimulatorServer(tmp / "sim").start()
    db = Database(tmp / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    users = UserRepository(db)
    seed_demo_users(users)
    gateway = WechatGateway.from_config(load_merchant_config(server.merchant_config_path))
    till = TillService(db, gateway, store_name="演示便利店")
    till.recover()
    services = build_manager_services(db, gateway, refund_follow_schedule=(0.3,) * 30)
    worker = Worker(Bridge())
    login = StaffLogin(users)

    def ctx(session: Session) -> ManagerContext:
        return ManagerContext(services, session, worker, login.user_names,
                              accounts=StaffAccounts(users, services.staff),
                              print_text=lambda _t, done: done(None))

    def sell(items: list[tuple[str, int]], cash: int | None = None) -> int:
        cart = Cart()
        for sku, qty in items:
            p = catalog.by_sku(sku)
            assert p is not None
            cart.add(p, qty)
        oid = till.create_order(cart, cashier="王芳")
        if cash is None:
            till.pay_code(oid, random_success_code())
        else:
            till.pay_cash(oid, Fen(cash))
        assert till.wait_idle(15)
        return oid

    cashier, manager = Session("王芳", "cashier"), Session("李经理", "manager")
    services.shifts.open("王芳", Fen(20000))
    order = sell([("COKE330", 2), ("CHIPS", 1), ("NOODLE", 1)])
    sell([("BEER500", 2), ("BREAD", 1)], cash=5000)
    sell([("TISSUE", 1)])

    # refund: a cashier asks, the manager approves on the spot
    rd = RefundDialog(ctx(cashier))
    rd.show()
    rd.offer_code(f"{order:08d}")
    wait_until(lambda: rd.summary is not None)
    rd.set_line_quantity(0, 1)
    rd.reason_box.setEditText("商品破损" if args.lang == "zh_CN" else "Damaged goods")
    rd.submit()
    ov = rd.override
    assert ov is not None
    wait_until(ov.approve_button.isEnabled)
    ov.user_box.setCurrentIndex(ov.user_box.findData("李经理"))
    ov.pin_edit.setText("1470")
    save(ov, out, "manager_override" + sfx)
    ov.submit()
    wait_until(lambda: any(r.state.final for r in rd.refunds.values()))
    wait_until(lambda: rd.refundable_label.text() != "¥23.10")
    save(rd, out, "manager_refund" + sfx)
    rd.close()

    # shift: X then Z with ¥2.00 short
    sd = ShiftDialog(ctx(manager))
    sd.show()
    wait_until(lambda: sd.shift is not None)
    sd.counted_edit.setText("215.50")
    sd.close_shift()
    ov = sd.override
    assert ov is not None
    ov.pin_edit.setText("1470")
    ov.submit()
    wait_until(lambda: sd.report is not None and sd.report.counted_cash is not None)
    save(sd, out, "manager_shift_z" + sfx)
    sd.close()

    # reconciliation: a payment WeChat Pay has but the till lost
    stray = "P" + datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    gateway.native_prepay(out_trade_no=stray, description="stray", total=Fen(1880),
                          time_expire=datetime.now(UTC) + timedelta(minutes=5))
    server.pay(out_trade_no=stray)
    cd = ReconcileDialog(ctx(manager))
    cd.show()
    cd.set_day(datetime.now(CHINA_TZ).date())
    cd.run()
    wait_until(lambda: cd.report is not None)
    save(cd, out, "manager_reconcile" + sfx)
    cd.close()

    ud = UsersDialog(ctx(manager))
    ud.show()
    wait_until(lambda: ud.table.rowCount() > 0)
    save(ud, out, "manager_users" + sfx)
    ud.close()

    worker.shutdown(wait=True)
    till.shutdown(wait=True)
    server.stop()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
