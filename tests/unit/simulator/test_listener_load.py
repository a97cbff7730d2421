"""The simulator under load (issue 12 #14), on real sockets on 127.0.0.1 with bounded loops:
a burst of 150 connections all succeed; 400 idle connections hold no thread for ever."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

from pos_app.simulator.listener import LISTEN_BACKLOG
from pos_app.simulator.server import SimulatorServer
from tests.sim_fixtures import own_simulator

HEALTH = b"GET /simulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def health(port: int, timeout: float = 10.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(HEALTH)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def sim_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("sim-http_"))  # pool workers


def test_a_burst_of_150_connections_all_succeed(tmp_path: Path) -> None:
    with own_simulator(tmp_path, max_threads=8) as sim:
        port = sim.port
        start = threading.Barrier(150)
        results: list[tuple[bytes, float]] = []
        lock = threading.Lock()

        def client() -> None:
            start.wait()
            t0 = time.monotonic()
            try:
                answer = health(port)
            except OSError as exc:
                answer = repr(exc).encode()
            with lock:
                results.append((answer, time.monotonic() - t0))

        threads = [threading.Thread(target=client) for _ in range(150)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        ok = [r for r in results if r[0].startswith(b"HTTP/1.1 200")]
        assert len(ok) == 150, [r[0][:60] for r in results if not r[0].startswith(b"HTTP/1.1 200")][:5]
        assert max(w for _, w in results) < 5.0
        assert sim_threads() <= 8


def test_idle_connections_hold_no_threads_and_are_dropped(tmp_path: Path) -> None:
    with own_simulator(tmp_path, max_threads=4, idle_timeout_s=1.0) as sim:
        baseline = threading.active_count()
        idle: list[socket.socket] = []
        try:
            for _ in range(400):
                s = socket.socket()
                s.setblocking(False)
                s.connect_ex(("127.0.0.1", sim.port))  # completes in the kernel; nothing sent
                idle.append(s)
            time.sleep(0.3)
            assert threading.active_count() - baseline <= 4  # no thread per idle connection
            answer = health(sim.port, timeout=5)  # a real request is served meanwhile
            assert answer.startswith(b"HTTP/1.1 200")
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and _httpd(sim).waiting_connections():
                time.sleep(0.2)
            assert _httpd(sim).waiting_connections() == 0  # idle ones were closed
            closed = sum(1 for s in idle if _peer_closed(s))
            assert closed >= min(LISTEN_BACKLOG, 400) // 2
        finally:
            for s in idle:
                s.close()


def test_a_slow_request_times_out_instead_of_holding_a_thread(tmp_path: Path) -> None:
    with own_simulator(tmp_path, max_threads=2, idle_timeout_s=0.5) as sim:
        slow = [socket.create_connection(("127.0.0.1", sim.port)) for _ in range(2)]
        try:
            for s in slow:
                s.sendall(b"GET /simulator/health HTTP/1.1\r\n")  # and never the rest
            time.sleep(1.5)
            assert health(sim.port, timeout=5).startswith(b"HTTP/1.1 200")
            assert all(_peer_closed(s) for s in slow)
        finally:
            for s in slow:
                s.close()


def _httpd(sim: SimulatorServer):  # type: ignore[no-untyped-def]
    assert sim._httpd is not None
    return sim._httpd


def _peer_closed(s: socket.socket) -> bool:
    s.setblocking(True)
    s.settimeout(0.05)
    try:
        data = s.recv(1024)
    except (TimeoutError, BlockingIOError):
        return False
    except OSError:
        return True
    return data == b"" or data.startswith(b"HTTP/1.1 408")


def test_stop_closes_kept_alive_connections_at_once(tmp_path: Path) -> None:
    with own_simulator(tmp_path, idle_timeout_s=30) as sim:
        s = socket.create_connection(("127.0.0.1", sim.port), timeout=5)
        s.sendall(b"GET /simulator/health HTTP/1.1\r\nHost: x\r\n\r\n")  # keep-alive
        data = b""
        while b"}" not in data:  # headers and body may come in separate segments
            data += s.recv(65536)
        assert data.startswith(b"HTTP/1.1 200")
        time.sleep(0.2)
        assert sim_threads() >= 1  # a handler waits for the next request on this connection
        started = time.monotonic()
    try:
        assert s.recv(1024) == b""  # closed by stop(), not after the 30 s idle timeout
    finally:
        s.close()
    deadline = time.monotonic() + 5
    while sim_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert time.monotonic() - started < 3
