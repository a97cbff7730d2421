"""Hostile or broken answers (issue 12 #6): deep JSON, huge bodies, gzip bombs, trickled
bodies — every one ends in the client's error tree, bounded in time and memory.

Size/time cases run a raw HTTP server on a real socket (127.0.0.1, port 0)."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from pos_app.wechatpay.client import WechatPayClient, capped_decompress
from pos_app.wechatpay.errors import (
    ApiError,
    DeadlineExceededError,
    MalformedResponseError,
    ResponseTooLargeError,
    WechatPayError,
)
from tests.unit.wechatpay.conftest import ClientFactory, Keys, write_merchant
from tests.unit.wechatpay.fake_server import FakeWechatPay

DEEP = b"[" * 100_000 + b"]" * 100_000
Writer = Callable[[socket.socket], None]


# ---------------------------------------------------------------- deeply nested JSON
def test_deep_json_in_a_signed_answer_is_malformed(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    fake_pubkey.scripted["/v3/pay/transactions/out-trade-no/DEEP000001"] = lambda r: fake_pubkey.signed(200, DEEP)
    with pytest.raises(MalformedResponseError):
        client.query("DEEP000001")


def test_deep_json_in_an_unsigned_error_is_an_api_error(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    fake_pubkey.scripted["/v3/pay/transactions/out-trade-no/DEEP000002"] = lambda r: httpx.Response(500, content=DEEP)
    with pytest.raises(ApiError) as exc:
        client.query("DEEP000002")
    assert exc.value.status == 500 and exc.value.code == "HTTP_500" and exc.value.outcome_unknown


def test_deep_json_certificates_and_objects_nested_in_fields(make_client: ClientFactory, fake_certs: FakeWechatPay) -> None:
    fake_certs.scripted["/v3/certificates"] = lambda r: fake_certs.signed(200, b'{"data":' + DEEP + b"}")
    c = make_client(fake_certs, public_key=False, cert_dir=True)
    with pytest.raises(WechatPayError):
        c.download_certificates()


# ---------------------------------------------------------------- raw socket servers
class RawServer:
    """Answers every connection with ``writer(conn)`` after reading the request head+body."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, rest = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                while len(rest) < length:
                    rest += conn.recv(65536)
                self.writer(conn)
            except OSError:
                pass

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def raw_client(tmp_path: Path, keys: Keys) -> Iterator[Callable[..., WechatPayClient]]:
    servers: list[RawServer] = []
    clients: list[WechatPayClient] = []

    def make(writer: Writer, **kw: object) -> WechatPayClient:
        server = RawServer(writer)
        servers.append(server)
        cfg = write_merchant(tmp_path, keys, public_key=True, cert_dir=False, base_url=server.url,
                             connect_timeout=1, read_timeout=3)
        client = WechatPayClient.from_config(cfg, **kw)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close_client()
    for s in servers:
        s.close()


def head(status: int = 200, **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_trickled_body_ends_at_the_call_deadline(raw_client: Callable[..., WechatPayClient]) -> None:
    def trickle(conn: socket.socket) -> None:
        conn.sendall(head(200, Content_Type="application/json", Content_Length="100000"))
        for _ in range(80):  # one byte every 0.2 s: 16 s in all, each read well inside 3 s
            conn.sendall(b" ")
            time.sleep(0.2)

    client = raw_client(trickle)  # connect 1 s + read 3 s → deadline 4 s
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError) as exc:
        client.query("TRICKLE001")
    elapsed = time.monotonic() - started
    assert elapsed < 5.5, elapsed
    assert exc.value.outcome_unknown


def test_trickled_headers_end_at_the_call_deadline_too(raw_client: Callable[..., WechatPayClient]) -> None:
    def trickle(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(80):
            conn.sendall(b"a")
            time.sleep(0.2)

    client = raw_client(trickle)
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError):
        client.query("TRICKLE002")
    assert time.monotonic() - started < 5.0


def test_a_huge_body_is_not_read(raw_client: Callable[..., WechatPayClient]) -> None:
    def huge(conn: socket.socket) -> None:
        conn.sendall(head(200, Content_Type="application/json", Transfer_Encoding="chunked"))
        chunk = b"x" * 65536
        for _ in range(640):  # 40 MB, chunked (no Content-Length to refuse up front)
            conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        conn.sendall(b"0\r\n\r\n")

    client = raw_client(huge)
    with pytest.raises(ResponseTooLargeError):
        client.query("HUGE000001")


def test_a_declared_huge_body_is_refused_up_front(raw_client: Callable[..., WechatPayClient]) -> None:
    client = raw_client(lambda conn: conn.sendall(head(200, Content_Length=str(40 << 20))))
    with pytest.raises(ResponseTooLargeError):
        client.query("HUGE000002")


def test_a_gzip_bomb_stops_at_the_cap_without_inflating(raw_client: Callable[..., WechatPayClient]) -> None:
    bomb = gzip.compress(b"\0" * (370 << 20), 9)
    assert len(bomb) < 1 << 20  # well under the raw cap: only the inflated size can catch it

    def answer(conn: socket.socket) -> None:
        conn.sendall(head(500, Content_Encoding="gzip", Content_Length=str(len(bomb))) + bomb)

    client = raw_client(answer)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError):
            client.query("BOMB000001")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 << 20, f"peak {peak >> 20} MiB"


def test_a_gzip_bill_bomb_is_refused(client: WechatPayClient, fake_pubkey: FakeWechatPay) -> None:
    fake_pubkey.bill = b"\0" * (80 << 20)
    fake_pubkey.bill_gzip = True
    with pytest.raises(ResponseTooLargeError):
        client.trade_bill(date(2023, 11, 10))


def test_capped_decompress_edges() -> None:
    data = zlib.compress(b"abc" * 1000)
    assert capped_decompress(data, 3000, "t", wbits=zlib.MAX_WBITS) == b"abc" * 1000
    with pytest.raises(ResponseTooLargeError):
        capped_decompress(data, 2999, "t", wbits=zlib.MAX_WBITS)
    with pytest.raises(MalformedResponseError):
        capped_decompress(gzip.compress(b"x" * 100)[:-10], 1000, "t")
    with pytest.raises(MalformedResponseError):
        capped_decompress(b"not gzip", 1000, "t")
