"""Payment workflow benchmark against the real simulator (HTTP on 127.0.0.1).

Run: ``.venv/bin/python -m tests.bench.bench_payments [--n 50]``

Prints
* per-payment app overhead: wall time of a payment minus the time spent inside
  gateway calls (HTTP + signing + verification are the "network" part),
* SQLite write time per committed transition (attempt row + audit event + order
  status in one synchronous=FULL WAL transaction) and for the intent commit,
* detection latency: simulator marks a Native order paid → workflow reports PAID,
  with the production PollPolicy, at several moments after the QR was shown.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pos_app.domain.cart import Cart
from pos_app.domain.payment import AttemptState
from pos_app.payments.api import PaymentEvent
from pos_app.payments.channels.wechat import WechatGateway
from pos_app.payments.till import TillService
from pos_app.simulator.scenarios import auth_code_for
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.catalog import demo_products
from pos_app.storage.db import Database
from pos_app.wechatpay.config import load_merchant_config


class TimedGateway:
    """Accumulates time spent in gateway calls (per thread-agnostic total)."""

    def __init__(self, inner: WechatGateway) -> None:
        self.inner = inner
        self.spent = 0.0

    def __getattr__(self, name: str) -> Any:
        fn = getattr(self.inner, name)

        def timed(*args: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                self.spent += time.perf_counter() - t
        return timed


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return (f"median {statistics.median(values) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"
            f"   max {values[-1] * 1000:7.2f} ms   (n={len(values)})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ns = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="pos-bench-"))
    sim = SimulatorServer(tmp / "sim").start()
    cfg = load_merchant_config(sim.merchant_config_path)
    gw = TimedGateway(WechatGateway.from_config(cfg))
    db = Database(tmp / "pos.sqlite3")
    till = TillService(db, gw)  # type: ignore[arg-type]
    till.recover()

    commit_times: list[float] = []
    orig = till.attempts.transition

    def timed_transition(*a: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            return orig(*a, **kw)
        finally:
            commit_times.append(time.perf_counter() - t)

    till.attempts.transition = timed_transition  # type: ignore[method-assign]

    events: list[tuple[float, PaymentEvent]] = []
    done = threading.Event()

    def on_event(e: PaymentEvent) -> None:
        events.append((time.perf_counter(), e))
        if e.state.terminal:
            done.set()

    till.subscribe(on_event)
    products = demo_products()

    def new_order() -> int:
        cart = Cart()
        cart.add(products[0], 2)
        cart.add(products[6])
        return till.create_order(cart, cashier="bench")

    def one(pay: Callable[[int], int]) -> tuple[float, float, float]:
        oid = new_order()
        done.clear()
        gw.spent = 0.0
        t0 = time.perf_counter()
        aid = pay(oid)
        t_intent = time.perf_counter() - t0
        assert done.wait(30)
        total = time.perf_counter() - t0
        a = till.attempt(aid)
        assert a is not None and a.state == AttemptState.PAID, a
        return total, total - gw.spent, t_intent

    # warm-up (TLS-free loopback, key loading, sqlite page cache)
    for _ in range(3):
        one(lambda oid: till.pay_code(oid, auth_code_for("success")))
    commit_times.clear()

    code = [one(lambda oid: till.pay_code(oid, auth_code_for("success"))) for _ in range(ns.n)]
    code_commits = list(commit_times)
    commit_times.clear()
    cash = [one(lambda oid: till.pay_cash(oid, 10000)) for _ in range(ns.n)]

    print(f"pos_app payment benchmark — simulator at {sim.base_url}, db {db.path}")
    print()
    print("payment code (SUCCESS at once), per payment:")
    print("  end-to-end (pay_code → PAID event)   ", _ms([c[0] for c in code]))
    print("  app overhead (minus gateway time)    ", _ms([c[1] for c in code]))
    print("  gateway time (HTTP+sign+verify)      ", _ms([c[0] - c[1] for c in code]))
    print("  intent commit (pay_code returns)     ", _ms([c[2] for c in code]))
    print("  DB write per transition              ", _ms(code_commits))
    print("cash (one local transaction + event):")
    print("  pay_cash → PAID event                ", _ms([c[0] for c in cash]))

    # Detection latency, Native, production PollPolicy.
    print()
    print("Native detection latency (simulator pay → PAID event), production PollPolicy:")
    for delay in (0.3, 0.8, 1.7, 3.2, 6.5, 12.0):
        lat: list[float] = []
        for _ in range(2):
            oid = new_order()
            done.clear()
            events.clear()
            aid = till.pay_native(oid)
            while not any(e.state == AttemptState.AWAITING_CUSTOMER for _, e in events):
                time.sleep(0.005)
            shown = next(t for t, e in events if e.state == AttemptState.AWAITING_CUSTOMER)
            time.sleep(max(0.0, shown + delay - time.perf_counter()))
            a = till.attempt(aid)
            assert a is not None
            t_pay = time.perf_counter()
            sim.engine.pay(code_url=a.code_url)
            assert done.wait(30)
            t_paid = next(t for t, e in events if e.state == AttemptState.PAID)
            lat.append(t_paid - t_pay)
        print(f"  paid {delay:5.1f} s after QR shown:  ",
              "  ".join(f"{x * 1000:6.0f} ms" for x in lat))

    # Payment code with password: customer finishes at t = 2 s.
    lat = []
    for _ in range(3):
        oid = new_order()
        done.clear()
        events.clear()
        t0 = time.perf_counter()
        till.pay_code(oid, auth_code_for("userpaying_then_success", seconds=2))
        assert done.wait(30)
        t_paid = next(t for t, e in events if e.state == AttemptState.PAID)
        lat.append(t_paid - t0 - 2.0)
    print("  code USERPAYING, paid at t=2 s:      ",
          "  ".join(f"{x * 1000:6.0f} ms" for x in lat))
    till.shutdown()
    sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
