"""Start-up failures (issue 12 item 12), through the real ``python -m pos_app``: damaged
settings fall back to defaults with a warning and the file kept aside; a log folder that
cannot be created, a read-only data folder or (live mode) a read-only database give one
clear line and exit 2 — no traceback, no sale screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pos_app.simulator.server import SimulatorServer
from pos_app.storage.db import Database

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _run(data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pos_app", "--data-dir", str(data), "--lang",
                           "en", "--smoke-test", *extra], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=90)


def _one_clear_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("pos-app:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Writes refused even for root (the immutable attribute), else plain permissions."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("running as root on a file system without chattr +i")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            path.chmod(mode)


@pytest.mark.parametrize("content", [
    json.dumps({"scanner": {"max_gap_ms": "fifty", "serial_baud": 9600}}),
    json.dumps({"printer": {"width": 400}}),
    json.dumps({"scanner": [1, 2]}),
    json.dumps(["not", "an", "object"]),
    '{"scanner": {"max_gap_ms": 50,',
    json.dumps({"backup": {"folder": "relative/path"}}),
])
def test_damaged_settings_fall_back_to_defaults_and_are_kept_aside(
    tmp_path: Path, content: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text(content, encoding="utf-8")
    proc = _run(data)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "settings.json is damaged" in proc.stderr and "default settings are used" in proc.stderr
    kept = list(data.glob("settings.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == content
    assert not (data / "settings.json").exists()


def test_good_settings_are_read_without_a_warning(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps(
        {"scanner": {"max_gap_ms": 60}, "backup": {"folder": str(tmp_path / "usb"),
                                                   "interval_minutes": 30, "keep": 3}}))
    proc = _run(data)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "damaged" not in proc.stderr and (data / "settings.json").exists()


def test_a_log_folder_that_cannot_be_created(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "logs").write_text("a file where the log folder should be")
    line = _one_clear_line(_run(data))
    assert "Cannot create or write the folder" in line and str(data / "logs") in line


def test_a_read_only_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with read_only(data):
        line = _one_clear_line(_run(data))
    assert str(data) in line
    assert not (data / "demo").exists()


def test_a_read_only_database_in_live_mode_never_opens_sales(
    tmp_path: Path, sim: SimulatorServer
) -> None:
    data = tmp_path / "data"
    Database(data / "pos_app.sqlite3").close()
    config = tmp_path / "shop.toml"
    config.write_text(f'merchant_config = "{sim.merchant_config_path.as_posix()}"\n')
    before = (data / "pos_app.sqlite3").read_bytes()
    with read_only(data / "pos_app.sqlite3"):
        line = _one_clear_line(_run(data, "--config", str(config)))
    assert "cannot be written" in line and "sales stay closed" in line
    assert (data / "pos_app.sqlite3").read_bytes() == before


def test_a_dialog_only_where_there_is_a_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    from pos_app.startup_checks import has_display

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("DISPLAY", ":0")
    assert not has_display()
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert has_display()
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not has_display()                    # a bare console: the stderr line only


def test_the_line_in_chinese(tmp_path: Path) -> None:
    from pos_app.startup_checks import StartupFailure, one_line, take_data_dir

    held = take_data_dir(tmp_path)
    try:
        with pytest.raises(StartupFailure) as info:
            take_data_dir(tmp_path)
    finally:
        held.release()
    line = one_line(info.value.message, "zh_CN")
    assert "已有收银程序在使用数据目录" in line and "\n" not in line
