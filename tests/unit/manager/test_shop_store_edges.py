"""The manager store's own refusals and clock (issue 17: found by mutation testing of
manager/shop_store.py), on the real SQLite store: a second Z of a shift already closed (two
windows closing at once) and a cash movement after the shift was closed under it are refused
with the reason and change nothing; the store stamps with the clock it was given."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pos_app.domain.cash import CashDirection
from pos_app.domain.money import Fen
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.shop_store import ShopStore
from pos_app.storage.shifts import ShiftRepository

from .helpers import T0, Clock, refused, seeded_store


def test_closing_a_shift_already_closed_is_refused_and_keeps_the_first_count() -> None:
    store = seeded_store()
    shift = store.open_shift("amy", Fen(5000), T0)
    first = store.close_shift(shift.shift_id, "amy", Fen(5100), T0 + timedelta(hours=8),
                              approved_by="boss")
    with pytest.raises(ManagerError, match=refused(ManagerText.SHIFT_NO_SUCH_OPEN)):
        store.close_shift(shift.shift_id, "boss", Fen(1), T0 + timedelta(hours=9),
                          approved_by="boss")
    with pytest.raises(ManagerError, match=refused(ManagerText.SHIFT_NO_SUCH_OPEN)):
        store.close_shift(shift.shift_id + 1, "boss", Fen(1), T0 + timedelta(hours=9))
    again = ShiftRepository(store.db, till_id=store.till_id).get(shift.shift_id)
    assert again == first and again.counted_cash == 5100 and again.closed_by == "amy"
    assert store.current_shift() is None


def test_a_cash_movement_with_no_open_shift_is_refused_and_stores_nothing() -> None:
    store = seeded_store()
    shift = store.open_shift("amy", Fen(5000), T0)
    store.close_shift(shift.shift_id, "amy", Fen(5000), T0 + timedelta(hours=1),
                      approved_by="boss")
    with pytest.raises(ManagerError, match=refused(ManagerText.SHIFT_NONE_OPEN)):
        store.add_cash_movement(CashDirection.IN, Fen(100), "找零", done_by="amy",
                                approved_by="", at=T0 + timedelta(hours=2))
    assert store.cash_movements(shift.shift_id) == []
    assert [e for e in store.audit_entries() if e.action.startswith("cash.")] == []


def test_the_store_stamps_with_the_clock_it_was_given() -> None:
    base = seeded_store()
    clock = Clock(T0 - timedelta(days=400))
    store = ShopStore(base.db, clock, till_id=base.till_id)
    assert store.clock is clock
    store.audit("boss", "test.stamp", {"n": 1})
    [entry] = store.audit_entries("test.stamp")
    assert entry.at == clock.now()
