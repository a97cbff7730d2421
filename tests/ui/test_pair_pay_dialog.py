"""The both-QRs screen's rules with synthetic events and real keys: it stays open while one
code is still open, drops a code as soon as its attempt ended, shows no code once paid,
and Enter/Esc do what the buttons say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.text import msg
from pos_app.payments.api import PaymentEvent
from pos_app.payments.messages import PaymentText
from pos_app.ui.pair_pay_dialog import PairPayDialog

pytestmark = pytest.mark.gui

S = AttemptState
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
URL = {"wechat": "weixin://wxpay/bizpayurl?pr=abc", "alipay": "https://qr.alipay.com/bax1"}


def ev(channel: str, state: AttemptState, **kw: object) -> PaymentEvent:
    attempt = 7 if channel == "wechat" else 8
    return PaymentEvent(order_id=1, attempt_id=attempt, method=PaymentMethod.NATIVE,
                        state=state, amount=Fen(300), channel=channel,
                        code_url=URL[channel] if state is not S.CREATED else "",
                        expires_at=NOW + timedelta(minutes=2), **kw)  # type: ignore[arg-type]


@pytest.fixture
def dlg(qtbot):
    d = PairPayDialog(Fen(300), clock=lambda: NOW)
    qtbot.addWidget(d)
    d.show()
    d.begin()
    d.bind(1, 7)
    sent: list[int] = []
    d.cancel_requested.connect(sent.append)
    d.sent = sent
    for channel in ("wechat", "alipay"):
        d.on_event(ev(channel, S.CREATED))
    return d


def open_both(d: PairPayDialog) -> None:
    for channel in ("wechat", "alipay"):
        d.on_event(ev(channel, S.AWAITING_CUSTOMER))


def test_both_codes_side_by_side_with_their_names(dlg) -> None:
    assert dlg.status_label.text() == "Contacting WeChat Pay and Alipay…"
    open_both(dlg)
    assert {c: q.data for c, q in dlg.qrs.items()} == URL
    assert dlg.status_label.text() == "Waiting for the customer to scan and pay…"
    assert dlg.countdown_label.text() == "QR code valid for 2:00"
    assert not dlg.may_close


def test_one_code_refused_the_other_stays_open(qtbot, dlg) -> None:
    dlg.on_event(ev("alipay", S.FAILED, message=msg(PaymentText.CLOSED_PREPAY_FAILED)))
    assert not dlg.may_close and dlg.state is S.CREATED   # WeChat's code is still coming
    dlg.on_event(ev("wechat", S.AWAITING_CUSTOMER))
    assert dlg.qrs["wechat"].data == URL["wechat"] and dlg.qrs["alipay"].data == ""
    assert dlg.qrs["alipay"].text() == "✕"
    assert dlg.status_label.text() == "Waiting for the customer to pay with WeChat Pay"
    qtbot.keyClick(dlg, Qt.Key.Key_Return)          # Enter: nothing while a code is open
    assert dlg.isVisible() and dlg.sent == []
    dlg.on_event(ev("wechat", S.PAID))
    assert dlg.may_close and dlg.status_label.text() == "Paid with WeChat Pay"
    qtbot.keyClick(dlg, Qt.Key.Key_Return)          # Done
    assert not dlg.isVisible() and dlg.paid_event is not None


def test_paid_shows_no_code_and_a_late_close_keeps_paid(dlg) -> None:
    open_both(dlg)
    dlg.on_event(ev("alipay", S.PAID))
    assert not any(q.data for q in dlg.qrs.values())   # the WeChat code may not be scanned
    assert dlg.state is S.PAID and dlg.qrs["alipay"].text() == "✓"
    dlg.on_event(ev("wechat", S.CLOSED, message=msg(PaymentText.CLOSED_OTHER_CHANNEL)))
    assert dlg.state is S.PAID and dlg.paid_event is not None
    assert dlg.paid_event.channel == "alipay"


def test_esc_cancels_once_for_both_and_waits_for_both(qtbot, dlg) -> None:
    open_both(dlg)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.sent == [7] and dlg.isVisible()      # one cancel closes the pair
    assert dlg.status_label.text() == "Cancelling… waiting for WeChat Pay and Alipay to confirm"
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.sent == [7]
    dlg.on_event(ev("wechat", S.CLOSED))
    assert not dlg.may_close                          # Alipay's close not confirmed yet
    dlg.on_event(ev("alipay", S.CLOSED))
    assert dlg.may_close and dlg.state is S.CLOSED
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible() and dlg.paid_event is None


def test_one_unknown_none_open_is_unknown(dlg) -> None:
    open_both(dlg)
    dlg.on_event(ev("wechat", S.CLOSED))
    dlg.on_event(ev("alipay", S.UNCERTAIN, message=msg(PaymentText.UNCERTAIN_CLOSE)))
    assert dlg.state is S.UNCERTAIN and not dlg.may_close
    assert "do NOT charge again" in dlg.status_label.text()


def test_paid_twice_is_said_in_red(dlg) -> None:
    open_both(dlg)
    dlg.on_event(ev("wechat", S.PAID))
    dlg.on_event(ev("alipay", S.PAID, double_paid=True, paid_late=True,
                    message=msg(PaymentText.PAID_TWICE)))
    assert dlg.paid_event is not None and dlg.paid_event.channel == "wechat"
    assert dlg.detail_label.text() and "cf222e" in dlg.detail_label.styleSheet()


def test_one_ended_before_the_other_was_heard_of_keeps_the_screen_open(qtbot) -> None:
    d = PairPayDialog(Fen(300), clock=lambda: NOW)
    qtbot.addWidget(d)
    d.begin()
    d.bind(1, 7)
    d.on_event(ev("alipay", S.FAILED))     # the WeChat attempt's news is still to come
    assert d.state is S.CREATED and not d.may_close
