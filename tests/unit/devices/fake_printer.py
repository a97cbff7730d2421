"""A local TCP "printer" on 127.0.0.1 (real sockets, a free port) for network printer tests.

It answers ``DLE EOT n`` with the bytes in :attr:`FakePrinter.status` (unless ``silent``),
records the other bytes per connection, and can misbehave: ``stall`` (accept, never
read), ``drop_after`` (reset the connection after that many job bytes, once),
:func:`refusing_address` (nothing listening) and :func:`backlog_full_address` (connects
hang). Every loop is bounded; :meth:`FakePrinter.stop` joins the thread.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

READY = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}   # offline, stopped by paper end, no paper
COVER_OPEN = {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}  # offline, cover open
DRAWER_HIGH = {1: 0x16, 2: 0x12, 3: 0x12, 4: 0x12}  # pin 3 high

DLE_EOT = b"\x10\x04"


class FakePrinter:
    def __init__(self, *, rcvbuf: int | None = None, off: bool = False) -> None:
        self.status: dict[int, int] = dict(READY)
        self.silent = False
        self.stall = False
        self.drop_after: int | None = None
        self.on_data: Callable[[bytes, float], None] | None = None
        self.connections: list[bytearray] = []  # job bytes (status queries removed)
        self.queries: list[int] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf is not None:  # inherited by accepted sockets: a small window stalls sooner
            self._srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self._srv.bind(("127.0.0.1", 0))
        self._on = threading.Event()
        if not off:
            self.power_on()
        self._srv.settimeout(0.05)
        self.port: int = self._srv.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name="fake-printer", daemon=True)
        self._thread.start()

    def power_on(self) -> None:
        """Start listening (while off, connecting is refused: nothing listens on the port)."""
        self._srv.listen(8)
        self._on.set()

    @property
    def printed(self) -> bytes:
        with self._lock:
            return b"".join(bytes(c) for c in self.connections)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._srv.close()
        assert not self._thread.is_alive()

    def _serve(self) -> None:
        while not self._stop.is_set():
            if not self._on.wait(0.05):
                continue
            try:
                conn, _ = self._srv.accept()
            except TimeoutError:
                continue
            with conn:
                self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(0.02)
        with self._lock:
            record = bytearray()
            self.connections.append(record)
        carry = b""
        while not self._stop.is_set():
            if self.stall:
                time.sleep(0.02)
                continue
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter()
            data = carry + chunk
            carry = b""
            job, queries, carry = self._split(data)
            with self._lock:
                record += job
            if self.on_data is not None:  # before answering: the job came first
                self.on_data(job, now)
            self.queries.extend(queries)
            answers = bytes(self.status[n] for n in queries if n in self.status)
            if self.drop_after is not None and len(record) >= self.drop_after:
                with self._lock:
                    del record[self.drop_after:]
                self.drop_after = None
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return  # closed with RST: the rest of the job is lost
            if answers and not self.silent:
                try:
                    conn.sendall(answers)
                except OSError:
                    return

    def _split(self, data: bytes) -> tuple[bytes, list[int], bytes]:
        """(job bytes, status queries, unfinished tail) of ``data``."""
        job = bytearray()
        queries: list[int] = []
        i = 0
        while True:
            j = data.find(DLE_EOT, i)
            if j < 0:
                tail = data[i:]
                if tail.endswith(b"\x10"):
                    return bytes(job + tail[:-1]), queries, b"\x10"
                return bytes(job + tail), queries, b""
            if j + 2 >= len(data):
                return bytes(job + data[i:j]), queries, data[j:]
            job += data[i:j]
            queries.append(data[j + 2])
            i = j + 3


@contextmanager
def fake_printer(*, rcvbuf: int | None = None, off: bool = False) -> Iterator[FakePrinter]:
    p = FakePrinter(rcvbuf=rcvbuf, off=off)
    try:
        yield p
    finally:
        p.stop()


@contextmanager
def refusing_address() -> Iterator[tuple[str, int]]:
    """A port that is bound but not listening: connecting is refused at once."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    try:
        yield s.getsockname()
    finally:
        s.close()


@contextmanager
def backlog_full_address() -> Iterator[tuple[str, int]]:
    """A listener that never accepts, its backlog already full: a connect hangs."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    addr = srv.getsockname()
    fillers = []
    try:
        for _ in range(4):  # fill the accept queue (its length is backlog + 1 on Linux)
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.setblocking(False)
            c.connect_ex(addr)
            fillers.append(c)
        time.sleep(0.05)
        yield addr
    finally:
        for c in fillers:
            c.close()
        srv.close()
