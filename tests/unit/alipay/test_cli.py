"""``pos-app alipay-simulator`` runs the gateway until SIGTERM and writes both merchant configs."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx

from pos_app.alipay import AlipayClient, load_alipay_config


def test_alipay_simulator_subcommand(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pos_app.cli import main; sys.exit(main())",
         "alipay-simulator", "--state-dir", str(tmp_path), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Alipay simulator: http://127.0.0.1:")
        url = first.split(": ", 1)[1].strip()
        assert httpx.get(url.replace("/gateway.do", "/simulator/health")).json()["ok"]
        for name in ("alipay_merchant.json", "alipay_merchant_certmode.json"):
            with AlipayClient.from_config(load_alipay_config(tmp_path / name)) as c:
                assert c.query("T1") is None
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
