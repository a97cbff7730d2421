"""Screenshots of the products and sales-report screens (issue 16) under a real X server
(Xvfb + openbox), full screen, per size and language → docs/screenshots/products/.

    .venv/bin/python tests/ui/manager/make_products_screenshots.py \
        [--out docs/screenshots/products] [--sizes 1024x768,1280x800] [--langs zh_CN,en]

Screens: the sale with a weighed line and an open-price line, the open-price dialog
(Ctrl+K), an unknown barcode's "add this product" dialog, the products screen (an edit
refused with its messages; a weighed item's price per kg; a product deactivated with
Ctrl+D and the inactive ones shown greyed with Ctrl+H), the sale refusing the inactive
product, the sales reports (by day, by hour, top products, categories, payment methods,
cashiers; one till picked with Ctrl+T). Two weeks of sales at two tills are seeded at
past times. Runs under tests/ui/demo_stack.py's shots_main (Xvfb + openbox). Needs
xvfb, openbox, fonts-wqy-microhei.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tests.ui.demo_stack import shots_main  # noqa: E402


def seed_sales(db: object, now: datetime) -> None:
    """Two weeks of sales at past times (busier at noon and after work, weekends more)."""
    from pos_app.domain.cart import Cart
    from pos_app.domain.order import OrderStatus
    from pos_app.domain.payment import AttemptState, PaymentMethod
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.orders import OrderRepository
    from pos_app.storage.payments import PaymentAttemptRepository
    from tests.helpers.clock import ManualClock

    catalog = ProductRepository(db)  # type: ignore[arg-type]
    products = catalog.all()
    methods = (PaymentMethod.CODEPAY, PaymentMethod.NATIVE, PaymentMethod.CASH,
               PaymentMethod.CODEPAY)
    cashiers = ("王芳", "王芳", "李经理")
    n = 0
    for day in range(13, -1, -1):
        base = (now - timedelta(days=day)).replace(hour=0, minute=0, second=0, microsecond=0)
        weekday = (now - timedelta(days=day)).weekday()
        for hour_bj, count in ((8, 3), (10, 2), (12, 6), (13, 4), (15, 2), (17, 5), (18, 7),
                               (19, 6), (21, 3)):
            count += (day * 7 + hour_bj) % 3 + (2 if weekday >= 5 else 0)
            for k in range(count):
                n += 1
                at = base + timedelta(hours=hour_bj - 8, minutes=(k * 7 + day) % 60)
                if at >= now:
                    continue
                clock = ManualClock(at)
                till_id = "02" if n % 4 == 3 else "01"     # a second till, a quarter
                orders = OrderRepository(db, clock, till_id=till_id)  # type: ignore[arg-type]
                attempts = PaymentAttemptRepository(  # type: ignore[arg-type]
                    db, clock, till_id=till_id)
                cart = Cart()
                for j in range(1 + n % 3):
                    cart.add(products[(n * 5 + j * 3 + day) % len(products)], 1 + (n + j) % 2)
                oid = orders.create(cart, cashier=cashiers[n % 3])
                with db.transaction() as conn:  # type: ignore[attr-defined]
                    method = methods[n % 4]
                    aid = attempts.insert(
                        conn, order_id=oid, method=method, amount=cart.total,
                        state=AttemptState.PAID, out_trade_no=f"S{oid:08d}-1",
                        transaction_id="" if method is PaymentMethod.CASH else f"42{oid:010d}")
                    orders.set_status(conn, oid, OrderStatus.PAID, paid_attempt_id=aid)


def child(size: str, lang: str, out: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from pos_app.backend import StaffAccounts, StaffLogin, seed_demo_users
    from pos_app.domain.catalog import Product
    from pos_app.domain.money import Fen
    from pos_app.domain.scale_barcode import ean13_check_digit
    from pos_app.manager.services import build_manager_services
    from pos_app.payment_connection import check_merchant_config
    from pos_app.payments.channels.wechat import WechatGateway
    from pos_app.payments.till import TillService
    from pos_app.simulator.server import SimulatorServer
    from pos_app.storage.catalog import ProductRepository, ean13
    from pos_app.storage.db import Database
    from pos_app.storage.staff import UserRepository
    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.manager.products_dialog import NewProductDialog, ProductsDialog
    from pos_app.ui.manager.sales_reports_dialog import SalesReportsDialog
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.services import AppServices, Mode, Session
    from pos_app.ui.settings_model import AppSettings, TillSettings
    from pos_app.ui.style import apply_style
    from pos_app.wechatpay.config import load_merchant_config

    app = QApplication([])
    keep = install_translator(app, lang)  # noqa: F841
    apply_style(app)
    tag = f"{size}_{lang}"

    def pump(seconds: float = 0.15) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.01)

    def wait(pred: Callable[[], bool], timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > deadline:
                raise TimeoutError("the screen did not reach the expected state")
            pump(0.02)

    def activate(w: QWidget) -> None:
        deadline = time.monotonic() + 10
        while not w.isActiveWindow() and time.monotonic() < deadline:
            w.activateWindow()
            w.raise_()
            pump(0.1)

    def type_text(w: QWidget, text: str) -> None:
        for ch in text:
            if ch.isascii():
                QTest.keyClick(w, ch, Qt.KeyboardModifier.NoModifier, 30)
            else:
                from PySide6.QtGui import QInputMethodEvent
                ev = QInputMethodEvent()
                ev.setCommitString(ch)
                QApplication.sendEvent(w, ev)
        pump(0.05)

    def shot(name: str) -> None:
        pump(0.5)
        path = out / f"{tag}_{name}.png"
        QApplication.primaryScreen().grabWindow(0).save(str(path), "PNG")
        print(path, flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="pos_products_"))
    server = SimulatorServer(tmp / "sim").start()
    db = Database(tmp / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    cats = {"COKE330": "饮料", "SPRITE500": "饮料", "WATER550": "饮料", "TEA500": "饮料",
            "BEER500": "酒水", "NOODLE": "方便食品", "SAUSAGE": "方便食品", "MILK250": "乳品",
            "BREAD": "面包糕点", "CHIPS": "零食", "GUM": "零食", "TISSUE": "日用品"}
    for p in catalog.all():
        catalog.upsert(Product(p.sku, p.name, p.price, p.barcode, p.quick_key, cats[p.sku]))
    catalog.upsert(Product("APPLE", "红富士苹果", Fen(1298), "", None, "水果", "12"))
    catalog.upsert(Product("BANANA", "香蕉", Fen(598), "", None, "水果", "13"))
    now = datetime.now(UTC)
    seed_sales(db, now)
    catalog.set_active("GUM", False)         # sold before, deactivated since (greyed)
    users = UserRepository(db)
    seed_demo_users(users)
    gateway = WechatGateway.from_config(load_merchant_config(server.merchant_config_path))
    till = TillService(db, gateway, store_name="演示便利店")
    till.recover()
    manager = build_manager_services(db, gateway)
    manager.shifts.open("王芳", Fen(20000))
    # two cash refunds today (one order in full, one by amount): net < sales (the seeded
    # WeChat payments never went through the simulator, which would refuse their refunds)
    from pos_app.domain.payment import PaymentMethod
    from pos_app.manager.refunds import RefundRequest

    cash = [p for p in manager.store.paid_payments_between(now - timedelta(hours=12), now)
            if p.method is PaymentMethod.CASH][-2:]
    for paid, amount in zip(cash, (None, Fen(150)), strict=False):
        manager.refunds.request_refund(RefundRequest(
            paid.order_id, "王芳", "李经理", "1470", "退货", amount=amount, full=amount is None))
    services = AppServices(till=till, catalog=catalog, login=StaffLogin(users), mode=Mode.LIVE,
                           shop_name="演示便利店", data_dir=tmp,
                           check_merchant_config=check_merchant_config, manager=manager,
                           staff=StaffAccounts(users, manager.staff))
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    settings = AppSettings(till=TillSettings(scale_layout="ff5-weight5-g"))
    win = MainWindow(services, Session("李经理", "manager"), bridge, worker, hub, settings)
    win.present()
    win.recovery_done([])
    wait(lambda: win.quick_grid.count() > 0)
    wait(lambda: win.sale.shift_open)
    activate(win)
    win.focus_entry()
    # a weighed apple label, a cola, then Ctrl+K for 散装蔬菜
    first12 = "22" + "00012" + "00532"
    type_text(win.barcode_edit, first12 + str(ean13_check_digit(first12)))
    QTest.keyClick(win.barcode_edit, Qt.Key.Key_Return)
    wait(lambda: len(win.cart_model.cart.lines) == 1)
    QTest.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    wait(lambda: len(win.cart_model.cart.lines) == 2)
    QTest.keyClick(win, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    wait(lambda: win.open_price is not None and win.open_price.isVisible())
    dlg = win.open_price
    assert dlg is not None
    activate(dlg)
    dlg.category_box.setEditText("蔬菜")
    type_text(dlg.amount_edit, "6.80")
    shot("01_open_price")
    QTest.keyClick(dlg.amount_edit, Qt.Key.Key_Return)
    wait(lambda: len(win.cart_model.cart.lines) == 3)
    activate(win)
    # an unknown barcode
    code = ean13("690999000001")
    win.focus_entry()
    type_text(win.barcode_edit, code)
    QTest.keyClick(win.barcode_edit, Qt.Key.Key_Return)
    wait(lambda: win.unknown_barcode == code)
    shot("02_sale_unknown_barcode")
    menu = win.manager_menu
    assert menu is not None
    new = NewProductDialog(menu.ctx, code, win)
    menu.open_dialog(new)
    activate(new)
    type_text(new.form.name_edit, "散装花生")
    type_text(new.form.price_edit, "8.888")
    QTest.keyClick(new.form.price_edit, Qt.Key.Key_Return)
    wait(lambda: "8.888" in new.message.text())
    shot("03_add_product_refused")
    new.reject()
    # the products screen: an edit refused (bad barcode, quick key in use)
    products = ProductsDialog(menu.ctx, win)
    menu.open_dialog(products)
    activate(products)
    wait(lambda: len(products.products) == 13)
    products.table.selectRow(0)
    products.form.barcode_edit.setText("6901234567015")
    products.form.quick_key_edit.setText("2")
    products.form.name_edit.setFocus()
    QTest.keyClick(products.form.name_edit, Qt.Key.Key_Return)
    wait(lambda: products.message.property("kind") == "error")
    shot("04_products_refused")
    products.search_edit.setFocus()
    type_text(products.search_edit, "kkkl")
    wait(lambda: len(products.products) == 1)
    QTest.keyClick(products.search_edit, Qt.Key.Key_Return)
    shot("05_products_search")
    # Ctrl+D deactivates 可口可乐: gone from the list; Ctrl+H shows it greyed
    QTest.keyClick(products, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    wait(lambda: products.products == [])
    products.search_edit.setFocus()
    QTest.keyClick(products.search_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(products.search_edit, Qt.Key.Key_Backspace)
    QTest.keyClick(products, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    wait(lambda: len(products.products) == 14)
    shot("13_products_inactive")
    # a weighed item: its price is per kg
    type_text(products.search_edit, "hfspg")
    wait(lambda: [p.sku for p in products.products] == ["APPLE"])
    QTest.keyClick(products.search_edit, Qt.Key.Key_Return)
    wait(lambda: products.form.per_kg_label.isVisible())
    shot("14_products_per_kg")
    products.reject()
    activate(win)
    win.focus_entry()
    type_text(win.barcode_edit, ean13("690123456701"))            # 可口可乐: inactive now
    QTest.keyClick(win.barcode_edit, Qt.Key.Key_Return)
    wait(lambda: win.entry.banner_text != "")
    shot("15_sale_product_inactive")
    # sales reports
    reports = SalesReportsDialog(menu.ctx, win)
    menu.open_dialog(reports)
    activate(reports)
    QTest.keyClick(reports, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)   # 7 days
    wait(lambda: reports.report is not None and reports.report.days == 7)
    shot("06_sales_by_day")
    for i, name in ((1, "07_sales_by_hour"), (2, "08_sales_top_products"),
                    (3, "09_sales_categories"), (4, "10_sales_methods"),
                    (5, "11_sales_cashiers")):
        reports.tabs.setCurrentIndex(i)
        shot(name)
    QTest.keyClick(reports, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)   # 30 days
    wait(lambda: reports.report is not None and reports.report.days == 30)
    reports.tabs.setCurrentIndex(0)
    shot("12_sales_30_days")
    QTest.keyClick(reports, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)   # a till
    wait(lambda: reports.till_box.count() == 3)
    QTest.keyClick(reports.till_box, Qt.Key.Key_End)
    wait(lambda: reports.report is not None and reports.report.till_id == "02")
    reports.tabs.setCurrentIndex(2)
    shot("16_sales_till_02")
    reports.reject()
    return 0


def main() -> int:
    return shots_main(__file__, ROOT / "docs" / "screenshots" / "products", child)


if __name__ == "__main__":
    sys.exit(main())
