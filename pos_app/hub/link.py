"""A till's link to its store hub: enrolment kept on disk, and the running sender (Qt-free).

Enrolment (:func:`enrol_till`) spends the one-time code the hub's admin read off ``pos-app hub
enrol-code``, pins the hub's CA by the fingerprint shown with it, and keeps beside the
till's database: ``hub.json`` (hub address, the till's hub id, the pinned CA) and
``hub.token`` (the credential, owner-only, 0600; never logged, never in ``repr``), and the
shop's PIN pepper when the hub gave it (outside the database: keyring or owner-only
``shop_pepper.key``, :mod:`pos_app.hub.shop_pepper`). From then on the outbox records every
change, and :class:`HubLink` uploads it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pos_app.hub.client import Enrolment, HubClient, HubRefused, enrol
from pos_app.hub.sender import HubSender, SyncStatus
from pos_app.hub.shop_pepper import ShopPepperError, parse_wire
from pos_app.storage.db import Database, tighten_mode
from pos_app.storage.outbox import HubFlag, OutboxRepository
from pos_app.storage.pepper import load_shop_pepper, save_shop_pepper

log = logging.getLogger(__name__)

ENROLMENT_FILE = "hub.json"
TOKEN_FILE = "hub.token"
#: after the hub gave no shop pepper (it runs without TLS): ask again this much later
PEPPER_RETRY_S = 600.0


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    tighten_mode(tmp, 0o600)
    os.replace(tmp, path)


def save_enrolment(directory: Path, enrolment: Enrolment, name: str) -> None:
    doc = {"base_url": enrolment.base_url, "till_id": enrolment.till_id, "name": name,
           "ca_pem": enrolment.ca_pem.decode() if enrolment.ca_pem else None}
    _write_private(directory / TOKEN_FILE, enrolment.token.encode())
    _write_private(directory / ENROLMENT_FILE,
                   json.dumps(doc, ensure_ascii=False, indent=2).encode())


def load_enrolment(directory: Path) -> Enrolment | None:
    """The till's enrolment, or None (not enrolled, or the files are unreadable)."""
    try:
        doc = json.loads((directory / ENROLMENT_FILE).read_text(encoding="utf-8"))
        token = (directory / TOKEN_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("hub enrolment in %s unreadable: %s", directory, type(exc).__name__)
        return None
    ca = doc.get("ca_pem")
    return Enrolment(str(doc["base_url"]), str(doc["till_id"]), token,
                     ca.encode() if isinstance(ca, str) else None)


def keep_shop_pepper(db_path: Path, value: bytes) -> None:
    """Keep ``value`` as this till's shop pepper (keyring or owner-only file)."""
    save_shop_pepper(db_path, value)
    log.info("the shop's PIN pepper is held: PINs set here verify at every till of the shop")


class ShopPepperFetch:
    """Run by the sender before each master-data pull: while this till holds no shop
    pepper (enrolled before the hub had one), ask the hub for it — only over HTTPS to the
    CA pinned at enrolment (``pinned``). ``fetch`` is :meth:`HubClient.shop_pepper`."""

    def __init__(self, db_path: Path, base_url: str,
                 fetch: Callable[[], dict[str, Any]], *, pinned: bool = True) -> None:
        self.db_path = db_path
        self.https = base_url.startswith("https://") and pinned
        self.fetch = fetch
        self._not_before = 0.0

    def __call__(self) -> None:
        if not self.https or time.monotonic() < self._not_before:
            return
        if load_shop_pepper(self.db_path) is not None:
            return
        try:
            value = parse_wire(self.fetch())
        except HubRefused as exc:
            if exc.status != 404:
                raise
            self._not_before = time.monotonic() + PEPPER_RETRY_S
            log.info("the hub gives no shop PIN pepper (%s): PINs stay this till's own",
                     exc.code)
            return
        except ShopPepperError as exc:
            self._not_before = time.monotonic() + PEPPER_RETRY_S
            log.warning("shop PIN pepper refused: %s", exc)
            return
        keep_shop_pepper(self.db_path, value)


def enrol_till(db: Database, local_till: str, base_url: str, code: str,
               fingerprint: str | None, name: str) -> Enrolment:
    """Enrol at the hub (network: never on the UI thread), keep the credential, and start
    recording this till's changes (its history so far is queued first)."""
    base_url = base_url.strip().rstrip("/")
    if not base_url.startswith(("https://", "http://")):
        raise ValueError("the hub address must start with https://")
    enrolment = enrol(base_url, code.strip(), name, (fingerprint or "").strip() or None)
    save_enrolment(db.path.parent, enrolment, name)
    if enrolment.shop_pepper is not None:
        keep_shop_pepper(db.path, enrolment.shop_pepper)
    OutboxRepository(db).enable(local_till)
    log.info("enrolled at the hub %s as till %s", base_url, enrolment.till_id)
    return enrolment


class HubService:
    """What the app and the UI hold: the enrolment (if any), the running sender, listeners
    for its status and flags. Listeners are called on the sender's thread."""

    def __init__(self, db: Database, local_till: str, **sender_options: Any) -> None:
        self.db = db
        self.local_till = local_till
        self.outbox = OutboxRepository(db)
        self.sender_options = sender_options
        self.enrolment: Enrolment | None = None
        self.sender: HubSender | None = None
        self._client: HubClient | None = None
        self._listeners: list[Callable[[SyncStatus], None]] = []
        self._flag_listeners: list[Callable[[list[HubFlag]], None]] = []
        self._lock = threading.Lock()

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None

    @property
    def base_url(self) -> str:
        return self.enrolment.base_url if self.enrolment else ""

    def start(self) -> HubService:
        """Start the sender when this till is enrolled (files beside its database)."""
        enrolment = load_enrolment(self.db.path.parent)
        if enrolment is not None:
            self._run(enrolment)
        return self

    def _run(self, enrolment: Enrolment) -> None:
        self.enrolment = enrolment
        self._client = HubClient(enrolment)
        self.sender = HubSender(self.outbox, self._client, local_till=self.local_till,
                                hub_till=enrolment.till_id, on_status=self._status,
                                on_flags=self._flags, **self.sender_options)
        self.sender.before_pull = ShopPepperFetch(self.db.path, enrolment.base_url,
                                                  self._client.shop_pepper,
                                                  pinned=enrolment.ca_pem is not None)
        self.sender.start()

    def enrol(self, base_url: str, code: str, fingerprint: str | None, name: str) -> None:
        """Enrol and start sending (network and disk: call off the UI thread)."""
        if self.sender is not None:
            raise ValueError("this till is already enrolled at a hub")
        self._run(enrol_till(self.db, self.local_till, base_url, code, fingerprint, name))

    def stop(self) -> None:
        if self.sender is not None:
            self.sender.stop()
        if self._client is not None:
            self._client.close()

    def poke(self) -> None:
        if self.sender is not None:
            self.sender.poke()

    def status(self) -> SyncStatus | None:
        return self.sender.status if self.sender is not None else None

    def subscribe(self, on_status: Callable[[SyncStatus], None],
                  on_flags: Callable[[list[HubFlag]], None] | None = None) -> None:
        with self._lock:
            self._listeners.append(on_status)
            if on_flags is not None:
                self._flag_listeners.append(on_flags)
        if self.sender is not None:
            on_status(self.sender.status)

    def unsubscribe(self, on_status: Callable[[SyncStatus], None],
                    on_flags: Callable[[list[HubFlag]], None] | None = None) -> None:
        with self._lock:
            if on_status in self._listeners:
                self._listeners.remove(on_status)
            if on_flags is not None and on_flags in self._flag_listeners:
                self._flag_listeners.remove(on_flags)

    def open_flags(self) -> list[HubFlag]:
        """(Reads the till's database: call off the UI thread.)"""
        return self.outbox.open_flags()

    def handle_flag(self, flag_id: int, handled_by: str) -> None:
        self.outbox.handle_flag(flag_id, handled_by)

    def _status(self, status: SyncStatus) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for fn in listeners:
            fn(status)

    def _flags(self, flags: list[HubFlag]) -> None:
        with self._lock:
            listeners = list(self._flag_listeners)
        for fn in listeners:
            fn(flags)
