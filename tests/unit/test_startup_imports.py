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
)

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


@pytest.mark.slow
def test_sign_in_screen_and_recovery_load_nothing_heavy(tmp_path: Path) -> None:
    """The real start-up, up to the sign-in window with the users listed, recovery done
    and the scanners installed (``--smoke-test signin``), then quit."""
    code = ("import argparse, json, sys\n"
            "from pos_app.app import run\n"
            f"ns = argparse.Namespace(config=None, demo=False, data_dir={str(tmp_path)!r},\n"
            "                        lang='zh_CN', smoke_test='signin', screenshot=None)\n"
            "assert run(ns) == 0\n"
            "print(json.dumps(sorted(sys.modules)))")
    loaded = _loaded(code, env={"QT_QPA_PLATFORM": "offscreen"})
    assert "pos_app.ui.login_dialog" in loaded and "pos_app.payments.till" in loaded
    assert _heavy(loaded) == []
