"""Engine rules (protocol-neutral), driven by a fake clock — no HTTP, no sleeps."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from pos_app.simulator.engine import Engine
from pos_app.simulator.records import CST, MAX_REFUNDS, SimError
from pos_app.simulator.scenarios import auth_code_for, random_success_code
from tests.sim_fixtures import T0, Clock

MCH = "1900000109"
APP = "wxd930ea5d5a258f4f"


def native(engine: Engine, no: str = "ORDER0001", total: int = 100, **kw: object) -> str:
    return engine.create_native(MCH, APP, no, "门店-商品", total, notify_url="https://x.invalid/n", **kw)  # type: ignore[arg-type]


def paid_native(engine: Engine, no: str = "ORDER0001", total: int = 100) -> str:
    url = native(engine, no, total)
    engine.pay(code_url=url)
    return url


# ---------------------------------------------------------------- Native
def test_native_code_url_format_and_idempotent_create(engine: Engine) -> None:
    url = native(engine)
    assert url.startswith("weixin://wxpay/bizpayurl?pr=") and len(url.split("pr=")[1]) == 9
    assert url.split("pr=")[1].isalnum()
    assert native(engine) == url
    with pytest.raises(SimError) as exc:
        native(engine, total=101)
    assert exc.value.code == "INVALID_REQUEST"
    assert engine.query(MCH, out_trade_no="ORDER0001").trade_state == "NOTPAY"


def test_native_pay_then_query_by_both_keys(engine: Engine) -> None:
    url = native(engine)
    view = engine.pay(code_url=url)
    assert view.trade_state == "SUCCESS" and view.transaction_id.startswith("4200") and len(view.transaction_id) == 28
    assert engine.query(MCH, transaction_id=view.transaction_id).out_trade_no == "ORDER0001"
    assert engine.pay(code_url=url).transaction_id == view.transaction_id  # idempotent
    with pytest.raises(SimError) as exc:
        native(engine)
    assert exc.value.code == "ORDERPAID"


def test_unpaid_order_not_found_by_transaction_id_and_unknown_order(engine: Engine) -> None:
    native(engine)
    with pytest.raises(SimError) as exc:
        engine.query(MCH, transaction_id="4200000000000000000000000000")
    assert exc.value.code == "ORDER_NOT_EXIST"
    with pytest.raises(SimError):
        engine.query(MCH, out_trade_no="NOPE000000")
    with pytest.raises(SimError):  # another merchant does not see it
        engine.query("1900000999", out_trade_no="ORDER0001")


def test_time_expire_closes_and_is_raised_to_one_minute(engine: Engine, engine_clock: Clock) -> None:
    soon = dt.datetime.fromtimestamp(engine_clock.now + 5, CST).isoformat()
    url = native(engine, time_expire=soon)
    engine_clock.advance(30)
    assert engine.query(MCH, out_trade_no="ORDER0001").trade_state == "NOTPAY"  # raised to +60 s
    engine_clock.advance(31)
    assert engine.query(MCH, out_trade_no="ORDER0001").trade_state == "CLOSED"
    with pytest.raises(SimError) as exc:
        engine.pay(code_url=url)
    assert exc.value.code == "ORDERCLOSED"


def test_time_expire_without_offset_is_param_error(engine: Engine) -> None:
    with pytest.raises(SimError) as exc:
        native(engine, time_expire="2026-11-20T10:00:00")
    assert exc.value.code == "PARAM_ERROR"


def test_native_behaviours(engine: Engine, engine_clock: Clock) -> None:
    engine.set_native_behaviour("LATER00001", pay_after_s=20)  # before the order exists
    native(engine, "LATER00001")
    engine_clock.advance(19)
    assert engine.query(MCH, out_trade_no="LATER00001").trade_state == "NOTPAY"
    engine_clock.advance(1)
    v = engine.query(MCH, out_trade_no="LATER00001")
    assert v.trade_state == "SUCCESS" and v.success_at == pytest.approx(T0 + 20)

    url = native(engine, "NEVER00001")
    engine.set_native_behaviour("NEVER00001", never=True)
    with pytest.raises(SimError):
        engine.pay(code_url=url)
    url = native(engine, "FAIL000001")
    engine.set_native_behaviour("FAIL000001", fail=True)
    assert engine.query(MCH, out_trade_no="FAIL000001").trade_state == "PAYERROR"


def test_engine_default_auto_pay(tmp_path: Path, engine_clock: Clock) -> None:
    e = Engine(tmp_path, clock=engine_clock, native_pay_after_s=3)
    native(e)
    engine_clock.advance(3)
    assert e.query(MCH, out_trade_no="ORDER0001").trade_state == "SUCCESS"


def test_close_rules(engine: Engine, engine_clock: Clock) -> None:
    native(engine, "CLOSE00001")
    engine_clock.advance(engine.realism.close_lag_s)  # after the close lag a close is final
    engine.close(MCH, "CLOSE00001")
    engine.close(MCH, "CLOSE00001")  # idempotent
    assert engine.query(MCH, out_trade_no="CLOSE00001").trade_state == "CLOSED"
    paid_native(engine, "PAID000001")
    with pytest.raises(SimError) as exc:
        engine.close(MCH, "PAID000001")
    assert exc.value.code == "ORDERPAID"
    engine.codepay(MCH, APP, "CODE000001", "x", 1, random_success_code())
    with pytest.raises(SimError) as exc:
        engine.close(MCH, "CODE000001")
    assert exc.value.code == "TRADE_ERROR"
    with pytest.raises(SimError) as exc:
        engine.close(MCH, "NOPE000001")
    assert exc.value.code == "ORDER_NOT_EXIST"


def test_bad_params(engine: Engine) -> None:
    for no, total in (("short", 1), ("BAD ORDER NO", 1), ("GOOD000001", 0)):
        with pytest.raises(SimError) as exc:
            native(engine, no, total)
        assert exc.value.code == "PARAM_ERROR"


# ---------------------------------------------------------------- refunds
def test_refund_lifecycle_and_rules(engine: Engine, engine_clock: Clock) -> None:
    paid_native(engine, "REFUND0001", 100)
    r = engine.refund(MCH, "RF1", 30, 100, out_trade_no="REFUND0001")
    assert r.status == "PROCESSING" and r.refund_id.startswith("5030")
    assert engine.query(MCH, out_trade_no="REFUND0001").trade_state == "REFUND"
    assert engine.refund(MCH, "RF1", 30, 100, out_trade_no="REFUND0001").refund_id == r.refund_id  # idempotent
    with pytest.raises(SimError) as exc:
        engine.refund(MCH, "RF1", 31, 100, out_trade_no="REFUND0001")
    assert exc.value.code == "INVALID_REQUEST"
    with pytest.raises(SimError) as exc:
        engine.refund(MCH, "RF2", 71, 100, out_trade_no="REFUND0001")  # > paid − refunded
    assert exc.value.code == "INVALID_REQUEST"
    assert engine.query_refund(MCH, "RF1").status == "PROCESSING"
    engine_clock.advance(60)  # partial refunds of one order ≥ 1 minute apart
    engine.refund(MCH, "RF2", 70, 100, out_trade_no="REFUND0001")
    done = engine.query_refund(MCH, "RF1")
    assert done.status == "SUCCESS" and done.success_at == pytest.approx(T0 + 10)
    with pytest.raises(SimError) as exc:
        engine.query_refund(MCH, "RF-UNKNOWN")
    assert exc.value.code == "RESOURCE_NOT_EXISTS"


def test_refund_by_transaction_id_total_mismatch_and_unpaid(engine: Engine) -> None:
    paid_native(engine, "REFUND0002", 100)
    txn = engine.query(MCH, out_trade_no="REFUND0002").transaction_id
    assert engine.refund(MCH, "RFT", 1, 100, transaction_id=txn).out_trade_no == "REFUND0002"
    with pytest.raises(SimError) as exc:
        engine.refund(MCH, "RFT2", 1, 99, transaction_id=txn)
    assert exc.value.code == "INVALID_REQUEST"
    native(engine, "UNPAID0001")
    with pytest.raises(SimError) as exc:
        engine.refund(MCH, "RFU", 1, 100, out_trade_no="UNPAID0001")
    assert exc.value.code == "RESOURCE_NOT_EXISTS"


def test_at_most_50_refunds(engine: Engine, engine_clock: Clock) -> None:
    paid_native(engine, "MANYREFUND", 1000)
    for i in range(MAX_REFUNDS):
        engine.refund(MCH, f"RM{i}", 1, 1000, out_trade_no="MANYREFUND")
        engine_clock.advance(60)
    with pytest.raises(SimError) as exc:
        engine.refund(MCH, "RM-51", 1, 1000, out_trade_no="MANYREFUND")
    assert exc.value.code == "INVALID_REQUEST"


# ---------------------------------------------------------------- payment code
def test_codepay_success_and_single_use_codes(engine: Engine) -> None:
    code = random_success_code()
    out = engine.codepay(MCH, APP, "CP00000001", "x", 5, code)
    assert out.error_code is None and out.trade_state == "SUCCESS"
    assert out.order is not None and out.order.trade_type == "MICROPAY"
    again = engine.codepay(MCH, APP, "CP00000001", "x", 5, code)  # identical retry → same order
    assert again.error_code is None and again.order is not None
    assert again.order.transaction_id == out.order.transaction_id
    reused = engine.codepay(MCH, APP, "CP00000002", "x", 5, code)
    assert reused.error_code == "AUTH_CODE_INVALID" and reused.order is None
    other = engine.codepay(MCH, APP, "CP00000001", "x", 5, random_success_code())
    assert other.error_code == "ORDERPAID"


@pytest.mark.parametrize("bad", ["123", "160000000000000000", "13000000000000000x", "1300000000000000000"])
def test_codepay_rejects_non_wechat_codes(engine: Engine, bad: str) -> None:
    out = engine.codepay(MCH, APP, "CPBAD00001", "x", 5, bad)
    assert out.error_code == "AUTH_CODE_INVALID" and out.order is None


@pytest.mark.parametrize(
    ("scenario", "error", "state"),
    [
        ("success", None, "SUCCESS"),
        ("systemerror_but_charged", "SYSTEMERROR", "SUCCESS"),
        ("systemerror_not_charged", "SYSTEMERROR", "PAYERROR"),
        ("bankerror_but_charged", "BANKERROR", "SUCCESS"),
        ("bankerror_not_charged", "BANKERROR", "PAYERROR"),
        ("notenough", "NOTENOUGH", "PAYERROR"),
        ("notsupportcard", "NOTSUPORTCARD", "PAYERROR"),
        ("trade_error", "TRADE_ERROR", "PAYERROR"),
        ("userpaying_forever", "USERPAYING", "USERPAYING"),
        ("reverse_recall_once", "SYSTEMERROR", "SUCCESS"),
    ],
)
def test_codepay_scenarios(engine: Engine, scenario: str, error: str | None, state: str) -> None:
    out = engine.codepay(MCH, APP, "SCEN000001", "x", 5, auth_code_for(scenario))
    assert out.error_code == error
    assert engine.query(MCH, out_trade_no="SCEN000001").trade_state == state


@pytest.mark.parametrize(("scenario", "code"), [("authcodeexpire", "AUTHCODEEXPIRE"),
                                                ("auth_code_invalid", "AUTH_CODE_INVALID")])
def test_codepay_code_errors_create_no_order(engine: Engine, scenario: str, code: str) -> None:
    out = engine.codepay(MCH, APP, "SCEN000002", "x", 5, auth_code_for(scenario))
    assert out.error_code == code and out.order is None
    with pytest.raises(SimError):
        engine.query(MCH, out_trade_no="SCEN000002")


def test_userpaying_then_success_and_reverse_refused_while_box_open(engine: Engine, engine_clock: Clock) -> None:
    out = engine.codepay(MCH, APP, "UP00000001", "x", 5, auth_code_for("userpaying_then_success", seconds=20))
    assert out.error_code == "USERPAYING"
    engine_clock.advance(10)
    assert engine.query(MCH, out_trade_no="UP00000001").trade_state == "USERPAYING"
    refused = engine.reverse(MCH, "UP00000001")
    assert refused.error_code == "USERPAYING" and refused.recall
    engine_clock.advance(10)
    assert engine.query(MCH, out_trade_no="UP00000001").trade_state == "SUCCESS"


def test_userpaying_then_payerror(engine: Engine, engine_clock: Clock) -> None:
    engine.codepay(MCH, APP, "UP00000002", "x", 5, auth_code_for("userpaying_then_payerror", seconds=3))
    engine_clock.advance(3)
    assert engine.query(MCH, out_trade_no="UP00000002").trade_state == "PAYERROR"
    assert engine.reverse(MCH, "UP00000002").error_code is None
    assert engine.query(MCH, out_trade_no="UP00000002").trade_state == "REVOKED"


def test_reverse_paid_returns_money_and_recall_once(engine: Engine) -> None:
    engine.codepay(MCH, APP, "REV0000001", "x", 5, random_success_code())
    assert engine.reverse(MCH, "REV0000001").error_code is None
    v = engine.query(MCH, out_trade_no="REV0000001")
    assert v.trade_state == "REVOKED" and v.paid
    assert engine.reverse(MCH, "REV0000001").error_code is None  # idempotent
    again = engine.codepay(MCH, APP, "REV0000001", "x", 5, random_success_code())
    assert again.error_code == "ORDERREVERSED"

    engine.codepay(MCH, APP, "REV0000002", "x", 5, auth_code_for("reverse_recall_once"))
    first = engine.reverse(MCH, "REV0000002")
    assert first.recall and first.error_code == "SYSTEMERROR"
    second = engine.reverse(MCH, "REV0000002")
    assert not second.recall and second.error_code is None


def test_reverse_window_and_wrong_type(engine: Engine, engine_clock: Clock) -> None:
    engine.codepay(MCH, APP, "REV0000003", "x", 5, random_success_code())
    engine_clock.advance(7 * 86400 + 1)
    assert engine.reverse(MCH, "REV0000003").error_code == "REVERSE_EXPIRE"
    native(engine, "NATIVE0001")
    assert engine.reverse(MCH, "NATIVE0001").error_code == "TRADE_ERROR"
    assert engine.reverse(MCH, "MISSING001").error_code == "ORDER_NOT_EXIST"


def test_codepay_different_params_same_no_is_invalid_request(engine: Engine) -> None:
    engine.codepay(MCH, APP, "UP00000003", "x", 5, auth_code_for("userpaying_forever"))
    out = engine.codepay(MCH, APP, "UP00000003", "x", 6, auth_code_for("success"))
    assert out.error_code == "INVALID_REQUEST"
    assert engine.codepay(MCH, APP, "ORDER0001X", "x", 5, random_success_code()).error_code is None
    native(engine, "NATIVE0002")
    assert engine.codepay(MCH, APP, "NATIVE0002", "x", 5, random_success_code()).error_code == "OUT_TRADE_NO_USED"


def test_concurrent_codepay_same_order_charges_once(engine: Engine) -> None:
    code = random_success_code()
    results: list[str] = []

    def go() -> None:
        out = engine.codepay(MCH, APP, "RACE000001", "x", 5, code)
        assert out.order is not None
        results.append(out.order.transaction_id)

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and len(engine.orders(MCH)) == 1


# ---------------------------------------------------------------- persistence
def test_state_survives_a_new_engine(tmp_path: Path, engine_clock: Clock) -> None:
    e1 = Engine(tmp_path, clock=engine_clock)
    url = native(e1, "PERSIST001")
    e1.close_db()
    e2 = Engine(tmp_path, clock=engine_clock)
    assert e2.pay(code_url=url).trade_state == "SUCCESS"
    assert e2.query(MCH, out_trade_no="PERSIST001").code_url == url


# ---------------------------------------------------------------- bill
def test_trade_bill_all_format(engine: Engine, engine_clock: Clock) -> None:
    paid_native(engine, "BILL000001", 1234)
    engine.codepay(MCH, APP, "BILL000002", "扫码,商品", 3, random_success_code())
    engine.refund(MCH, "BILLRF1", 234, 1234, out_trade_no="BILL000001")
    engine_clock.advance(86400)  # the next day at 10:00: the bill is ready
    data = engine.trade_bill(MCH, dt.date(2026, 11, 20))
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号")
    assert len(lines[0].split(",")) == 27
    rows = [ln.split(",") for ln in lines[1:4]]
    assert all(len(r) == 27 and all(c.startswith("`") for c in r) for r in rows)
    by_no = {(r[6], r[9]): r for r in rows}
    pay = by_no[("`BILL000001", "`SUCCESS")]
    assert pay[8] == "`NATIVE" and pay[12] == "`12.34" and pay[24] == "`12.34" and pay[3] == "`0"
    assert pay[22] == "`0.07404"  # 0.6 % of 12.34 元
    refund = by_no[("`BILL000001", "`REFUND")]
    assert refund[16] == "`2.34" and refund[15] == "`BILLRF1" and refund[18] == "`ORIGINAL"
    assert by_no[("`BILL000002", "`SUCCESS")][20] == "`扫码，商品"  # no raw comma inside a field
    assert lines[4] == "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
    assert lines[5].split(",") == ["`3", "`12.37", "`2.34", "`0.00", "`0.06018", "`12.37", "`2.34"]
    with pytest.raises(SimError) as exc:
        engine.trade_bill(MCH, dt.date(2026, 11, 19))
    assert exc.value.code == "NO_STATEMENT_EXIST"


def test_bill_token_expires(engine: Engine, engine_clock: Clock) -> None:
    token = engine.put_bill(b"x", ttl_s=300)
    assert engine.get_bill(token) == (b"x", False)
    engine_clock.advance(301)
    assert engine.get_bill(token) is None


def test_two_engines_on_one_state_dir_share_orders(tmp_path: Path, engine_clock: Clock) -> None:
    a, b = Engine(tmp_path, clock=engine_clock), Engine(tmp_path, clock=engine_clock)
    url = native(a, "SHARED0001")
    assert b.pay(code_url=url).trade_state == "SUCCESS"
    assert a.query(MCH, out_trade_no="SHARED0001").trade_state == "SUCCESS"
    code = random_success_code()
    ids: list[str] = []

    def go(e: Engine) -> None:
        out = e.codepay(MCH, APP, "SHARED0002", "x", 5, code)
        assert out.order is not None
        ids.append(out.order.transaction_id)

    threads = [threading.Thread(target=go, args=(e,)) for e in (a, b, a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1 and len(ids) == 4
