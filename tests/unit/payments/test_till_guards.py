"""Till guards the mutation sampler found unguarded (issue 17): each refusal matched on
its message key, and nothing stored or sent."""

from __future__ import annotations

import threading

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.payments.messages import PaymentText
from pos_app.payments.till import PaymentRefused
from pos_app.storage.orders import OrderRepository
from tests.unit.payments.conftest import Harness


def _key(exc: pytest.ExceptionInfo[PaymentRefused]) -> PaymentText:
    key = exc.value.message.key
    assert isinstance(key, PaymentText)
    return key


def test_empty_cart_is_refused_and_stores_nothing(h: Harness) -> None:
    with pytest.raises(PaymentRefused) as exc:
        h.till.create_order(Cart(), cashier="alice")
    assert _key(exc) is PaymentText.CART_EMPTY
    assert h.till.recent_orders() == []


def test_zero_total_order_cannot_be_charged_by_wechat(h: Harness) -> None:
    cart = Cart()
    cart.add(Product("GIFT", "赠品", Fen(300), ""), 1)
    cart.set_order_discount(Fen(300))
    oid = h.till.create_order(cart, cashier="alice")
    for start in (lambda: h.till.pay_native(oid),
                  lambda: h.till.pay_code(oid, "134567890123456789")):
        with pytest.raises(PaymentRefused) as exc:
            start()
        assert _key(exc) is PaymentText.ZERO_AMOUNT
    assert h.till.attempts_for_order(oid) == [] and h.gw.calls == []
    cid = h.till.pay_cash(oid, Fen(0))       # cash: a free order is simply settled
    a = h.till.attempt(cid)
    assert a is not None and a.amount == 0 and a.change == 0


def test_unknown_or_other_tills_order_is_refused(h: Harness) -> None:
    other = OrderRepository(h.db, h.clock, till_id="02")
    cart = Cart()
    cart.add(Product("COKE", "可口可乐", Fen(300), ""), 1)
    theirs = other.create(cart, cashier="bob")
    for oid in (theirs, 9999):
        for start in (lambda oid=oid: h.till.pay_cash(oid, Fen(500)),
                      lambda oid=oid: h.till.pay_native(oid),
                      lambda oid=oid: h.till.void_order(oid)):
            with pytest.raises(PaymentRefused) as exc:
                start()
            assert _key(exc) is PaymentText.NO_SUCH_ORDER
    assert h.till.attempts_for_order(theirs) == [] and h.gw.calls == []


def test_wait_idle_says_false_while_the_lane_is_busy(h: Harness) -> None:
    gate = threading.Event()
    h.till.lane.submit(lambda: gate.wait(10))
    assert h.till.wait_idle(0.05) is False
    gate.set()
    assert h.till.wait_idle(5) is True


def test_recent_orders_lists_the_latest_fifty(h: Harness) -> None:
    ids = [h.order() for _ in range(51)]
    recent = h.till.recent_orders()
    assert len(recent) == 50
    assert {o.id for o in recent} == set(ids[1:])


def test_till_id_is_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pos_app.payments.channels.wechat import WechatChannel
    from pos_app.payments.till import TillService
    from pos_app.storage.db import Database
    from tests.unit.payments.fakes import FakeGateway

    db = Database(tmp_path / "ids.sqlite3")
    for bad in ("", "12345", "0 1", "01-"):
        with pytest.raises(ValueError):
            TillService(db, WechatChannel(FakeGateway(None), None), till_id=bad)  # type: ignore[arg-type]
    db.close()


def test_unsubscribing_twice_or_unknown_is_harmless(h: Harness) -> None:
    seen: list[object] = []
    h.till.subscribe(seen.append)
    h.till.unsubscribe(seen.append)
    h.till.unsubscribe(seen.append)
    h.till.unsubscribe(lambda _e: None)
    h.till.pay_cash(h.order(), Fen(300))
    h.run()
    assert seen == []


def test_recovery_leaves_an_attempt_that_is_already_running_alone(h: Harness) -> None:
    gate = threading.Event()
    h.till.lane.submit(lambda: gate.wait(10))
    recovery = h.till.lane.submit(h.till._recover_on_lane)
    aid = h.till.pay_code(h.order(), "134567890123456789")   # queued after the recovery
    gate.set()
    assert recovery.result(10) == []
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state.value == "paid"
    assert h.gw.count("codepay") == 1 and h.gw.count("query") == 0


def test_description_sent_to_the_channel(h: Harness) -> None:
    seen: list[str] = []
    real = h.gw.codepay

    def codepay(**kw: object) -> object:
        seen.append(str(kw["description"]))
        return real(**kw)  # type: ignore[arg-type]

    h.gw.codepay = codepay  # type: ignore[method-assign,assignment]
    one = h.order(300, 1)
    two = h.order(300, 2)
    for oid, code in ((one, "134567890123456781"), (two, "134567890123456782")):
        h.till.pay_code(oid, code)
        h.run()
    name = h.till.store_name
    assert seen == [f"{name}-可口可乐 330ml", f"{name}-可口可乐 330ml等"]
