"""Payment paths the mutation sampler found unguarded (issue 17): each test here was
checked red against the one-line break it names (a dropped call, a flipped branch)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState as S
from pos_app.payments.messages import PaymentText as T
from pos_app.wechatpay.errors import ApiError
from pos_app.wechatpay.models import TradeState
from tests.unit.payments.conftest import Harness
from tests.unit.payments.fakes import down

CODE = "134567890123456789"


def _otn(h: Harness, aid: int) -> str:
    a = h.till.attempt(aid)
    assert a is not None
    return a.out_trade_no


def _hold_lane(h: Harness) -> threading.Event:
    """Block the payment lane until the returned event is set (the next job waits)."""
    gate = threading.Event()
    h.till.lane.submit(lambda: gate.wait(10))
    return gate


# --------------------------------------------------------------------- issue 17 item 1


def test_customer_pays_at_the_moment_of_cancel_ends_paid(h: Harness) -> None:
    """The password step is held (USERPAYING) and released exactly when the cashier
    cancels: the reverse path queries first, finds SUCCESS and must settle the sale."""
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.reverse_refused_while_paying = False   # a reverse would go through: must not be sent

    def on_wait(_: float) -> None:
        h.waiter.on_wait = None
        h.gw.pay(_otn(h, aid))      # the customer confirms the password …
        h.till.cancel(aid)          # … as the cashier presses cancel

    h.waiter.on_wait = on_wait
    oid = h.order()
    aid = h.till.pay_code(oid, CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID and a.transaction_id
    assert h.states(aid)[-1] == "paid"
    assert h.gw.count("reverse") == 0
    assert h.gw.orders[a.out_trade_no].state == TradeState.SUCCESS
    order = h.till.order(oid)
    assert order is not None and order.status == OrderStatus.PAID
    assert order.paid_attempt_id == aid


# --------------------------------------------------------------------- issue 17 item 5


def test_reverse_answered_with_500_is_retried(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.reverse_refused_while_paying = False
    h.gw.faults["reverse"].append(ApiError(500, "SYSTEM_ERROR", "系统繁忙"))
    h.waiter.on_wait = lambda _: h.till.cancel(aid)
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.REVERSED
    assert h.gw.count("reverse") == 2
    assert h.gw.orders[a.out_trade_no].state == TradeState.REVOKED
    notes = [e.note for e in h.till.attempt_events(aid)]
    assert any("reverse retry" in n and "SYSTEM_ERROR" in n for n in notes), notes


def test_reverse_refused_for_good_is_not_retried(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.reverse_refused_while_paying = False
    h.gw.faults["reverse"].append(ApiError(400, "REVERSE_EXPIRE", "订单已过撤销期"))
    h.waiter.on_wait = lambda _: h.till.cancel(aid)
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN
    assert h.gw.count("reverse") == 1
    assert a.last_error is not None and "REVERSE_EXPIRE" in a.last_error


# --------------------------------------------------------------------- uncertain → retry


def _uncertain_codepay(h: Harness) -> int:
    """A payment code whose reverse kept failing: ``uncertain``."""
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.faults["reverse"].extend([down() for _ in range(20)])
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN
    h.gw.faults["reverse"].clear()
    return aid


def test_retry_of_uncertain_attempt_finds_it_paid(h: Harness) -> None:
    aid = _uncertain_codepay(h)
    h.gw.pay(_otn(h, aid))
    h.till.cancel(aid)      # the cashier's "retry": resolved again on the lane
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID and a.transaction_id
    assert h.events[-1].paid_late and h.events[-1].message.key is T.PAID_LATE
    assert h.gw.count("reverse") == 7   # the failed tries only: none after "paid"
    order = h.till.order(a.order_id)
    assert order is not None and order.status == OrderStatus.PAID


def test_retry_of_uncertain_attempt_finds_it_closed(h: Harness) -> None:
    aid = _uncertain_codepay(h)
    h.gw.orders[_otn(h, aid)].state = TradeState.CLOSED
    h.till.cancel(aid)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED
    assert h.gw.count("reverse") == 7


def test_retry_of_uncertain_attempt_not_found_fails(h: Harness) -> None:
    aid = _uncertain_codepay(h)
    del h.gw.orders[_otn(h, aid)]
    h.clock.advance(60)     # past the not-found grace
    h.till.cancel(aid)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED
    assert h.events[-1].message.key is T.FAILED_NOT_FOUND
    assert h.gw.count("reverse") == 7


def test_retry_of_terminal_or_unknown_attempt_is_a_no_op(h: Harness) -> None:
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    calls = len(h.gw.calls)
    h.till.cancel(aid)
    h.till.cancel(99999)
    h.run()
    assert len(h.gw.calls) == calls


# --------------------------------------------------------------------- payment-code polling


def test_codepay_unknown_outcome_is_checking_with_last_error(h: Harness) -> None:
    h.gw.faults["codepay"].append(("after", ApiError(500, "SYSTEM_ERROR", "系统超时")))
    seen: list[tuple[S, str | None]] = []

    def on_wait(_: float) -> None:
        a = h.till.attempt(aid)
        assert a is not None
        seen.append((a.state, a.last_error))

    h.waiter.on_wait = on_wait
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    state, last_error = seen[0]
    assert state == S.CREATED   # not failed: the outcome is unknown
    assert last_error is not None and "SYSTEM_ERROR" in last_error
    checking = [e for e in h.events if e.attempt_id == aid and e.message.key is T.CHECKING]
    assert len(checking) == 1 and checking[0].state == S.CREATED
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert h.waiter.total_waited == pytest.approx(h.till.policy.unknown_first_wait)


def test_notpay_keeps_polling_and_is_not_reversed(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.reverse_refused_while_paying = False

    def on_wait(_: float) -> None:
        h.waiter.on_wait = None
        o = h.gw.orders[_otn(h, aid)]
        o.state = TradeState.NOTPAY
        o.pay_at = h.clock.now() + timedelta(seconds=4)

    h.waiter.on_wait = on_wait
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert h.gw.count("reverse") == 0 and h.gw.count("query") >= 4


def test_codepay_answering_notpay_polls(h: Harness) -> None:
    """The charge itself answered NOTPAY (accepted, not decided): poll, "checking"."""
    h.gw.codepay_plan[CODE] = "forever"

    def codepay(**kw: object) -> object:
        txn = real(**kw)
        o = h.gw.orders[str(kw["out_trade_no"])]
        o.state = TradeState.NOTPAY
        o.pay_at = h.clock.now() + timedelta(seconds=2)
        return h.gw._txn(str(kw["out_trade_no"])) if txn else txn

    real = h.gw.codepay
    h.gw.codepay = codepay  # type: ignore[method-assign,assignment]
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert any(e.message.key is T.CHECKING for e in h.events if e.attempt_id == aid)
    assert h.gw.count("reverse") == 0


@pytest.mark.parametrize(("remote", "final"), [(TradeState.REVOKED, S.REVERSED),
                                               (TradeState.CLOSED, S.CLOSED)])
def test_codepay_polling_sees_final_state(h: Harness, remote: TradeState, final: S) -> None:
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.reverse_refused_while_paying = False

    def on_wait(_: float) -> None:
        h.waiter.on_wait = None
        h.gw.orders[_otn(h, aid)].state = remote

    h.waiter.on_wait = on_wait
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == final
    assert h.gw.count("reverse") == 0 and h.gw.count("query") == 1


def test_codepay_polling_carries_on_after_failed_or_empty_queries(h: Harness) -> None:
    h.gw.codepay_plan[CODE] = ("pay_after", 3.0)
    h.gw.faults["query"].extend([down(), down()])
    hidden: dict[str, object] = {}

    def on_wait(_: float) -> None:
        # one query finds no such order (not replicated yet): keep polling
        if h.gw.count("query") == 2 and not hidden:
            hidden["o"] = h.gw.orders.pop(_otn(h, aid))
        elif h.gw.count("query") == 3 and "o" in hidden:
            h.gw.orders[_otn(h, aid)] = hidden.pop("o")  # type: ignore[assignment]

    h.waiter.on_wait = on_wait
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert h.gw.count("reverse") == 0 and h.gw.count("query") >= 4


# --------------------------------------------------------------------- Native


def test_close_answered_with_500_is_retried(h: Harness) -> None:
    h.gw.faults["close"].append(ApiError(500, "SYSTEM_ERROR", "系统繁忙"))
    h.waiter.on_wait = lambda _: h.till.cancel(aid)
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED
    assert h.gw.count("close") == 2
    assert h.gw.orders[a.out_trade_no].state == TradeState.CLOSED


def test_native_cancelled_before_sending_makes_no_prepay_call(h: Harness) -> None:
    gate = _hold_lane(h)
    aid = h.till.pay_native(h.order())
    h.till.cancel(aid)
    gate.set()
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED
    assert h.events[-1].message.key is T.CANCELLED_BEFORE_SEND
    assert h.gw.calls == []


def test_codepay_cancelled_before_sending_makes_no_charge(h: Harness) -> None:
    gate = _hold_lane(h)
    aid = h.till.pay_code(h.order(), CODE)
    h.till.cancel(aid)
    gate.set()
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED
    assert h.gw.calls == []


def test_native_polling_rhythm_is_relative_to_the_start(h: Harness) -> None:
    """0.5 s for 2 s, 1 s until 90 s, then 2 s — measured from the attempt's start on a
    clock whose monotonic() is far from 0."""
    h.clock.advance(12345.0)
    assert h.clock.monotonic() > 10000
    waits: list[float] = []
    h.waiter.on_wait = waits.append
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED
    polling = waits[:137]
    assert polling == [0.5] * 4 + [1.0] * 88 + [2.0] * 45
    assert h.gw.count("query") >= 137


def test_native_paid_within_half_a_second_early_on(h: Harness) -> None:
    def on_wait(_: float) -> None:
        for o in h.gw.orders.values():
            if o.pay_at is None:
                o.pay_at = o.created + timedelta(seconds=0.6)

    h.waiter.on_wait = on_wait
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert h.waiter.total_waited == pytest.approx(1.0)


@pytest.mark.parametrize("remote", [TradeState.CLOSED, TradeState.REVOKED])
def test_native_polling_seeing_closed_ends_closed(h: Harness, remote: TradeState) -> None:
    def on_wait(_: float) -> None:
        h.waiter.on_wait = None
        h.gw.orders[_otn(h, aid)].state = remote

    h.waiter.on_wait = on_wait
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED
    assert h.gw.count("close") == 0 and h.gw.count("query") == 1


# --------------------------------------------------------------------- survivors of run A


def test_reverse_raising_keeps_the_error_as_last_error(h: Harness) -> None:
    """A bug below the adapter (a raw exception) on every reverse try: uncertain, and the
    error is what the manager reads — not a blank "reverse failed"."""
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.faults["reverse"].extend([RuntimeError("adapter bug") for _ in range(7)])
    h.waiter.on_wait = lambda _: h.till.cancel(aid)
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN
    assert a.last_error is not None and "RuntimeError: adapter bug" in a.last_error
    assert h.gw.count("reverse") == 7


def test_reverse_errors_but_channel_says_reversed_ends_reversed(h: Harness) -> None:
    """Every reverse answer was lost, yet the last one went through: the closing query
    finds REVOKED, so the attempt is reversed, not uncertain."""
    h.gw.codepay_plan[CODE] = "forever"
    h.gw.faults["reverse"].extend([down() for _ in range(7)])

    def on_wait(_: float) -> None:
        h.till.cancel(aid)
        if h.gw.count("reverse") == 6:   # before the last try (whose answer is lost too)
            h.gw.orders[_otn(h, aid)].state = TradeState.REVOKED

    h.waiter.on_wait = on_wait
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.REVERSED


def test_native_payment_in_the_last_second_is_seen_by_polling(h: Harness) -> None:
    """Polling runs until time_expire itself: with 1.5 s of prepay latency the last poll
    falls half a second before expiry and one more at expiry — a customer paying 0.2 s
    before time_expire is seen, with no close sent."""
    real = h.gw.native_prepay

    def slow_prepay(**kw: object) -> str:
        h.clock.advance(1.5)
        return real(**kw)  # type: ignore[arg-type]

    h.gw.native_prepay = slow_prepay  # type: ignore[method-assign,assignment]

    def on_wait(_: float) -> None:
        for o in h.gw.orders.values():
            if o.pay_at is None and o.expires is not None:
                o.pay_at = o.expires - timedelta(seconds=0.2)

    h.waiter.on_wait = on_wait
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert h.gw.count("close") == 0


def test_prepay_that_never_answered_closes_without_confirming(h: Harness) -> None:
    """No QR was ever shown: nobody can pay it, so a close answer is final at once."""
    h.gw.faults["native_prepay"].extend([("after", down()) for _ in range(3)])
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED and not a.code_url
    assert h.events[-1].message.key is T.CLOSED_PREPAY_FAILED
    assert h.gw.count("native_prepay") == 3 and h.gw.count("close") == 1
    assert h.gw.count("query") == 0


def test_unconfirmed_close_is_noted_once(h: Harness) -> None:
    h.gw.close_lag = "ignored"
    h.waiter.on_wait = lambda _: h.till.cancel(aid)
    aid = h.till.pay_native(h.order())
    h.run()
    notes = [e.note for e in h.till.attempt_events(aid)]
    assert sum("close not confirmed yet" in n for n in notes) == 1, notes
    assert h.gw.count("query") > 3


def test_first_prepay_refused_fails_with_the_channels_reason(h: Harness) -> None:
    h.gw.faults["native_prepay"].append(ApiError(400, "PARAM_ERROR", "time_expire格式错误"))
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED
    assert a.last_error is not None and "time_expire格式错误" in a.last_error
    assert h.gw.count("native_prepay") == 1 and h.gw.count("close") == 0


# --------------------------------------------------------------------- survivors of run C (seed 1)


@pytest.mark.logs_errors
def test_paid_answer_without_total_is_checked_against_the_query(h: Harness) -> None:
    """The charge said SUCCESS without a total: the total is taken from a query, and a
    total that is not the attempt's amount never settles the sale silently."""
    from pos_app.domain.money import Fen
    from pos_app.wechatpay.models import Transaction

    real = h.gw.codepay

    def codepay(**kw: object) -> Transaction:
        txn = real(**kw)  # type: ignore[arg-type]
        h.gw.orders[txn.out_trade_no].total = Fen(250)     # WeChat recorded another total
        return Transaction(out_trade_no=txn.out_trade_no, trade_state=txn.trade_state,
                           transaction_id=txn.transaction_id, total=None)

    h.gw.codepay = codepay  # type: ignore[method-assign,assignment]
    aid = h.till.pay_code(h.order(300), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN
    assert a.last_error is not None and "250" in a.last_error and "300" in a.last_error
    assert h.gw.count("query") == 1


def test_prepay_raising_a_bug_is_an_unknown_outcome_and_retried(h: Harness) -> None:
    h.gw.faults["native_prepay"].append(RuntimeError("adapter bug"))
    h.waiter.on_wait = lambda _: h.till.cancel(aid) if h.gw.count("query") else None
    aid = h.till.pay_native(h.order())
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.CLOSED and a.code_url
    assert h.gw.count("native_prepay") == 2


def test_recovery_requery_failing_after_not_found_is_uncertain_not_reversed(
        h: Harness) -> None:
    """A payment code sent just before a crash: the first query finds nothing (maybe not
    arrived yet), the re-query after the grace wait goes unanswered → uncertain; no
    reverse or guess."""
    from pos_app.domain.money import Fen
    from pos_app.domain.payment import PaymentMethod
    from pos_app.payments.ids import out_trade_no

    oid = h.order()
    with h.db.transaction() as conn:
        seq = h.till.attempts.next_sequence(conn)
        aid = h.till.attempts.insert(
            conn, order_id=oid, method=PaymentMethod.CODEPAY,
            out_trade_no=out_trade_no("P", h.clock.now(), "01", seq), amount=Fen(300))
    h.gw.faults["query"].extend(["answered", down()])
    from pos_app.payments.workflow import AttemptWorkflow

    wf = AttemptWorkflow(h.till._ctx, aid, threading.Event())   # grace waited in place
    h.till.lane.submit(wf.resolve).result(10)
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.UNCERTAIN
    assert h.gw.count("query") == 2 and h.gw.count("reverse") == 0
