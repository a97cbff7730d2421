"""WeChat Pay's callbacks (notify_url), as the simulator sends them (wechatpay-api.md §3).

When a Native payment succeeds, or a refund of such an order reaches its final state, and
the order carried a ``notify_url``, the simulator POSTs what WeChat POSTs: a JSON envelope
(``id`` a UUID, ``event_type`` ``TRANSACTION.SUCCESS`` / ``REFUND.SUCCESS|ABNORMAL|CLOSED``,
``resource`` AES-256-GCM encrypted with the merchant's APIv3 key, AAD ``transaction`` /
``refund``, a 12-character nonce), signed like an API answer (``Wechatpay-Timestamp``,
``-Nonce``, ``-Signature``, ``-Serial``) with the public-key-mode key or the platform
certificate (``Realism.notify_key``). Payment-code payments get no callback (§3: "付款码
… no async notification"), as at WeChat.

An answer other than 2xx (or none within 5 s, or no connection) is retried on WeChat's
schedule — 15 s, 15 s, 30 s, 3 m, 10 m, 20 m, 30 m, 30 m, 30 m, 60 m, 3 h, 3 h, 3 h, 6 h, 6 h,
then never again — multiplied by ``Realism.notify_retry_scale`` (tests shorten it). Every
retry carries the same body and id with a fresh signature. ``Realism.notify_signtest``
makes each notification's first delivery carry a ``WECHATPAY/SIGNTEST/`` signature (the
probe WeChat sends to check the merchant verifies). ``Realism.notify_enabled`` off: nothing
is sent (queued notifications wait). The queue lives in the simulator's SQLite, so a
restarted simulator carries on with its retries.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

from pos_app.simulator.engine import Engine
from pos_app.simulator.notify_loop import NotifyLoop
from pos_app.simulator.provision import SimIdentity
from pos_app.simulator.records import SimError, fmt_rfc3339
from pos_app.simulator.v3_bodies import order_json
from pos_app.wechatpay.crypto import (
    AUTH_SCHEME,
    aes_gcm_encrypt,
    nonce_str,
    response_message,
    rsa_sign,
)

log = logging.getLogger(__name__)

#: WeChat's retry delays after each failed delivery (seconds), §3.
WECHAT_RETRY_S: tuple[float, ...] = (
    15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
)
_SCHEMA = ("CREATE TABLE IF NOT EXISTS notify_queue("
           " id TEXT PRIMARY KEY, source TEXT NOT NULL UNIQUE, url TEXT NOT NULL,"
           " event_type TEXT NOT NULL, body TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,"
           " next_at REAL NOT NULL, delivered_at REAL, last_status INTEGER,"
           " gave_up INTEGER NOT NULL DEFAULT 0)")
REFUND_FINAL = ("SUCCESS", "ABNORMAL", "CLOSED")
_SUMMARY = {"TRANSACTION.SUCCESS": "支付成功", "REFUND.SUCCESS": "退款成功",
            "REFUND.ABNORMAL": "退款异常", "REFUND.CLOSED": "退款关闭"}


class NotifySender(NotifyLoop):
    """Queues and delivers callbacks for ``engine``'s orders (one thread, started by the
    simulator server). :meth:`tick` does one round (tests may call it directly)."""

    thread_name = "wxpay-notify"

    def __init__(self, engine: Engine, identity: SimIdentity, *,
                 wall_clock: Callable[[], float] = time.time, poll_s: float = 0.5,
                 ca_pem: bytes | None = None) -> None:
        self.engine = engine
        self.identity = identity
        self.wall_clock = wall_clock
        super().__init__(identity.state_dir / "simulator.sqlite3", _SCHEMA, poll_s=poll_s,
                         ca_pem=ca_pem)

    # -- one round ---------------------------------------------------------------------------
    def tick(self) -> int:
        """Queue new callbacks, deliver the due ones; returns deliveries attempted."""
        if not self.engine.realism.notify_enabled:
            return 0
        with self._lock:
            self._queue_new()
            due = self._db.execute(
                "SELECT id, url, event_type, body, failures FROM notify_queue"
                " WHERE delivered_at IS NULL AND gave_up = 0 AND next_at <= ? ORDER BY next_at",
                (self.wall_clock(),)).fetchall()
        for row in due:
            if self._stop.is_set():
                break
            self._deliver(*row)
        return len(due)

    def pending(self) -> list[dict[str, Any]]:
        """The queue (for tests and the control API)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, source, event_type, failures, delivered_at, last_status, gave_up"
                " FROM notify_queue ORDER BY rowid").fetchall()
        keys = ("id", "source", "event_type", "failures", "delivered_at", "last_status", "gave_up")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def _queue_new(self) -> None:
        """Orders with a notify_url not yet notified (and not finished unpaid), refunds of
        such orders not yet notified: read through the engine, which settles them."""
        now = self.wall_clock()
        orders = self._db.execute(
            "SELECT o.mchid, o.out_trade_no, json_extract(o.data, '$.notify_url') FROM orders o"
            " WHERE json_extract(o.data, '$.notify_url') <> ''"
            " AND json_extract(o.data, '$.trade_state') NOT IN ('CLOSED', 'REVOKED', 'PAYERROR')"
            " AND NOT EXISTS (SELECT 1 FROM notify_queue q"
            "   WHERE q.source = 'TRANSACTION:' || o.mchid || ':' || o.out_trade_no)").fetchall()
        for mchid, out_trade_no, url in orders:
            try:
                v = self.engine.query(mchid, out_trade_no=out_trade_no)
            except SimError:                     # forgotten meanwhile (clear())
                continue
            if v.trade_state in ("SUCCESS", "REFUND") and v.transaction_id:
                doc = order_json(v)
                doc.update(trade_state="SUCCESS", trade_state_desc="支付成功")
                self._enqueue(f"TRANSACTION:{mchid}:{out_trade_no}", url,
                              "TRANSACTION.SUCCESS", "transaction", doc, now)
        refunds = self._db.execute(
            "SELECT r.mchid, r.out_refund_no, json_extract(o.data, '$.notify_url') FROM refunds r"
            " JOIN orders o ON o.mchid = r.mchid AND o.out_trade_no = r.out_trade_no"
            " WHERE json_extract(o.data, '$.notify_url') <> ''"
            " AND NOT EXISTS (SELECT 1 FROM notify_queue q"
            "   WHERE q.source = 'REFUND:' || r.mchid || ':' || r.out_refund_no)").fetchall()
        for mchid, out_refund_no, url in refunds:
            try:
                r = self.engine.query_refund(mchid, out_refund_no)
            except SimError:
                continue
            if r.status in REFUND_FINAL:
                doc = {
                    "mchid": r.mchid, "transaction_id": r.transaction_id,
                    "out_trade_no": r.out_trade_no, "refund_id": r.refund_id,
                    "out_refund_no": r.out_refund_no, "refund_status": r.status,
                    "user_received_account": r.user_received_account,
                    "amount": {"total": r.total, "refund": r.refund, "payer_total": r.total,
                               "payer_refund": r.refund},
                }
                if r.success_at is not None:
                    doc["success_time"] = fmt_rfc3339(r.success_at)
                self._enqueue(f"REFUND:{mchid}:{out_refund_no}", url,
                              f"REFUND.{r.status}", "refund", doc, now)

    def _enqueue(self, source: str, url: str, event_type: str, original_type: str,
                 resource: dict[str, Any], now: float) -> None:
        if self._db.execute("SELECT 1 FROM notify_queue WHERE source = ?", (source,)).fetchone():
            return
        nonce = nonce_str(12)
        body = json.dumps({
            "id": str(uuid.uuid4()),
            "create_time": fmt_rfc3339(now),
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": _SUMMARY.get(event_type, ""),
            "resource": {
                "original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": aes_gcm_encrypt(self.identity.apiv3_key, nonce, original_type,
                                              json.dumps(resource, ensure_ascii=False)),
                "associated_data": original_type, "nonce": nonce,
            },
        }, ensure_ascii=False)
        notification_id = json.loads(body)["id"]
        self._db.execute(
            "INSERT INTO notify_queue (id, source, url, event_type, body, next_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (notification_id, source, url, event_type, body, now))

    # -- delivery ----------------------------------------------------------------------------
    def headers(self, body: bytes, *, probe: bool = False) -> dict[str, str]:
        ident, realism = self.identity, self.engine.realism
        if realism.notify_key == "public_key":
            key, serial = ident.pubkey_private, ident.public_key_id
        else:
            key, serial = ident.platform_key, ident.platform_serial
        ts = str(int(self.wall_clock()))
        nonce = secrets.token_hex(16)
        signature = rsa_sign(key, response_message(ts, nonce, body))
        if probe:
            signature = "WECHATPAY/SIGNTEST/" + signature[19:]
        return {"Content-Type": "application/json", "Wechatpay-Timestamp": ts,
                "Wechatpay-Nonce": nonce, "Wechatpay-Signature": signature,
                "Wechatpay-Serial": serial, "Wechatpay-Signature-Type": AUTH_SCHEME,
                "User-Agent": "Mozilla/4.0"}

    def _deliver(self, nid: str, url: str, event_type: str, body_text: str, failures: int) -> None:
        body = body_text.encode()
        probe = self.engine.realism.notify_signtest and failures == 0
        response = self.post(url, body, self.headers(body, probe=probe),
                             f"notify {event_type} {nid}")
        status = None if response is None else response.status_code
        now = self.wall_clock()
        with self._lock:
            if self._stop.is_set() and status is None:
                return
            if status is not None and 200 <= status < 300:
                self._db.execute("UPDATE notify_queue SET delivered_at = ?, last_status = ?"
                                 " WHERE id = ?", (now, status, nid))
                log.info("notify %s %s delivered (%d)", event_type, nid, status)
                return
            failures += 1
            gave_up = failures > len(WECHAT_RETRY_S)
            delay = 0.0 if gave_up else (
                WECHAT_RETRY_S[failures - 1] * self.engine.realism.notify_retry_scale)
            self._db.execute(
                "UPDATE notify_queue SET failures = ?, last_status = ?, next_at = ?, gave_up = ?"
                " WHERE id = ?", (failures, status, now + delay, int(gave_up), nid))
