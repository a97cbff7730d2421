"""``WechatPayClient``: the APIv3 endpoints a cashier needs, over one ``httpx.Client``.

Every call carries an explicit timeout, is signed over the exact bytes sent and — for 2xx —
verified by :class:`~pos_app.wechatpay.auth.WechatPayAuth` before anything is parsed.
Failures map onto :mod:`pos_app.wechatpay.errors`: timeouts → ``RequestTimeoutError``,
other transport failures → ``TransportError``, non-2xx → ``ApiError``, unparsable 2xx →
``MalformedResponseError``, untrusted 2xx → ``SignatureError``. The method set matches
:class:`pos_app.payments.gateway.PaymentGateway`.

Hostile or broken answers (issue 12): every call has an overall deadline (``call_deadline``;
default connect + read timeout) that caps every socket operation (see
:mod:`pos_app.wechatpay.deadline`) and is checked between body reads, so a trickled status
line, header or body ends in :class:`DeadlineExceededError` instead of taking as long as
the server likes; a body is
read at most ``max_response_bytes`` (bills ``max_bill_bytes``) raw and again once
decompressed (``Content-Encoding`` gzip/deflate or a gzip bill: a gzip bomb stops at the
cap) → :class:`ResponseTooLargeError`; JSON nested too deeply for the parser (signed or
not) → :class:`MalformedResponseError` / an ``ApiError`` without a code, never a
``RecursionError``.

Real-merchant details (issue 11): ``backup_base_url`` (WeChat's ``api2.mch.weixin.qq.com``)
is tried only when the primary could not be connected to — the request provably never
left, so re-sending it elsewhere cannot charge twice; a timeout or any error after the
connection is up is NOT re-sent (its outcome is unknown: query first). ``device_id`` (the
till) goes into ``scene_info.device_id`` of Native and payment-code orders.
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
import time
import zlib
from collections.abc import Callable, Generator, Mapping
from datetime import date, datetime
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from pos_app.domain.money import Fen
from pos_app.wechatpay.auth import USER_AGENT, WechatPayAuth
from pos_app.wechatpay.bill import BillTicket, checked_bill
from pos_app.wechatpay.certificates import (
    CertificateStore,
    PlatformCertificate,
    decrypt_certificates,
)
from pos_app.wechatpay.config import MerchantConfig
from pos_app.wechatpay.crypto import load_private_key, load_public_key
from pos_app.wechatpay.deadline import DeadlineTransport, call_deadline
from pos_app.wechatpay.errors import (
    ApiError,
    BillNotAvailableError,
    DeadlineExceededError,
    MalformedResponseError,
    NoStatementError,
    RequestTimeoutError,
    ResponseTooLargeError,
    TransportError,
)
from pos_app.wechatpay.models import Refund, TradeBill, TradeState, Transaction
from pos_app.wechatpay.notify import parse_notification
from pos_app.wechatpay.payloads import (
    dump_json,
    json_object,
    refund_from_json,
    transaction_from_json,
    wechat_text,
)
from pos_app.wechatpay.signer import RsaSha256Signer, Signer
from pos_app.wechatpay.verifier import (
    CertificateVerifier,
    CombinedVerifier,
    PublicKeyVerifier,
    ResponseValidator,
    Verifier,
)

log = logging.getLogger("pos_app.wechatpay.http")

_USERPAYING_CODES = frozenset({"USERPAYING", "USER_PAYING"})
PRIMARY_BASE_URL = "https://api.mch.weixin.qq.com"
BACKUP_BASE_URL = "https://api2.mch.weixin.qq.com"  # 备域名: another city's access point
#: API answers are a few KB; 1 MiB is generous. Bills: a busy shop's day is a few MB.
MAX_RESPONSE_BYTES = 1 << 20
MAX_BILL_BYTES = 64 << 20
CHINA = dt.timezone(dt.timedelta(hours=8))
BILL_READY_HOUR = 10  # WeChat generates yesterday's bill from 09:00; fetch after 10:00


def _segment(value: str) -> str:
    """One URL path segment, percent-encoded (no ``/`` can slip through)."""
    if value in ("", ".", ".."):
        raise ValueError(f"invalid path parameter {value!r}")
    return quote(value, safe="")


def _rfc3339(moment: datetime) -> str:
    """``yyyy-MM-DDTHH:mm:ss+08:00``; a naive datetime is taken as local time."""
    aware = moment.astimezone() if moment.tzinfo is None else moment
    return aware.isoformat(timespec="seconds")


class WechatPayClient:
    """APIv3 client for one merchant (Qt-free, thread-safe for concurrent calls)."""

    def __init__(
        self,
        *,
        mchid: str,
        appid: str,
        apiv3_key: str,
        signer: Signer,
        verifier: Verifier,
        certificates: CertificateVerifier | None,
        base_url: str,
        notify_url: str,
        timeout: httpx.Timeout,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] | None = None,
        verify_tls: ssl.SSLContext | bool = True,
        user_agent: str = USER_AGENT,
        store_id: str = "POS",
        device_id: str = "",
        client_ip: str = "127.0.0.1",
        backup_base_url: str | None = None,
        call_deadline: float | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        max_bill_bytes: int = MAX_BILL_BYTES,
    ) -> None:
        self.mchid = mchid
        self.appid = appid
        self._apiv3_key = apiv3_key
        self._clock = clock or time.time
        self._verifier = verifier
        self._certificates = certificates
        self._validator = ResponseValidator(verifier, clock=self._clock)
        self._auth = WechatPayAuth(signer, self._validator, user_agent=user_agent)
        self._signing_only_auth = WechatPayAuth(signer, None, user_agent=user_agent)
        self._notify_url = notify_url
        self._timeout = timeout
        self._store_id = store_id
        self.device_id = device_id
        self._client_ip = client_ip
        if call_deadline is None:
            call_deadline = (timeout.connect or 0.0) + (timeout.read or 0.0) or 30.0
        if call_deadline <= 0 or max_response_bytes <= 0 or max_bill_bytes <= 0:
            raise ValueError("call_deadline and the size caps must be positive")
        self._deadline = call_deadline
        self._max_bytes = max_response_bytes
        self._max_bill_bytes = max_bill_bytes
        self._http = httpx.Client(
            base_url=base_url,
            transport=transport if transport is not None else DeadlineTransport(verify=verify_tls),
            timeout=timeout,
            verify=verify_tls,
            follow_redirects=False,
            trust_env=False,
        )
        if backup_base_url is None and base_url.rstrip("/") == PRIMARY_BASE_URL:
            backup_base_url = BACKUP_BASE_URL
        self._backup_base_url = backup_base_url.rstrip("/") if backup_base_url else None
        if certificates is not None:
            certificates.refresher = self.download_certificates

    def __repr__(self) -> str:
        return f"WechatPayClient(mchid={self.mchid!r}, base_url={str(self._http.base_url)!r})"

    @classmethod
    def from_config(
        cls,
        cfg: MerchantConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] | None = None,
        device_id: str = "",
    ) -> WechatPayClient:
        """Build from a validated :class:`MerchantConfig` (reads key files; no network).

        ``device_id``: the till's id, sent as ``scene_info.device_id``."""
        clk = clock or time.time
        signer = RsaSha256Signer(
            cfg.mchid, cfg.merchant_serial_no, load_private_key(cfg.private_key_path), clock=clk
        )
        certificates = CertificateVerifier(
            CertificateStore.from_cache_dir(cfg.platform_cert_dir), clock=clk
        )
        verifier: Verifier = certificates
        if cfg.public_key_id is not None and cfg.public_key_path is not None:
            public = PublicKeyVerifier(cfg.public_key_id, load_public_key(cfg.public_key_path))
            verifier = CombinedVerifier(public, certificates)
        verify_tls: ssl.SSLContext | bool = True
        if cfg.ca_cert_path is not None and cfg.base_url.startswith("https://"):
            verify_tls = ssl.create_default_context(cafile=str(cfg.ca_cert_path))
        return cls(
            mchid=cfg.mchid,
            appid=cfg.appid,
            apiv3_key=cfg.apiv3_key,
            signer=signer,
            verifier=verifier,
            certificates=certificates,
            base_url=cfg.base_url,
            notify_url=cfg.notify_url,
            timeout=httpx.Timeout(
                connect=cfg.connect_timeout,
                read=cfg.read_timeout,
                write=cfg.read_timeout,
                pool=cfg.connect_timeout,
            ),
            transport=transport,
            clock=clk,
            verify_tls=verify_tls,
            device_id=device_id,
            backup_base_url=cfg.backup_base_url,
        )

    # -- lifecycle ---------------------------------------------------------------------

    def close_client(self) -> None:
        """Release the connection pool (``close`` is the close-order API)."""
        self._http.close()

    def __enter__(self) -> WechatPayClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close_client()

    # -- plumbing ------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        auth: WechatPayAuth | None = None,
        accept_202: bool = False,
        max_bytes: int | None = None,
        base_url: str | None = None,
    ) -> httpx.Response:
        """Send one signed request; return a verified 2xx response (body read) or raise.

        202 ("accepted, not processed — repeat the same request") is an :class:`ApiError`
        with ``outcome_unknown`` unless the caller handles it (``accept_202``). A connect
        failure on the primary host is retried once on ``backup_base_url`` (never sent ⇒
        safe); nothing else is.
        """
        if self._http.is_closed:
            raise RuntimeError("WechatPayClient is closed")
        use = auth or self._auth
        deadline = time.monotonic() + self._deadline
        with call_deadline(deadline):
            return self._send_with_failover(method, path, body, params, use, accept_202, max_bytes, deadline,
                                            base_url)

    def _send_with_failover(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        params: Mapping[str, str] | None,
        use: WechatPayAuth,
        accept_202: bool,
        max_bytes: int | None,
        deadline: float,
        base_url: str | None,
    ) -> httpx.Response:
        try:
            return self._send_to(method, path, body, params, use, accept_202, max_bytes, deadline, base_url)
        except _NeverSent as never:
            if self._backup_base_url is None or base_url is not None:
                raise never.error from never.error.__cause__
            log.warning("%s %s: primary unreachable (%s); trying %s",
                        method, path, type(never.error.__cause__).__name__, self._backup_base_url)
            try:
                return self._send_to(method, path, body, params, use, accept_202, max_bytes, deadline,
                                     self._backup_base_url)
            except _NeverSent as again:
                raise again.error from again.error.__cause__

    def _send_to(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        params: Mapping[str, str] | None,
        auth: WechatPayAuth,
        accept_202: bool,
        max_bytes: int | None,
        deadline: float,
        base_url: str | None,
    ) -> httpx.Response:
        content = dump_json(body) if body is not None else b""
        url = (base_url.rstrip("/") + path) if base_url else path
        request = self._http.build_request(
            method, url, content=content, params=params, timeout=self._timeout,
            headers={"Accept-Encoding": "gzip"},
        )
        started = time.monotonic()
        where = f"{method} {request.url.path}"
        try:
            response = self._http.send(request, auth=_SigningOnly(auth), stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            log.warning("%s: cannot connect to %s: %s", where, request.url.host, type(exc).__name__)
            error: TransportError = (
                RequestTimeoutError(f"{where}: timed out connecting ({type(exc).__name__})")
                if isinstance(exc, httpx.ConnectTimeout)
                else TransportError(f"{where}: {type(exc).__name__}: {exc}")
            )
            error.never_sent = True
            error.__cause__ = exc
            raise _NeverSent(error) from exc
        except httpx.TimeoutException as exc:
            log.warning("%s timed out after %.1f s", where, time.monotonic() - started)
            if time.monotonic() >= deadline:
                raise DeadlineExceededError(f"{where}: no complete answer by the call deadline") from exc
            raise RequestTimeoutError(f"{where}: timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            log.warning("%s failed: %s", where, type(exc).__name__)
            raise TransportError(f"{where}: {type(exc).__name__}: {exc}") from exc
        try:
            limit = max_bytes or self._max_bytes
            raw = self._read_capped(response, where, limit, deadline)
            decoded = _decode(raw, response.headers.get("Content-Encoding", ""), where, limit)
        finally:
            response.close()
        # a fully read response the rest of the client (and auth) can use as usual
        response = httpx.Response(
            response.status_code, headers=[(k, v) for k, v in response.headers.items()
                                           if k.lower() not in ("content-encoding", "content-length")],
            content=decoded, request=request,
        )
        auth.check_response(request, response)
        request_id = response.headers.get("Request-ID", "")
        log.info(
            "%s → %d in %.0f ms (Request-ID %s)",
            where,
            response.status_code,
            (time.monotonic() - started) * 1000,
            request_id or "-",
        )
        if not response.is_success or (response.status_code == 202 and not accept_202):
            raise self._api_error(response, request_id)
        return response

    @staticmethod
    def _read_capped(response: httpx.Response, where: str, limit: int, deadline: float) -> bytes:
        """Read the raw body: at most ``limit`` bytes, and only until ``deadline``."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLargeError(f"{where}: answer of {declared} bytes exceeds the {limit}-byte cap")
        chunks: list[bytes] = []
        size = 0
        if response.is_stream_consumed:  # an in-memory response (test transports)
            if len(response.content) > limit:
                raise ResponseTooLargeError(f"{where}: answer exceeds the {limit}-byte cap")
            return response.content
        try:
            for chunk in response.iter_raw():  # as received: a chunk size would buffer a trickle
                size += len(chunk)
                if size > limit:
                    raise ResponseTooLargeError(f"{where}: answer exceeds the {limit}-byte cap")
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise DeadlineExceededError(f"{where}: answer still arriving at the call deadline")
        except httpx.TimeoutException as exc:
            if time.monotonic() >= deadline:
                raise DeadlineExceededError(f"{where}: answer still arriving at the call deadline") from exc
            raise RequestTimeoutError(f"{where}: timed out reading the answer ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise TransportError(f"{where}: {type(exc).__name__}: {exc}") from exc
        return b"".join(chunks)

    @staticmethod
    def _api_error(response: httpx.Response, request_id: str) -> ApiError:
        code, message, detail = f"HTTP_{response.status_code}", "", None
        try:
            doc = response.json()
        except (ValueError, RecursionError):  # not JSON, or nested too deeply to parse
            doc = None
        if isinstance(doc, dict):
            code = str(doc.get("code") or code)
            message = str(doc.get("message") or "")
            detail = doc.get("detail")
        if not message:
            message = response.reason_phrase or "error without a JSON body"
        return ApiError(response.status_code, code, message, request_id=request_id, detail=detail)

    def _json(self, response: httpx.Response, what: str) -> dict[str, Any]:
        return json_object(response.content, what)

    # -- orders --------------------------------------------------------------------------

    def native_prepay(
        self,
        *,
        out_trade_no: str,
        description: str,
        total: Fen,
        time_expire: datetime,
        device_id: str | None = None,
    ) -> str:
        """``POST /v3/pay/transactions/native`` → ``code_url``.

        ``device_id`` (default: the client's) is sent as ``scene_info.device_id`` (with the
        ``payer_client_ip`` WeChat requires inside ``scene_info``)."""
        body: dict[str, Any] = {
            "appid": self.appid,
            "mchid": self.mchid,
            "description": wechat_text(description, 127),
            "out_trade_no": out_trade_no,
            "time_expire": _rfc3339(time_expire),
            "notify_url": self._notify_url,
            "amount": {"total": _checked_total(total), "currency": "CNY"},
        }
        till = self.device_id if device_id is None else device_id
        if till:
            body["scene_info"] = {"payer_client_ip": self._client_ip, "device_id": till[:32]}
        doc = self._json(
            self._send("POST", "/v3/pay/transactions/native", body=body), "native prepay"
        )
        code_url = doc.get("code_url")
        if not isinstance(code_url, str) or not code_url:
            raise MalformedResponseError("native prepay: code_url missing")
        return code_url

    def codepay(
        self,
        *,
        out_trade_no: str,
        description: str,
        total: Fen,
        auth_code: str,
        device_id: str | None = None,
    ) -> Transaction:
        """``POST /v3/pay/transactions/codepay``: charge a customer's payment code.

        200 → the order as reported (USERPAYING included); 202 → USERPAYING (poll with
        :meth:`query`); business refusals → :class:`ApiError` (``outcome_unknown`` False).
        ``device_id`` (default: the client's) goes into ``scene_info.device_id``.
        """
        scene: dict[str, Any] = {"store_info": {"out_id": self._store_id}}
        till = self.device_id if device_id is None else device_id
        if till:
            scene["device_id"] = till[:32]
        body = {
            "appid": self.appid,
            "mchid": self.mchid,
            "description": wechat_text(description, 127),
            "out_trade_no": out_trade_no,
            "payer": {"auth_code": auth_code},
            "amount": {"total": _checked_total(total), "currency": "CNY"},
            "scene_info": scene,
        }
        response = self._send("POST", "/v3/pay/transactions/codepay", body=body, accept_202=True)
        if response.status_code == 202:
            return Transaction(
                out_trade_no=out_trade_no,
                trade_state=TradeState.USERPAYING,
                trade_state_desc=_message_of(response) or "用户支付中",
            )
        return transaction_from_json(
            self._json(response, "codepay"), "codepay", out_trade_no=out_trade_no
        )

    def _get_order(self, path: str) -> httpx.Response | None:
        """GET an order resource; ``None`` when WeChat Pay has no such order."""
        try:
            return self._send("GET", path, params={"mchid": self.mchid})
        except ApiError as exc:
            if exc.code in ("ORDER_NOT_EXIST", "ORDERNOTEXIST"):
                return None
            raise

    def query(self, out_trade_no: str) -> Transaction | None:
        """``GET …/out-trade-no/{no}?mchid=``; ``None`` for ORDER_NOT_EXIST."""
        response = self._get_order(f"/v3/pay/transactions/out-trade-no/{_segment(out_trade_no)}")
        if response is None:
            return None
        return transaction_from_json(
            self._json(response, "query"), "query", out_trade_no=out_trade_no
        )

    def query_by_transaction_id(self, transaction_id: str) -> Transaction | None:
        """``GET …/id/{transaction_id}?mchid=``; ``None`` for ORDER_NOT_EXIST."""
        response = self._get_order(f"/v3/pay/transactions/id/{_segment(transaction_id)}")
        if response is None:
            return None
        tx = transaction_from_json(self._json(response, "query"), "query by transaction_id")
        if tx.transaction_id and tx.transaction_id != transaction_id:
            raise MalformedResponseError(
                f"query: answer is about {tx.transaction_id!r}, not {transaction_id!r}"
            )
        return tx

    def close(self, out_trade_no: str) -> None:
        """``POST …/{no}/close`` (204, idempotent). ORDER_PAID etc. raise :class:`ApiError`."""
        path = f"/v3/pay/transactions/out-trade-no/{_segment(out_trade_no)}/close"
        self._send("POST", path, body={"mchid": self.mchid})

    def reverse(self, out_trade_no: str) -> bool:
        """``POST …/{no}/reverse``: v3 has no ``recall`` flag, so success is ``True``.

        SYSTEM_ERROR (and any other failure) raises :class:`ApiError` — call again.
        """
        path = f"/v3/pay/transactions/out-trade-no/{_segment(out_trade_no)}/reverse"
        response = self._send("POST", path, body={"appid": self.appid, "mchid": self.mchid})
        if response.content:
            doc = self._json(response, "reverse")
            echoed = doc.get("out_trade_no")
            if echoed is not None and echoed != out_trade_no:
                raise MalformedResponseError(
                    f"reverse: answer is about {echoed!r}, not {out_trade_no!r}"
                )
        return True

    # -- refunds -------------------------------------------------------------------------

    def refund(
        self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen, reason: str
    ) -> Refund:
        """``POST /v3/refund/domestic/refunds`` (retry with the SAME out_refund_no)."""
        body: dict[str, Any] = {
            "out_trade_no": out_trade_no,
            "out_refund_no": out_refund_no,
            "amount": {
                "refund": _checked_total(refund),
                "total": _checked_total(total),
                "currency": "CNY",
            },
        }
        if reason:
            body["reason"] = wechat_text(reason, 80)
        response = self._send("POST", "/v3/refund/domestic/refunds", body=body)
        return refund_from_json(
            self._json(response, "refund"), "refund", out_refund_no=out_refund_no
        )

    def query_refund(self, out_refund_no: str) -> Refund | None:
        """``GET /v3/refund/domestic/refunds/{no}``; ``None`` for RESOURCE_NOT_EXISTS."""
        try:
            response = self._send("GET", f"/v3/refund/domestic/refunds/{_segment(out_refund_no)}")
        except ApiError as exc:
            if exc.code == "RESOURCE_NOT_EXISTS":
                return None
            raise
        return refund_from_json(
            self._json(response, "query refund"), "query refund", out_refund_no=out_refund_no
        )

    # -- bills, certificates, callbacks --------------------------------------------------

    def trade_bill(self, bill_date: date, bill_type: str = "ALL") -> TradeBill:
        """Apply for the day's trade bill (``ALL``, ``SUCCESS`` or ``REFUND``), download it
        and check its SHA1 (see :mod:`pos_app.wechatpay.bill_rows` to parse it).

        A day WeChat has no bill for *yet* — ``STATEMENT_CREATING``, or a refusal
        (NO_STATEMENT_EXIST / INVALID_REQUEST) for today, a later day or yesterday before
        10:00 China time — raises :class:`BillNotAvailableError`, never "no trades". ``NO_STATEMENT_EXIST`` for a
        settled day raises :class:`NoStatementError` (that day had no trades).
        """
        if bill_type not in ("ALL", "SUCCESS", "REFUND"):
            raise ValueError("bill_type must be ALL, SUCCESS or REFUND")
        now = datetime.fromtimestamp(self._clock(), CHINA)
        try:
            response = self._send(
                "GET",
                "/v3/bill/tradebill",
                params={"bill_date": bill_date.isoformat(), "bill_type": bill_type},
            )
        except ApiError as exc:
            yesterday = now.date() - dt.timedelta(days=1)
            settled = bill_date < yesterday or (bill_date == yesterday and now.hour >= BILL_READY_HOUR)
            not_yet = exc.code in ("NO_STATEMENT_EXIST", "INVALID_REQUEST") and not settled
            if exc.code == "STATEMENT_CREATING" or not_yet:
                raise BillNotAvailableError(
                    f"trade bill {bill_date.isoformat()} is not available yet ({exc.code})",
                    wechat_code=exc.code, status=exc.status, request_id=exc.request_id,
                ) from exc
            if exc.code == "NO_STATEMENT_EXIST":
                raise NoStatementError(
                    exc.status, exc.code, exc.message, request_id=exc.request_id, detail=exc.detail
                ) from exc
            raise
        ticket = BillTicket.from_json(self._json(response, "trade bill"))
        # The download answer is unsigned (auth skips it); the hash check replaces the signature.
        # It is fetched from the host that issued the ticket (the backup after a failover).
        host = f"{response.request.url.scheme}://{response.request.url.netloc.decode('ascii')}"
        download = self._send(
            "GET", ticket.download_path, max_bytes=self._max_bill_bytes,
            base_url=None if host == str(self._http.base_url).rstrip("/") else host,
        )
        bill = checked_bill(bill_date, ticket, download.content, max_bytes=self._max_bill_bytes)
        return TradeBill(bill.bill_date, bill.text, bill.hash_type, bill.hash_value, bill_type)

    def download_certificates(self) -> list[PlatformCertificate]:
        """``GET /v3/certificates``: decrypt (APIv3 key), verify the answer, store + cache.

        The answer is verified with the certificates already known plus the ones it
        carries (they are authenticated by AES-GCM) — on first use that is the SDKs'
        "verify with the downloaded certificate itself" bootstrap.
        """
        response = self._send("GET", "/v3/certificates", auth=self._signing_only_auth)
        new = decrypt_certificates(response.content, self._apiv3_key)
        known = self._certificates.store.snapshot() if self._certificates else []
        bootstrap: Verifier = CertificateVerifier(
            CertificateStore([*known, *new]), clock=self._clock
        )
        if isinstance(self._verifier, CombinedVerifier):
            bootstrap = CombinedVerifier(self._verifier.public_key, bootstrap)
        ResponseValidator(bootstrap, clock=self._clock).validate(response.headers, response.content)
        if self._certificates is not None:
            self._certificates.store.add(new)
        log.info("platform certificates: %s", ", ".join(c.serial_no for c in new) or "none")
        return new

    def parse_notification(
        self, headers: Mapping[str, str], body: bytes
    ) -> tuple[str, Transaction | Refund]:
        """Verify + decrypt a callback → ``(event_type, Transaction | Refund)``."""
        return parse_notification(
            headers, body, validator=self._validator, apiv3_key=self._apiv3_key
        )


class _NeverSent(Exception):
    """Internal: the connection could not be made (``error`` is what the caller gets)."""

    def __init__(self, error: TransportError) -> None:
        super().__init__(str(error))
        self.error = error


class _SigningOnly(httpx.Auth):
    """Signs with a :class:`WechatPayAuth` but leaves the body unread: the client reads it
    under its size cap and deadline, then asks the auth to verify it."""

    requires_request_body = True
    requires_response_body = False

    def __init__(self, auth: WechatPayAuth) -> None:
        self._auth = auth

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self._auth.prepare(request)
        yield request


def capped_decompress(data: bytes, limit: int, what: str, *, wbits: int = 16 + zlib.MAX_WBITS) -> bytes:
    """Inflate ``data`` (gzip by default) to at most ``limit`` bytes (a gzip bomb stops there)."""
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise MalformedResponseError(f"{what}: corrupt compressed data") from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise ResponseTooLargeError(f"{what}: more than {limit} bytes once decompressed")
    if not inflater.eof:
        raise MalformedResponseError(f"{what}: truncated compressed data")
    return out


def _decode(raw: bytes, encoding: str, where: str, limit: int) -> bytes:
    """Undo ``Content-Encoding`` (we only ask for gzip) under the same size cap."""
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return raw
    if enc == "gzip":
        return capped_decompress(raw, limit, where)
    if enc == "deflate":
        return capped_decompress(raw, limit, where, wbits=zlib.MAX_WBITS)
    raise MalformedResponseError(f"{where}: unsupported Content-Encoding {encoding!r}")


def _checked_total(amount: Fen) -> int:
    value: object = amount
    if type(value) is not int or amount <= 0:  # refuses bool and float too
        raise ValueError(f"amount must be a positive int (fen), got {amount!r}")
    return amount


def _message_of(response: httpx.Response) -> str:
    try:
        doc = response.json()
    except (ValueError, RecursionError):
        return ""
    return str(doc.get("message") or "") if isinstance(doc, dict) else ""
