"""Local Alipay open-platform gateway over real HTTP on loopback (tests, demo mode).

``AlipaySimulatorServer(state_dir).start()`` provisions keys and certificates
(:mod:`.provision`), binds a ``ThreadingHTTPServer`` on 127.0.0.1, writes
``alipay_merchant.json`` / ``alipay_merchant_certmode.json`` for its URL and serves::

    GET|POST /gateway.do      the open-platform gateway (form POST with the system parameters
                              in the query string or the body, or one GET query string)
    GET      /simulator/bill?token=…   the bill zip (unsigned, URL valid 30 s, like Alipay's)

Methods: the eight 当面付 calls plus ``alipay.open.app.alipaycert.download`` (any Alipay
certificate ever issued, base64 PEM with its chain).

The gateway checks, in this order, with Alipay's codes: ``method`` (40001
isv.missing-method; unknown → ``error_response``), ``app_id``, ``sign``, ``sign_type``,
``timestamp``, ``version`` present (40001 isv.missing-*), ``app_id`` known (40002
isv.invalid-app-id), ``sign_type=RSA2``, ``charset`` utf-8/gbk, ``format`` JSON, timestamp
format (and skew when ``max_skew_s`` is set), certificate SNs (cert mode:
isv.app-cert-not-exist / invalid-alipay-root-cert-sn), then the RSA2 signature over every
sent parameter but ``sign`` (40002 isv.invalid-signature, echoing the string it
verified). Every answer — errors included — is signed: the ``*_response`` node is JSON with
``/`` escaped as ``\\/``; requests in certificate mode are answered with the Alipay
certificate's key and ``alipay_cert_sn``, the others with the Alipay public-key-mode key.

Control API (no auth, loopback only)::

    POST /simulator/pay            {"qr_code"|"out_trade_no", "action": pay|scan|give_up, "after_s"?}
    POST /simulator/faults         {"kind", "method"?, "count"?, "seconds"?}   (see simulator.faults;
                                   the prefix matched is the API method name, e.g. "alipay.trade.query")
    POST /simulator/reset-faults
    POST /simulator/clear
    POST /simulator/rotate-cert    issue a new Alipay certificate; cert-mode answers name its SN
    GET  /simulator/trades
    GET  /simulator/notification?out_trade_no=…[&cert_mode=1]   the signed trade_status_sync form body
    GET  /simulator/health

Fault kinds: error500/error503 (answer HTTP 5xx, do nothing), timeout (do it, hold the
answer), drop_after_commit (do it, close the socket), bad_signature (do it, spoil ``sign``),
latency (persistent). Payment-code scenarios: :mod:`.scenarios`.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import json
import logging
import re
import secrets
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from pos_app.alipay.signing import rsa2_sign, rsa2_verify, sign_content
from pos_app.simulator.alipay.bill import bill_zip
from pos_app.simulator.alipay.engine import BEIJING, AlipayEngine, Reply, beijing, fail
from pos_app.simulator.alipay.notify import AlipayNotifySender
from pos_app.simulator.alipay.provision import (
    NOTIFY_URL,
    AlipaySimIdentity,
    provision,
    rotate_alipay_cert,
    write_merchant_configs,
)
from pos_app.simulator.faults import Faults

log = logging.getLogger("pos_app.simulator.alipay")

BILL_URL_TTL_S = 30.0
_TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_MAX_BODY = 1_000_000
_REQUIRED = (
    ("app_id", "isv.missing-app-id"),
    ("sign", "isv.missing-signature"),
    ("sign_type", "isv.missing-signature-type"),
    ("timestamp", "isv.missing-timestamp"),
    ("version", "isv.missing-version"),
)


def charset_of(params: dict[str, str]) -> str:
    """The request charset (utf-8 or gbk): the bytes signed and the answer use it."""
    return "gbk" if params.get("charset", "").lower() == "gbk" else "utf-8"


class _Drop(Exception):
    """Close the connection without answering."""


class AlipaySimulatorServer:
    def __init__(
        self,
        state_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] | None = None,
        max_skew_s: float | None = None,
        refund_query_lag_s: float = 10.0,
        bill_ready_hour: int | None = 10,
        notify_url: str = NOTIFY_URL,
        notify_retry_scale: float = 1.0,
        notify_cert_mode: bool = False,
        notify_ca_pem: bytes | None = None,
    ) -> None:
        """``bill_ready_hour``: a day's bill exists from this hour (Beijing) of the next
        day, as Alipay's (None: as soon as the day is over — tests that need it).
        ``notify_url``: written into the merchant configs (the till sends it with a QR);
        paid QR trades are notified there by :attr:`notifier` (see
        :mod:`pos_app.simulator.alipay.notify`: ``notify_retry_scale`` shortens Alipay's
        resend schedule, ``notify_cert_mode`` signs with the certificate-mode key,
        ``notify_ca_pem`` is trusted for an https ``notify_url``)."""
        self.state_dir = Path(state_dir)
        self.host, self.port = host, port
        self.clock = clock or time.time
        self.max_skew_s = max_skew_s
        self.bill_ready_hour = bill_ready_hour
        self.identity: AlipaySimIdentity = provision(self.state_dir)
        self.engine = AlipayEngine(
            self.state_dir, seller_id=self.identity.seller_id, clock=self.clock, refund_query_lag_s=refund_query_lag_s
        )
        self.notify_url = notify_url
        self.notifier = AlipayNotifySender(self.engine, self.identity, wall_clock=self.clock,
                                           retry_scale=notify_retry_scale,
                                           cert_mode=notify_cert_mode, ca_pem=notify_ca_pem)
        self.faults = Faults()
        self._bill_tokens: dict[str, tuple[dt.date, float]] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.handlers: dict[str, Callable[[dict[str, Any]], Reply]] = {
            "alipay.trade.pay": self.engine.pay,
            "alipay.trade.precreate": self.engine.precreate,
            "alipay.trade.query": self.engine.query,
            "alipay.trade.cancel": self.engine.cancel,
            "alipay.trade.close": self.engine.close_trade,
            "alipay.trade.refund": self.engine.refund,
            "alipay.trade.fastpay.refund.query": self.engine.refund_query,
            "alipay.data.dataservice.bill.downloadurl.query": self._bill_url,
            "alipay.open.app.alipaycert.download": self._cert_download,
        }

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def gateway_url(self) -> str:
        return self.base_url + "/gateway.do"

    @property
    def merchant_config_path(self) -> Path:
        return self.identity.merchant_config_path

    @property
    def merchant_certmode_config_path(self) -> Path:
        return self.identity.merchant_certmode_config_path

    def start(self) -> AlipaySimulatorServer:
        handler = type("Handler", (_Handler,), {"sim": self})
        httpd = ThreadingHTTPServer((self.host, self.port), handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self.port = int(httpd.server_address[1])
        write_merchant_configs(self.identity, self.gateway_url, self.notify_url)
        self._thread = threading.Thread(target=httpd.serve_forever, name="alipay-simulator", daemon=True)
        self._thread.start()
        self.notifier.start()
        log.info("Alipay simulator on %s (state %s)", self.gateway_url, self.state_dir)
        return self

    def stop(self) -> None:
        self.faults.reset()
        self.notifier.stop()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        self.engine.close()

    def __enter__(self) -> AlipaySimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test/demo conveniences ------------------------------------------------------------

    def inject(self, kind: str, *, method: str = "alipay.", count: int = 1, seconds: float | None = None) -> None:
        self.faults.inject(kind, path_prefix=method, count=count, seconds=seconds)

    def reset_faults(self) -> None:
        self.faults.reset()

    def customer_pay(self, *, qr_code: str | None = None, out_trade_no: str | None = None,
                     action: str = "pay", after_s: float = 0.0) -> None:
        self.engine.customer_scan(qr_code=qr_code, out_trade_no=out_trade_no, action=action, after_s=after_s)

    def notification_body(self, out_trade_no: str, *, cert_mode: bool = False) -> bytes:
        """The signed form body Alipay would POST to ``notify_url`` for a paid trade
        (signed with the certificate-mode key for a certificate-mode merchant)."""
        fields = self.engine.notification_fields(out_trade_no, self.identity.app_id)
        key = self.identity.alipay_cert_private_key if cert_mode else self.identity.alipay_private_key
        fields["sign"] = rsa2_sign(sign_content(fields, exclude=frozenset({"sign", "sign_type"})), key)
        return urlencode(fields).encode("ascii")

    # -- the gateway -----------------------------------------------------------------------

    def _bill_url(self, biz: dict[str, Any]) -> Reply:
        if biz.get("bill_type") not in ("trade", "signcustomer"):
            return fail("isv.invalid-parameter", "bill_type 不合法", code="40002", msg="Invalid Arguments")
        raw = biz.get("bill_date")
        try:
            day = dt.date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
        except ValueError:
            day = None
        if day is None:
            return fail("isv.invalid-parameter", "bill_date 须为 yyyy-MM-dd", code="40002", msg="Invalid Arguments")
        now = dt.datetime.fromtimestamp(self.clock(), tz=BEIJING)
        today = now.date()
        not_yet = (self.bill_ready_hour is not None and day == today - dt.timedelta(days=1)
                   and now.hour < self.bill_ready_hour)   # generated later in the morning
        if day >= today or not_yet:
            return fail("isp.bill_not_exist", "账单不存在")
        token = secrets.token_urlsafe(16)
        self._bill_tokens[token] = (day, self.clock() + BILL_URL_TTL_S)
        url = f"{self.base_url}/simulator/bill?token={token}&fileType=csv.zip"
        return Reply({"code": "10000", "msg": "Success", "bill_download_url": url})

    def rotate_alipay_cert(self) -> str:
        """Start signing certificate-mode answers with a newly issued Alipay certificate."""
        sn = rotate_alipay_cert(self.state_dir)
        self.identity = provision(self.state_dir)
        return sn

    def _cert_download(self, biz: dict[str, Any]) -> Reply:
        pem = self.identity.alipay_certs.get(str(biz.get("alipay_cert_sn", "")))
        if pem is None:
            return fail("isv.invalid-parameter", "证书不存在", code="40002", msg="Invalid Arguments")
        return Reply({"code": "10000", "msg": "Success", "alipay_cert_content": base64.b64encode(pem).decode("ascii")})

    def bill_file(self, token: str) -> bytes | None:
        entry = self._bill_tokens.get(token)
        if entry is None or self.clock() > entry[1]:
            return None
        day = entry[0]
        return bill_zip(self.identity.seller_id, day, self.engine.bill_rows(day), exported=beijing(self.clock()))

    def _check(self, params: dict[str, str], method: str, encoding: str) -> Reply | None:
        for name, sub in _REQUIRED:
            if not params.get(name):
                return fail(sub, f"缺少{name}参数", code="40001", msg="Missing Required Arguments")
        bad = "Invalid Arguments"
        if params["app_id"] != self.identity.app_id:
            return fail("isv.invalid-app-id", "无效的AppID参数", code="40002", msg=bad)
        if params["sign_type"] != "RSA2":
            return fail("isv.invalid-signature-type", "无效的签名类型", code="40002", msg=bad)
        if params.get("charset", "utf-8").lower() not in ("utf-8", "gbk"):
            return fail("isv.invalid-charset", "字符集错误", code="40002", msg=bad)
        if params.get("format", "json").lower() != "json":
            return fail("isv.invalid-format", "无效的数据格式", code="40002", msg=bad)
        if params["version"] != "1.0":
            return fail("isv.invalid-version", "版本号错误", code="40002", msg=bad)
        ts = params["timestamp"]
        try:
            sent = dt.datetime.strptime(ts, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING) if _TS_RE.match(ts) else None
        except ValueError:
            sent = None
        if sent is None:
            return fail("isv.invalid-timestamp", "非法的时间戳参数", code="40002", msg=bad)
        if self.max_skew_s is not None and abs(sent.timestamp() - self.clock()) > self.max_skew_s:
            return fail("isv.invalid-timestamp", "时间戳与网关时间相差过大（须为北京时间）", code="40002", msg=bad)
        app_sn, root_sn = params.get("app_cert_sn"), params.get("alipay_root_cert_sn")
        if app_sn is not None or root_sn is not None:
            if app_sn != self.identity.app_cert_sn:
                return fail("isv.app-cert-not-exist", "应用公钥证书不存在", code="40002", msg=bad)
            if root_sn != self.identity.root_cert_sn:
                return fail("isv.invalid-alipay-root-cert-sn", "支付宝根证书SN无效", code="40002", msg=bad)
        content = sign_content(params)
        if not rsa2_verify(content, params["sign"], self.identity.app_public_key, encoding):
            return fail(
                "isv.invalid-signature",
                f"验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：{content}",
                code="40002", msg=bad,
            )
        return None

    def gateway(self, params: dict[str, str]) -> tuple[bytes, str | None, float]:
        """Answer one gateway call → (body in the request charset, effect, hold seconds)."""
        encoding = charset_of(params)
        method = params.get("method", "")
        node = method.replace(".", "_") + "_response" if method in self.handlers else "error_response"
        cert_mode = "app_cert_sn" in params and params.get("app_cert_sn") == self.identity.app_cert_sn
        effect, hold = None, 0.0
        if not method:
            reply = fail("isv.missing-method", "缺少方法名参数", code="40001", msg="Missing Required Arguments")
        elif method not in self.handlers:
            reply = fail("isv.invalid-method", "不存在的方法名", code="40002", msg="Invalid Arguments")
        else:
            reply = self._check(params, method, encoding) or self._dispatch(method, params)
            effect, hold = reply.effect, reply.hold_s
        return self._envelope(node, reply.fields, cert_mode=cert_mode, encoding=encoding), effect, hold

    def _dispatch(self, method: str, params: dict[str, str]) -> Reply:
        try:
            biz = json.loads(params.get("biz_content") or "{}")
        except ValueError:
            biz = None
        if not isinstance(biz, dict):
            return fail("isv.invalid-parameter", "biz_content 不是合法的JSON", code="40002", msg="Invalid Arguments")
        if method == "alipay.trade.precreate":     # notify_url is a common parameter
            return self.engine.precreate(biz, notify_url=params.get("notify_url", ""))
        return self.handlers[method](biz)

    def _envelope(
        self, node: str, fields: dict[str, Any], *, cert_mode: bool, spoil: bool = False, encoding: str = "utf-8"
    ) -> bytes:
        text = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/")
        key = self.identity.alipay_cert_private_key if cert_mode else self.identity.alipay_private_key
        sign = rsa2_sign(text + (" " if spoil else ""), key, encoding)
        cert = f',"alipay_cert_sn":"{self.identity.alipay_cert_sn}"' if cert_mode else ""
        return f'{{"{node}":{text}{cert},"sign":"{sign}"}}'.encode(encoding, "replace")


class _Handler(BaseHTTPRequestHandler):
    sim: AlipaySimulatorServer
    protocol_version = "HTTP/1.1"
    server_version = "AlipaySimulator/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _send(self, status: int, body: bytes, content_type: str = "application/json;charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, doc: object) -> None:
        self._send(status, json.dumps(doc, ensure_ascii=False).encode())

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, verb: str) -> None:
        url = urlsplit(self.path)
        try:
            body = self._body()
            if url.path == "/gateway.do":
                self._gateway(verb, url.query, body)
            elif url.path.startswith("/simulator/"):
                self._control(verb, url.path.removeprefix("/simulator/"), dict(parse_qsl(url.query)), body)
            else:
                self._json(404, {"error": "not found"})
        except _Drop:
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        except (ValueError, LookupError) as exc:
            self._json(400, {"error": str(exc)})

    def _params(self, query: str, body: bytes) -> dict[str, str] | None:
        ctype = (self.headers.get("Content-Type") or "").lower()
        raw_pairs = parse_qsl(query, keep_blank_values=True, encoding="latin-1")
        if body and ctype.startswith("application/x-www-form-urlencoded"):
            raw_pairs += parse_qsl(body.decode("ascii", "replace"), keep_blank_values=True, encoding="latin-1")
        charset = next((v for k, v in raw_pairs if k == "charset"), "utf-8").lower()
        enc = "gbk" if charset == "gbk" else "utf-8"
        pairs = parse_qsl(query, keep_blank_values=True, encoding=enc, errors="strict")
        if body and ctype.startswith("application/x-www-form-urlencoded"):
            pairs += parse_qsl(body.decode("ascii"), keep_blank_values=True, encoding=enc, errors="strict")
        params: dict[str, str] = {}
        for k, v in pairs:
            if k in params:
                return None
            params[k] = v
        return params

    def _gateway(self, verb: str, query: str, body: bytes) -> None:
        sim = self.sim
        try:
            params = self._params(query, body)
        except (UnicodeDecodeError, ValueError):
            params = None
        if params is None:
            out = sim._envelope("error_response", fail("isv.invalid-parameter", "参数无效或重复",
                                code="40002", msg="Invalid Arguments").fields, cert_mode=False)
            self._send(200, out)
            return
        method = params.get("method", "")
        sim.faults.hold(sim.faults.latency_for(method))
        rule = sim.faults.take(verb, method)
        if rule is not None and rule.kind in ("error500", "error503", "error429"):
            status = {"error500": 500, "error503": 503, "error429": 429}[rule.kind]
            self._send(status, b"<html>Service Unavailable</html>", "text/html")
            return
        answer, effect, hold = sim.gateway(params)
        if rule is not None:
            if rule.kind == "timeout":
                effect, hold = "timeout", rule.seconds
            elif rule.kind in ("drop_after_commit", "bad_signature"):
                effect = "drop" if rule.kind == "drop_after_commit" else "bad_signature"
        if effect == "timeout":
            sim.faults.hold(hold or 30.0)
        elif effect == "drop":
            raise _Drop
        elif effect == "bad_signature":
            encoding = charset_of(params)
            doc = json.loads(answer.decode(encoding))
            node = next(k for k in doc if k.endswith("_response"))
            answer = sim._envelope(node, doc[node], cert_mode="alipay_cert_sn" in doc, spoil=True, encoding=encoding)
        self._send(200, answer, f"application/json;charset={charset_of(params)}")

    def _control(self, verb: str, action: str, query: dict[str, str], body: bytes) -> None:
        sim = self.sim
        doc: dict[str, Any] = json.loads(body) if body else {}
        if action == "health":
            self._json(200, {"ok": True, "app_id": sim.identity.app_id})
        elif action == "bill":
            data = sim.bill_file(query.get("token", ""))
            if data is None:
                self._send(404, "账单链接已过期".encode(), "text/plain;charset=utf-8")
            else:
                self._send(200, data, "application/zip")
        elif action == "pay" and verb == "POST":
            sim.customer_pay(qr_code=doc.get("qr_code"), out_trade_no=doc.get("out_trade_no"),
                             action=str(doc.get("action", "pay")), after_s=float(doc.get("after_s", 0)))
            self._json(200, {"ok": True})
        elif action == "faults" and verb == "POST":
            sim.faults.inject(str(doc["kind"]), path_prefix=str(doc.get("method", "alipay.")),
                              count=int(doc.get("count", 1)), seconds=doc.get("seconds"))
            self._json(200, {"ok": True, "faults": sim.faults.snapshot()})
        elif action == "reset-faults" and verb == "POST":
            sim.reset_faults()
            self._json(200, {"ok": True})
        elif action == "rotate-cert" and verb == "POST":
            self._json(200, {"alipay_cert_sn": sim.rotate_alipay_cert()})
        elif action == "clear" and verb == "POST":
            sim.engine.clear()
            self._json(200, {"ok": True})
        elif action == "trades":
            self._json(200, {"trades": [asdict(t) for t in sim.engine.all_trades()]})
        elif action == "notification":
            self._send(200, sim.notification_body(query.get("out_trade_no", ""),
                                                  cert_mode=query.get("cert_mode") == "1"),
                       "application/x-www-form-urlencoded;charset=utf-8")
        else:
            self._json(404, {"error": f"unknown control {action!r}"})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pos-app alipay-simulator", description="local Alipay gateway simulator")
    parser.add_argument("--state-dir", required=True, help="keys, certificates, trades and merchant configs")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--max-skew", type=float, default=None, help="refuse timestamps this far from Beijing time (s)")
    ns = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = AlipaySimulatorServer(Path(ns.state_dir), host=ns.host, port=ns.port, max_skew_s=ns.max_skew).start()
    print(f"Alipay simulator: {server.gateway_url}", flush=True)
    print(f"merchant config: {server.merchant_config_path}", flush=True)
    print(f"cert-mode config: {server.merchant_certmode_config_path}", flush=True)
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    stop.wait()
    server.stop()
    return 0
