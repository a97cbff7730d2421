"""The till's hub link: uploads the outbox, pulls master data and flags (Qt-free).

One background thread (:class:`HubSender`) does all of it, so the UI thread never waits on
the hub. Each cycle it uploads the outbox oldest first in batches and deletes exactly the
rows the hub acknowledged (its highest contiguous seq); then, every ``pull_every_s``, it
applies the hub's master data and fetches new flags. When the hub cannot be reached it
backs off (``backoff_s``) and tries again; the till sells on regardless, its rows wait.

States (:class:`SyncStatus`): ``ok``; ``offline`` (hub unreachable or failing: retried);
``refused`` (the hub does not accept this till: revoked or unknown credential; retried
slowly, an admin must re-enrol); ``broken`` (the hub and the till disagree about history —
a gap, a replayed seq with other content, a row the hub calls malformed, or the hub
holding more than this till wrote: a restored backup on one side. Nothing is deleted or
renumbered; retried slowly, someone must look). Secrets never reach a log line.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from pos_app.hub.client import HubRefused
from pos_app.hub.master_apply import pull_flags, pull_master
from pos_app.hub.protocol import OutboxRow, ProtocolError
from pos_app.storage.errors import ConflictError, StorageError
from pos_app.storage.outbox import HubFlag, OutboxEntry, OutboxRepository

log = logging.getLogger(__name__)

BATCH_ROWS = 500
BACKOFF_S = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


class HubApi(Protocol):
    """What the sender needs of :class:`pos_app.hub.client.HubClient`."""

    def upload(self, rows: Sequence[OutboxRow], backlog: int = 0) -> int: ...
    def master_since(self, since: int) -> dict[str, Any]: ...
    def flags_since(self, since: int) -> dict[str, Any]: ...


@dataclass(frozen=True)
class SyncStatus:
    state: str                 # "ok" | "offline" | "refused" | "broken"
    unsent: int
    open_flags: int = 0
    error: str = ""            # the wire error code (for logs and the manager's details)


class Broken(Exception):
    """The hub and the till disagree about history: never resolved by deleting rows."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code


def wire_row(entry: OutboxEntry, local_till: str, hub_till: str) -> OutboxRow:
    """The row as uploaded: this till's own id becomes the hub's name for it (refunds name
    the till that owns the order). Deterministic, so a re-send is byte-identical."""
    payload = entry.payload
    if payload.get("order_till") == local_till:
        payload = {**payload, "order_till": hub_till}
    return OutboxRow(entry.seq, entry.kind, entry.committed_at, payload)


class HubSender:
    def __init__(
        self, outbox: OutboxRepository, client: HubApi, *, local_till: str, hub_till: str,
        batch_rows: int = BATCH_ROWS, interval_s: float = 1.0,
        backoff_s: Sequence[float] = BACKOFF_S, pull_every_s: float = 5.0,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_flags: Callable[[list[HubFlag]], None] | None = None,
    ) -> None:
        self.outbox = outbox
        self.client = client
        self.local_till = local_till
        self.hub_till = hub_till
        self.batch_rows = batch_rows
        self.interval_s = interval_s
        self.backoff_s = tuple(backoff_s)
        self.pull_every_s = pull_every_s
        self.on_status = on_status
        self.on_flags = on_flags
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_pull = float("-inf")
        self._failures = 0
        self.status = SyncStatus("ok", 0)
        self.uploads = 0              # batches the hub accepted (for tests and figures)
        # run first in each pull (link.py: fetch the shop's PIN pepper while none is held)
        self.before_pull: Callable[[], None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="hub-sender", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Something was committed: send now rather than at the next tick."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            delay = self.cycle()
            self._wake.wait(delay)
            self._wake.clear()

    # -- one cycle ----------------------------------------------------------------------------
    def cycle(self) -> float:
        """Upload, maybe pull; publish the status. Returns the seconds to wait."""
        state, error = "ok", ""
        try:
            self.push()
            if time.monotonic() - self._last_pull >= self.pull_every_s:
                self.pull()
                self._last_pull = time.monotonic()
        except (httpx.HTTPError, OSError) as exc:
            state, error = "offline", type(exc).__name__
        except HubRefused as exc:
            if exc.status == 401:
                state, error = "refused", exc.code
            elif exc.status in (400, 409, 413):
                state, error = "broken", exc.code
            else:                       # 5xx, 429, a proxy's answer: the hub is not there
                state, error = "offline", exc.code
        except Broken as exc:
            state, error = "broken", exc.code
        except ProtocolError as exc:    # the hub's answer (master data, flags) is unusable:
            state, error = "broken", exc.code   # the last good master data stays in force
        except StorageError as exc:     # the till's own disk: retried, reported
            state, error = "offline", type(exc).__name__
            log.warning("hub sync: local storage: %s", exc)
        self._publish(state, error)
        if state == "ok":
            self._failures = 0
            return self.interval_s
        self._failures += 1
        if state in ("refused", "broken"):
            return self.backoff_s[-1]
        return self.backoff_s[min(self._failures, len(self.backoff_s)) - 1]

    def push(self) -> int:
        """Upload every unsent row; returns how many the hub newly acknowledged."""
        done = 0
        while not self._stop.is_set():
            entries = self.outbox.pending(self.batch_rows)
            if not entries:
                return done
            backlog = max(0, self.outbox.state().unsent - len(entries))
            rows = [wire_row(e, self.local_till, self.hub_till) for e in entries]
            try:
                high = self.client.upload(rows, backlog)
            except HubRefused as exc:
                if exc.code != "gap":
                    raise
                high = self.client.upload([], backlog + len(rows))   # what does it hold?
                if high < entries[0].seq - 1:
                    raise Broken("gap", f"the hub holds up to {high}, this till has sent "
                                 f"up to {entries[0].seq - 1} (hub restored?)") from exc
            self.uploads += 1
            try:
                done += self.outbox.acknowledge(high)
            except ConflictError as exc:
                raise Broken("ahead", str(exc)) from exc
            if high < entries[-1].seq:       # the hub took only part: the rest next cycle
                return done
        return done

    def pull(self) -> None:
        if self.before_pull is not None:
            self.before_pull()
        pull_master(self.client, self.outbox)
        new = pull_flags(self.client, self.outbox, self.hub_till)
        if new and self.on_flags is not None:
            self.on_flags(self.outbox.open_flags())

    def _publish(self, state: str, error: str) -> None:
        try:
            unsent = self.outbox.state().unsent
            open_flags = len(self.outbox.open_flags())
        except StorageError:
            unsent, open_flags = self.status.unsent, self.status.open_flags
        status = SyncStatus(state, unsent, open_flags, error)
        if status.state != self.status.state:
            if state == "ok":
                log.info("hub sync: back to normal")
            elif state == "broken":
                log.error("hub sync stopped: %s (the hub and this till disagree; "
                          "nothing is deleted)", error)
            else:
                log.warning("hub sync: %s (%s), rows kept and retried", state, error)
        self.status = status
        if self.on_status is not None:
            self.on_status(status)
