"""Receipts to a network printer through the till's Printing (real sockets, the local fake
printer): queued at once, kept and retried while the printer is off or out of paper, the
state told for the status area; the drawer kick goes straight to the printer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pos_app.devices.drawer import CashDrawer, DrawerReason
from pos_app.devices.printer.escpos import INIT, render_receipt
from pos_app.devices.printer.queue import Backoff, QueueState, QueueStatus
from pos_app.devices.printer.status import Condition
from pos_app.devices.receipt import build_receipt
from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.sale.printing import Printing
from tests.unit.devices.fake_printer import PAPER_OUT, READY, fake_printer


@dataclass(frozen=True)
class NetCfg:
    port: int
    kind: str = "network"
    host: str = "127.0.0.1"
    target: str = ""
    baud: int = 9600
    encoding: str = "gb18030"
    width: int = 32


class Inline:
    def run(self, fn, on_done=None, on_error=None):  # type: ignore[no-untyped-def]
        try:
            result = fn()
        except BaseException as exc:
            if on_error is not None:
                on_error(exc)
            return None
        if on_done is not None:
            on_done(result)
        return None


def wait_until(pred: Callable[[], bool], timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def receipt(n: int):  # type: ignore[no-untyped-def]
    cart = Cart()
    cart.add(Product("COKE", "可口可乐", Fen(300), "6901234567011"), n)
    return build_receipt(shop_name="测试商店", order_id=n, cashier="王芳", cart=cart,
                         method="cash", amount=cart.total, change=Fen(0), transaction_id="",
                         created_at=datetime(2026, 12, 2, 9, 0))


def test_receipts_queue_at_once_wait_out_of_paper_and_print_when_loaded() -> None:
    statuses: list[QueueStatus] = []
    lock = threading.Lock()

    def on_status(st: QueueStatus) -> None:
        with lock:
            statuses.append(st)

    with fake_printer() as printer:
        printer.status = dict(PAPER_OUT)
        printing = Printing(Inline(), NetCfg(printer.port), on_status,
                            backoff=Backoff(first=0.05, factor=2.0, cap=0.2))
        done: list[BaseException | None] = []
        t0 = time.monotonic()
        printing.print_receipt(receipt(1), done.append)
        printing.print_receipt(receipt(2), done.append)
        assert done == [None, None] and time.monotonic() - t0 < 0.2   # never waits on it
        wait_until(lambda: any(s.state is QueueState.WAITING
                               and s.condition is Condition.PAPER_OUT for s in list(statuses)))
        waiting = next(s for s in statuses if s.state is QueueState.WAITING)
        assert waiting.pending == 2 and waiting.message is not None
        assert str(waiting.message.key) == "printer_status.paper_out"
        assert printer.printed == b""                    # nothing sent to a printer without paper
        printer.status = dict(READY)                     # paper loaded
        printing.retry_now()
        wait_until(lambda: statuses[-1].state is QueueState.IDLE and statuses[-1].printed == 2)
        want = (render_receipt(receipt(1)) + render_receipt(receipt(2)))
        assert printer.printed == want                   # both, in order, once each
        printing.stop()


def test_an_unreachable_printer_keeps_the_receipt_until_it_is_on() -> None:
    statuses: list[QueueStatus] = []
    with fake_printer(off=True) as printer:
        printing = Printing(Inline(), NetCfg(printer.port), statuses.append,
                            backoff=Backoff(first=0.05, factor=2.0, cap=0.1))
        printing.print_text("X 报表", lambda e: None)
        wait_until(lambda: any(s.condition is Condition.UNREACHABLE for s in list(statuses)))
        printer.power_on()
        wait_until(lambda: statuses[-1].printed == 1)
        assert printer.printed.startswith(INIT) and "X 报表".encode("gb18030") in printer.printed
        printing.stop()


def test_a_changed_setting_moves_waiting_jobs_to_the_new_printer() -> None:
    with fake_printer(off=True) as old, fake_printer() as new:
        printing = Printing(Inline(), NetCfg(old.port),
                            backoff=Backoff(first=0.05, factor=2.0, cap=0.1))
        printing.print_receipt(receipt(3), lambda e: None)
        wait_until(lambda: printing.queue is not None
                   and printing.queue.status().state is QueueState.WAITING)
        printing.configure(NetCfg(new.port))
        wait_until(lambda: new.printed == render_receipt(receipt(3)))
        assert old.printed == b""
        printing.stop()


def test_the_drawer_kick_goes_straight_to_the_network_printer() -> None:
    with fake_printer() as printer:
        printing = Printing(Inline(), NetCfg(printer.port))
        got: list[object] = []
        printing.send_now(b"\x1bp\x00\x19\xfa", got.append)
        assert printer.printed == b"\x1bp\x00\x19\xfa" and len(got) == 1
        opening = CashDrawer(printing.printer()).open(DrawerReason.CASH_SALE, reference="00000001")
        assert opening.confirmed and printer.printed.endswith(b"\x1bp\x00\x19\xfa")
        printing.stop()


def test_closing_the_sale_screen_does_not_drop_a_waiting_receipt() -> None:
    with fake_printer(off=True) as printer:
        printing = Printing(Inline(), NetCfg(printer.port),
                            backoff=Backoff(first=0.05, factor=2.0, cap=0.1))
        printing.print_receipt(receipt(4), lambda e: None)
        queue = printing.queue
        assert queue is not None
        wait_until(lambda: queue.status().state is QueueState.WAITING)
        printing.stop()                                  # sign-out while it waits
        printer.power_on()
        wait_until(lambda: printer.printed == render_receipt(receipt(4)))
        queue.stop()
