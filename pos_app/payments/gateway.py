"""What the payment workflow needs from WeChat Pay (implemented by the real client
composition in ``payments/wechat_gateway.py`` and usable with the simulator).

Error semantics (all from :mod:`pos_app.wechatpay.errors`): a call either returns a
verified result, or raises. ``exc.outcome_unknown`` True means the write may have
happened server-side: the workflow must *query*, never re-send with a new number.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from pos_app.domain.money import Fen
from pos_app.wechatpay.models import Refund, TradeBill, Transaction


class PaymentGateway(Protocol):
    def native_prepay(
        self, *, out_trade_no: str, description: str, total: Fen, time_expire: datetime
    ) -> str:
        """Create a Native order; returns ``code_url``."""

    def codepay(
        self, *, out_trade_no: str, description: str, total: Fen, auth_code: str
    ) -> Transaction:
        """Charge a payment code. USERPAYING/unknown come back as a Transaction whose
        trade_state is USERPAYING, or as an error with ``outcome_unknown``. Business
        refusals (AUTHCODEEXPIRE, NOTENOUGH, …) raise ApiError with outcome_unknown False."""

    def query(self, out_trade_no: str) -> Transaction | None:
        """Current state; ``None`` when WeChat Pay has no such order (ORDER_NOT_EXIST)."""

    def close(self, out_trade_no: str) -> None:
        """Close an unpaid Native order (idempotent). Raises ApiError ORDER_PAID if paid."""

    def reverse(self, out_trade_no: str) -> bool:
        """Reverse (撤销) a payment-code order. True = done; False = call again (recall=Y)."""

    def refund(
        self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen, reason: str
    ) -> Refund: ...

    def query_refund(self, out_refund_no: str) -> Refund | None: ...

    def trade_bill(self, bill_date: date) -> TradeBill: ...
