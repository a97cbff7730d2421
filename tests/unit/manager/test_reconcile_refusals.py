"""The reconciliation service itself refuses to "fix" what is not fixable (issue 17): the
UI hiding the button is not the guard. Every refusal is matched on its message key."""

from __future__ import annotations

import pytest

from pos_app.domain.money import Fen
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.reconcile import MismatchKind
from pos_app.wechatpay.models import TradeState, Transaction

from .helpers import refused
from .test_reconcile import DAY, _local_day


def _paid(otn: str, total: int, tid: str) -> Transaction:
    return Transaction(otn, TradeState.SUCCESS, transaction_id=tid, trade_type="NATIVE",
                       total=Fen(total))


def test_every_unfixable_mismatch_is_refused_without_a_query_or_a_booking() -> None:
    store, gw, svc = _local_day()
    rep = svc.run(DAY)
    unfixable = [m for m in rep.mismatches if not m.fixable]
    assert {m.kind for m in unfixable} == {
        MismatchKind.AMOUNT_MISMATCH, MismatchKind.LOCAL_ONLY_PAYMENT,
        MismatchKind.REMOTE_ONLY_REFUND, MismatchKind.LOCAL_ONLY_REFUND}
    # WeChat Pay would answer "paid" for every one of them: a service that re-queried
    # and recorded would book those sales a second time.
    for m in unfixable:
        gw.txs[m.out_trade_no] = _paid(m.out_trade_no, m.remote_amount or 990,
                                       f"42009{len(gw.txs):08d}")
    queried: list[str] = []
    real_query = gw.query

    def spy(out_trade_no: str) -> Transaction | None:
        queried.append(out_trade_no)
        return real_query(out_trade_no)

    gw.query = spy  # type: ignore[method-assign]
    before = {oid: store.get_order(oid) for oid in (2, 3, 4, 5, 9)}
    audit_before = len(store.audit_entries())
    for m in unfixable:
        with pytest.raises(ManagerError, match=refused(ManagerText.RECONCILE_NOT_FIXABLE)):
            svc.fix_missing_local(m, "boss")
    assert queried == []
    assert {oid: store.get_order(oid) for oid in before} == before
    assert len(store.audit_entries()) == audit_before
    again = svc.run(DAY)
    assert again.matched_payments == rep.matched_payments
    assert again.local_payment_total == rep.local_payment_total


def test_fix_refused_when_the_requery_amount_differs_from_the_bill() -> None:
    store, gw, svc = _local_day()
    missing = next(m for m in svc.run(DAY).mismatches if m.fixable)
    gw.txs[missing.out_trade_no] = _paid(missing.out_trade_no, 900, "4200000000000000009")
    with pytest.raises(ManagerError,
                       match=refused(ManagerText.RECONCILE_REQUERY_AMOUNT_DIFFERS)):
        svc.fix_missing_local(missing, "boss")
    assert store.get_order(9).payments == ()  # type: ignore[union-attr]


def test_fixing_twice_books_the_sale_once() -> None:
    store, _gw, svc = _local_day()
    missing = next(m for m in svc.run(DAY).mismatches if m.fixable)
    first = svc.fix_missing_local(missing, "boss")
    assert svc.fix_missing_local(missing, "boss") == first      # idempotent
    sale = store.get_order(9)
    assert sale is not None and [p.amount for p in sale.payments] == [899]
    assert svc.run(DAY).matched_payments == 2


def test_refund_final_state_disagreeing_with_the_bill_is_a_mismatch() -> None:
    from pos_app.domain.refund import RefundState

    from .helpers import T0

    store, _gw, svc = _local_day()
    [rec] = [r for r in store.refunds_for_order(2) if r.out_refund_no == "RFTEST0001"]
    store.update_refund(rec.refund_id, state=RefundState.CLOSED, at=T0)   # bill: SUCCESS
    rep = svc.run(DAY)
    [m] = [m for m in rep.mismatches if m.kind is MismatchKind.REFUND_STATUS_MISMATCH]
    assert (m.out_trade_no, m.out_refund_no) == ("T000002-1", "RFTEST0001")
    assert (m.remote_amount, m.local_amount) == (200, 200) and not m.fixable
    assert "closed" in m.detail
    assert rep.matched_refunds == 0
