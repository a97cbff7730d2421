"""Dialog rules with synthetic events: the close guard, queued cancel, uncertain outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos_app.domain.money import Fen
from pos_app.payments.api import AttemptState, PaymentEvent, PaymentMethod
from pos_app.ui.payment_dialogs import CashDialog, NativePayDialog

pytestmark = pytest.mark.gui


def ev(state, attempt=7, **kw):
    return PaymentEvent(order_id=1, attempt_id=attempt, method=PaymentMethod.NATIVE, state=state,
                        amount=Fen(300), **kw)


def test_cancel_before_the_attempt_id_is_known_is_queued(qtbot):
    dlg = NativePayDialog(Fen(300))
    qtbot.addWidget(dlg)
    sent: list[int] = []
    dlg.cancel_requested.connect(sent.append)
    dlg.begin()                      # work dispatched, ids not back yet
    assert not dlg.may_close
    dlg.request_cancel()
    assert sent == []
    dlg.bind(1, 7)                   # ids arrive → the queued cancel goes out
    assert sent == [7]


def test_uncertain_blocks_close_until_cancel_was_requested(qtbot):
    dlg = NativePayDialog(Fen(300))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.begin()
    dlg.bind(1, 7)
    sent: list[int] = []
    dlg.cancel_requested.connect(sent.append)
    dlg.on_event(ev(AttemptState.UNCERTAIN, message="无法连接微信支付"))
    assert not dlg.may_close and "do NOT charge again" in dlg.status_label.text()
    dlg.close()
    assert dlg.isVisible()
    dlg.request_cancel()
    assert sent == [7] and dlg.may_close   # resolution continues in the core / recovery


def test_countdown_and_events_for_other_orders_are_ignored(qtbot):
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    dlg = NativePayDialog(Fen(300), clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.begin()
    dlg.bind(1, 7)
    assert not dlg.accepts(PaymentEvent(order_id=2, attempt_id=9, method=PaymentMethod.NATIVE,
                                        state=AttemptState.PAID, amount=Fen(1)))
    dlg.on_event(ev(AttemptState.AWAITING_CUSTOMER, code_url="weixin://wxpay/bizpayurl?pr=x",
                    expires_at=now + timedelta(seconds=125)))
    assert dlg.countdown_label.text() == "QR code valid for 2:05"
    dlg.on_event(ev(AttemptState.PAID, transaction_id="42"))
    assert dlg.may_close and dlg.qr.data == "" and dlg.countdown_label.text() == ""


def test_cash_dialog_accepts_tendered_text_forms(qtbot):
    dlg = CashDialog(Fen(1140))
    qtbot.addWidget(dlg)
    for text, fen in (("", 1140), ("20", 2000), ("¥20.5", 2050), ("20.505", None)):
        dlg.tendered_edit.setText(text)
        assert dlg.tendered() == fen
