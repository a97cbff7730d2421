"""Local WeChat Pay APIv3 server over real HTTP on loopback (tests, demo/training mode).

``SimulatorServer(state_dir).start()`` provisions keys (see ``provision``), binds a
``ThreadingHTTPServer`` on 127.0.0.1, writes ``merchant.json`` (public-key mode) and
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
``{"code","message"[,"detail"]}`` (unsigned). Engine codes map via :data:`V3_ERRORS`.

Control API (no auth, loopback clients only)::

    POST /simulator/pay               {"code_url": …} | {"out_trade_no": …}  (customer pays)
    POST /simulator/native-behaviour  {"out_trade_no", "pay_after_s"?, "never"?, "fail"?}
    POST /simulator/faults            {"kind", "path_prefix"?, "count"?, "seconds"?, "method"?}
    POST /simulator/reset-faults
    POST /simulator/clear             (forget all orders)
    GET  /simulator/orders            {"orders": [...], "refunds": [...]}
    GET  /simulator/health

Fault kinds: see :mod:`pos_app.simulator.faults` (``timeout`` and ``drop_after_commit``
perform the operation first; ``error*`` do nothing).

APIv2 (helper C): if ``pos_app.simulator.v2`` exists, ``v2.attach(server)`` is called
after binding and before merchant.json is written; it may add a listener, put extra
merchant.json fields into ``server.merchant_json_extra`` and cleanup callables into
``server.on_stop``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import hashlib
import importlib
import json
import logging
import secrets
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.hazmat.primitives import serialization

from pos_app.simulator.engine import Engine, OrderView, RefundView, SimError, fmt_rfc3339
from pos_app.simulator.faults import FaultRule
from pos_app.simulator.provision import SimIdentity, provision, write_merchant_configs
from pos_app.simulator.serving import ThreadingHTTPServer  # stops at once (no poll)
from pos_app.wechatpay.crypto import (
    AUTH_SCHEME,
    aes_gcm_encrypt,
    nonce_str,
    parse_authorization,
    request_message,
    response_message,
    rsa_sign,
    rsa_verify,
)

log = logging.getLogger("pos_app.simulator")

TIMESTAMP_TOLERANCE_S = 300

#: engine code → (HTTP status, APIv3 code)
V3_ERRORS: dict[str, tuple[int, str]] = {
    "PARAM_ERROR": (400, "PARAM_ERROR"),
    "INVALID_REQUEST": (400, "INVALID_REQUEST"),
    "APPID_MCHID_NOT_MATCH": (400, "APPID_MCHID_NOT_MATCH"),
    "MCH_NOT_EXISTS": (400, "MCH_NOT_EXISTS"),
    "ORDER_NOT_EXIST": (404, "ORDER_NOT_EXIST"),
    "RESOURCE_NOT_EXISTS": (404, "RESOURCE_NOT_EXISTS"),
    "ORDERPAID": (400, "ORDER_PAID"),
    "ORDERCLOSED": (400, "ORDER_CLOSED"),
    "ORDERREVERSED": (400, "ORDER_REVERSED"),
    "OUT_TRADE_NO_USED": (403, "OUT_TRADE_NO_USED"),
    "TRADE_ERROR": (403, "TRADE_ERROR"),
    "NO_STATEMENT_EXIST": (400, "NO_STATEMENT_EXIST"),
    "USERPAYING": (202, "USERPAYING"),
    "SYSTEMERROR": (500, "SYSTEM_ERROR"),
    "BANKERROR": (500, "BANK_ERROR"),
    "AUTHCODEEXPIRE": (400, "AUTHCODEEXPIRE"),
    "AUTH_CODE_INVALID": (400, "AUTH_CODE_INVALID"),
    "AUTH_CODE_ERROR": (400, "AUTH_CODE_ERROR"),
    "NOTENOUGH": (403, "NOT_ENOUGH"),
    "NOTSUPORTCARD": (403, "NOTSUPORTCARD"),
    "REVERSE_EXPIRE": (400, "REVERSE_EXPIRE"),
}

_FAULT_ERRORS = {
    "error500": (500, "SYSTEM_ERROR", "系统异常，请稍后重试"),
    "error429": (429, "FREQUENCY_LIMITED", "频率超限"),
    "error503": (503, "SERVICE_UNAVAILABLE", "服务不可用"),
}


class _Reply:
    """What a route produced."""

    def __init__(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "application/json; charset=utf-8",
        *,
        sign: bool = True,
        error_code: str = "0",
    ) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type
        self.sign = sign and 200 <= status < 300
        self.error_code = error_code


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _ok(obj: Any, status: int = 200) -> _Reply:
    return _Reply(status, _json_bytes(obj))


def _err(status: int, code: str, message: str, detail: Any = None) -> _Reply:
    body: dict[str, Any] = {"code": code, "message": message}
    if detail is not None:
        body["detail"] = detail
    # only a 2xx error (202 USERPAYING) ends up signed, like every 2xx
    return _Reply(status, _json_bytes(body), error_code="268435461")


def _sim_err(exc: SimError) -> _Reply:
    status, code = V3_ERRORS.get(exc.code, (400, exc.code))
    detail = {"field": exc.field_name, "location": "body", "issue": exc.message} if exc.field_name else None
    return _err(status, code, exc.message, detail)


class _BadRequest(Exception):
    def __init__(self, reply: _Reply) -> None:
        self.reply = reply


def order_json(v: OrderView) -> dict[str, Any]:
    """APIv3 query/codepay body for an order."""
    doc: dict[str, Any] = {
        "appid": v.appid,
        "mchid": v.mchid,
        "out_trade_no": v.out_trade_no,
        "trade_type": v.trade_type,
        "trade_state": v.trade_state,
        "trade_state_desc": v.trade_state_desc,
        "amount": {"total": v.total, "currency": "CNY", "payer_currency": "CNY"},
        "promotion_detail": [],
    }
    if v.attach:
        doc["attach"] = v.attach
    if v.transaction_id:
        doc["transaction_id"] = v.transaction_id
        doc["bank_type"] = v.bank_type or "OTHERS"
        doc["success_time"] = fmt_rfc3339(v.success_at)
        doc["payer"] = {"openid": v.openid}
        doc["amount"]["payer_total"] = v.total
    return doc


def refund_json(r: RefundView) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "refund_id": r.refund_id,
        "out_refund_no": r.out_refund_no,
        "transaction_id": r.transaction_id,
        "out_trade_no": r.out_trade_no,
        "channel": "ORIGINAL",
        "user_received_account": "支付用户零钱",
        "create_time": fmt_rfc3339(r.created_at),
        "status": r.status,
        "funds_account": "AVAILABLE",
        "amount": {
            "total": r.total, "refund": r.refund, "from": [], "payer_total": r.total, "payer_refund": r.refund,
            "settlement_refund": r.refund, "settlement_total": r.total, "discount_refund": 0, "currency": "CNY",
        },
        "promotion_detail": [],
    }
    if r.success_at is not None:
        doc["success_time"] = fmt_rfc3339(r.success_at)
    return doc


def _has_null(obj: Any) -> bool:
    if obj is None:
        return True
    if isinstance(obj, dict):
        return any(_has_null(v) for v in obj.values())
    if isinstance(obj, list):
        return any(_has_null(v) for v in obj)
    return False


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

    def _send(self, reply: _Reply, rule: FaultRule | None) -> None:
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
                    self._send(_err(403, "NO_AUTH", "control API is loopback-only"), None)
                    return
                self._send(self.sim.control(method, self.path, body), None)
                return
            faults = self.sim.engine.faults
            faults.hold(faults.latency_for(path))
            rule = faults.take(method, path)
            if rule is not None and rule.kind in _FAULT_ERRORS:
                status, code, message = _FAULT_ERRORS[rule.kind]
                self._send(_err(status, code, message), None)
                return
            try:
                mchid = self.sim.verify_request(method, self.path, self.headers, body)
                reply = self.sim.route(method, self.path, mchid, body)
            except _BadRequest as bad:
                reply = bad.reply
            except SimError as exc:
                reply = _sim_err(exc)
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
                self._send(_err(500, "SYSTEM_ERROR", "simulator internal error"), None)
            except OSError:
                self.close_connection = True

    def _loopback(self) -> bool:
        host = self.client_address[0]
        return host.startswith("127.") or host in ("::1", "::ffff:127.0.0.1")


class SimulatorServer:
    """A WeChat Pay APIv3 simulator listening on ``host:port`` (0 = any free port).

    Attributes: ``engine`` (:class:`Engine`), ``identity`` (:class:`SimIdentity`),
    ``base_url``, ``merchant_config_path`` (public-key mode), ``merchant_certmode_config_path``,
    ``merchant_json_extra`` (fields merged into both merchant files), ``on_stop``.
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
        v2_port: int = 0,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.host = host
        self.port = port
        self.identity: SimIdentity = provision(self.state_dir)
        self.engine = Engine(
            self.state_dir, clock=clock, refund_delay_s=refund_delay_s, native_pay_after_s=native_pay_after_s
        )
        self.wall_clock = wall_clock
        self.codepay_userpaying_status = codepay_userpaying_status
        self.v2_port = v2_port  # wanted APIv2 listener port (helper C's v2.attach; 0 = any)
        self.v2: Any = None  # the APIv2 listener once attached
        self.merchant_json_extra: dict[str, Any] = {}
        self.on_stop: list[Callable[[], None]] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

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
        handler = type("SimHandler", (_Handler,), {"sim": self})
        httpd = ThreadingHTTPServer((self.host, self.port), handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self.port = int(httpd.server_address[1])
        self._thread = threading.Thread(target=httpd.serve_forever, name="wxpay-simulator", daemon=True)
        self._thread.start()
        self._attach_v2()
        self.write_merchant_config()
        log.info("simulator listening on %s (state %s)", self.base_url, self.state_dir)
        return self

    def _attach_v2(self) -> None:
        try:
            v2 = importlib.import_module("pos_app.simulator.v2")
        except ImportError as exc:
            if getattr(exc, "name", None) != "pos_app.simulator.v2":
                log.warning("simulator: APIv2 listener unavailable: %s", exc)
            return
        attach = getattr(v2, "attach", None)
        if callable(attach):
            attach(self)

    def write_merchant_config(self) -> None:
        """(Re)write merchant.json / merchant_certmode.json for the current base URL."""
        write_merchant_configs(self.identity, self.base_url, self.merchant_json_extra)

    def stop(self) -> None:
        self.engine.faults.release()
        for cb in reversed(self.on_stop):
            try:
                cb()
            except Exception:
                log.exception("simulator: on_stop callback failed")
        self.on_stop.clear()
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

    def reset_faults(self) -> None:
        self.engine.reset_faults()

    # ---------------------------------------------------------------- signing
    def signature_headers(self, body: bytes, request_serial: str | None, fault: str | None) -> list[tuple[str, str]]:
        ident = self.identity
        if request_serial and request_serial == ident.public_key_id:
            key, serial = ident.pubkey_private, ident.public_key_id
        else:
            key, serial = ident.platform_key, ident.platform_serial
        ts = str(int(self.wall_clock() + self.engine.faults.clock_skew_s))
        nonce = secrets.token_hex(16)
        if fault == "signtest":
            signature = "WECHATPAY/SIGNTEST/" + rsa_sign(key, response_message(ts, nonce, body))[19:]
        elif fault == "bad_signature":
            signature = rsa_sign(key, response_message(ts, nonce, body + b" "))
        else:
            signature = rsa_sign(key, response_message(ts, nonce, body))
        return [
            ("Wechatpay-Timestamp", ts),
            ("Wechatpay-Nonce", nonce),
            ("Wechatpay-Signature", signature),
            ("Wechatpay-Serial", serial),
            ("Wechatpay-Signature-Type", AUTH_SCHEME),
        ]

    def verify_request(self, method: str, raw_path: str, headers: Any, body: bytes) -> str:
        """Check headers + Authorization; returns the merchant id or raises _BadRequest."""
        if not headers.get("Accept") or not headers.get("User-Agent"):
            raise _BadRequest(_err(400, "INVALID_REQUEST", "Http头缺少Accept或User-Agent"))
        auth = headers.get("Authorization")
        if not auth:
            raise _BadRequest(_err(401, "SIGN_ERROR", "Http头缺少Authorization"))
        try:
            fields = parse_authorization(auth)
        except ValueError:
            raise _BadRequest(
                _err(401, "SIGN_ERROR", "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》")
            ) from None
        ident = self.identity
        if fields["mchid"] != ident.mchid:
            raise _BadRequest(_err(401, "SIGN_ERROR", "商户号不存在或未开通APIv3"))
        if fields["serial_no"].upper() != ident.merchant_serial:
            raise _BadRequest(_err(401, "SIGN_ERROR", "商户证书序列号有误。"))
        if not fields["nonce_str"] or len(fields["nonce_str"]) > 64 or not fields["nonce_str"].isascii():
            raise _BadRequest(_err(401, "SIGN_ERROR", "Http头Authorization中的nonce_str无效"))
        ts = fields["timestamp"]
        if not (ts.isdigit() and len(ts) == 10) or abs(self.wall_clock() - int(ts)) > TIMESTAMP_TOLERANCE_S:
            raise _BadRequest(_err(401, "SIGN_ERROR", "请求时间戳已过期或格式错误（须为10位秒级时间戳，偏差不超过5分钟）"))
        message = request_message(method, raw_path, ts, fields["nonce_str"], body)
        if not rsa_verify(ident.merchant_public_key, message, fields["signature"]):
            detail = {
                "detail": {"issue": "sign not match"}, "field": "signature", "location": "authorization",
                "sign_information": {
                    "method": method, "sign_message_length": len(message),
                    "truncated_sign_message": message[:64].decode("utf-8", "replace"),
                    "url": urlsplit(raw_path).path,
                },
            }
            raise _BadRequest(_err(401, "SIGN_ERROR", "签名错误", detail))
        return ident.mchid

    # ---------------------------------------------------------------- routes
    def _json_body(self, body: bytes, header_mchid: str) -> dict[str, Any]:
        try:
            doc = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, ValueError):
            raise _BadRequest(_err(400, "PARAM_ERROR", "请求体不是合法的JSON")) from None
        if not isinstance(doc, dict):
            raise _BadRequest(_err(400, "PARAM_ERROR", "请求体须为JSON对象"))
        if _has_null(doc):
            raise _BadRequest(_err(400, "PARAM_ERROR", "请求参数不允许为null"))
        if "mchid" in doc and str(doc["mchid"]) != header_mchid:
            raise _BadRequest(_err(400, "INVALID_REQUEST", "http header中的mchid与post payload中的mchid不匹配"))
        if "appid" in doc and str(doc["appid"]) != self.identity.appid:
            raise _BadRequest(_err(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配"))
        return doc

    @staticmethod
    def _require(doc: dict[str, Any], *names: str) -> None:
        for name in names:
            node: Any = doc
            for part in name.split("/"):
                if not isinstance(node, dict) or part not in node or node[part] in ("", None):
                    raise _BadRequest(_err(400, "PARAM_ERROR", f"缺少参数 {name}",
                                           {"field": "/" + name, "location": "body", "issue": "missing"}))
                node = node[part]

    def _query_mchid(self, query: dict[str, list[str]], mchid: str) -> None:
        q = query.get("mchid", [""])[0]
        if not q:
            raise _BadRequest(_err(400, "PARAM_ERROR", "缺少参数 mchid"))
        if q != mchid:
            raise _BadRequest(_err(400, "INVALID_REQUEST", "http header中的mchid与请求参数中的mchid不匹配"))

    def route(self, method: str, raw_path: str, mchid: str, body: bytes) -> _Reply:
        parts = urlsplit(raw_path)
        path = parts.path
        query = parse_qs(parts.query)
        seg = [unquote(s) for s in path.strip("/").split("/")]
        e = self.engine
        if path.startswith("/v3/pay/transactions/"):
            if seg[3:] == ["native"] and method == "POST":
                doc = self._json_body(body, mchid)
                self._require(doc, "appid", "mchid", "description", "out_trade_no", "notify_url", "amount/total")
                notify = urlsplit(str(doc["notify_url"]))
                if notify.scheme != "https" or not notify.netloc or len(str(doc["notify_url"])) > 255:
                    raise SimError("PARAM_ERROR", "notify_url 须为不超过255字符的 https 地址", field_name="/notify_url")
                if notify.query or notify.fragment or "?" in str(doc["notify_url"]):
                    raise SimError("PARAM_ERROR", "notify_url 不能携带参数", field_name="/notify_url")
                if doc.get("amount", {}).get("currency", "CNY") != "CNY":
                    raise SimError("PARAM_ERROR", "仅支持CNY", field_name="/amount/currency")
                extra = {k: v for k, v in doc.items() if k not in (
                    "appid", "mchid", "description", "out_trade_no", "time_expire", "attach", "notify_url")}
                code_url = e.create_native(
                    mchid, str(doc["appid"]), str(doc["out_trade_no"]), str(doc["description"]),
                    doc["amount"]["total"], time_expire=doc.get("time_expire"), attach=str(doc.get("attach", "")),
                    notify_url=str(doc["notify_url"]), fingerprint_extra=extra,
                )
                return _ok({"code_url": code_url})
            if seg[3:] == ["codepay"] and method == "POST":
                return self._codepay(mchid, body)
            if len(seg) == 5 and seg[3] == "out-trade-no" and method == "GET":
                self._query_mchid(query, mchid)
                return _ok(order_json(e.query(mchid, out_trade_no=seg[4])))
            if len(seg) == 5 and seg[3] == "id" and method == "GET":
                self._query_mchid(query, mchid)
                return _ok(order_json(e.query(mchid, transaction_id=seg[4])))
            if len(seg) == 6 and seg[3] == "out-trade-no" and seg[5] == "close" and method == "POST":
                doc = self._json_body(body, mchid)
                self._require(doc, "mchid")
                e.close(mchid, seg[4])
                return _Reply(204)
            if len(seg) == 6 and seg[3] == "out-trade-no" and seg[5] == "reverse" and method == "POST":
                doc = self._json_body(body, mchid)
                self._require(doc, "mchid")
                outcome = e.reverse(mchid, seg[4])
                if outcome.error_code is None:
                    return _ok({"appid": self.identity.appid, "mchid": mchid, "out_trade_no": seg[4]})
                if outcome.error_code == "USERPAYING":  # refused, never a 2xx: nothing was reversed
                    return _err(400, "USERPAYING", outcome.error_message)
                raise SimError(outcome.error_code, outcome.error_message)
        if path == "/v3/refund/domestic/refunds" and method == "POST":
            doc = self._json_body(body, mchid)
            self._require(doc, "out_refund_no", "amount/refund", "amount/total", "amount/currency")
            if not doc.get("out_trade_no") and not doc.get("transaction_id"):
                raise SimError("PARAM_ERROR", "transaction_id 和 out_trade_no 必须二选一", field_name="/out_trade_no")
            if doc["amount"]["currency"] != "CNY":
                raise SimError("PARAM_ERROR", "仅支持CNY", field_name="/amount/currency")
            r = e.refund(
                mchid, str(doc["out_refund_no"]), doc["amount"]["refund"], doc["amount"]["total"],
                out_trade_no=doc.get("out_trade_no"), transaction_id=doc.get("transaction_id"),
                reason=str(doc.get("reason", "")),
            )
            return _ok(refund_json(r))
        if path.startswith("/v3/refund/domestic/refunds/") and len(seg) == 5 and method == "GET":
            return _ok(refund_json(e.query_refund(mchid, seg[4])))
        if path == "/v3/certificates" and method == "GET":
            return _ok(self._certificates())
        if path == "/v3/bill/tradebill" and method == "GET":
            return self._tradebill(mchid, query)
        if path == "/v3/billdownload/file" and method == "GET":
            token = query.get("token", [""])[0]
            got = e.get_bill(token)
            if got is None:
                raise SimError("INVALID_REQUEST", "下载链接已失效，请重新申请账单")
            data, gz = got
            if gz:
                return _Reply(200, gzip.compress(data), "application/x-gzip", sign=False)
            return _Reply(200, data, "text/plain; charset=utf-8", sign=False)
        return _err(404, "RESOURCE_NOT_EXISTS", f"{method} {path} 无此接口")

    def _codepay(self, mchid: str, body: bytes) -> _Reply:
        doc = self._json_body(body, mchid)
        self._require(doc, "appid", "mchid", "description", "out_trade_no", "payer/auth_code", "amount/total",
                      "scene_info/store_info")
        extra = {k: v for k, v in doc.items() if k not in (
            "appid", "mchid", "description", "out_trade_no", "attach", "payer")}
        outcome = self.engine.codepay(
            mchid, str(doc["appid"]), str(doc["out_trade_no"]), str(doc["description"]), doc["amount"]["total"],
            str(doc["payer"]["auth_code"]), attach=str(doc.get("attach", "")), fingerprint_extra=extra,
        )
        if outcome.error_code is None and outcome.order is not None:
            return _ok(order_json(outcome.order))
        if outcome.error_code == "USERPAYING" and outcome.order is not None and self.codepay_userpaying_status == 200:
            return _ok(order_json(outcome.order))
        raise SimError(outcome.error_code or "SYSTEMERROR", outcome.error_message)

    def _certificates(self) -> dict[str, Any]:
        ident = self.identity
        nonce = nonce_str(12)
        pem = ident.platform_cert.public_bytes(serialization.Encoding.PEM)
        cert = ident.platform_cert
        return {"data": [{
            "serial_no": ident.platform_serial,
            "effective_time": cert.not_valid_before_utc.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(),
            "expire_time": cert.not_valid_after_utc.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(),
            "encrypt_certificate": {
                "algorithm": "AEAD_AES_256_GCM", "nonce": nonce, "associated_data": "certificate",
                "ciphertext": aes_gcm_encrypt(ident.apiv3_key, nonce, "certificate", pem),
            },
        }]}

    def _tradebill(self, mchid: str, query: dict[str, list[str]]) -> _Reply:
        raw_date = query.get("bill_date", [""])[0]
        try:
            bill_date = dt.date.fromisoformat(raw_date)
        except ValueError:
            raise SimError("INVALID_REQUEST", "bill_date 格式须为 yyyy-MM-DD") from None
        tar = query.get("tar_type", [""])[0]
        if tar not in ("", "GZIP"):
            raise SimError("PARAM_ERROR", "tar_type 仅支持 GZIP")
        data = self.engine.trade_bill(mchid, bill_date, query.get("bill_type", ["ALL"])[0])
        token = self.engine.put_bill(data, gzip=tar == "GZIP")
        return _ok({
            "hash_type": "SHA1",
            "hash_value": hashlib.sha1(data).hexdigest(),
            "download_url": f"{self.base_url}/v3/billdownload/file?token={token}",
        })

    # ---------------------------------------------------------------- control API
    def control(self, method: str, raw_path: str, body: bytes) -> _Reply:
        path = urlsplit(raw_path).path
        try:
            doc = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, ValueError):
            return _err(400, "PARAM_ERROR", "body must be JSON")
        if not isinstance(doc, dict):
            return _err(400, "PARAM_ERROR", "body must be a JSON object")
        e = self.engine
        try:
            if path == "/simulator/health" and method == "GET":
                return _Reply(200, _json_bytes({"ok": True, "mchid": self.identity.mchid}), sign=False)
            if path == "/simulator/orders" and method == "GET":
                return _Reply(200, _json_bytes({
                    "orders": [o.as_dict() for o in e.orders()],
                    "refunds": [asdict(r) for r in e.refunds()],
                }), sign=False)
            if method != "POST":
                return _err(405, "METHOD_NOT_ALLOWED", f"{method} not allowed on {path}")
            if path == "/simulator/pay":
                view = e.pay(code_url=doc.get("code_url"), out_trade_no=doc.get("out_trade_no"))
                return _Reply(200, _json_bytes(view.as_dict()), sign=False)
            if path == "/simulator/native-behaviour":
                e.set_native_behaviour(
                    str(doc["out_trade_no"]), pay_after_s=doc.get("pay_after_s"),
                    never=bool(doc.get("never", False)), fail=bool(doc.get("fail", False)),
                )
                return _Reply(200, b'{"ok":true}', sign=False)
            if path == "/simulator/faults":
                e.inject(
                    str(doc.get("kind", "")), path_prefix=str(doc.get("path_prefix", "/")),
                    count=int(doc.get("count", 1)), seconds=doc.get("seconds"), method=doc.get("method"),
                )
                return _Reply(200, _json_bytes({"faults": e.faults.snapshot()}), sign=False)
            if path == "/simulator/reset-faults":
                e.reset_faults()
                return _Reply(200, b'{"ok":true}', sign=False)
            if path == "/simulator/clear":
                e.clear()
                return _Reply(200, b'{"ok":true}', sign=False)
        except SimError as exc:
            status = {"ORDER_NOT_EXIST": 404}.get(exc.code, 409)
            return _err(status, exc.code, exc.message)
        except (KeyError, ValueError, TypeError) as exc:
            return _err(400, "PARAM_ERROR", str(exc))
        return _err(404, "RESOURCE_NOT_EXISTS", f"no control endpoint {path}")


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
    ns = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = SimulatorServer(
        ns.state_dir or _default_state_dir(), ns.host, ns.port,
        refund_delay_s=ns.refund_delay, native_pay_after_s=ns.native_pay_after,
        v2_port=ns.v2_port if ns.v2_port is not None else (ns.port + 1 if ns.port else 0),
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
