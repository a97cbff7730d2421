"""An in-memory WeChat Pay APIv3 client double for workflow tests, driven by a ManualClock
(the workflow sees it through the real WeChat adapter, `WechatChannel`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from pos_app.domain.money import Fen
from pos_app.wechatpay.errors import ApiError, TransportError
from pos_app.wechatpay.models import Refund, TradeBill, TradeState, Transaction
from tests.helpers.clock import ManualClock


@dataclass
class FakeOrder:
    kind: str
    total: int
    state: TradeState
    created: datetime
    pay_at: datetime | None = None          # USERPAYING/NOTPAY becomes SUCCESS then
    fail_at: datetime | None = None         # … or PAYERROR then
    transaction_id: str = ""
    expires: datetime | None = None         # Native time_expire: no payment from then on


@dataclass
class FakeGateway:
    clock: ManualClock
    orders: dict[str, FakeOrder] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    # per-operation queues: an entry is an exception raised *before* acting, or
    # ("after", exc) to act and then lose the answer.
    faults: dict[str, list[object]] = field(default_factory=lambda: defaultdict(list))
    codepay_plan: dict[str, object] = field(default_factory=dict)  # auth_code → behaviour
    reverse_recalls: int = 0              # reverse answers recall=Y this many times
    reverse_refused_while_paying: bool = True
    # WeChat: a close within 5 minutes of creation may fail or not take effect. During
    # ``close_lag_s`` after creation a close answers per ``close_lag``: "ignored" (204
    # but the order stays payable), "not_exist" (ORDER_NOT_EXIST), "system_error".
    close_lag: str = ""
    close_lag_s: float = 300.0
    seq: int = 0

    # -- helpers for tests
    def pay(self, out_trade_no: str) -> None:
        o = self.orders[out_trade_no]
        o.state = TradeState.SUCCESS
        self.seq += 1
        o.transaction_id = f"42000{self.seq:010d}"

    def _tick(self, o: FakeOrder) -> None:
        now = self.clock.now()
        if o.state in (TradeState.USERPAYING, TradeState.NOTPAY):
            if o.pay_at is not None and o.expires is not None and o.pay_at >= o.expires:
                o.pay_at = None                 # too late: the customer cannot pay any more
            if o.pay_at is not None and now >= o.pay_at:
                o.state = TradeState.SUCCESS
                self.seq += 1
                o.transaction_id = f"42000{self.seq:010d}"
            elif o.fail_at is not None and now >= o.fail_at:
                o.state = TradeState.PAYERROR

    def _fault(self, op: str) -> object:
        q = self.faults.get(op)
        if q:
            f = q.pop(0)
            if isinstance(f, BaseException):
                raise f
            return f
        return None

    def _txn(self, otn: str) -> Transaction:
        o = self.orders[otn]
        return Transaction(out_trade_no=otn, trade_state=o.state,
                           transaction_id=o.transaction_id, total=Fen(o.total))

    def count(self, op: str) -> int:
        return sum(1 for c in self.calls if c[0] == op)

    # -- PaymentGateway
    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> str:
        self.calls.append(("native_prepay", out_trade_no))
        after = self._fault("native_prepay")
        self.orders.setdefault(out_trade_no, FakeOrder("native", total, TradeState.NOTPAY,
                                                       self.clock.now(), expires=time_expire))
        if isinstance(after, tuple):
            raise after[1]
        return f"weixin://wxpay/bizpayurl?pr={out_trade_no[-9:]}"

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> Transaction:
        self.calls.append(("codepay", out_trade_no))
        after = self._fault("codepay")
        plan = self.codepay_plan.get(auth_code, "success")
        now = self.clock.now()
        if isinstance(plan, ApiError):
            if plan.code in ("NOTENOUGH", "TRADE_ERROR"):
                self.orders[out_trade_no] = FakeOrder("codepay", total, TradeState.PAYERROR, now)
            raise plan
        o = FakeOrder("codepay", total, TradeState.USERPAYING, now)
        self.orders[out_trade_no] = o
        if plan == "success":
            self.pay(out_trade_no)
        elif isinstance(plan, tuple) and plan[0] == "pay_after":
            from datetime import timedelta
            o.pay_at = now + timedelta(seconds=float(plan[1]))  # type: ignore[arg-type]
        elif isinstance(plan, tuple) and plan[0] == "fail_after":
            from datetime import timedelta
            o.fail_at = now + timedelta(seconds=float(plan[1]))  # type: ignore[arg-type]
        elif plan == "systemerror_charged":
            self.pay(out_trade_no)
            raise ApiError(200, "SYSTEMERROR", "系统超时")
        elif plan == "forever":
            pass
        if isinstance(after, tuple):
            raise after[1]
        return self._txn(out_trade_no)

    def query(self, out_trade_no: str) -> Transaction | None:
        self.calls.append(("query", out_trade_no))
        self._fault("query")
        o = self.orders.get(out_trade_no)
        if o is None:
            return None
        self._tick(o)
        return self._txn(out_trade_no)

    def close(self, out_trade_no: str) -> None:
        self.calls.append(("close", out_trade_no))
        after = self._fault("close")
        o = self.orders.get(out_trade_no)
        if o is None:
            raise ApiError(404, "ORDER_NOT_EXIST", "订单不存在")
        self._tick(o)
        if o.state.paid:
            raise ApiError(400, "ORDER_PAID", "订单已支付")
        if self.close_lag and (self.clock.now() - o.created).total_seconds() < self.close_lag_s:
            if self.close_lag == "not_exist":
                raise ApiError(404, "ORDER_NOT_EXIST", "订单不存在")
            if self.close_lag == "system_error":
                raise ApiError(500, "SYSTEM_ERROR", "系统繁忙")
            return  # "ignored": 204, but the order is still NOTPAY
        o.state = TradeState.CLOSED
        if isinstance(after, tuple):
            raise after[1]

    def reverse(self, out_trade_no: str) -> bool:
        self.calls.append(("reverse", out_trade_no))
        self._fault("reverse")
        o = self.orders.get(out_trade_no)
        if o is None:
            raise ApiError(404, "ORDER_NOT_EXIST", "订单不存在")
        self._tick(o)
        if (self.reverse_refused_while_paying and o.state == TradeState.USERPAYING
                and o.pay_at is not None):
            raise ApiError(400, "USERPAYING", "正在支付中不能发起撤销")
        if self.reverse_recalls > 0:
            self.reverse_recalls -= 1
            return False
        o.state = TradeState.REVOKED
        return True

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> Refund:
        raise NotImplementedError

    def query_refund(self, out_refund_no: str) -> Refund | None:
        raise NotImplementedError

    def trade_bill(self, bill_date: date) -> TradeBill:
        raise NotImplementedError


def down() -> TransportError:
    return TransportError("connection refused")
