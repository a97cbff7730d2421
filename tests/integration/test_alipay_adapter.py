"""The Alipay adapter's pure translations: bill rows, the QR timeout, refusal reasons."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.alipay import ErrorKind, GatewayError
from pos_app.alipay.models import BillRow, BillRowKind
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.manager.reconcile import reconcile
from pos_app.payments.channels.alipay import REFUSALS, bill_row, qr_minutes, refusal_of
from pos_app.payments.gateway import (
    AwaitingCustomer,
    Closed,
    CloseResult,
    NotFound,
    QrIssued,
    RefundProgress,
    RefusalReason,
    TradeBill,
    TradeStatus,
)
from pos_app.payments.till import TillService
from tests.unit.payments.conftest import Harness


def _row(kind: BillRowKind, amount: int, request_no: str = "") -> BillRow:
    return BillRow(trade_no="2026120222001", out_trade_no="P1", kind=kind,
                   amount_fen=Fen(amount), received_fen=Fen(amount),
                   out_request_no=request_no, finished="2026-12-02 10:00:00")


def test_bill_rows_in_neutral_shape() -> None:
    pay = bill_row(_row(BillRowKind.TRADE, 2000))
    assert (pay.order_amount, pay.settlement_total, pay.is_refund) == (2000, 2000, False)
    ref = bill_row(_row(BillRowKind.REFUND, -500, "RF20261202abc"))
    assert ref.is_refund and not ref.is_reversal
    assert (ref.out_refund_no, ref.requested_refund, ref.refund_amount) == (
        "RF20261202abc", 500, 500)
    assert ref.refund_progress is RefundProgress.SUCCESS
    cancel = bill_row(_row(BillRowKind.REFUND, -2000, "P1_cancel"))
    assert cancel.is_reversal


def test_paid_then_cancelled_nets_to_nothing_in_reconciliation() -> None:
    bill = TradeBill((bill_row(_row(BillRowKind.TRADE, 2000)),
                      bill_row(_row(BillRowKind.REFUND, -2000, "P1_cancel"))))
    report = reconcile("2026-12-02", bill, [], [], channel="alipay")
    assert report.ok and report.channel == "alipay"


@pytest.mark.parametrize(("seconds", "minutes"), [(180, 2), (179.9, 2), (130, 2),
                                                  (121.5, 2), (120.5, 1), (61, 1),
                                                  (60.5, 0), (-5, 0), (99_999, 120)])
def test_qr_timeout_never_outlives_the_attempt(seconds: float, minutes: int) -> None:
    now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    assert qr_minutes(now + timedelta(seconds=seconds), now) == minutes


def test_every_refusal_kind_has_a_neutral_reason() -> None:
    refusals = {k for k in ErrorKind if k not in (ErrorKind.UNKNOWN, ErrorKind.ALREADY_PAID)}
    assert set(REFUSALS) <= refusals
    err = GatewayError("alipay.trade.pay", "40004", "Business Failed",
                       "ACQ.BUYER_BALANCE_NOT_ENOUGH", "余额不足")
    assert not err.outcome_unknown
    assert refusal_of(err).reason is RefusalReason.INSUFFICIENT_BALANCE
    other = refusal_of(GatewayError("alipay.trade.pay", "40004", "Business Failed",
                                    "ACQ.PAYMENT_FAIL", "支付失败"))
    assert other.reason is RefusalReason.OTHER and other.detail == "支付失败"


class ScannedAfterClose:
    """A channel that knows no order until the QR is scanned (like Alipay): the first
    close finds none, then the customer scans just before the QR expires."""

    def __init__(self) -> None:
        self.closes = 0

    def native_prepay(self, **_kw: object) -> QrIssued:
        return QrIssued("https://qr.alipay.com/x")

    def query(self, out_trade_no: str) -> TradeStatus:
        return (NotFound(), AwaitingCustomer(), Closed())[min(self.closes, 2)]

    def close(self, out_trade_no: str) -> CloseResult:
        self.closes += 1
        return NotFound() if self.closes == 1 else Closed()


def test_qr_scanned_after_the_close_is_closed_again(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    channel = ScannedAfterClose()
    h.till = TillService(h.db, {"alipay": channel}, clock=h.clock,  # type: ignore[dict-item]
                         waiter=h.waiter)
    h.till.recover()
    aid = h.till.pay_native(h.order(), "alipay")
    for _ in range(200):
        h.run()
        a = h.till.attempt(aid)
        if a is not None and a.state.terminal:
            break
        time.sleep(0.02)
    assert a is not None and a.state is AttemptState.CLOSED
    assert channel.closes == 2      # the trade the customer opened was closed too
    h.till.shutdown()
    h.db.close()


def test_an_alipay_receipt_names_alipay_for_the_method_and_the_discount() -> None:
    from datetime import UTC, datetime

    from pos_app.devices.receipt import build_receipt, receipt_text_lines
    from pos_app.domain.cart import Cart
    from pos_app.domain.catalog import Product
    from pos_app.domain.money import Fen

    cart = Cart()
    cart.add(Product("COKE", "可口可乐", Fen(1000), "6901234567011"), 1)
    receipt = build_receipt(shop_name="店", order_id=7, cashier="amy", cart=cart,
                            method="codepay", amount=Fen(1000), change=None,
                            transaction_id="2026120222001", created_at=datetime.now(UTC),
                            coupon=200, customer_paid=Fen(800), channel="alipay")
    text = "\n".join(receipt_text_lines(receipt))
    assert "支付宝付款码" in text and "支付宝优惠" in text and "-￥2.00" in text
    assert "微信" not in text
