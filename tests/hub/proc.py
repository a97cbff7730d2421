"""Run the real hub (``python -m pos_app hub``) as a subprocess on a free port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx


class HubProcess:
    def __init__(self, data_dir: Path, db_url: str, *, tls: bool = True, port: int = 0) -> None:
        self.data_dir = data_dir
        self.tls = tls
        self.port = port
        data_dir.mkdir(parents=True, exist_ok=True)
        self.config = data_dir / "hub.toml"
        self.config.write_text(f'[hub]\ndatabase_url = "{db_url}"\ntls = {str(tls).lower()}\n')
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "hub.log"

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "pos_app", "hub", *args, "--data-dir", str(self.data_dir),
             "--config", str(self.config)],
            check=True, capture_output=True, text=True, timeout=60,
        )
        return out.stdout

    def start(self, timeout: float = 30.0) -> str:
        port_file = self.data_dir / "hub.port"
        port_file.unlink(missing_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pos_app", "hub", "serve", "--data-dir", str(self.data_dir),
                 "--config", str(self.config), "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        deadline = time.monotonic() + timeout
        scheme = "https" if self.tls else "http"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited: {self.log.read_text()[-2000:]}")
            if port_file.exists() and port_file.read_text().strip():
                url = f"{scheme}://127.0.0.1:{port_file.read_text().strip()}"
                try:
                    httpx.get(f"{url}/health", verify=False, timeout=2)
                    return url
                except httpx.HTTPError:
                    pass
            time.sleep(0.05)
        raise RuntimeError("hub did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
