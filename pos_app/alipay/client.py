"""``AlipayClient``: the 当面付 calls a cashier needs, over one ``httpx.Client``.

Every request is RSA2-signed over its sorted parameters; every answer is verified on the
exact text of its ``*_response`` node (:mod:`.verifier`) before any field is read.

What each outcome means (the payments adapter branches on these, never on Alipay codes):

* ``pay`` → :class:`Trade`: ``paid`` (code ``10000``) or ``waiting_for_customer``
  (``10003`` / ``WAIT_BUYER_PAY``: the customer must enter a password — poll
  :meth:`query` every few seconds like WeChat's USERPAYING, and :meth:`cancel` right
  after the last poll if it is still not paid).
* Outcome **unknown** (``exc.outcome_unknown`` is True) — query first, then cancel:
  :class:`TransportError`/:class:`RequestTimeoutError` (network, timeouts, the overall
  deadline), :class:`ResponseValidationError` (bad/missing signature, unknown certificate,
  malformed or oversized body, an answer about another order), and :class:`GatewayError`
  with kind ``UNKNOWN`` (``20000``, ``ACQ.SYSTEM_ERROR``, undocumented codes) or
  ``ALREADY_PAID`` (``ACQ.TRADE_HAS_SUCCESS`` — confirm by query), or ``retry`` set
  (cancel's ``retry_flag=Y``: send the same cancel again).
* Provably **not charged** (``outcome_unknown`` False): :class:`GatewayError` with a
  refusal kind — ``AUTH_CODE_INVALID`` (``ACQ.PAYMENT_AUTH_CODE_INVALID``: rescan),
  ``INSUFFICIENT_FUNDS`` (``ACQ.BUYER_BALANCE_NOT_ENOUGH`` …), ``PAYMENT_REFUSED``,
  ``TRADE_CLOSED``, ``CONFLICT``, ``INVALID_REQUEST``, ``MERCHANT_SETUP``.
* ``query`` returns ``None`` for ``ACQ.TRADE_NOT_EXIST`` (normal for a QR not yet scanned —
  and then ``cancel``/``close`` cannot stop it: the QR stays payable until its
  ``qr_timeout_minutes`` pass, so keep querying until then);
  ``cancel`` reports :class:`CancelAction` (``close``: nothing was taken; ``refund``: it
  was taken and has gone back). A cancel that stays unknown must be retried.
* Refunds are idempotent on ``out_request_no``: retry an unknown refund with the same one;
  :meth:`refund_query` returns ``None`` when Alipay has no successful refund under it.

Amounts are integer fen; Alipay's yuan strings are converted exactly (:mod:`.amounts`).
"""

from __future__ import annotations

import json
import logging
import re
import ssl
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.alipay.amounts import fen_to_yuan, yuan_to_fen
from pos_app.alipay.bill import parse_bill_zip
from pos_app.alipay.certs import cert_sn, load_cert, load_root_sn, rsa_public_key
from pos_app.alipay.config import AlipayConfig
from pos_app.alipay.errors import (
    ConfigError,
    ErrorKind,
    GatewayError,
    MalformedResponseError,
    RequestTimeoutError,
    SignatureError,
    TransportError,
    UnknownCertificateError,
)
from pos_app.alipay.models import (
    Bill,
    CancelAction,
    CancelResult,
    Notification,
    QrCode,
    RefundRecord,
    RefundResult,
    Trade,
    TradeStatus,
)
from pos_app.alipay.notify import parse_notification
from pos_app.alipay.rotation import DOWNLOAD_METHOD, root_certificates, trusted_key
from pos_app.alipay.signing import load_private_key, load_public_key, rsa2_sign, sign_content
from pos_app.alipay.verifier import (
    CertMode,
    KeySource,
    PublicKeyMode,
    VerifiedResponse,
    verify_response,
)

log = logging.getLogger("pos_app.alipay.http")

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
SUCCESS = "10000"
IN_PROCESS = "10003"
_NO_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_MAX_BILL_BYTES = 50_000_000


def _checked_no(value: str, name: str) -> str:
    if not isinstance(value, str) or not _NO_RE.match(value):
        raise ValueError(f"{name} must be 1–64 letters, digits or _, got {value!r}")
    return value


def _subject(text: str) -> str:
    clean = "".join(" " if (ord(c) < 32 or c in "/=&") else c for c in text).strip()
    if not clean:
        raise ValueError("subject must not be empty")
    return clean[:256]


def _str(fields: Mapping[str, Any], name: str) -> str:
    value = fields.get(name, "")
    if not isinstance(value, str):
        raise MalformedResponseError(f"{name} is not a string")
    return value


def _fen(fields: Mapping[str, Any], name: str, what: str) -> Any:
    value = fields.get(name)
    if value in (None, ""):
        return None
    try:
        return yuan_to_fen(value)
    except ValueError as exc:
        raise MalformedResponseError(f"{what}: {name}: {exc}") from exc


class AlipayClient:
    """Alipay open-platform client for one app (Qt-free, thread-safe for concurrent calls)."""

    def __init__(
        self,
        *,
        app_id: str,
        app_private_key: rsa.RSAPrivateKey,
        keys: KeySource,
        gateway_url: str,
        notify_url: str | None = None,
        app_cert_sn: str | None = None,
        alipay_root_cert_sn: str | None = None,
        seller_id: str | None = None,
        app_auth_token: str | None = None,
        store_id: str | None = None,
        terminal_id: str | None = None,
        timeout: httpx.Timeout | None = None,
        deadline: float = 20.0,
        max_response_bytes: int = 1_000_000,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] | None = None,
        verify_tls: ssl.SSLContext | bool = True,
        root_certs: list[x509.Certificate] | None = None,
    ) -> None:
        if (app_cert_sn is None) != (alipay_root_cert_sn is None):
            raise ValueError("app_cert_sn and alipay_root_cert_sn go together")
        self.app_id = app_id
        self._key = app_private_key
        self._keys = keys
        self._gateway_url = gateway_url
        self._notify_url = notify_url
        self._app_cert_sn = app_cert_sn
        self._root_cert_sn = alipay_root_cert_sn
        self.seller_id = seller_id
        self._app_auth_token = app_auth_token
        self._store_id = store_id
        self._terminal_id = terminal_id
        self._timeout = timeout or httpx.Timeout(connect=3.0, read=15.0, write=15.0, pool=3.0)
        self._deadline = deadline
        self._max_bytes = max_response_bytes
        self._clock = clock or time.time
        self._root_certs = root_certs or []
        self._http = httpx.Client(
            transport=transport,
            timeout=self._timeout,
            verify=verify_tls,
            follow_redirects=False,
            trust_env=False,
        )

    def __repr__(self) -> str:
        return f"AlipayClient(app_id={self.app_id!r}, gateway={self._gateway_url!r})"

    @classmethod
    def from_config(
        cls,
        cfg: AlipayConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] | None = None,
    ) -> AlipayClient:
        """Build from a validated :class:`AlipayConfig` (reads key files; no network)."""
        private = load_private_key(cfg.app_private_key_path)
        keys: KeySource
        app_sn = root_sn = None
        roots: list[x509.Certificate] = []
        if cfg.alipay_public_key_path is not None:
            keys = PublicKeyMode(load_public_key(cfg.alipay_public_key_path))
        else:
            assert cfg.app_cert_path and cfg.alipay_cert_path and cfg.alipay_root_cert_path
            app_cert = load_cert(cfg.app_cert_path, "app certificate")
            if rsa_public_key(app_cert, "app certificate").public_numbers() != private.public_key().public_numbers():
                raise ConfigError("app_cert_path does not hold the public key of app_private_key_path")
            alipay_cert = load_cert(cfg.alipay_cert_path, "Alipay public-key certificate")
            sn = cert_sn(alipay_cert)
            keys = CertMode(sn, {sn: rsa_public_key(alipay_cert, "Alipay public-key certificate")})
            app_sn = cert_sn(app_cert)
            root_sn = load_root_sn(cfg.alipay_root_cert_path)
            roots = root_certificates(cfg.alipay_root_cert_path.read_bytes())
        verify_tls: ssl.SSLContext | bool = True
        if cfg.ca_cert_path is not None:
            verify_tls = ssl.create_default_context(cafile=str(cfg.ca_cert_path))
        return cls(
            app_id=cfg.app_id,
            app_private_key=private,
            keys=keys,
            gateway_url=cfg.gateway_url,
            notify_url=cfg.notify_url,
            app_cert_sn=app_sn,
            alipay_root_cert_sn=root_sn,
            seller_id=cfg.seller_id,
            app_auth_token=cfg.app_auth_token,
            store_id=cfg.store_id,
            terminal_id=cfg.terminal_id,
            timeout=httpx.Timeout(
                connect=cfg.connect_timeout, read=cfg.read_timeout,
                write=cfg.read_timeout, pool=cfg.connect_timeout,
            ),
            deadline=cfg.deadline,
            max_response_bytes=cfg.max_response_bytes,
            transport=transport,
            clock=clock,
            verify_tls=verify_tls,
            root_certs=roots,
        )

    # -- lifecycle ---------------------------------------------------------------------

    def close_client(self) -> None:
        """Release the connection pool (``close`` is the close-trade API)."""
        self._http.close()

    def __enter__(self) -> AlipayClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close_client()

    # -- plumbing ------------------------------------------------------------------------

    def timestamp(self) -> str:
        """Beijing time ``yyyy-MM-dd HH:mm:ss`` whatever the host's time zone."""
        return datetime.fromtimestamp(self._clock(), tz=UTC).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")

    def signed_params(self, method: str, biz: Mapping[str, Any], *, notify: bool = False) -> dict[str, str]:
        """All request parameters including ``sign`` (empty values never sent)."""
        params: dict[str, str | None] = {
            "app_id": self.app_id,
            "method": method,
            "format": "JSON",
            "charset": "utf-8",
            "sign_type": "RSA2",
            "timestamp": self.timestamp(),
            "version": "1.0",
            "notify_url": self._notify_url if notify else None,
            "app_auth_token": self._app_auth_token,
            "app_cert_sn": self._app_cert_sn,
            "alipay_root_cert_sn": self._root_cert_sn,
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
        }
        sent = {k: v for k, v in params.items() if v not in (None, "")}
        assert all(v is not None for v in sent.values())
        out: dict[str, str] = {k: str(v) for k, v in sent.items()}
        out["sign"] = rsa2_sign(sign_content(out), self._key)
        return out

    def _read_capped(self, response: httpx.Response, limit: int, started: float, what: str) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise MalformedResponseError(f"{what}: answer of {declared} bytes exceeds the {limit}-byte cap")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise MalformedResponseError(f"{what}: answer exceeds the {limit}-byte cap")
            if time.monotonic() - started > self._deadline:
                raise RequestTimeoutError(f"{what}: overall deadline of {self._deadline:g} s passed")
            chunks.append(chunk)
        return b"".join(chunks)

    def _exchange(self, request: httpx.Request, limit: int, what: str) -> bytes:
        if self._http.is_closed:
            raise RuntimeError("AlipayClient is closed")
        started = time.monotonic()
        try:
            response = self._http.send(request, stream=True)
            try:
                if response.status_code != 200:
                    raise TransportError(f"{what}: HTTP {response.status_code} from the gateway")
                body = self._read_capped(response, limit, started, what)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            log.warning("%s timed out after %.1f s", what, time.monotonic() - started)
            raise RequestTimeoutError(f"{what}: timed out ({type(exc).__name__})") from exc
        except httpx.DecodingError as exc:
            raise MalformedResponseError(f"{what}: undecodable response body") from exc
        except httpx.HTTPError as exc:
            log.warning("%s failed: %s", what, type(exc).__name__)
            raise TransportError(f"{what}: {type(exc).__name__}: {exc}") from exc
        log.info("%s → %d bytes in %.0f ms", what, len(body), (time.monotonic() - started) * 1000)
        return body

    def _post(self, method: str, biz: Mapping[str, Any], *, notify: bool = False) -> bytes:
        params = self.signed_params(method, biz, notify=notify)
        body_params = {"biz_content": params.pop("biz_content")}
        request = self._http.build_request(
            "POST",
            self._gateway_url,
            params=params,
            content=urlencode(body_params).encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"},
            timeout=self._timeout,
        )
        return self._exchange(request, self._max_bytes, method)

    def _verified(self, body: bytes, method: str) -> VerifiedResponse:
        try:
            return verify_response(body, method, self._keys)
        except UnknownCertificateError as exc:
            if not isinstance(self._keys, CertMode) or not self._root_certs or method == DOWNLOAD_METHOD:
                raise
            self._learn_alipay_cert(exc.sn)
            return verify_response(body, method, self._keys)

    def _learn_alipay_cert(self, sn: str) -> None:
        """Download, chain-check and adopt a rotated Alipay certificate (see :mod:`.rotation`)."""
        assert isinstance(self._keys, CertMode)
        log.info("Alipay certificate %s unknown: downloading it", sn)
        body = self._post(DOWNLOAD_METHOD, {"alipay_cert_sn": sn})
        try:
            envelope = json.loads(body)
            node = envelope[DOWNLOAD_METHOD.replace(".", "_") + "_response"]
            content = node.get("alipay_cert_content")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SignatureError("alipaycert.download: unreadable answer") from exc
        key = trusted_key(content, sn, self._root_certs, self._clock())
        fields = verify_response(body, DOWNLOAD_METHOD, self._keys.with_key(sn, key)).fields
        if fields.get("code") != SUCCESS:
            raise SignatureError("alipaycert.download: refused")
        self._keys.add(sn, key)

    def _call(self, method: str, biz: Mapping[str, Any], *, notify: bool = False) -> dict[str, Any]:
        """One verified gateway call; ``code`` 10000/10003 → the node's fields, else raise."""
        verified = self._verified(self._post(method, biz, notify=notify), method)
        fields = verified.fields
        code = _str(fields, "code")
        retry = fields.get("retry_flag") == "Y"
        if verified.is_error_node or code not in (SUCCESS, IN_PROCESS) or retry:
            raise GatewayError(
                method, code, _str(fields, "msg"), _str(fields, "sub_code"), _str(fields, "sub_msg"),
                retry=retry,
            )
        if code == IN_PROCESS and method != "alipay.trade.pay":
            raise GatewayError(method, code, _str(fields, "msg"))
        return fields

    @staticmethod
    def _same_order(fields: Mapping[str, Any], out_trade_no: str, what: str) -> None:
        echoed = fields.get("out_trade_no")
        if echoed not in (None, "") and echoed != out_trade_no:
            raise MalformedResponseError(f"{what}: answer is about {echoed!r}, not {out_trade_no!r}")

    def _trade(self, fields: Mapping[str, Any], out_trade_no: str, status: TradeStatus, what: str) -> Trade:
        self._same_order(fields, out_trade_no, what)
        return Trade(
            out_trade_no=out_trade_no,
            status=status,
            trade_no=_str(fields, "trade_no"),
            total_fen=_fen(fields, "total_amount", what),
            receipt_fen=_fen(fields, "receipt_amount", what),
            buyer_pay_fen=_fen(fields, "buyer_pay_amount", what),
            buyer_logon_id=_str(fields, "buyer_logon_id"),
            paid_at=_str(fields, "gmt_payment") or _str(fields, "send_pay_date"),
        )

    def _order_fields(self, biz: dict[str, Any]) -> dict[str, Any]:
        if self._store_id:
            biz["store_id"] = self._store_id
        if self._terminal_id:
            biz["terminal_id"] = self._terminal_id
        if self.seller_id:
            biz["seller_id"] = self.seller_id
        return biz

    # -- payments ------------------------------------------------------------------------

    def pay(self, *, out_trade_no: str, auth_code: str, total_fen: int, subject: str) -> Trade:
        """``alipay.trade.pay`` (scene ``bar_code``): charge the customer's payment code."""
        _checked_no(out_trade_no, "out_trade_no")
        if not auth_code or len(auth_code) > 64 or not auth_code.isascii() or not auth_code.isalnum():
            raise ValueError("auth_code must be 1–64 ASCII letters/digits")
        total = fen_to_yuan(total_fen)
        biz = self._order_fields({
            "out_trade_no": out_trade_no, "scene": "bar_code", "auth_code": auth_code,
            "subject": _subject(subject), "total_amount": total,
        })
        fields = self._call("alipay.trade.pay", biz)
        status = TradeStatus.TRADE_SUCCESS if fields["code"] == SUCCESS else TradeStatus.WAIT_BUYER_PAY
        trade = self._trade(fields, out_trade_no, status, "alipay.trade.pay")
        if trade.total_fen is not None and trade.total_fen != total_fen:
            raise MalformedResponseError(f"alipay.trade.pay: total {trade.total_fen} ≠ {total_fen}")
        return trade

    def precreate(
        self, *, out_trade_no: str, total_fen: int, subject: str, qr_timeout_minutes: int | None = None
    ) -> QrCode:
        """``alipay.trade.precreate``: a QR code for the customer to scan."""
        _checked_no(out_trade_no, "out_trade_no")
        biz = self._order_fields({
            "out_trade_no": out_trade_no, "subject": _subject(subject), "total_amount": fen_to_yuan(total_fen),
        })
        if qr_timeout_minutes is not None:
            if not 1 <= qr_timeout_minutes <= 120:
                raise ValueError("qr_timeout_minutes must be 1–120")
            biz["qr_code_timeout_express"] = f"{qr_timeout_minutes}m"
        fields = self._call("alipay.trade.precreate", biz, notify=self._notify_url is not None)
        self._same_order(fields, out_trade_no, "alipay.trade.precreate")
        qr = _str(fields, "qr_code")
        if not qr.startswith(("https://", "http://")):
            raise MalformedResponseError("alipay.trade.precreate: qr_code missing")
        return QrCode(out_trade_no, qr)

    def query(self, out_trade_no: str) -> Trade | None:
        """``alipay.trade.query``; ``None`` when Alipay has no such trade (yet)."""
        _checked_no(out_trade_no, "out_trade_no")
        try:
            fields = self._call("alipay.trade.query", {"out_trade_no": out_trade_no})
        except GatewayError as exc:
            if exc.kind is ErrorKind.TRADE_NOT_FOUND:
                return None
            raise
        try:
            status = TradeStatus(_str(fields, "trade_status"))
        except ValueError as exc:
            raise MalformedResponseError(f"alipay.trade.query: unknown trade_status {fields.get('trade_status')!r}") from exc
        return self._trade(fields, out_trade_no, status, "alipay.trade.query")

    def cancel(self, out_trade_no: str) -> CancelResult:
        """``alipay.trade.cancel`` (撤销): close an unpaid trade or refund a paid one.

        ``retry_flag=Y`` raises :class:`GatewayError` with ``retry`` (outcome unknown).
        """
        _checked_no(out_trade_no, "out_trade_no")
        try:
            fields = self._call("alipay.trade.cancel", {"out_trade_no": out_trade_no})
        except GatewayError as exc:
            if exc.kind is ErrorKind.TRADE_NOT_FOUND and not exc.retry:
                return CancelResult(out_trade_no, CancelAction.NONE)
            raise
        self._same_order(fields, out_trade_no, "alipay.trade.cancel")
        try:
            action = CancelAction(_str(fields, "action"))
        except ValueError as exc:
            raise MalformedResponseError(f"alipay.trade.cancel: unknown action {fields.get('action')!r}") from exc
        return CancelResult(out_trade_no, action, _str(fields, "trade_no"))

    def close(self, out_trade_no: str) -> bool:
        """``alipay.trade.close``: ``True`` closed, ``False`` no such trade (QR never scanned).

        A paid trade raises :class:`GatewayError` (kind ``TRADE_STATE``).
        """
        _checked_no(out_trade_no, "out_trade_no")
        try:
            fields = self._call("alipay.trade.close", {"out_trade_no": out_trade_no})
        except GatewayError as exc:
            if exc.kind is ErrorKind.TRADE_NOT_FOUND:
                return False
            raise
        self._same_order(fields, out_trade_no, "alipay.trade.close")
        return True

    # -- refunds -------------------------------------------------------------------------

    def refund(self, *, out_trade_no: str, out_request_no: str, refund_fen: int, reason: str = "") -> RefundResult:
        """``alipay.trade.refund`` — retry an unknown one with the SAME ``out_request_no``."""
        _checked_no(out_trade_no, "out_trade_no")
        _checked_no(out_request_no, "out_request_no")
        biz: dict[str, Any] = {
            "out_trade_no": out_trade_no, "out_request_no": out_request_no,
            "refund_amount": fen_to_yuan(refund_fen),
        }
        if reason.strip():
            biz["refund_reason"] = _subject(reason)
        if self._store_id:
            biz["store_id"] = self._store_id
        fields = self._call("alipay.trade.refund", biz)
        self._same_order(fields, out_trade_no, "alipay.trade.refund")
        total = _fen(fields, "refund_fee", "alipay.trade.refund")
        fund_change = fields.get("fund_change")
        if total is None or fund_change not in ("Y", "N"):
            raise MalformedResponseError("alipay.trade.refund: refund_fee / fund_change missing")
        return RefundResult(
            out_trade_no=out_trade_no, out_request_no=out_request_no, refunded_total_fen=total,
            money_moved=fund_change == "Y", trade_no=_str(fields, "trade_no"),
            refunded_at=_str(fields, "gmt_refund_pay"),
        )

    def refund_query(self, *, out_trade_no: str, out_request_no: str) -> RefundRecord | None:
        """``alipay.trade.fastpay.refund.query``; ``None`` = no successful refund under that number."""
        _checked_no(out_trade_no, "out_trade_no")
        _checked_no(out_request_no, "out_request_no")
        try:
            fields = self._call(
                "alipay.trade.fastpay.refund.query",
                {"out_trade_no": out_trade_no, "out_request_no": out_request_no},
            )
        except GatewayError as exc:
            if exc.kind is ErrorKind.TRADE_NOT_FOUND:
                return None
            raise
        self._same_order(fields, out_trade_no, "alipay.trade.fastpay.refund.query")
        echoed = fields.get("out_request_no")
        if echoed not in (None, "") and echoed != out_request_no:
            raise MalformedResponseError("alipay.trade.fastpay.refund.query: answer about another refund")
        if fields.get("refund_status") != "REFUND_SUCCESS":
            return None
        amount = _fen(fields, "refund_amount", "alipay.trade.fastpay.refund.query")
        if amount is None:
            raise MalformedResponseError("alipay.trade.fastpay.refund.query: refund_amount missing")
        return RefundRecord(
            out_trade_no=out_trade_no, out_request_no=out_request_no, refund_fen=amount,
            total_fen=_fen(fields, "total_amount", "alipay.trade.fastpay.refund.query"),
            trade_no=_str(fields, "trade_no"), refunded_at=_str(fields, "gmt_refund_pay"),
        )

    # -- bills, notifications --------------------------------------------------------------

    def bill_download_url(self, bill_date: date, bill_type: str = "trade") -> str:
        """``alipay.data.dataservice.bill.downloadurl.query`` → a URL valid for ~30 s."""
        if bill_type not in ("trade", "signcustomer"):
            raise ValueError("bill_type must be trade or signcustomer")
        fields = self._call(
            "alipay.data.dataservice.bill.downloadurl.query",
            {"bill_type": bill_type, "bill_date": bill_date.isoformat()},
        )
        url = _str(fields, "bill_download_url")
        if not url.startswith(("https://", "http://")):
            raise MalformedResponseError("bill download url missing")
        return url

    def download_bill(self, bill_date: date) -> Bill:
        """Ask for the day's trade bill, fetch the zip at once and parse it."""
        url = self.bill_download_url(bill_date)
        request = self._http.build_request("GET", url, timeout=self._timeout)
        data = self._exchange(request, _MAX_BILL_BYTES, "bill download")
        return parse_bill_zip(data, bill_date.isoformat())

    def parse_notification(self, body: bytes) -> Notification:
        """Verify and parse an asynchronous notification body (raw form bytes)."""
        return parse_notification(body, self._keys, app_id=self.app_id, seller_id=self.seller_id)
