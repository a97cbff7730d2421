"""The loop both simulators' notification senders run on (WeChat Pay's callbacks,
Alipay's 异步通知): one daemon thread that calls :meth:`NotifyLoop.tick` every ``poll_s``,
over a queue kept in its own SQLite connection (so a restarted simulator carries on).
Subclasses say what a round does; :meth:`post` is the one HTTP delivery."""

from __future__ import annotations

import logging
import sqlite3
import ssl
import threading
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

#: An answer later than this (or none) counts as a failed delivery, at both services.
ANSWER_TIMEOUT_S = 5.0


class NotifyLoop:
    """Start/stop, the thread and the queue's connection; :meth:`tick` is the subclass's."""

    thread_name = "notify"

    def __init__(self, db_path: Path, schema: str, *, poll_s: float,
                 ca_pem: bytes | None) -> None:
        self.poll_s = poll_s
        self.verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cadata=ca_pem.decode()) if ca_pem else True)
        self._db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None,
                                   timeout=10)
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.execute(schema)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> int:
        raise NotImplementedError

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(ANSWER_TIMEOUT_S + 1)
            self._thread = None
        with self._lock:
            self._db.close()

    def _run(self) -> None:
        while not self._stop.wait(self.poll_s):
            try:
                self.tick()
            except sqlite3.ProgrammingError:    # closed under us at shutdown
                return
            except Exception:                   # the simulator keeps serving regardless
                log.exception("%s round failed", self.thread_name)

    def post(self, url: str, body: bytes, headers: dict[str, str], what: str
             ) -> httpx.Response | None:
        """POST once; None when there was no answer (``.invalid`` hosts are never tried:
        RFC 6761, they never resolve)."""
        if (urlsplit(url).hostname or "").endswith(".invalid"):
            return None
        try:
            with httpx.Client(verify=self.verify, timeout=ANSWER_TIMEOUT_S) as client:
                return client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            log.info("%s to %s: no answer (%s)", what, url, type(exc).__name__)
            return None
