"""Review R3: property test — whatever mix of by-line, by-amount and full refunds (some
CLOSED, some refused, some with lost replies) is requested, the money that has left or
may leave never exceeds what each payment took, and line quantities never go negative."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.refund import RefundState
from pos_app.manager.refunds import RefundError
from pos_app.wechatpay.models import RefundStatus

from .helpers import all_refunds, order
from .test_refunds import make, req

lines_st = st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5000)), min_size=1, max_size=4)
op_st = st.one_of(
    st.tuples(st.just("lines"), st.integers(0, 3), st.integers(1, 5)),
    st.tuples(st.just("amount"), st.integers(1, 30000), st.just(0)),
    st.tuples(st.just("full"), st.just(0), st.just(0)),
    st.tuples(st.just("close_last"), st.just(0), st.just(0)),
    st.tuples(st.just("lose_reply"), st.just(0), st.just(0)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=lines_st, discount_pct=st.integers(0, 60), split=st.integers(0, 3),
       ops=st.lists(op_st, max_size=10))
def test_refunds_never_exceed_what_was_paid(
    lines: list[tuple[int, int]], discount_pct: int, split: int,
    ops: list[tuple[str, int, int]],
) -> None:
    store, gw, svc, _clock = make()
    nets = sum(net for _q, net in lines)
    total = max(1, nets - nets * discount_pct // 100)        # order-level discount
    split_cash = total * split // 4 if split < 3 else 0
    order(store, 1, PaymentMethod.NATIVE, total, split_cash=split_cash,
          lines=tuple((f"L{i}", q, net) for i, (q, net) in enumerate(lines)))
    paid = {p.attempt_id: p.amount for p in store.get_order(1).payments}  # type: ignore[union-attr]
    for kind, a, b in ops:
        try:
            if kind == "lines":
                svc.request_refund(req(1, lines={a % len(lines) + 1: b}))
            elif kind == "amount":
                svc.request_refund(req(1, amount=Fen(a)))
            elif kind == "full":
                svc.request_refund(req(1, full=True))
            elif kind == "close_last" and gw.refunds:
                gw.settle(list(gw.refunds)[-1], RefundStatus.CLOSED)
                for rec in list(all_refunds(store).values()):
                    svc.refresh(rec.refund_id)
            elif kind == "lose_reply":
                gw.lose_reply_next = 1
        except RefundError:
            pass
        recs = store.refunds_for_order(1)
        for attempt_id, amount in paid.items():
            taken = sum(r.amount for r in recs if r.attempt_id == attempt_id and r.state.taken)
            assert taken <= amount
        for i, (qty, _net) in enumerate(lines):
            done = sum(q for r in recs if r.state.taken for no, q in r.lines if no == i + 1)
            assert done <= qty
        for r in recs:
            assert r.amount > 0
            if r.method is PaymentMethod.CASH:
                assert r.state is RefundState.SUCCESS and r.out_refund_no not in gw.sent
    # everything refundable can be refunded, and then exactly what was paid has gone back
    for rec in store.refunds_for_order(1):
        if rec.state is RefundState.PENDING:
            svc.retry(rec.refund_id)
    left = svc.refundable(1).refundable
    if left:
        svc.request_refund(req(1, full=True))
    recs = store.refunds_for_order(1)
    assert sum(r.amount for r in recs if r.state.taken) == sum(paid.values())
