"""The till's service facade as the UI sees it (Qt-free).

Every ``pay_*``/``cancel`` call returns at once; the work runs on the payment lane
(one worker thread). Progress arrives as :class:`PaymentEvent` values through the
callbacks given to :meth:`Till.subscribe`, *from the lane thread*: the UI bridge
marshals them to the Qt main thread. An event is emitted only after the state it
reports has been committed to SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.text import Message

__all__ = ["PaymentEvent", "Till"]


@dataclass(frozen=True)
class PaymentEvent:
    order_id: int
    attempt_id: int
    method: PaymentMethod
    state: AttemptState
    amount: Fen
    out_trade_no: str = ""
    code_url: str = ""
    expires_at: datetime | None = None
    message: Message | None = None   # cashier-facing (rendered by the UI)
    transaction_id: str = ""
    change: Fen | None = None        # cash only
    recovered: bool = False          # emitted by start-up recovery
    paid_late: bool = False          # paid after the cashier cancelled: announce it
    payer_total: Fen | None = None   # what the customer paid (a coupon paid the rest)
    coupon: Fen = Fen(0)             # coupons / discounts applied by the channel
    channel: str = ""                # "wechat", "alipay" …, "cash"
    #: this PAID found the order already paid by another attempt (both QRs of a pair
    #: paid): the customer paid twice, a refund is owed — announce it, never silently
    double_paid: bool = False


class Till(Protocol):
    def subscribe(self, callback: Callable[[PaymentEvent], None]) -> None: ...

    def create_order(self, cart: Cart, *, cashier: str) -> int:
        """Persist the cart as an order (fast local write); returns order id."""

    def pay_native(self, order_id: int, channel: str = "wechat") -> int:
        """Start a Native (QR) payment attempt with ``channel``; returns attempt id."""

    def pay_native_pair(self, order_id: int) -> tuple[int, int]:
        """Both channels' QRs for one order (WeChat Pay and Alipay): the first paid wins,
        the other is closed; returns ``(wechat attempt, alipay attempt)``."""

    def pay_code(self, order_id: int, auth_code: str) -> int:
        """Charge a scanned payment code with its channel (WeChat / Alipay); returns attempt id."""

    def pay_cash(self, order_id: int, tendered: Fen) -> int:
        """Record a cash payment; raises ValueError if tendered < total."""

    def cancel(self, attempt_id: int) -> None:
        """Cashier cancel: close (Native) / reverse (code) — may end PAID if the customer won."""

    def recover(self) -> list[PaymentEvent]:
        """Resolve every unfinished attempt with WeChat Pay (blocking; run off the UI thread)."""
