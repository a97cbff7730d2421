"""Protocol-neutral WeChat Pay simulator state machine, persisted in SQLite.

One :class:`Engine` per process and state dir; every public method is thread-safe and
runs in one SQLite transaction, so several processes (``pos-app simulator`` restarts,
test workers) can share ``<state_dir>/simulator.sqlite3``. Time-driven transitions
(customer pays after N s, refund completes, ``time_expire``) are applied lazily when
an order is read, using the injectable ``clock`` (unix seconds), so tests need no sleeps.

Errors are raised as :class:`SimError` with a *neutral* code (v2-style spellings where
v2 and v3 differ: ``ORDERPAID``, ``ORDERCLOSED``, ``ORDERREVERSED``, ``NOTENOUGH``,
``SYSTEMERROR``, ``BANKERROR``; plus ``ORDER_NOT_EXIST``, ``RESOURCE_NOT_EXISTS``,
``INVALID_REQUEST``, ``PARAM_ERROR``, ``OUT_TRADE_NO_USED``, ``TRADE_ERROR``,
``NO_STATEMENT_EXIST``, ``USERPAYING``, ``REVERSE_EXPIRE``, ``AUTHCODEEXPIRE``,
``AUTH_CODE_INVALID``, ``NOTSUPORTCARD``, ``FREQUENCY_LIMITED``, ``STATEMENT_CREATING``). Each listener maps them to its protocol
(v3: ``v3_replies.V3_ERRORS``). Payment code and reverse return outcome objects instead of
raising for business results, so v3 (JSON) and v2 (XML) can render them alike.

Composed of one module per resource: :mod:`.store` (SQLite, settling, views),
:mod:`.orders` (Native + close lag), :mod:`.codepay` (payment code, reverse, the ¥1000
rule), :mod:`.refunds` (refund outcomes, spacing, rate, balance), :mod:`.bills` (bill
dates, ALL/SUCCESS/REFUND formats). How unkind it is: :mod:`.realism`.

Public API (used by ``server.py`` and ``v2.py``)::

    Engine(state_dir, *, clock=time.time, refund_delay_s=1.0, native_pay_after_s=None,
           realism=Realism())
    .realism / .set_realism(Realism(...))
    .create_native(mchid, appid, out_trade_no, description, total, *, time_expire=None,
                   attach="", notify_url="", fingerprint_extra=None, device_id="") -> code_url
    .pay(*, code_url=None, out_trade_no=None, mchid=None) -> OrderView      # the customer pays
    .set_native_behaviour(out_trade_no, *, pay_after_s=None, never=False, fail=False, coupon=None)
    .close(mchid, out_trade_no) -> None
    .query(mchid, *, out_trade_no=None, transaction_id=None) -> OrderView
    .codepay(mchid, appid, out_trade_no, description, total, auth_code, *, attach="",
             fingerprint_extra=None, device_id="", max_description_bytes=127) -> CodepayOutcome
    .reverse(mchid, out_trade_no=None, *, transaction_id=None) -> ReverseOutcome
    .set_refund_behaviour(out_trade_no, outcome, *, after_s=None)
    .refund(mchid, out_refund_no, refund, total, *, out_trade_no=None, transaction_id=None,
            reason="") -> RefundView
    .query_refund(mchid, out_refund_no) -> RefundView
    .trade_bill(mchid, bill_date, bill_type="ALL") -> bytes   # CSV, UTF-8 with BOM
    .orders(mchid=None) -> list[OrderView]
    .faults (Faults) / .inject(kind, **kw) / .reset_faults()
    .clear()  # forget all orders/refunds/used codes
"""

from __future__ import annotations

from pos_app.simulator.bills import Bills
from pos_app.simulator.codepay import PaymentCodes
from pos_app.simulator.orders import NativeOrders
from pos_app.simulator.records import (
    CST,
    ERROR_MESSAGES,
    STATE_DESC,
    CodepayOutcome,
    OrderView,
    RefundView,
    ReverseOutcome,
    SimError,
    fmt_rfc3339,
    fmt_v2_time,
)
from pos_app.simulator.refunds import Refunds

__all__ = [
    "CST",
    "ERROR_MESSAGES",
    "STATE_DESC",
    "CodepayOutcome",
    "Engine",
    "OrderView",
    "RefundView",
    "ReverseOutcome",
    "SimError",
    "fmt_rfc3339",
    "fmt_v2_time",
]


class Engine(NativeOrders, PaymentCodes, Refunds, Bills):
    """Thread-safe simulator state (see module docstring for the API)."""
