"""An overall deadline for one API call, enforced on every socket operation.

A read timeout bounds each ``recv``; a server that trickles its answer (a byte every
second, in the status line, the headers or the body) never trips it, and a call could
last as long as the server likes. :class:`DeadlineTransport` is an ``httpx`` transport whose
network streams cap every connect / TLS handshake / read / write timeout at the time left
before the current call's deadline (:func:`call_deadline`, per thread — ``httpx.Client``
does its I/O in the calling thread). When no time is left, the operation raises
:class:`~pos_app.wechatpay.errors.DeadlineExceededError`.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from pos_app.wechatpay.errors import DeadlineExceededError

_CALL = threading.local()


@contextmanager
def call_deadline(deadline: float) -> Iterator[None]:
    """Every network operation of this thread inside the block ends by ``deadline``
    (``time.monotonic()`` seconds)."""
    previous = getattr(_CALL, "deadline", None)
    _CALL.deadline = deadline if previous is None else min(previous, deadline)
    try:
        yield
    finally:
        _CALL.deadline = previous


def bounded(timeout: float | None) -> float | None:
    """``timeout`` capped at the time left before this thread's call deadline."""
    deadline: float | None = getattr(_CALL, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceededError("the call's overall deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_tcp(host, port, bounded(timeout), local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, bounded(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` whose connections honour :func:`call_deadline`."""

    def __init__(self, *, verify: ssl.SSLContext | bool = True) -> None:
        super().__init__(verify=verify, trust_env=False)
        context = verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(verify=verify)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
        # the parent's pool, rebuilt with the deadline-aware network backend
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(),
        )
