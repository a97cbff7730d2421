"""Start-up and exit of the till against a bare-Qt yardstick, run alternately.

Run: ``.venv/bin/python tests/bench/bench_startup.py [N] [--exe dist/pos-app/pos-app]
[--bare-exe dist/bare-qt-window/bare-qt-window]`` (default N=7, offscreen; ``--exe``: the
PyInstaller bundle instead of ``python -m pos_app``; ``--bare-exe``: the yardstick bundled
the same way, by ``installer/build.sh --yardstick`` — compare a bundle with a bundle).

Each run is a whole process, with ``POS_APP_STARTUP_PROBE=1``:

* ``python -m pos_app --smoke-test signin`` — the real first screen: prints
  ``POS_APP_SIGNIN`` (first event-loop turn with the sign-in window shown),
  ``POS_APP_READY`` (start-up recovery done: ready for sales), then quits once the user
  list is in the window (``POS_APP_QUIT``);
* ``python -m pos_app --smoke-test`` — the sale screen straight away (no sign-in), with
  the payment connection up (demo: the embedded simulator started): ``POS_APP_FIRST_IDLE``,
  ``POS_APP_READY``, ``POS_APP_QUIT``;
* ``tests/bench/bare_qt_window.py`` — the yardstick, printing the same marks.

The app runs use a warm data dir; the sign-in run also runs on an empty one each round
(keys and schema created, demo data seeded), the sale screen once. The script records
process start → each mark (wall clock, and the process's CPU time at the mark, which other
load on the machine disturbs far less), quit → process gone (exit), peak RSS and total CPU
from ``wait4``, and prints medians and the ratio app / yardstick with the load average.
No assertion: these are figures for the closing notes, not a timed test.
"""

from __future__ import annotations

import compileall
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
    first = "SIGNIN" if "POS_APP_SIGNIN" in marks else "FIRST_IDLE"
    assert f"POS_APP_{first}" in marks, out
    return {"window": marks[f"POS_APP_{first}"] - t0, "ready": marks["POS_APP_READY"] - t0,
            "exit": t_gone - quit_at, "wall": t_gone - t0,
            # CPU seconds of the whole process (all threads) up to the mark: far less
            # disturbed by other load on the machine than wall-clock time
            "cpu_window": marks[f"POS_APP_CPU_{first}"], "cpu_ready": marks["POS_APP_CPU_READY"]}


def peak_rss_mib(argv: list[str]) -> tuple[float, float]:
    """Peak RSS (MiB) and CPU seconds (user + system) of one whole run, from ``wait4``."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} rc={proc.returncode}")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # Linux: KiB


def main() -> int:
    args = sys.argv[1:]
    exe: list[str] = [sys.executable, "-m", "pos_app"]
    bare: list[str] = [sys.executable, str(YARDSTICK)]
    for flag in ("--exe", "--bare-exe"):
        if flag in args:
            i = args.index(flag)
            chosen = [str(Path(args[i + 1]).resolve())]
            if flag == "--exe":
                exe = chosen
            else:
                bare = chosen
            del args[i:i + 2]
    n = int(args[0]) if args else 7
    # Bytecode as on an installed till (pip and the bundle compile it; a till run writes
    # it): without it every run would compile the whole app from source (the test
    # environment sets PYTHONDONTWRITEBYTECODE), while the yardstick's PySide6 is compiled.
    compileall.compile_dir(str(ROOT / "pos_app"), quiet=1)
    results: dict[str, list[dict[str, float]]] = {}
    mem: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as d:
        def app(data: str, *smoke: str) -> list[str]:
            return [*exe, "--data-dir", f"{d}/{data}", "--lang", "zh_CN", "--smoke-test", *smoke]

        runs = {"signin": lambda i: app("data", "signin"), "main": lambda i: app("data"),
                # an empty data dir each time: keys generated, schema created, demo data seeded
                "signin-first": lambda i: app(f"first-signin-{i}", "signin"),
                "bare": lambda i: bare}
        first_main = run_once(app("first-main"))
        for i in range(n):
            loads.append(os.getloadavg()[0])
            for name, argv in runs.items():
                results.setdefault(name, []).append(run_once(argv(i)))
                if name == "signin-first":
                    continue  # (its peak memory: the warm run's, plus the key generation)
                rss, used = peak_rss_mib(argv(i))
                mem.setdefault(name, []).append(rss)
                cpu.setdefault(name, []).append(used)

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name]) * 1000

    print(f"app: {' '.join(exe)}\nyardstick: {' '.join(bare)}")
    print(f"runs: {n} each, alternating; python {sys.version.split()[0]}, "
          f"platform offscreen, {os.cpu_count()} cores, 1-min load average "
          f"{min(loads):.1f}–{max(loads):.1f} during the runs")
    print(f"{'measure (median)':<36}{'app':>8}{'yardstick':>11}{'ratio':>7}")
    rows = (("signin", "window", "start → sign-in window (ms)"),
            ("signin", "ready", "start → ready, sign-in (ms)"),
            ("signin", "exit", "quit → gone, sign-in (ms)"),
            ("signin-first", "window", "first run: start → sign-in (ms)"),
            ("signin-first", "ready", "first run: start → ready (ms)"),
            ("main", "window", "start → sale screen (ms)"),
            ("main", "ready", "start → ready, sale screen (ms)"),
            ("main", "exit", "quit → gone, sale screen (ms)"),
            ("signin", "cpu_window", "CPU to sign-in window (ms)"),
            ("signin", "cpu_ready", "CPU to ready, sign-in (ms)"),
            ("signin-first", "cpu_ready", "first run: CPU to ready (ms)"),
            ("main", "cpu_window", "CPU to sale screen (ms)"),
            ("main", "cpu_ready", "CPU to ready, sale screen (ms)"))
    for name, key, label in rows:
        a, b = med(name, key), med("bare", key)
        print(f"{label:<36}{a:>8.0f}{b:>11.0f}{a / b if b else float('nan'):>7.2f}")
    b = statistics.median(mem["bare"])
    for name, label in (("signin", "peak RSS, sign-in (MiB)"),
                        ("main", "peak RSS, sale screen (MiB)")):
        a = statistics.median(mem[name])
        print(f"{label:<36}{a:>8.1f}{b:>11.1f}{a / b:>7.2f}")
    b = statistics.median(cpu["bare"]) * 1000
    for name, label in (("signin", "CPU whole run, sign-in (ms)"),
                        ("main", "CPU whole run, sale screen (ms)")):
        a = statistics.median(cpu[name]) * 1000
        print(f"{label:<36}{a:>8.0f}{b:>11.0f}{a / b:>7.2f}")
    print(f"first run, sale screen (1 run): window {first_main['window'] * 1000:.0f} ms, "
          f"ready {first_main['ready'] * 1000:.0f} ms, exit {first_main['exit'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
