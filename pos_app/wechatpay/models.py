"""Typed results of the WeChat Pay APIs (v3 JSON and v2 XML map onto the same models)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.money import Fen


class TradeState(StrEnum):
    SUCCESS = "SUCCESS"
    REFUND = "REFUND"
    NOTPAY = "NOTPAY"
    CLOSED = "CLOSED"
    REVOKED = "REVOKED"
    USERPAYING = "USERPAYING"
    PAYERROR = "PAYERROR"
    ACCEPT = "ACCEPT"

    @property
    def paid(self) -> bool:
        """Money was taken (a later refund does not undo the sale having been paid)."""
        return self in (TradeState.SUCCESS, TradeState.REFUND)


class RefundStatus(StrEnum):
    SUCCESS = "SUCCESS"
    CLOSED = "CLOSED"
    PROCESSING = "PROCESSING"
    ABNORMAL = "ABNORMAL"


class CouponType(StrEnum):
    """Who funds a coupon (``promotion_detail[].type``).

    ``NOCASH`` 免充值券: merchant-funded — the shop is settled the order total less the
    coupon. ``CASH`` 充值券: pre-funded (by WeChat or the issuer) — the shop is settled the
    full total although the customer paid less.
    """

    CASH = "CASH"
    NOCASH = "NOCASH"


class CouponScope(StrEnum):
    GLOBAL = "GLOBAL"  # 全场代金券
    SINGLE = "SINGLE"  # 单品优惠 (立减)


@dataclass(frozen=True)
class PromotionDetail:
    """One coupon or discount (代金券/立减) applied to a payment (amounts in fen)."""

    coupon_id: str
    amount: Fen
    type: CouponType | None = None
    scope: CouponScope | None = None
    name: str = ""
    stock_id: str = ""
    wechatpay_contribute: Fen = Fen(0)
    merchant_contribute: Fen = Fen(0)
    other_contribute: Fen = Fen(0)

    @property
    def merchant_funded(self) -> bool:
        """The shop pays for it: a NOCASH coupon (or, when the type is absent, a merchant contribution)."""
        if self.type is not None:
            return self.type is CouponType.NOCASH
        return self.merchant_contribute > 0


@dataclass(frozen=True)
class Transaction:
    """An order as WeChat Pay reports it (query, codepay, micropay, callback)."""

    out_trade_no: str
    trade_state: TradeState
    trade_state_desc: str = ""
    transaction_id: str = ""
    trade_type: str = ""
    total: Fen | None = None
    payer_total: Fen | None = None
    success_time: str = ""
    bank_type: str = ""
    openid: str = ""
    promotions: tuple[PromotionDetail, ...] = ()
    device_id: str = ""

    @property
    def coupon_total(self) -> Fen:
        """Fen paid by coupons and discounts (every ``promotion_detail`` amount)."""
        return Fen(sum(p.amount for p in self.promotions))

    @property
    def merchant_funded_total(self) -> Fen:
        """Fen of merchant-funded (NOCASH) coupons: what settlement is short of the total."""
        return Fen(sum(p.amount for p in self.promotions if p.merchant_funded))

    @property
    def settlement_total(self) -> Fen | None:
        """What the shop will be settled: the order total less merchant-funded coupons."""
        return None if self.total is None else Fen(self.total - self.merchant_funded_total)


@dataclass(frozen=True)
class Refund:
    out_refund_no: str
    status: RefundStatus
    refund: Fen
    total: Fen
    refund_id: str = ""
    out_trade_no: str = ""
    transaction_id: str = ""
    success_time: str = ""
    user_received_account: str = ""


@dataclass(frozen=True)
class TradeBill:
    """A downloaded, hash-checked trade bill (CSV text, BOM stripped)."""

    bill_date: str
    text: str
    hash_type: str
    hash_value: str
    bill_type: str = "ALL"
