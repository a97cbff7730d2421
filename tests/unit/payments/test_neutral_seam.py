"""The payment workflow is channel-neutral: it knows no WeChat code, and a channel that is
not WeChat (a scripted one here) drives it through the same vocabulary."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState as S
from pos_app.payments.channels.wechat import REFUSALS, WechatChannel
from pos_app.payments.gateway import (
    AwaitingCustomer,
    ChargeResult,
    Closed,
    CloseResult,
    NotFound,
    Paid,
    QrIssued,
    QrResult,
    RefundQuery,
    RefundResult,
    RefundThrottled,
    RefusalReason,
    Refused,
    Retry,
    Reversed,
    ReverseResult,
    TradeBill,
    TradeStatus,
    Unknown,
)
from pos_app.payments.messages import PaymentText, from_stored
from pos_app.payments.till import TillService
from pos_app.wechatpay.errors import (
    ApiError,
    MalformedResponseError,
    RequestTimeoutError,
    SignatureError,
)
from tests.unit.payments.conftest import Harness

ROOT = Path(__file__).resolve().parents[3] / "pos_app"
NEUTRAL = [ROOT / "payments" / name for name in (
    "workflow.py", "till.py", "gateway.py", "messages.py", "api.py",
    "policy.py", "lanes.py")] + [ROOT / "manager" / "refunds.py", ROOT / "manager" / "reconcile.py"]
_CODES = {"USERPAYING", "USER_PAYING", "ORDERPAID", "ORDER_PAID", "ORDER_NOT_EXIST",
          "NOTENOUGH", "NOT_ENOUGH", "SYSTEMERROR", "SYSTEM_ERROR", "NO_AUTH",
          "NO_STATEMENT_EXIST", "REVOKED", "NOTPAY", "PAYERROR", "AUTHCODEEXPIRE",
          "RESOURCE_NOT_EXISTS", "MICROPAY", *REFUSALS}


@pytest.mark.parametrize("path", NEUTRAL, ids=lambda p: p.name)
def test_neutral_modules_know_no_wechat_code_or_type(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith(("pos_app.wechatpay",
                                                       "pos_app.payments.channels")), \
                f"{path.name} imports {node.module}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words = set(re.findall(r"[A-Z_]{5,}", node.value))
            assert not words & _CODES, f"{path.name}: {node.value!r}"


# ----------------------------------------------------------------------------- a channel
# that is not WeChat: scripted answers in the neutral vocabulary only


@dataclass
class ScriptedChannel:
    charge: list[ChargeResult] = field(default_factory=list)
    status: list[TradeStatus] = field(default_factory=list)
    reverses: list[ReverseResult] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def native_prepay(self, *, out_trade_no: str, description: str, total: Fen,
                      time_expire: datetime) -> QrResult:
        self.calls.append("native_prepay")
        return QrIssued("alipays://qr/1")

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> ChargeResult:
        self.calls.append("codepay")
        return self.charge.pop(0)

    def query(self, out_trade_no: str) -> TradeStatus:
        self.calls.append("query")
        return self.status.pop(0) if self.status else Unknown("script exhausted")

    def close(self, out_trade_no: str) -> CloseResult:
        self.calls.append("close")
        return Closed()

    def reverse(self, out_trade_no: str) -> ReverseResult:
        self.calls.append("reverse")
        return self.reverses.pop(0) if self.reverses else Reversed()

    def refund(self, *, out_refund_no: str, out_trade_no: str, refund: Fen, total: Fen,
               reason: str) -> RefundResult:
        raise NotImplementedError

    def query_refund(self, out_refund_no: str) -> RefundQuery:
        raise NotImplementedError

    def trade_bill(self, bill_date: date) -> TradeBill:
        raise NotImplementedError


def _run(tmp_path: Path, channel: ScriptedChannel, act: Callable[[TillService, int], int]
         ) -> tuple[Harness, int]:
    h = Harness(tmp_path)
    h.till = TillService(h.db, channel, clock=h.clock, waiter=h.waiter)
    h.till.subscribe(h._on_event)
    h.till.recover()
    aid = act(h.till, h.order())
    h.run()
    return h, aid


CODE = "134567890123456789"


def test_refused_by_another_channel_is_failed_with_its_reason(tmp_path: Path) -> None:
    ch = ScriptedChannel(charge=[Refused(RefusalReason.INSUFFICIENT_BALANCE, "no money")])
    h, aid = _run(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED
    m = from_stored(a.message)
    assert m is not None and m.key == PaymentText.REFUSED_INSUFFICIENT_BALANCE
    assert ch.calls == ["codepay"]
    h.till.shutdown()


def test_unknown_from_another_channel_is_queried_never_resent(tmp_path: Path) -> None:
    ch = ScriptedChannel(charge=[Unknown("timeout")],
                         status=[AwaitingCustomer(), Paid("T1", total=Fen(300))])
    h, aid = _run(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID and a.transaction_id == "T1"
    assert ch.calls.count("codepay") == 1 and "reverse" not in ch.calls
    assert h.states(aid) == ["created", "created", "awaiting", "paid"]  # 2nd: "checking"
    h.till.shutdown()


def test_reverse_retry_then_done_on_another_channel(tmp_path: Path) -> None:
    ch = ScriptedChannel(charge=[AwaitingCustomer()], status=[NotFound()] * 100,
                         reverses=[Retry("busy"), Retry("call again", error=False)])
    h, aid = _run(tmp_path, ch, lambda t, o: t.pay_code(o, CODE))
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.REVERSED
    assert ch.calls.count("reverse") == 3
    h.till.shutdown()


# ----------------------------------------------------------------------------- the WeChat
# adapter keeps to the contract: unknown whenever the request may have had an effect


class _Raising:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def __getattr__(self, name: str) -> Callable[..., object]:
        def call(*args: object, **kw: object) -> object:
            raise self.exc
        return call


@pytest.mark.parametrize("exc", [RequestTimeoutError("read"), SignatureError("bad"),
                                 MalformedResponseError("?"), ApiError(500, "SYSTEM_ERROR", "x"),
                                 ApiError(429, "FREQUENCY_LIMITED", "x")])
def test_adapter_maps_every_possible_effect_to_unknown_or_retry(exc: Exception) -> None:
    ch = WechatChannel(_Raising(exc), None)  # type: ignore[arg-type]
    assert isinstance(ch.codepay(out_trade_no="P1", description="d", total=Fen(1),
                                 auth_code=CODE), Unknown)
    assert isinstance(ch.native_prepay(out_trade_no="P1", description="d", total=Fen(1),
                                       time_expire=datetime(2026, 1, 1)), Unknown)
    assert isinstance(ch.query("P1"), Unknown)
    assert isinstance(ch.close("P1"), Retry)
    assert isinstance(ch.reverse("P1"), Retry)
    refunded = ch.refund(out_refund_no="R1", out_trade_no="P1", refund=Fen(1), total=Fen(1),
                         reason="")   # throttled: pending like an unknown, re-sent later
    assert isinstance(refunded, Unknown | RefundThrottled)
    assert isinstance(ch.query_refund("R1"), Unknown)


def test_every_refusal_reason_has_a_message() -> None:
    from pos_app.payments.messages import refused
    for reason in RefusalReason:
        assert refused(reason, "d").key.value == f"payment.refused.{reason.value}"
