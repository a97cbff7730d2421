"""X and Z list the refunds owed for sales paid twice (issue 16): one line per order
still owed money back — its number, the channel, what is owed — in the text and the CSV,
whatever shift it was sold in; once given back it is gone. Labels are rendered as their
keys, the layout re-derived here (the style of test_report_figures.py)."""

from __future__ import annotations

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.text import Message
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.refunds import RefundRequest, RefundService
from pos_app.manager.reports import render_text, report_csv
from pos_app.manager.shifts import ShiftService
from pos_app.manager.shop_store import ShopStore
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.storage.payments import PaymentAttemptRepository

from .helpers import MANAGER_PIN, T0, Clock, FakeRefundGateway, order, seeded_store

W = 48
NATIVE = PaymentMethod.NATIVE


def key(message: Message) -> str:
    return message.key.value


def line(left: str, right: str) -> str:
    return left + " " * max(1, W - len(left) - len(right)) + right


def _paid_again(store: ShopStore, order_id: int, amount: int, channel: str,
                clock: Clock) -> int:
    """The same sale paid a second time (the storage's double payment)."""
    attempts = PaymentAttemptRepository(store.db, clock)
    with store.db.transaction() as conn:
        aid = attempts.insert(conn, order_id=order_id, method=NATIVE, amount=Fen(amount),
                              out_trade_no=f"T{order_id:06d}-2", channel=channel)
    attempts.transition(aid, AttemptState.PAID, transaction_id=f"2026{order_id:08d}")
    return aid


def _day():  # type: ignore[no-untyped-def]
    """Order 1 paid twice before the shift (Alipay second), order 3 paid twice in it
    (WeChat Pay second), order 2 paid once."""
    store, clock = seeded_store(), Clock(T0)
    auth = PinAuthenticator(store, clock=clock)
    gateways = {"wechat": FakeRefundGateway(), "alipay": FakeRefundGateway()}
    refunds = RefundService(store, {k: WechatChannel(g, None) for k, g in gateways.items()},
                            auth, clock=clock)
    shifts = ShiftService(store, auth, clock=clock)
    order(store, 1, NATIVE, 1380, at=clock.now())
    _paid_again(store, 1, 1380, "alipay", clock)
    clock.advance(minutes=10)
    shifts.open("amy", Fen(10000))
    clock.advance(minutes=1)
    order(store, 2, NATIVE, 500, at=clock.now())
    order(store, 3, NATIVE, 250, at=clock.now())
    _paid_again(store, 3, 250, "wechat", clock)
    clock.advance(minutes=5)
    return store, clock, refunds, shifts


def _owed_block(*rows: tuple[str, str]) -> list[str]:
    return ["-" * W, "report.owed", *(line(left, right) for left, right in rows)]


def _block_in(text: str) -> list[str]:
    """The report's owed block (the rule before it, its title, its lines)."""
    lines = text.splitlines()
    if "report.owed" not in lines:
        return []
    at = lines.index("report.owed")
    end = next(i for i in range(at + 1, len(lines)) if not lines[i].startswith(" #"))
    return lines[at - 1:end]


@pytest.mark.logs_errors          # storage logs each double payment as an ERROR
def test_x_lists_every_order_still_owed_and_drops_it_once_given_back() -> None:
    _store, clock, refunds, shifts = _day()
    x = shifts.x_report("boss")
    text = render_text(x, render=key, width=W)
    assert _block_in(text) == _owed_block((" #1 report.channel.alipay", "13.80"),
                                          (" #3 report.channel.wechat", "2.50"))
    # between the refunds (in progress) and the net, where a manager reads on
    lines = text.splitlines()
    assert lines.index("report.refunds") < lines.index("report.owed") < lines.index("report.net")
    rows = report_csv(x).split("\r\n")
    sid = x.shift.shift_id
    owed_rows = [r for r in rows if ",refund_owed," in r]
    assert owed_rows == [f"X,{sid},refund_owed,1 alipay,1,1380,13.80",
                         f"X,{sid},refund_owed,3 wechat,1,250,2.50"]
    assert rows.index(owed_rows[0]) == next(
        i for i, r in enumerate(rows) if ",refunds_in_progress," in r) + 1
    # given back in part, then whole: the line follows what is still owed, then goes
    refunds.request_refund(RefundRequest(1, "amy", "boss", MANAGER_PIN, "重复付款",
                                         amount=Fen(380), attempt_id=2))
    clock.advance(minutes=1)
    text = render_text(shifts.x_report("boss"), render=key, width=W)
    assert _block_in(text) == _owed_block((" #1 report.channel.alipay", "10.00"),
                                          (" #3 report.channel.wechat", "2.50"))
    refunds.request_refund(RefundRequest(1, "amy", "boss", MANAGER_PIN, "重复付款",
                                         double_payment=True))
    refunds.request_refund(RefundRequest(3, "amy", "boss", MANAGER_PIN, "重复付款",
                                         double_payment=True))
    clock.advance(minutes=1)
    x = shifts.x_report("boss")
    assert x.owed_refunds == () and _block_in(render_text(x, render=key, width=W)) == []
    assert not [r for r in report_csv(x).split("\r\n") if ",refund_owed," in r]


@pytest.mark.logs_errors
def test_z_lists_what_is_still_owed_at_the_close() -> None:
    _store, clock, refunds, shifts = _day()
    refunds.request_refund(RefundRequest(1, "amy", "boss", MANAGER_PIN, "重复付款",
                                         double_payment=True))
    clock.advance(minutes=30)
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(10000))
    assert [(o.order_no, o.channel, o.amount) for o in z.owed_refunds] == [("3", "wechat", 250)]
    assert _block_in(render_text(z, render=key, width=W)) == _owed_block(
        (" #3 report.channel.wechat", "2.50"))
    sid = z.shift.shift_id
    assert [r for r in report_csv(z).split("\r\n") if ",refund_owed," in r] == [
        f"Z,{sid},refund_owed,3 wechat,1,250,2.50"]
