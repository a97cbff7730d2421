"""Reconciliation figures the mutation run of manager/reconcile.py found unpinned (issue 17):
a settlement that differs with the same order total, a refund whose amount differs, a
duplicated bill row, the "no trades" headline, every channel reconciled against its own
bill, an unreadable bill refused, a repaired payment with no time anywhere booked now.
Real SQLite store; the bills are the neutral channel's parsed statements."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import ALIPAY, WECHAT, PaidPayment, PaymentMethod
from pos_app.domain.refund import Refund, RefundState
from pos_app.domain.text import msg
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.reconcile import (
    Mismatch,
    MismatchKind,
    ReconcileService,
    mismatches_by_kind,
    reconcile,
)
from pos_app.payments.gateway import (
    BillRow,
    BillSummary,
    BillUnreadable,
    NotFound,
    Paid,
    RefundProgress,
    TradeBill,
    TradeStatus,
)

from .helpers import T0, Clock, order, refused, seeded_store

DAY = date(2026, 11, 22)
NATIVE, CODE = PaymentMethod.NATIVE, PaymentMethod.CODEPAY


def _pay(no: str, amount: int, *, channel: str = WECHAT, merchant_coupon: int = 0,
         payer_total: int | None = None) -> PaidPayment:
    return PaidPayment(attempt_id=1, order_id=1, method=NATIVE, amount=Fen(amount),
                       paid_at=T0, out_trade_no=no, merchant_coupon=Fen(merchant_coupon),
                       payer_total=None if payer_total is None else Fen(payer_total),
                       channel=channel)


def _row(no: str, amount: int, settled: int | None = None) -> BillRow:
    return BillRow("2026-11-22 10:00:00", "42" + no, no, Fen(amount),
                   Fen(amount if settled is None else settled))


def _refund_row(no: str, rno: str, amount: int) -> BillRow:
    return BillRow("2026-11-22 11:00:00", "42" + no, no, Fen(0), Fen(0), is_refund=True,
                   out_refund_no=rno, requested_refund=Fen(amount), refund_amount=Fen(amount),
                   refund_progress=RefundProgress.SUCCESS, refund_status="SUCCESS")


def _refund(no: str, rno: str, amount: int) -> Refund:
    return Refund(refund_id=1, order_id=1, attempt_id=1, method=NATIVE, out_refund_no=rno,
                  out_trade_no=no, amount=Fen(amount), payment_total=Fen(1000), reason="r",
                  requested_by="amy", approved_by="boss", created_at=T0, updated_at=T0,
                  state=RefundState.SUCCESS, channel=WECHAT)


def test_same_total_but_a_different_settlement_is_a_mismatch_not_a_match() -> None:
    """The bill settles 9.00 for a 10.00 order (a 1.00 merchant coupon we did not record)."""
    bill = TradeBill((_row("T1", 1000, 900), _row("T2", 500)))
    # an Alipay payment of the day is not the WeChat bill's business
    rep = reconcile("2026-11-22", bill, [_pay("T1", 1000), _pay("T2", 500),
                                         _pay("A1", 800, channel=ALIPAY)], [])
    [m] = rep.mismatches
    assert (m.kind, m.out_trade_no, m.remote_amount, m.local_amount, m.transaction_id) == (
        MismatchKind.SETTLEMENT_MISMATCH, "T1", 900, 1000, "42T1")
    assert not m.fixable and m.message == msg(ManagerText.RECONCILE_SETTLEMENT_MISMATCH)
    assert rep.matched_payments == 1
    assert (rep.remote_payment_total, rep.local_payment_total) == (1500, 1500)
    assert (rep.remote_settlement_total, rep.local_settlement_total) == (1400, 1500)
    # recorded, the same coupon matches
    ok = reconcile("2026-11-22", bill, [_pay("T1", 1000, merchant_coupon=100, payer_total=850),
                                        _pay("T2", 500)], [])
    assert ok.ok and ok.matched_payments == 2
    assert (ok.local_settlement_total, ok.local_customer_paid_total) == (1400, 1350)


def test_a_refund_of_another_amount_is_a_mismatch() -> None:
    closed_row = replace(_refund_row("T1", "RF3", 100), refund_progress=RefundProgress.CLOSED,
                         refund_status="CLOSED")
    bill = TradeBill((_row("T1", 1000), _refund_row("T1", "RF1", 200),
                      _refund_row("T1", "RF2", 300), closed_row))
    rep = reconcile("2026-11-22", bill, [_pay("T1", 1000)],
                    [_refund("T1", "RF1", 250), _refund("T1", "RF2", 300),
                     replace(_refund("T1", "RF3", 100), state=RefundState.CLOSED)])
    [m] = rep.mismatches
    assert (m.kind, m.out_trade_no, m.out_refund_no, m.remote_amount, m.local_amount) == (
        MismatchKind.REFUND_AMOUNT_MISMATCH, "T1", "RF1", 200, 250)
    assert rep.matched_refunds == 2 and rep.matched_payments == 1
    # the bill lists the closed refund too: both sides count it, so the totals compare
    assert (rep.remote_refund_total, rep.local_refund_total) == (600, 650)


def test_a_payment_row_twice_in_the_bill_is_warned_about_and_counted_once() -> None:
    bill = TradeBill((_row("T1", 1000), _row("T1", 1000)),
                     BillSummary(trade_count=2, settlement_total=Fen(2000), refund_total=Fen(0)))
    rep = reconcile("2026-11-22", bill, [_pay("T1", 1000)], [])
    assert rep.warnings == ("duplicate payment row T1",)
    assert rep.ok and rep.matched_payments == 1 and rep.remote_payment_total == 1000


def test_only_a_day_without_a_statement_says_no_trades() -> None:
    empty = reconcile("2026-11-22", TradeBill(()), [_pay("T1", 1000)], [])
    assert empty.no_trades and empty.headline == msg(ManagerText.RECONCILE_NO_TRADES)
    assert [m.kind for m in empty.mismatches] == [MismatchKind.LOCAL_ONLY_PAYMENT]
    summary_only = TradeBill((), BillSummary(0, Fen(0), Fen(0)))
    assert reconcile("2026-11-22", summary_only, [], []).headline is None
    assert reconcile("2026-11-22", TradeBill((_row("T1", 1000),)), [_pay("T1", 1000)],
                     []).headline is None


def test_mismatches_grouped_by_kind_keep_their_order() -> None:
    bill = TradeBill((_row("T1", 1000), _row("T2", 700), _row("T3", 300)))
    rep = reconcile("2026-11-22", bill, [_pay("T2", 600), _pay("T4", 100)], [])
    groups = mismatches_by_kind(rep)
    assert {k: [m.out_trade_no for m in v] for k, v in groups.items()} == {
        MismatchKind.REMOTE_ONLY_PAYMENT: ["T1", "T3"],
        MismatchKind.AMOUNT_MISMATCH: ["T2"],
        MismatchKind.LOCAL_ONLY_PAYMENT: ["T4"]}
    assert mismatches_by_kind(reconcile("2026-11-22", bill, [], [])).keys() == {
        MismatchKind.REMOTE_ONLY_PAYMENT}


class Channel:
    """A channel's bills and order queries (the neutral protocol)."""

    def __init__(self, rows: tuple[BillRow, ...] = (), paid: dict[str, Paid] | None = None,
                 unreadable: str = "") -> None:
        self.rows, self.paid, self.unreadable = rows, paid or {}, unreadable
        self.asked: list[date] = []

    def trade_bill(self, bill_date: date) -> TradeBill:
        self.asked.append(bill_date)
        if self.unreadable:
            raise BillUnreadable(self.unreadable)
        return TradeBill(self.rows, None, bill_date)

    def query(self, out_trade_no: str) -> TradeStatus:
        return self.paid.get(out_trade_no, NotFound())


def test_every_channel_is_reconciled_against_its_own_bill() -> None:
    store = seeded_store()
    order(store, 1, NATIVE, 1000)        # WeChat T000001-1
    order(store, 2, CODE, 500)           # WeChat T000002-1
    wx = Channel((_row("T000001-1", 1000), _row("T000002-1", 500)))
    ali = Channel((_row("A9", 800),))
    svc = ReconcileService(store, {WECHAT: wx, ALIPAY: ali},
                           clock=Clock(T0 + timedelta(days=1)))
    assert svc.channels == (WECHAT, ALIPAY)
    wx_rep, ali_rep = svc.run_all(DAY)
    assert wx.asked == [DAY] and ali.asked == [DAY]
    assert (wx_rep.channel, wx_rep.ok, wx_rep.matched_payments) == (WECHAT, True, 2)
    assert ali_rep.channel == ALIPAY and ali_rep.local_payment_total == 0
    [m] = ali_rep.mismatches
    assert (m.kind, m.out_trade_no, m.channel) == (MismatchKind.REMOTE_ONLY_PAYMENT, "A9", ALIPAY)
    assert svc.run(DAY).channel == WECHAT                 # the first channel by default
    assert svc.run(DAY, ALIPAY) == ali_rep


def test_an_unreadable_bill_is_refused_saying_why() -> None:
    store = seeded_store()
    svc = ReconcileService(store, Channel(unreadable="column 订单金额 missing"),
                           clock=Clock(T0 + timedelta(days=1)))
    with pytest.raises(ManagerError, match=refused(ManagerText.RECONCILE_MALFORMED_BILL)) as info:
        svc.run(DAY)
    assert info.value.message == msg(ManagerText.RECONCILE_MALFORMED_BILL,
                                     why="column 订单金额 missing")


def test_a_repaired_payment_with_no_time_anywhere_is_booked_now() -> None:
    store = seeded_store()
    now = T0 + timedelta(days=1, hours=3)
    tx = Paid(transaction_id="4200000000000000077", out_trade_no="T000077-1",
              total=Fen(1200))
    svc = ReconcileService(store, Channel(paid={"T000077-1": tx}), clock=Clock(now))
    missing = Mismatch(MismatchKind.REMOTE_ONLY_PAYMENT, "T000077-1", Fen(1200),
                       transaction_id=tx.transaction_id, detail="not a time")
    pay = svc.fix_missing_local(missing, "boss")
    assert pay.amount == 1200 and pay.paid_at == now and pay.out_trade_no == "T000077-1"
    with_time = Mismatch(MismatchKind.REMOTE_ONLY_PAYMENT, "T000078-1", Fen(300),
                         detail="2026-11-22 09:30:00")
    svc2 = ReconcileService(store, Channel(paid={"T000078-1": Paid(   # no number echoed
        transaction_id="4200000000000000078", out_trade_no="", total=Fen(300))}),
        clock=Clock(now))
    fixed = svc2.fix_missing_local(with_time, "boss")
    assert fixed.paid_at == datetime(2026, 11, 22, 1, 30, tzinfo=UTC)
    assert fixed.out_trade_no == "T000078-1" and fixed.amount == 300
