"""The Alipay simulator's asynchronous notifications (异步通知), as unkind as Alipay: only a
2xx with the body exactly ``success`` ends them; anything else is resent on Alipay's
schedule with the same notify_id and a fresh signature, eight deliveries, then never again;
only paid QR (precreate) trades that carried a notify_url are notified; the queue survives
a restart. Deliveries go to a real HTTP listener on a socket."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from pos_app.alipay.errors import AlipayError
from pos_app.alipay.notify import parse_notification
from pos_app.alipay.verifier import CertMode, PublicKeyMode
from pos_app.simulator.alipay.notify import ALIPAY_RETRY_S, AlipayNotifySender
from pos_app.simulator.alipay.scenarios import random_success_code
from pos_app.simulator.alipay.server import AlipaySimulatorServer


class Listener:
    """The merchant's notify_url: answers from a script, records every body."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, bytes]] = []
        self.bodies: list[bytes] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                listener.bodies.append(body)
                status, answer = listener.answers.pop(0) if listener.answers else (200, b"success")
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/alipay/notify"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    li = Listener()
    yield li
    li.close()


class Clock:
    def __init__(self) -> None:
        self.t = 1_780_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def alisim(tmp_path: Path) -> Iterator[AlipaySimulatorServer]:
    server = AlipaySimulatorServer(tmp_path / "ali")       # not started: no sender thread
    yield server
    server.notifier.stop()
    server.engine.close()


def sender(sim: AlipaySimulatorServer, clock: Clock, *, cert_mode: bool = False
           ) -> AlipayNotifySender:
    return AlipayNotifySender(sim.engine, sim.identity, wall_clock=clock, cert_mode=cert_mode)


def paid_qr(sim: AlipaySimulatorServer, url: str, no: str = "N1", total: str = "12.30") -> None:
    reply = sim.engine.precreate({"out_trade_no": no, "total_amount": total, "subject": "x"},
                                 notify_url=url)
    assert reply.fields["code"] == "10000"
    sim.engine.customer_scan(out_trade_no=no)


def keys(sim: AlipaySimulatorServer, cert_mode: bool) -> PublicKeyMode | CertMode:
    ident = sim.identity
    if cert_mode:
        sn = ident.alipay_cert_sn
        return CertMode(sn, {sn: ident.alipay_cert_private_key.public_key()})
    return PublicKeyMode(ident.alipay_private_key.public_key())


@pytest.mark.parametrize("cert_mode", [False, True])
def test_a_paid_qr_is_notified_once_signed_for_the_mode(alisim, listener, cert_mode: bool) -> None:
    clock = Clock()
    s = sender(alisim, clock, cert_mode=cert_mode)
    paid_qr(alisim, listener.url)
    assert s.tick() == 1
    [body] = listener.bodies
    note = parse_notification(body, keys(alisim, cert_mode), app_id=alisim.identity.app_id,
                              seller_id=alisim.identity.seller_id)
    assert (note.trade.out_trade_no, note.trade.total_fen, str(note.trade.status)) == (
        "N1", 1230, "TRADE_SUCCESS")
    clock.t += 10**6
    assert s.tick() == 0 and len(listener.bodies) == 1     # "success" ended it
    [row] = s.pending()
    assert row["delivered_at"] is not None and row["failures"] == 0
    with pytest.raises(AlipayError):                        # the other mode's key: refused
        parse_notification(body, keys(alisim, not cert_mode), app_id=alisim.identity.app_id)
    s.stop()


@pytest.mark.parametrize("answer", [
    (200, b"fail"), (200, b"SUCCESS"), (200, b"success\n"), (200, b" success"), (200, b""),
    (500, b"success"), (404, b"")])
def test_only_exactly_success_after_2xx_ends_it(alisim, listener, answer) -> None:
    clock = Clock()
    s = sender(alisim, clock)
    paid_qr(alisim, listener.url)
    listener.answers = [answer]
    s.tick()
    [row] = s.pending()
    assert row["delivered_at"] is None and row["failures"] == 1
    clock.t += ALIPAY_RETRY_S[0] - 1
    assert s.tick() == 0                                    # not before its time
    clock.t += 1
    assert s.tick() == 1
    assert s.pending()[0]["delivered_at"] is not None
    s.stop()


def test_resends_keep_the_notify_id_on_alipays_schedule_then_stop(alisim, listener) -> None:
    clock = Clock()
    s = sender(alisim, clock)
    paid_qr(alisim, listener.url)
    listener.answers = [(200, b"fail")] * 20
    start = clock.t
    s.tick()
    at = [0.0]
    for delay in ALIPAY_RETRY_S:
        clock.t += delay
        assert s.tick() == 1
        at.append(clock.t - start)
    assert at == [0, 240, 840, 1440, 5040, 12240, 33840, 87840]    # 8 deliveries in 24.4 h
    clock.t += 10**7
    assert s.tick() == 0 and len(listener.bodies) == 8
    [row] = s.pending()
    assert row["gave_up"] == 1 and row["failures"] == 8
    fields = [dict(parse_qsl(b.decode("ascii"))) for b in listener.bodies]
    assert len({f["notify_id"] for f in fields}) == 1
    assert len({f["sign"] for f in fields}) == 8 and len({f["notify_time"] for f in fields}) == 8
    for b in listener.bodies:                                # every resend verifies
        parse_notification(b, keys(alisim, False), app_id=alisim.identity.app_id)
    s.stop()


def test_no_answer_is_a_failure_and_resent(alisim, tmp_path) -> None:
    clock = Clock()
    s = sender(alisim, clock)
    dead = Listener()
    url = dead.url
    dead.close()                                            # connection refused
    paid_qr(alisim, url)
    s.tick()
    [row] = s.pending()
    assert row["failures"] == 1 and row["last_status"] is None and row["delivered_at"] is None
    s.stop()


def test_only_paid_qr_trades_with_a_notify_url(alisim, listener) -> None:
    clock = Clock()
    s = sender(alisim, clock)
    alisim.engine.precreate({"out_trade_no": "N2", "total_amount": "1.00", "subject": "x"},
                         notify_url=listener.url)              # shown, never paid
    alisim.engine.precreate({"out_trade_no": "N3", "total_amount": "1.00", "subject": "x"})
    alisim.engine.customer_scan(out_trade_no="N3")                # paid, no notify_url
    alisim.engine.pay({"out_trade_no": "N4", "scene": "bar_code", "total_amount": "1.00",
                    "subject": "x", "auth_code": random_success_code()})   # payment code
    assert alisim.engine.get("N4").paid_at is not None           # type: ignore[union-attr]
    assert s.tick() == 0 and listener.bodies == [] and s.pending() == []
    s.stop()


def test_the_queue_survives_a_restart(alisim, listener) -> None:
    clock = Clock()
    s = sender(alisim, clock)
    paid_qr(alisim, listener.url)
    listener.answers = [(503, b"")]
    s.tick()
    s.stop()
    again = sender(alisim, clock)                               # a restarted simulator
    clock.t += ALIPAY_RETRY_S[0]
    assert again.tick() == 1
    first, second = (dict(parse_qsl(b.decode("ascii"))) for b in listener.bodies)
    assert first["notify_id"] == second["notify_id"]
    assert again.pending()[0]["delivered_at"] is not None
    again.stop()


def test_switched_off_sends_nothing_and_the_notification_waits(alisim, listener) -> None:
    clock = Clock()
    s = sender(alisim, clock)
    s.enabled = False
    paid_qr(alisim, listener.url)
    assert s.tick() == 0 and listener.bodies == []
    s.enabled = True
    assert s.tick() == 1 and len(listener.bodies) == 1
    s.stop()
