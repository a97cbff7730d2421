"""How a payment ends for each answer the channel can give — the branches of the workflow
that no test reached before the full mutation run of payments/workflow.py (issue 17).

A scripted channel answers in the neutral vocabulary (each queue entry is an answer, or an
exception the channel raises: a bug below the adapter); the real SQLite store, the real
till and workflow, the manual clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState as S
from pos_app.domain.payment import PaymentMethod
from pos_app.payments.gateway import (
    AwaitingCustomer,
    ChargeResult,
    Closed,
    CloseResult,
    NotFound,
    Open,
    Paid,
    PayFailed,
    QrIssued,
    QrResult,
    RefundQuery,
    RefundResult,
    Rejected,
    Retry,
    Reversed,
    ReverseResult,
    TradeBill,
    TradeStatus,
    Unknown,
)
from pos_app.payments.ids import out_trade_no
from pos_app.payments.messages import PaymentText, from_stored
from pos_app.payments.till import TillService
from tests.unit.payments.conftest import Harness

CODE = "134567890123456789"
T1 = "4200000000000000000001"


def _answer(queue: list[object], default: object) -> object:
    item = queue.pop(0) if queue else default
    if isinstance(item, BaseException):
        raise item
    return item


@dataclass
class Script:
    charge: list[object] = field(default_factory=list)
    status: list[object] = field(default_factory=list)
    reverses: list[object] = field(default_factory=list)
    closes: list[object] = field(default_factory=list)
    prepays: list[object] = field(default_factory=list)
    status_default: object = field(default_factory=Open)
    calls: list[str] = field(default_factory=list)

    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> QrResult:
        self.calls.append("native_prepay")
        return _answer(self.prepays, QrIssued("weixin://wxpay/bizpayurl?pr=abc"))  # type: ignore[return-value]

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> ChargeResult:
        self.calls.append("codepay")
        return _answer(self.charge, Unknown("script exhausted"))  # type: ignore[return-value]

    def query(self, out_trade_no: str) -> TradeStatus:
        self.calls.append("query")
        return _answer(self.status, self.status_default)  # type: ignore[return-value]

    def close(self, out_trade_no: str) -> CloseResult:
        self.calls.append("close")
        return _answer(self.closes, Closed())  # type: ignore[return-value]

    def reverse(self, out_trade_no: str) -> ReverseResult:
        self.calls.append("reverse")
        return _answer(self.reverses, Reversed())  # type: ignore[return-value]

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> RefundResult:
        raise NotImplementedError

    def query_refund(self, out_refund_no: str) -> RefundQuery:
        raise NotImplementedError

    def trade_bill(self, bill_date: date) -> TradeBill:
        raise NotImplementedError


def _till(tmp_path: Path, ch: Script) -> Harness:
    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, ch, clock=h.clock, waiter=h.waiter)  # type: ignore[arg-type]
    h.till.subscribe(h._on_event)
    h.till.recover()
    return h


def _pay(tmp_path: Path, ch: Script, start: Callable[[TillService, int], int],
         on_wait: Callable[[Harness, int], None] | None = None) -> tuple[Harness, int]:
    h = _till(tmp_path, ch)
    aid_box: list[int] = []
    if on_wait is not None:
        h.waiter.on_wait = lambda _s: on_wait(h, aid_box[0]) if aid_box else None
    oid = h.order(price=300)
    aid_box.append(start(h.till, oid))
    h.run()
    return h, aid_box[0]


def _key(h: Harness, aid: int) -> object:
    a = h.till.attempt(aid)
    assert a is not None
    m = from_stored(a.message)
    return None if m is None else m.key


def _cancel_at_once(h: Harness, aid: int) -> None:
    h.till.cancel(aid)


def _notes(h: Harness, aid: int) -> list[str]:
    return [e.note for e in h.till.attempt_events(aid)]


# ------------------------------------------------------------------ coupons on a paid attempt


def test_a_coupon_paid_part_is_stored_with_the_payment(tmp_path: Path) -> None:
    ch = Script(charge=[Paid(T1, total=Fen(300), payer_total=Fen(250),
                             discount_total=Fen(50), merchant_discount=Fen(30))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.amount == 300
    assert (a.payer_total, a.coupon, a.merchant_coupon) == (250, 50, 30)
    h.till.shutdown()


def test_the_merchant_funded_part_never_exceeds_the_coupon(tmp_path: Path) -> None:
    ch = Script(charge=[Paid(T1, total=Fen(300), payer_total=Fen(250),
                             discount_total=Fen(50), merchant_discount=Fen(80))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and (a.payer_total, a.coupon, a.merchant_coupon) == (250, 50, 50)
    h.till.shutdown()


def test_a_coupon_without_the_payer_total_is_still_stored(tmp_path: Path) -> None:
    ch = Script(charge=[Paid(T1, total=Fen(300), discount_total=Fen(20),
                             merchant_discount=Fen(-5))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID
    assert (a.payer_total, a.coupon, a.merchant_coupon) == (None, 20, 0)
    h.till.shutdown()


def test_a_paid_answer_missing_its_figures_takes_them_and_the_coupons_from_a_query(
        tmp_path: Path) -> None:
    ch = Script(charge=[Paid()],     # "paid", but no trade number, total or coupons
                status=[Paid(T1, total=Fen(300), payer_total=Fen(250), discount_total=Fen(50),
                             merchant_discount=Fen(50))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.transaction_id == T1
    assert (a.payer_total, a.coupon, a.merchant_coupon) == (250, 50, 50)
    assert ch.calls == ["codepay", "query"]
    h.till.shutdown()


def test_a_qr_the_close_found_paid_takes_its_coupons_from_a_query(tmp_path: Path) -> None:
    from pos_app.payments.gateway import AlreadyPaid
    ch = Script(closes=[AlreadyPaid()],
                status=[Paid(T1, total=Fen(300), payer_total=Fen(280), discount_total=Fen(20))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.transaction_id == T1
    assert (a.payer_total, a.coupon, a.merchant_coupon) == (280, 20, 0)
    h.till.shutdown()


def test_a_code_paid_at_once_is_paid_not_paid_late(tmp_path: Path) -> None:
    ch = Script(charge=[Paid(T1, total=Fen(300))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    assert _key(h, aid) is PaymentText.PAID
    assert [e.paid_late for e in h.events if e.attempt_id == aid and e.state is S.PAID] == [
        False]
    h.till.shutdown()


def test_a_payment_without_coupons_stores_the_payer_total_alone(tmp_path: Path) -> None:
    ch = Script(charge=[Paid(T1, total=Fen(300), payer_total=Fen(300))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and (a.payer_total, a.coupon, a.merchant_coupon) == (300, 0, 0)
    h.till.shutdown()


# ------------------------------------------------------------------ payment code


def test_a_refusal_keeps_a_short_masked_detail(tmp_path: Path) -> None:
    from pos_app.payments.gateway import RefusalReason, Refused
    ch = Script(charge=[Refused(RefusalReason.OTHER, f"code {CODE} " + "x" * 1000)])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.FAILED
    assert len(a.last_error) == 300 and CODE not in a.last_error
    assert a.last_error.startswith("code " + CODE[:4])
    h.till.shutdown()


def test_a_charge_that_crashed_below_the_channel_is_checked_not_sent_again(
        tmp_path: Path) -> None:
    ch = Script(charge=[RuntimeError("adapter bug")], status=[Paid(T1, total=Fen(300))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.transaction_id == T1
    assert ch.calls.count("codepay") == 1 and "reverse" not in ch.calls
    assert any("RuntimeError" in n for n in _notes(h, aid))
    h.till.shutdown()


def test_a_code_payment_that_failed_at_once_is_reversed_without_asking_first(
        tmp_path: Path) -> None:
    ch = Script(charge=[PayFailed("bank declined")])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.REVERSED
    assert _key(h, aid) is PaymentText.REVERSED_PAYERROR
    assert ch.calls == ["codepay", "reverse"]
    h.till.shutdown()


def test_cancel_of_a_code_payment_the_channel_already_reversed_needs_no_reverse(
        tmp_path: Path) -> None:
    ch = Script(charge=[AwaitingCustomer()], status=[Reversed()])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.REVERSED
    assert _key(h, aid) is PaymentText.REVERSED_CANCELLED
    assert "reverse" not in ch.calls
    h.till.shutdown()


def test_a_reverse_refused_for_good_but_reversed_by_the_channel_ends_reversed(
        tmp_path: Path) -> None:
    ch = Script(charge=[PayFailed("bank declined")], reverses=[Rejected("too late")],
                status=[Reversed()])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.REVERSED
    assert _key(h, aid) is PaymentText.REVERSED_PAYERROR
    assert ch.calls == ["codepay", "reverse", "query"]
    h.till.shutdown()


# ------------------------------------------------------------------ QR close


def test_a_close_that_crashed_is_tried_again_and_the_error_kept(tmp_path: Path) -> None:
    ch = Script(closes=[RuntimeError("adapter bug"), Closed()], status=[Closed()])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    assert ch.calls.count("close") == 2
    assert any(n.startswith("close retry: RuntimeError") for n in _notes(h, aid))
    h.till.shutdown()


def test_a_qr_paid_while_every_close_failed_ends_paid_late(tmp_path: Path) -> None:
    ch = Script(closes=[Retry("busy")] * 10, status=[Paid(T1, total=Fen(300))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.transaction_id == T1
    assert _key(h, aid) is PaymentText.PAID_LATE
    assert [e.paid_late for e in h.events if e.attempt_id == aid and e.state is S.PAID] == [
        True]
    h.till.shutdown()


def test_a_qr_closed_by_the_channel_while_every_close_failed_ends_closed(
        tmp_path: Path) -> None:
    ch = Script(closes=[Retry("busy")] * 10, status=[Closed()])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    assert _key(h, aid) is PaymentText.CLOSED_CANCELLED
    h.till.shutdown()


def test_a_qr_paid_just_after_the_cashier_closed_it_ends_paid_late(tmp_path: Path) -> None:
    ch = Script(closes=[Closed()], status=[Paid(T1, total=Fen(300))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.transaction_id == T1
    assert _key(h, aid) is PaymentText.PAID_LATE
    h.till.shutdown()


def test_an_expired_qr_whose_close_cannot_be_confirmed_is_uncertain(tmp_path: Path) -> None:
    """The QR expired unpaid and was closed, but the confirming query fails: unknown."""
    class AfterClose(Script):
        def query(self, out_trade_no: str) -> TradeStatus:
            if "close" in self.calls:
                self.calls.append("query")
                return Unknown("network down")
            return super().query(out_trade_no)

    ch = AfterClose()
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    assert _key(h, aid) is PaymentText.UNCERTAIN_CLOSE
    assert "network down" in a.last_error
    h.till.shutdown()


# ------------------------------------------------------------------ recovery


def _leftover(h: Harness, method: PaymentMethod) -> int:
    oid = h.order(price=300)
    with h.db.transaction() as conn:
        seq = h.till.attempts.next_sequence(conn)
        return h.till.attempts.insert(
            conn, order_id=oid, method=method, amount=Fen(300),
            out_trade_no=out_trade_no("C" if method is PaymentMethod.CASH else "P",
                                      h.clock.now(), "01", seq))


def test_an_unfinished_cash_payment_found_at_start_up_is_failed(tmp_path: Path) -> None:
    ch = Script()
    h = Harness(tmp_path)          # the till has not recovered yet: a leftover of a crash
    aid = _leftover(h, PaymentMethod.CASH)
    h.till.shutdown()
    h.till = TillService(h.db, ch, clock=h.clock, waiter=h.waiter)  # type: ignore[arg-type]
    events = h.till.recover()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.FAILED
    assert _key(h, aid) is PaymentText.CASH_UNFINISHED
    assert [e.state for e in events if e.attempt_id == aid] == [S.FAILED]
    assert ch.calls == []           # cash never asks a channel
    h.till.shutdown()


def test_an_unfinished_code_payment_the_channel_reversed_is_reversed_at_start_up(
        tmp_path: Path) -> None:
    ch = Script(status=[Reversed()])
    h = Harness(tmp_path)
    aid = _leftover(h, PaymentMethod.CODEPAY)
    h.till.shutdown()
    h.till = TillService(h.db, ch, clock=h.clock, waiter=h.waiter)  # type: ignore[arg-type]
    h.till.recover()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.REVERSED
    assert _key(h, aid) is PaymentText.REVERSED_UNKNOWN
    assert ch.calls == ["query"]
    h.till.shutdown()


def test_the_password_wait_is_shown_before_the_first_query(tmp_path: Path) -> None:
    ch = Script(charge=[AwaitingCustomer()], status=[Paid(T1, total=Fen(300))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    assert h.states(aid) == ["created", "awaiting", "paid"]
    h.till.shutdown()


def test_a_customer_who_pays_by_the_last_poll_before_the_deadline_is_paid_not_reversed(
        tmp_path: Path) -> None:
    """Codepay polls at 0.5 … 31, 36, 41 s; with a 41 s deadline the poll at 41 s still
    happens, and a customer who finished at 40 s is seen paid there."""
    from pos_app.payments.policy import PollPolicy

    class PaysAt40(Script):
        start = None

        def query(self, out_trade_no: str) -> TradeStatus:
            self.calls.append("query")
            assert self.start is not None
            if (h.clock.monotonic() - self.start) >= 40:
                return Paid(T1, total=Fen(300))
            return AwaitingCustomer()

        def codepay(self, **kw: object) -> ChargeResult:  # type: ignore[override]
            self.start = h.clock.monotonic()
            self.calls.append("codepay")
            return AwaitingCustomer()

    ch = PaysAt40()
    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, ch, clock=h.clock, waiter=h.waiter,  # type: ignore[arg-type]
                         policy=PollPolicy(codepay_deadline=41.0))
    h.till.subscribe(h._on_event)
    h.till.recover()
    aid = h.till.pay_code(h.order(price=300), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.transaction_id == T1
    assert "reverse" not in ch.calls
    h.till.shutdown()



# ------------------------------------------------------------------ reverse retries


def test_every_reverse_retry_is_in_the_attempts_history(tmp_path: Path) -> None:
    ch = Script(charge=[PayFailed("declined")],
                reverses=[RuntimeError("adapter bug"), Retry("busy"),
                          Retry("call again", error=False), Reversed()])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.REVERSED
    notes = _notes(h, aid)
    assert any(n.startswith("reverse retry: RuntimeError: adapter bug") for n in notes)
    assert "reverse retry: busy" in notes and "reverse call again" in notes
    h.till.shutdown()


def test_a_reverse_refused_while_the_customer_keeps_paying_ends_uncertain_saying_so(
        tmp_path: Path) -> None:
    ch = Script(charge=[PayFailed("declined")], reverses=[AwaitingCustomer()] * 20,
                status_default=AwaitingCustomer())
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    assert _key(h, aid) is PaymentText.UNCERTAIN_REVERSE
    assert a.last_error == "reverse refused: customer paying"
    assert "reverse retry: reverse refused: customer paying" in _notes(h, aid)
    h.till.shutdown()


def test_a_reverse_only_ever_asked_to_call_again_ends_uncertain_without_an_error_text(
        tmp_path: Path) -> None:
    ch = Script(charge=[PayFailed("declined")],
                reverses=[Retry("call again", error=False)] * 20, status_default=Open())
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    assert a.last_error == "reverse failed"
    h.till.shutdown()


def test_a_reverse_refused_for_good_on_an_order_the_customer_paid_ends_paid(
        tmp_path: Path) -> None:
    ch = Script(charge=[PayFailed("declined")], reverses=[Rejected("too late")],
                status=[Paid(T1, total=Fen(300))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.transaction_id == T1
    assert ch.calls == ["codepay", "reverse", "query"]
    h.till.shutdown()


# ------------------------------------------------------------------ QR prepay


def test_a_qr_request_that_never_left_the_till_keeps_why(tmp_path: Path) -> None:
    from pos_app.payments.gateway import NotSent
    ch = Script(prepays=[NotSent("connection refused")])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.FAILED
    assert a.last_error == "connection refused"
    h.till.shutdown()


def test_qr_requests_with_unknown_outcomes_are_retried_then_closed_keeping_why(
        tmp_path: Path) -> None:
    ch = Script(prepays=[Unknown("timeout 1"), Unknown("timeout 2"), Unknown("timeout 3")])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o))
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    assert _key(h, aid) is PaymentText.CLOSED_PREPAY_FAILED
    assert ch.calls.count("native_prepay") == 3
    notes = _notes(h, aid)
    assert [n for n in notes if n.startswith("prepay retry")] == [
        "prepay retry: timeout 1", "prepay retry: timeout 2", "prepay retry: timeout 3"]
    assert h.waiter.total_waited >= 3.0          # 1 s, then 2 s between the tries
    h.till.shutdown()


def test_a_cancel_while_a_qr_request_is_retried_stops_the_retries(tmp_path: Path) -> None:
    ch = Script(prepays=[Unknown("timeout 1"), Unknown("timeout 2"), Unknown("timeout 3")])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    assert _key(h, aid) is PaymentText.CLOSED_CANCELLED
    assert ch.calls.count("native_prepay") == 1
    h.till.shutdown()


# ------------------------------------------------------------------ close retries


def test_close_retries_wait_one_two_five_seconds(tmp_path: Path) -> None:
    ch = Script(closes=[Retry("busy")] * 3 + [Closed()], status=[Closed()])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    assert ch.calls.count("close") == 4
    assert h.waiter.total_waited == 0.5 + 1 + 2 + 5    # the first poll wait, then 1, 2, 5
    assert "closed; confirmed Closed" in _notes(h, aid)
    h.till.shutdown()


def test_a_close_answered_not_found_is_noted_so(tmp_path: Path) -> None:
    ch = Script(closes=[NotFound()], status=[Closed()])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    assert "close: order not found; confirmed Closed" in _notes(h, aid)
    h.till.shutdown()


def test_closes_that_keep_failing_end_uncertain_with_the_last_reason(tmp_path: Path) -> None:
    ch = Script(closes=[Retry("busy 1"), Retry("busy 2"), Retry("busy 3"), Retry("busy 4")],
                status_default=Open())
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.UNCERTAIN
    assert _key(h, aid) is PaymentText.UNCERTAIN_CLOSE
    assert a.last_error == "busy 4"
    assert "close retry: busy 1" in _notes(h, aid)
    h.till.shutdown()


def test_a_close_refused_for_good_is_not_retried(tmp_path: Path) -> None:
    ch = Script(closes=[Rejected("refused")], status=[Closed()])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_native(o), on_wait=_cancel_at_once)
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CLOSED
    assert ch.calls.count("close") == 1
    h.till.shutdown()


def test_a_close_is_confirmed_by_queries_every_half_second_then_second_for_ten_seconds(
        tmp_path: Path) -> None:
    """A close answered while the order still looks open (the channel's lag): the lane
    queries at 0, 0.5 … 2, 3 … 10 s after the close, then leaves it uncertain for the
    re-check at time_expire."""
    times: list[float] = []
    closed_at: list[float] = []
    settled: list[bool] = []

    class Lagging(Script):
        def close(self, out_trade_no: str) -> CloseResult:
            closed_at.append(h.clock.monotonic())
            return super().close(out_trade_no)

        def query(self, out_trade_no: str) -> TradeStatus:
            if closed_at and not settled:
                times.append(h.clock.monotonic() - closed_at[0])
            return super().query(out_trade_no)

    ch = Lagging(status_default=Open())
    h = _till(tmp_path, ch)

    def on_event(e) -> None:  # type: ignore[no-untyped-def]
        if e.state is S.UNCERTAIN:
            settled.append(True)
    h.till.subscribe(on_event)
    h.waiter.on_wait = lambda _s: [h.till.cancel(a.id) for a in h.till.unfinished_attempts()]
    aid = h.till.pay_native(h.order(price=300))
    h.run()
    assert times == [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    # the re-check at time_expire (no real wait here) finds it unpaid and closes it
    assert _wait_until(lambda: (h.till.attempt(aid) or S).state is S.CLOSED)  # type: ignore[union-attr]
    h.run()
    h.till.shutdown()


# ------------------------------------------------------------------ a code payment the channel
# does not know (yet): sent just before a crash, it may still be in flight for 15 s


def _code_sent_ago(tmp_path: Path, ch: Script, age: float) -> tuple[Harness, int]:
    h = Harness(tmp_path)
    aid = _leftover(h, PaymentMethod.CODEPAY)
    h.till.shutdown()
    h.clock.advance(age)
    h.till = TillService(h.db, ch, clock=h.clock, waiter=h.waiter)  # type: ignore[arg-type]
    h.till.subscribe(h._on_event)
    return h, aid


def test_at_start_up_an_unknown_code_payment_still_in_its_grace_is_asked_again_later(
        tmp_path: Path) -> None:
    ch = Script(status=[NotFound()])
    h, aid = _code_sent_ago(tmp_path, ch, 14.5)     # 0.5 s of the 15 s grace left
    import threading
    waits: list[float] = []
    gate = threading.Event()

    def held(seconds: float) -> None:   # the re-check's wait: held until looked at
        waits.append(seconds)
        gate.wait(10)
    h.waiter.on_wait = held
    h.till.recover()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.CREATED    # not failed: its order stays blocked
    told = [e for e in h.events if e.attempt_id == aid]
    assert told and told[-1].message is not None
    assert told[-1].message.key is PaymentText.CHECKING
    assert _wait_until(lambda: 1.5 in waits)         # re-asked once the grace (+1 s) is over
    gate.set()
    h.till.shutdown()


def test_at_start_up_an_unknown_code_payment_past_its_grace_is_failed(tmp_path: Path) -> None:
    ch = Script(status=[NotFound(), Paid(T1, total=Fen(300))])
    h, aid = _code_sent_ago(tmp_path, ch, 15.0)      # exactly the grace: over
    h.till.recover()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.FAILED
    assert _key(h, aid) is PaymentText.FAILED_NOT_FOUND
    assert ch.calls == ["query"]
    h.till.shutdown()


def test_asked_again_an_unknown_code_payment_in_its_grace_is_waited_for_then_found(
        tmp_path: Path) -> None:
    ch = Script(status=[NotFound(), Paid(T1, total=Fen(300))])
    h, aid = _code_sent_ago(tmp_path, ch, 5.0)       # 10 s of the grace left
    h.till._recovered.set()
    h.till.cancel(aid)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.transaction_id == T1
    assert h.waiter.total_waited == 10.0             # the rest of the grace, then asked again
    assert ch.calls == ["query", "query"]
    h.till.shutdown()


def test_asked_again_an_unknown_code_payment_past_its_grace_is_failed_at_once(
        tmp_path: Path) -> None:
    ch = Script(status=[NotFound(), Paid(T1, total=Fen(300))])
    h, aid = _code_sent_ago(tmp_path, ch, 20.0)
    h.till._recovered.set()
    h.till.cancel(aid)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.FAILED
    assert ch.calls == ["query"] and h.waiter.total_waited == 0
    h.till.shutdown()


def test_resolving_a_finished_payment_asks_the_channel_nothing(tmp_path: Path) -> None:
    import threading

    from pos_app.payments.workflow import AttemptWorkflow
    ch = Script(charge=[Paid(T1, total=Fen(300))])
    h, aid = _pay(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    ch.calls.clear()
    h.events.clear()
    AttemptWorkflow(h.till._ctx, aid, threading.Event()).resolve()
    assert ch.calls == [] and h.events == []
    h.till.shutdown()


def _wait_until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    import time
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.01)
    return check()


def test_asked_again_with_half_a_second_of_grace_left_it_is_still_waited_for(
        tmp_path: Path) -> None:
    ch = Script(status=[NotFound(), Paid(T1, total=Fen(300))])
    h, aid = _code_sent_ago(tmp_path, ch, 14.5)
    h.till._recovered.set()
    h.till.cancel(aid)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID
    assert h.waiter.total_waited == 0.5 and ch.calls == ["query", "query"]
    h.till.shutdown()
