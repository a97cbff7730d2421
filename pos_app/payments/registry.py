"""The till's payment channels by name (``"wechat"``, ``"alipay"`` …).

Every attempt and refund records the channel it went through; whatever follows it up
(the workflow, recovery, refunds, reconciliation) asks the registry for that channel.
A channel that is not configured (any more) answers :class:`Unknown` to everything, so
its unfinished attempts stay ``uncertain`` and nothing is ever guessed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime

from pos_app.domain.money import Fen
from pos_app.domain.payment import WECHAT
from pos_app.domain.scan import ScanKind
from pos_app.payments.gateway import (
    BillType,
    ChannelError,
    ChargeResult,
    CloseResult,
    PaymentChannel,
    QrResult,
    RefundQuery,
    RefundResult,
    Retry,
    ReverseResult,
    TradeBill,
    TradeStatus,
    Unknown,
)

#: Which channel a scanned payment code belongs to (:func:`pos_app.domain.scan.classify`).
CHANNEL_OF_SCAN: dict[ScanKind, str] = {
    ScanKind.WECHAT_CODE: WECHAT,
    ScanKind.ALIPAY_CODE: "alipay",
}


class UnavailableChannel:
    """Stands in for a channel that is not configured: every answer is "unknown"."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._why = f"payment channel {name!r} is not configured"

    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> QrResult:
        return Unknown(self._why)

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> ChargeResult:
        return Unknown(self._why)

    def query(self, out_trade_no: str) -> TradeStatus:
        return Unknown(self._why)

    def close(self, out_trade_no: str) -> CloseResult:
        return Retry(self._why)

    def reverse(self, out_trade_no: str) -> ReverseResult:
        return Retry(self._why)

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> RefundResult:
        return Unknown(self._why)

    def query_refund(self, out_refund_no: str, *, out_trade_no: str = "") -> RefundQuery:
        return Unknown(self._why)

    def trade_bill(self, bill_date: date, bill_type: BillType = BillType.ALL) -> TradeBill:
        raise ChannelError(self._why)


class ChannelRegistry(Mapping[str, PaymentChannel]):
    """The enabled channels, by name, in the order given."""

    def __init__(self, channels: Mapping[str, PaymentChannel]) -> None:
        self._channels = dict(channels)

    @classmethod
    def of(cls, channels: PaymentChannel | Mapping[str, PaymentChannel] | None
           ) -> ChannelRegistry:
        """A registry from a mapping, or from one channel (WeChat Pay, the old default)."""
        if channels is None:
            return cls({})
        if isinstance(channels, ChannelRegistry):
            return channels
        if isinstance(channels, Mapping):
            return cls(channels)
        return cls({WECHAT: channels})

    def __getitem__(self, name: str) -> PaymentChannel:
        return self._channels[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._channels)

    def __len__(self) -> int:
        return len(self._channels)

    def channel(self, name: str) -> PaymentChannel:
        """The channel ``name``, or an :class:`UnavailableChannel` if not enabled."""
        found = self._channels.get(name)
        return UnavailableChannel(name) if found is None else found
