"""Submit → bytes at the printer, over loopback: ``.venv/bin/python -m tests.unit.devices.bench_print_latency``.

A local TCP printer (tests/unit/devices/fake_printer.py) takes N receipt-sized jobs one at
a time through the real PrintQueue + NetworkPrinter; each job's time runs from
``submit()`` to the moment the listener has received its last byte. Not collected by
pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import statistics
import sys
import threading
import time

from pos_app.devices.printer.network import NetworkPrinter, NetworkPrinterConfig
from pos_app.devices.printer.queue import PrintQueue
from tests.unit.devices.fake_printer import FakePrinter


def measure(n: int, *, query_status: bool, silent: bool = False) -> list[float]:
    fp = FakePrinter()
    fp.silent = silent
    got = threading.Event()
    state = {"need": 0, "have": 0, "t": 0.0}

    def on_data(job: bytes, t: float) -> None:
        state["have"] += len(job)
        if state["have"] >= state["need"]:
            state["t"] = t
            got.set()

    fp.on_data = on_data
    q = PrintQueue(NetworkPrinter(NetworkPrinterConfig(
        "127.0.0.1", fp.port, status_timeout=0.5, query_status=query_status)))
    q.start()
    out: list[float] = []
    try:
        for i in range(n):
            job = b"\x1b@" + "演示便利店 可口可乐 330ml  2 x 3.00   6.00\n".encode("gb18030") * 24
            job += f"JOB{i:05d}\n".encode() + b"\x1dVB\x00"
            state.update(need=len(job), have=0)
            got.clear()
            t0 = time.perf_counter()
            q.submit(job)
            if not got.wait(5):
                raise RuntimeError(f"job {i} not received")
            out.append(state["t"] - t0)
            while q.status().pending:  # the next job starts on a quiet queue
                time.sleep(0.0005)
    finally:
        q.stop()
        fp.stop()
    return out


def report(name: str, xs: list[float]) -> None:
    ms = sorted(x * 1000 for x in xs)
    print(f"{name}: n={len(ms)} median={statistics.median(ms):.2f} ms "
          f"p90={ms[int(len(ms) * 0.9) - 1]:.2f} ms max={ms[-1]:.2f} ms")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    report("status-answering printer (DLE EOT 1-4 before the job)", measure(n, query_status=True))
    report("status queries off", measure(n, query_status=False))
    silent = measure(20, query_status=True, silent=True)
    report("never answers status: first 3 jobs (one 0.5 s probe each)", silent[:3])
    report("never answers status: the next 17 (not asked for 60 s)", silent[3:])
