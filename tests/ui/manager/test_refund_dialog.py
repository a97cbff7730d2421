"""Refund screen against the real simulator + SQLite: by items with a manager override,
full refund by a manager, over-refund refused, lost reply retried with the same number."""

from __future__ import annotations

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.refund import RefundState
from pos_app.manager.refunds import RefundRequest
from pos_app.ui.manager.refund_dialog import RefundDialog

from .conftest import CASHIER, MANAGER, MANAGER_PIN

pytestmark = pytest.mark.gui


def open_refund(qtbot, world, session, order_id: int) -> RefundDialog:
    dlg = RefundDialog(world.make_ctx(session))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.offer_code(f"{order_id:08d}")            # the receipt QR holds the order number
    qtbot.waitUntil(lambda: dlg.summary is not None, timeout=5000)
    return dlg


def approve(qtbot, dlg: RefundDialog, pin: str) -> None:
    qtbot.waitUntil(lambda: dlg.override is not None and dlg.override.user_box.count() > 0
                    and dlg.override.approve_button.isEnabled(), timeout=5000)
    assert dlg.override is not None
    box = dlg.override.user_box
    if box.findData("李经理") >= 0:  # the demo also has an admin: approve as the manager
        box.setCurrentIndex(box.findData("李经理"))
    dlg.override.pin_edit.setText(pin)
    dlg.override.submit()


def sim_refunds(world) -> list[tuple[str, int]]:
    return [(r.out_refund_no, r.refund) for r in world.stack.server.engine.refunds()]


def test_partial_refund_by_items_needs_manager_override(qtbot, world):
    order_id = world.sell(("COKE330", 2), ("CHIPS", 1))          # 6.00 + 7.80
    dlg = open_refund(qtbot, world, CASHIER, order_id)
    assert (dlg.paid_label.text(), dlg.refunded_label.text(),
            dlg.refundable_label.text()) == ("¥13.80 · WeChat code", "¥0.00", "¥13.80")
    dlg.set_line_quantity(0, 1)                                   # one cola back
    qtbot.waitUntil(lambda: dlg.quote_label.text() == "Refund: ¥3.00", timeout=5000)
    assert dlg.lines_radio.isChecked() and dlg.quote_label.text() == "Refund: ¥3.00"
    dlg.reason_box.setEditText("商品破损")
    dlg.submit()
    assert dlg.override is not None and not dlg.override.self_approve
    approve(qtbot, dlg, "1111")                                   # wrong PIN: told, not sent
    override = dlg.override
    qtbot.waitUntil(lambda: "tries left" in override.message.text(), timeout=5000)
    assert override.isVisible() and sim_refunds(world) == []
    override.pin_edit.setText(MANAGER_PIN)
    override.submit()
    qtbot.waitUntil(lambda: "Refund succeeded" in dlg.status.text(), timeout=10000)
    [rec] = world.services.store.refunds_for_order(order_id)
    assert (rec.state, rec.amount, rec.lines, rec.approved_by, rec.requested_by) == (
        RefundState.SUCCESS, 300, ((1, 1),), "李经理", "王芳")
    assert sim_refunds(world) == [(rec.out_refund_no, 300)]
    qtbot.waitUntil(lambda: dlg.refundable_label.text() == "¥10.80", timeout=5000)
    assert dlg.refunded_label.text() == "¥3.00"
    assert dlg.lines.item(0, 2).text() == "1" and dlg.lines.item(0, 3).text() == "1"
    assert dlg.history.rowCount() == 1 and dlg.history.item(0, 0).text() == rec.out_refund_no
    dlg.retry_selected()                                          # refresh: nothing re-sent
    qtbot.wait(300)
    assert sim_refunds(world) == [(rec.out_refund_no, 300)]


def test_full_refund_by_manager_follows_processing_to_success(qtbot, world):
    order_id = world.sell(("BREAD", 1), ("MILK250", 2))            # 5.50 + 7.60
    dlg = open_refund(qtbot, world, MANAGER, order_id)
    seen: list[RefundState] = []
    update = dlg._update
    dlg._update = lambda rec: (seen.append(rec.state), update(rec))  # type: ignore[method-assign]
    assert dlg.full_radio.isChecked() and dlg.quote_label.text() == "Refund: ¥13.10"
    dlg.reason_box.setEditText("顾客退货")
    dlg.submit()
    assert dlg.override is not None and dlg.override.self_approve
    approve(qtbot, dlg, MANAGER_PIN)
    qtbot.waitUntil(lambda: RefundState.SUCCESS in seen, timeout=10000)
    assert seen[0] is RefundState.PROCESSING and seen[-1] is RefundState.SUCCESS
    qtbot.waitUntil(lambda: dlg.refundable_label.text() == "¥0.00", timeout=5000)
    assert not dlg.refund_button.isEnabled()
    assert world.stack.till.order(order_id).status.value == "refunded"
    assert [a for _n, a in sim_refunds(world)] == [1310]


def test_over_refund_and_bad_input_refused_nothing_sent(qtbot, world):
    order_id = world.sell(("GUM", 1))                              # 2.50
    dlg = open_refund(qtbot, world, MANAGER, order_id)
    dlg.amount_radio.setChecked(True)
    dlg.reason_box.setEditText("test")
    dlg.amount_edit.setText("3.00")
    dlg.submit()
    assert dlg.status.text() == "Refund exceeds the refundable amount ¥2.50"
    assert dlg.override is None
    dlg.amount_edit.setText("1.234")
    dlg.submit()
    assert dlg.status.text() == "Not an amount: 1.234" and dlg.override is None
    dlg.amount_edit.setText("1.00")
    dlg.reason_box.setEditText("  ")
    dlg.submit()
    assert dlg.status.text() == "A refund reason is required" and dlg.override is None
    # the service refuses on its own too (e.g. a stale screen): clear message, nothing stored
    dlg._send(RefundRequest(order_id, "王芳", "李经理", MANAGER_PIN, "x", amount=Fen(251)))
    qtbot.waitUntil(lambda: "exceeds" in dlg.status.text(), timeout=5000)
    assert dlg.status.text() == "Refund exceeds the refundable amount ¥2.50"
    assert world.services.store.refunds_for_order(order_id) == [] and sim_refunds(world) == []
    assert dlg.refund_button.isEnabled()


def test_lost_reply_is_retried_with_the_same_refund_number(qtbot, world):
    order_id = world.sell(("TISSUE", 1))                           # 12.90
    world.stack.server.inject("drop_after_commit", path_prefix="/v3/refund/domestic/refunds")
    dlg = open_refund(qtbot, world, MANAGER, order_id)
    seen: list[RefundState] = []
    update = dlg._update
    dlg._update = lambda rec: (seen.append(rec.state), update(rec))  # type: ignore[method-assign]
    dlg.amount_radio.setChecked(True)
    dlg.amount_edit.setText("2.90")
    dlg.reason_box.setEditText("少找零")
    dlg.submit()
    approve(qtbot, dlg, MANAGER_PIN)
    qtbot.waitUntil(lambda: RefundState.SUCCESS in seen, timeout=15000)
    assert seen[0] is RefundState.PENDING
    [rec] = world.services.store.refunds_for_order(order_id)
    assert sim_refunds(world) == [(rec.out_refund_no, 290)]        # sent once, same number


def test_history_search_by_date_and_amount(qtbot, world):
    world.sell(("COKE330", 1))
    wanted = world.sell(("BEER500", 1))                            # 6.00
    dlg = RefundDialog(world.make_ctx(MANAGER))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.amount_filter.setText("6")
    dlg.search_history()
    qtbot.waitUntil(lambda: dlg.results.count() == 1, timeout=5000)
    dlg._result_chosen(dlg.results.item(0))
    qtbot.waitUntil(lambda: dlg.summary is not None, timeout=5000)
    assert dlg.summary.order.order_id == wanted
    dlg.key_edit.setText("NOPE123")
    dlg.lookup()
    qtbot.waitUntil(lambda: "No paid order found" in dlg.status.text(), timeout=5000)


def test_the_screen_only_listens_to_the_services_follow(qtbot, world):
    """A refund in flight is followed once, by the service: the screen runs no loop of
    its own (no thread, no query from it), shows the service's final update, and once
    closed stops listening while the service goes on."""
    import threading

    order_id = world.sell(("BREAD", 1))
    queries: list[str] = []
    refunds = world.services.refunds
    real_retry = refunds.retry
    refunds.retry = lambda rid: (queries.append(threading.current_thread().name),  # type: ignore[method-assign]
                                 real_retry(rid))[1]
    dlg = open_refund(qtbot, world, MANAGER, order_id)
    seen: list[RefundState] = []
    update = dlg._update
    dlg._update = lambda rec: (seen.append(rec.state), update(rec))  # type: ignore[method-assign]
    dlg.reason_box.setEditText("顾客退货")
    dlg.submit()
    approve(qtbot, dlg, MANAGER_PIN)
    qtbot.waitUntil(lambda: RefundState.SUCCESS in seen, timeout=10000)
    assert seen[0] is RefundState.PROCESSING and seen[-1] is RefundState.SUCCESS
    assert queries and all(n.startswith("refund-background-") for n in queries), queries
    assert not any(t.name.startswith("refund-follow") for t in threading.enumerate())
    qtbot.waitUntil(lambda: dlg.refundable_label.text() == "¥0.00", timeout=5000)
    refunds.retry = real_retry                               # type: ignore[method-assign]


def test_a_closed_screen_stops_listening_the_service_goes_on(qtbot, world):
    order_id = world.sell(("BREAD", 1))
    dlg = open_refund(qtbot, world, MANAGER, order_id)
    dlg.reason_box.setEditText("顾客退货")
    dlg.submit()
    approve(qtbot, dlg, MANAGER_PIN)
    qtbot.waitUntil(lambda: bool(dlg._following), timeout=10000)   # PROCESSING, followed
    [rid] = dlg._following
    assert rid in world.services.refunds.following()
    shown: list[object] = []
    dlg._update = lambda rec: shown.append(rec)                   # type: ignore[method-assign]
    dlg.reject()
    assert dlg._service_update not in world.services.refunds._subscribers
    qtbot.waitUntil(lambda: world.services.store.get_refund(rid).state is RefundState.SUCCESS,
                    timeout=10000)                              # the service finished it
    qtbot.wait(100)
    assert shown == []                                          # nothing reached the closed screen
