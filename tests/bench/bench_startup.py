"""Start-up and exit of the till against a bare-Qt yardstick, run alternately.

Run: ``.venv/bin/python tests/bench/bench_startup.py [N] [--exe dist/pos-app/pos-app]``
(default N=7, offscreen; ``--exe``: the PyInstaller bundle instead of ``python -m pos_app``).

Each run is a whole process, with ``POS_APP_STARTUP_PROBE=1``:

* ``python -m pos_app --smoke-test signin`` — the real first screen: prints
  ``POS_APP_SIGNIN`` (first event-loop turn with the sign-in window shown),
  ``POS_APP_READY`` (start-up recovery done: ready for sales), then quits once the user
  list is in the window (``POS_APP_QUIT``);
* ``python -m pos_app --smoke-test`` — the sale screen straight away (no sign-in), with
  the payment connection up (demo: the embedded simulator started): ``POS_APP_FIRST_IDLE``,
  ``POS_APP_READY``, ``POS_APP_QUIT``;
* ``tests/bench/bare_qt_window.py`` — the yardstick, printing the same marks.

Both app runs use a warm data dir, plus one first run each on an empty one (keys and
schema created). The script records process start → each mark, quit → process gone
(exit), and peak RSS from ``wait4``, and prints medians and the ratio app / yardstick.
No assertion: these are figures for the closing notes, not a timed test.
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
    window = marks.get("POS_APP_SIGNIN", marks.get("POS_APP_FIRST_IDLE"))
    assert window is not None, out
    return {"window": window - t0, "ready": marks["POS_APP_READY"] - t0,
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
    args = sys.argv[1:]
    exe: list[str] = [sys.executable, "-m", "pos_app"]
    if "--exe" in args:
        i = args.index("--exe")
        exe = [str(Path(args[i + 1]).resolve())]
        del args[i:i + 2]
    n = int(args[0]) if args else 7
    with tempfile.TemporaryDirectory() as d:
        app = [*exe, "--data-dir", f"{d}/data", "--lang", "zh_CN"]
        runs = {"signin": [*app, "--smoke-test", "signin"], "main": [*app, "--smoke-test"],
                "bare": [sys.executable, str(YARDSTICK)]}
        # empty data dirs: keys generated, schema created, demo data seeded
        at = len(exe) + 1  # the --data-dir value
        first = {name: run_once([*argv[:at], f"{d}/first-{name}", *argv[at + 1:]])
                 for name, argv in runs.items() if name != "bare"}
        results: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
        mem: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(n):
            for name, argv in runs.items():
                results[name].append(run_once(argv))
                mem[name].append(peak_rss_mib(argv))

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name]) * 1000

    print(f"app: {' '.join(exe)}")
    print(f"runs: {n} each, alternating; python {sys.version.split()[0]}, "
          f"platform offscreen, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"{'measure (median)':<34}{'app':>9}{'yardstick':>11}{'ratio':>7}")
    rows = (("signin", "window", "start → sign-in window (ms)"),
            ("signin", "ready", "start → ready, sign-in (ms)"),
            ("signin", "exit", "quit → gone, sign-in (ms)"),
            ("main", "window", "start → sale screen (ms)"),
            ("main", "ready", "start → ready, sale screen (ms)"),
            ("main", "exit", "quit → gone, sale screen (ms)"),
            ("main", "wall", "whole run, sale screen (ms)"))
    for name, key, label in rows:
        a, b = med(name, key), med("bare", key)
        print(f"{label:<34}{a:>9.0f}{b:>11.0f}{a / b if b else float('nan'):>7.2f}")
    b = statistics.median(mem["bare"])
    for name, label in (("signin", "peak RSS, sign-in (MiB)"), ("main", "peak RSS, sale screen (MiB)")):
        a = statistics.median(mem[name])
        print(f"{label:<34}{a:>9.1f}{b:>11.1f}{a / b:>7.2f}")
    for name, r in first.items():
        print(f"first run, empty data dir, {name}: window {r['window'] * 1000:.0f} ms, "
              f"ready {r['ready'] * 1000:.0f} ms, exit {r['exit'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
