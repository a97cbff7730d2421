"""Local WeChat Pay APIv3 server over real HTTP on loopback (tests, demo/training mode).

``SimulatorServer(state_dir).start()`` provisions keys (see ``provision``), binds a
:class:`~pos_app.simulator.listener.BoundedHTTPServer` on 127.0.0.1 (backlog 128, idle
connections closed after ``idle_timeout_s``, at most ``max_threads`` handler threads), writes ``merchant.json`` (public-key mode) and
``merchant_certmode.json`` (platform-certificate mode) for that base URL, and serves:

    POST /v3/pay/transactions/native                     → 200 {"code_url"}
    POST /v3/pay/transactions/codepay                    → 200 order | 202 USERPAYING | error
    GET  /v3/pay/transactions/out-trade-no/{no}?mchid=   → 200 order | 404 ORDER_NOT_EXIST
    GET  /v3/pay/transactions/id/{transaction_id}?mchid= → 200 order | 404 ORDER_NOT_EXIST
    POST /v3/pay/transactions/out-trade-no/{no}/close    → 204 | 400 ORDER_PAID | 403 TRADE_ERROR
    POST /v3/pay/transactions/out-trade-no/{no}/reverse  → 200 {"appid","mchid","out_trade_no"}
                                                           | 400 USERPAYING (refused, password box open)
                                                           | 500 SYSTEM_ERROR (= recall, call again)
    POST /v3/refund/domestic/refunds                     → 200 refund
    GET  /v3/refund/domestic/refunds/{out_refund_no}     → 200 refund | 404 RESOURCE_NOT_EXISTS
    GET  /v3/certificates                                → 200 {"data":[encrypted platform cert]}
    GET  /v3/bill/tradebill?bill_date=&bill_type=ALL[&tar_type=GZIP] → 200 {hash_type, hash_value, download_url}
    GET  /v3/billdownload/file?token=                    → 200 CSV (unsigned, like WeChat)

Every /v3 request must carry Accept and User-Agent (else 400 INVALID_REQUEST) and a valid
``WECHATPAY2-SHA256-RSA2048`` Authorization (fields in any order; merchant serial;
signature over method, raw path+query, timestamp, nonce and the raw body; |Δt| ≤ 300 s)
else 401 SIGN_ERROR. A body ``mchid`` (or query ``mchid``) must equal the header mchid.
Every 2xx is signed (``Wechatpay-Timestamp/Nonce/Signature/Serial/Signature-Type`` +
``Request-ID``): with the public-key-mode key when the request's ``Wechatpay-Serial`` is
the ``PUB_KEY_ID_…``, otherwise with the platform-certificate key. Errors are
``{"code","message"[,"detail"]}`` (unsigned). Engine codes map via :data:`~pos_app.simulator.v3_replies.V3_ERRORS`.

Control API (no auth, loopback clients only)::

    POST /simulator/pay               {"code_url": …} | {"out_trade_no": …}  (customer pays)
    POST /simulator/native-behaviour  {"out_trade_no", "pay_after_s"?, "never"?, "fail"?,
                                       "coupon"?: {"amount", "type"?, "scope"?, "name"?}}
    POST /simulator/refund-behaviour  {"out_trade_no", "outcome", "after_s"?}  (see refunds.py)
    POST /simulator/realism           {"<switch>": value, …} → the switches now in force
                                      (see realism.py; every switch defaults to WeChat's way)
    POST /simulator/faults            {"kind", "path_prefix"?, "count"?, "seconds"?, "method"?}
    POST /simulator/reset-faults
    POST /simulator/clear             (forget all orders)
    GET  /simulator/orders            {"orders": [...], "refunds": [...]}
    GET  /simulator/health

Fault kinds: see :mod:`pos_app.simulator.faults` (``timeout`` and ``drop_after_commit``
perform the operation first; ``error*`` do nothing).

APIv2: the server owns a :class:`~pos_app.simulator.v2.V2Listener` (``server.v2``) on the
same engine; it starts after the v3 listener binds (port ``v2_port``, any free port if that
is taken), its :meth:`~pos_app.simulator.v2.V2Listener.config_extra` fields go into both
merchant files, and it stops with the server.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import secrets
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import urlsplit

from pos_app.simulator.control import ControlApi
from pos_app.simulator.engine import Engine, OrderView, SimError
from pos_app.simulator.faults import FaultRule
from pos_app.simulator.listener import (
    DEFAULT_IDLE_TIMEOUT_S,
    DEFAULT_MAX_THREADS,
    BoundedHTTPServer,
)
from pos_app.simulator.notify import NotifySender
from pos_app.simulator.provision import SimIdentity, provision, write_merchant_configs
from pos_app.simulator.realism import Realism
from pos_app.simulator.v2 import V2Listener
from pos_app.simulator.v3_replies import FAULT_ERRORS, BadRequest, Reply, err, sim_err
from pos_app.simulator.v3_routes import V3Routes
from pos_app.simulator.v3_signing import V3Signing

log = logging.getLogger("pos_app.simulator")

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid 40 ms delayed-ACK stalls
    server_version = "pos-app-wechatpay-simulator"
    sim: SimulatorServer  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    # ---------------------------------------------------------------- plumbing
    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, reply: Reply, rule: FaultRule | None) -> None:
        sim = self.sim
        request_id = f"{secrets.token_hex(16).upper()}-{reply.error_code}"
        headers: list[tuple[str, str]] = [("Request-ID", request_id)]
        if reply.sign:
            headers += sim.signature_headers(
                reply.body, self.headers.get("Wechatpay-Serial"), rule.kind if rule else None
            )
        self.send_response(reply.status)
        for k, v in headers:
            self.send_header(k, v)
        if reply.status != 204:
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.status != 204 and reply.body:
            self.wfile.write(reply.body)
        self.wfile.flush()

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _handle(self, method: str) -> None:
        try:
            body = self._read_body()
            path = urlsplit(self.path).path
            if path.startswith("/simulator/"):
                if not self._loopback():
                    self._send(err(403, "NO_AUTH", "control API is loopback-only"), None)
                    return
                self._send(self.sim.control(method, self.path, body), None)
                return
            faults = self.sim.engine.faults
            faults.hold(faults.latency_for(path))
            rule = faults.take(method, path)
            if rule is not None and rule.kind in FAULT_ERRORS:
                status, code, message = FAULT_ERRORS[rule.kind]
                self._send(err(status, code, message), None)
                return
            try:
                mchid = self.sim.verify_request(method, self.path, self.headers, body)
                reply = self.sim.route(method, self.path, mchid, body)
            except BadRequest as bad:
                reply = bad.reply
            except SimError as exc:
                reply = sim_err(exc)
            if rule is not None and rule.kind == "drop_after_commit":
                self._drop()
                return
            if rule is not None and rule.kind == "timeout":
                faults.hold(rule.seconds)
            self._send(reply, rule)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:  # a simulator bug must not kill the listener thread silently
            log.exception("simulator: unhandled error for %s %s", method, urlsplit(self.path).path)
            try:
                self._send(err(500, "SYSTEM_ERROR", "simulator internal error"), None)
            except OSError:
                self.close_connection = True

    def _loopback(self) -> bool:
        host = self.client_address[0]
        return host.startswith("127.") or host in ("::1", "::ffff:127.0.0.1")


class SimulatorServer(V3Routes, V3Signing, ControlApi):
    """A WeChat Pay APIv3 simulator listening on ``host:port`` (0 = any free port).

    Attributes: ``engine`` (:class:`Engine`), ``identity`` (:class:`SimIdentity`),
    ``base_url``, ``merchant_config_path`` (public-key mode), ``merchant_certmode_config_path``,
    ``merchant_json_extra`` (fields merged into both merchant files), ``v2`` (the APIv2
    listener while running).
    ``codepay_userpaying_status``: 202 (default, {"code":"USERPAYING"}) or 200 (order body
    with trade_state USERPAYING). ``wall_clock`` drives signatures/timestamp checks;
    the engine's clock drives business time.
    """

    def __init__(
        self,
        state_dir: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        clock: Callable[[], float] = time.time,
        wall_clock: Callable[[], float] = time.time,
        refund_delay_s: float = 1.0,
        native_pay_after_s: float | None = None,
        codepay_userpaying_status: int = 202,
        max_threads: int = DEFAULT_MAX_THREADS,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
        v2_port: int = 0,
        leading_zero_serials: bool = False,
        realism: Realism | None = None,
        notify_ca_pem: bytes | None = None,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.host = host
        self.port = port
        self.identity: SimIdentity = provision(self.state_dir, leading_zero_serials=leading_zero_serials)
        self.engine = Engine(
            self.state_dir, clock=clock, refund_delay_s=refund_delay_s, native_pay_after_s=native_pay_after_s,
            realism=realism,
        )
        self.wall_clock = wall_clock
        self.max_threads = max_threads
        self.idle_timeout_s = idle_timeout_s
        self.codepay_userpaying_status = codepay_userpaying_status
        self.v2_port = v2_port  # wanted APIv2 listener port (0 = any)
        self.v2: V2Listener | None = None  # the APIv2 listener while running
        self.merchant_json_extra: dict[str, Any] = {}
        self._httpd: BoundedHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.notify_ca_pem = notify_ca_pem  # extra CA trusted for notify_url (tests: the hub's)
        self.notifier: NotifySender | None = None

    # ---------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def merchant_config_path(self) -> Path:
        return self.identity.merchant_config_path

    @property
    def merchant_certmode_config_path(self) -> Path:
        return self.identity.merchant_certmode_config_path

    def start(self) -> SimulatorServer:
        handler = type("SimHandler", (_Handler,), {"sim": self, "timeout": self.idle_timeout_s})
        httpd = BoundedHTTPServer(
            (self.host, self.port), handler, max_threads=self.max_threads, idle_timeout_s=self.idle_timeout_s
        )
        self._httpd = httpd
        self.port = int(httpd.server_address[1])
        self._thread = threading.Thread(target=httpd.serve_forever, name="wxpay-simulator", daemon=True)
        self._thread.start()
        self.v2 = self._start_v2()
        self.merchant_json_extra.update(self.v2.config_extra())
        self.write_merchant_config()
        self.notifier = NotifySender(self.engine, self.identity, wall_clock=self.wall_clock,
                                     ca_pem=self.notify_ca_pem).start()
        log.info("simulator listening on %s (state %s)", self.base_url, self.state_dir)
        return self

    def _start_v2(self) -> V2Listener:
        """The APIv2 listener on ``v2_port`` (any free port when 0 or taken), started."""
        ident = self.identity

        def listener(port: int) -> V2Listener:
            return V2Listener(
                self.engine, mchid=ident.mchid, appid=ident.appid, state_dir=ident.state_dir,
                merchant_key_path=ident.merchant_key_path, merchant_cert_path=ident.merchant_cert_path,
                port=port,
            )

        if self.v2_port:
            try:
                return listener(self.v2_port).start()
            except OSError as exc:
                log.warning("APIv2 port %d unavailable (%s); using a free port", self.v2_port, exc)
        return listener(0).start()

    def write_merchant_config(self) -> None:
        """(Re)write merchant.json / merchant_certmode.json for the current base URL."""
        write_merchant_configs(self.identity, self.base_url, self.merchant_json_extra)

    def stop(self) -> None:
        self.engine.faults.release()
        if self.notifier is not None:
            self.notifier.stop()
            self.notifier = None
        if self.v2 is not None:
            self.v2.stop()
            self.v2 = None
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SimulatorServer:
        return self.start() if self._httpd is None else self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # Python-side conveniences (same as the HTTP control API)
    def pay(self, *, code_url: str | None = None, out_trade_no: str | None = None) -> OrderView:
        return self.engine.pay(code_url=code_url, out_trade_no=out_trade_no)

    def inject(self, kind: str, **kwargs: Any) -> None:
        self.engine.inject(kind, **kwargs)

    @property
    def realism(self) -> Realism:
        return self.engine.realism

    def set_realism(self, realism: Realism | None = None, **changes: Any) -> Realism:
        """Switch simulator behaviours (a whole :class:`Realism`, or named fields changed)."""
        new = (realism or self.engine.realism).updated(changes)
        self.engine.set_realism(new)
        return new

    def reset_faults(self) -> None:
        self.engine.reset_faults()

# ---------------------------------------------------------------------- CLI
def _default_state_dir() -> Path:
    try:
        import platformdirs

        return Path(platformdirs.user_data_dir("pos-app")) / "simulator"
    except ImportError:  # pragma: no cover
        return Path.home() / ".pos-app" / "simulator"


def main(argv: Sequence[str] | None = None) -> int:
    """``pos-app simulator --port P --state-dir DIR [--host 127.0.0.1]``."""
    parser = argparse.ArgumentParser(prog="pos-app simulator", description="Local WeChat Pay APIv3 simulator")
    parser.add_argument("--port", type=int, default=8733)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--state-dir", type=Path, default=None)
    parser.add_argument("--v2-port", type=int, default=None,
                        help="APIv2 HTTPS listener port (default: --port + 1, or any free port)")
    parser.add_argument("--refund-delay", type=float, default=1.0, help="seconds PROCESSING → SUCCESS")
    parser.add_argument("--native-pay-after", type=float, default=None,
                        help="customers pay Native QR codes after this many seconds (default: only via /simulator/pay)")
    parser.add_argument("--realism", action="append", default=[], metavar="SWITCH=JSON",
                        help="change one simulator behaviour, e.g. close_lag_s=0 or v3_codepay='\"NO_AUTH\"' "
                             "(see pos_app/simulator/realism.py; every switch defaults to WeChat's way)")
    parser.add_argument("--leading-zero-serials", action="store_true",
                        help="first start only: certificate serials that begin with 0 (0AA0…)")
    ns = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    changes: dict[str, Any] = {}
    for item in ns.realism:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--realism {item!r}: expected SWITCH=VALUE")
        try:
            changes[name] = json.loads(value)
        except ValueError:
            changes[name] = value
    try:
        realism = Realism().updated(changes)
    except (ValueError, TypeError) as exc:
        parser.error(f"--realism: {exc}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = SimulatorServer(
        ns.state_dir or _default_state_dir(), ns.host, ns.port,
        refund_delay_s=ns.refund_delay, native_pay_after_s=ns.native_pay_after,
        v2_port=ns.v2_port if ns.v2_port is not None else (ns.port + 1 if ns.port else 0),
        realism=realism, leading_zero_serials=ns.leading_zero_serials,
    )
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start()
        print(f"base_url: {server.base_url}", flush=True)
        print(f"merchant_config: {server.merchant_config_path}", flush=True)
        print(f"merchant_config_certmode: {server.merchant_certmode_config_path}", flush=True)
        v2_url = server.merchant_json_extra.get("v2_base_url")
        if v2_url:
            print(f"v2_base_url: {v2_url}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        server.engine.close_db()
        for s, handler in old.items():
            signal.signal(s, handler)
    return 0
