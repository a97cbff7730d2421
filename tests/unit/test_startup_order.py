"""What start-up recovery waits for, and what it does not (issue 13): the PIN pepper (an
OS keyring look-up, slow on a first run or on a desktop with a keyring) is needed for PIN
checks only, so the till is built and recovered without it; a pepper that cannot be read
still stops the start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.backend import build_core
from pos_app.startup_plan import Plan
from pos_app.storage import pepper as pepper_mod

ROOT = Path(__file__).resolve().parents[2]


def test_the_till_is_built_and_recovered_without_the_pepper(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Path] = []

    def no_pepper(db_path: Path) -> bytes:
        asked.append(db_path)
        raise OSError("keyring locked")

    monkeypatch.setattr(pepper_mod, "load_pepper", no_pepper)
    core = build_core(Plan(tmp_path, live=False))
    try:
        assert core.till.recover() == []
        assert core.login.user_names() == []  # the users table, no PIN code
        assert asked == []
        with pytest.raises(OSError):
            core.seed()  # demo users need PIN hashes: now the pepper is asked for
        assert asked and isinstance(core.seeded.exception(), OSError)
    finally:
        core.close()


@pytest.mark.slow
def test_a_damaged_pepper_still_stops_the_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    argv = [sys.executable, "-m", "pos_app", "--data-dir", str(data), "--smoke-test", "signin"]
    first = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr[-2000:]
    (data / "demo" / pepper_mod.PEPPER_FILE).write_text("not hex", encoding="ascii")
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "cannot start" in proc.stderr and "damaged" in proc.stderr
