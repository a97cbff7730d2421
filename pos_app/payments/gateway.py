"""The channel-neutral payment vocabulary: what a payment channel (WeChat Pay, later
Alipay …) can answer, and the :class:`PaymentChannel` protocol the workflow, refunds and
reconciliation speak. Each channel is one adapter under :mod:`pos_app.payments.channels`.

What an adapter must guarantee
==============================

1. **Nothing but this vocabulary leaves it.** No protocol error code, trade state,
   library exception or model type crosses the adapter boundary: every answer is one of
   the result types below. (An exception that escapes is a bug; callers treat it like
   :class:`Unknown`.) ``detail`` strings are for logs and ``last_error`` only — never
   shown as the text of a state, never containing a secret or an unmasked payment code.
2. **Unknown whenever the request may have had an effect.** A timeout, a connection
   dropped after sending, a 5xx, a "system busy", *any* response whose signature or
   shape fails verification (the server may well have acted), a "still processing":
   all are :class:`Unknown` (or :class:`Retry` for close/reverse). Callers then query
   with the *same* ``out_trade_no`` — never re-send under a new number.
3. **Refused only when provably nothing was charged** by this request: a verified,
   final business refusal (code expired, insufficient balance, a permission the
   merchant lacks, a number collision with another order …). A collision ("this
   number is already used/paid") is :attr:`RefusalReason.NUMBER_COLLISION`, never the
   other order's state: each number is sent exactly once, so an existing order with it
   is somebody else's. Local configuration errors found before sending are
   :attr:`RefusalReason.MERCHANT_CONFIG`. A refusal's ``detail`` (the channel's own
   words for :attr:`RefusalReason.OTHER` and config errors) may be shown to staff.
4. **NotFound only when the channel verifiably says it has no such order/refund.**
5. **Money is int fen** (``Fen``) in both directions; an amount the channel reports in
   another unit is converted exactly or the answer is :class:`Unknown`.
6. **Paid means money was taken** (a later refund does not undo it); ``total`` is the
   order amount the channel reports (``None`` if this answer did not carry it — the
   workflow then queries), ``payer_total`` what the customer paid after discounts.
7. A channel-internal fallback (e.g. WeChat APIv3 → APIv2 micropay) may happen only
   on a verified answer that the first route charged nothing; never after an unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from pos_app.domain.money import Fen


class RefusalReason(StrEnum):
    """Why a channel refused a payment — provably nothing was charged."""

    CODE_EXPIRED = "code_expired"              # payment code too old: refresh and rescan
    CODE_USED = "code_used"                    # code already used (each code pays once)
    CODE_INVALID = "code_invalid"              # not a valid code of this channel
    INSUFFICIENT_BALANCE = "insufficient_balance"
    CARD_NOT_SUPPORTED = "card_not_supported"
    PAYER_MISMATCH = "payer_mismatch"          # the payer is not the order's payer
    RISK_CONTROL = "risk_control"              # refused by risk control / no usable method
    RESTRICTED = "restricted"                  # limits / rules restrict this payment
    ACCOUNT_ABNORMAL = "account_abnormal"      # the customer's account is restricted
    MERCHANT_PERMISSION = "merchant_permission"  # merchant lacks this product/permission
    MERCHANT_CREDENTIALS = "merchant_credentials"  # our signature/certificate rejected
    MERCHANT_CONFIG = "merchant_config"        # ids do not match / local config invalid
    PARAMS = "params"                          # the request was invalid
    NUMBER_COLLISION = "number_collision"      # our out_trade_no already used elsewhere
    OTHER = "other"                            # anything else: see ``detail``


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Paid:
    """Money was taken for this order."""

    transaction_id: str = ""             # the channel's trade number
    out_trade_no: str = ""               # our number, as the channel echoes it
    total: Fen | None = None             # order amount as the channel reports it
    payer_total: Fen | None = None       # what the customer paid (total − discounts)
    discount_total: Fen = Fen(0)         # coupons / instant discounts applied
    merchant_discount: Fen = Fen(0)      # the part of the discount the shop funds: the
                                         # shop is settled ``total - merchant_discount``
    paid_at: datetime | None = None      # aware; None when not reported
    by_code: bool | None = None          # True: payment code, False: QR, None: unknown


@dataclass(frozen=True)
class AwaitingCustomer:
    """The customer must still act (e.g. enter a password). Query again."""


@dataclass(frozen=True)
class Open:
    """The order exists and is not paid (e.g. QR not yet scanned, accepted-not-debited)."""


@dataclass(frozen=True)
class PayFailed:
    """The channel says the customer's payment failed; cancel/reverse to make it final."""

    detail: str = ""


@dataclass(frozen=True)
class Refused:
    """Refused, provably nothing charged (see the module rules)."""

    reason: RefusalReason
    detail: str = ""


@dataclass(frozen=True)
class Unknown:
    """The outcome may have happened: query (same number) before anything else."""

    detail: str = ""


@dataclass(frozen=True)
class NotSent(Unknown):
    """The request provably never left the machine (the connection could not even be
    made: refused, no route, DNS, TLS handshake): this request charged nothing. A kind of
    :class:`Unknown`, so code that does not know it stays on the safe side; only a
    *first* send answered ``NotSent`` proves the order was never created."""


@dataclass(frozen=True)
class NotFound:
    """The channel verifiably has no such order / refund."""


@dataclass(frozen=True)
class Closed:
    """The order is closed (QR cancelled / expired): nothing can be paid any more."""


@dataclass(frozen=True)
class Reversed:
    """The order was reversed (撤销 / cancel): nothing charged, or the charge returned."""


@dataclass(frozen=True)
class QrIssued:
    code_url: str


@dataclass(frozen=True)
class AlreadyPaid:
    """Close refused because the order is paid (the customer won the race)."""


@dataclass(frozen=True)
class Retry:
    """Close/reverse not done yet and may work when sent again (same number)."""

    detail: str = ""
    error: bool = True                   # False: a normal "call again" answer


@dataclass(frozen=True)
class Rejected:
    """Close/reverse refused for good (sending again will not help)."""

    detail: str = ""


QrResult = QrIssued | Refused | Unknown
ChargeResult = Paid | AwaitingCustomer | Open | PayFailed | Refused | Unknown
TradeStatus = Paid | AwaitingCustomer | Open | PayFailed | Closed | Reversed | NotFound | Unknown
CloseResult = Closed | AlreadyPaid | Retry | Rejected | NotFound
ReverseResult = Reversed | AwaitingCustomer | Retry | Rejected | NotFound


# ----------------------------------------------------------------------------- refunds


class RefundProgress(StrEnum):
    PROCESSING = "processing"            # accepted, money on its way (balance: minutes)
    SUCCESS = "success"
    CLOSED = "closed"                    # closed by the channel, nothing refunded
    ABNORMAL = "abnormal"                # the customer's account cannot receive it


@dataclass(frozen=True)
class RefundSeen:
    """A refund the channel knows about."""

    out_refund_no: str
    progress: RefundProgress
    amount: Fen
    channel_refund_no: str = ""


class RefundRefusal(StrEnum):
    """Why a channel refused a refund (nothing refunded)."""

    BALANCE = "balance"                  # the merchant's balance cannot cover it: top up
    OTHER = "other"                      # see ``detail``


@dataclass(frozen=True)
class RefundRefused:
    """The refund was refused, provably nothing refunded."""

    detail: str
    reason: RefundRefusal = RefundRefusal.OTHER


@dataclass(frozen=True)
class RefundThrottled:
    """Not accepted *yet*: the channel asks to wait (too many requests, or partial refunds
    of one order too close together). Send the same refund number again after
    ``retry_after_s`` seconds (treated like an unknown outcome: query first)."""

    detail: str
    retry_after_s: float


RefundResult = RefundSeen | RefundRefused | RefundThrottled | Unknown
RefundQuery = RefundSeen | NotFound | Unknown


# ----------------------------------------------------------------------------- bills


@dataclass(frozen=True)
class BillRow:
    """One row of a channel's daily trade statement: a payment, a reversal, or a refund
    (``out_refund_no`` set). Times are as printed by the channel (shop local time)."""

    trade_time: str
    transaction_id: str                  # channel trade number
    out_trade_no: str
    order_amount: Fen                    # the order total
    settlement_total: Fen                # what the shop is settled for the order
    is_refund: bool = False              # a refund row (``out_refund_no`` names it)
    is_reversal: bool = False            # a payment-code order reversed after paying
    trade_type: str = ""                 # the channel's product name, informational
    out_refund_no: str = ""
    refund_id: str = ""
    requested_refund: Fen = Fen(0)       # refund amount asked for
    refund_amount: Fen = Fen(0)          # refund amount settled
    refund_progress: RefundProgress | None = None
    refund_status: str = ""              # as printed, for display only
    fee: str = ""                        # the channel's fee as printed (not fen)


@dataclass(frozen=True)
class BillSummary:
    trade_count: int
    settlement_total: Fen
    refund_total: Fen
    order_total: Fen | None = None
    requested_refund_total: Fen | None = None
    fee_total: str = ""


@dataclass(frozen=True)
class TradeBill:
    """A verified daily statement. ``rows == ()`` with ``summary is None`` when the
    channel says it has no statement for the day (no trades)."""

    rows: tuple[BillRow, ...]
    summary: BillSummary | None = None
    bill_date: date | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def payments(self) -> tuple[BillRow, ...]:
        return tuple(r for r in self.rows if not r.is_refund)

    @property
    def refunds(self) -> tuple[BillRow, ...]:
        return tuple(r for r in self.rows if r.is_refund)


class ChannelError(Exception):
    """A read-only request (bill download) could not be answered; ``detail`` says why
    (log text, not for customers). Payment calls never raise it: they return results."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BillUnreadable(ChannelError):
    """The statement was downloaded and verified but is not in the expected format."""


class BillNotReady(ChannelError):
    """The channel has no statement for the day *yet* (today, or before the channel has
    generated it): never "no trades" — ask again later."""


class BillType(StrEnum):
    ALL = "all"                          # payments, refunds and reversals
    SUCCESS = "success"                  # payments only
    REFUND = "refund"                    # refunds and reversals only


# ----------------------------------------------------------------------------- channel


class PaymentChannel(Protocol):
    """One payment channel. Every method blocks on the network (run on the lane)."""

    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> QrResult:
        """Create a QR order (idempotent for the same parameters)."""

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> ChargeResult:
        """Charge a customer's payment code. Sent exactly once per number."""

    def query(self, out_trade_no: str) -> TradeStatus:
        """The order's current state."""

    def close(self, out_trade_no: str) -> CloseResult:
        """Close an unpaid QR order (idempotent)."""

    def reverse(self, out_trade_no: str) -> ReverseResult:
        """Reverse (撤销) a payment-code order: undo it whatever its state."""

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> RefundResult: ...

    def query_refund(self, out_refund_no: str, *, out_trade_no: str = "") -> RefundQuery:
        """A refund's state; ``out_trade_no`` names its order (channels such as Alipay
        look refunds up per order; others ignore it)."""

    def trade_bill(self, bill_date: date, bill_type: BillType = BillType.ALL) -> TradeBill:
        """The day's verified statement; raises :class:`BillNotReady` for a day the channel
        has not settled yet, :class:`ChannelError` if unavailable."""


#: The name the rest of the app has used for the channel seam.
PaymentGateway = PaymentChannel
