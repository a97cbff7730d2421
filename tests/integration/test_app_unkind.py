"""The app (TillService, RefundService, ReconcileService) against the simulator as unkind as
WeChat Pay (issue 11): realistic defaults unless a test switches one behaviour.

Time: the till and the manager run on a virtual clock that only moves when the payment
workflow waits (``InstantWaiter``); every wait moves the simulator's business clock by the
same amount, so WeChat's timers (close lag, password, refund spacing) elapse in step.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.devices.receipt import build_receipt, receipt_text_lines
from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.pin_hash import hash_pin
from pos_app.domain.refund import RefundState
from pos_app.domain.staff import Role
from pos_app.manager.messages import ManagerText
from pos_app.manager.refunds import RefundRequest, refund_message
from pos_app.manager.reports import render_text
from pos_app.manager.services import ManagerServices, build_manager_services
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.messages import PaymentText
from pos_app.payments.till import TillService
from pos_app.simulator.records import Coupon
from pos_app.simulator.scenarios import auth_code_for, random_success_code
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.db import Database
from pos_app.storage.staff import UserRepository
from pos_app.ui.plain_text import render
from pos_app.wechatpay.config import MerchantConfig, load_merchant_config
from tests.helpers.clock import InstantWaiter, ManualClock
from tests.sim_fixtures import Clock, own_simulator

PIN = "2580"


@dataclass
class Shop:
    sim: SimulatorServer
    sim_clock: Clock
    clock: ManualClock
    cfg: MerchantConfig
    gateway: WechatChannel
    db: Database
    till: TillService
    mgr: ManagerServices
    events: list[PaymentEvent] = field(default_factory=list)
    #: ``on_wait`` script: called with each wait's length (on the waiting thread).
    script: list[Callable[[float], bool]] = field(default_factory=list)

    def order(self, price: int) -> int:
        cart = Cart()
        cart.add(Product("COKE", "可口可乐", Fen(price), "6901234567011"), 1)
        return self.till.create_order(cart, cashier="amy")

    def settle(self, attempt_id: int, timeout: float = 20.0) -> AttemptState:
        """Wait (real time) until the attempt is final."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            a = self.till.attempt(attempt_id)
            assert a is not None
            if a.state.terminal:
                return a.state
            time.sleep(0.02)
        raise AssertionError(f"attempt {attempt_id} still {a.state}")

    def states(self, attempt_id: int) -> list[AttemptState]:
        return [e.state for e in self.events if e.attempt_id == attempt_id]

    def sim_order(self, out_trade_no: str):  # type: ignore[no-untyped-def]
        [o] = [o for o in self.sim.engine.orders() if o.out_trade_no == out_trade_no]
        return o


def make_shop(tmp_path: Path, sim: SimulatorServer, sim_clock: Clock, *,
              cfg: MerchantConfig | None = None, till_id: str = "07") -> Shop:
    cfg = cfg or load_merchant_config(sim.merchant_config_path)
    gateway = WechatChannel.from_config(cfg, device_id=till_id)
    db = Database(tmp_path / f"pos-{secrets.token_hex(3)}.sqlite3", till_id=till_id)
    users = UserRepository(db)
    users.add_user("boss", Role.MANAGER, hash_pin(PIN))
    users.add_user("amy", Role.CASHIER, hash_pin("1397"))
    clock = ManualClock(datetime.fromtimestamp(sim_clock.now, UTC))
    lock = threading.Lock()
    shop: Shop

    def on_wait(seconds: float) -> None:   # the step acts at the start of the wait
        with lock:
            step = shop.script[0] if shop.script else None
        if step is not None and step(seconds):
            with lock:
                shop.script.pop(0)
        sim_clock.advance(seconds)

    till = TillService(db, gateway, till_id=till_id, clock=clock,
                       waiter=InstantWaiter(clock, on_wait))
    shop = Shop(sim, sim_clock, clock, cfg, gateway, db, till,
                build_manager_services(db, gateway, till_id=till_id, clock=clock))
    till.subscribe(shop.events.append)
    till.recover()
    return shop


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    sim_clock = Clock()
    with own_simulator(tmp_path / "sim", sim_clock) as sim:   # realistic defaults
        s = make_shop(tmp_path, sim, sim_clock)
        try:
            yield s
        finally:
            s.till.shutdown()
            s.db.close()


def cancel_first(shop: Shop) -> Callable[[float], bool]:
    """The cashier cancels the QR at the first wait after it is shown."""
    def step(_s: float) -> bool:
        for a in shop.till.unfinished_attempts():
            shop.till.cancel(a.id)
        return True
    return step


# ---------------------------------------------------------------- 1. close lag → paid late
def test_qr_cancelled_within_the_close_lag_then_paid_ends_paid_late(shop: Shop) -> None:
    assert shop.sim.realism.close_lag_s == 300          # realistic: WeChat's 5 minutes
    order_id = shop.order(1250)
    paid_by_customer: list[str] = []

    def customer_pays(_s: float) -> bool:                # the close answered 204 …
        a = shop.till.attempts_for_order(order_id)[0]
        assert shop.sim_order(a.out_trade_no).trade_state == "NOTPAY"   # … not closed
        shop.sim.pay(out_trade_no=a.out_trade_no)        # the customer had scanned
        paid_by_customer.append(a.out_trade_no)
        return True

    shop.script[:] = [cancel_first(shop), customer_pays]
    aid = shop.till.pay_native(order_id)
    assert shop.settle(aid) is AttemptState.PAID
    assert paid_by_customer
    [last] = [e for e in shop.events if e.attempt_id == aid and e.state is AttemptState.PAID]
    assert last.paid_late and last.message is not None and last.message.key is PaymentText.PAID_LATE
    order = shop.till.order(order_id)
    assert order is not None and order.status.value == "paid"   # in the books, not left for tomorrow
    # the paid-late sale is refundable at once (the refund offer)
    assert shop.mgr.refunds.refundable(order_id).refundable == 1250


def test_qr_paid_after_the_confirm_window_is_caught_at_expiry(shop: Shop) -> None:
    order_id = shop.order(800)

    def pays_at_recheck(seconds: float) -> bool:         # the till's re-check waits for expiry
        if seconds < 60:
            return False
        a = shop.till.attempts_for_order(order_id)[0]
        assert a.state is AttemptState.UNCERTAIN           # close not confirmed: order blocked
        shop.sim.pay(out_trade_no=a.out_trade_no)
        return True

    shop.script[:] = [cancel_first(shop), pays_at_recheck]
    aid = shop.till.pay_native(order_id)
    assert shop.settle(aid) is AttemptState.PAID
    assert AttemptState.UNCERTAIN in shop.states(aid)
    assert shop.events[-1].paid_late


def test_qr_cancelled_within_the_lag_and_never_paid_ends_closed(shop: Shop) -> None:
    order_id = shop.order(300)
    shop.script[:] = [cancel_first(shop)]
    aid = shop.till.pay_native(order_id)
    assert shop.settle(aid) is AttemptState.CLOSED
    a = shop.till.attempt(aid)
    assert a is not None and shop.sim_order(a.out_trade_no).trade_state in ("NOTPAY", "CLOSED")
    assert shop.clock.now() >= a.expires_at   # confirmed only once time_expire had passed


# ---------------------------------------------------------------- 6. the ¥1000 rule
def test_code_payment_above_1000_yuan_waits_for_the_password(shop: Shop) -> None:
    order_id = shop.order(100_001)
    aid = shop.till.pay_code(order_id, random_success_code())
    assert shop.settle(aid) is AttemptState.PAID
    assert AttemptState.AWAITING_CUSTOMER in shop.states(aid)
    waiting = [e for e in shop.events if e.attempt_id == aid
               and e.state is AttemptState.AWAITING_CUSTOMER]
    assert waiting[0].message is not None and waiting[0].message.key is PaymentText.WAITING_PASSWORD
    small = shop.till.pay_code(shop.order(100_000), random_success_code())
    assert shop.settle(small) is AttemptState.PAID
    assert AttemptState.AWAITING_CUSTOMER not in shop.states(small)


# ---------------------------------------------------------------- 7. device id
def test_every_payment_carries_the_till_id(shop: Shop) -> None:
    code = shop.till.pay_code(shop.order(100), random_success_code())
    native_order = shop.order(200)
    shop.script[:] = [lambda _s: (shop.sim.pay(
        out_trade_no=shop.till.attempts_for_order(native_order)[0].out_trade_no), True)[1]]
    native = shop.till.pay_native(native_order)
    assert shop.settle(code) is AttemptState.PAID and shop.settle(native) is AttemptState.PAID
    for aid in (code, native):
        a = shop.till.attempt(aid)
        assert a is not None and shop.sim_order(a.out_trade_no).device_id == "07"


# ---------------------------------------------------------------- 2. v3 codepay not enabled
@pytest.mark.parametrize("mode,expect", [
    ("NOT_FOUND", AttemptState.PAID), ("NO_AUTH", AttemptState.PAID),
    ("INVALID_REQUEST", AttemptState.FAILED), ("SYSTEM_ERROR", AttemptState.FAILED),
])
def test_v3_codepay_not_enabled_falls_back_and_never_charges_twice(
    tmp_path: Path, mode: str, expect: AttemptState
) -> None:
    sim_clock = Clock()
    with own_simulator(tmp_path / "sim", sim_clock) as sim:
        cfg = dataclasses.replace(load_merchant_config(sim.merchant_config_path),
                                  codepay_protocol="v3_with_v2_fallback")
        shop = make_shop(tmp_path, sim, sim_clock, cfg=cfg)
        try:
            sim.set_realism(v3_codepay=mode)
            code = random_success_code()
            aid = shop.till.pay_code(shop.order(500), code)
            assert shop.settle(aid) is expect
            a = shop.till.attempt(aid)
            assert a is not None
            paid = [o for o in sim.engine.orders() if o.trade_state in ("SUCCESS", "REFUND")]
            assert len(paid) == (1 if expect is AttemptState.PAID else 0)   # never twice
            if expect is AttemptState.PAID:
                assert paid[0].out_trade_no == a.out_trade_no
                # the code is spent: the same code again is refused, nothing charged
                again = shop.till.pay_code(shop.order(500), code)
                assert shop.settle(again) is AttemptState.FAILED
                assert len([o for o in sim.engine.orders()
                            if o.trade_state in ("SUCCESS", "REFUND")]) == 1
                # later codes go straight to v2 (remembered)
                nxt = shop.till.pay_code(shop.order(600), random_success_code())
                assert shop.settle(nxt) is AttemptState.PAID
        finally:
            shop.till.shutdown()
            shop.db.close()


def test_default_codepay_route_for_a_real_merchant_is_v2_micropay() -> None:
    assert MerchantConfig.codepay_protocol == "v2"


# ---------------------------------------------------------------- 8. backup domain
def test_backup_domain_from_the_merchant_config_reaches_the_sdk(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = int(s.getsockname()[1])
    sim_clock = Clock()
    with own_simulator(tmp_path / "sim", sim_clock) as sim:
        raw = load_merchant_config(sim.merchant_config_path)
        cfg = dataclasses.replace(raw, base_url=f"http://127.0.0.1:{dead}",
                                  backup_base_url=sim.base_url)
        shop = make_shop(tmp_path, sim, sim_clock, cfg=cfg)
        try:
            aid = shop.till.pay_code(shop.order(321), random_success_code())
            assert shop.settle(aid) is AttemptState.PAID
            a = shop.till.attempt(aid)
            assert a is not None
            assert [o.out_trade_no for o in sim.engine.orders()] == [a.out_trade_no]
        finally:
            shop.till.shutdown()
            shop.db.close()


# ---------------------------------------------------------------- 4. refund outcomes
def paid_code_order(shop: Shop, price: int = 1000) -> int:
    order_id = shop.order(price)
    assert shop.settle(shop.till.pay_code(order_id, random_success_code())) is AttemptState.PAID
    return order_id


def refund(shop: Shop, order_id: int, amount: int) -> list:  # type: ignore[type-arg]
    return shop.mgr.refunds.request_refund(RefundRequest(
        order_id, "amy", "boss", PIN, "退货", amount=Fen(amount)))


def later(shop: Shop, seconds: float) -> None:
    shop.clock.advance(seconds)
    shop.sim_clock.advance(seconds)


@pytest.mark.parametrize("outcome,state,key", [
    ("abnormal", RefundState.ABNORMAL, ManagerText.REFUND_ABNORMAL),
    ("closed", RefundState.CLOSED, ManagerText.REFUND_CLOSED),
])
def test_refund_ends_abnormal_or_closed_and_says_what_next(
    shop: Shop, outcome: str, state: RefundState, key: ManagerText
) -> None:
    order_id = paid_code_order(shop)
    a = shop.till.attempts_for_order(order_id)[0]
    shop.sim.engine.set_refund_behaviour(a.out_trade_no, outcome)
    [rec] = refund(shop, order_id, 1000)
    assert rec.state in (RefundState.PROCESSING, state)
    later(shop, 120)
    done = shop.mgr.refunds.follow(rec.refund_id, wait=lambda s: (later(shop, s), True)[1])
    assert done.state is state
    message = refund_message(done, shop.clock.now())
    assert message.key is key
    if state is RefundState.ABNORMAL:
        text = render(message)
        assert "another account" in text and "offline" in text
        assert shop.mgr.refunds.refundable(order_id).refundable == 0    # money left the shop
    else:
        assert shop.mgr.refunds.refundable(order_id).refundable == 1000  # nothing refunded


def test_refund_refused_for_the_merchant_balance_says_top_up(shop: Shop) -> None:
    order_id = paid_code_order(shop)
    shop.sim.set_realism(merchant_balance_fen=0)
    [rec] = refund(shop, order_id, 500)
    assert rec.state is RefundState.FAILED
    assert refund_message(rec).key is ManagerText.REFUND_REFUSED_BALANCE
    assert "Top up" in render(refund_message(rec))
    assert shop.mgr.refunds.refundable(order_id).refundable == 1000
    assert shop.sim.engine.refunds() == []


def test_partial_refunds_a_minute_apart_the_service_says_when_to_retry(shop: Shop) -> None:
    order_id = paid_code_order(shop)
    [first] = refund(shop, order_id, 100)
    assert first.state is RefundState.PROCESSING
    [second] = refund(shop, order_id, 200)                # within the minute: not accepted
    assert second.state is RefundState.PENDING
    message = refund_message(second)
    assert message.key is ManagerText.REFUND_THROTTLED
    due = shop.clock.now() + timedelta(seconds=60)
    assert message.param_dict()["at"] == f"{due.astimezone(SHOP_TZ):%H:%M:%S}"
    assert shop.mgr.refunds.retry(second.refund_id).state is RefundState.PENDING   # too soon: not sent
    assert len(shop.sim.engine.refunds()) == 1
    later(shop, 61)
    again = shop.mgr.refunds.retry(second.refund_id)
    assert again.state is RefundState.PROCESSING and again.out_refund_no == second.out_refund_no
    assert sorted(r.out_refund_no for r in shop.sim.engine.refunds()) == sorted(
        [first.out_refund_no, second.out_refund_no])                     # once each


def test_rate_limited_refund_stays_pending_and_goes_through_later(shop: Shop) -> None:
    order_id = paid_code_order(shop)
    shop.sim.set_realism(refund_rate_per_s=0)
    [rec] = refund(shop, order_id, 300)
    assert rec.state is RefundState.PENDING
    assert refund_message(rec).key is ManagerText.REFUND_THROTTLED
    shop.sim.set_realism(refund_rate_per_s=150)
    later(shop, 61)
    assert shop.mgr.refunds.retry(rec.refund_id).state is RefundState.PROCESSING
    assert len(shop.sim.engine.refunds()) == 1


def test_long_processing_bank_card_refund_says_days(shop: Shop) -> None:
    order_id = paid_code_order(shop)
    a = shop.till.attempts_for_order(order_id)[0]
    shop.sim.engine.set_refund_behaviour(a.out_trade_no, "bank_card")
    [rec] = refund(shop, order_id, 1000)
    later(shop, 120)
    rec = shop.mgr.refunds.follow(rec.refund_id, wait=lambda s: (later(shop, s), True)[1])
    assert rec.state is RefundState.PROCESSING                       # the schedule ran out
    assert refund_message(rec, shop.clock.now()).key is ManagerText.REFUND_PROCESSING_LONG
    later(shop, 3 * 86400)
    assert shop.mgr.refunds.refresh(rec.refund_id).state is RefundState.SUCCESS


# ---------------------------------------------------------------- 7. coupons
@pytest.mark.parametrize("scenario,merchant_funded", [("coupon", 200), ("coupon_cash", 0)])
def test_code_payment_coupon_is_kept_on_the_attempt_receipt_and_x_report(
    shop: Shop, scenario: str, merchant_funded: int
) -> None:
    shop.mgr.shifts.open("amy", Fen(0))
    order_id = shop.order(1000)
    aid = shop.till.pay_code(order_id, auth_code_for(scenario, seconds=2))   # a ¥2 coupon
    assert shop.settle(aid) is AttemptState.PAID
    a = shop.till.attempt(aid)
    assert a is not None and a.amount == 1000
    assert (a.payer_total, a.coupon, a.merchant_coupon) == (800, 200, merchant_funded)
    [paid] = [e for e in shop.events if e.attempt_id == aid and e.state is AttemptState.PAID]
    cart = Cart()
    cart.add(Product("COKE", "可口可乐", Fen(1000), "6901234567011"), 1)
    receipt = build_receipt(shop_name="店", order_id=order_id, cashier="amy", cart=cart,
                            method=paid.method.value, amount=paid.amount, change=paid.change,
                            transaction_id=paid.transaction_id, created_at=shop.clock.now(),
                            coupon=paid.coupon, customer_paid=paid.payer_total)
    text = "\n".join(receipt_text_lines(receipt))
    assert "微信优惠券" in text and "-￥2.00" in text and "顾客实付" in text and "￥8.00" in text
    x = shop.mgr.shifts.x_report("amy")
    assert x.sales[PaymentMethod.CODEPAY].amount == 1000            # the order total
    assert (x.customer_paid, x.coupons.amount) == (800, 200)
    assert x.settlement == 1000 - merchant_funded                   # NOCASH reduces settlement
    assert "Channels settle" in render_text(x, render=render)


def test_native_merchant_coupon_is_kept_on_the_attempt(shop: Shop) -> None:
    order_id = shop.order(1000)

    def pays_with_coupon(_s: float) -> bool:
        no = shop.till.attempts_for_order(order_id)[0].out_trade_no
        shop.sim.engine.set_native_behaviour(no, coupon=Coupon(250, "NOCASH", "SINGLE", "立减"))
        shop.sim.pay(out_trade_no=no)
        return True

    shop.script[:] = [pays_with_coupon]
    aid = shop.till.pay_native(order_id)
    assert shop.settle(aid) is AttemptState.PAID
    a = shop.till.attempt(aid)
    assert a is not None and (a.payer_total, a.coupon, a.merchant_coupon) == (750, 250, 250)
