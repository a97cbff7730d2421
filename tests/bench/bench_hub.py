"""Benchmark (a script, not a test): 8 tills x 1,000 sales each against one real hub process.

    .venv/bin/python tests/bench/bench_hub.py [--tills 8] [--sales 1000] [--rate 50]
                                              [--backends sqlite,postgresql]

Each simulated till commits sales (5 outbox rows each: order, line, attempt, event, order) at
``--rate`` sales/s (0: all committed up front, a pure ingest burst) and a sender thread uploads
what is pending every 50 ms (batches up to 500 rows) over TLS with the pinned CA, as a till
would. Reported per back end, plain and with the hub restarted (SIGTERM, then started again on
the same port) half-way through: ingest rows/s (all rows / wall time from first commit to last
ack), sync lag p50/p99 (a row's till commit → the hub's answer confirming it), hub CPU seconds
(user+sys, all hub processes) and peak RSS (VmHWM).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from pos_app.hub.client import Enrolment, HubClient, HubRefused, enrol  # noqa: E402
from pos_app.hub.db import make_engine, migrate, sqlite_url  # noqa: E402
from pos_app.hub.protocol import OutboxRow  # noqa: E402
from pos_app.hub.store import HubStore  # noqa: E402
from pos_app.hub.tls import ca_fingerprint  # noqa: E402
from tests.hub.pg import free_port, pg_cluster  # noqa: E402
from tests.hub.proc import HubProcess  # noqa: E402
from tests.hub.rows import TillRows  # noqa: E402


def proc_stats(pid: int) -> tuple[float, int]:
    """(CPU seconds user+sys, peak RSS bytes) of a live process."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    hwm = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) * 1024
    return cpu, hwm


class SimTill(threading.Thread):
    def __init__(self, enrolment: Enrolment, sales: int, rate: float, stop: threading.Event,
                 client_holder: dict[str, HubClient]) -> None:
        super().__init__(daemon=True)
        self.enrolment = enrolment
        maker = TillRows(enrolment.till_id)
        self.rows: list[OutboxRow] = [r for i in range(sales) for r in maker.sale(f"O{i}", 100 + i % 900)]
        self.committed: list[float] = []
        self.lags: list[float] = []
        self.rate = rate
        self.stop = stop
        self.holder = client_holder
        self.acked = 0
        self.errors = 0

    def commit_loop(self) -> None:
        start = time.monotonic()
        for i in range(len(self.rows) // 5):
            if self.rate:
                delay = start + i / self.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            now = time.monotonic()
            self.committed.extend([now] * 5)

    def run(self) -> None:
        if not self.rate:
            now = time.monotonic()
            self.committed = [now] * len(self.rows)
        else:
            threading.Thread(target=self.commit_loop, daemon=True).start()
        while self.acked < len(self.rows) and not self.stop.is_set():
            pending = len(self.committed) - self.acked
            if pending <= 0:
                time.sleep(0.05)
                continue
            batch = self.rows[self.acked:self.acked + min(pending, 500)]
            try:
                high = self.holder["client"].upload(batch, backlog=pending - len(batch))
            except (httpx.HTTPError, HubRefused, RuntimeError):
                self.errors += 1
                time.sleep(0.1)
                continue
            done = time.monotonic()
            self.lags.extend(done - self.committed[i] for i in range(self.acked, high))
            self.acked = high
            if self.rate:
                time.sleep(0.05)


def run_once(url_db: str, work: Path, tills: int, sales: int, rate: float, restart: bool) -> dict[str, float]:
    engine = make_engine(url_db)
    migrate(engine)
    store = HubStore(engine)
    port = free_port()
    hub = HubProcess(work, url_db, tls=True, port=port)
    url = hub.start()
    fingerprint = ca_fingerprint((work / "tls" / "ca.pem").read_bytes())
    stop = threading.Event()
    sims = []
    for n in range(tills):
        e = enrol(url, store.create_enrol_code(), f"bench {n}", fingerprint)
        sims.append(SimTill(e, sales, rate, stop, {"client": HubClient(e, timeout=30)}))
    cpu_total, rss_peak = 0.0, 0
    t0 = time.monotonic()
    for s in sims:
        s.start()
    total = sum(len(s.rows) for s in sims)
    if restart:
        while sum(s.acked for s in sims) < total // 2:
            time.sleep(0.02)
        assert hub.proc is not None
        cpu, rss = proc_stats(hub.proc.pid)
        cpu_total, rss_peak = cpu_total + cpu, max(rss_peak, rss)
        hub.stop()
        hub.start()
    for s in sims:
        s.join(600)
    wall = time.monotonic() - t0
    assert hub.proc is not None
    cpu, rss = proc_stats(hub.proc.pid)
    cpu_total, rss_peak = cpu_total + cpu, max(rss_peak, rss)
    hub.stop()
    held = store.outbox_count()
    engine.dispose()
    lags = sorted(x for s in sims for x in s.lags)
    assert held == total, (held, total)
    return {
        "rows": total, "wall_s": wall, "rows_per_s": total / wall,
        "lag_p50_ms": 1000 * statistics.median(lags),
        "lag_p99_ms": 1000 * lags[int(0.99 * (len(lags) - 1))],
        "hub_cpu_s": cpu_total, "hub_peak_rss_mb": rss_peak / 2**20,
        "sender_errors": sum(s.errors for s in sims),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tills", type=int, default=8)
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0, help="sales/s per till (0 = burst)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    ns = parser.parse_args()
    print(f"{ns.tills} tills x {ns.sales} sales (x5 rows), {ns.rate or 'burst'} sales/s/till, TLS")
    for backend in ns.backends.split(","):
        for restart in (False, True):
            with tempfile.TemporaryDirectory() as tmp:
                work = Path(tmp)
                if backend == "sqlite":
                    result = run_once(sqlite_url(work / "db"), work / "hub", ns.tills, ns.sales,
                                      ns.rate, restart)
                else:
                    with pg_cluster() as server:
                        result = run_once(server, work / "hub", ns.tills, ns.sales, ns.rate, restart)
            label = f"{backend}{' +restart' if restart else ''}"
            print(f"{label:22} " + "  ".join(
                f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
