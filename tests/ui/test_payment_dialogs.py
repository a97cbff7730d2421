"""Dialog rules with synthetic events: the close guard, queued cancel, uncertain outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.text import msg
from pos_app.payments.api import PaymentEvent
from pos_app.payments.messages import PaymentText
from pos_app.ui.payment_dialogs import CashDialog, CodePayDialog, NativePayDialog

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
    dlg.on_event(ev(AttemptState.UNCERTAIN, message=msg(PaymentText.UNCERTAIN_OFFLINE)))
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


@pytest.mark.parametrize(("code", "words"), [
    ("6901234567892", "not a payment code"),
    ("12345", "Unrecognised"),
])
def test_wrong_code_at_the_payment_code_prompt_explains_and_charges_nothing(qtbot, code, words):
    dlg = CodePayDialog(Fen(300))
    qtbot.addWidget(dlg)
    sent: list[str] = []
    dlg.code_submitted.connect(sent.append)
    assert not dlg.offer_code(code)
    dlg.code_edit.setText(code)
    qtbot.keyClick(dlg.code_edit, Qt.Key.Key_Return)
    assert sent == [] and dlg.state is None and not dlg.busy and dlg.may_close
    assert words in dlg.detail_label.text()


def test_alipay_code_is_a_payment_code_the_till_routes(qtbot):
    """Alipay codes are charged like WeChat ones (the till sends them to Alipay, or
    refuses them with a message when the shop has no Alipay)."""
    dlg = CodePayDialog(Fen(300))
    qtbot.addWidget(dlg)
    sent: list[str] = []
    dlg.code_submitted.connect(sent.append)
    assert dlg.offer_code("281234567890123456")
    assert sent == ["281234567890123456"]


def test_held_code_is_charged_only_on_enter(qtbot):
    dlg = CodePayDialog(Fen(300))
    qtbot.addWidget(dlg)
    sent: list[str] = []
    dlg.code_submitted.connect(sent.append)
    dlg.hold_code("134567890123456789")
    assert "1345****6789" in dlg.code_shown.text() or "****" in dlg.code_shown.text()
    assert not dlg.offer_code("134567890123456789") and sent == []
    qtbot.keyClick(dlg.code_edit, Qt.Key.Key_Return)
    assert sent == ["134567890123456789"] and dlg.busy
    qtbot.keyClick(dlg.code_edit, Qt.Key.Key_Return)                    # a second Enter: no second charge
    assert sent == ["134567890123456789"]


def test_uncertain_still_says_do_not_charge_again_after_cancel(qtbot):
    dlg = NativePayDialog(Fen(300))
    qtbot.addWidget(dlg)
    dlg.begin()
    dlg.bind(1, 7)
    dlg.on_event(ev(AttemptState.UNCERTAIN, message=msg(PaymentText.UNCERTAIN_OFFLINE)))
    dlg.request_cancel()
    assert dlg.may_close
    assert "do NOT charge again" in dlg.status_label.text()
