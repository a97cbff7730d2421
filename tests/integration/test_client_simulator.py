"""Helper A's WechatPayClient against the real simulator over loopback HTTP, end to end."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pos_app.domain.money import Fen
from pos_app.simulator.engine import CST
from pos_app.simulator.scenarios import auth_code_for, random_success_code
from pos_app.simulator.server import SimulatorServer
from pos_app.wechatpay.client import WechatPayClient
from pos_app.wechatpay.config import load_merchant_config
from pos_app.wechatpay.errors import (
    ApiError,
    RequestTimeoutError,
    SignatureError,
    TransportError,
)
from pos_app.wechatpay.models import RefundStatus, TradeState
from tests.sim_fixtures import Clock


def new_no(prefix: str = "IT") -> str:
    return prefix + secrets.token_hex(8)


def expire() -> dt.datetime:
    return dt.datetime.now(CST) + dt.timedelta(minutes=10)


@pytest.fixture(scope="module", params=["public_key", "platform_cert"])
def client(request: pytest.FixtureRequest, sim: SimulatorServer) -> Iterator[WechatPayClient]:
    path = sim.merchant_config_path if request.param == "public_key" else sim.merchant_certmode_config_path
    with WechatPayClient.from_config(load_merchant_config(path)) as c:
        yield c


@pytest.fixture(scope="module")
def pk_client(sim: SimulatorServer) -> Iterator[WechatPayClient]:
    with WechatPayClient.from_config(load_merchant_config(sim.merchant_config_path)) as c:
        yield c


def short_timeout_client(sim: SimulatorServer, read: float) -> WechatPayClient:
    cfg = dataclasses.replace(load_merchant_config(sim.merchant_config_path), read_timeout=read)
    return WechatPayClient.from_config(cfg)


# ---------------------------------------------------------------- Native, both verification modes
def test_native_pay_query_success(client: WechatPayClient, sim: SimulatorServer) -> None:
    no = new_no()
    code_url = client.native_prepay(out_trade_no=no, description="门店-商品", total=Fen(1234), time_expire=expire())
    assert code_url.startswith("weixin://wxpay/bizpayurl?pr=")
    before = client.query(no)
    assert before is not None and before.trade_state is TradeState.NOTPAY
    sim.pay(code_url=code_url)
    tx = client.query(no)
    assert tx is not None and tx.trade_state is TradeState.SUCCESS and tx.total == 1234
    assert tx.transaction_id and tx.success_time
    assert client.query_by_transaction_id(tx.transaction_id) == tx


def test_platform_cert_mode_downloaded_the_cert(sim: SimulatorServer) -> None:
    path = sim.merchant_certmode_config_path
    with WechatPayClient.from_config(load_merchant_config(path)) as c:
        certs = c.download_certificates()
    assert [x.serial_no for x in certs] == [sim.identity.platform_serial]


def test_native_idempotent_and_changed_params(client: WechatPayClient) -> None:
    no, when = new_no(), expire()
    url = client.native_prepay(out_trade_no=no, description="d", total=Fen(5), time_expire=when)
    assert client.native_prepay(out_trade_no=no, description="d", total=Fen(5), time_expire=when) == url
    with pytest.raises(ApiError) as exc:
        client.native_prepay(out_trade_no=no, description="d", total=Fen(6), time_expire=when)
    assert exc.value.code == "INVALID_REQUEST" and exc.value.status == 400 and not exc.value.outcome_unknown


def test_close_and_close_paid(client: WechatPayClient, sim: SimulatorServer, clock: Clock) -> None:
    no = new_no()
    client.native_prepay(out_trade_no=no, description="d", total=Fen(5), time_expire=expire())
    clock.advance(sim.realism.close_lag_s)  # a close after the lag takes effect
    client.close(no)
    client.close(no)
    tx = client.query(no)
    assert tx is not None and tx.trade_state is TradeState.CLOSED
    paid = new_no()
    sim.pay(code_url=client.native_prepay(out_trade_no=paid, description="d", total=Fen(5), time_expire=expire()))
    with pytest.raises(ApiError) as exc:
        client.close(paid)
    assert exc.value.code == "ORDER_PAID"


def test_query_unknown_is_none(client: WechatPayClient) -> None:
    assert client.query(new_no()) is None
    assert client.query_refund(new_no("RF")) is None


def test_refund_and_query(client: WechatPayClient, sim: SimulatorServer) -> None:
    no = new_no()
    sim.pay(code_url=client.native_prepay(out_trade_no=no, description="d", total=Fen(100), time_expire=expire()))
    rno = new_no("RF")
    r = client.refund(out_refund_no=rno, out_trade_no=no, refund=Fen(40), total=Fen(100), reason="退货")
    assert r.status in (RefundStatus.PROCESSING, RefundStatus.SUCCESS) and r.refund == 40
    again = client.refund(out_refund_no=rno, out_trade_no=no, refund=Fen(40), total=Fen(100), reason="退货")
    assert again.refund_id == r.refund_id
    q = client.query_refund(rno)
    assert q is not None and q.status is RefundStatus.SUCCESS and q.out_trade_no == no
    with pytest.raises(ApiError) as exc:
        client.refund(out_refund_no=new_no("RF"), out_trade_no=no, refund=Fen(61), total=Fen(100), reason="")
    assert exc.value.code == "INVALID_REQUEST"
    tx = client.query(no)
    assert tx is not None and tx.trade_state is TradeState.REFUND


def test_trade_bill_download_and_hash(client: WechatPayClient, sim: SimulatorServer, clock: Clock) -> None:
    no = new_no("BILL")
    sim.pay(code_url=client.native_prepay(out_trade_no=no, description="d", total=Fen(321), time_expire=expire()))
    today = dt.datetime.fromtimestamp(sim.engine.clock(), CST).date()
    clock.advance(86400)  # the bill is there the next day after 10:00
    bill = client.trade_bill(today)
    assert bill.hash_type == "SHA1" and not bill.text.startswith("\ufeff")
    row = next(line for line in bill.text.splitlines() if f"`{no}," in line)
    assert "`3.21" in row.split(",")
    with pytest.raises(ApiError) as exc:
        client.trade_bill(today - dt.timedelta(days=30))
    assert exc.value.code == "NO_STATEMENT_EXIST"


def test_tampered_bill_is_rejected(pk_client: WechatPayClient, sim: SimulatorServer, clock: Clock) -> None:
    no = new_no("BILL")
    sim.pay(code_url=pk_client.native_prepay(out_trade_no=no, description="d", total=Fen(1), time_expire=expire()))
    day = dt.datetime.fromtimestamp(sim.engine.clock(), CST).date()
    clock.advance(86400)
    original = sim.engine.put_bill

    def tampering_put_bill(data: bytes, **kw: object) -> str:
        return original(data + b"tampered", **kw)  # type: ignore[arg-type]

    sim.engine.put_bill = tampering_put_bill  # type: ignore[method-assign]
    try:
        with pytest.raises(Exception) as exc:
            pk_client.trade_bill(day)
        assert "SHA1" in str(exc.value)
    finally:
        del sim.engine.put_bill


# ---------------------------------------------------------------- payment code
def test_codepay_success(client: WechatPayClient) -> None:
    tx = client.codepay(out_trade_no=new_no(), description="d", total=Fen(7), auth_code=random_success_code())
    assert tx.trade_state is TradeState.SUCCESS and tx.trade_type == "MICROPAY" and tx.total == 7


def test_codepay_userpaying_then_success(pk_client: WechatPayClient, clock: Clock) -> None:
    no = new_no()
    tx = pk_client.codepay(out_trade_no=no, description="d", total=Fen(7),
                           auth_code=auth_code_for("userpaying_then_success", seconds=30))
    assert tx.trade_state is TradeState.USERPAYING
    with pytest.raises(ApiError) as exc:
        pk_client.reverse(no)  # password box still open
    assert exc.value.code == "USERPAYING" and exc.value.outcome_unknown
    polled = pk_client.query(no)
    assert polled is not None and polled.trade_state is TradeState.USERPAYING
    clock.advance(30)
    polled = pk_client.query(no)
    assert polled is not None and polled.trade_state is TradeState.SUCCESS


def test_codepay_userpaying_then_payerror_then_reverse(pk_client: WechatPayClient, clock: Clock) -> None:
    no = new_no()
    pk_client.codepay(out_trade_no=no, description="d", total=Fen(7),
                      auth_code=auth_code_for("userpaying_then_payerror", seconds=10))
    clock.advance(10)
    polled = pk_client.query(no)
    assert polled is not None and polled.trade_state is TradeState.PAYERROR
    assert pk_client.reverse(no) is True
    polled = pk_client.query(no)
    assert polled is not None and polled.trade_state is TradeState.REVOKED


@pytest.mark.parametrize(("scenario", "state"), [("systemerror_but_charged", TradeState.SUCCESS),
                                                 ("systemerror_not_charged", TradeState.PAYERROR),
                                                 ("bankerror_but_charged", TradeState.SUCCESS)])
def test_codepay_unknown_outcomes_resolved_by_query(pk_client: WechatPayClient, scenario: str,
                                                    state: TradeState) -> None:
    no = new_no()
    with pytest.raises(ApiError) as exc:
        pk_client.codepay(out_trade_no=no, description="d", total=Fen(7), auth_code=auth_code_for(scenario))
    assert exc.value.status == 500 and exc.value.outcome_unknown
    tx = pk_client.query(no)
    assert tx is not None and tx.trade_state is state


@pytest.mark.parametrize(("scenario", "code"), [("authcodeexpire", "AUTHCODEEXPIRE"),
                                                ("auth_code_invalid", "AUTH_CODE_INVALID"),
                                                ("notenough", "NOT_ENOUGH"),
                                                ("notsupportcard", "NOTSUPORTCARD"),
                                                ("trade_error", "TRADE_ERROR")])
def test_codepay_business_refusals(pk_client: WechatPayClient, scenario: str, code: str) -> None:
    with pytest.raises(ApiError) as exc:
        pk_client.codepay(out_trade_no=new_no(), description="d", total=Fen(7), auth_code=auth_code_for(scenario))
    assert exc.value.code == code and not exc.value.outcome_unknown


def test_auth_code_is_single_use(pk_client: WechatPayClient) -> None:
    code = random_success_code()
    pk_client.codepay(out_trade_no=new_no(), description="d", total=Fen(7), auth_code=code)
    with pytest.raises(ApiError) as exc:
        pk_client.codepay(out_trade_no=new_no(), description="d", total=Fen(7), auth_code=code)
    assert exc.value.code == "AUTH_CODE_INVALID"


def test_reverse_paid_and_recall_once(pk_client: WechatPayClient) -> None:
    no = new_no()
    pk_client.codepay(out_trade_no=no, description="d", total=Fen(7), auth_code=random_success_code())
    assert pk_client.reverse(no) is True
    tx = pk_client.query(no)
    assert tx is not None and tx.trade_state is TradeState.REVOKED
    no2 = new_no()
    with pytest.raises(ApiError):
        pk_client.codepay(out_trade_no=no2, description="d", total=Fen(7), auth_code=auth_code_for("reverse_recall_once"))
    with pytest.raises(ApiError) as exc:
        pk_client.reverse(no2)
    assert exc.value.code == "SYSTEM_ERROR" and exc.value.outcome_unknown
    assert pk_client.reverse(no2) is True


# ---------------------------------------------------------------- faults → error classes
@pytest.mark.parametrize(("kind", "status", "code"), [("error500", 500, "SYSTEM_ERROR"),
                                                      ("error429", 429, "FREQUENCY_LIMITED"),
                                                      ("error503", 503, "SERVICE_UNAVAILABLE")])
def test_error_faults(pk_client: WechatPayClient, sim: SimulatorServer, kind: str, status: int, code: str) -> None:
    no = new_no()
    sim.inject(kind, path_prefix="/v3/pay/transactions/native")
    with pytest.raises(ApiError) as exc:
        pk_client.native_prepay(out_trade_no=no, description="d", total=Fen(5), time_expire=expire())
    assert (exc.value.status, exc.value.code) == (status, code) and exc.value.outcome_unknown
    assert pk_client.query(no) is None  # nothing happened


def test_drop_after_commit(pk_client: WechatPayClient, sim: SimulatorServer) -> None:
    no = new_no()
    sim.inject("drop_after_commit", path_prefix="/v3/pay/transactions/codepay")
    with pytest.raises(TransportError) as exc:
        pk_client.codepay(out_trade_no=no, description="d", total=Fen(5), auth_code=random_success_code())
    assert exc.value.outcome_unknown
    tx = pk_client.query(no)
    assert tx is not None and tx.trade_state is TradeState.SUCCESS  # it did charge


def test_timeout_fault(sim: SimulatorServer) -> None:
    no = new_no()
    sim.inject("timeout", path_prefix="/v3/pay/transactions/native", seconds=3)
    with short_timeout_client(sim, 0.3) as c:
        with pytest.raises(RequestTimeoutError):
            c.native_prepay(out_trade_no=no, description="d", total=Fen(5), time_expire=expire())
        sim.engine.faults.release()
        tx = c.query(no)
    assert tx is not None and tx.trade_state is TradeState.NOTPAY


@pytest.mark.parametrize("kind", ["bad_signature", "signtest"])
def test_bad_response_signatures_rejected(client: WechatPayClient, sim: SimulatorServer, kind: str) -> None:
    no = new_no()
    client.native_prepay(out_trade_no=no, description="d", total=Fen(5), time_expire=expire())
    sim.inject(kind, path_prefix="/v3/pay/transactions/out-trade-no/")
    with pytest.raises(SignatureError):
        client.query(no)


def test_clock_skew_rejected(pk_client: WechatPayClient, sim: SimulatorServer) -> None:
    no = new_no()
    pk_client.native_prepay(out_trade_no=no, description="d", total=Fen(5), time_expire=expire())
    sim.inject("clock_skew", seconds=600)
    with pytest.raises(SignatureError):
        pk_client.query(no)
    sim.reset_faults()
    assert pk_client.query(no) is not None


def test_fault_over_http_reaches_client(pk_client: WechatPayClient, sim: SimulatorServer) -> None:
    r = httpx.post(sim.base_url + "/simulator/faults", json={"kind": "error500", "path_prefix": "/v3/refund/"},
                   trust_env=False)
    assert r.status_code == 200
    with pytest.raises(ApiError) as exc:
        pk_client.query_refund(new_no("RF"))
    assert exc.value.status == 500


def test_latency_fault(pk_client: WechatPayClient, sim: SimulatorServer) -> None:
    import time

    sim.inject("latency", path_prefix="/v3/pay/transactions/out-trade-no/", seconds=0.3)
    started = time.monotonic()
    pk_client.query(new_no())
    assert time.monotonic() - started >= 0.3


def test_cli_subprocess(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "pos_app", "simulator", "--port", "0", "--state-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip().removeprefix("base_url: ")
        cfg_line = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:") and cfg_line.endswith("merchant.json")
        assert httpx.get(base + "/simulator/health", trust_env=False).json()["ok"] is True
        cfg = load_merchant_config(tmp_path / "merchant.json")
        assert cfg.base_url == base
        with WechatPayClient.from_config(cfg) as c:
            assert c.codepay(out_trade_no=new_no(), description="d", total=Fen(1),
                             auth_code=random_success_code()).trade_state is TradeState.SUCCESS
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
