"""Shift rules the mutation run of manager/shifts.py found unpinned (issue 17), on the real
SQLite store: the float's upper limit is ¥100,000 inclusive, a bad counted cash is
refused with the shift left open, every shift action is audited (the close "before the
hub sync" too, for any number of unsent changes), a discounted sale made at the very
moment of the X is in it."""

from __future__ import annotations

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.shifts import MAX_FLOAT, ShiftError, ShiftService

from .helpers import MANAGER_PIN, T0, Clock, refused, seeded_store
from .test_report_counter import COLA, _paid


def _shifts():  # type: ignore[no-untyped-def]
    store, clock = seeded_store(), Clock(T0)
    return store, clock, ShiftService(store, PinAuthenticator(store, clock=clock), clock=clock)


def test_a_float_of_exactly_100000_yuan_is_accepted_and_audited() -> None:
    store, _clock, shifts = _shifts()
    assert MAX_FLOAT == 10_000_000
    shift = shifts.open("amy", Fen(10_000_000))
    assert shift.opening_float == 10_000_000
    [entry] = store.audit_entries("shift.open")
    assert entry.actor == "amy"
    assert entry.detail == {"shift_id": shift.shift_id, "opening_float": 10_000_000}


@pytest.mark.parametrize("bad", [-1, 10_000_001, True, 12.5])
def test_a_bad_counted_cash_is_refused_and_the_shift_stays_open(bad: object) -> None:
    store, _clock, shifts = _shifts()
    shift = shifts.open("amy", Fen(0))
    with pytest.raises(ShiftError, match=refused(ManagerText.SHIFT_COUNTED_CASH_OUT_OF_RANGE)):
        shifts.close("amy", "boss", MANAGER_PIN, bad)  # type: ignore[arg-type]
    assert store.current_shift() == shift and store.audit_entries("shift.close") == []
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(10_000_000))      # the limit itself
    assert z.counted_cash == 10_000_000


def test_every_x_report_is_audited_with_whether_it_was_blind() -> None:
    store, _clock, shifts = _shifts()
    shift = shifts.open("amy", Fen(100))
    assert shifts.x_report("amy").blind and not shifts.x_report("boss").blind
    assert [(e.actor, e.detail) for e in store.audit_entries("shift.x_report")] == [
        ("amy", {"shift_id": shift.shift_id, "blind": True}),
        ("boss", {"shift_id": shift.shift_id, "blind": False})]


@pytest.mark.parametrize("unsent", [1, 7])
def test_closing_before_the_hub_sync_is_audited(unsent: int) -> None:
    store, _clock, shifts = _shifts()
    shift = shifts.open("amy", Fen(0))
    shifts.close("amy", "boss", MANAGER_PIN, Fen(0), unsent_to_hub=unsent)
    [entry] = store.audit_entries("shift.close_before_hub_sync")
    assert entry.actor == "amy" and entry.detail == {
        "shift_id": shift.shift_id, "approved_by": "boss", "unsent": unsent}


def test_closing_with_everything_sent_is_not_called_before_the_sync() -> None:
    store, _clock, shifts = _shifts()
    shifts.open("amy", Fen(0))
    shifts.close("amy", "boss", MANAGER_PIN, Fen(0), unsent_to_hub=0)
    assert store.audit_entries("shift.close_before_hub_sync") == []
    assert len(store.audit_entries("shift.close")) == 1


def test_a_discounted_sale_made_at_the_moment_of_the_x_and_z_is_in_them() -> None:
    store, clock, shifts = _shifts()
    shifts.open("amy", Fen(0))
    clock.advance(minutes=1)
    cart = Cart()
    cart.add(COLA, 2)
    cart.set_line_discount(0, Fen(100))
    _paid(store, clock, cart, PaymentMethod.CASH, 1)          # stamped exactly now
    x = shifts.x_report("boss")
    assert (x.discounts.total.count, x.discounts.total.amount) == (1, 100)
    assert x.expected_cash == 600
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(600))
    assert (z.discounts.total.count, z.discounts.total.amount) == (1, 100)
    assert z.difference == 0


def test_a_sale_booked_a_microsecond_after_the_x_is_not_in_it() -> None:
    """The X is as of its own time: a payment the lane books while the X is being built
    (stamped after it) belongs to the next report, not to this one."""
    from datetime import timedelta

    store, clock, shifts = _shifts()
    shifts.open("amy", Fen(0))
    clock.advance(minutes=1)
    cart = Cart()
    cart.add(COLA, 2)
    cart.set_line_discount(0, Fen(100))
    _paid(store, Clock(clock.now() + timedelta(microseconds=1)), cart, PaymentMethod.CASH, 1)
    x = shifts.x_report("boss")
    assert x.total_sales.count == 0 and x.expected_cash == 0
    assert x.discounts.total.count == 0
    clock.advance(seconds=1)
    assert shifts.x_report("boss").total_sales.count == 1
