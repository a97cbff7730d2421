"""Two threads (two SQLite connections) start a payment for the same order at the same
moment: both pass the in-memory checks, and only the re-check inside the write
transaction stands between the order and two attempts (two charges)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pos_app.domain.payment import PaymentMethod
from pos_app.payments.till import PaymentRefused, TillService

from .conftest import Harness


@pytest.mark.parametrize("method", [PaymentMethod.NATIVE, PaymentMethod.CODEPAY])
def test_racing_intents_for_one_order_make_one_attempt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: PaymentMethod) -> None:
    h = Harness(tmp_path)
    h.till.recover()
    oid = h.order()
    barrier = threading.Barrier(2, timeout=10)
    checked = TillService._payable

    def payable_then_wait(self: TillService, order_id: int, *, wechat: bool):  # type: ignore[no-untyped-def]
        order = checked(self, order_id, wechat=wechat)
        barrier.wait()            # both have passed every check outside the transaction
        return order

    monkeypatch.setattr(TillService, "_payable", payable_then_wait)
    started: list[int] = []
    refused: list[PaymentRefused] = []

    def press() -> None:
        try:
            if method is PaymentMethod.NATIVE:
                started.append(h.till.pay_native(oid))
            else:
                started.append(h.till.pay_code(oid, "134567890123456789"))
        except PaymentRefused as exc:
            refused.append(exc)

    gate = threading.Event()    # hold the payment lane: the first attempt stays in flight
    h.till.lane.submit(lambda: gate.wait(10))
    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    try:
        assert len(started) == 1 and len(refused) == 1
        assert len(h.till.attempts_for_order(oid)) == 1
    finally:
        gate.set()
        h.run()
        h.till.shutdown()
        h.db.close()
