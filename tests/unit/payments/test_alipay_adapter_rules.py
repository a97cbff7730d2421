"""The Alipay adapter's translation rules, one by one, against a scripted client (no
network): what each SDK answer or error becomes in the neutral vocabulary. The rule that
matters everywhere: an answer that may have had an effect is Unknown/Retry, never a
refusal; a refusal only when Alipay said so (issue 17: the adapter's mutants)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from pos_app.alipay import BillRow as AlipayBillRow
from pos_app.alipay import (
    CancelAction,
    ConfigError,
    GatewayError,
    MalformedResponseError,
    Trade,
)
from pos_app.alipay.errors import TransportError
from pos_app.alipay.models import (
    Bill,
    BillRowKind,
    CancelResult,
    QrCode,
    RefundRecord,
    RefundResult,
    TradeStatus,
)
from pos_app.domain.money import Fen
from pos_app.payments.channels.alipay import (
    QR_MARGIN_S,
    AlipayChannel,
    bill_row,
    paid_of,
    qr_minutes,
)
from pos_app.payments.gateway import (
    AlreadyPaid,
    AwaitingCustomer,
    BillNotReady,
    BillType,
    BillUnreadable,
    ChannelError,
    Closed,
    NotFound,
    Paid,
    QrIssued,
    RefundProgress,
    RefundRefused,
    RefundSeen,
    RefusalReason,
    Refused,
    Rejected,
    Retry,
    Reversed,
    Unknown,
)

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
CODE = "281234567890123456"


def refused(sub_code: str, sub_msg: str = "refused here") -> GatewayError:
    return GatewayError("alipay.trade.pay", "40004", "Business Failed", sub_code, sub_msg)


def unknown() -> GatewayError:
    return GatewayError("alipay.trade.pay", "20000", "Service Currently Unavailable",
                        "aop.unknow-error", "系统繁忙")


class Script:
    """The AlipayClient methods the adapter calls: each answers (or raises) its script."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _answer(self, name: str, kwargs: dict[str, Any]) -> Any:
        self.calls.append((name, kwargs))
        a = self.answers[name]
        if isinstance(a, list):          # one answer per call
            a = a.pop(0)
        if isinstance(a, BaseException):
            raise a
        return a

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self.answers:
            raise AttributeError(name)
        return lambda *args, **kwargs: self._answer(name, {"args": args, **kwargs})


def channel(**answers: Any) -> tuple[AlipayChannel, Script]:
    script = Script(**answers)
    return AlipayChannel(script, now=lambda: NOW), script  # type: ignore[arg-type]


def paid_trade(total: int = 1000, payer: int | None = 1000, at: str = "2026-12-02 10:00:05"
               ) -> Trade:
    return Trade(out_trade_no="N1", status=TradeStatus.TRADE_SUCCESS, trade_no="2026T1",
                 total_fen=Fen(total), buyer_pay_fen=None if payer is None else Fen(payer),
                 paid_at=at)


# ---------------------------------------------------------------- paid, discounts, time

def test_paid_of_reports_the_customers_part_and_the_discount() -> None:
    p = paid_of(paid_trade(1000, 850))
    assert (p.transaction_id, p.out_trade_no, p.total, p.payer_total, p.discount_total) == (
        "2026T1", "N1", 1000, 850, 150)
    assert p.paid_at == datetime(2026, 12, 2, 2, 0, 5, tzinfo=UTC)      # Beijing 10:00:05
    assert paid_of(paid_trade(1000, 1000)).discount_total == 0
    assert paid_of(paid_trade(1000, None)).discount_total == 0          # not reported
    assert paid_of(paid_trade(1000, 1200)).discount_total == 0          # nonsense: no discount
    assert paid_of(paid_trade(at="")).paid_at is None
    assert paid_of(paid_trade(at="2026-12-02T10:00:05")).paid_at is None


@pytest.mark.parametrize(("seconds", "minutes"), [
    (61 + QR_MARGIN_S, 1), (60 + QR_MARGIN_S, 1), (60 + QR_MARGIN_S - 0.01, 0),
    (119 + QR_MARGIN_S, 1), (120 + QR_MARGIN_S, 2), (0, 0), (-30, 0),
    (120 * 60 + QR_MARGIN_S, 120), (500 * 60, 120)])
def test_qr_minutes_round_down_and_cap(seconds: float, minutes: int) -> None:
    assert qr_minutes(NOW + timedelta(seconds=seconds), NOW) == minutes


# ---------------------------------------------------------------- QR

def test_a_qr_with_less_than_a_minute_left_is_refused_unsent() -> None:
    ch, script = channel(precreate=QrCode("N1", "https://qr.alipay.com/bax1"))
    r = ch.native_prepay(out_trade_no="N1", description="x", total=Fen(100),
                         time_expire=NOW + timedelta(seconds=60))
    assert isinstance(r, Refused) and r.reason is RefusalReason.PARAMS
    assert script.calls == []


def test_a_qr_is_issued_for_the_whole_minutes_left() -> None:
    ch, script = channel(precreate=QrCode("N1", "https://qr.alipay.com/bax1"))
    r = ch.native_prepay(out_trade_no="N1", description="两件", total=Fen(1234),
                         time_expire=NOW + timedelta(minutes=5))
    assert r == QrIssued("https://qr.alipay.com/bax1")
    [(name, kw)] = script.calls
    assert (name, kw["out_trade_no"], kw["total_fen"], kw["subject"], kw["qr_timeout_minutes"]
            ) == ("precreate", "N1", 1234, "两件", 4)


@pytest.mark.parametrize(("error", "expected"), [
    (ConfigError("app_private_key_path unreadable"), Refused),
    (unknown(), Unknown),
    (refused("ACQ.CONTEXT_INCONSISTENT"), Refused),
    (TransportError("connect timeout"), Unknown),
    (MalformedResponseError("no precreate_response"), Unknown),
    (ValueError("subject too long"), Refused)])
def test_qr_errors(error: Exception, expected: type) -> None:
    ch, _ = channel(precreate=error)
    r = ch.native_prepay(out_trade_no="N1", description="x", total=Fen(100),
                         time_expire=NOW + timedelta(minutes=5))
    assert isinstance(r, expected)
    if isinstance(error, ConfigError):
        assert r.reason is RefusalReason.MERCHANT_CONFIG  # type: ignore[union-attr]
    if isinstance(error, GatewayError) and not error.outcome_unknown:
        assert r.reason is RefusalReason.NUMBER_COLLISION  # type: ignore[union-attr]
    if isinstance(error, ValueError):
        assert r == Refused(RefusalReason.PARAMS, "subject too long")


# ---------------------------------------------------------------- payment code

def test_a_code_paid_at_once_or_waiting() -> None:
    ch, script = channel(pay=[paid_trade(1000, 900),
                              Trade("N2", TradeStatus.WAIT_BUYER_PAY)])
    r = ch.codepay(out_trade_no="N1", description="x", total=Fen(1000), auth_code=CODE)
    assert isinstance(r, Paid) and r.discount_total == 100
    assert script.calls[0][1]["auth_code"] == CODE and script.calls[0][1]["total_fen"] == 1000
    assert isinstance(ch.codepay(out_trade_no="N2", description="x", total=Fen(1),
                                 auth_code=CODE), AwaitingCustomer)


@pytest.mark.parametrize(("error", "reason"), [
    (refused("ACQ.PAYMENT_AUTH_CODE_INVALID"), RefusalReason.CODE_INVALID),
    (refused("ACQ.BUYER_BALANCE_NOT_ENOUGH"), RefusalReason.INSUFFICIENT_BALANCE),
    (refused("ACQ.TRADE_HAS_CLOSE"), RefusalReason.NUMBER_COLLISION),
    (refused("ACQ.INVALID_PARAMETER"), RefusalReason.PARAMS),
    (ConfigError("bad key"), RefusalReason.MERCHANT_CONFIG),
    (ValueError(f"auth_code {CODE} must be 1–64 ASCII letters/digits"), RefusalReason.PARAMS)])
def test_a_code_refused_with_its_reason(error: Exception, reason: RefusalReason) -> None:
    ch, _ = channel(pay=error)
    r = ch.codepay(out_trade_no="N1", description="x", total=Fen(100), auth_code=CODE)
    assert isinstance(r, Refused) and r.reason is reason
    assert CODE not in r.detail                        # the customer's code never kept


def test_an_other_refusal_keeps_alipays_words_and_the_rest_say_what_happened() -> None:
    ch, _ = channel(pay=[refused("ACQ.PAYMENT_FAIL", "支付失败"), refused("ACQ.PAYMENT_FAIL", "")])
    r = ch.codepay(out_trade_no="N1", description="x", total=Fen(100), auth_code=CODE)
    assert r == Refused(RefusalReason.OTHER, "支付失败")
    r = ch.codepay(out_trade_no="N1", description="x", total=Fen(100), auth_code=CODE)
    assert r == Refused(RefusalReason.OTHER, "Business Failed")      # no sub_msg: the msg
    ch, _ = channel(pay=refused("ACQ.BUYER_BALANCE_NOT_ENOUGH", "余额不足"))
    r = ch.codepay(out_trade_no="N1", description="x", total=Fen(100), auth_code=CODE)
    assert r.detail.startswith("GatewayError: alipay.trade.pay: 40004")  # type: ignore[union-attr]


@pytest.mark.parametrize("error", [
    unknown(), refused("ACQ.TRADE_HAS_SUCCESS"), TransportError("read timeout"),
    MalformedResponseError("bad sign"),
    GatewayError("alipay.trade.pay", "40004", "Business Failed", "ACQ.PAYMENT_FAIL", "x",
                 retry=True)])
def test_a_code_whose_outcome_may_have_happened_is_unknown(error: Exception) -> None:
    ch, _ = channel(pay=error)
    r = ch.codepay(out_trade_no="N1", description="x", total=Fen(100), auth_code=CODE)
    assert isinstance(r, Unknown)
    assert len(r.detail) <= 300


def test_error_detail_is_masked_and_cut() -> None:
    ch, _ = channel(pay=TransportError(f"code {CODE} " + "x" * 400))
    r = ch.codepay(out_trade_no="N1", description="x", total=Fen(100), auth_code=CODE)
    assert isinstance(r, Unknown) and CODE not in r.detail and len(r.detail) == 300
    assert r.detail.startswith("TransportError: code ")


# ---------------------------------------------------------------- query, close, reverse

def test_query_translates_each_state() -> None:
    ch, _ = channel(query=[None, paid_trade(), Trade("N1", TradeStatus.WAIT_BUYER_PAY),
                           Trade("N1", TradeStatus.TRADE_CLOSED),
                           Trade("N1", TradeStatus.TRADE_FINISHED, total_fen=Fen(5)),
                           TransportError("down"), ValueError("bad number")])
    assert isinstance(ch.query("N1"), NotFound)
    assert isinstance(ch.query("N1"), Paid)
    assert isinstance(ch.query("N1"), AwaitingCustomer)
    assert isinstance(ch.query("N1"), Closed)
    assert isinstance(ch.query("N1"), Paid)
    assert isinstance(ch.query("N1"), Unknown)
    assert isinstance(ch.query("N1"), Unknown)


def state_error() -> GatewayError:
    return GatewayError("alipay.trade.close", "40004", "Business Failed",
                        "ACQ.TRADE_STATUS_ERROR", "交易状态不合法")


@pytest.mark.parametrize(("then", "expected"), [
    (paid_trade(), AlreadyPaid), (Trade("N1", TradeStatus.TRADE_CLOSED), Closed),
    (TransportError("down"), Retry), (Trade("N1", TradeStatus.WAIT_BUYER_PAY), Rejected),
    (None, Rejected)])
def test_a_refused_close_is_told_apart_by_a_query(then: Any, expected: type) -> None:
    ch, _ = channel(close=state_error(), query=[then])
    assert isinstance(ch.close("N1"), expected)


def test_close_answers() -> None:
    ch, script = channel(close=[True, False, unknown(), refused("ACQ.TRADE_NOT_EXIST"),
                                TransportError("down"), ValueError("bad")])
    assert isinstance(ch.close("N1"), Closed)
    assert isinstance(ch.close("N1"), NotFound)        # no trade yet (an unscanned QR)
    assert isinstance(ch.close("N1"), Retry)
    assert isinstance(ch.close("N1"), Rejected)        # refused, not a state error: no query
    assert isinstance(ch.close("N1"), Retry)
    assert isinstance(ch.close("N1"), Retry)
    assert [c[0] for c in script.calls] == ["close"] * 6


def test_reverse_answers() -> None:
    ch, _ = channel(cancel=[CancelResult("N1", CancelAction.CLOSED),
                            CancelResult("N1", CancelAction.REFUNDED),
                            CancelResult("N1", CancelAction.NONE), unknown(),
                            refused("ACQ.REASON_TRADE_STATUS_INVALID"),
                            TransportError("down"), ValueError("bad")])
    assert isinstance(ch.reverse("N1"), Reversed)
    assert isinstance(ch.reverse("N1"), Reversed)
    assert isinstance(ch.reverse("N1"), NotFound)
    assert isinstance(ch.reverse("N1"), Retry)
    assert isinstance(ch.reverse("N1"), Rejected)
    assert isinstance(ch.reverse("N1"), Retry)
    assert isinstance(ch.reverse("N1"), Retry)


# ---------------------------------------------------------------- refunds

def test_refund_answers() -> None:
    done = RefundResult("N1", "R1", Fen(300), money_moved=True, trade_no="2026T1")
    repeat = RefundResult("N1", "R1", Fen(300), money_moved=False, trade_no="2026T1")
    ch, script = channel(refund=[done, repeat, unknown(), refused("ACQ.TRADE_NOT_ALLOW_REFUND"),
                                 TransportError("down"), ValueError("refund_fen must be > 0")])
    r = ch.refund(out_refund_no="R1", out_trade_no="N1", refund=Fen(300), total=Fen(1000),
                  reason="坏了")
    assert r == RefundSeen(out_refund_no="R1", progress=RefundProgress.SUCCESS, amount=Fen(300),
                           channel_refund_no="2026T1")
    kw = script.calls[0][1]
    assert (kw["out_trade_no"], kw["out_request_no"], kw["refund_fen"], kw["reason"]) == (
        "N1", "R1", 300, "坏了")
    r = ch.refund(out_refund_no="R1", out_trade_no="N1", refund=Fen(300), total=Fen(1000),
                  reason="x")
    assert isinstance(r, RefundSeen) and r.progress is RefundProgress.PROCESSING
    for expected in (Unknown, RefundRefused, Unknown, RefundRefused):
        r = ch.refund(out_refund_no="R1", out_trade_no="N1", refund=Fen(300),
                      total=Fen(1000), reason="x")
        assert isinstance(r, expected)


def test_refund_query_answers() -> None:
    ch, script = channel(refund_query=[RefundRecord("N1", "R1", Fen(250), trade_no="2026T1"),
                                       None, TransportError("down")])
    assert isinstance(ch.query_refund("R1"), Unknown)   # Alipay needs the order's number
    assert script.calls == []
    assert ch.query_refund("R1", out_trade_no="N1") == RefundSeen(
        out_refund_no="R1", progress=RefundProgress.SUCCESS, amount=Fen(250),
        channel_refund_no="2026T1")
    assert script.calls[0][1] == {"args": (), "out_trade_no": "N1", "out_request_no": "R1"}
    assert isinstance(ch.query_refund("R1", out_trade_no="N1"), NotFound)
    assert isinstance(ch.query_refund("R1", out_trade_no="N1"), Unknown)


# ---------------------------------------------------------------- bills

SALE = AlipayBillRow(trade_no="2026T1", out_trade_no="N1", kind=BillRowKind.TRADE,
                     amount_fen=Fen(1000), received_fen=Fen(950), created="2026-12-01 10:00:00",
                     finished="2026-12-01 10:00:07")
REFUND = AlipayBillRow(trade_no="2026T1", out_trade_no="N1", kind=BillRowKind.REFUND,
                       amount_fen=Fen(-300), received_fen=Fen(-280), out_request_no="R1",
                       created="2026-12-01 11:00:00", finished="")
CANCEL = AlipayBillRow(trade_no="2026T2", out_trade_no="N2", kind=BillRowKind.REFUND,
                       amount_fen=Fen(-500), received_fen=Fen(-500), out_request_no="N2_cancel",
                       created="2026-12-01 12:00:00", finished="2026-12-01 12:00:01")
NO_REQUEST = AlipayBillRow(trade_no="2026T3", out_trade_no="N3", kind=BillRowKind.REFUND,
                           amount_fen=Fen(-1), received_fen=Fen(-1))


def test_bill_rows_in_the_neutral_shape() -> None:
    sale = bill_row(SALE)
    assert (sale.trade_time, sale.order_amount, sale.settlement_total, sale.is_refund) == (
        "2026-12-01 10:00:07", 1000, 950, False)
    ref = bill_row(REFUND)
    assert (ref.trade_time, ref.is_refund, ref.is_reversal, ref.out_refund_no,
            ref.requested_refund, ref.refund_amount, ref.order_amount, ref.settlement_total) == (
        "2026-12-01 11:00:00", True, False, "R1", 300, 280, 0, 0)
    assert ref.refund_progress is RefundProgress.SUCCESS
    assert bill_row(CANCEL).is_reversal and bill_row(NO_REQUEST).is_reversal


def test_trade_bill_filters_by_type() -> None:
    bill = Bill("2026-12-01", (SALE, REFUND, CANCEL))
    ch, _ = channel(download_bill=[bill, bill, bill])
    day = date(2026, 12, 1)
    assert len(ch.trade_bill(day).rows) == 3
    assert [r.is_refund for r in ch.trade_bill(day, BillType.SUCCESS).rows] == [False]
    assert [r.is_refund for r in ch.trade_bill(day, BillType.REFUND).rows] == [True, True]


@pytest.mark.parametrize(("error", "raised"), [
    (GatewayError("alipay.data.dataservice.bill.downloadurl.query", "40004",
                  "Business Failed", "isp.bill_not_exist", "账单不存在"), BillNotReady),
    (refused("ACQ.INVALID_PARAMETER"), ChannelError),
    (MalformedResponseError("bill: line 3 has 5 columns"), BillUnreadable),
    (MalformedResponseError("no downloadurl_query_response"), ChannelError),
    (TransportError("down"), ChannelError), (ValueError("bad date"), ChannelError)])
def test_trade_bill_errors(error: Exception, raised: type) -> None:
    ch, _ = channel(download_bill=error)
    with pytest.raises(raised) as info:
        ch.trade_bill(date(2026, 12, 1))
    assert type(info.value) is raised


def test_a_qr_with_one_whole_minute_left_is_issued_for_one_minute() -> None:
    ch, script = channel(precreate=QrCode("N1", "https://qr.alipay.com/bax1"))
    r = ch.native_prepay(out_trade_no="N1", description="x", total=Fen(100),
                         time_expire=NOW + timedelta(seconds=60 + QR_MARGIN_S + 0.5))
    assert r == QrIssued("https://qr.alipay.com/bax1")
    assert script.calls[0][1]["qr_timeout_minutes"] == 1


def test_alipays_own_refusal_words_are_cut_at_300_characters() -> None:
    ch, _ = channel(pay=refused("ACQ.PAYMENT_FAIL", "拒" * 400))
    r = ch.codepay(out_trade_no="N1", description="x", total=Fen(100), auth_code=CODE)
    assert r == Refused(RefusalReason.OTHER, "拒" * 300)


def test_from_config_builds_the_channel_on_the_merchants_client(tmp_path: Any) -> None:
    from pos_app.alipay import AlipayClient, load_alipay_config
    from pos_app.simulator.alipay.provision import provision, write_merchant_configs

    path, _ = write_merchant_configs(provision(tmp_path), "http://127.0.0.1:9/gateway.do")
    ch = AlipayChannel.from_config(load_alipay_config(path))
    assert isinstance(ch, AlipayChannel) and isinstance(ch.client, AlipayClient)
    assert ch.name == "alipay"
    ch.client.close_client()
