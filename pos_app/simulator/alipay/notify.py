"""Alipay's asynchronous notifications (异步通知, ``notify_url``), as the simulator sends
them (alipay-api.md §2.3).

When a QR (precreate) trade that carried a ``notify_url`` is paid, the simulator POSTs what
Alipay POSTs: an ``application/x-www-form-urlencoded`` ``trade_status_sync`` form, RSA2-signed
with Alipay's key (the certificate-mode key when ``cert_mode``), ``notify_id`` the same on
every resend, ``notify_time`` and the signature fresh each time. A payment-code (bar_code)
trade gets none: 当面付 notifies TRADE_SUCCESS of a precreate; barcode pay relies on the
synchronous answer and the query (§2.3).

Only the plain body ``success`` (exactly those seven characters, after a 2xx) ends it.
Anything else — another body, ``fail``, an error status, no answer within 5 s, no connection —
is resent at Alipay's schedule: 4 m, 10 m, 10 m, 1 h, 2 h, 6 h, 15 h (eight deliveries within
25 h), then never again, each delay multiplied by ``retry_scale`` (tests shorten it). The
queue lives in the simulator's state directory, so a restarted simulator carries on.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from pos_app.alipay.signing import rsa2_sign, sign_content
from pos_app.simulator.alipay.engine import AlipayEngine, beijing
from pos_app.simulator.alipay.provision import AlipaySimIdentity
from pos_app.simulator.notify_loop import NotifyLoop

log = logging.getLogger(__name__)

#: Alipay's delays before each resend (seconds), §2.3.
ALIPAY_RETRY_S: tuple[float, ...] = (240, 600, 600, 3600, 7200, 21600, 54000)
SUCCESS_BODY = b"success"
_SCHEMA = ("CREATE TABLE IF NOT EXISTS notify_queue("
           " notify_id TEXT PRIMARY KEY, out_trade_no TEXT NOT NULL UNIQUE, url TEXT NOT NULL,"
           " fields TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL,"
           " delivered_at REAL, last_status INTEGER, last_body TEXT,"
           " gave_up INTEGER NOT NULL DEFAULT 0)")
_FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
         "User-Agent": "Mozilla/4.0"}


class AlipayNotifySender(NotifyLoop):
    """Queues and delivers notifications for ``engine``'s paid QR trades (one thread,
    started by the simulator server). :meth:`tick` does one round (tests may call it)."""

    thread_name = "alipay-notify"

    def __init__(self, engine: AlipayEngine, identity: AlipaySimIdentity, *,
                 wall_clock: Callable[[], float] = time.time, poll_s: float = 0.5,
                 retry_scale: float = 1.0, cert_mode: bool = False,
                 ca_pem: bytes | None = None) -> None:
        self.engine = engine
        self.identity = identity
        self.wall_clock = wall_clock
        super().__init__(engine.state_dir / "alipay_notify.sqlite3", _SCHEMA, poll_s=poll_s,
                         ca_pem=ca_pem)
        self.retry_scale = retry_scale
        self.cert_mode = cert_mode
        self.enabled = True

    # -- one round ---------------------------------------------------------------------------
    def tick(self) -> int:
        """Queue new notifications, deliver the due ones; returns deliveries attempted."""
        if not self.enabled:
            return 0
        with self._lock:
            self._queue_new()
            due = self._db.execute(
                "SELECT notify_id, url, fields, failures FROM notify_queue"
                " WHERE delivered_at IS NULL AND gave_up = 0 AND next_at <= ? ORDER BY next_at",
                (self.wall_clock(),)).fetchall()
        for row in due:
            if self._stop.is_set():
                break
            self._deliver(*row)
        return len(due)

    def pending(self) -> list[dict[str, Any]]:
        """The queue (for tests)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT notify_id, out_trade_no, failures, delivered_at, last_status, gave_up"
                " FROM notify_queue ORDER BY rowid").fetchall()
        keys = ("notify_id", "out_trade_no", "failures", "delivered_at", "last_status",
                "gave_up")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def _queue_new(self) -> None:
        queued = {r[0] for r in self._db.execute("SELECT out_trade_no FROM notify_queue")}
        now = self.wall_clock()
        for doc in self.engine.all_trades():
            # only a precreate records a notify_url (a bar_code trade never has one)
            if not doc.notify_url or doc.paid_at is None or doc.out_trade_no in queued:
                continue
            fields = self.engine.paid_notification_fields(doc, self.identity.app_id)
            self._db.execute(
                "INSERT INTO notify_queue (notify_id, out_trade_no, url, fields, next_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (fields["notify_id"], doc.out_trade_no, doc.notify_url,
                 json.dumps(fields, ensure_ascii=False), now))

    # -- delivery ----------------------------------------------------------------------------
    def body(self, fields: dict[str, str]) -> bytes:
        """The signed form of ``fields`` with a fresh ``notify_time``."""
        fields = dict(fields, notify_time=beijing(self.wall_clock()))
        key = (self.identity.alipay_cert_private_key if self.cert_mode
               else self.identity.alipay_private_key)
        fields["sign"] = rsa2_sign(sign_content(fields, exclude=frozenset({"sign", "sign_type"})),
                                   key)
        return urlencode(fields).encode("ascii")

    def _deliver(self, notify_id: str, url: str, fields_text: str, failures: int) -> None:
        response = self.post(url, self.body(json.loads(fields_text)), _FORM,
                             f"alipay notify {notify_id}")
        status = None if response is None else response.status_code
        answer = b"" if response is None else response.content[:100]
        now = self.wall_clock()
        with self._lock:
            if self._stop.is_set() and status is None:
                return
            if status is not None and 200 <= status < 300 and answer == SUCCESS_BODY:
                self._db.execute("UPDATE notify_queue SET delivered_at = ?, last_status = ?,"
                                 " last_body = ? WHERE notify_id = ?",
                                 (now, status, answer.decode("ascii"), notify_id))
                log.info("alipay notify %s delivered", notify_id)
                return
            failures += 1
            gave_up = failures > len(ALIPAY_RETRY_S)
            delay = 0.0 if gave_up else ALIPAY_RETRY_S[failures - 1] * self.retry_scale
            self._db.execute(
                "UPDATE notify_queue SET failures = ?, last_status = ?, last_body = ?,"
                " next_at = ?, gave_up = ? WHERE notify_id = ?",
                (failures, status, answer.decode("utf-8", "replace"), now + delay,
                 int(gave_up), notify_id))
