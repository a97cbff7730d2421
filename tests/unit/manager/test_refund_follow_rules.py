"""Refund rules the mutation run of manager/refunds.py found unpinned (issue 17), on the real
SQLite store: the background follow (told once, final, schedule repeats, stops on
shutdown), a throttled refund waits and is re-sent under the same number, Alipay's
three-month window, what each state tells the cashier, refresh without news."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import ALIPAY, AttemptState, PaymentMethod
from pos_app.domain.refund import Refund, RefundState
from pos_app.domain.text import msg
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.refunds import (
    BANK_CARD_DAYS,
    LONG_PROCESSING,
    RefundError,
    RefundService,
    RefundUpdate,
    followed_message,
    refund_deadline,
    refund_message,
    retry_not_before,
)
from pos_app.manager.shop_store import ShopStore
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.gateway import (
    NotFound,
    RefundProgress,
    RefundQuery,
    RefundResult,
    RefundSeen,
    Unknown,
)
from pos_app.storage.refunds import RefundRepository
from pos_app.wechatpay.errors import ApiError, TransportError
from pos_app.wechatpay.models import RefundStatus

from .helpers import (
    T0,
    Clock,
    FakeRefundGateway,
    _new_order,
    _repos,
    all_refunds,
    order,
    refused,
    seeded_store,
)
from .test_refunds import make, req

NATIVE, CASH = PaymentMethod.NATIVE, PaymentMethod.CASH
BEIJING = timedelta(hours=8)


class Waits:
    """The background follow's sleep: records each wait, runs ``on_wait`` (e.g. settle the
    refund), returns False once ``stop_after`` waits have passed."""

    def __init__(self, on_wait=None, stop_after: int = 100) -> None:  # type: ignore[no-untyped-def]
        self.seen: list[float] = []
        self.on_wait = on_wait
        self.stop_after = stop_after
        self.done = threading.Event()

    def __call__(self, s: float) -> bool:
        self.seen.append(s)
        if len(self.seen) > self.stop_after:
            self.done.set()
            return False
        if self.on_wait is not None:
            self.on_wait(len(self.seen))
        return True


def _follower(gw: FakeRefundGateway, waits: Waits, schedule: tuple[float, ...] = (5, 7)
              ) -> tuple[ShopStore, RefundService, Clock]:
    store, clock = seeded_store(), Clock(T0 + timedelta(hours=1))
    numbers = iter(range(1, 1000))
    svc = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store, clock=clock),
                        clock=clock, new_refund_no=lambda _n: f"RFBG{next(numbers):04d}",
                        follow_schedule=schedule, background_wait=waits)
    return store, svc, clock


def _until(cond, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    end = datetime.now(UTC) + timedelta(seconds=timeout)
    while datetime.now(UTC) < end:
        if cond():
            return True
        threading.Event().wait(0.01)
    return bool(cond())


# --------------------------------------------------------------------- background follow


def test_processing_refund_is_followed_until_final_and_told_once() -> None:
    gw = FakeRefundGateway()

    def settle_on_third(n: int) -> None:
        if n == 3:
            gw.settle("RFBG0001", RefundStatus.SUCCESS)

    waits = Waits(settle_on_third)
    store, svc, _ = _follower(gw, waits, schedule=(5, 7))
    told: list[RefundUpdate] = []
    got = threading.Event()
    svc.subscribe(lambda u: (told.append(u), got.set()))
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(400)))
    assert rec.state is RefundState.PROCESSING
    assert got.wait(5), "the background follow told nothing"
    assert _until(lambda: svc.following() == set())
    [update] = told
    assert update.record.refund_id == rec.refund_id
    assert update.record.state is RefundState.SUCCESS and update.record.amount == 400
    assert update.message == msg(ManagerText.REFUND_FOLLOWED_SUCCESS, amount_fen=400,
                                 out_refund_no="RFBG0001")
    assert waits.seen == [5, 7, 7]            # the last wait repeats until final
    assert all_refunds(store)[rec.refund_id].state is RefundState.SUCCESS
    assert [e.detail for e in store.audit_entries("refund.success")] == [
        {"out_refund_no": "RFBG0001", "amount": 400}]
    assert gw.sent == ["RFBG0001"]            # followed by queries, never sent again


def test_follow_stops_when_its_wait_says_stop_and_is_idempotent() -> None:
    gw = FakeRefundGateway()
    release = threading.Event()
    calls: list[float] = []

    def wait(s: float) -> bool:
        calls.append(s)
        release.wait(5)
        return False                         # shutting down: stop without asking again

    store, clock = seeded_store(), Clock(T0 + timedelta(hours=1))
    svc = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store, clock=clock),
                        clock=clock, follow_schedule=(3,), background_wait=wait)
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    assert _until(lambda: calls == [3])
    assert svc.following() == {rec.refund_id}
    svc.follow_in_background(rec.refund_id)   # already followed: no second worker
    release.set()
    assert _until(lambda: svc.following() == set())
    assert calls == [3]
    assert all_refunds(store)[rec.refund_id].state is RefundState.PROCESSING


def test_no_background_follow_after_shutdown_nor_for_final_or_cash_refunds() -> None:
    gw = FakeRefundGateway(create_status=RefundStatus.SUCCESS)
    waits = Waits()
    store, svc, _ = _follower(gw, waits)
    order(store, 1, NATIVE, 1000)
    order(store, 2, CASH, 500)
    [done] = svc.request_refund(req(1, amount=Fen(100)))
    [cash] = svc.request_refund(req(2, amount=Fen(100)))
    assert done.state is RefundState.SUCCESS and cash.state is RefundState.SUCCESS
    assert svc.following() == set() and waits.seen == []
    gw.create_status = RefundStatus.PROCESSING
    svc.shutdown()
    [late] = svc.request_refund(req(1, amount=Fen(100)))
    assert late.state is RefundState.PROCESSING
    assert svc.following() == set() and waits.seen == []


def test_a_failing_subscriber_does_not_stop_the_others_and_unsubscribe_works() -> None:
    gw = FakeRefundGateway()

    def settle(n: int) -> None:
        gw.settle("RFBG0001", RefundStatus.CLOSED)

    waits = Waits(settle)
    store, svc, _ = _follower(gw, waits)
    heard: list[str] = []
    got = threading.Event()

    def dropped(_u: RefundUpdate) -> None:
        heard.append("dropped")

    svc.subscribe(dropped)
    svc.subscribe(lambda u: (heard.append(u.message.key.value), got.set()))
    svc.unsubscribe(dropped)
    svc.unsubscribe(dropped)                 # twice: no error
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    assert got.wait(5)
    assert heard == [ManagerText.REFUND_FOLLOWED_CLOSED.value]
    assert _until(lambda: svc.following() == set())
    assert svc.refundable(1).refundable == 1000      # closed: nothing was refunded
    assert all_refunds(store)[rec.refund_id].state is RefundState.CLOSED


@pytest.mark.logs_errors
def test_a_subscriber_that_raises_is_logged_and_the_next_is_still_told() -> None:
    gw = FakeRefundGateway()
    waits = Waits(lambda n: gw.settle("RFBG0001", RefundStatus.ABNORMAL))
    store, svc, _ = _follower(gw, waits)
    got = threading.Event()
    told: list[RefundUpdate] = []

    def broken(_u: RefundUpdate) -> None:
        raise RuntimeError("subscriber bug")

    svc.subscribe(broken)
    svc.subscribe(lambda u: (told.append(u), got.set()))
    order(store, 1, NATIVE, 1000)
    svc.request_refund(req(1, full=True))
    assert got.wait(5)
    [update] = told
    assert update.record.state is RefundState.ABNORMAL
    assert update.message.key is ManagerText.REFUND_FOLLOWED_ABNORMAL


@pytest.mark.logs_errors
def test_a_storage_hiccup_in_the_background_is_asked_again_next_round() -> None:
    gw = FakeRefundGateway()
    waits = Waits(lambda n: gw.settle("RFBG0001", RefundStatus.SUCCESS) if n == 2 else None)
    store, svc, _ = _follower(gw, waits, schedule=(1,))
    real_get = store.get_refund
    failures = [1]

    def flaky(refund_id: int) -> Refund | None:
        if failures:
            failures.pop()
            raise RuntimeError("database is locked")
        return real_get(refund_id)

    store.get_refund = flaky  # type: ignore[method-assign]
    got = threading.Event()
    svc.subscribe(lambda u: got.set())
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    assert got.wait(5)
    assert waits.seen == [1, 1]
    assert all_refunds(store)[rec.refund_id].state is RefundState.SUCCESS


def test_resume_follows_what_is_still_unfinished_in_the_background() -> None:
    gw = FakeRefundGateway(lose_reply_next=1)
    waits = Waits(stop_after=0)
    store, svc, _ = _follower(gw, waits)
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    assert rec.state is RefundState.PENDING
    assert _until(waits.done.is_set)          # the request itself followed it
    assert _until(lambda: svc.following() == set())
    waits.done.clear()
    [again] = svc.resume()
    assert again.state is RefundState.PROCESSING
    assert _until(waits.done.is_set) and len(waits.seen) == 2


# --------------------------------------------------------------------- throttled


def test_throttled_refund_waits_then_is_sent_again_under_the_same_number() -> None:
    store, gw, svc, clock = make(FakeRefundGateway(
        fail_next=[ApiError(429, "FREQUENCY_LIMITED", "频率限制")]))
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(400)))
    assert rec.state is RefundState.PENDING and gw.refunds == {}
    until = clock.now() + timedelta(seconds=60)
    assert retry_not_before(rec) == until
    shown = f"{(until + BEIJING).replace(tzinfo=None):%H:%M:%S}"
    assert shown == "11:01:00"
    assert refund_message(rec) == msg(ManagerText.REFUND_THROTTLED, at=shown)
    assert svc.refundable(1).refundable == 600        # still taken: it may yet go through
    clock.advance(seconds=59)
    assert svc.retry(rec.refund_id) == rec and gw.sent == [rec.out_refund_no]
    clock.advance(seconds=1)                          # the time the channel asked for
    done = svc.retry(rec.refund_id)
    assert done.state is RefundState.PROCESSING and done.out_refund_no == rec.out_refund_no
    assert gw.sent == [rec.out_refund_no] * 2 and gw.refunds[rec.out_refund_no].refund == 400


def _record(**kw: object) -> Refund:
    base: dict[str, object] = dict(
        refund_id=1, order_id=1, attempt_id=1, method=NATIVE, out_refund_no="RF1",
        out_trade_no="T1", amount=Fen(100), payment_total=Fen(1000), reason="r",
        requested_by="amy", approved_by="boss", created_at=T0, updated_at=T0,
        state=RefundState.PENDING)
    base.update(kw)
    return Refund(**base)  # type: ignore[arg-type]


def test_throttle_note_is_read_only_on_a_pending_refund_with_a_valid_time() -> None:
    at = "2026-11-22T03:01:00+00:00"
    assert retry_not_before(_record(message=f"throttled until {at} x")) == \
        datetime(2026, 11, 22, 3, 1, tzinfo=UTC)
    assert retry_not_before(_record(message="throttled until soon x")) is None
    assert retry_not_before(_record(message=f"throttled until {at} x",
                                    state=RefundState.PROCESSING)) is None
    assert retry_not_before(_record(message=f"timeout; throttled until {at}")) is None
    unreadable = _record(message="throttled until soon")
    assert refund_message(unreadable) == msg(ManagerText.REFUND_PENDING)


# --------------------------------------------------------------------- messages


def test_each_state_tells_the_cashier_what_to_do() -> None:
    processing = _record(state=RefundState.PROCESSING)
    assert refund_message(processing) == msg(ManagerText.REFUND_PROCESSING)
    assert refund_message(processing, T0 + LONG_PROCESSING - timedelta(seconds=1)) == \
        msg(ManagerText.REFUND_PROCESSING)
    assert refund_message(processing, T0 + LONG_PROCESSING) == \
        msg(ManagerText.REFUND_PROCESSING_LONG, days=BANK_CARD_DAYS)
    assert BANK_CARD_DAYS == 3 and timedelta(hours=1) == LONG_PROCESSING
    pending = _record(state=RefundState.PENDING)
    assert refund_message(pending, T0 + timedelta(days=2)) == msg(ManagerText.REFUND_PENDING)
    assert refund_message(_record(state=RefundState.SUCCESS)) == msg(ManagerText.REFUND_SUCCESS)
    assert refund_message(_record(state=RefundState.FAILED)) == msg(ManagerText.REFUND_REFUSED)
    assert refund_message(_record(state=RefundState.FAILED, message="balance: NOT_ENOUGH")) \
        == msg(ManagerText.REFUND_REFUSED_BALANCE)
    assert refund_message(_record(state=RefundState.FAILED, message="PARAM_ERROR bad")) \
        == msg(ManagerText.REFUND_REFUSED_DETAIL, detail="PARAM_ERROR bad")
    # a note on a refund that is not refused is no refusal detail
    assert refund_message(_record(state=RefundState.PENDING, message="timeout")) == \
        msg(ManagerText.REFUND_PENDING)
    # the cash wording only for cash paid out
    assert refund_message(_record(method=CASH, state=RefundState.SUCCESS, amount=Fen(350))) \
        == msg(ManagerText.REFUND_GIVE_BACK_CASH, amount_fen=350)
    assert refund_message(_record(method=NATIVE, state=RefundState.SUCCESS)) == \
        msg(ManagerText.REFUND_SUCCESS)
    # the follow's wording: final states say so with the amount, others as the dialog
    assert followed_message(_record(state=RefundState.SUCCESS)) == msg(
        ManagerText.REFUND_FOLLOWED_SUCCESS, amount_fen=100, out_refund_no="RF1")
    assert followed_message(_record(state=RefundState.FAILED, message="x")) == \
        msg(ManagerText.REFUND_REFUSED_DETAIL, detail="x")


def test_refused_for_balance_is_told_to_top_up() -> None:
    store, gw, svc, _ = make(FakeRefundGateway(fail_next=[ApiError(403, "NOT_ENOUGH", "余额不足")]))
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(300)))
    assert rec.state is RefundState.FAILED and rec.message == "balance: NOT_ENOUGH 余额不足"
    assert [e.detail for e in store.audit_entries("refund.failed")] == [
        {"out_refund_no": rec.out_refund_no, "detail": "NOT_ENOUGH 余额不足"}]
    assert svc.refundable(1).refundable == 1000
    assert svc.retry(rec.refund_id) == rec and gw.sent == [rec.out_refund_no]


# --------------------------------------------------------------------- Alipay window


def test_alipay_refund_deadline_is_three_calendar_months_beijing_time() -> None:
    def bj(y: int, m: int, d: int, h: int = 10) -> datetime:
        return datetime(y, m, d, h, tzinfo=UTC) - BEIJING

    def deadline(paid: datetime) -> datetime:
        return refund_deadline(ALIPAY, paid).astimezone(UTC)

    assert deadline(bj(2026, 1, 15)) == bj(2026, 4, 15)
    assert deadline(bj(2026, 11, 30)) == bj(2027, 2, 28)        # no 30 February
    assert deadline(bj(2027, 11, 30)) == bj(2028, 2, 29)        # leap year
    assert deadline(bj(2026, 9, 10)) == bj(2026, 12, 10)        # still this year
    assert deadline(bj(2026, 10, 31)) == bj(2027, 1, 31)
    assert deadline(bj(2026, 12, 31)) == bj(2027, 3, 31)
    # 23:30 Beijing on 31 Jan is already 31 Jan in Beijing, though 15:30 UTC
    late = datetime(2026, 1, 31, 15, 30, tzinfo=UTC)
    assert deadline(late) == datetime(2026, 4, 30, 15, 30, tzinfo=UTC)
    assert refund_deadline("wechat", late) == late + timedelta(days=365)
    assert refund_deadline("", late) == late + timedelta(days=365)


class AlipayRefunds:
    """A neutral-protocol refund channel that accepts every refund at once."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> RefundResult:
        self.sent.append(out_refund_no)
        return RefundSeen(out_refund_no, RefundProgress.SUCCESS, refund, "ALI" + out_refund_no)

    def query_refund(self, out_refund_no: str, *, out_trade_no: str = "") -> RefundQuery:
        return NotFound()


def _alipay_order(store: ShopStore, order_id: int, total: int, at: datetime) -> None:
    oid = _new_order(store, order_id, at, (), total)
    orders, attempts = _repos(store, at)
    with store.db.transaction() as conn:
        aid = attempts.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY,
                              amount=Fen(total), state=AttemptState.PAID,
                              out_trade_no=f"A{order_id:06d}", channel=ALIPAY)
        from pos_app.domain.order import OrderStatus
        orders.set_status(conn, oid, OrderStatus.PAID, paid_attempt_id=aid)


def test_alipay_refund_goes_to_alipay_and_is_refused_after_three_months() -> None:
    store = seeded_store()
    paid = datetime(2026, 11, 30, 2, tzinfo=UTC)                  # 10:00 Beijing
    clock = Clock(paid + timedelta(days=10))
    ali, wx = AlipayRefunds(), FakeRefundGateway()
    svc = RefundService(store, {ALIPAY: ali, "wechat": WechatChannel(wx, None)},
                        PinAuthenticator(store, clock=clock), clock=clock)
    _alipay_order(store, 1, 1000, paid)
    [rec] = svc.request_refund(req(1, amount=Fen(100)))
    assert rec.channel == ALIPAY and rec.state is RefundState.SUCCESS
    assert ali.sent == [rec.out_refund_no] and wx.sent == []
    assert rec.wechat_refund_id == "ALI" + rec.out_refund_no
    clock.set(datetime(2027, 2, 28, 2, tzinfo=UTC))               # the last moment
    [rec2] = svc.request_refund(req(1, amount=Fen(100)))
    assert rec2.state is RefundState.SUCCESS
    clock.advance(seconds=1)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_TOO_OLD_ALIPAY)):
        svc.request_refund(req(1, amount=Fen(100)))
    assert len(ali.sent) == 2 and svc.refundable(1).refundable == 800


def test_a_refund_through_a_channel_not_enabled_here_is_refused() -> None:
    store = seeded_store()
    clock = Clock(T0 + timedelta(hours=1))
    wx = FakeRefundGateway()
    svc = RefundService(store, WechatChannel(wx, None), PinAuthenticator(store, clock=clock),
                        clock=clock)
    _alipay_order(store, 1, 1000, T0)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_OFFLINE)):
        svc.request_refund(req(1, full=True))
    assert all_refunds(store) == {} and wx.sent == []


# --------------------------------------------------------------------- refresh, apply


def test_refresh_without_news_keeps_the_refund_as_it_is() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    events = len(RefundRepository(store.db).events(rec.refund_id))
    assert svc.refresh(rec.refund_id) == rec            # same state, same channel number
    assert len(RefundRepository(store.db).events(rec.refund_id)) == events

    def unanswered(_no: str) -> object:
        raise TransportError("query timed out")

    real = gw.query_refund
    gw.query_refund = unanswered  # type: ignore[method-assign,assignment]
    assert svc.refresh(rec.refund_id) == rec
    gw.query_refund = lambda _no: None  # type: ignore[method-assign,assignment,return-value]
    assert svc.refresh(rec.refund_id) == rec            # the channel does not know it (yet)
    gw.query_refund = real  # type: ignore[method-assign]
    assert len(RefundRepository(store.db).events(rec.refund_id)) == events
    gw.settle(rec.out_refund_no, RefundStatus.SUCCESS)
    done = svc.refresh(rec.refund_id)
    assert done.state is RefundState.SUCCESS
    assert done.wechat_refund_id == gw.refunds[rec.out_refund_no].refund_id
    assert len(store.audit_entries("refund.success")) == 1
    assert svc.refresh(rec.refund_id) == done            # final: not asked again
    assert len(store.audit_entries("refund.success")) == 1


def test_a_new_channel_refund_number_is_stored_even_in_the_same_state() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    old = gw.refunds[rec.out_refund_no]
    from pos_app.wechatpay.models import Refund as WxRefund
    gw.refunds[rec.out_refund_no] = WxRefund(old.out_refund_no, old.status, old.refund,
                                             old.total, "50NEWNUMBER", old.out_trade_no)
    out = svc.refresh(rec.refund_id)
    assert out.state is RefundState.PROCESSING and out.wechat_refund_id == "50NEWNUMBER"
    assert store.audit_entries("refund.processing") == []   # not final: no audit entry


def test_unknown_refund_and_order_ids_are_refused() -> None:
    store, _gw, svc, _ = make()
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_ORDER_NOT_FOUND)):
        svc.refundable(99)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOT_FOUND)):
        svc.retry(99)
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOT_FOUND)):
        svc.refresh(99)
    assert all_refunds(store) == {}


def test_retry_answered_unknown_stays_pending_with_the_reason() -> None:
    class Unsure:
        def refund(self, **_kw: object) -> RefundResult:
            return Unknown("timeout")

        def query_refund(self, _no: str, *, out_trade_no: str = "") -> RefundQuery:
            return Unknown("query timeout")

    store = seeded_store()
    clock = Clock(T0 + timedelta(hours=1))
    svc = RefundService(store, Unsure(), PinAuthenticator(store, clock=clock), clock=clock,
                        background_wait=lambda _s: False)
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(250)))
    assert rec.state is RefundState.PENDING and rec.message == "timeout"
    out = svc.retry(rec.refund_id)
    assert out.state is RefundState.PENDING and out.message == "query timeout"
    assert svc.refundable(1).refundable == 750


# --------------------------------------------------------------------- limits


def test_follow_asks_every_minute_for_five_minutes_then_at_5_10_20_30_minutes() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    waits: list[float] = []
    out = svc.follow(rec.refund_id, wait=lambda s: waits.append(s) or True)
    assert out.state is RefundState.PROCESSING          # never settled: the schedule ran out
    assert waits == [60, 60, 60, 60, 60, 300, 600, 1200, 1800]
    assert gw.sent == [rec.out_refund_no]


def test_a_reason_of_eighty_characters_is_accepted() -> None:
    store, _gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(100), reason=" " + "x" * 80 + " "))
    assert rec.reason == "x" * 80


def test_the_summary_of_a_split_tender_order_after_refunds() -> None:
    from pos_app.manager.refunds import refundable_for

    store, _gw, svc, _ = make()
    order(store, 1, NATIVE, 1000, split_cash=300)
    svc.request_refund(req(1, amount=Fen(200)))
    summary = svc.refundable(1)
    assert summary.paid == 1000 and summary.refundable == 800
    assert [(p.payment.method, p.refunded, p.refundable, p.refund_count)
            for p in summary.payments] == [(NATIVE, 200, 500, 1), (CASH, 0, 300, 0)]
    # any iterable of refunds will do (read once), not only a list
    refunds = store.refunds_for_order(1)
    assert refundable_for(summary.order, iter(refunds)) == summary
    assert refundable_for(summary.order, (r for r in refunds)).refunds == tuple(refunds)


def test_a_free_line_carries_none_of_the_order_total() -> None:
    store, _gw, svc, _ = make()
    order(store, 1, NATIVE, 1000, lines=(("赠品", 1, 0), ("商品", 2, 1000)))
    assert [lr.value for lr in svc.refundable(1).lines] == [0, 1000]
    assert svc.quote(1, {1: 1}) == 0 and svc.quote(1, {2: 1}) == 500
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOTHING_TO_REFUND)):
        svc.request_refund(req(1, lines={1: 1}))


def _paid_in_turn(store: ShopStore, order_id: int,
                  parts: tuple[tuple[PaymentMethod, int], ...],
                  minutes: tuple[int, ...] = (0, 1)) -> list[int]:
    """Order ``order_id`` paid by ``parts`` (stored in that order, ids ascending), each
    paid at ``T0 + minutes[i]``."""
    total = sum(a for _, a in parts)
    oid = _new_order(store, order_id, T0, (), total)
    ids = []
    for i, (method, amount) in enumerate(parts):
        _, attempts = _repos(store, T0 + timedelta(minutes=minutes[i]))
        with store.db.transaction() as conn:
            ids.append(attempts.insert(conn, order_id=oid, method=method, amount=Fen(amount),
                                       state=AttemptState.PAID,
                                       out_trade_no=f"T{order_id:06d}-{i + 1}"))
    from pos_app.domain.order import OrderStatus
    orders, _ = _repos(store, T0)
    with store.db.transaction() as conn:
        orders.set_status(conn, oid, OrderStatus.PAID, paid_attempt_id=ids[0])
    return ids


def test_a_refund_goes_back_to_wechat_first_even_when_cash_was_taken_first() -> None:
    store, _gw, svc, _ = make()
    cash, wx = _paid_in_turn(store, 1, ((CASH, 300), (NATIVE, 700)))
    recs = svc.request_refund(req(1, amount=Fen(500)))
    assert [(r.attempt_id, r.method, r.amount) for r in recs] == [(wx, NATIVE, 500)]
    recs = svc.request_refund(req(1, amount=Fen(400)))
    assert [(r.attempt_id, r.amount) for r in recs] == [(wx, 200), (cash, 200)]


def test_of_two_wechat_payments_the_earlier_one_is_refunded_first() -> None:
    store, _gw, svc, _ = make()
    later, earlier = _paid_in_turn(store, 1, ((NATIVE, 600), (PaymentMethod.CODEPAY, 400)),
                                   minutes=(5, 1))       # the later one stored first
    recs = svc.request_refund(req(1, amount=Fen(700)))
    assert [(r.attempt_id, r.amount) for r in recs] == [(earlier, 400), (later, 300)]


def test_bad_line_requests_are_refused_with_nothing_stored() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000, lines=(("可乐", 2, 600), ("面包", 1, 400)))
    for lines in ({3: 1}, {1: True}, {1: 1.0}, {1: -1}, {1: "1"}):
        with pytest.raises(RefundError, match=refused(ManagerText.REFUND_INVALID_LINE)):
            svc.request_refund(req(1, lines=lines))
        with pytest.raises(RefundError, match=refused(ManagerText.REFUND_INVALID_LINE)):
            svc.quote(1, lines)  # type: ignore[arg-type]
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOTHING_TO_REFUND)):
        svc.request_refund(req(1, lines={1: 0, 2: 0}))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOTHING_TO_REFUND)):
        svc.request_refund(req(1, amount=Fen(0)))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_NOTHING_TO_REFUND)):
        svc.request_refund(req(1, amount=Fen(-100)))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_AMOUNT_NOT_FEN)):
        svc.request_refund(req(1, amount=True))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_CHOOSE_MODE)):
        svc.request_refund(req(1))
    with pytest.raises(RefundError, match=refused(ManagerText.REFUND_CHOOSE_MODE)):
        svc.request_refund(req(1, lines={1: 1}, amount=Fen(300)))
    assert all_refunds(store) == {} and gw.sent == []
    # a line of quantity 0 next to a real one is left out of the record
    [rec] = svc.request_refund(req(1, lines={1: 0, 2: 1}))
    assert rec.lines == ((2, 1),) and rec.amount == 400


def test_the_default_background_wait_follows_and_shutdown_wakes_it() -> None:
    gw = FakeRefundGateway()
    store, clock = seeded_store(), Clock(T0 + timedelta(hours=1))
    svc = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store, clock=clock),
                        clock=clock, follow_schedule=(0.05,))
    got = threading.Event()
    svc.subscribe(lambda u: got.set())
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(100)))
    gw.settle(rec.out_refund_no, RefundStatus.SUCCESS)
    assert got.wait(5), "the default wait never let the follow ask again"
    assert all_refunds(store)[rec.refund_id].state is RefundState.SUCCESS
    slow = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store, clock=clock),
                         clock=clock, follow_schedule=(600,))
    [rec2] = slow.request_refund(req(1, amount=Fen(100)))
    assert slow.following() == {rec2.refund_id}
    slow.shutdown()                               # wakes the ten-minute wait at once
    assert _until(lambda: slow.following() == set())
    assert all_refunds(store)[rec2.refund_id].state is RefundState.PROCESSING


def test_follow_stops_asking_when_its_wait_says_stop() -> None:
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    waits: list[float] = []

    def stop_after_settling(s: float) -> bool:
        waits.append(s)
        gw.settle(rec.out_refund_no, RefundStatus.SUCCESS)
        return False

    out = svc.follow(rec.refund_id, wait=stop_after_settling)
    assert waits == [60]
    assert out.state is RefundState.PROCESSING          # not asked again after the stop
    assert all_refunds(store)[rec.refund_id].state is RefundState.PROCESSING


def test_a_scanned_or_typed_key_is_found_without_its_surrounding_spaces() -> None:
    store, _gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    order(store, 2, CASH, 500)
    for key, oid in ((" T000001-1\n", 1), ("\t4200000000001 ", 1), (" 2 ", 2)):
        found = svc.find_order(key)
        assert found is not None and found.order_id == oid, key


def test_a_refund_that_cannot_be_done_is_refused_before_the_pin_is_checked() -> None:
    """The manager is not asked for (nor locked out by) a PIN for a refund that would be
    refused anyway."""
    from pos_app.manager.pins import AuthError

    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    for _ in range(6):        # more wrong PINs than the lock-out allows
        with pytest.raises(RefundError, match=refused(ManagerText.REFUND_EXCEEDS_REFUNDABLE)):
            svc.request_refund(req(1, amount=Fen(1001), manager_pin="0000"))
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_WRONG_PIN_TRIES_LEFT)):
        svc.request_refund(req(1, amount=Fen(100), manager_pin="0000"))
    [rec] = svc.request_refund(req(1, amount=Fen(100)))
    assert rec.amount == 100 and gw.sent == [rec.out_refund_no]


def test_a_final_refund_is_not_asked_about_again() -> None:
    """ABNORMAL is final here (handled in the merchant portal); the channel may later say
    SUCCESS for it — refresh neither asks nor fails on a transition the table forbids."""
    store, gw, svc, _ = make()
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    gw.settle(rec.out_refund_no, RefundStatus.ABNORMAL)
    ab = svc.refresh(rec.refund_id)
    assert ab.state is RefundState.ABNORMAL
    asked: list[str] = []
    real = gw.query_refund

    def counted(no: str):  # type: ignore[no-untyped-def]
        asked.append(no)
        return real(no)

    gw.query_refund = counted  # type: ignore[method-assign]
    gw.settle(rec.out_refund_no, RefundStatus.SUCCESS)
    assert svc.refresh(rec.refund_id) == ab and svc.retry(rec.refund_id) == ab
    assert asked == [] and svc.refundable(1).refundable == 0


def test_resume_does_not_follow_a_refund_it_found_final() -> None:
    gw = FakeRefundGateway(lose_reply_next=1)
    waits = Waits(stop_after=0)
    store, svc, _ = _follower(gw, waits)
    told: list[RefundUpdate] = []
    svc.subscribe(told.append)
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, full=True))
    assert _until(waits.done.is_set) and _until(lambda: svc.following() == set())
    gw.settle(rec.out_refund_no, RefundStatus.SUCCESS)
    [done] = svc.resume()
    assert done.state is RefundState.SUCCESS
    assert svc.following() == set() and len(waits.seen) == 1 and told == []


def test_a_background_follow_never_keeps_the_till_from_quitting() -> None:
    """The follow worker is a daemon thread: quitting without shutdown() (a crash path)
    is not held up by a ten-minute wait; the refund is resumed at the next start."""
    gw = FakeRefundGateway()
    store, clock = seeded_store(), Clock(T0 + timedelta(hours=1))
    svc = RefundService(store, WechatChannel(gw, None), PinAuthenticator(store, clock=clock),
                        clock=clock, follow_schedule=(600,))
    order(store, 1, NATIVE, 1000)
    before = set(threading.enumerate())
    [rec] = svc.request_refund(req(1, amount=Fen(100)))
    [worker] = [t for t in threading.enumerate() if t not in before
                and t.name == f"refund-background-{rec.refund_id}"]
    assert worker.daemon
    svc.shutdown()
    worker.join(5)
    assert not worker.is_alive()


def test_a_throttle_note_is_kept_to_300_characters_and_still_read() -> None:
    from pos_app.payments.gateway import RefundThrottled

    class Chatty:
        def refund(self, **_kw: object) -> RefundResult:
            return RefundThrottled("限" * 400, 90)

        def query_refund(self, _no: str, *, out_trade_no: str = "") -> RefundQuery:
            return NotFound()

    store = seeded_store()
    clock = Clock(T0 + timedelta(hours=1))
    svc = RefundService(store, Chatty(), PinAuthenticator(store, clock=clock), clock=clock,
                        background_wait=lambda _s: False)
    order(store, 1, NATIVE, 1000)
    [rec] = svc.request_refund(req(1, amount=Fen(100)))
    assert rec.state is RefundState.PENDING and len(rec.message) == 300
    assert rec.message.endswith("限") and rec.message.startswith("throttled until ")
    assert retry_not_before(rec) == clock.now() + timedelta(seconds=90)
