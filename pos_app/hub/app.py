"""The hub's HTTP API (Starlette): the wire protocol of :mod:`pos_app.hub.protocol`.

Blocking storage calls run in Starlette's thread pool. Nothing secret is logged: not the
Authorization header, not an enrolment code, not a token, not the shop's PIN pepper (tests
capture every log record). The pepper is handed out over HTTPS only (the enrolment answer,
``GET /v1/pepper``): over plain HTTP a till keeps its own.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from pos_app.alipay.errors import AlipayError
from pos_app.hub.alipay_notify import AlipayNotifyReceiver
from pos_app.hub.notify import NotifyReceiver
from pos_app.hub.protocol import (
    PROTOCOL_VERSION,
    ProtocolError,
    check_fields,
    check_staff_row,
    parse_batch,
    parse_json,
    parse_master_change,
)
from pos_app.hub.shop_pepper import ShopPepper
from pos_app.hub.store import HubStore, Till
from pos_app.hub.web import pick_lang, render_boss
from pos_app.wechatpay.errors import WechatPayError

log = logging.getLogger(__name__)
MAX_BODY = 4 * 1024 * 1024
Handler = Callable[[Request], Awaitable[Response]]


def _error(exc: ProtocolError) -> JSONResponse:
    return JSONResponse({"error": exc.code, "detail": exc.detail}, status_code=exc.status)


async def _body(request: Request) -> object:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise ProtocolError("malformed", "body too large", 413)
    return parse_json(raw)


def _int_param(request: Request, name: str) -> int:
    text = request.query_params.get(name, "0")
    if not (text.isascii() and text.isdigit()):
        raise ProtocolError("malformed", f"{name} must be a non-negative integer")
    return int(text)


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "testclient"


def create_app(
    store: HubStore, *, notify: NotifyReceiver | None = None, ca_pem: bytes | None = None,
    alipay_notify: AlipayNotifyReceiver | None = None, shop_pepper: ShopPepper | None = None,
) -> Starlette:
    async def authed(request: Request) -> Till:
        header = request.headers.get("authorization", "")
        scheme, _, cred = header.partition(" ")
        till_id, sep, token = cred.partition(":")
        if scheme != "PosTill" or not sep or not till_id or not token:
            raise ProtocolError("unauthorized", "missing PosTill credential", 401)
        return await run_in_threadpool(store.authenticate, till_id, token)

    def guarded(handler: Handler) -> Handler:
        async def wrapper(request: Request) -> Response:
            try:
                return await handler(request)
            except ProtocolError as exc:
                log.warning("refused %s %s: %s", request.method, request.url.path, exc)
                return _error(exc)

        return wrapper

    async def get_ca(request: Request) -> Response:
        if ca_pem is None:
            return JSONResponse({"error": "no_tls", "detail": "hub runs without TLS"}, 404)
        return PlainTextResponse(ca_pem.decode(), media_type="application/x-pem-file")

    async def enrol(request: Request) -> Response:
        doc = check_fields("enrol", await _body(request), {"code": (str, False), "name": (str, False)})
        till_id, token = await run_in_threadpool(store.enrol, doc["code"], doc["name"])
        log.info("till %s enrolled as %r", till_id, doc["name"])
        answer: dict[str, Any] = {"till_id": till_id, "token": token, "protocol": PROTOCOL_VERSION}
        if shop_pepper is not None and request.url.scheme == "https":
            answer.update(shop_pepper.wire())
        return JSONResponse(answer)

    async def pepper(request: Request) -> Response:
        await authed(request)
        if shop_pepper is None or request.url.scheme != "https":
            raise ProtocolError("no_shop_pepper", "the shop PIN pepper is given over HTTPS only", 404)
        return JSONResponse(shop_pepper.wire(), headers={"Cache-Control": "no-store"})

    async def outbox(request: Request) -> Response:
        till = await authed(request)
        batch = parse_batch(await _body(request))
        high = await run_in_threadpool(store.ingest, till.till_id, batch)
        log.info("till %s uploaded %d rows, holds up to %d", till.till_id, len(batch.rows), high)
        task = None
        if (notify is not None or alipay_notify is not None) and any(r.kind in ("payment_attempt", "attempt_event", "order")
                                      for r in batch.rows):
            task = BackgroundTask(store.recheck_unknown_payments)
        return JSONResponse({"high_seq": high}, background=task)

    async def master_get(request: Request) -> Response:
        await authed(request)
        version, changes = await run_in_threadpool(store.master_since, _int_param(request, "since"))
        return JSONResponse({"version": version, "changes": changes})

    async def master_post(request: Request) -> Response:
        till = await authed(request)
        doc = check_fields("master", await _body(request), {"changes": (list, False)})
        changes = [parse_master_change(i, c) for i, c in enumerate(doc["changes"])]
        for i, (kind, _key, data) in enumerate(changes):
            if kind == "staff" and data is not None:   # a hash or nothing: never a PIN
                check_staff_row(f"changes[{i}].data", {k: data[k] for k in
                                                       ("name", "role", "active", "pin_hash")})
        version = await run_in_threadpool(store.put_master, changes, till.till_id)
        return JSONResponse({"version": version})

    async def reserve(request: Request) -> Response:
        till = await authed(request)
        doc = check_fields("reserve", await _body(request), {
            "order_till": (str, False), "order_id": (str, False), "refund_id": (str, False),
            "amount_fen": (int, False)})
        res = await run_in_threadpool(
            store.reserve_refund, till.till_id, doc["order_till"], doc["order_id"],
            doc["refund_id"], doc["amount_fen"])
        return JSONResponse({"reserved_fen": res.reserved_fen, "remaining_fen": res.remaining_fen})

    async def release(request: Request) -> Response:
        till = await authed(request)
        doc = check_fields("release", await _body(request), {"refund_id": (str, False)})
        ok = await run_in_threadpool(store.release_refund, till.till_id, doc["refund_id"])
        return JSONResponse({"released": ok})

    async def flags(request: Request) -> Response:
        await authed(request)
        last, items = await run_in_threadpool(store.flags_since, _int_param(request, "since"))
        return JSONResponse({"last": last, "flags": items})

    async def wechat_notify(request: Request) -> Response:
        if notify is None:
            return JSONResponse({"code": "FAIL", "message": "notify not configured"}, 404)
        body = await request.body()
        try:
            await run_in_threadpool(notify.receive, dict(request.headers), body)
        except WechatPayError as exc:
            log.warning("wechatpay notification refused: %s", exc)
            return JSONResponse({"code": "FAIL", "message": "verification failed"}, 401)
        return Response(status_code=204, background=BackgroundTask(store.process_notifications))

    async def alipay_notify_route(request: Request) -> Response:
        # Alipay resends until it reads exactly "success": say it only once recorded
        if alipay_notify is None:
            return PlainTextResponse("fail", 404)
        body = await request.body()
        if len(body) > MAX_BODY:
            return PlainTextResponse("fail", 413)
        try:
            await run_in_threadpool(alipay_notify.receive, body)
        except AlipayError as exc:
            log.warning("alipay notification refused: %s", exc)
            return PlainTextResponse("fail", 400)
        return PlainTextResponse("success", background=BackgroundTask(store.process_notifications))

    async def boss(request: Request) -> Response:
        if not _loopback(request):
            return PlainTextResponse("the boss's view is served on this computer only", 403)
        lang = pick_lang(request.query_params.get("lang"),
                         request.headers.get("accept-language", ""))
        html = await run_in_threadpool(render_boss, store, lang)
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "protocol": PROTOCOL_VERSION})

    def route(path: str, handler: Handler, method: str) -> Route:
        return Route(path, guarded(handler), methods=[method])

    routes: list[Any] = [
        route("/", boss, "GET"),
        route("/health", health, "GET"),
        route("/v1/ca", get_ca, "GET"),
        route("/v1/enrol", enrol, "POST"),
        route("/v1/outbox", outbox, "POST"),
        route("/v1/master", master_get, "GET"),
        route("/v1/master", master_post, "POST"),
        route("/v1/refunds/reserve", reserve, "POST"),
        route("/v1/refunds/release", release, "POST"),
        route("/v1/flags", flags, "GET"),
        route("/v1/pepper", pepper, "GET"),
        route("/wechatpay/notify", wechat_notify, "POST"),
        route("/alipay/notify", alipay_notify_route, "POST"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # a callback recorded before a crash but not yet checked is checked now
        await run_in_threadpool(store.process_notifications)
        yield

    return Starlette(routes=routes, lifespan=lifespan)
