"""APIv2 payment-code client: ``/pay/micropay``, ``/pay/orderquery``, ``/secapi/pay/reverse``.

Every request is signed with the merchant's APIv2 key (``cfg.v2_sign_type``) and every
``return_code=SUCCESS`` response must carry a correct ``sign`` made with the same
algorithm, or :class:`SignatureError` is raised. Reverse uses mutual TLS
(``apiclient_cert.pem`` + ``apiclient_key.pem``). Outcomes:

* micropay SUCCESS → ``Transaction(SUCCESS)``; ``USERPAYING`` → ``Transaction(USERPAYING)``;
  SYSTEMERROR/BANKERROR → ``ApiError`` with ``outcome_unknown`` True; business refusals
  (AUTHCODEEXPIRE, NOTENOUGH, …) → ``ApiError(200, err_code, err_code_des)``, outcome known.
* orderquery ORDERNOTEXIST → ``None``.
* reverse → True when done, False when WeChat says ``recall=Y`` (call again).

A request whose connection could not be made (never sent) is tried once on the backup
domain (``api2.mch.weixin.qq.com`` for WeChat's primary, or ``backup_base_url``); when
that fails too the :class:`TransportError` has ``never_sent`` True. Nothing that may
have reached WeChat is re-sent.

Auth codes are only ever logged masked; the key never.
"""

from __future__ import annotations

import json
import logging
import re
import ssl
from collections.abc import Mapping
from typing import Final

import httpx

from pos_app.domain.money import Fen
from pos_app.domain.scan import mask_code
from pos_app.wechatpay.config import MerchantConfig, V2SignType
from pos_app.wechatpay.errors import (
    ApiError,
    ConfigError,
    MalformedResponseError,
    RequestTimeoutError,
    SignatureError,
    TransportError,
)
from pos_app.wechatpay.models import PromotionDetail, TradeState, Transaction
from pos_app.wechatpay.payloads import promotions_from_json
from pos_app.wechatpay.v2.signing import signed_xml, verify_sign
from pos_app.wechatpay.v2.xml import XmlError, parse_xml

log = logging.getLogger("pos_app.wechatpay.v2")

MICROPAY_PATH: Final = "/pay/micropay"
ORDERQUERY_PATH: Final = "/pay/orderquery"
REVERSE_PATH: Final = "/secapi/pay/reverse"

PRIMARY_V2_BASE_URL: Final = "https://api.mch.weixin.qq.com"
BACKUP_V2_BASE_URL: Final = "https://api2.mch.weixin.qq.com"
_OUT_TRADE_NO_RE = re.compile(r"[0-9A-Za-z_\-|*]{1,32}")
#: v2 ``body`` is limited in UTF-8 bytes (WeChat counts bytes: 128, v3 ``description`` 127).
BODY_MAX_BYTES: Final = 128
_SYSTEM_HINTS = ("系统", "繁忙", "SYSTEM", "超时")


def _v2_time_to_rfc3339(value: str) -> str:
    """``20240101123045`` (Beijing time) → ``2024-01-01T12:30:45+08:00``; other text kept."""
    if re.fullmatch(r"\d{14}", value):
        v = value
        return f"{v[0:4]}-{v[4:6]}-{v[6:8]}T{v[8:10]}:{v[10:12]}:{v[12:14]}+08:00"
    return value


def _int_or_none(value: str | None) -> Fen | None:
    if value is None or value == "":
        return None
    if not re.fullmatch(r"-?\d{1,15}", value):
        raise MalformedResponseError(f"amount field is not an integer: {value!r}")
    return Fen(int(value))


def _truncate_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


class MicropayV2Client:
    """Synchronous APIv2 client for the payment-code flow (thread-compatible, not async)."""

    def __init__(
        self,
        *,
        appid: str,
        mchid: str,
        api_key: str,
        base_url: str,
        sign_type: V2SignType = "HMAC-SHA256",
        client_cert_path: str | None = None,
        private_key_path: str | None = None,
        ca_cert_path: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        device_id: str = "",
        backup_base_url: str | None = None,
    ) -> None:
        if not api_key:
            raise ConfigError("apiv2_key is required for the APIv2 payment-code client")
        self.appid = appid
        self.mchid = mchid
        self._key = api_key
        self.sign_type: V2SignType = sign_type
        self.base_url = base_url.rstrip("/")
        if backup_base_url is None and self.base_url == PRIMARY_V2_BASE_URL:
            backup_base_url = BACKUP_V2_BASE_URL
        self.backup_base_url = backup_base_url.rstrip("/") if backup_base_url else None
        self.device_id = device_id
        timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        if transport is not None:
            self._http = httpx.Client(transport=transport, timeout=timeout)
            self._secure_http = self._http
            return
        verify: ssl.SSLContext = ssl.create_default_context(cafile=ca_cert_path)
        self._http = httpx.Client(verify=verify, timeout=timeout)
        secure_ctx = ssl.create_default_context(cafile=ca_cert_path)
        if client_cert_path and private_key_path:
            try:
                secure_ctx.load_cert_chain(client_cert_path, private_key_path)
            except (OSError, ssl.SSLError) as exc:
                raise ConfigError(
                    f"cannot load API client certificate {client_cert_path}: {exc}"
                ) from exc
        self._secure_http = httpx.Client(verify=secure_ctx, timeout=timeout)

    @classmethod
    def from_config(
        cls, cfg: MerchantConfig, *, transport: httpx.BaseTransport | None = None, device_id: str = ""
    ) -> MicropayV2Client:
        if not cfg.apiv2_key:
            raise ConfigError("apiv2_key (or apiv2_key_path) is required for APIv2 codepay")
        return cls(
            appid=cfg.appid,
            mchid=cfg.mchid,
            api_key=cfg.apiv2_key,
            base_url=cfg.v2_base_url,
            sign_type=cfg.v2_sign_type,
            client_cert_path=str(cfg.client_cert_path) if cfg.client_cert_path else None,
            private_key_path=str(cfg.private_key_path),
            ca_cert_path=str(cfg.ca_cert_path) if cfg.ca_cert_path else None,
            connect_timeout=cfg.connect_timeout,
            read_timeout=cfg.read_timeout,
            transport=transport,
            device_id=device_id,
            backup_base_url=cfg.backup_v2_base_url,
        )

    def __repr__(self) -> str:
        return f"MicropayV2Client(mchid={self.mchid!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        self._http.close()
        if self._secure_http is not self._http:
            self._secure_http.close()

    # -- APIs -------------------------------------------------------------------------

    def micropay(
        self,
        *,
        out_trade_no: str,
        description: str,
        total: Fen,
        auth_code: str,
        client_ip: str = "127.0.0.1",
        device_id: str | None = None,
    ) -> Transaction:
        """Charge a payment code (付款码). See the module docstring for outcomes.

        ``device_id`` (default: the client's) is sent as ``device_info`` so the merchant
        platform shows which till took the payment."""
        self._check_out_trade_no(out_trade_no)
        amount: object = total
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValueError("total must be a positive int number of fen")
        if not auth_code:
            raise ValueError("auth_code is required")
        log.info(
            "micropay %s total=%d auth_code=%s", out_trade_no, total, mask_code(auth_code)
        )
        params = {
            "appid": self.appid,
            "mch_id": self.mchid,
            "body": _truncate_utf8(description, BODY_MAX_BYTES) or "-",
            "out_trade_no": out_trade_no,
            "total_fee": int(total),
            "spbill_create_ip": client_ip,
            "auth_code": auth_code,
        }
        till = self.device_id if device_id is None else device_id
        if till:
            params["device_info"] = till[:32]
        data = self._call(MICROPAY_PATH, params)
        result = data.get("result_code")
        if result not in ("SUCCESS", "FAIL") or (result == "FAIL" and not data.get("err_code")):
            # Signed, but no verdict we understand: the charge may have happened.
            raise MalformedResponseError(
                f"micropay: result_code {result!r} without a usable err_code")
        if result == "SUCCESS":
            tx = self._transaction(data, out_trade_no, TradeState.SUCCESS)
            if tx.total is not None and tx.total != total:
                raise MalformedResponseError(
                    f"micropay answered total_fee {tx.total}, we asked for {total}"
                )
            return tx
        code, desc = data.get("err_code", ""), data.get("err_code_des", "")
        if code == "USERPAYING":
            return Transaction(
                out_trade_no=out_trade_no,
                trade_state=TradeState.USERPAYING,
                trade_state_desc=desc or "用户支付中，需要输入密码",
                trade_type="MICROPAY",
            )
        raise ApiError(200, code, desc or "micropay failed")

    def orderquery(self, out_trade_no: str) -> Transaction | None:
        """Current state of an order; ``None`` for ORDERNOTEXIST."""
        self._check_out_trade_no(out_trade_no)
        params = {"appid": self.appid, "mch_id": self.mchid, "out_trade_no": out_trade_no}
        data = self._call(ORDERQUERY_PATH, params)
        if data.get("result_code") != "SUCCESS":
            code, desc = data.get("err_code", ""), data.get("err_code_des", "")
            if code == "ORDERNOTEXIST":
                return None
            raise ApiError(200, code or "FAIL", desc or "orderquery failed")
        raw_state = data.get("trade_state", "")
        try:
            state = TradeState(raw_state)
        except ValueError as exc:
            raise MalformedResponseError(f"unknown trade_state {raw_state!r}") from exc
        return self._transaction(data, out_trade_no, state)

    def reverse(self, out_trade_no: str) -> bool:
        """Reverse (撤销) an order over mutual TLS. True = done; False = recall=Y, call again."""
        self._check_out_trade_no(out_trade_no)
        params = {"appid": self.appid, "mch_id": self.mchid, "out_trade_no": out_trade_no}
        data = self._call(REVERSE_PATH, params, secure=True)
        recall = data.get("recall", "N")
        if data.get("result_code") == "SUCCESS":
            return recall != "Y"
        code, desc = data.get("err_code", ""), data.get("err_code_des", "")
        if code == "USERPAYING":
            raise ApiError(200, code, desc or "正在支付中不能发起撤销")
        if recall == "Y":
            log.warning("reverse %s: %s, recall=Y", out_trade_no, code)
            return False
        raise ApiError(200, code or "FAIL", desc or "reverse failed")

    # -- plumbing ---------------------------------------------------------------------

    @staticmethod
    def _check_out_trade_no(out_trade_no: str) -> None:
        if not _OUT_TRADE_NO_RE.fullmatch(out_trade_no):
            raise ValueError("out_trade_no must be 1-32 of [0-9A-Za-z_-|*]")

    def build_request(
        self, path: str, params: Mapping[str, object], *, base_url: str | None = None
    ) -> httpx.Request:
        """The signed POST request for ``path`` (exposed for benchmarks/tests)."""
        body = signed_xml(params, self._key, self.sign_type)
        return httpx.Request(
            "POST",
            (base_url or self.base_url) + path,
            content=body,
            headers={"Content-Type": "text/xml; charset=utf-8"},
        )

    def _call(
        self, path: str, params: Mapping[str, object], *, secure: bool = False
    ) -> dict[str, str]:
        request = self.build_request(path, params)
        http = self._secure_http if secure else self._http
        try:
            try:
                response = http.send(request)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # never sent: the backup domain may have it (anything later is not re-sent)
                if self.backup_base_url is None:
                    raise
                log.warning("%s: primary unreachable (%s); trying %s", path, type(exc).__name__,
                            self.backup_base_url)
                response = http.send(self.build_request(path, params, base_url=self.backup_base_url))
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            error = (RequestTimeoutError if isinstance(exc, httpx.ConnectTimeout) else TransportError)(
                f"{path}: cannot connect ({type(exc).__name__}: {exc})")
            error.never_sent = True
            raise error from exc
        except httpx.TimeoutException as exc:
            raise RequestTimeoutError(f"{path}: timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise TransportError(f"{path}: {type(exc).__name__}: {exc}") from exc
        return self._check_response(path, response)

    def _check_response(self, path: str, response: httpx.Response) -> dict[str, str]:
        status = response.status_code
        try:
            data = parse_xml(response.content)
        except XmlError as exc:
            if status >= 300:
                raise ApiError(status, f"HTTP_{status}", response.text[:200]) from exc
            raise MalformedResponseError(f"{path}: {exc}") from exc
        return_code = data.get("return_code", "")
        if return_code != "SUCCESS":
            msg = data.get("return_msg", "") or f"HTTP {status}"
            if return_code not in ("", "FAIL"):
                code = return_code  # e.g. return_code=SYSTEMERROR
            elif any(h in msg.upper() for h in _SYSTEM_HINTS):
                code = "SYSTEMERROR"
            else:
                code = "FAIL"
            raise ApiError(status if status >= 300 else 200, code, msg)
        if status != 200:
            raise ApiError(status, f"HTTP_{status}", "unexpected HTTP status with SUCCESS body")
        if not verify_sign(data, self._key, self.sign_type):
            raise SignatureError(f"{path}: response sign missing or wrong ({self.sign_type})")
        if data.get("mch_id", self.mchid) != self.mchid or data.get("appid", self.appid) != self.appid:
            raise MalformedResponseError(f"{path}: response is for another merchant")
        return data

    @staticmethod
    def _transaction(data: Mapping[str, str], out_trade_no: str, state: TradeState) -> Transaction:
        answered = data.get("out_trade_no", out_trade_no) or out_trade_no
        if answered != out_trade_no:
            raise MalformedResponseError(
                f"response is for order {answered!r}, expected {out_trade_no!r}"
            )
        return Transaction(
            out_trade_no=out_trade_no,
            trade_state=state,
            trade_state_desc=data.get("trade_state_desc", ""),
            transaction_id=data.get("transaction_id", ""),
            trade_type=data.get("trade_type", "MICROPAY"),
            total=_int_or_none(data.get("total_fee")),
            payer_total=_int_or_none(data.get("cash_fee")),
            success_time=_v2_time_to_rfc3339(data.get("time_end", "")),
            bank_type=data.get("bank_type", ""),
            openid=data.get("openid", ""),
            promotions=_v2_promotions(data.get("promotion_detail", "")),
            device_id=data.get("device_info", ""),
        )


def _v2_promotions(text: str) -> tuple[PromotionDetail, ...]:
    """v2 ``promotion_detail`` is JSON text (CDATA) ``{"promotion_detail": [...]}``."""
    if not text:
        return ()
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise MalformedResponseError("promotion_detail is not JSON") from exc
    return promotions_from_json(doc, "micropay")
