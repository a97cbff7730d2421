"""The first screen loads only what it shows (issue 13): no timing here, only which modules
are in ``sys.modules`` — so a stray top-level import that drags the manager back end, the
simulator, the HTTP/crypto stack or Pillow back in front of the sign-in window fails.

Both checks run in a fresh interpreter (this process has imported everything already).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What the sign-in screen and start-up recovery must not load (each loads when first used:
# the sale screen after the PIN is typed, the payment connection at sign-in).
HEAVY = (
    "pos_app.manager.services", "pos_app.manager.refunds", "pos_app.manager.reconcile",
    "pos_app.manager.store", "pos_app.manager.sqlite_store", "pos_app.manager.shifts",
    "pos_app.manager.reports",
    "pos_app.simulator", "pos_app.alipay", "pos_app.sale",
    "pos_app.wechatpay.client", "pos_app.wechatpay.auth", "pos_app.wechatpay.signer",
    "pos_app.wechatpay.verifier", "pos_app.wechatpay.crypto", "pos_app.wechatpay.v2",
    "pos_app.payments.wechat_gateway", "pos_app.payments.channels",
    "pos_app.ui.main_window", "pos_app.ui.manager", "pos_app.ui.payment_dialogs",
    "pos_app.ui.qr_widget", "pos_app.devices.qr", "pos_app.devices.printer",
    "httpx", "httpcore", "cryptography", "PIL", "qrcode",
    # general rules: no store-hub link, no other payment channel, no device beyond the
    # scanners, no OS keyring and no XML parser before the till is ready
    "pos_app.hub", "pos_app.devices.printer", "pos_app.devices.drawer", "keyring", "xml",
)

# On a warm start (users exist) the sign-in screen does not load the manager package at
# all: the PIN code and its pepper load with the first PIN check (a first run loads
# pos_app.manager.pins to hash the demo users' PINs).
WARM_ONLY = ("pos_app.manager",)

# The pos_app modules the main thread has loaded when the sign-in window is shown (the
# start-up thread has not started yet, so this is exact). A module new to that path
# needs a reason: everything else loads after the first screen, or when first used.
AT_SIGN_IN = {
    "pos_app", "pos_app.cli", "pos_app.app", "pos_app.logs", "pos_app.startup_checks",
    # app.py's own parts (split out of it; their heavy imports stay inside functions)
    "pos_app.startup_plan", "pos_app.backend", "pos_app.payment_connection",
    "pos_app.domain", "pos_app.domain.text", "pos_app.domain.scan", "pos_app.domain.money",
    "pos_app.domain.clock",
    "pos_app.storage", "pos_app.storage.db", "pos_app.storage.errors", "pos_app.storage.lock",
    "pos_app.storage.checks", "pos_app.storage.migrate",
    "pos_app.ui", "pos_app.ui.services", "pos_app.ui.bridge", "pos_app.ui.i18n",
    "pos_app.ui.plain_text", "pos_app.ui.style", "pos_app.ui.keys", "pos_app.ui.qt_ints",
    "pos_app.ui.pin_entry", "pos_app.ui.login_dialog",
}

FIRST_SCREEN = (
    "pos_app.cli", "pos_app.app", "pos_app.logs", "pos_app.ui.bridge", "pos_app.ui.i18n",
    "pos_app.ui.style", "pos_app.ui.login_dialog", "pos_app.ui.pin_entry",
    "pos_app.ui.services",
    # what the start-up thread builds and recovers with before the till is ready
    "pos_app.storage.db", "pos_app.storage.catalog", "pos_app.storage.staff",
    "pos_app.payments.till",
)


def _loaded(code: str, *, env: dict[str, str] | None = None) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return list(json.loads(proc.stdout.strip().splitlines()[-1]))


def _heavy(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_first_screen_modules_import_nothing_heavy() -> None:
    code = ("import importlib, json, sys\n"
            f"for name in {FIRST_SCREEN!r}: importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))")
    loaded = _loaded(code)
    assert set(FIRST_SCREEN) <= set(loaded)
    assert _heavy(loaded) == []


# The real start-up in a fresh interpreter: what is loaded when the sign-in window opens
# (main thread only: the start-up thread begins after it) and whether Qt's enum namespace
# has been built by then (see pos_app/ui/qt_ints.py), then everything loaded by the time
# the till is ready, the users are listed and the scanners are in (``--smoke-test signin``).
_RUN = """
import argparse, json, sys
import PySide6.QtCore as QtCore
from pos_app.app import run
from pos_app.ui import login_dialog
seen = {}
opened = login_dialog.LoginDialog.open
def open_(self):
    opened(self)
    seen["qt_namespace"] = "Qt" in vars(QtCore)
    seen["modules"] = sorted(m for m in sys.modules if m.split(".")[0] == "pos_app")
login_dialog.LoginDialog.open = open_
ns = argparse.Namespace(config=None, demo=False, data_dir=sys.argv[1], lang="zh_CN",
                        smoke_test="signin", screenshot=None)
assert run(ns) == 0
print(json.dumps({**seen, "loaded": sorted(sys.modules)}))
"""


def _start(data_dir: Path) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", _RUN, str(data_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    found: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return found


@pytest.mark.slow
def test_sign_in_screen_and_recovery_load_nothing_heavy(tmp_path: Path) -> None:
    """The real start-up, up to the sign-in window with the users listed, recovery done
    and the scanners installed (``--smoke-test signin``), then quit: on a first run (keys,
    schema, demo users created) and again on the warm data dir."""
    first = _start(tmp_path)
    warm = _start(tmp_path)
    for run in (first, warm):
        loaded = list(run["loaded"])  # type: ignore[call-overload]
        assert "pos_app.ui.login_dialog" in loaded and "pos_app.payments.till" in loaded
        assert _heavy(loaded) == []
        # the sign-in window is up before anything beyond its own modules is loaded …
        assert set(run["modules"]) - AT_SIGN_IN == set()  # type: ignore[call-overload]
        # … and before Qt's enum namespace is built (~15 ms: pos_app/ui/qt_ints.py)
        assert run["qt_namespace"] is False
    warm_loaded = list(warm["loaded"])  # type: ignore[call-overload]
    assert [m for m in warm_loaded if m.startswith(WARM_ONLY)] == []


def test_qt_ints_are_the_qt_values(qapp: object) -> None:
    """The ints the sign-in screen sets by property name are Qt's values, and Qt takes
    them: the PIN pad's keys never take the focus, the title is centred."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QLineEdit

    from pos_app.ui import qt_ints
    from pos_app.ui.pin_entry import pin_pad

    assert Qt.AlignmentFlag.AlignCenter.value == qt_ints.ALIGN_CENTER
    assert Qt.FocusPolicy.NoFocus.value == qt_ints.NO_FOCUS
    _grid, keys = pin_pad(QLineEdit(), "OK", lambda: None)
    assert {k.focusPolicy() for k in keys.values()} == {Qt.FocusPolicy.NoFocus}
    label = QLabel("x")
    label.setProperty("alignment", qt_ints.ALIGN_CENTER)
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter


def test_no_module_of_ours_uses_pyside_features() -> None:
    """app.py spares our modules PySide's ``__feature__`` scan: none may use features."""
    users = [p for p in (ROOT / "pos_app").rglob("*.py")
             if "__feature__" in p.read_text(encoding="utf-8") and p.name != "app.py"]
    assert users == []


def test_the_sale_screen_modules_leave_qr_payment_stack_and_simulator_for_later() -> None:
    """The sale screen's modules load without the QR encoder and Pillow (the first QR or
    the warm-up encode on the worker loads them), the HTTP/crypto stack or the simulator
    (the payment connection, built after the sale screen is up)."""
    later = ("PIL", "qrcode", "pos_app.devices.qr", "httpx", "cryptography",
             "pos_app.simulator", "pos_app.wechatpay.client", "pos_app.payments.channels",
             "pos_app.alipay", "pos_app.hub")
    code = ("import importlib, json, sys\n"
            "import pos_app.ui.main_window\n"
            "print(json.dumps(sorted(sys.modules)))")
    loaded = _loaded(code, env={"QT_QPA_PLATFORM": "offscreen"})
    assert sorted(m for m in loaded if m.startswith(later)) == []


def test_no_module_of_ours_starts_processes_through_multiprocessing() -> None:
    """installer/pos_app.spec leaves out PyInstaller's multiprocessing runtime hook (an
    import of multiprocessing at every start of the bundle): that is only right while no
    code of ours uses multiprocessing or a process pool."""
    users = [p for p in (ROOT / "pos_app").rglob("*.py")
             if any(w in p.read_text(encoding="utf-8")
                    for w in ("multiprocessing", "ProcessPoolExecutor"))]
    assert users == []
