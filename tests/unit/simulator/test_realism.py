"""The simulator is as unkind as WeChat Pay (issue 11): each behaviour, its switch, its default."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from pos_app.simulator.engine import Engine
from pos_app.simulator.realism import Realism
from pos_app.simulator.records import CST, Coupon, SimError
from pos_app.simulator.scenarios import auth_code_for, random_success_code
from tests.sim_fixtures import T0, Clock

MCH = "1900000109"
APP = "wxd930ea5d5a258f4f"
DAY = dt.date(2026, 11, 20)  # T0's date (10:00 China time)


def native(engine: Engine, no: str, total: int = 100, **kw: object) -> str:
    return engine.create_native(MCH, APP, no, "门店-商品", total, notify_url="https://x.invalid/n", **kw)  # type: ignore[arg-type]


def paid(engine: Engine, no: str, total: int = 100) -> None:
    engine.pay(code_url=native(engine, no, total))


def refused(call: Callable[[], object]) -> SimError:
    with pytest.raises(SimError) as exc:
        call()
    return exc.value


# ---------------------------------------------------------------- 1. close lag
def test_defaults_follow_the_documented_numbers() -> None:
    r = Realism()
    assert (r.close_lag_s, r.close_lag_answer, r.bill_ready_hour, r.refund_spacing_s) == (300, "NOTPAY_204", 10, 60)
    assert (r.password_above_fen, r.description_bytes, r.refund_rate_per_s) == (100_000, True, 150)
    with pytest.raises(ValueError):
        r.updated({"no_such_switch": 1})


def test_close_within_the_lag_answers_204_but_the_customer_can_still_pay(engine: Engine, engine_clock: Clock) -> None:
    url = native(engine, "LAG0000001")
    engine_clock.advance(60)
    engine.close(MCH, "LAG0000001")  # "204"
    assert engine.query(MCH, out_trade_no="LAG0000001").trade_state == "NOTPAY"
    assert engine.pay(code_url=url).trade_state == "SUCCESS"  # scanned before the cancel, pays after it


@pytest.mark.parametrize("answer,code", [("SYSTEM_ERROR", "SYSTEMERROR"), ("ORDER_NOT_EXIST", "ORDER_NOT_EXIST")])
def test_close_within_the_lag_can_fail(engine: Engine, engine_clock: Clock, answer: str, code: str) -> None:
    engine.set_realism(Realism(close_lag_answer=answer))  # type: ignore[arg-type]
    native(engine, "LAG0000002")
    assert refused(lambda: engine.close(MCH, "LAG0000002")).code == code
    assert engine.query(MCH, out_trade_no="LAG0000002").trade_state == "NOTPAY"
    engine_clock.advance(300)  # the lag is over: the close is final
    engine.close(MCH, "LAG0000002")
    assert engine.query(MCH, out_trade_no="LAG0000002").trade_state == "CLOSED"


def test_close_lag_is_configurable_and_can_be_switched_off(engine: Engine, engine_clock: Clock) -> None:
    engine.set_realism(Realism(close_lag_s=10))
    native(engine, "LAG0000003")
    engine_clock.advance(10)
    engine.close(MCH, "LAG0000003")
    assert engine.query(MCH, out_trade_no="LAG0000003").trade_state == "CLOSED"
    engine.set_realism(Realism(close_lag_s=0))
    native(engine, "LAG0000004")
    engine.close(MCH, "LAG0000004")
    assert engine.query(MCH, out_trade_no="LAG0000004").trade_state == "CLOSED"


# ---------------------------------------------------------------- 3. bills exist only for settled days
def test_no_bill_for_today_or_the_future(engine: Engine) -> None:
    paid(engine, "BILLDAY001")
    assert refused(lambda: engine.trade_bill(MCH, DAY)).code == "INVALID_REQUEST"
    assert refused(lambda: engine.trade_bill(MCH, DAY + dt.timedelta(days=1))).code == "INVALID_REQUEST"


def test_yesterdays_bill_is_being_generated_until_ten(engine: Engine, engine_clock: Clock) -> None:
    paid(engine, "BILLDAY002")
    engine_clock.advance(86400 - 1)  # next day 09:59:59
    assert refused(lambda: engine.trade_bill(MCH, DAY)).code == "STATEMENT_CREATING"
    engine_clock.advance(1)  # 10:00
    assert b"BILLDAY002" in engine.trade_bill(MCH, DAY)


def test_bills_are_kept_three_months(engine: Engine, engine_clock: Clock) -> None:
    engine_clock.advance(93 * 86400)
    assert refused(lambda: engine.trade_bill(MCH, DAY)).code == "INVALID_REQUEST"
    assert refused(lambda: engine.trade_bill(MCH, DAY + dt.timedelta(days=2))).code == "NO_STATEMENT_EXIST"


def test_bill_dates_can_be_made_lenient(engine: Engine) -> None:
    engine.set_realism(Realism(bill_ready_hour=None))
    paid(engine, "BILLDAY003")
    assert b"BILLDAY003" in engine.trade_bill(MCH, DAY)


# ---------------------------------------------------------------- 4. refunds go wrong
@pytest.mark.parametrize("outcome,final", [("abnormal", "ABNORMAL"), ("closed", "CLOSED")])
def test_refund_ends_abnormal_or_closed(engine: Engine, engine_clock: Clock, outcome: str, final: str) -> None:
    paid(engine, "RFBAD00001")
    engine.set_refund_behaviour("RFBAD00001", outcome)
    assert engine.refund(MCH, "RFBAD1", 100, 100, out_trade_no="RFBAD00001").status == "PROCESSING"
    engine_clock.advance(10)
    r = engine.query_refund(MCH, "RFBAD1")
    assert r.status == final and r.success_at is None


def test_bank_card_refund_stays_processing_for_days(engine: Engine, engine_clock: Clock) -> None:
    paid(engine, "RFCARD0001")
    engine.set_refund_behaviour("RFCARD0001", "bank_card")
    engine.refund(MCH, "RFCARD1", 100, 100, out_trade_no="RFCARD0001")
    engine_clock.advance(86400)
    assert engine.query_refund(MCH, "RFCARD1").status == "PROCESSING"
    engine_clock.advance(86400)
    done = engine.query_refund(MCH, "RFCARD1")
    assert done.status == "SUCCESS" and "信用卡" in done.user_received_account


def test_refund_refused_when_the_merchant_balance_is_short(engine: Engine, engine_clock: Clock) -> None:
    engine.set_realism(Realism(merchant_balance_fen=150))
    paid(engine, "RFBAL00001", 200)
    engine.refund(MCH, "RFBAL1", 100, 200, out_trade_no="RFBAL00001")
    engine_clock.advance(60)
    assert refused(lambda: engine.refund(MCH, "RFBAL2", 100, 200, out_trade_no="RFBAL00001")).code == "NOTENOUGH"
    assert [r.out_refund_no for r in engine.refunds()] == ["RFBAL1"]  # nothing accepted
    paid(engine, "RFBAL00002")
    engine.set_refund_behaviour("RFBAL00002", "not_enough")
    assert refused(lambda: engine.refund(MCH, "RFBAL3", 1, 100, out_trade_no="RFBAL00002")).code == "NOTENOUGH"


def test_partial_refunds_of_one_order_need_a_minute_between(engine: Engine, engine_clock: Clock) -> None:
    paid(engine, "RFGAP00001")
    engine.refund(MCH, "RFGAP1", 10, 100, out_trade_no="RFGAP00001")
    engine_clock.advance(59)
    assert refused(lambda: engine.refund(MCH, "RFGAP2", 10, 100, out_trade_no="RFGAP00001")).code == "FREQUENCY_LIMITED"
    assert engine.refund(MCH, "RFGAP1", 10, 100, out_trade_no="RFGAP00001").out_refund_no == "RFGAP1"  # a retry is fine
    engine_clock.advance(1)
    assert engine.refund(MCH, "RFGAP2", 10, 100, out_trade_no="RFGAP00001").status == "PROCESSING"


def test_refund_rate_limit(engine: Engine) -> None:
    engine.set_realism(Realism(refund_rate_per_s=3))
    for i in range(4):
        paid(engine, f"RFRATE000{i}")
    for i in range(3):
        engine.refund(MCH, f"RFRATE{i}", 1, 100, out_trade_no=f"RFRATE000{i}")
    assert refused(lambda: engine.refund(MCH, "RFRATE3", 1, 100, out_trade_no="RFRATE0003")).code == "FREQUENCY_LIMITED"


# ---------------------------------------------------------------- 5. SUCCESS and REFUND bills
def _bill(engine: Engine, bill_type: str) -> list[list[str]]:
    text = engine.trade_bill(MCH, DAY, bill_type).decode("utf-8-sig")
    return [line.split(",") for line in text.splitlines()]


def test_success_and_refund_bills_have_their_own_columns(engine: Engine, engine_clock: Clock) -> None:
    paid(engine, "BILLTYPE01", 500)
    paid(engine, "BILLTYPE02", 300)
    engine.refund(MCH, "BTRF1", 200, 500, out_trade_no="BILLTYPE01")
    engine_clock.advance(86400)
    success = _bill(engine, "SUCCESS")
    assert len(success[0]) == 20 and success[0][12:14] == ["应结订单金额", "代金券金额"] and "退款金额" not in success[0]
    assert [r[6] for r in success[1:3]] == ["`BILLTYPE01", "`BILLTYPE02"] and all(r[9] == "`SUCCESS" for r in success[1:3])
    assert success[3] == ["总交易单数", "应结订单总金额", "手续费总金额", "订单总金额"]
    assert success[4][:2] == ["`2", "`8.00"] and success[4][3] == "`8.00"
    refund = _bill(engine, "REFUND")
    assert len(refund[0]) == 29 and refund[0][14:16] == ["退款申请时间", "退款成功时间"]
    assert len(refund) == 4 and refund[1][9] == "`REFUND" and refund[1][17] == "`BTRF1" and refund[1][18] == "`2.00"
    assert len(_bill(engine, "ALL")[0]) == 27
    assert refused(lambda: engine.trade_bill(MCH, DAY, "RECHARGE_REFUND")).code == "PARAM_ERROR"


def test_a_reversed_payment_code_sale_is_a_success_row_and_a_revoked_row(engine: Engine, engine_clock: Clock) -> None:
    engine.codepay(MCH, APP, "REVBILL001", "d", 700, random_success_code())
    engine.codepay(MCH, APP, "REVBILL002", "d", 50, auth_code_for("userpaying_forever"))
    engine_clock.advance(20)
    assert engine.reverse(MCH, "REVBILL001").error_code is None
    assert engine.reverse(MCH, "REVBILL002").error_code is None  # never paid: no bill row at all
    engine_clock.advance(86400)
    rows = _bill(engine, "ALL")
    states = [(r[6], r[9]) for r in rows[1:-2]]
    assert states == [("`REVBILL001", "`SUCCESS"), ("`REVBILL001", "`REVOKED")]
    revoked = rows[2]
    assert revoked[16] == "`7.00" and revoked[18] == "`ORIGINAL" and revoked[12] == "`0.00"
    assert [r[9] for r in _bill(engine, "REFUND")[1:-2]] == ["`REVOKED"]


# ---------------------------------------------------------------- 6. the ¥1000 password rule
def test_above_1000_yuan_the_customer_enters_the_password(engine: Engine, engine_clock: Clock) -> None:
    at_limit = engine.codepay(MCH, APP, "BIG0000001", "d", 100_000, random_success_code())
    assert at_limit.error_code is None and at_limit.trade_state == "SUCCESS"
    above = engine.codepay(MCH, APP, "BIG0000002", "d", 100_001, random_success_code())
    assert above.error_code == "USERPAYING" and above.trade_state == "USERPAYING"
    assert engine.reverse(MCH, "BIG0000002").recall  # the password box is open
    engine_clock.advance(5)
    assert engine.query(MCH, out_trade_no="BIG0000002").trade_state == "SUCCESS"
    engine.set_realism(Realism(password_above_fen=None))
    assert engine.codepay(MCH, APP, "BIG0000003", "d", 500_000, random_success_code()).error_code is None


# ---------------------------------------------------------------- 7. description limits in UTF-8 bytes
def test_description_is_limited_in_utf8_bytes(engine: Engine) -> None:
    native(engine, "DESC000001")  # 门店-商品: fine
    engine.create_native(MCH, APP, "DESC000002", "商" * 42, 1)  # 126 bytes
    with pytest.raises(SimError) as exc:
        engine.create_native(MCH, APP, "DESC000003", "商" * 43, 1)  # 43 characters but 129 bytes
    assert exc.value.code == "PARAM_ERROR" and exc.value.field_name == "/description"
    body_128 = "ab" + "商" * 42
    assert engine.codepay(MCH, APP, "DESC000004", body_128, 1, random_success_code()).error_code == "PARAM_ERROR"
    v2 = engine.codepay(MCH, APP, "DESC000005", body_128, 1, random_success_code(), max_description_bytes=128)
    assert v2.error_code is None
    engine.set_realism(Realism(description_bytes=False))
    engine.create_native(MCH, APP, "DESC000006", "商" * 43, 1)


# ---------------------------------------------------------------- coupons and the till's device id
def test_native_coupon_reduces_what_the_customer_pays_and_the_settlement(engine: Engine, engine_clock: Clock) -> None:
    engine.set_native_behaviour("COUPON0001", coupon=Coupon(300))
    url = native(engine, "COUPON0001", 1000, device_id="TILL-02")
    order = engine.pay(code_url=url)
    assert order.device_id == "TILL-02" and order.coupon_total == 300 and order.payer_total == 700
    (promo,) = order.promotions
    assert promo["type"] == "NOCASH" and promo["merchant_contribute"] == 300 and promo["wechatpay_contribute"] == 0
    engine_clock.advance(86400)
    row = _bill(engine, "ALL")[1]
    assert (row[4], row[12], row[13], row[24]) == ("`TILL-02", "`7.00", "`3.00", "`10.00")


def test_payment_code_coupon_scenarios(engine: Engine) -> None:
    nocash = engine.codepay(MCH, APP, "COUPON0002", "d", 1000, auth_code_for("coupon", seconds=2))
    assert nocash.order is not None and nocash.order.payer_total == 800
    assert nocash.order.promotions[0]["type"] == "NOCASH"
    cash = engine.codepay(MCH, APP, "COUPON0003", "d", 1000, auth_code_for("coupon_cash"), device_id="TILL-01")
    assert cash.order is not None and cash.order.payer_total == 900 and cash.order.device_id == "TILL-01"
    assert cash.order.promotions[0]["type"] == "CASH" and cash.order.promotions[0]["wechatpay_contribute"] == 100


def test_state_survives_with_the_new_fields(tmp_path: Path) -> None:
    clock = Clock(T0)
    e1 = Engine(tmp_path, clock=clock)
    e1.set_native_behaviour("PERSISTC01", coupon=Coupon(10, "CASH", "SINGLE", "立减"))
    e1.pay(code_url=native(e1, "PERSISTC01", device_id="TILL-9"))
    e1.close_db()
    e2 = Engine(tmp_path, clock=clock)
    o = e2.query(MCH, out_trade_no="PERSISTC01")
    assert o.device_id == "TILL-9" and o.promotions[0]["scope"] == "SINGLE" and o.payer_total == 90
    e2.close_db()
    assert CST.utcoffset(None) == dt.timedelta(hours=8)
