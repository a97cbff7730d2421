"""Typed results of the Alipay 当面付 APIs (amounts in integer fen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pos_app.domain.money import Fen


class TradeStatus(StrEnum):
    WAIT_BUYER_PAY = "WAIT_BUYER_PAY"   # created; the customer has not confirmed (password)
    TRADE_CLOSED = "TRADE_CLOSED"       # unpaid and closed/cancelled, or fully refunded
    TRADE_SUCCESS = "TRADE_SUCCESS"     # paid, refundable
    TRADE_FINISHED = "TRADE_FINISHED"   # paid, no longer refundable

    @property
    def paid(self) -> bool:
        return self in (TradeStatus.TRADE_SUCCESS, TradeStatus.TRADE_FINISHED)


@dataclass(frozen=True)
class Trade:
    """A trade as Alipay reports it (pay answer, query, notification)."""

    out_trade_no: str
    status: TradeStatus
    trade_no: str = ""
    total_fen: Fen | None = None
    receipt_fen: Fen | None = None
    buyer_pay_fen: Fen | None = None
    buyer_logon_id: str = ""
    paid_at: str = ""

    @property
    def paid(self) -> bool:
        return self.status.paid

    @property
    def waiting_for_customer(self) -> bool:
        """The customer must still confirm in the app: poll, cancel if it stays so."""
        return self.status is TradeStatus.WAIT_BUYER_PAY


@dataclass(frozen=True)
class QrCode:
    out_trade_no: str
    qr_code: str


class CancelAction(StrEnum):
    CLOSED = "close"      # was unpaid, now closed: no money moved
    REFUNDED = "refund"   # was paid, the money went back in full
    NONE = ""             # no trade existed


@dataclass(frozen=True)
class CancelResult:
    out_trade_no: str
    action: CancelAction
    trade_no: str = ""


@dataclass(frozen=True)
class RefundResult:
    out_trade_no: str
    out_request_no: str
    refunded_total_fen: Fen
    money_moved: bool        # False on a repeat of an already-done refund
    trade_no: str = ""
    refunded_at: str = ""


@dataclass(frozen=True)
class RefundRecord:
    """A refund Alipay confirms (``refund_status=REFUND_SUCCESS``)."""

    out_trade_no: str
    out_request_no: str
    refund_fen: Fen
    total_fen: Fen | None = None
    trade_no: str = ""
    refunded_at: str = ""


class BillRowKind(StrEnum):
    TRADE = "交易"
    REFUND = "退款"


@dataclass(frozen=True)
class BillRow:
    trade_no: str
    out_trade_no: str
    kind: BillRowKind
    amount_fen: Fen            # 订单金额 (negative for refunds)
    received_fen: Fen          # 商家实收
    out_request_no: str = ""
    created: str = ""
    finished: str = ""
    store_id: str = ""
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Bill:
    bill_date: str
    rows: tuple[BillRow, ...]
    file_name: str = ""


@dataclass(frozen=True)
class Notification:
    """A verified asynchronous notification (``trade_status_sync``)."""

    notify_id: str
    app_id: str
    trade: Trade
    seller_id: str = ""
    fields: dict[str, str] = field(default_factory=dict)
