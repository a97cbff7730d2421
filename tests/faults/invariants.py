"""The money invariants every fault test asserts, from the simulator's AND the DB's view."""

from __future__ import annotations

from pos_app.domain.payment import AttemptState
from pos_app.payments.till import TillService
from pos_app.simulator.engine import OrderView, SimError
from pos_app.simulator.server import SimulatorServer


def sim_order(sim: SimulatorServer, mchid: str, out_trade_no: str) -> OrderView | None:
    try:
        return sim.engine.query(mchid, out_trade_no=out_trade_no)
    except SimError:
        return None


def charged(view: OrderView | None) -> bool:
    """Money is with the merchant (a reversed-after-paid order returned it)."""
    return view is not None and view.trade_state in ("SUCCESS", "REFUND")


def assert_consistent(till: TillService, sim: SimulatorServer, mchid: str,
                      *, allow_uncertain: bool = False) -> dict[int, AttemptState]:
    """Each order: paid exactly once or not charged; DB agrees with WeChat Pay."""
    result: dict[int, AttemptState] = {}
    for order in till.recent_orders(1000):
        attempts = till.attempts_for_order(order.id)
        charges = 0
        for a in attempts:
            view = sim_order(sim, mchid, a.out_trade_no)
            if a.state == AttemptState.UNCERTAIN and allow_uncertain:
                continue
            assert a.state.terminal, f"attempt {a.id} left {a.state}"
            assert (a.state == AttemptState.PAID) == charged(view), (
                f"DB says {a.state}, simulator says {view.trade_state if view else 'no order'}")
            charges += charged(view)
            result[a.id] = a.state
        assert charges <= 1, f"order {order.id} charged {charges} times"
        paid = [a for a in attempts if a.state == AttemptState.PAID]
        assert (order.status.value == "paid") == bool(paid)
        if paid:
            assert order.paid_attempt_id == paid[0].id
    return result
