"""The print queue against a local TCP printer: nothing is lost while the printer is off,
out of paper or drops the connection; every state change is reported."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from pos_app.devices.printer.network import Delivery, NetworkPrinter, NetworkPrinterConfig
from pos_app.devices.printer.queue import (
    Backoff,
    PrintJob,
    PrintQueue,
    QueueState,
    QueueStatus,
    SinkPrinter,
)
from pos_app.devices.printer.sinks import FileSink, PrinterError
from pos_app.devices.printer.status import Condition, PrinterStatusText
from tests.unit.devices.fake_printer import PAPER_OUT, READY, FakePrinter, fake_printer

FAST = Backoff(first=0.02, factor=2.0, cap=0.1)


def job(n: int) -> bytes:
    return b"\x1b@" + f"receipt {n:04d}\n".encode() * 20 + b"\x1dVB\x00"


def wait_until(pred: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.005)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[QueueStatus] = []

    def __call__(self, s: QueueStatus) -> None:
        with self.lock:
            self.seen.append(s)

    def states(self) -> list[tuple[QueueState, Condition]]:
        with self.lock:
            return [(s.state, s.condition) for s in self.seen]


def net(port: int) -> NetworkPrinter:
    return NetworkPrinter(NetworkPrinterConfig("127.0.0.1", port, connect_timeout=0.5,
                                               write_timeout=1.0, status_timeout=0.3))


def test_jobs_print_in_order_and_each_change_is_reported() -> None:
    rec = Recorder()
    printed: list[int] = []
    with fake_printer() as fp:
        q = PrintQueue(net(fp.port), on_change=rec, backoff=FAST,
                       on_printed=lambda j, d: printed.append(j.job_id))
        q.start()
        ids = [q.submit(job(i), f"receipt {i}") for i in range(5)]
        wait_until(lambda: q.status().printed == 5 and q.status().state is QueueState.IDLE)
        assert q.stop()
        assert fp.printed == b"".join(job(i) for i in range(5))
        assert printed == ids and q.pending() == []
    states = rec.states()
    assert states[0][0] is QueueState.IDLE and states[-1][0] is QueueState.STOPPED
    assert (QueueState.PRINTING, Condition.UNKNOWN) in states
    assert all(a != b for a, b in zip(rec.seen, rec.seen[1:], strict=False))  # changes only
    assert max(s.printed for s in rec.seen) == 5


def test_nothing_is_lost_while_the_printer_is_off() -> None:
    rec = Recorder()
    fp = FakePrinter(off=True)
    try:
        q = PrintQueue(net(fp.port), on_change=rec, backoff=FAST)
        q.start()
        for i in range(3):
            q.submit(job(i))
        wait_until(lambda: q.status().attempts >= 3)
        s = q.status()
        assert s.condition is Condition.UNREACHABLE and s.pending == 3
        assert s.message is not None and s.message.key is PrinterStatusText.UNREACHABLE
        waiting = [x for x in rec.seen if x.state is QueueState.WAITING]
        assert [x.retry_in_ms for x in waiting[:3]] == [20, 40, 80]
        fp.power_on()
        wait_until(lambda: q.status().printed == 3)
        assert fp.printed == job(0) + job(1) + job(2)
        assert q.status().condition is Condition.READY and q.status().message is None
        assert q.stop()
    finally:
        fp.stop()


def test_out_of_paper_waits_then_prints_when_paper_is_loaded() -> None:
    rec = Recorder()
    with fake_printer() as fp:
        fp.status = dict(PAPER_OUT)
        q = PrintQueue(net(fp.port), on_change=rec, backoff=Backoff(first=60, cap=60))
        q.start()
        q.submit(job(1))
        wait_until(lambda: q.status().state is QueueState.WAITING)
        s = q.status()
        assert s.condition is Condition.PAPER_OUT and s.pending == 1 and s.retry_in_ms == 60000
        assert s.message is not None and s.message.key is PrinterStatusText.PAPER_OUT
        assert fp.printed == b""
        fp.status = dict(READY)
        t0 = time.monotonic()
        q.retry_now()  # the cashier loaded paper: no need to wait out the backoff
        wait_until(lambda: q.status().printed == 1, timeout=3)
        assert time.monotonic() - t0 < 3
        assert fp.printed == job(1)
        assert q.stop()
    assert (QueueState.WAITING, Condition.PAPER_OUT) in rec.states()
    assert rec.states().index((QueueState.WAITING, Condition.PAPER_OUT)) < \
        rec.states().index((QueueState.IDLE, Condition.READY))


def test_a_job_dropped_mid_way_is_sent_again_whole() -> None:
    with fake_printer() as fp:
        fp.drop_after = 50
        q = PrintQueue(net(fp.port), backoff=FAST)
        q.start()
        q.submit(job(7))
        wait_until(lambda: q.status().printed == 1)
        assert q.stop()
        assert [bytes(c) for c in fp.connections if c] == [job(7)[:50], job(7)]


def test_stop_keeps_unprinted_jobs_and_ends_promptly() -> None:
    fp = FakePrinter(off=True)
    try:
        q = PrintQueue(net(fp.port), backoff=Backoff(first=60, cap=60))
        q.start()
        a = q.submit(job(1), "a")
        q.submit(job(2), "b")
        wait_until(lambda: q.status().state is QueueState.WAITING)
        t0 = time.monotonic()
        assert q.stop(timeout=5)
        assert time.monotonic() - t0 < 2
        assert [j.label for j in q.pending()] == ["a", "b"]
        assert q.status().state is QueueState.STOPPED and q.status().pending == 2
        fp.power_on()  # a restarted queue carries on with them
        q.start()
        wait_until(lambda: q.status().printed == 2)
        assert fp.printed == job(1) + job(2)
        assert q.stop() and a == 1
    finally:
        fp.stop()


def test_cancel_removes_a_waiting_job_only() -> None:
    fp = FakePrinter(off=True)
    try:
        q = PrintQueue(net(fp.port), backoff=FAST)
        q.start()
        a = q.submit(job(1))
        b = q.submit(job(2))
        wait_until(lambda: q.status().attempts >= 1)
        assert q.cancel(b) and not q.cancel(b) and not q.cancel(999)
        fp.power_on()
        wait_until(lambda: q.status().printed == 1 and q.status().pending == 0)
        assert fp.printed == job(1)
        assert q.stop() and a == 1
    finally:
        fp.stop()


class Flaky:
    """Fails (PrinterError, then a bug) before succeeding; records what it was given."""

    def __init__(self, failures: list[Exception]) -> None:
        self.failures = failures
        self.got: list[bytes] = []

    def deliver(self, data: bytes) -> Delivery:
        if self.failures:
            raise self.failures.pop(0)
        self.got.append(data)
        return Delivery(confirmed=False, status=None)


@pytest.mark.logs_errors
def test_any_failure_keeps_the_job_and_a_bad_callback_does_not_stop_the_worker() -> None:
    p = Flaky([PrinterError("off"), RuntimeError("bug"), OSError("gone")])

    def bad_callback(_s: QueueStatus) -> None:
        raise ValueError("ui bug")

    q = PrintQueue(p, on_change=bad_callback, backoff=FAST)
    q.start()
    q.submit(b"one")
    wait_until(lambda: q.status().printed == 1)
    assert p.got == [b"one"] and q.stop()


def test_plain_sinks_can_be_queued(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "spool.bin"
    q = PrintQueue(SinkPrinter(FileSink(path)), backoff=FAST)
    q.start()
    q.submit(b"abc")
    q.submit(b"def")
    wait_until(lambda: q.status().printed == 2)
    assert q.stop() and path.read_bytes() == b"abcdef"


def test_backoff_grows_and_is_capped() -> None:
    b = Backoff(first=0.5, factor=2, cap=30)
    assert [b.delay(n) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]


def test_empty_jobs_and_double_start_are_refused() -> None:
    q = PrintQueue(Flaky([]), backoff=FAST)
    with pytest.raises(ValueError):
        q.submit(b"")
    q.start()
    with pytest.raises(RuntimeError):
        q.start()
    assert q.stop()


def test_print_job_value() -> None:
    assert PrintJob(1, b"x").label == ""
