"""Start-up and exit of the till against a bare-Qt yardstick, run alternately.

Run: ``.venv/bin/python tests/bench/bench_startup.py [N]`` (default N=7, offscreen).

Each run is a whole process: ``python -m pos_app --smoke-test`` (warm data dir, and one
first run with an empty data dir) and ``tests/bench/bare_qt_window.py``. Both print
``POS_APP_FIRST_IDLE`` (first event-loop turn with the window shown), ``POS_APP_READY``
(the till: start-up recovery done) and ``POS_APP_QUIT`` (app.quit called); the script
records process start → those marks, quit → process gone (exit), and peak RSS from
``wait4``. Prints medians and the ratio app / yardstick for each. No assertion: these
are figures for the closing notes, not a timed test.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
YARDSTICK = Path(__file__).with_name("bare_qt_window.py")


def run_once(argv: list[str]) -> dict[str, float]:
    env = {**os.environ, "POS_APP_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"}
    t0 = time.time()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=120)
    t_gone = time.time()
    # communicate() reaped the child; its rusage is in RUSAGE_CHILDREN only cumulatively,
    # so peak memory comes from a second, wait4-based run below when asked.
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} rc={proc.returncode}: {err[-2000:]}")
    marks = {k: float(v) for k, v in (line.split() for line in out.splitlines()
                                      if line.startswith("POS_APP_"))}
    quit_at = marks.get("POS_APP_QUIT", t_gone)
    return {"window": marks["POS_APP_FIRST_IDLE"] - t0, "ready": marks["POS_APP_READY"] - t0,
            "exit": t_gone - quit_at, "wall": t_gone - t0}


def peak_rss_mib(argv: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} rc={proc.returncode}")
    return usage.ru_maxrss / 1024  # Linux: KiB


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as d:
        app = [sys.executable, "-m", "pos_app", "--smoke-test", "--data-dir", f"{d}/data",
               "--lang", "zh_CN"]
        bare = [sys.executable, str(YARDSTICK)]
        first = run_once(app)  # empty data dir: keys generated, schema created
        results: dict[str, list[dict[str, float]]] = {"app": [], "bare": []}
        mem: dict[str, list[float]] = {"app": [], "bare": []}
        for _ in range(n):
            for name, argv in (("app", app), ("bare", bare)):
                results[name].append(run_once(argv))
                mem[name].append(peak_rss_mib(argv))

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    print(f"runs: {n} each, alternating; python {sys.version.split()[0]}, "
          f"platform offscreen, {os.cpu_count()} cores")
    print(f"{'measure':<24}{'app':>10}{'yardstick':>12}{'ratio':>8}")
    for key, label in (("window", "start → window (ms)"), ("ready", "start → ready (ms)"),
                       ("exit", "quit → gone (ms)"), ("wall", "whole run (ms)")):
        a, b = med("app", key) * 1000, med("bare", key) * 1000
        print(f"{label:<24}{a:>10.0f}{b:>12.0f}{a / b if b else float('nan'):>8.2f}")
    a, b = statistics.median(mem["app"]), statistics.median(mem["bare"])
    print(f"{'peak RSS (MiB)':<24}{a:>10.1f}{b:>12.1f}{a / b:>8.2f}")
    print(f"first run, empty data dir: window {first['window'] * 1000:.0f} ms, "
          f"ready {first['ready'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
