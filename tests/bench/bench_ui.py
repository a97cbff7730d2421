"""UI benchmarks (offscreen). Run: ``.venv/bin/python tests/bench/bench_ui.py``.

1. Cold start: wall time from ``Popen`` of ``python -m pos_app --smoke-test`` to the
   first idle turn of the Qt event loop with the main window shown (median of 5,
   warm data dir) and to "ready for sales" (start-up recovery done). Also one run
   with an empty data dir (simulator keys generated).
2. UI-thread stall during payments with 2 s injected network latency on every
   simulator request: a 5 ms QTimer heartbeat records the largest gap between ticks
   while a Native payment and a payment-code payment run to PAID.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")


def start_once(data_dir: Path) -> tuple[float, float, float]:
    env = {**os.environ, "POS_APP_STARTUP_PROBE": "1"}
    t0 = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "pos_app", "--smoke-test", "--data-dir", str(data_dir),
         "--lang", "zh_CN"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    t_exit = time.time()
    if proc.returncode != 0:
        raise RuntimeError(f"smoke test failed rc={proc.returncode}: {proc.stderr[-2000:]}")
    marks = dict(line.split() for line in proc.stdout.splitlines() if line.startswith("POS_APP_"))
    return (float(marks["POS_APP_FIRST_IDLE"]) - t0, float(marks["POS_APP_READY"]) - t0,
            t_exit - t0)


def bench_cold_start(n: int = 5) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as d:
        first = start_once(Path(d) / "fresh")
        warm = [start_once(Path(d) / "fresh") for _ in range(n)]
    idle = [w[0] * 1000 for w in warm]
    ready = [w[1] * 1000 for w in warm]
    return {
        "first_idle_ms_median": round(statistics.median(idle)),
        "first_idle_ms_runs": [round(x) for x in idle],
        "ready_ms_median": round(statistics.median(ready)),
        "ready_ms_runs": [round(x) for x in ready],
        "empty_data_dir_first_idle_ms": round(first[0] * 1000),
        "empty_data_dir_ready_ms": round(first[1] * 1000),
    }


def bench_stall(latency: float = 2.0) -> dict[str, object]:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from pos_app.backend import StaffLogin, seed_demo_users
    from pos_app.domain.payment import AttemptState
    from pos_app.payment_connection import SimulatorCustomer
    from pos_app.payments.channels.wechat import WechatGateway
    from pos_app.payments.policy import PollPolicy, Schedule
    from pos_app.payments.till import TillService
    from pos_app.simulator.scenarios import auth_code_for
    from pos_app.simulator.server import SimulatorServer
    from pos_app.storage.catalog import ProductRepository
    from pos_app.storage.db import Database
    from pos_app.storage.staff import UserRepository
    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.main_window import MainWindow, payment_sink
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.services import AppServices, Mode, Session
    from pos_app.ui.settings_model import AppSettings
    from pos_app.wechatpay.config import load_merchant_config

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="pos_bench_"))
    server = SimulatorServer(tmp / "sim").start()
    db = Database(tmp / "pos.sqlite3")
    catalog = ProductRepository(db)
    catalog.seed_demo()
    users = UserRepository(db)
    seed_demo_users(users)
    cfg = load_merchant_config(server.merchant_config_path)
    poll = Schedule(((math.inf, 0.5),))
    till = TillService(db, WechatGateway.from_config(cfg),
                       policy=PollPolicy(codepay_poll=poll, native_poll=poll))
    till.recover()
    services = AppServices(till=till, catalog=catalog, login=StaffLogin(users), mode=Mode.DEMO,
                           data_dir=tmp, demo=SimulatorCustomer(server))
    bridge = Bridge()
    worker = Worker(bridge)
    hub = ScannerHub(bridge)
    hub.install(app)  # type: ignore[arg-type]
    till.subscribe(payment_sink(bridge))
    win = MainWindow(services, Session("bench", "cashier"), bridge, worker, hub, AppSettings())
    win.show()
    win.recovery_done([])

    clock = QElapsedTimer()
    gaps: list[int] = []
    last = [0]

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    def spin_until(pred, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > deadline:
                raise TimeoutError
            app.processEvents()
            time.sleep(0.001)

    spin_until(lambda: win.quick_grid.count() > 0, 10)
    server.inject("latency", seconds=latency)
    product = catalog.quick_keys()[0]
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    results: dict[str, object] = {"latency_s": latency}

    for label in ("native", "code"):
        gaps.clear()
        win.add_product(product)
        clock.start()
        last[0] = 0
        heartbeat.start()
        t0 = time.monotonic()
        if label == "native":
            win.pay_native()
            dlg = win.dialog
            spin_until(lambda d=dlg: d.state is AttemptState.AWAITING_CUSTOMER)
            url = dlg.qr.data
            worker.run(lambda u=url: server.pay(code_url=u))
        else:
            win.pay_code(first_code=auth_code_for("success"))
            dlg = win.dialog
        spin_until(lambda d=dlg: d.state is AttemptState.PAID)
        elapsed = time.monotonic() - t0
        heartbeat.stop()
        dlg.accept()
        spin_until(lambda: win.receipt_dialog is not None and win.receipt_dialog.isVisible())
        win.receipt_dialog.accept()
        results[label] = {
            "payment_wall_s": round(elapsed, 2),
            "heartbeats": len(gaps),
            "max_gap_ms": max(gaps),
            "p99_gap_ms": sorted(gaps)[int(len(gaps) * 0.99) - 1],
            "median_gap_ms": statistics.median(gaps),
        }
    server.reset_faults()
    win.close()
    worker.shutdown(wait=True)
    till.shutdown(wait=True)
    server.stop()
    db.close()
    return results


def main() -> int:
    import json

    out = {"cold_start": bench_cold_start(), "ui_stall": bench_stall()}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
