"""``WechatPayClient``: the APIv3 endpoints a cashier needs, over one ``httpx.Client``.

Every call carries an explicit timeout, is signed over the exact bytes sent and — for 2xx —
verified by :class:`~pos_app.wechatpay.auth.WechatPayAuth` before anything is parsed.
Failures map onto :mod:`pos_app.wechatpay.errors`: timeouts → ``RequestTimeoutError``,
other transport failures → ``TransportError``, non-2xx → ``ApiError``, unparsable 2xx →
``MalformedResponseError``, untrusted 2xx → ``SignatureError``. The method set matches
:class:`pos_app.payments.gateway.PaymentGateway`.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Mapping
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
from pos_app.wechatpay.errors import (
    ApiError,
    MalformedResponseError,
    RequestTimeoutError,
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
        self._http = httpx.Client(
            base_url=base_url,
            transport=transport,
            timeout=timeout,
            verify=verify_tls,
            follow_redirects=False,
            trust_env=False,
        )
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
    ) -> WechatPayClient:
        """Build from a validated :class:`MerchantConfig` (reads key files; no network)."""
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
        auth: httpx.Auth | None = None,
        accept_202: bool = False,
    ) -> httpx.Response:
        """Send one signed request; return a verified 2xx response or raise.

        202 ("accepted, not processed — repeat the same request") is an :class:`ApiError`
        with ``outcome_unknown`` unless the caller handles it (``accept_202``).
        """
        if self._http.is_closed:
            raise RuntimeError("WechatPayClient is closed")
        content = dump_json(body) if body is not None else b""
        request = self._http.build_request(
            method, path, content=content, params=params, timeout=self._timeout
        )
        started = time.monotonic()
        try:
            response = self._http.send(request, auth=auth or self._auth)
        except httpx.TimeoutException as exc:
            log.warning(
                "%s %s timed out after %.1f s", method, request.url.path, time.monotonic() - started
            )
            raise RequestTimeoutError(
                f"{method} {request.url.path}: timed out ({type(exc).__name__})"
            ) from exc
        except httpx.DecodingError as exc:
            raise MalformedResponseError(
                f"{method} {request.url.path}: undecodable response body"
            ) from exc
        except httpx.HTTPError as exc:
            log.warning("%s %s failed: %s", method, request.url.path, type(exc).__name__)
            raise TransportError(
                f"{method} {request.url.path}: {type(exc).__name__}: {exc}"
            ) from exc
        request_id = response.headers.get("Request-ID", "")
        log.info(
            "%s %s → %d in %.0f ms (Request-ID %s)",
            method,
            request.url.path,
            response.status_code,
            (time.monotonic() - started) * 1000,
            request_id or "-",
        )
        if not response.is_success or (response.status_code == 202 and not accept_202):
            raise self._api_error(response, request_id)
        return response

    @staticmethod
    def _api_error(response: httpx.Response, request_id: str) -> ApiError:
        code, message, detail = f"HTTP_{response.status_code}", "", None
        try:
            doc = response.json()
        except ValueError:
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
        self, *, out_trade_no: str, description: str, total: Fen, time_expire: datetime
    ) -> str:
        """``POST /v3/pay/transactions/native`` → ``code_url``."""
        body = {
            "appid": self.appid,
            "mchid": self.mchid,
            "description": wechat_text(description, 127),
            "out_trade_no": out_trade_no,
            "time_expire": _rfc3339(time_expire),
            "notify_url": self._notify_url,
            "amount": {"total": _checked_total(total), "currency": "CNY"},
        }
        doc = self._json(
            self._send("POST", "/v3/pay/transactions/native", body=body), "native prepay"
        )
        code_url = doc.get("code_url")
        if not isinstance(code_url, str) or not code_url:
            raise MalformedResponseError("native prepay: code_url missing")
        return code_url

    def codepay(
        self, *, out_trade_no: str, description: str, total: Fen, auth_code: str
    ) -> Transaction:
        """``POST /v3/pay/transactions/codepay``: charge a customer's payment code.

        200 → the order as reported (USERPAYING included); 202 → USERPAYING (poll with
        :meth:`query`); business refusals → :class:`ApiError` (``outcome_unknown`` False).
        """
        body = {
            "appid": self.appid,
            "mchid": self.mchid,
            "description": wechat_text(description, 127),
            "out_trade_no": out_trade_no,
            "payer": {"auth_code": auth_code},
            "amount": {"total": _checked_total(total), "currency": "CNY"},
            "scene_info": {"store_info": {"out_id": self._store_id}},
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

    def trade_bill(self, bill_date: date) -> TradeBill:
        """Apply for the day's ALL trade bill, download it and check its SHA1."""
        response = self._send(
            "GET",
            "/v3/bill/tradebill",
            params={"bill_date": bill_date.isoformat(), "bill_type": "ALL"},
        )
        ticket = BillTicket.from_json(self._json(response, "trade bill"))
        # The download answer is unsigned (auth skips it); the hash check replaces the signature.
        download = self._send("GET", ticket.download_path)
        return checked_bill(bill_date, ticket, download.content)

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


def _checked_total(amount: Fen) -> int:
    value: object = amount
    if type(value) is not int or amount <= 0:  # refuses bool and float too
        raise ValueError(f"amount must be a positive int (fen), got {amount!r}")
    return amount


def _message_of(response: httpx.Response) -> str:
    try:
        doc = response.json()
    except ValueError:
        return ""
    return str(doc.get("message") or "") if isinstance(doc, dict) else ""
