"""APIv2 (XML) payment-code listener of the simulator: micropay, orderquery, reverse.

An HTTPS server on 127.0.0.1 (test CA from :mod:`pos_app.simulator.tls`; client
certificates OPTIONAL at the TLS layer, REQUIRED by ``/secapi/*`` routes) sharing the
v3 server's :class:`~pos_app.simulator.engine.Engine`. Every request's ``sign`` is
verified (MD5, or HMAC-SHA256 when ``sign_type=HMAC-SHA256``) and every answer with
``return_code=SUCCESS`` is signed with the same algorithm. Engine outcomes map onto
``err_code``/``err_code_des`` as in wechatpay-api.md §8a.

``server.SimulatorServer`` builds, starts and stops it and writes :meth:`V2Listener.config_extra`
into ``merchant.json``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import socket
import ssl
import string
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from pos_app.simulator.engine import (
    STATE_DESC,
    CodepayOutcome,
    Engine,
    OrderView,
    SimError,
    fmt_v2_time,
)
from pos_app.simulator.faults import Faults
from pos_app.simulator.listener import BoundedHTTPServer
from pos_app.simulator.records import settlement_total
from pos_app.simulator.tls import TlsMaterial, ensure_tls_material, server_ssl_context
from pos_app.wechatpay.crypto import nonce_str, v2_sign
from pos_app.wechatpay.v2.signing import verify_sign
from pos_app.wechatpay.v2.xml import XmlError, parse_xml, to_xml

log = logging.getLogger("pos_app.simulator.v2")

APIV2_KEY_FILE = "apiv2.key"
MICROPAY_FIELDS = ("body", "out_trade_no", "total_fee", "spbill_create_ip", "auth_code")
_MAX_BODY = 64 * 1024

# err_code_des for codes the engine has no text for (v2 spellings).
V2_MESSAGES = {
    "ORDERNOTEXIST": "此交易订单号不存在",
    "OUT_TRADE_NO_USED": "商户订单号重复",
    "PARAM_ERROR": "参数错误",
    "LACK_PARAMS": "缺少参数",
    "APPID_MCHID_NOT_MATCH": "appid和mch_id不匹配",
    "MCHID_NOT_EXIST": "MCHID不存在",
}


@dataclass(frozen=True)
class _Reply:
    status: int = 200
    fields: Mapping[str, str] | None = None
    text: str = ""
    drop: bool = False


def ensure_apiv2_key(state_dir: Path) -> str:
    """The simulator merchant's 32-character APIv2 key (created once, mode 0600)."""
    path = state_dir / APIV2_KEY_FILE
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) == 32:
            return key
    from pos_app.simulator.keys import write_secret

    key = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    write_secret(path, key.encode())
    return key


class V2Listener:
    """The HTTPS listener. ``start()`` binds ``host:port`` (0 = any free port)."""

    def __init__(
        self,
        engine: Engine,
        *,
        mchid: str,
        appid: str,
        state_dir: Path,
        merchant_key_path: Path | None = None,
        merchant_cert_path: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.engine = engine
        self.mchid = mchid
        self.appid = appid
        self.state_dir = Path(state_dir)
        self.api_key = ensure_apiv2_key(self.state_dir)
        self.tls: TlsMaterial = ensure_tls_material(
            self.state_dir, mchid=mchid, merchant_key_path=merchant_key_path,
            merchant_cert_path=merchant_cert_path,
        )
        self._host, self._port = host, port
        self._httpd: _TlsHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("listener not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> V2Listener:
        ctx = server_ssl_context(self.tls)
        listener = self
        httpd = _TlsHTTPServer((self._host, self._port), _make_handler(listener), ctx)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
            name="simulator-v2", daemon=True,
        )
        self._thread.start()
        log.info("APIv2 listener on %s", self.base_url)
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            self.faults.release()
            httpd.shutdown()
            httpd.server_close()
            httpd.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def faults(self) -> Faults:
        return self.engine.faults

    def config_extra(self, sign_type: str = "HMAC-SHA256") -> dict[str, Any]:
        """The merchant.json fields for this listener (paths relative to the state dir)."""
        return {
            "apiv2_key_path": APIV2_KEY_FILE,
            "v2_sign_type": sign_type,
            "v2_base_url": self.base_url,
            "client_cert_path": self.tls.client_cert_path.name,
            "ca_cert_path": self.tls.ca_cert_path.name,
        }

    # -- request handling -----------------------------------------------------------------

    def handle(self, method: str, path: str, body: bytes, peer_cert: dict[str, Any] | None) -> _Reply:
        route = {
            "/pay/micropay": self._micropay,
            "/pay/orderquery": self._orderquery,
            "/secapi/pay/reverse": self._reverse,
        }.get(path.split("?", 1)[0].rstrip("/"))
        if route is None:
            return _Reply(404, text="Not Found")
        if method != "POST":
            return _fail("请使用post方法")
        if path.startswith("/secapi/") and not self._cert_ok(peer_cert):
            return _fail("证书错误")
        try:
            req = parse_xml(body)
        except XmlError:
            return _fail("XML格式错误")
        for name in ("appid", "mch_id", "nonce_str", "sign"):
            if not req.get(name):
                return _fail(f"缺少参数{name}")
        sign_type = req.get("sign_type", "MD5")
        if sign_type not in ("MD5", "HMAC-SHA256"):
            return _fail("sign_type参数格式错误")
        if not verify_sign(req, self.api_key, sign_type):  # type: ignore[arg-type]
            return _fail("签名错误")
        # refusals answer for the ids that were asked about (like any v2 answer)
        if req["mch_id"] != self.mchid:
            return self._result(sign_type, "MCHID_NOT_EXIST", "", req)
        if req["appid"] != self.appid:
            return self._result(sign_type, "APPID_MCHID_NOT_MATCH", "", req)
        fields = route(req)
        return _Reply(200, self._signed(fields, sign_type, req))

    def _cert_ok(self, peer_cert: dict[str, Any] | None) -> bool:
        if not peer_cert:
            return False
        for rdn in peer_cert.get("subject", ()):
            for key, value in rdn:
                if key == "commonName" and value == self.mchid:
                    return True
        return False

    def _signed(self, fields: Mapping[str, str], sign_type: str, req: Mapping[str, str]) -> dict[str, str]:
        out = {"return_code": "SUCCESS", "return_msg": "OK", "appid": req["appid"],
               "mch_id": req["mch_id"], "nonce_str": nonce_str(16)}
        if req.get("device_info"):
            out["device_info"] = req["device_info"]
        out.update(fields)
        out["sign"] = v2_sign(out, self.api_key, sign_type)
        return out

    def _result(self, sign_type: str, code: str, message: str, req: Mapping[str, str]) -> _Reply:
        full = {"appid": req.get("appid", self.appid), "mch_id": req.get("mch_id", self.mchid)}
        return _Reply(200, self._signed(_err(code, message), sign_type, full))

    def _micropay(self, req: Mapping[str, str]) -> dict[str, str]:
        for name in MICROPAY_FIELDS:
            if not req.get(name):
                return _err("LACK_PARAMS", f"缺少参数{name}")
        total_text = req["total_fee"]
        if not total_text.isascii() or not total_text.isdigit() or int(total_text) <= 0:
            return _err("PARAM_ERROR", "total_fee参数格式错误")
        if len(req["body"].encode()) > 128:
            return _err("PARAM_ERROR", "body参数长度有误")
        outcome: CodepayOutcome = self.engine.codepay(
            self.mchid, req["appid"], req["out_trade_no"], req["body"], int(total_text),
            req["auth_code"], attach=req.get("attach", ""), device_id=req.get("device_info", ""),
            max_description_bytes=128,
        )
        if outcome.error_code is None and outcome.order is not None:
            return {"result_code": "SUCCESS", **_paid_fields(outcome.order)}
        code = outcome.error_code or "SYSTEMERROR"
        return _err(code, outcome.error_message)

    def _orderquery(self, req: Mapping[str, str]) -> dict[str, str]:
        if not req.get("out_trade_no") and not req.get("transaction_id"):
            return _err("LACK_PARAMS", "缺少参数out_trade_no或transaction_id")
        try:
            order = self.engine.query(
                self.mchid, out_trade_no=req.get("out_trade_no") or None,
                transaction_id=req.get("transaction_id") or None,
            )
        except SimError as exc:
            return _err(exc.code, exc.message)
        fields = {
            "result_code": "SUCCESS",
            "out_trade_no": order.out_trade_no,
            "trade_state": order.trade_state,
            "trade_state_desc": order.trade_state_desc or STATE_DESC.get(order.trade_state, ""),
            "total_fee": str(order.total),
            "trade_type": order.trade_type,
        }
        if order.transaction_id:
            fields.update(_paid_fields(order))
        return fields

    def _reverse(self, req: Mapping[str, str]) -> dict[str, str]:
        if not req.get("out_trade_no") and not req.get("transaction_id"):
            return _err("LACK_PARAMS", "缺少参数out_trade_no或transaction_id")
        outcome = self.engine.reverse(
            self.mchid, req.get("out_trade_no") or None,
            transaction_id=req.get("transaction_id") or None,
        )
        recall = "Y" if outcome.recall else "N"
        if outcome.error_code is None:
            return {"result_code": "SUCCESS", "recall": recall}
        return {**_err(outcome.error_code, outcome.error_message), "recall": recall}


def _v2_code(code: str) -> str:
    return {"ORDER_NOT_EXIST": "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS": "ORDERNOTEXIST"}.get(code, code)


def _err(code: str, message: str) -> dict[str, str]:
    v2 = _v2_code(code)
    return {"result_code": "FAIL", "err_code": v2,
            "err_code_des": message or V2_MESSAGES.get(v2, v2)}


def _fail(message: str) -> _Reply:
    return _Reply(200, {"return_code": "FAIL", "return_msg": message})


def _paid_fields(order: OrderView) -> dict[str, str]:
    fields = {
        "openid": order.openid,
        "is_subscribe": "N",
        "trade_type": order.trade_type,
        "bank_type": order.bank_type,
        "fee_type": "CNY",
        "total_fee": str(order.total),
        "cash_fee_type": "CNY",
        "cash_fee": str(order.payer_total),
        "transaction_id": order.transaction_id,
        "out_trade_no": order.out_trade_no,
        "attach": order.attach,
        "time_end": fmt_v2_time(order.success_at),
    }
    if order.promotions:
        fields["coupon_fee"] = str(order.coupon_total)
        fields["settlement_total_fee"] = str(settlement_total(order.promotions, order.total))
        fields["promotion_detail"] = json.dumps(
            {"promotion_detail": [_v2_promotion(p) for p in order.promotions]}, ensure_ascii=False
        )
    return {k: v for k, v in fields.items() if v}


def _v2_promotion(p: Mapping[str, Any]) -> dict[str, Any]:
    """v2 ``promotion_detail`` entry (``promotion_id`` where v3 says ``coupon_id``)."""
    return {"promotion_id": p["coupon_id"], "name": p["name"], "scope": p["scope"], "type": p["type"],
            "amount": p["amount"], "activity_id": p["stock_id"], "wxpay_contribute": p["wechatpay_contribute"],
            "merchant_contribute": p["merchant_contribute"], "other_contribute": p["other_contribute"]}


class _TlsHTTPServer(BoundedHTTPServer):
    def __init__(
        self,
        addr: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        ctx: ssl.SSLContext,
    ) -> None:
        self.ssl_context = ctx
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(addr, handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        # Handshake lazily in the handler thread (a slow client must not stall accept()).
        tls = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        with self._open_lock:
            self._open.add(tls)
        return tls, addr

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut kept-alive connections so nothing is served after stop()."""
        with self._open_lock:
            socks, self._open = list(self._open), set()
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _make_handler(listener: V2Listener) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "pos_app-simulator-v2"

        def setup(self) -> None:
            self.request.settimeout(10)
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError) as exc:
                log.info("TLS handshake refused: %s", exc)
                self._handshake_failed = True
            else:
                self._handshake_failed = False
            super().setup()

        def handle(self) -> None:
            if not self._handshake_failed:
                super().handle()

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("v2 %s", format % args)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_BODY:
                self._send(_Reply(413, text="Request Entity Too Large"))
                return
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0]
            faults = listener.faults
            faults.hold(faults.latency_for(path))
            rule = faults.take(self.command, path)
            kind = rule.kind if rule else ""
            if kind in ("error500", "error503"):
                self._send(_Reply(int(kind[-3:]), text="Service Unavailable"))
                return
            if kind == "error429":
                self._send(_fail("系统繁忙,请稍后再试"))
                return
            if kind == "timeout" and rule is not None:
                faults.hold(rule.seconds)
            peer = self.request.getpeercert() if isinstance(self.request, ssl.SSLSocket) else None
            reply = listener.handle(self.command, path, body, peer or None)
            if kind == "drop_after_commit":
                self.close_connection = True
                self.request.close()
                return
            if kind in ("bad_signature", "signtest") and reply.fields and "sign" in reply.fields:
                fields = dict(reply.fields)
                fields["sign"] = "0" * len(fields["sign"])
                reply = _Reply(reply.status, fields)
            self._send(reply)

        def _send(self, reply: _Reply) -> None:
            if reply.fields is not None:
                data = to_xml(reply.fields)
                ctype = "text/xml; charset=utf-8"
            else:
                data = reply.text.encode()
                ctype = "text/plain; charset=utf-8"
            self.send_response(reply.status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = _serve
        do_GET = _serve

    return Handler
