"""The books with two channels: WeChat Pay and Alipay sales at one till, refunds going
back through the channel of the original payment, X/Z reports by channel, and
reconciliation of each channel against its own bill (both simulators, real SQLite)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.clock import SHOP_TZ as CHINA_TZ
from pos_app.domain.clock import SystemClock
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.pin_hash import hash_pin
from pos_app.domain.refund import RefundState
from pos_app.domain.staff import Role
from pos_app.manager.messages import ManagerError
from pos_app.manager.reconcile import MismatchKind
from pos_app.manager.refunds import RefundRequest
from pos_app.manager.reports import render_text, report_csv
from pos_app.manager.services import ManagerServices, build_manager_services
from pos_app.payments.channels.alipay import AlipayChannel
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.gateway import PaymentChannel
from pos_app.payments.till import TillService
from pos_app.simulator.alipay.scenarios import random_success_code as alipay_code
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from pos_app.simulator.realism import Realism
from pos_app.simulator.scenarios import random_success_code as wechat_code
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.db import Database
from pos_app.storage.staff import UserRepository
from pos_app.ui import plain_text
from pos_app.wechatpay.config import load_merchant_config
from tests.alipay_rig import POLICY, alipay_config

PIN = "2580"


class NextDay(SystemClock):
    """The manager a day later: today's bills are settled."""

    def now(self) -> datetime:
        return super().now() + timedelta(days=1)


@dataclass
class World:
    wx: SimulatorServer
    ali: AlipaySimulatorServer
    alipay: AlipayChannel
    till: TillService
    mgr: ManagerServices
    ali_offset: list[float]
    db: Database
    channels: dict[str, PaymentChannel]

    def sell(self, price: int, how: str) -> int:
        cart = Cart()
        cart.add(Product("COKE", "可口可乐", Fen(price), "6901234567011"), 1)
        order_id = self.till.create_order(cart, cashier="amy")
        if how == "cash":
            self.till.pay_cash(order_id, Fen(price))
        elif how == "wechat":
            self.till.pay_code(order_id, wechat_code())
        elif how == "alipay":
            self.till.pay_code(order_id, alipay_code())
        else:  # alipay QR, the customer pays it
            aid = self.till.pay_native(order_id, "alipay")
            for _ in range(100):
                a = self.till.attempt(aid)
                if a is not None and a.code_url:
                    break
                time.sleep(0.05)
            assert a is not None
            self.ali.customer_pay(qr_code=a.code_url)
        assert self.till.wait_idle(15)
        [attempt] = self.till.attempts_for_order(order_id)
        assert attempt.state is AttemptState.PAID
        return order_id


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    wx = SimulatorServer(tmp_path / "wx", realism=Realism(bill_ready_hour=None)).start()
    offset = [0.0]
    ali = AlipaySimulatorServer(tmp_path / "ali", clock=lambda: time.time() + offset[0],
                                refund_query_lag_s=0, bill_ready_hour=None).start()
    wechat = WechatChannel.from_config(load_merchant_config(wx.merchant_config_path))
    alipay = AlipayChannel.from_config(alipay_config(ali))
    channels: dict[str, PaymentChannel] = {"wechat": wechat, "alipay": alipay}
    db = Database(tmp_path / "pos.sqlite3")
    users = UserRepository(db)
    users.add_user("boss", Role.MANAGER, hash_pin(PIN))
    users.add_user("amy", Role.CASHIER, hash_pin("1397"))
    till = TillService(db, channels, policy=POLICY)
    till.recover()
    try:
        yield World(wx, ali, alipay, till, build_manager_services(db, channels), offset,
                    db, channels)
    finally:
        till.shutdown()
        db.close()
        wx.stop()
        ali.stop()


def test_refunds_reports_and_reconciliation_by_channel(world: World) -> None:
    mgr = world.mgr
    mgr.shifts.open("amy", Fen(10000))
    wx_order = world.sell(1250, "wechat")
    ali_order = world.sell(2000, "alipay")
    world.sell(880, "alipay_qr")
    world.sell(300, "cash")

    # -- an Alipay refund goes back through Alipay, with our out_refund_no as out_request_no
    [rec] = mgr.refunds.request_refund(RefundRequest(
        ali_order, "amy", "boss", PIN, "商品破损", amount=Fen(500)))
    assert rec.channel == "alipay" and rec.state is RefundState.SUCCESS
    [attempt] = world.till.attempts_for_order(ali_order)
    doc = world.ali.engine.get(attempt.out_trade_no)
    assert doc is not None and [(r.out_request_no, r.amount_fen) for r in doc.refunds] == [
        (rec.out_refund_no, 500)]
    assert world.wx.engine.refunds() == []
    assert mgr.refunds.retry(rec.refund_id).state is RefundState.SUCCESS
    [wx_rec] = mgr.refunds.request_refund(RefundRequest(
        wx_order, "amy", "boss", PIN, "退货", amount=Fen(250)))
    assert wx_rec.channel == "wechat"
    assert [r.out_refund_no for r in world.wx.engine.refunds()] == [wx_rec.out_refund_no]

    # -- X report: the channel is a dimension next to the method
    x = mgr.shifts.x_report("amy")
    assert {k: (v.count, v.amount) for k, v in x.sales_by_channel.items()} == {
        "alipay": (2, 2880), "cash": (1, 300), "wechat": (1, 1250)}
    assert {k: (v.count, v.amount) for k, v in x.refunds_by_channel.items()} == {
        "alipay": (1, 500), "wechat": (1, 250)}
    assert x.sales[PaymentMethod.CODEPAY].amount == 3250
    zh = render_text(x, render=lambda m: plain_text.render(m, "zh_CN"))
    assert "按支付渠道" in zh and "支付宝 x2" in zh and "微信支付 x1" in zh
    assert "sales_by_channel,alipay,2,2880" in report_csv(x)

    # -- a payment Alipay has and the till never recorded
    stray = "PSTRAY" + datetime.now(UTC).strftime("%H%M%S%f")
    qr = world.alipay.client.precreate(out_trade_no=stray, total_fen=777, subject="stray",
                                       qr_timeout_minutes=5)
    world.ali.customer_pay(qr_code=qr.qr_code)

    day = datetime.now(CHINA_TZ).date()
    world.ali_offset[0] += 86400          # Alipay bills are ready the next day
    assert mgr.reconcile is not None
    with pytest.raises(ManagerError):     # today is not settled: refused before asking
        mgr.reconcile.run(day, "alipay")
    mgr = build_manager_services(world.db, world.channels, clock=NextDay())
    assert mgr.reconcile is not None
    assert mgr.reconcile.channels == ("wechat", "alipay")
    wx_report, ali_report = mgr.reconcile.run_all(day)
    assert wx_report.channel == "wechat" and wx_report.ok, wx_report.mismatches
    assert wx_report.matched_payments == 1 and wx_report.matched_refunds == 1
    assert ali_report.channel == "alipay"
    assert [(m.kind, m.out_trade_no, m.remote_amount, m.channel)
            for m in ali_report.mismatches] == [
        (MismatchKind.REMOTE_ONLY_PAYMENT, stray, 777, "alipay")]
    assert ali_report.matched_payments == 2 and ali_report.matched_refunds == 1
    pay = mgr.reconcile.fix_missing_local(ali_report.mismatches[0], "boss")
    assert pay.amount == 777 and pay.channel == "alipay"
    assert mgr.reconcile.run(day, "alipay").ok
    assert mgr.reconcile.run(day, "wechat").ok


def test_reconcile_dialog_reconciles_the_alipay_bill(qtbot: Any, world: World) -> None:
    """The manager picks Alipay in the reconcile dialog (keys), downloads its bill, sees
    the payment Alipay has and the till lost, and records it with one click."""
    from PySide6.QtCore import Qt

    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.manager import ManagerContext
    from pos_app.ui.manager.reconcile_dialog import ReconcileDialog
    from pos_app.ui.services import Session

    world.mgr.shifts.open("amy", Fen(0))
    world.sell(2000, "alipay")
    world.sell(1250, "wechat")
    stray = "PSTRAY" + datetime.now(UTC).strftime("%H%M%S%f")
    qr = world.alipay.client.precreate(out_trade_no=stray, total_fen=666, subject="stray",
                                       qr_timeout_minutes=5)
    world.ali.customer_pay(qr_code=qr.qr_code)
    world.ali_offset[0] += 86400
    mgr = build_manager_services(world.db, world.channels, clock=NextDay())
    worker = Worker(Bridge())
    ctx = ManagerContext(services=mgr, session=Session("boss", "manager"), worker=worker,
                         staff=lambda: [])
    dlg = ReconcileDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    try:
        assert dlg.channel_box.isVisible() and dlg.channel_box.count() == 2
        dlg.channel_box.setFocus()
        qtbot.keyClick(dlg.channel_box, Qt.Key.Key_Down)      # WeChat Pay → Alipay
        assert dlg.channel() == "alipay"
        qtbot.keyClick(dlg.channel_box, Qt.Key.Key_Return)    # Enter: download and compare
        qtbot.waitUntil(lambda: dlg.report is not None, timeout=10000)
        assert dlg.report is not None and dlg.report.channel == "alipay"
        assert dlg.summary.text().startswith("1 mismatch(es) to check. Alipay ")
        assert dlg.table.item(0, 0).text() == "Paid in the bill, missing locally"
        assert dlg.table.item(0, 1).text() == stray and dlg.table.item(0, 2).text() == "¥6.66"
        dlg.fix_buttons[0].click()
        qtbot.waitUntil(lambda: dlg.report is not None and dlg.report.ok, timeout=10000)
        assert dlg.report.channel == "alipay"        # the re-run stays on Alipay
        order = mgr.refunds.find_order(stray)
        assert order is not None and order.total == 666
        [attempt] = world.till.attempts_for_order(order.order_id)
        assert attempt.channel == "alipay"
        qtbot.keyClick(dlg.channel_box, Qt.Key.Key_Up)        # back to WeChat Pay
        qtbot.keyClick(dlg.channel_box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dlg.report is not None and dlg.report.channel == "wechat",
                        timeout=10000)
        assert dlg.report.ok and dlg.report.matched_payments == 1
    finally:
        dlg.close()
        worker.shutdown(wait=True)


def test_refund_dialog_gives_an_alipay_payment_back_through_alipay(qtbot: Any,
                                                                   world: World) -> None:
    """The refund screen shows how the order was paid (Alipay code) and the refund, typed
    and approved with keys, goes back through Alipay — never WeChat Pay."""
    from PySide6.QtCore import Qt

    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.manager import ManagerContext
    from pos_app.ui.manager.refund_dialog import RefundDialog
    from pos_app.ui.services import Session

    world.mgr.shifts.open("amy", Fen(0))
    order_id = world.sell(2000, "alipay")
    worker = Worker(Bridge())
    ctx = ManagerContext(services=world.mgr, session=Session("amy", "cashier"), worker=worker,
                         staff=lambda: [("boss", "manager"), ("amy", "cashier")])
    dlg = RefundDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    try:
        dlg.key_edit.setFocus()
        qtbot.keyClicks(dlg.key_edit, f"{order_id:08d}")
        qtbot.keyClick(dlg.key_edit, Qt.Key.Key_Return)           # find the order
        qtbot.waitUntil(lambda: dlg.summary is not None, timeout=5000)
        assert dlg.paid_label.text() == "¥20.00 · Alipay code"
        qtbot.keyClick(dlg.reason_box, Qt.Key.Key_Down)           # ↓ picks a reason
        assert dlg.reason_box.currentText()
        qtbot.keyClick(dlg.reason_box.lineEdit(), Qt.Key.Key_Return)  # full refund: PIN
        qtbot.waitUntil(lambda: dlg.override is not None
                        and dlg.override.approve_button.isEnabled(), timeout=5000)
        override = dlg.override
        assert override is not None
        override.user_box.setCurrentIndex(override.user_box.findData("boss"))
        override.pin_edit.setFocus()
        qtbot.keyClicks(override.pin_edit, PIN)
        qtbot.keyClick(override.pin_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: [r.state for r in world.mgr.store.refunds_for_order(order_id)]
                        == [RefundState.SUCCESS], timeout=10000)
        [rec] = world.mgr.store.refunds_for_order(order_id)
        assert rec.channel == "alipay" and rec.amount == 2000
        qtbot.waitUntil(lambda: dlg.history.rowCount() == 1, timeout=5000)
        assert dlg.history.item(0, 1).text() == "Alipay code"
        [attempt] = world.till.attempts_for_order(order_id)
        doc = world.ali.engine.get(attempt.out_trade_no)
        assert doc is not None and [(r.out_request_no, r.amount_fen) for r in doc.refunds] == [
            (rec.out_refund_no, 2000)]
        assert world.wx.engine.refunds() == []
    finally:
        dlg.close()
        worker.shutdown(wait=True)


def test_alipay_bill_of_an_unsettled_day_is_not_ready_never_no_trades(world: World) -> None:
    """Alipay answers isp.bill_not_exist for today: 'not ready, try later' — never an empty
    bill (which would read as 'no trades' and flag every local payment)."""
    from pos_app.payments.gateway import BillNotReady, BillType

    world.mgr.shifts.open("amy", Fen(0))
    world.sell(2000, "alipay")
    day = datetime.now(CHINA_TZ).date()
    with pytest.raises(BillNotReady):
        world.alipay.trade_bill(day)
    order_id = world.sell(1500, "alipay")
    world.mgr.refunds.request_refund(RefundRequest(order_id, "amy", "boss", PIN, "退货",
                                                   amount=Fen(300)))
    world.ali_offset[0] += 86400
    every = world.alipay.trade_bill(day)
    assert len(every.payments) == 2 and len(every.refunds) == 1
    paid = world.alipay.trade_bill(day, BillType.SUCCESS)
    assert paid.rows == every.payments
    refunds = world.alipay.trade_bill(day, BillType.REFUND)
    assert refunds.rows == every.refunds


def test_a_lost_alipay_refund_reply_is_resolved_at_alipay_even_with_wechat_down(
        world: World) -> None:
    """The refund reply is lost after Alipay committed it: the refund stays PENDING (never
    'failed'); its retry asks Alipay — the refund's own channel — not WeChat Pay, which is
    down meanwhile — and finds it done."""
    world.mgr.shifts.open("amy", Fen(0))
    order_id = world.sell(2000, "alipay")
    world.ali.inject("drop_after_commit", method="alipay.trade.refund")
    [rec] = world.mgr.refunds.request_refund(RefundRequest(
        order_id, "amy", "boss", PIN, "退货", amount=Fen(700)))
    assert rec.channel == "alipay" and rec.state is RefundState.PENDING
    world.wx.stop()                              # WeChat Pay unreachable from now on
    done = world.mgr.refunds.retry(rec.refund_id)
    assert done.state is RefundState.SUCCESS
    [attempt] = world.till.attempts_for_order(order_id)
    doc = world.ali.engine.get(attempt.out_trade_no)
    assert doc is not None and [(r.out_request_no, r.amount_fen) for r in doc.refunds] == [
        (rec.out_refund_no, 700)]


def test_alipay_refund_window_is_three_months_wechat_a_year(world: World) -> None:
    """Alipay 当面付 refunds only for three calendar months: older, the till refuses before
    sending (clear message, nothing sent), and the simulator refuses too, as Alipay does
    (TRADE_FINISHED); a WeChat payment of the same age is still refundable."""
    from pos_app.manager.refunds import RefundError, refund_deadline
    from pos_app.payments.gateway import RefundRefused

    paid = datetime(2026, 11, 30, 10, 0, tzinfo=CHINA_TZ)
    assert refund_deadline("alipay", paid) == datetime(2027, 2, 28, 10, 0, tzinfo=CHINA_TZ)
    assert refund_deadline("alipay", datetime(2026, 12, 2, 9, tzinfo=CHINA_TZ)) == datetime(
        2027, 3, 2, 9, tzinfo=CHINA_TZ)
    assert refund_deadline("alipay", datetime(2027, 11, 30, 8, tzinfo=CHINA_TZ)) == datetime(
        2028, 2, 29, 8, tzinfo=CHINA_TZ)                          # a leap year's February
    assert refund_deadline("wechat", paid) == paid + timedelta(days=365)

    world.mgr.shifts.open("amy", Fen(0))
    ali_order = world.sell(2000, "alipay")
    wx_order = world.sell(1250, "wechat")

    class Later(SystemClock):
        def now(self) -> datetime:
            return super().now() + timedelta(days=93)

    later = build_manager_services(world.db, world.channels, clock=Later())
    with pytest.raises(RefundError) as refused:
        later.refunds.request_refund(RefundRequest(ali_order, "amy", "boss", PIN, "退货",
                                                   amount=Fen(500)))
    assert plain_text.render(refused.value.message, "en").startswith(
        "Paid more than 3 months ago: Alipay no longer refunds it")
    [attempt] = world.till.attempts_for_order(ali_order)
    doc = world.ali.engine.get(attempt.out_trade_no)
    assert doc is not None and doc.refunds == []
    [wx_rec] = later.refunds.request_refund(RefundRequest(wx_order, "amy", "boss", PIN, "退货",
                                                          amount=Fen(250)))
    assert wx_rec.channel == "wechat"

    # the simulator is as strict: 93 days later Alipay refuses the refund itself
    world.ali_offset[0] += 93 * 86400
    answer = world.alipay.refund(out_refund_no="R" + attempt.out_trade_no[-20:],
                                 out_trade_no=attempt.out_trade_no, refund=Fen(500),
                                 total=Fen(2000), reason="退货")
    assert isinstance(answer, RefundRefused)
    assert doc is not None and world.ali.engine.get(attempt.out_trade_no).refunds == []


def test_alipay_simulator_has_yesterdays_bill_only_from_ten(tmp_path: Path) -> None:
    """Realistic by default: yesterday's bill does not exist before 10:00 Beijing time
    (BillNotReady — try later, never 'no trades'); from 10:00 it does."""
    from pos_app.payments.gateway import BillNotReady

    now = [datetime(2026, 12, 3, 9, 30, tzinfo=CHINA_TZ).timestamp()]
    ali = AlipaySimulatorServer(tmp_path / "ali", clock=lambda: now[0]).start()
    channel = AlipayChannel.from_config(alipay_config(ali))
    try:
        yesterday = datetime(2026, 12, 2, tzinfo=CHINA_TZ).date()
        with pytest.raises(BillNotReady):
            channel.trade_bill(yesterday)
        now[0] += 45 * 60                                         # 10:15
        bill = channel.trade_bill(yesterday)
        assert bill.rows == () and bill.summary is None           # a settled day, no trades
    finally:
        channel.client.close_client()
        ali.stop()


def test_reprint_of_an_alipay_order_names_alipay(world: World) -> None:
    """补打 from the stored order: the copy says 支付宝付款码, never WeChat."""
    from pos_app.devices.receipt import receipt_from_order, receipt_text_lines

    world.mgr.shifts.open("amy", Fen(0))
    order_id = world.sell(2000, "alipay")
    order = world.mgr.refunds.find_order(f"{order_id:08d}")
    assert order is not None
    text = "\n".join(receipt_text_lines(receipt_from_order(order, shop_name="店")))
    assert "支付宝付款码" in text and "微信" not in text
