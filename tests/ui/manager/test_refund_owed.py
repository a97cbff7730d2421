"""An order paid twice (issue 16), in the refund screen against the real simulator and
SQLite, by keys: the screen offers "Paid twice: give back ¥X" first and chosen; the
manager gives it back to the extra payment, the sale stays paid and nothing more is
owed; a stale screen's second go is refused; a refund of the sale after it is as today."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.refund import RefundState
from pos_app.payments.gateway import Paid
from pos_app.simulator.scenarios import random_success_code
from pos_app.storage.payments import PaymentAttemptRepository
from pos_app.ui.manager.refund_dialog import RefundDialog

from .conftest import MANAGER, MANAGER_PIN
from .test_refund_dialog import sim_refunds

pytestmark = pytest.mark.gui
Key = Qt.Key


def pay_again(world, order_id: int) -> int:  # type: ignore[no-untyped-def]
    """The customer pays the sale a second time: a real payment at the simulator,
    recorded PAID like the till's workflow records one (storage's double payment)."""
    st = world.stack
    order = st.till.order(order_id)
    attempts = PaymentAttemptRepository(st.db)
    otn = f"DUP{order_id:06d}{len(attempts.for_order(order_id)):04d}"
    with st.db.transaction() as conn:
        aid = attempts.insert(conn, order_id=order_id, method=PaymentMethod.CODEPAY,
                              out_trade_no=otn, amount=order.total)
    paid = world.gateway.codepay(out_trade_no=otn, description="测试", total=order.total,
                                 auth_code=random_success_code())
    assert isinstance(paid, Paid)
    attempts.transition(aid, AttemptState.PAID, transaction_id=paid.transaction_id)
    return aid


def open_by_keys(qtbot, world, order_id: int) -> RefundDialog:  # type: ignore[no-untyped-def]
    dlg = RefundDialog(world.make_ctx(MANAGER))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    dlg.key_edit.setFocus()
    qtbot.keyClicks(dlg.key_edit, str(order_id))
    qtbot.keyClick(dlg.key_edit, Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.summary is not None, timeout=5000)
    return dlg


def focus_reason(qtbot, dlg: RefundDialog) -> None:  # type: ignore[no-untyped-def]
    """Back to a screen (a click on its reason field)."""
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow, timeout=3000)
    dlg.reason_box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (
        dlg.reason_box, dlg.reason_box.lineEdit()), timeout=3000)


def refund_by_keys(qtbot, dlg: RefundDialog, downs: int) -> None:  # type: ignore[no-untyped-def]
    """A reason from the list (↓ × downs), Enter, the manager's PIN, Enter."""
    focused = QApplication.focusWidget()
    assert focused in (dlg.reason_box, dlg.reason_box.lineEdit())
    for _ in range(downs):
        qtbot.keyClick(focused, Key.Key_Down)
    qtbot.keyClick(focused, Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.override is not None and dlg.override.isVisible()
                    and dlg.override.approve_button.isEnabled(), timeout=5000)
    assert dlg.override is not None
    pin = dlg.override.pin_edit
    qtbot.waitUntil(pin.hasFocus, timeout=3000)
    qtbot.keyClicks(pin, MANAGER_PIN)
    qtbot.keyClick(pin, Key.Key_Return)


@pytest.mark.logs_errors          # storage logs the double payment as an ERROR
def test_paid_twice_is_given_back_by_keys_and_the_sale_stays_paid(qtbot, world):
    order_id = world.sell(("BEER500", 1))                          # 6.00, WeChat code
    extra = pay_again(world, order_id)
    refunds = world.services.refunds
    assert [(o.order_id, o.attempt_id, o.amount) for o in refunds.owed_refunds()] == [
        (order_id, extra, 600)]
    stale = open_by_keys(qtbot, world, order_id)                   # a second screen, open
    dlg = open_by_keys(qtbot, world, order_id)
    assert dlg.owed_radio.isVisible() and dlg.owed_radio.isChecked()
    assert dlg.owed_radio.text() == "Paid twice: give back ¥6.00 (WeChat Pay)"
    assert dlg.quote_label.text() == "Refund: ¥6.00"
    assert (dlg.paid_label.text(), dlg.refundable_label.text()) == (
        "¥12.00 · WeChat code", "¥12.00")
    # the choices are keys like the others: Shift+Tab to them, the arrows choose
    qtbot.keyClick(QApplication.focusWidget(), Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert dlg.amount_radio.hasFocus() and dlg.owed_radio.isChecked()
    qtbot.keyClick(dlg.amount_radio, Key.Key_Space)
    assert dlg.amount_radio.isChecked() and dlg.quote_label.text() == "Refund: —"
    qtbot.keyClick(dlg.amount_radio, Key.Key_Up)
    qtbot.keyClick(dlg.lines_radio, Key.Key_Up)
    assert dlg.full_radio.isChecked() and dlg.quote_label.text() == "Refund: ¥12.00"
    qtbot.keyClick(dlg.full_radio, Key.Key_Up)
    assert dlg.owed_radio.isChecked() and dlg.quote_label.text() == "Refund: ¥6.00"
    qtbot.keyClick(dlg.owed_radio, Key.Key_Tab)                    # on to the reason
    refund_by_keys(qtbot, dlg, 4)                                  # "Charged twice"
    qtbot.waitUntil(lambda: "Refund succeeded" in dlg.status.text(), timeout=10000)
    [rec] = world.services.store.refunds_for_order(order_id)
    assert (rec.attempt_id, rec.amount, rec.lines, rec.state, rec.reason) == (
        extra, 600, (), RefundState.SUCCESS, "Charged twice")
    assert sim_refunds(world) == [(rec.out_refund_no, 600)]
    assert world.stack.till.order(order_id).status is OrderStatus.PAID
    assert refunds.owed_refunds() == []
    qtbot.waitUntil(lambda: not dlg.owed_radio.isVisible() and dlg.full_radio.isChecked(),
                    timeout=5000)
    assert dlg.refundable_label.text() == "¥6.00" and dlg.refunded_label.text() == "¥6.00"
    # the stale screen still offers it: its go is refused, nothing more sent
    assert stale.owed_radio.isChecked()
    focus_reason(qtbot, stale)
    refund_by_keys(qtbot, stale, 4)
    qtbot.waitUntil(lambda: "Nothing is owed back" in stale.status.text(), timeout=5000)
    assert len(world.services.store.refunds_for_order(order_id)) == 1
    qtbot.waitUntil(lambda: not stale.owed_radio.isVisible(), timeout=5000)  # shown afresh
    assert stale.full_radio.isChecked() and "Nothing is owed back" in stale.status.text()
    assert len(sim_refunds(world)) == 1
    # a refund of the sale after it is as today: everything left, back to the first payment
    focus_reason(qtbot, dlg)
    refund_by_keys(qtbot, dlg, 1)
    qtbot.waitUntil(lambda: len(sim_refunds(world)) == 2, timeout=10000)
    qtbot.waitUntil(lambda: world.stack.till.order(order_id).status is OrderStatus.REFUNDED,
                    timeout=10000)
    _first, second = world.services.store.refunds_for_order(order_id)
    assert second.attempt_id != extra and second.amount == 600
    assert refunds.owed_refunds() == []


def test_a_sale_paid_once_has_no_paid_twice_choice(qtbot, world):
    order_id = world.sell(("GUM", 1))
    dlg = open_by_keys(qtbot, world, order_id)
    assert not dlg.owed_radio.isVisible() and dlg.full_radio.isChecked()
    assert world.services.refunds.owed_refunds() == []


@pytest.mark.logs_errors
def test_paid_three_times_is_refused_before_the_pin(qtbot, world):
    """¥5.00 owed twice over, each extra payment ¥2.50: the screen says so (the
    service's rule and words) and asks for no PIN."""
    order_id = world.sell(("GUM", 1))                              # 2.50
    pay_again(world, order_id)
    pay_again(world, order_id)
    dlg = open_by_keys(qtbot, world, order_id)
    assert dlg.owed_radio.isChecked()
    assert dlg.owed_radio.text() == "Paid twice: give back ¥5.00 (WeChat Pay)"
    focused = QApplication.focusWidget()
    qtbot.keyClick(focused, Key.Key_Down)
    qtbot.keyClick(focused, Key.Key_Return)
    assert dlg.status.text() == ("The extra payment has only ¥2.50 left to refund, less than "
                                 "the ¥5.00 owed: refund by amount instead")
    assert dlg.override is None and sim_refunds(world) == []
