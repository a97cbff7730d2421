"""Alipay asynchronous notifications (异步通知, ``notify_url``) at the hub.

:meth:`AlipayNotifyReceiver.receive` runs inside the HTTP request and does only what must
come before the answer: verify the RSA2 signature over the form body with the SDK's
:func:`pos_app.alipay.notify.parse_notification` (public-key or certificate mode; the
``app_id`` and, when configured, ``seller_id`` must be ours; ``total_amount`` must be a yuan
string with exactly two decimals, converted exactly to fen), then durably record it keyed by
``notify_id`` (Alipay resends the same ``notify_id`` until it reads ``success``; a resend is
acknowledged and not recorded twice). Only then does the route answer ``success``.

Checking the amount against the till's recorded payment and raising ``late_payment`` /
``amount_mismatch`` / ``unknown_payment`` happens after the answer, in
:meth:`pos_app.hub.store.HubStore.process_notifications` (shared with WeChat Pay; it also
runs at start-up so a recorded but unchecked notification survives a crash).

``hub.toml``::

    [alipay]                                        # only for the notify_url notification
    app_id = "2021000000000001"
    seller_id = "2088101106499364"                  # optional: refuse other sellers' notes
    alipay_public_key_file = "/etc/pos/alipay_public_key.pem"     # public-key mode, or
    alipay_cert_file = "/etc/pos/alipayCertPublicKey_RSA2.crt"    # certificate mode, with
    alipay_root_cert_file = "/etc/pos/alipayRootCert.crt"          # the root it must chain to

In certificate mode the configured Alipay certificate must be valid now and chain to an
RSA certificate of ``alipay_root_cert_file`` (every link's signature checked, as the till's
client checks a downloaded one), or the hub does not start. A notification names no
certificate and the hub holds no app key to download one: when Alipay rotates its
certificate, the shop replaces ``alipay_cert_file`` (the hub refuses one not from the root).
"""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos_app.alipay.certs import cert_sn as alipay_cert_sn
from pos_app.alipay.certs import load_cert
from pos_app.alipay.errors import ConfigError, MalformedResponseError, SignatureError
from pos_app.alipay.notify import parse_notification
from pos_app.alipay.rotation import root_certificates, trusted_key
from pos_app.alipay.signing import load_public_key
from pos_app.alipay.verifier import CertMode, KeySource, PublicKeyMode
from pos_app.hub.store import ALIPAY_PAID_EVENT, HubStore

log = logging.getLogger(__name__)

ID_PREFIX = "alipay:"          # keeps Alipay notify_ids apart from WeChat notification ids
EVENT_REFUND = "ALIPAY.REFUND"  # a trade_status_sync caused by a (partial) refund
EVENT_OTHER = "ALIPAY.TRADE_STATUS_SYNC"  # not a payment (e.g. closed): recorded, not judged
MAX_NOTIFY_ID = 100 - len(ID_PREFIX)  # the notifications.notification_id column


@dataclass(frozen=True)
class AlipayNotifyConfig:
    keys: KeySource
    app_id: str
    seller_id: str | None = None


def load_alipay_notify(section: dict[str, Any], base: Path) -> AlipayNotifyConfig:
    """The ``[alipay]`` section of hub.toml; a clear ``ValueError`` for every problem."""
    app_id = section.get("app_id")
    if not isinstance(app_id, str) or not app_id:
        raise ValueError("[alipay] app_id missing")
    seller = section.get("seller_id")
    if seller is not None and (not isinstance(seller, str) or not seller):
        raise ValueError("[alipay] seller_id must be a non-empty string")
    pub, cert = section.get("alipay_public_key_file"), section.get("alipay_cert_file")
    if (pub is None) == (cert is None):
        raise ValueError("[alipay] needs exactly one of alipay_public_key_file or alipay_cert_file")
    keys: KeySource
    try:
        if isinstance(pub, str):
            keys = PublicKeyMode(load_public_key(base / pub))
        elif cert is not None:
            keys = _cert_mode(section, base, cert)
        else:
            raise ValueError("[alipay] key file names must be strings")
    except ConfigError as exc:
        raise ValueError(f"[alipay] {exc}") from exc
    return AlipayNotifyConfig(keys, app_id, seller)


def _cert_mode(section: dict[str, Any], base: Path, cert: object) -> CertMode:
    """Certificate mode: the configured Alipay certificate, checked against the root."""
    if not isinstance(cert, str) or not cert:
        raise ValueError("[alipay] alipay_cert_file must be a file name")
    root = section.get("alipay_root_cert_file")
    if not isinstance(root, str) or not root:
        raise ValueError("[alipay] certificate mode needs alipay_root_cert_file")
    try:
        roots = root_certificates((base / root).read_bytes())
    except OSError as exc:
        raise ValueError(f"[alipay] cannot read alipay_root_cert_file: {exc.strerror}") from exc
    if not roots:
        raise ValueError("[alipay] alipay_root_cert_file holds no RSA root certificate")
    path = base / cert
    sn = alipay_cert_sn(load_cert(path, "Alipay public-key certificate"))
    try:   # the file may carry its chain after the leaf, as Alipay ships it
        key = trusted_key(base64.b64encode(path.read_bytes()).decode("ascii"), sn, roots,
                          time.time())
    except SignatureError as exc:
        raise ValueError(f"[alipay] {cert}: {str(exc).split(': ', 1)[-1]}") from exc
    return CertMode(sn, {sn: key})


class AlipayNotifyReceiver:
    def __init__(self, store: HubStore, config: AlipayNotifyConfig) -> None:
        self.store = store
        self.config = config

    def receive(self, body: bytes) -> bool:
        """Verify, parse, record. True when new. Raises the ``alipay`` errors."""
        note = parse_notification(
            body, self.config.keys, app_id=self.config.app_id, seller_id=self.config.seller_id
        )
        if len(note.notify_id) > MAX_NOTIFY_ID:
            raise MalformedResponseError("notification: notify_id too long")
        refund = bool(note.fields.get("gmt_refund") or note.fields.get("refund_fee"))
        trade = note.trade
        event = EVENT_REFUND if refund else ALIPAY_PAID_EVENT if trade.paid else EVENT_OTHER
        new = self.store.record_notification(
            ID_PREFIX + note.notify_id, event,
            trade.out_trade_no, trade.total_fen, str(trade.status),
        )
        log.info("alipay notification %s for %s (%s)", trade.status, trade.out_trade_no,
                 "new" if new else "retry")
        return new
