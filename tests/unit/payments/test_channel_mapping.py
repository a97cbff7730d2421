"""Every WeChat Pay answer the adapter translates, mapped to its neutral result, table by
table (issue 17): both spellings of a code (v3 ``USER_PAYING`` / v2 ``USERPAYING`` …) must
land on the same result, or a v2 answer would be treated as a different outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from pos_app.domain.money import Fen
from pos_app.payments.channels.wechat import REFUSALS, WechatChannel, paid_of, status_of
from pos_app.payments.gateway import (
    AlreadyPaid,
    AwaitingCustomer,
    BillNotReady,
    ChannelError,
    Closed,
    NotFound,
    Open,
    Paid,
    PayFailed,
    RefundProgress,
    RefundRefusal,
    RefundRefused,
    RefundSeen,
    RefusalReason,
    Refused,
    Rejected,
    Retry,
    Reversed,
    Unknown,
)
from pos_app.wechatpay.errors import (
    ApiError,
    BillNotAvailableError,
    ConfigError,
    NoStatementError,
    RequestTimeoutError,
)
from pos_app.wechatpay.models import Refund, RefundStatus, TradeBill, TradeState, Transaction

R = RefusalReason


@dataclass
class Stub:
    """An APIv3 client whose every call raises ``error`` or returns ``answer``."""

    error: Exception | None = None
    answer: object = None
    calls: list[str] = field(default_factory=list)

    def _go(self, name: str) -> object:
        self.calls.append(name)
        if self.error is not None:
            raise self.error
        return self.answer

    def codepay(self, **_kw: object) -> object:
        return self._go("codepay")

    def native_prepay(self, **_kw: object) -> object:
        return self._go("native_prepay")

    def query(self, _otn: str) -> object:
        return self._go("query")

    def close(self, _otn: str) -> object:
        return self._go("close")

    def reverse(self, _otn: str) -> object:
        return self._go("reverse")

    def refund(self, **_kw: object) -> object:
        return self._go("refund")

    def query_refund(self, _no: str) -> object:
        return self._go("query_refund")

    def trade_bill(self, _d: date, _bill_type: str = "ALL") -> object:
        return self._go("trade_bill")


def ch(error: Exception | None = None, answer: object = None) -> WechatChannel:
    return WechatChannel(Stub(error, answer), None)  # type: ignore[arg-type]


def charge(c: WechatChannel) -> object:
    return c.codepay(out_trade_no="P1", description="d", total=Fen(100),
                     auth_code="134567890123456789")


def txn(state: TradeState, **kw: object) -> Transaction:
    return Transaction("P1", state, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------- payment code


@pytest.mark.parametrize(("code", "reason"), sorted(REFUSALS.items()))
def test_every_refusal_code_maps_to_its_reason(code: str, reason: RefusalReason) -> None:
    result = charge(ch(ApiError(400, code, "msg")))
    assert isinstance(result, Refused) and result.reason is reason


def test_refusal_table_spellings() -> None:
    pairs = [("AUTHCODEEXPIRE", "AUTH_CODE_EXPIRE"), ("NOTENOUGH", "NOT_ENOUGH"),
             ("NOTSUPORTCARD", "NOT_SUPPORT_CARD"), ("NO_AUTH", "NOAUTH"),
             ("SIGN_ERROR", "SIGNERROR"), ("ORDERPAID", "ORDER_PAID"),
             ("ORDERCLOSED", "ORDER_CLOSED"), ("PAYER_ACCOUNT_ABNORMAL", "USER_ACCOUNT_ABNORMAL"),
             ("APPID_MCHID_NOT_MATCH", "MCH_NOT_EXISTS"), ("PARAM_ERROR", "INVALID_REQUEST"),
             ("OUT_TRADE_NO_USED", "ORDERREVERSED")]
    for a, b in pairs:
        assert REFUSALS[a] is REFUSALS[b]
    assert R.OTHER not in REFUSALS.values()
    other = charge(ch(ApiError(400, "SOMETHING_NEW", "新的错误")))
    assert other == Refused(R.OTHER, "新的错误")


@pytest.mark.parametrize("code", ["USERPAYING", "USER_PAYING"])
def test_codepay_user_paying_in_both_spellings_is_awaiting(code: str) -> None:
    assert charge(ch(ApiError(202, code, "需要用户输入支付密码"))) == AwaitingCustomer()


@pytest.mark.parametrize("error", [ApiError(500, "SYSTEM_ERROR", "x"),
                                   ApiError(429, "FREQUENCY_LIMITED", "x"),
                                   RequestTimeoutError("read timeout")])
def test_codepay_unknown_outcomes(error: Exception) -> None:
    assert isinstance(charge(ch(error)), Unknown)


def test_codepay_config_error_is_a_merchant_config_refusal() -> None:
    assert charge(ch(ConfigError("no key"))) == Refused(R.MERCHANT_CONFIG, "no key")


@pytest.mark.parametrize(("state", "kind"), [
    (TradeState.SUCCESS, Paid), (TradeState.USERPAYING, AwaitingCustomer),
    (TradeState.NOTPAY, Open), (TradeState.PAYERROR, PayFailed),
    (TradeState.CLOSED, Unknown), (TradeState.REVOKED, Unknown)])
def test_codepay_answer_states(state: TradeState, kind: type) -> None:
    assert isinstance(charge(ch(answer=txn(state, transaction_id="42", total=Fen(100)))), kind)


# --------------------------------------------------------------------- reverse / close


@pytest.mark.parametrize(("error", "answer", "expected"), [
    (None, True, Reversed()),
    (None, False, Retry("recall=Y", error=False)),
    (ApiError(404, "ORDER_NOT_EXIST", "x"), None, NotFound()),
    (ApiError(200, "ORDERNOTEXIST", "x"), None, NotFound()),
    (ApiError(404, "RESOURCE_NOT_EXISTS", "x"), None, NotFound()),
    (ApiError(400, "USERPAYING", "x"), None, AwaitingCustomer()),
    (ApiError(400, "USER_PAYING", "x"), None, AwaitingCustomer()),
    (ApiError(400, "REVERSE_EXPIRE", "x"), None, Rejected("400 REVERSE_EXPIRE: x")),
    (ApiError(500, "SYSTEM_ERROR", "x"), None, Retry("500 SYSTEM_ERROR: x")),
    (RequestTimeoutError("t"), None, Retry("RequestTimeoutError: t")),
])
def test_reverse_answers(error: Exception | None, answer: object, expected: object) -> None:
    assert ch(error, answer).reverse("P1") == expected


@pytest.mark.parametrize(("error", "expected"), [
    (None, Closed()),
    (ApiError(400, "ORDER_PAID", "x"), AlreadyPaid()),
    (ApiError(400, "ORDERPAID", "x"), AlreadyPaid()),
    (ApiError(400, "ORDER_CLOSED", "x"), Closed()),
    (ApiError(400, "ORDERCLOSED", "x"), Closed()),
    (ApiError(404, "ORDER_NOT_EXIST", "x"), NotFound()),
    (ApiError(500, "SYSTEM_ERROR", "x"), Retry("500 SYSTEM_ERROR: x")),
    (ApiError(400, "PARAM_ERROR", "x"), Rejected("400 PARAM_ERROR: x")),
    (RequestTimeoutError("t"), Retry("RequestTimeoutError: t")),
])
def test_close_answers(error: Exception | None, expected: object) -> None:
    assert ch(error).close("P1") == expected


# --------------------------------------------------------------------- query / prepay


@pytest.mark.parametrize(("state", "expected"), [
    (TradeState.USERPAYING, AwaitingCustomer()), (TradeState.NOTPAY, Open()),
    (TradeState.PAYERROR, PayFailed("余额不足")), (TradeState.CLOSED, Closed()),
    (TradeState.REVOKED, Reversed())])
def test_query_states(state: TradeState, expected: object) -> None:
    assert ch(answer=txn(state, trade_state_desc="余额不足")).query("P1") == expected


def test_query_paid_not_found_and_failure() -> None:
    paid = ch(answer=txn(TradeState.SUCCESS, transaction_id="4200", total=Fen(1000),
                         payer_total=Fen(900), trade_type="MICROPAY",
                         success_time="2026-11-22T10:00:05+08:00")).query("P1")
    assert paid == Paid(transaction_id="4200", out_trade_no="P1", total=Fen(1000),
                        payer_total=Fen(900), discount_total=Fen(100),
                        paid_at=datetime(2026, 11, 22, 2, 0, 5, tzinfo=UTC), by_code=True)
    assert ch(answer=None).query("P1") == NotFound()
    assert isinstance(ch(RequestTimeoutError("t")).query("P1"), Unknown)


def test_paid_of_edge_cases() -> None:
    p = paid_of(txn(TradeState.SUCCESS, total=Fen(1000), trade_type="NATIVE",
                    success_time="not a time"))
    assert p.discount_total == 0 and p.paid_at is None and p.by_code is False
    assert paid_of(txn(TradeState.SUCCESS, success_time="2026-11-22T10:00:05")).paid_at is None
    assert paid_of(txn(TradeState.SUCCESS)).by_code is None
    same = paid_of(txn(TradeState.SUCCESS, total=Fen(1000), payer_total=Fen(1000)))
    assert same.discount_total == 0
    odd = paid_of(txn(TradeState.SUCCESS, total=Fen(1000), payer_total=Fen(1001)))
    assert odd.discount_total == 0
    assert isinstance(status_of(txn(TradeState.REFUND)), Paid)


def test_prepay_answers() -> None:
    c = ch(answer="weixin://wxpay/bizpayurl?pr=abc")
    qr = c.native_prepay(out_trade_no="P1", description="d", total=Fen(1),
                         time_expire=datetime(2026, 1, 1, tzinfo=UTC))
    assert getattr(qr, "code_url", None) == "weixin://wxpay/bizpayurl?pr=abc"
    for error, kind in ((ApiError(500, "SYSTEM_ERROR", "x"), Unknown),
                        (ApiError(400, "PARAM_ERROR", "x"), Refused),
                        (ConfigError("x"), Refused), (RequestTimeoutError("t"), Unknown)):
        assert isinstance(ch(error).native_prepay(
            out_trade_no="P1", description="d", total=Fen(1),
            time_expire=datetime(2026, 1, 1, tzinfo=UTC)), kind)


# --------------------------------------------------------------------- refunds / bill


@pytest.mark.parametrize(("status", "progress"), [
    (RefundStatus.SUCCESS, RefundProgress.SUCCESS),
    (RefundStatus.PROCESSING, RefundProgress.PROCESSING),
    (RefundStatus.CLOSED, RefundProgress.CLOSED),
    (RefundStatus.ABNORMAL, RefundProgress.ABNORMAL)])
def test_refund_answers(status: RefundStatus, progress: RefundProgress) -> None:
    remote = Refund("RF1", status, Fen(300), Fen(1000), refund_id="5001")
    seen = RefundSeen("RF1", progress, Fen(300), "5001")
    kw = dict(out_refund_no="RF1", out_trade_no="P1", refund=Fen(300), total=Fen(1000),
              reason="r")
    assert ch(answer=remote).refund(**kw) == seen  # type: ignore[arg-type]
    assert ch(answer=remote).query_refund("RF1") == seen


def test_refund_failures() -> None:
    kw = dict(out_refund_no="RF1", out_trade_no="P1", refund=Fen(300), total=Fen(1000),
              reason="r")
    refused = ch(ApiError(400, "NOT_ENOUGH", "余额不足")).refund(**kw)  # type: ignore[arg-type]
    assert refused == RefundRefused("NOT_ENOUGH 余额不足", RefundRefusal.BALANCE)
    other = ch(ApiError(400, "PARAM_ERROR", "参数错误")).refund(**kw)  # type: ignore[arg-type]
    assert other == RefundRefused("PARAM_ERROR 参数错误")
    assert isinstance(ch(ApiError(500, "SYSTEM_ERROR", "x")).refund(**kw),  # type: ignore[arg-type]
                      Unknown)
    assert isinstance(ch(RequestTimeoutError("t")).refund(**kw), Unknown)  # type: ignore[arg-type]
    assert ch(answer=None).query_refund("RF1") == NotFound()
    assert isinstance(ch(RequestTimeoutError("t")).query_refund("RF1"), Unknown)


def test_trade_bill_answers() -> None:
    day = date(2026, 11, 22)
    empty = ch(NoStatementError(400, "NO_STATEMENT_EXIST", "x")).trade_bill(day)  # settled day
    assert (empty.rows, empty.summary, empty.bill_date) == ((), None, day)
    with pytest.raises(BillNotReady):
        ch(BillNotAvailableError("not yet", wechat_code="STATEMENT_CREATING")).trade_bill(day)
    for error in (ApiError(400, "BILL_NOT_EXIST", "x"), ApiError(400, "NO_STATEMENT_EXIST", "x"),
                  RequestTimeoutError("t")):
        with pytest.raises(ChannelError):
            ch(error).trade_bill(day)
    text = ("交易时间,微信订单号,商户订单号,交易状态,订单金额,商户退款单号,退款金额\n"
            "`2026-11-22 10:00:00,`42,`T1,`SUCCESS,`1.50,`0,`0.00\n")
    bill = ch(answer=TradeBill("2026-11-22", text, "SHA1", "")).trade_bill(day)
    assert [(r.out_trade_no, r.order_amount) for r in bill.rows] == [("T1", 150)]
    assert bill.bill_date == day


def test_v3_unavailable_is_a_strict_bool() -> None:
    from pos_app.payments.channels.wechat import v3_unavailable

    assert v3_unavailable(ApiError(500, "SYSTEM_ERROR", "x")) is False
    assert v3_unavailable(ApiError(403, "NO_AUTH", "x")) is True
    assert v3_unavailable(ApiError(404, "ORDER_NOT_EXIST", "x")) is False
    assert v3_unavailable(ApiError(404, "SOMETHING", "x")) is True
    assert v3_unavailable(ApiError(400, "INVALID_REQUEST", "x")) is False
