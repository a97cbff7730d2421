from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState as S
from pos_app.payments.channels.wechat import WechatChannel as WechatGateway
from pos_app.payments.channels.wechat import v3_unavailable
from pos_app.payments.gateway import (
    ChargeResult,
    Paid,
    RefusalReason,
    Refused,
    Reversed,
    Unknown,
)
from pos_app.wechatpay.errors import ApiError, ConfigError, RequestTimeoutError
from pos_app.wechatpay.models import TradeState, Transaction
from tests.unit.payments.conftest import Harness, zh


class Recorder:
    def __init__(self, name: str, codepay_error: Exception | None = None) -> None:
        self.name = name
        self.calls: list[str] = []
        self.codepay_error = codepay_error

    def _txn(self, otn: str) -> Transaction:
        return Transaction(out_trade_no=otn, trade_state=TradeState.SUCCESS,
                           transaction_id=self.name)

    def codepay(self, *, out_trade_no: str, description: str, total: Fen,
                auth_code: str) -> Transaction:
        self.calls.append("codepay")
        if self.codepay_error:
            raise self.codepay_error
        return self._txn(out_trade_no)

    def micropay(self, *, out_trade_no: str, description: str, total: Fen,
                 auth_code: str) -> Transaction:
        self.calls.append("micropay")
        return self._txn(out_trade_no)

    def orderquery(self, out_trade_no: str) -> Transaction | None:
        self.calls.append("orderquery")
        return None

    def reverse(self, out_trade_no: str) -> bool:
        self.calls.append("reverse")
        return True

    def query(self, out_trade_no: str) -> Transaction | None:
        self.calls.append("query")
        return None

    def native_prepay(self, **kw: object) -> str:
        self.calls.append("native_prepay")
        return "weixin://x"

    def close(self, out_trade_no: str) -> None:
        self.calls.append("close")


def _pay(gw: WechatGateway) -> ChargeResult:
    return gw.codepay(out_trade_no="P1234567", description="d", total=Fen(1),
                      auth_code="134567890123456789")


def test_v3_only_never_touches_v2() -> None:
    v3, v2 = Recorder("v3", ApiError(403, "NO_AUTH", "无权限")), Recorder("v2")
    gw = WechatGateway(v3, v2, "v3")  # type: ignore[arg-type]
    assert _pay(gw) == Refused(RefusalReason.MERCHANT_PERMISSION, "403 NO_AUTH: 无权限")
    assert v2.calls == []


def test_v2_protocol_uses_micropay_and_v2_reverse() -> None:
    v3, v2 = Recorder("v3"), Recorder("v2")
    gw = WechatGateway(v3, v2, "v2")  # type: ignore[arg-type]
    assert _paid_by(_pay(gw)) == "v2"
    assert gw.reverse("P1234567") == Reversed()
    gw.query("P1234567")
    gw.native_prepay(out_trade_no="P1", description="d", total=Fen(1),
                     time_expire=datetime.now(UTC))
    assert v2.calls == ["micropay", "reverse"] and v3.calls == ["query", "native_prepay"]


@pytest.mark.parametrize("refusal", [ApiError(404, "NOT_FOUND", "no such API"),
                                     ApiError(403, "NO_AUTH", "无权限")])
def test_fallback_only_when_v3_codepay_is_unavailable(refusal: ApiError) -> None:
    v3, v2 = Recorder("v3", refusal), Recorder("v2")
    gw = WechatGateway(v3, v2, "v3_with_v2_fallback")  # type: ignore[arg-type]
    assert _paid_by(_pay(gw)) == "v2"
    assert _paid_by(_pay(gw)) == "v2" and v3.calls == ["codepay"]  # remembered
    assert gw.reverse("P1234567") == Reversed() and v2.calls[-1] == "reverse"


@pytest.mark.parametrize(("unknown", "answer"), [
    (RequestTimeoutError("read"), Unknown),
    (ApiError(500, "SYSTEM_ERROR", "x"), Unknown),
    (ApiError(200, "SYSTEMERROR", "x"), Unknown),
    (ApiError(404, "ORDER_NOT_EXIST", "x"), Refused),
    (ApiError(403, "NOTENOUGH", "余额不足"), Refused)])
def test_no_fallback_after_unknown_outcome_or_business_answer(
        unknown: Exception, answer: type) -> None:
    v3, v2 = Recorder("v3", unknown), Recorder("v2")
    gw = WechatGateway(v3, v2, "v3_with_v2_fallback")  # type: ignore[arg-type]
    assert isinstance(_pay(gw), answer)
    assert v2.calls == []


def test_v3_unavailable_rule() -> None:
    assert v3_unavailable(ApiError(404, "NOT_FOUND", ""))
    assert not v3_unavailable(ApiError(404, "RESOURCE_NOT_EXISTS", ""))
    assert not v3_unavailable(ApiError(503, "NO_AUTH", ""))


def test_v2_needed_for_v2_protocols() -> None:
    with pytest.raises(ConfigError):
        WechatGateway(Recorder("v3"), None, "v2")  # type: ignore[arg-type]


def test_number_collision_on_first_send_is_failed_not_adopted(h: Harness) -> None:
    h.gw.codepay_plan["134567890123456789"] = ApiError(200, "ORDERPAID", "订单已支付")
    aid = h.till.pay_code(h.order(), "134567890123456789")
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED and "重复" in zh(a.message)
    assert h.gw.count("query") == 0


def _paid_by(result: ChargeResult) -> str:
    assert isinstance(result, Paid), result
    return result.transaction_id


# -- issue 11 item 2: which v3 refusals mean "payment-code API not enabled", and a code is
# never charged twice across the v3 → v2 fallback (orders are shared across versions)


class FakeMicropay:
    """APIv2 micropay over the same order book as the v3 fake (WeChat shares orders)."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.calls: list[str] = []

    def micropay(self, *, out_trade_no: str, description: str, total: Fen,
                 auth_code: str) -> Transaction:
        self.calls.append("micropay")
        if out_trade_no in self.h.gw.orders:
            raise ApiError(200, "ORDERPAID", "订单已支付")
        return self.h.gw.codepay(out_trade_no=out_trade_no, description=description,
                                 total=total, auth_code=auth_code)

    def orderquery(self, out_trade_no: str) -> Transaction | None:
        return self.h.gw.query(out_trade_no)

    def reverse(self, out_trade_no: str) -> bool:
        self.calls.append("reverse")
        return self.h.gw.reverse(out_trade_no)


def _fallback_till(h: Harness) -> FakeMicropay:
    from pos_app.payments.till import TillService

    v2 = FakeMicropay(h)
    h.till.shutdown()
    h.till = TillService(h.db, WechatGateway(h.gw, v2, "v3_with_v2_fallback"),
                         clock=h.clock, waiter=h.waiter)
    h.till.subscribe(h._on_event)
    h.till.recover()
    return v2


CODE = "134567890123456789"


@pytest.mark.parametrize("refusal", [ApiError(404, "NOT_FOUND", "no such API"),
                                     ApiError(403, "NO_AUTH", "商户无权限")])
def test_not_enabled_falls_back_and_charges_once(h: Harness, refusal: ApiError) -> None:
    v2 = _fallback_till(h)
    h.gw.faults["codepay"].append(refusal)           # refused before acting: not charged
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert v2.calls == ["micropay"]
    assert sum(o.state.paid for o in h.gw.orders.values()) == 1


@pytest.mark.parametrize("unknown", [ApiError(500, "SYSTEM_ERROR", "系统异常"),
                                     RequestTimeoutError("read")])
def test_unknown_v3_outcome_never_falls_back(h: Harness, unknown: Exception) -> None:
    v2 = _fallback_till(h)
    h.gw.faults["codepay"].append(("after", unknown))   # v3 charged, the answer was lost
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.PAID
    assert v2.calls == []                               # never sent again under v2
    assert sum(o.state.paid for o in h.gw.orders.values()) == 1 and h.gw.count("codepay") == 1


def test_unknown_v3_outcome_not_charged_is_reversed_not_resent(h: Harness) -> None:
    v2 = _fallback_till(h)
    h.gw.faults["codepay"].append(ApiError(500, "SYSTEM_ERROR", "系统异常"))  # nothing done
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED and "micropay" not in v2.calls
    assert not h.gw.orders


def test_invalid_request_is_a_refusal_not_a_fallback(h: Harness) -> None:
    v2 = _fallback_till(h)
    h.gw.faults["codepay"].append(ApiError(400, "INVALID_REQUEST", "参数与首次请求时不一致"))
    aid = h.till.pay_code(h.order(), CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state == S.FAILED and v2.calls == []
    assert "未扣款" in zh(a.message)
