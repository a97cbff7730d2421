"""The refund screen shows every way a WeChat refund can go wrong honestly (issue 11 #4),
against the simulator's switches: ABNORMAL says what to do next, CLOSED, the merchant's
balance, and the one-minute spacing of partial refunds says when to retry."""

from __future__ import annotations

import pytest

from pos_app.domain.refund import RefundState

from .conftest import MANAGER, MANAGER_PIN
from .test_refund_dialog import approve, open_refund

pytestmark = pytest.mark.gui


def refund_by_amount(qtbot, dlg, yuan: str | None = None) -> None:  # type: ignore[no-untyped-def]
    if yuan is not None:
        dlg.amount_radio.setChecked(True)
        dlg.amount_edit.setText(yuan)
    dlg.reason_box.setEditText("顾客退货")
    dlg.submit()
    approve(qtbot, dlg, MANAGER_PIN)


@pytest.mark.parametrize("outcome,shown", [
    ("abnormal", "abnormal-refund handling to refund to another account of the customer, "
                 "or refund offline"),
    ("closed", "Refund closed, nothing was refunded"),
])
def test_abnormal_and_closed_refunds_are_shown_with_what_to_do(qtbot, world, outcome, shown):  # type: ignore[no-untyped-def]
    order_id = world.sell(("COKE330", 1))
    [attempt] = world.stack.till.attempts_for_order(order_id)
    world.stack.server.engine.set_refund_behaviour(attempt.out_trade_no, outcome)
    dlg = open_refund(qtbot, world, MANAGER, order_id)
    refund_by_amount(qtbot, dlg)
    # the refund's row in the screen's history says what happened and what to do next
    qtbot.waitUntil(lambda: dlg.history.rowCount() == 1 and dlg.history.item(0, 3) is not None
                    and shown in dlg.history.item(0, 3).text(), timeout=10000)
    [rec] = world.services.store.refunds_for_order(order_id)
    assert rec.state is (RefundState.ABNORMAL if outcome == "abnormal" else RefundState.CLOSED)


def test_balance_and_one_minute_spacing_are_shown(qtbot, world):  # type: ignore[no-untyped-def]
    order_id = world.sell(("COKE330", 2))                          # ¥6.00
    server = world.stack.server
    dlg = open_refund(qtbot, world, MANAGER, order_id)
    server.set_realism(merchant_balance_fen=0)
    try:
        refund_by_amount(qtbot, dlg, "1.00")
        qtbot.waitUntil(lambda: "balance is too low" in dlg.status.text(), timeout=10000)
        assert "Top up" in dlg.status.text() and server.engine.refunds() == []
    finally:
        server.set_realism(merchant_balance_fen=None)
    refund_by_amount(qtbot, dlg, "1.00")                           # accepted
    qtbot.waitUntil(lambda: len(server.engine.refunds()) == 1, timeout=10000)
    qtbot.waitUntil(lambda: dlg.summary is not None and dlg.summary.refundable == 500,
                    timeout=10000)
    refund_by_amount(qtbot, dlg, "1.00")                           # within the minute
    qtbot.waitUntil(lambda: "Retry after" in dlg.status.text(), timeout=10000)
    assert "a minute apart" in dlg.status.text() and len(server.engine.refunds()) == 1
