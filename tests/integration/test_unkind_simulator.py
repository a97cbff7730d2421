"""What the SDK sees when the simulator is as unkind as WeChat Pay (issue 11), end to end
over HTTP: close lag, the ¥1000 rule, refunds that go wrong, bills only for settled days."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.money import Fen
from pos_app.simulator.realism import Realism
from pos_app.simulator.scenarios import random_success_code
from pos_app.simulator.server import SimulatorServer
from pos_app.wechatpay.bill_rows import parse_trade_bill
from pos_app.wechatpay.client import WechatPayClient
from pos_app.wechatpay.config import MerchantConfig, load_merchant_config
from pos_app.wechatpay.errors import ApiError, BillNotAvailableError, NoStatementError
from pos_app.wechatpay.models import RefundStatus, TradeState
from tests.sim_fixtures import Clock, own_simulator

CST = dt.timezone(dt.timedelta(hours=8))


def new_no(prefix: str = "UK") -> str:
    return prefix + secrets.token_hex(8)


def expire() -> dt.datetime:
    return dt.datetime.now(CST) + dt.timedelta(days=30)


@pytest.fixture
def client(sim: SimulatorServer, cfg: MerchantConfig, clock: Clock) -> Iterator[WechatPayClient]:
    with WechatPayClient.from_config(cfg) as c:
        yield c
    sim.set_realism(Realism())


def paid_native(client: WechatPayClient, sim: SimulatorServer, total: int = 100) -> str:
    no = new_no()
    sim.pay(code_url=client.native_prepay(out_trade_no=no, description="d", total=Fen(total), time_expire=expire()))
    return no


# ---------------------------------------------------------------- close lag
def test_a_close_right_after_creating_answers_204_but_the_customer_still_pays(
    client: WechatPayClient, sim: SimulatorServer
) -> None:
    no = new_no()
    code_url = client.native_prepay(out_trade_no=no, description="d", total=Fen(5), time_expire=expire())
    client.close(no)  # 204
    tx = client.query(no)
    assert tx is not None and tx.trade_state is TradeState.NOTPAY  # not closed after all
    sim.pay(code_url=code_url)  # the customer had scanned before the cashier cancelled
    tx = client.query(no)
    assert tx is not None and tx.trade_state is TradeState.SUCCESS


@pytest.mark.parametrize("answer,status,code,unknown", [
    ("SYSTEM_ERROR", 500, "SYSTEM_ERROR", True), ("ORDER_NOT_EXIST", 404, "ORDER_NOT_EXIST", False),
])
def test_a_close_right_after_creating_may_fail(
    client: WechatPayClient, sim: SimulatorServer, clock: Clock, answer: str, status: int, code: str, unknown: bool
) -> None:
    sim.set_realism(close_lag_answer=answer)
    no = new_no()
    client.native_prepay(out_trade_no=no, description="d", total=Fen(5), time_expire=expire())
    with pytest.raises(ApiError) as exc:
        client.close(no)
    assert (exc.value.status, exc.value.code, exc.value.outcome_unknown) == (status, code, unknown)
    clock.advance(300)
    client.close(no)
    tx = client.query(no)
    assert tx is not None and tx.trade_state is TradeState.CLOSED


# ---------------------------------------------------------------- the ¥1000 rule
def test_above_1000_yuan_codepay_waits_for_the_password(client: WechatPayClient, clock: Clock) -> None:
    no = new_no()
    tx = client.codepay(out_trade_no=no, description="d", total=Fen(100_001), auth_code=random_success_code())
    assert tx.trade_state is TradeState.USERPAYING
    clock.advance(5)
    after = client.query(no)
    assert after is not None and after.trade_state is TradeState.SUCCESS and after.total == 100_001


# ---------------------------------------------------------------- refunds that go wrong
@pytest.mark.parametrize("outcome,status", [("abnormal", RefundStatus.ABNORMAL), ("closed", RefundStatus.CLOSED)])
def test_refund_ends_abnormal_or_closed(
    client: WechatPayClient, sim: SimulatorServer, clock: Clock, outcome: str, status: RefundStatus
) -> None:
    no = paid_native(client, sim)
    sim.engine.set_refund_behaviour(no, outcome)
    rno = new_no("RF")
    assert client.refund(out_refund_no=rno, out_trade_no=no, refund=Fen(100), total=Fen(100), reason="").status \
        is RefundStatus.PROCESSING
    clock.advance(1)
    done = client.query_refund(rno)
    assert done is not None and done.status is status


def test_refund_refusals_not_enough_and_frequency_limited(
    client: WechatPayClient, sim: SimulatorServer
) -> None:
    no = paid_native(client, sim)
    client.refund(out_refund_no=new_no("RF"), out_trade_no=no, refund=Fen(10), total=Fen(100), reason="")
    with pytest.raises(ApiError) as exc:  # a second partial refund within a minute
        client.refund(out_refund_no=new_no("RF"), out_trade_no=no, refund=Fen(10), total=Fen(100), reason="")
    assert (exc.value.status, exc.value.code, exc.value.outcome_unknown) == (429, "FREQUENCY_LIMITED", True)
    other = paid_native(client, sim)
    sim.set_realism(merchant_balance_fen=0)
    with pytest.raises(ApiError) as exc:
        client.refund(out_refund_no=new_no("RF"), out_trade_no=other, refund=Fen(1), total=Fen(100), reason="")
    assert (exc.value.status, exc.value.code, exc.value.outcome_unknown) == (403, "NOT_ENOUGH", False)


# ---------------------------------------------------------------- bills only for settled days
def test_bills_only_for_settled_days_with_distinct_errors(tmp_path: Path) -> None:
    clock = Clock(time.time())  # business time = the client's time, as with the real WeChat
    with own_simulator(tmp_path, clock) as sim, WechatPayClient.from_config(
        load_merchant_config(sim.merchant_config_path)
    ) as client:
        no = paid_native(client, sim)
        day = dt.datetime.fromtimestamp(clock.now, CST).date()
        with pytest.raises(BillNotAvailableError) as exc:  # today: WeChat refuses the date
            client.trade_bill(day)
        assert exc.value.wechat_code == "INVALID_REQUEST"
        next_morning = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9, 59), CST).timestamp()
        clock.advance(next_morning - clock.now)
        with pytest.raises(BillNotAvailableError) as exc:  # yesterday before 10:00
            client.trade_bill(day)
        assert exc.value.wechat_code == "STATEMENT_CREATING"
        clock.advance(60)
        for bill_type in ("ALL", "SUCCESS"):
            bill = client.trade_bill(day, bill_type)
            assert bill.bill_type == bill_type
            assert no in {r.out_trade_no for r in parse_trade_bill(bill.text, bill_type).rows}
        with pytest.raises(NoStatementError):  # a settled day without trades
            client.trade_bill(day - dt.timedelta(days=20))
