"""The customer display with two screens: runs tests/ui/two_screens_display.py in a process
of its own on the offscreen platform with a screens file (Qt reads the screens once, when
the application starts), and the one-screen case here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
SCREENS = {"screens": [
    {"name": "till", "x": 0, "y": 0, "width": 1280, "height": 800,
     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
    {"name": "customer", "x": 1280, "y": 0, "width": 800, "height": 480,
     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}


def run_two_screens(tmp_path: Path, lang: str = "en", shots: str = "") -> subprocess.CompletedProcess[str]:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               POS_TWO_SCREENS="1", POS_LANG=lang, POS_SHOTS=shots, LANG="C.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "--timeout=120", str(ROOT / "tests" / "ui" / "two_screens_display.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_customer_display_on_a_second_screen(tmp_path):
    done = run_two_screens(tmp_path)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "3 passed" in done.stdout and "skipped" not in done.stdout, done.stdout[-2000:]


def test_one_screen_builds_no_display_and_the_setting_says_so(qtbot, ui):
    from PySide6.QtGui import QGuiApplication

    assert len(QGuiApplication.screens()) == 1
    qtbot.wait(50)                                       # (after the window is up)
    assert ui.devices.display is None and ui.settings.display.screen == "auto"
    assert ui.findChild(object, "customerDisplay") is None
    from pos_app.ui.device_settings import DisplayPage
    from pos_app.ui.settings_model import DisplaySettings

    page = DisplayPage(DisplaySettings())
    qtbot.addWidget(page)
    assert "Only one screen" in page.note.text()
    assert page.display_settings() == DisplaySettings("auto")
    qtbot.keyClick(ui, Qt.Key.Key_Escape)
