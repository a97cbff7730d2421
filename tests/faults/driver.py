"""Fault-injection driver: one payment through TillService against a running simulator,
SIGKILLing itself at the step named by ``POS_KILL_AT`` (``POS_KILL_NTH``-th time, default 1).

Steps are workflow hook names (``intent_committed``, ``response_received``,
``committed:<state>``, ``polling``, ``reversing``, ``closing``) or gateway edges
``<op>:before_send`` / ``<op>:after_send`` (the server acted, we die before reading).

Usage: python -m tests.faults.driver DB MERCHANT_JSON SIM_URL KIND [AUTH_CODE]
KIND: codepay | codepay_cancel | native_paid | native_cancel
``POS_CHANNEL=alipay``: MERCHANT_JSON is an Alipay merchant config and SIM_URL the Alipay
simulator (its customer scans the QR before a cancel: an unscanned Alipay QR cannot be
closed, see tests/integration/test_alipay_till.py).
Prints one JSON line {"attempt_id", "out_trade_no", "state"} when not killed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import cast

import httpx

from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.wechat import WechatChannel as WechatGateway
from pos_app.payments.gateway import (
    BillType,
    ChargeResult,
    CloseResult,
    PaymentChannel,
    QrResult,
    RefundQuery,
    RefundResult,
    ReverseResult,
    TradeBill,
    TradeStatus,
)
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import TillService
from pos_app.storage.catalog import demo_products
from pos_app.storage.db import Database
from pos_app.wechatpay.config import load_merchant_config

KILL_AT = os.environ.get("POS_KILL_AT", "")
KILL_NTH = int(os.environ.get("POS_KILL_NTH", "1"))
CHANNEL = os.environ.get("POS_CHANNEL", "wechat")
_seen: Counter[str] = Counter()

FAST = PollPolicy(
    codepay_poll=Schedule(((1.0, 0.1), (float("inf"), 0.25))),
    codepay_deadline=1.5,
    unknown_first_wait=0.2,
    native_poll=Schedule(((float("inf"), 0.1),)),
    native_ttl=60.0,
    prepay_retry_waits=(0.1,),
    reverse_retry_waits=(0.1, 0.2, 0.3),
    close_retry_waits=(0.1, 0.2),
    not_found_grace=0.5,
)


def step(name: str) -> None:
    _seen[name] += 1
    if name == KILL_AT and _seen[name] == KILL_NTH:
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)


class KillingGateway:
    """Wraps the real gateway so we can die just before / just after a request."""

    def __init__(self, inner: PaymentChannel) -> None:
        self.inner = inner

    def _call(self, op: str, fn: object, *args: object, **kw: object) -> object:
        step(f"{op}:before_send")
        try:
            return fn(*args, **kw)  # type: ignore[operator]
        finally:  # answered, raised or timed out: the server may have acted
            step(f"{op}:after_send")

    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> QrResult:
        return cast(QrResult, self._call(
            "native_prepay", self.inner.native_prepay, out_trade_no=out_trade_no,
            description=description, total=total, time_expire=time_expire))

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> ChargeResult:
        return cast(ChargeResult, self._call(
            "codepay", self.inner.codepay, out_trade_no=out_trade_no,
            description=description, total=total, auth_code=auth_code))

    def query(self, out_trade_no: str) -> TradeStatus:
        return cast(TradeStatus, self._call("query", self.inner.query, out_trade_no))

    def close(self, out_trade_no: str) -> CloseResult:
        return cast(CloseResult, self._call("close", self.inner.close, out_trade_no))

    def reverse(self, out_trade_no: str) -> ReverseResult:
        return cast(ReverseResult, self._call("reverse", self.inner.reverse, out_trade_no))

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> RefundResult:
        return self.inner.refund(out_refund_no=out_refund_no, out_trade_no=out_trade_no,
                                 refund=refund, total=total, reason=reason)

    def query_refund(self, out_refund_no: str, *, out_trade_no: str = "") -> RefundQuery:
        return self.inner.query_refund(out_refund_no, out_trade_no=out_trade_no)

    def trade_bill(self, bill_date: date, bill_type: BillType = BillType.ALL) -> TradeBill:
        return self.inner.trade_bill(bill_date, bill_type)


def main(argv: list[str]) -> int:
    db_path, merchant, sim_url, kind = argv[:4]
    auth_code = argv[4] if len(argv) > 4 else ""
    if CHANNEL == "alipay":
        from pos_app.alipay import load_alipay_config
        from pos_app.payments.channels.alipay import AlipayChannel

        inner: PaymentChannel = AlipayChannel.from_config(load_alipay_config(Path(merchant)))
        policy = replace(FAST, native_ttl=130.0)   # Alipay QR timeouts are whole minutes
    else:
        inner = WechatGateway.from_config(load_merchant_config(Path(merchant)))
        policy = FAST
    gateway = KillingGateway(inner)
    till = TillService(Database(db_path), {CHANNEL: gateway}, policy=policy, fault_hook=step)
    till.recover()
    done = threading.Event()

    def on_event(e: PaymentEvent) -> None:
        if e.state == AttemptState.AWAITING_CUSTOMER and e.code_url and CHANNEL == "alipay" \
                and kind.startswith("native"):
            action = "pay" if kind == "native_paid" else "scan"
            httpx.post(f"{sim_url}/simulator/pay", json={"qr_code": e.code_url,
                                                         "action": action}, timeout=5)
        elif e.state == AttemptState.AWAITING_CUSTOMER and e.code_url and kind == "native_paid":
            httpx.post(f"{sim_url}/simulator/pay", json={"code_url": e.code_url}, timeout=5)
        if e.state == AttemptState.AWAITING_CUSTOMER and kind.endswith("_cancel"):
            threading.Timer(0.15, till.cancel, args=(e.attempt_id,)).start()
        if e.state.terminal or e.state == AttemptState.UNCERTAIN:
            done.set()

    till.subscribe(on_event)
    cart = Cart()
    cart.add(demo_products()[0], 2)
    order_id = till.create_order(cart, cashier="fault-driver")
    if kind.startswith("native"):
        attempt_id = till.pay_native(order_id, CHANNEL)
    else:
        attempt_id = till.pay_code(order_id, auth_code)
    done.wait(30)
    till.wait_idle(30)
    a = till.attempt(attempt_id)
    assert a is not None
    print(json.dumps({"attempt_id": a.id, "out_trade_no": a.out_trade_no,
                      "state": a.state.value, "seen": dict(_seen)}))
    till.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
