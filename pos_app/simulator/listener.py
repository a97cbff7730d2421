"""The simulator's HTTP listener under load (issue 12 #14): it is training mode and every
test's WeChat, so a burst of tills or a pile of idle sockets must not knock it over.

:class:`BoundedHTTPServer` (used by the APIv3 server and the APIv2 TLS listener):

* a deep listen backlog (``request_queue_size`` 128, not socketserver's 5), so a burst of
  connections waits in the kernel instead of being refused;
* a connection first waits for its first bytes in ONE selector thread, holding no handler
  thread; one that sends nothing for ``idle_timeout_s`` is closed there;
* readable connections are served by a bounded pool of ``max_threads`` handler threads;
  within a connection every read (the rest of a request, the next keep-alive request) is
  bounded by ``idle_timeout_s`` too (the handler's socket timeout).

So 400 idle sockets cost 400 file descriptors and no threads, and are dropped after
``idle_timeout_s``; the thread count never exceeds ``max_threads`` + 2.
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from pos_app.simulator.serving import PromptShutdownMixin

log = logging.getLogger("pos_app.simulator.listener")

DEFAULT_MAX_THREADS = 32
DEFAULT_IDLE_TIMEOUT_S = 10.0
LISTEN_BACKLOG = 128


class BoundedHTTPServer(PromptShutdownMixin, HTTPServer):
    """``HTTPServer`` with a deep backlog, an idle-connection waiting room and a bounded pool."""

    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        *,
        max_threads: int = DEFAULT_MAX_THREADS,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
    ) -> None:
        if max_threads < 1 or idle_timeout_s <= 0:
            raise ValueError("max_threads must be ≥ 1 and idle_timeout_s > 0")
        self.idle_timeout_s = idle_timeout_s
        self.max_threads = max_threads
        self._pool = ThreadPoolExecutor(max_threads, thread_name_prefix="sim-http")
        self._selector = selectors.DefaultSelector()
        self._waiting: dict[Any, tuple[float, Any]] = {}
        self._waiting_lock = threading.Lock()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ)
        self._closed = threading.Event()
        self._active: set[Any] = set()  # connections a handler thread is serving
        super().__init__(address, handler)
        self._waiter = threading.Thread(target=self._wait_loop, name="sim-http-waiting-room", daemon=True)
        self._waiter.start()

    # socketserver calls this from serve_forever for every accepted connection
    def process_request(self, request: Any, client_address: Any) -> None:
        if self._closed.is_set():
            self.shutdown_request(request)
            return
        with self._waiting_lock:
            self._waiting[request] = (time.monotonic() + self.idle_timeout_s, client_address)
            try:
                self._selector.register(request, selectors.EVENT_READ)
            except (ValueError, OSError):
                del self._waiting[request]
                self.shutdown_request(request)
                return
        with contextlib.suppress(OSError):
            self._wake_w.send(b"\0")

    def _wait_loop(self) -> None:
        while not self._closed.is_set():
            with self._waiting_lock:
                soonest = min((d for d, _ in self._waiting.values()), default=None)
            timeout = 0.5 if soonest is None else max(0.0, min(0.5, soonest - time.monotonic()))
            try:
                events = self._selector.select(timeout)
            except (OSError, ValueError):
                if self._closed.is_set():
                    return
                continue
            ready: list[tuple[Any, Any]] = []
            expired: list[Any] = []
            now = time.monotonic()
            with self._waiting_lock:
                for key, _ in events:
                    if key.fileobj is self._wake_r:
                        with contextlib.suppress(OSError):
                            self._wake_r.recv(4096)
                        continue
                    entry = self._waiting.pop(key.fileobj, None)
                    with contextlib.suppress(KeyError, ValueError):
                        self._selector.unregister(key.fileobj)
                    if entry is not None:
                        ready.append((key.fileobj, entry[1]))
                for sock, (deadline, _) in list(self._waiting.items()):
                    if now >= deadline:
                        del self._waiting[sock]
                        with contextlib.suppress(KeyError, ValueError):
                            self._selector.unregister(sock)
                        expired.append(sock)
            for sock in expired:
                log.debug("simulator: closing a connection idle for %.1f s", self.idle_timeout_s)
                self.shutdown_request(sock)
            for sock, address in ready:
                try:
                    self._pool.submit(self._serve, sock, address)
                except RuntimeError:  # pool shut down
                    self.shutdown_request(sock)

    def _serve(self, request: Any, client_address: Any) -> None:
        with self._waiting_lock:
            self._active.add(request)
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            with self._waiting_lock:
                self._active.discard(request)
            self.shutdown_request(request)

    def server_close(self) -> None:
        self._closed.set()
        super().server_close()
        with contextlib.suppress(OSError):
            self._wake_w.send(b"\0")
        self._waiter.join(timeout=2)
        with self._waiting_lock:
            waiting, self._waiting = list(self._waiting), {}
            active = list(self._active)
        for sock in waiting:
            self.shutdown_request(sock)
        for sock in active:  # wake handlers blocked on a keep-alive read: nothing is served after close
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._pool.shutdown(wait=False, cancel_futures=True)
        with contextlib.suppress(OSError):
            self._selector.close()
        self._wake_r.close()
        self._wake_w.close()

    def waiting_connections(self) -> int:
        """Connections in the waiting room (accepted, no bytes yet)."""
        with self._waiting_lock:
            return len(self._waiting)
