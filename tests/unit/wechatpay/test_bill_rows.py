"""The SDK's trade-bill parser: the simulator's ALL/SUCCESS/REFUND bills parse into typed
rows, and every malformed bill is a BillFormatError with its line number (issue 12 #7)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.simulator.engine import Engine
from pos_app.simulator.records import Coupon
from pos_app.simulator.scenarios import random_success_code
from pos_app.wechatpay.bill_rows import BillRow, fee_units, parse_trade_bill
from pos_app.wechatpay.errors import BillFormatError, MalformedResponseError
from tests.sim_fixtures import T0, Clock

MCH, APP = "1900000109", "wxd930ea5d5a258f4f"
DAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def bills(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A day with a coupon payment, a refund and a reversed payment-code sale."""
    clock = Clock(T0)
    e = Engine(tmp_path_factory.mktemp("bills"), clock=clock, refund_delay_s=0)
    e.set_native_behaviour("ROWS000001", coupon=Coupon(200))
    e.pay(code_url=e.create_native(MCH, APP, "ROWS000001", "商品,一", 1000, device_id="TILL-1"))
    e.codepay(MCH, APP, "ROWS000002", "d", 300, random_success_code())
    clock.advance(60)
    e.refund(MCH, "ROWSRF1", 100, 1000, out_trade_no="ROWS000001")
    clock.advance(1)
    assert e.reverse(MCH, "ROWS000002").error_code is None
    clock.advance(86400)
    out = {t: e.trade_bill(MCH, DAY, t).decode("utf-8-sig") for t in ("ALL", "SUCCESS", "REFUND")}
    e.close_db()
    return out


def test_all_bill_rows_are_typed(bills: dict[str, str]) -> None:
    bill = parse_trade_bill(bills["ALL"], "ALL")
    states = [(r.out_trade_no, r.state) for r in bill.rows]
    assert states == [("ROWS000001", "SUCCESS"), ("ROWS000002", "SUCCESS"), ("ROWS000001", "REFUND"),
                      ("ROWS000002", "REVOKED")]
    pay, _, refund, revoked = bill.rows
    assert (pay.order_total, pay.settlement, pay.coupon, pay.device_id) == (1000, 800, 200, "TILL-1")
    assert (refund.refund, refund.out_refund_no, refund.refund_status) == (100, "ROWSRF1", "SUCCESS")
    assert revoked.refund == 300 and revoked.state == "REVOKED"  # a reversal, not a refund
    assert bill.count == 4 and bill.summary_fen("应结订单总金额") == 1100 and bill.summary_fen("退款总金额") == 400


def test_success_and_refund_bills(bills: dict[str, str]) -> None:
    success = parse_trade_bill(bills["SUCCESS"], "SUCCESS")
    assert [r.state for r in success.rows] == ["SUCCESS", "SUCCESS"] and "退款金额" not in success.header
    assert success.rows[0].refund == 0 and success.summary_fen("订单总金额") == 1300
    refund = parse_trade_bill(bills["REFUND"], "REFUND")
    assert [r.state for r in refund.rows] == ["REFUND", "REVOKED"]
    assert refund.rows[0].fields["退款申请时间"].startswith("2026-11-20")
    with pytest.raises(BillFormatError) as exc:
        parse_trade_bill(bills["ALL"], "SUCCESS")  # wrong bill type: rows that cannot be there
    assert exc.value.line >= 2


def test_columns_are_found_by_name_not_position(bills: dict[str, str]) -> None:
    lines = bills["SUCCESS"].splitlines()
    cells = [ln.split(",") for ln in lines[:3]]
    swapped = [",".join([c[1], c[0], *c[2:]]) for c in cells] + lines[3:]
    bill = parse_trade_bill("\n".join(swapped), "SUCCESS")
    assert bill.rows[0].out_trade_no == "ROWS000001" and bill.rows[0].settlement == 800


@pytest.mark.parametrize("mutate,line", [
    (lambda ls: [*ls[:1], '`2026-11-20 10:00:00,"unterminated', *ls[2:]], 2),
    (lambda ls: [*ls[:1], ls[1].replace("`SUCCESS", "`PAID"), *ls[2:]], 2),
    (lambda ls: [*ls[:1], ls[1].replace("`10.00", "`ten"), *ls[2:]], 2),
    (lambda ls: [*ls[:1], ls[1] + ",`extra", *ls[2:]], 2),
    (lambda ls: [*ls[:2], ls[2].replace("`2026-11-20", "`20261120"), *ls[3:]], 3),
    (lambda ls: [*ls[:-1], "`9,`1.00,`0.00,`0.00,`0.00,`1.00,`0.00"], 7),
    (lambda ls: ls[:-2], 5),
    (lambda ls: [ls[0].replace("商户订单号", "订单"), *ls[1:]], 1),
    (lambda ls: [*ls[:1], ls[1].replace("`", "`\x00", 1), *ls[2:]], 2),
    (lambda ls: ls[:1], 1),
])
def test_malformed_bills_say_which_line(bills: dict[str, str], mutate, line: int) -> None:  # type: ignore[no-untyped-def]
    lines = bills["ALL"].splitlines()
    with pytest.raises(BillFormatError) as exc:
        parse_trade_bill("\n".join(mutate(lines)), "ALL")
    assert exc.value.line == line and isinstance(exc.value, MalformedResponseError)


def test_amounts_are_integer_fen() -> None:
    row = BillRow(2, {"退款金额": "-0.5", "订单金额": "12.3"})
    assert row.refund == -50 and row.order_total == 1230 and row.coupon == 0
    assert fee_units("0.07404") == 7404 and fee_units("-1.5") == -150000
    with pytest.raises(BillFormatError):
        BillRow(2, {"订单金额": "1.234"}).order_total  # noqa: B018


_cells = st.text(alphabet=st.sampled_from([*list('`,"\n\r\x00 ab1.-交易'), "\ufeff", "\u2028"]), max_size=12)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_bills_raise_only_bill_format_error(bills: dict[str, str], data: st.DataObject) -> None:
    """Mutated real bills and random text: parsed, or BillFormatError — never csv.Error etc."""
    base = data.draw(st.sampled_from(sorted(bills)))
    lines = bills[base].splitlines()
    choice = data.draw(st.integers(0, 3))
    if choice == 0:
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = data.draw(_cells)
    elif choice == 1:
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(0, max(0, len(lines[i]) - 1)))
        lines[i] = lines[i][:j] + data.draw(_cells) + lines[i][j + 1:]
    elif choice == 2:
        lines.insert(data.draw(st.integers(0, len(lines))), data.draw(_cells))
    else:
        lines = data.draw(st.lists(_cells, max_size=6))
    text = data.draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    try:
        parse_trade_bill(text, data.draw(st.sampled_from(["ALL", "SUCCESS", "REFUND"])))
    except BillFormatError as exc:
        assert exc.line >= 0


def test_parse_accepts_the_sdk_trade_bill_text(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        parse_trade_bill("", "FUND")
