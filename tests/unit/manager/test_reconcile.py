from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from pos_app.domain.clock import day_window
from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.refund import Refund as RefundRecord
from pos_app.domain.refund import RefundState
from pos_app.manager.export import reconcile_csv
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.reconcile import (
    MismatchKind,
    ReconcileService,
    reconcile,
)
from pos_app.manager.refunds import RefundRequest, RefundService
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.channels.wechat_bill import BillFormatError, parse_trade_bill
from pos_app.simulator.engine import Engine
from pos_app.simulator.realism import Realism
from pos_app.simulator.scenarios import random_success_code
from pos_app.ui.plain_text import render
from pos_app.wechatpay.errors import BillNotAvailableError, NoStatementError
from pos_app.wechatpay.models import TradeBill, TradeState, Transaction

from .helpers import (
    MANAGER_PIN,
    T0,
    Clock,
    FakeRefundGateway,
    order,
    pending,
    refused,
    seeded_store,
)

BILL = (Path(__file__).parent / "data" / "tradebill_all_20261122.csv").read_text("utf-8")
DAY = date(2026, 11, 22)
NATIVE, CODE, CASH = PaymentMethod.NATIVE, PaymentMethod.CODEPAY, PaymentMethod.CASH


class BillGw(FakeRefundGateway):
    def __init__(self, text: str, txs: dict[str, Transaction]) -> None:
        super().__init__()
        self.text, self.txs = text, txs

    def trade_bill(self, bill_date: date, bill_type: str = "ALL") -> TradeBill:
        return TradeBill(bill_date.isoformat(), self.text, "SHA1", "", bill_type)

    def query(self, out_trade_no: str) -> Transaction | None:
        return self.txs.get(out_trade_no)


def test_parse_fixture() -> None:
    bill = parse_trade_bill(BILL)
    assert BILL.startswith("\ufeff")
    assert len(bill.rows) == 5 and len(bill.payments) == 3 and len(bill.refunds) == 2
    p = bill.payments[1]
    assert (p.out_trade_no, p.trade_type, p.order_amount, p.transaction_id) == (
        "T000009-1", "MICROPAY", 899, "4200000000000000009")
    r = bill.refunds[0]
    assert (r.out_refund_no, r.requested_refund, r.refund_status) == ("RFTEST0001", 200, "SUCCESS")
    assert bill.summary is not None
    assert (bill.summary.trade_count, bill.summary.settlement_total,
            bill.summary.refund_total) == (5, 3089, 300)


@pytest.mark.parametrize("text", ["", "a,b,c\n", "交易时间,微信订单号,商户订单号,交易状态,订单金额\n"
                                  "`2026-11-22,`42,`T1,`SUCCESS,`1.234\n"])
def test_bad_bills_rejected(text: str) -> None:
    with pytest.raises(BillFormatError):
        parse_trade_bill(text)


def test_old_format_without_settlement_columns() -> None:
    text = ("交易时间,微信订单号,商户订单号,交易状态,订单金额,商户退款单号,退款金额\n"
            "`2026-11-22 10:00:00,`42,`T1,`SUCCESS,`1.5,`0,`0.00\n")
    [row] = parse_trade_bill(text).rows
    assert row.order_amount == row.settlement_total == 150 and not row.is_refund


def _local_day():  # type: ignore[no-untyped-def]
    store, clock = seeded_store(), Clock(T0)
    at = T0 + timedelta(minutes=5)
    order(store, 2, NATIVE, 1200, at=at)            # matches
    order(store, 3, CODE, 1000, at=at)              # bill says 9.90
    order(store, 4, NATIVE, 500, at=at)             # local only
    order(store, 5, CASH, 700, at=at)               # cash: never in the bill
    order(store, 6, NATIVE, 300, at=T0 - timedelta(days=1))   # other day
    pending(store, 9, "T000009-1", 899)             # an attempt left uncertain locally
    gw = BillGw(BILL, {"T000009-1": Transaction("T000009-1", TradeState.SUCCESS,
                                                transaction_id="4200000000000000009",
                                                trade_type="MICROPAY", total=Fen(899))})
    counter = iter(range(1, 100))
    refunds = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store, clock=clock),
                            clock=clock,
                            new_refund_no=lambda now: f"RFTEST{next(counter):04d}")
    clock.advance(hours=1)
    refunds.request_refund(RefundRequest(2, "amy", "boss", MANAGER_PIN, "退货", amount=Fen(200)))
    refunds.request_refund(RefundRequest(4, "amy", "boss", MANAGER_PIN, "退货", amount=Fen(100)))
    refunds.request_refund(RefundRequest(5, "amy", "boss", MANAGER_PIN, "退货", amount=Fen(100)))
    clock.advance(hours=24)   # reconciliation runs once the day's bill exists
    return store, gw, ReconcileService(store, WechatChannel(gw, None), clock=clock)


def test_reconcile_lists_every_kind_of_mismatch() -> None:
    _store, _gw, svc = _local_day()
    rep = svc.run(DAY)
    kinds = {(m.kind, m.out_trade_no, m.out_refund_no) for m in rep.mismatches}
    assert kinds == {
        (MismatchKind.REMOTE_ONLY_PAYMENT, "T000009-1", ""),
        (MismatchKind.AMOUNT_MISMATCH, "T000003-1", ""),
        (MismatchKind.LOCAL_ONLY_PAYMENT, "T000004-1", ""),
        (MismatchKind.REMOTE_ONLY_REFUND, "T000003-1", "RFOTHER01"),
        (MismatchKind.LOCAL_ONLY_REFUND, "T000004-1", "RFTEST0002"),
    }
    amt = next(m for m in rep.mismatches if m.kind is MismatchKind.AMOUNT_MISMATCH)
    assert (amt.remote_amount, amt.local_amount) == (990, 1000)
    assert rep.matched_payments == 1 and rep.matched_refunds == 1
    assert rep.remote_payment_total == 3089 and rep.local_payment_total == 2700
    assert rep.warnings == () and not rep.ok
    csv_text = reconcile_csv(rep, render)
    assert "remote_only_payment,账单已收款，本地无记录" in csv_text and "8.99" in csv_text


def test_fix_missing_local_requeries_then_records() -> None:
    store, _gw, svc = _local_day()
    rep = svc.run(DAY)
    missing = next(m for m in rep.mismatches if m.fixable)
    with pytest.raises(ManagerError, match=refused(ManagerText.RECONCILE_NOT_FIXABLE)):
        svc.fix_missing_local(next(m for m in rep.mismatches if not m.fixable), "boss")
    pay = svc.fix_missing_local(missing, "boss")
    assert pay.out_trade_no == "T000009-1" and pay.amount == 899 and pay.order_id == 9
    assert store.audit_entries()[-1].action == "reconcile.fix_missing_local"
    after = svc.run(DAY)
    assert MismatchKind.REMOTE_ONLY_PAYMENT not in {m.kind for m in after.mismatches}
    assert after.matched_payments == 2


def test_fix_refused_when_requery_says_unpaid() -> None:
    store, gw, svc = _local_day()
    gw.txs["T000009-1"] = Transaction("T000009-1", TradeState.CLOSED)
    missing = next(m for m in svc.run(DAY).mismatches if m.fixable)
    with pytest.raises(ManagerError, match=refused(ManagerText.RECONCILE_REQUERY_NOT_PAID)):
        svc.fix_missing_local(missing, "boss")
    gw.txs.clear()
    with pytest.raises(ManagerError, match=refused(ManagerText.RECONCILE_REQUERY_NOT_PAID)):
        svc.fix_missing_local(missing, "boss")
    assert store.get_order(9).payments == ()  # type: ignore[union-attr]   # nothing recorded


def test_summary_inconsistency_is_a_warning() -> None:
    _store, gw, svc = _local_day()
    gw.text = BILL.replace("`5,`30.89", "`6,`30.90")
    rep = svc.run(DAY)
    assert len(rep.warnings) == 2


def test_paid_then_reversed_order_nets_out() -> None:
    hdr = BILL.splitlines()[0]
    cells = ["2026-11-22 10:00:00", "wx", "1900000109", "0", "", "4200000000000000077",
             "T000077-1", "o", "MICROPAY"]
    pay = ",".join("`" + c for c in [*cells, "SUCCESS", "OTHERS", "CNY", "5.00", "0.00", "0", "0",
                                     "0.00", "0.00", "", "", "x", "", "0.03000", "0.60%", "5.00",
                                     "0.00", ""])
    rev = ",".join("`" + c for c in [*cells, "REVOKED", "OTHERS", "CNY", "0.00", "0.00",
                                     "4200000000000000077", "REVERSE", "5.00", "0.00", "ORIGINAL",
                                     "SUCCESS", "x", "", "-0.03000", "0.60%", "0.00", "5.00", ""])
    text = "\n".join([hdr, pay, rev])

    assert reconcile("2026-11-22", parse_trade_bill(text), [], []).ok
    store = seeded_store()
    local = order(store, 77, CODE, 500, at=T0)
    [m] = reconcile("2026-11-22", parse_trade_bill(text), local.payments, []).mismatches
    assert m.kind is MismatchKind.LOCAL_ONLY_PAYMENT and m.detail == "reversed"


def test_against_simulator_engine_bill(tmp_path: Path) -> None:
    """The bill text B's simulator engine renders (payments, refund, paid-then-reversed)."""

    engine = Engine(tmp_path, clock=T0.timestamp, refund_delay_s=0,
                    realism=Realism(bill_ready_hour=None))  # today's bill (issue 11 #3)
    mch = "1900000109"
    engine.codepay(mch, "wx1", "PT000001", "x", 500, random_success_code())
    engine.reverse(mch, "PT000001")                         # paid, then reversed
    engine.codepay(mch, "wx1", "PT000002", "x", 1234, random_success_code())
    engine.refund(mch, "RF1", 234, 1234, out_trade_no="PT000002")
    bill = parse_trade_bill(engine.trade_bill(mch, DAY).decode("utf-8"))
    assert len(bill.rows) == 4 and bill.summary is not None and bill.summary.trade_count == 4

    store = seeded_store()
    local = order(store, 2, CODE, 1234, at=T0)
    pay = local.payments[0]
    pay = replace(pay, out_trade_no="PT000002")
    ref = RefundRecord(1, 2, pay.attempt_id, CODE, "RF1", "PT000002", Fen(234), Fen(1234), "x",
                       "amy", "boss", T0, T0, RefundState.SUCCESS)
    rep = reconcile(DAY.isoformat(), bill, [pay], [ref])
    assert rep.ok and rep.warnings == ()
    assert (rep.matched_payments, rep.matched_refunds) == (1, 1)
    short = reconcile(DAY.isoformat(), bill, [replace(pay, amount=Fen(1200))], [])
    assert {m.kind for m in short.mismatches} == {MismatchKind.AMOUNT_MISMATCH,
                                                  MismatchKind.REMOTE_ONLY_REFUND}


class NoStatementGw(BillGw):
    def trade_bill(self, bill_date: date, bill_type: str = "ALL") -> TradeBill:
        raise NoStatementError(400, "NO_STATEMENT_EXIST", "账单文件不存在")


def test_no_statement_means_wechat_saw_no_trades() -> None:
    """Review R3: NO_STATEMENT_EXIST is WeChat Pay saying "no trades that day" — local
    WeChat payments that day must show up as LOCAL_ONLY, not vanish behind an error."""
    store, clock = seeded_store(), Clock(T0 + timedelta(days=1))
    order(store, 4, NATIVE, 500, at=T0 + timedelta(minutes=5))
    order(store, 5, CASH, 700, at=T0 + timedelta(minutes=5))
    svc = ReconcileService(store, WechatChannel(NoStatementGw("", {}), None), clock=clock)
    rep = svc.run(DAY)
    assert [(m.kind, m.out_trade_no) for m in rep.mismatches] == [
        (MismatchKind.LOCAL_ONLY_PAYMENT, "T000004-1")]
    assert rep.remote_payment_total == 0 and rep.local_payment_total == 500 and rep.no_trades
    empty = ReconcileService(seeded_store(), WechatChannel(NoStatementGw("", {}), None),
                             clock=clock).run(DAY)
    assert empty.ok and empty.matched_payments == 0


def test_statement_creating_is_not_ready_never_no_trades() -> None:
    class Creating(BillGw):
        def trade_bill(self, bill_date: date, bill_type: str = "ALL") -> TradeBill:
            raise BillNotAvailableError("账单生成中", wechat_code="STATEMENT_CREATING", status=400)

    svc = ReconcileService(seeded_store(), WechatChannel(Creating("", {}), None),
                           clock=Clock(T0 + timedelta(days=1)))
    with pytest.raises(ManagerError, match=r"reconcile\.bill_not_ready"):
        svc.run(DAY)
    with pytest.raises(ManagerError, match=r"reconcile\.not_settled"):   # never asked
        ReconcileService(seeded_store(), WechatChannel(Creating("", {}), None),
                         clock=Clock(T0)).run(DAY)


def test_fix_next_day_books_the_payment_on_the_bill_day() -> None:
    """Review R3: reconciliation runs the next day; a repaired payment must be booked at
    WeChat Pay's success_time (Beijing 10:03 on the bill day), not at repair time — else
    the bill day stays REMOTE_ONLY and the next day gets a spurious LOCAL_ONLY."""
    store, clock = seeded_store(), Clock(T0 + timedelta(days=1, hours=1))   # next day 11:00
    text = BILL.split("\n")[0] + "\n" + next(
        ln for ln in BILL.split("\n") if "T000009-1" in ln) + "\n"
    gw = BillGw(text, {"T000009-1": Transaction(
        "T000009-1", TradeState.SUCCESS, transaction_id="4200000000000000009",
        trade_type="MICROPAY", total=Fen(899), success_time="2026-11-22T10:03:00+08:00")})
    svc = ReconcileService(store, WechatChannel(gw, None), clock=clock)
    [missing] = svc.run(DAY).mismatches
    pay = svc.fix_missing_local(missing, "boss")
    assert pay.paid_at == T0 + timedelta(minutes=3)
    assert svc.run(DAY).ok
    assert store.paid_payments_between(*day_window(DAY + timedelta(days=1))) == []
