"""The production :class:`PaymentGateway`: APIv3 client + (optionally) the APIv2
micropay client for payment codes, selected by ``cfg.codepay_protocol``.

``v3_with_v2_fallback`` falls back to APIv2 *only* when the v3 payment-code API is
refused as not available to this merchant (404 for the endpoint, or NO_AUTH) — a
verified answer that nothing was charged. After an unknown outcome (timeout, 5xx,
bad signature …) it never falls back: that would risk a second charge.
Queries, Native, close and refunds always use APIv3 (orders are shared across versions).
"""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime
from typing import Protocol

import httpx

from pos_app.domain.money import Fen
from pos_app.payments.gateway import PaymentGateway
from pos_app.payments.messages import NOT_FOUND_CODES
from pos_app.wechatpay.config import CodepayProtocol, MerchantConfig
from pos_app.wechatpay.errors import ApiError, ConfigError
from pos_app.wechatpay.models import Refund, TradeBill, Transaction

log = logging.getLogger("pos_app.payments")


class MicropayV2(Protocol):
    def micropay(self, *, out_trade_no: str, description: str, total: Fen,
                 auth_code: str) -> Transaction: ...

    def orderquery(self, out_trade_no: str) -> Transaction | None: ...

    def reverse(self, out_trade_no: str) -> bool: ...


def v3_unavailable(exc: ApiError) -> bool:
    """True when WeChat Pay refused the v3 payment-code API itself (nothing charged)."""
    if exc.outcome_unknown:
        return False
    if exc.code in ("NO_AUTH", "NOT_FOUND", "NOTFOUND"):
        return True
    return exc.status == 404 and exc.code not in NOT_FOUND_CODES


class WechatGateway:
    """Routes payment-code calls by protocol; everything else goes to APIv3."""

    def __init__(self, v3: PaymentGateway, v2: MicropayV2 | None,
                 protocol: CodepayProtocol) -> None:
        if protocol != "v3" and v2 is None:
            raise ConfigError(f"codepay_protocol {protocol} needs the APIv2 key")
        self.v3 = v3
        self.v2 = v2
        self.protocol = protocol
        self._v3_codepay_refused = threading.Event()

    @classmethod
    def from_config(cls, cfg: MerchantConfig, *,
                    transport: httpx.BaseTransport | None = None,
                    v2_transport: httpx.BaseTransport | None = None) -> WechatGateway:
        from pos_app.wechatpay.client import WechatPayClient
        from pos_app.wechatpay.v2.client import MicropayV2Client

        v3 = WechatPayClient.from_config(cfg, transport=transport)
        v2 = (MicropayV2Client.from_config(cfg, transport=v2_transport)
              if cfg.codepay_protocol != "v3" and cfg.apiv2_key else None)
        return cls(v3, v2, cfg.codepay_protocol)

    def _use_v2(self) -> bool:
        return self.protocol == "v2" or (
            self.protocol == "v3_with_v2_fallback" and self._v3_codepay_refused.is_set())

    # -- payment code
    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> Transaction:
        if self._use_v2():
            assert self.v2 is not None
            return self.v2.micropay(out_trade_no=out_trade_no, description=description,
                                    total=total, auth_code=auth_code)
        try:
            return self.v3.codepay(out_trade_no=out_trade_no, description=description,
                                   total=total, auth_code=auth_code)
        except ApiError as exc:
            if self.protocol != "v3_with_v2_fallback" or not v3_unavailable(exc):
                raise
            log.warning("v3 codepay not available (%s %s): using APIv2 micropay",
                        exc.status, exc.code)
            self._v3_codepay_refused.set()
        assert self.v2 is not None
        return self.v2.micropay(out_trade_no=out_trade_no, description=description,
                                total=total, auth_code=auth_code)

    def reverse(self, out_trade_no: str) -> bool:
        if self._use_v2():
            assert self.v2 is not None
            return self.v2.reverse(out_trade_no)
        try:
            return self.v3.reverse(out_trade_no)
        except ApiError as exc:
            if self.protocol != "v3_with_v2_fallback" or not v3_unavailable(exc):
                raise
            self._v3_codepay_refused.set()
        assert self.v2 is not None
        return self.v2.reverse(out_trade_no)

    # -- everything else: APIv3
    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> str:
        return self.v3.native_prepay(out_trade_no=out_trade_no, description=description,
                                     total=total, time_expire=time_expire)

    def query(self, out_trade_no: str) -> Transaction | None:
        return self.v3.query(out_trade_no)

    def close(self, out_trade_no: str) -> None:
        self.v3.close(out_trade_no)

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> Refund:
        return self.v3.refund(out_refund_no=out_refund_no, out_trade_no=out_trade_no,
                              refund=refund, total=total, reason=reason)

    def query_refund(self, out_refund_no: str) -> Refund | None:
        return self.v3.query_refund(out_refund_no)

    def trade_bill(self, bill_date: date) -> TradeBill:
        return self.v3.trade_bill(bill_date)
