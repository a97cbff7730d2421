"""A sale the trade bill lists but this shop has no record of at all (the till lost it)
is recovered by reconciliation at the amount the channel took (issue 17: found by
mutation testing of manager/shop_store.py: a re-query that does not report the order
amount booked the recovered sale at 0.00, missing from every report)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.manager.reconcile import MismatchKind, ReconcileService
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.wechatpay.models import TradeState, Transaction

from .helpers import T0, Clock, order, seeded_store
from .test_reconcile import BILL, DAY, BillGw


@pytest.mark.parametrize("requeried_total", [Fen(899), None])
def test_a_sale_unknown_locally_is_recovered_at_the_bills_amount(
        requeried_total: Fen | None) -> None:
    store, clock = seeded_store(), Clock(T0)
    order(store, 2, PaymentMethod.NATIVE, 1200, at=T0 + timedelta(minutes=5))
    gw = BillGw(BILL, {"T000009-1": Transaction(
        "T000009-1", TradeState.SUCCESS, transaction_id="4200000000000000009",
        trade_type="MICROPAY", total=requeried_total)})
    clock.advance(hours=25)
    svc = ReconcileService(store, WechatChannel(gw, None), clock=clock)
    missing = next(m for m in svc.run(DAY).mismatches
                   if m.kind is MismatchKind.REMOTE_ONLY_PAYMENT and m.out_trade_no == "T000009-1")
    assert missing.remote_amount == 899
    pay = store.get_order(svc.fix_missing_local(missing, "boss").order_id)
    assert pay is not None and pay.total == 899
    [paid] = pay.payments
    assert (paid.amount, paid.method, paid.out_trade_no) == (899, PaymentMethod.CODEPAY,
                                                              "T000009-1")
    assert "T000009-1" not in {m.out_trade_no for m in svc.run(DAY).mismatches}
