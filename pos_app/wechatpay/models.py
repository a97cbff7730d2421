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
