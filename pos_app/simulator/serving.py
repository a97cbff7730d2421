"""A socketserver loop that stops at once (issue 13: exit under 0.3 s).

``socketserver.BaseServer.serve_forever`` wakes every ``poll_interval`` (0.5 s by default)
to look at its shutdown flag, so ``shutdown()`` waits up to that long — per listener, on
every exit of the till. :class:`PromptShutdownMixin` waits on the listening socket *and*
a wake-up socket pair instead: ``shutdown()`` writes one byte and the loop ends now. No
timeout, no polling.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import threading
from typing import Any


class PromptShutdownMixin(socketserver.TCPServer):
    """Put before the server class: ``class S(PromptShutdownMixin, HTTPServer)``.
    ``serve_forever(poll_interval)`` accepts and ignores the interval."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._prompt_r, self._prompt_w = socket.socketpair()
        self._prompt_r.setblocking(False)
        self._prompt_stop = threading.Event()
        self._prompt_done = threading.Event()
        try:
            super().__init__(*args, **kwargs)
        except BaseException:
            self._prompt_r.close()
            self._prompt_w.close()
            raise

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._prompt_done.clear()
        try:
            with selectors.DefaultSelector() as selector:
                listening = self.fileno()
                selector.register(listening, selectors.EVENT_READ)
                selector.register(self._prompt_r, selectors.EVENT_READ)
                while not self._prompt_stop.is_set():
                    ready = selector.select()  # blocks until a connection or shutdown()
                    if self._prompt_stop.is_set():
                        break
                    if any(key.fileobj == listening for key, _ in ready):
                        self._handle_request_noblock()  # type: ignore[attr-defined]
                    self.service_actions()
        finally:
            self._prompt_stop.clear()
            self._prompt_done.set()

    def shutdown(self) -> None:
        """Stop the ``serve_forever`` loop (running on another thread) and wait for it."""
        self._prompt_stop.set()
        with contextlib.suppress(OSError):
            self._prompt_w.send(b"\0")
        self._prompt_done.wait()

    def server_close(self) -> None:
        super().server_close()
        self._prompt_r.close()
        self._prompt_w.close()
