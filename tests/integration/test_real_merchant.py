"""Real-merchant details of the SDK against the simulator (issue 11): backup-domain
failover on connect errors only, the till's device id, coupons, v3 codepay not enabled."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import socket
import threading
from collections.abc import Iterator

import pytest

from pos_app.domain.money import Fen
from pos_app.simulator.realism import Realism
from pos_app.simulator.records import Coupon
from pos_app.simulator.scenarios import auth_code_for, random_success_code
from pos_app.simulator.server import SimulatorServer
from pos_app.wechatpay.client import WechatPayClient
from pos_app.wechatpay.config import MerchantConfig
from pos_app.wechatpay.errors import (
    ApiError,
    RequestTimeoutError,
    TransportError,
    is_codepay_not_enabled,
)
from pos_app.wechatpay.models import CouponScope, CouponType, TradeState
from pos_app.wechatpay.v2 import MicropayV2Client

CST = dt.timezone(dt.timedelta(hours=8))


def new_no(prefix: str = "RM") -> str:
    return prefix + secrets.token_hex(8)


def expire() -> dt.datetime:
    return dt.datetime.now(CST) + dt.timedelta(minutes=10)


def refused_port() -> int:
    """A loopback port nobody listens on (bound, then closed: connecting is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers (a primary that received the request)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                held.append(conn)
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}"
    stop.set()
    t.join(2)
    for c in held:
        c.close()
    srv.close()


def client_for(cfg: MerchantConfig, **kw: object) -> WechatPayClient:
    return WechatPayClient.from_config(dataclasses.replace(cfg, **kw))  # type: ignore[arg-type]


# ---------------------------------------------------------------- failover
def test_connect_error_fails_over_to_the_backup_domain(sim: SimulatorServer, cfg: MerchantConfig) -> None:
    no = new_no()
    with client_for(cfg, base_url=f"http://127.0.0.1:{refused_port()}", backup_base_url=sim.base_url) as c:
        c.native_prepay(out_trade_no=no, description="d", total=Fen(3), time_expire=expire())  # a POST, never sent
        tx = c.query(no)
    assert tx is not None and tx.trade_state is TradeState.NOTPAY
    assert [o.out_trade_no for o in sim.engine.orders() if o.out_trade_no == no] == [no]  # created exactly once


def test_no_failover_once_the_request_may_have_arrived(
    sim: SimulatorServer, cfg: MerchantConfig, silent_server: str
) -> None:
    no = new_no()
    c = client_for(cfg, base_url=silent_server, backup_base_url=sim.base_url, read_timeout=0.5)
    with c, pytest.raises(RequestTimeoutError) as exc:
        c.native_prepay(out_trade_no=no, description="d", total=Fen(3), time_expire=expire())
    assert not exc.value.never_sent and exc.value.outcome_unknown
    assert all(o.out_trade_no != no for o in sim.engine.orders())  # never re-sent to the backup


def test_both_domains_unreachable_is_never_sent(cfg: MerchantConfig) -> None:
    c = client_for(cfg, base_url=f"http://127.0.0.1:{refused_port()}",
                   backup_base_url=f"http://127.0.0.1:{refused_port()}")
    with c, pytest.raises(TransportError) as exc:
        c.query(new_no())
    assert exc.value.never_sent


def test_wechat_primary_gets_the_documented_backup_by_default(cfg: MerchantConfig) -> None:
    c = client_for(cfg, base_url="https://api.mch.weixin.qq.com")
    assert c._backup_base_url == "https://api2.mch.weixin.qq.com"
    c.close_client()
    c = client_for(cfg)  # the simulator: no backup unless configured
    assert c._backup_base_url is None
    c.close_client()


# ---------------------------------------------------------------- the till's device id
def test_device_id_reaches_the_simulator_for_native_codepay_and_v2(sim: SimulatorServer, cfg: MerchantConfig) -> None:
    native_no, code_no, v2_no = new_no(), new_no(), new_no()
    with WechatPayClient.from_config(cfg, device_id="TILL-07") as c:
        c.native_prepay(out_trade_no=native_no, description="d", total=Fen(3), time_expire=expire())
        c.codepay(out_trade_no=code_no, description="d", total=Fen(3), auth_code=random_success_code())
        tx = c.query(code_no)
    assert tx is not None and tx.device_id == "TILL-07"
    v2 = MicropayV2Client.from_config(cfg, device_id="TILL-08")
    try:
        v2.micropay(out_trade_no=v2_no, description="d", total=Fen(3), auth_code=random_success_code())
    finally:
        v2.close()
    devices = {o.out_trade_no: o.device_id for o in sim.engine.orders()}
    assert (devices[native_no], devices[code_no], devices[v2_no]) == ("TILL-07", "TILL-07", "TILL-08")


# ---------------------------------------------------------------- coupons
def test_native_coupon_is_parsed_into_typed_promotions(sim: SimulatorServer, cfg: MerchantConfig) -> None:
    no = new_no()
    sim.engine.set_native_behaviour(no, coupon=Coupon(250, "NOCASH", "SINGLE", "立减"))
    with WechatPayClient.from_config(cfg) as c:
        sim.pay(code_url=c.native_prepay(out_trade_no=no, description="d", total=Fen(1000), time_expire=expire()))
        tx = c.query(no)
    assert tx is not None and tx.total == 1000 and tx.payer_total == 750
    (p,) = tx.promotions
    assert (p.type, p.scope, p.amount, p.merchant_contribute, p.name) == (
        CouponType.NOCASH, CouponScope.SINGLE, 250, 250, "立减")
    assert tx.coupon_total == 250 and tx.merchant_funded_total == 250 and tx.settlement_total == 750


@pytest.mark.parametrize("scenario,settles", [("coupon", 800), ("coupon_cash", 1000)])
def test_payment_code_coupons_v3_and_v2(cfg: MerchantConfig, scenario: str, settles: int) -> None:
    with WechatPayClient.from_config(cfg) as c:
        tx = c.codepay(out_trade_no=new_no(), description="d", total=Fen(1000),
                       auth_code=auth_code_for(scenario, seconds=2))
    assert tx.payer_total == 800 and tx.coupon_total == 200 and tx.settlement_total == settles
    v2 = MicropayV2Client.from_config(cfg)
    try:
        tx2 = v2.micropay(out_trade_no=new_no(), description="d", total=Fen(1000),
                          auth_code=auth_code_for(scenario, seconds=2))
    finally:
        v2.close()
    assert tx2.payer_total == 800 and tx2.settlement_total == settles and tx2.promotions[0].amount == 200


# ---------------------------------------------------------------- v3 codepay not enabled
@pytest.mark.parametrize("mode,status,not_enabled", [
    ("NOT_FOUND", 404, True), ("NO_AUTH", 403, True), ("INVALID_REQUEST", 400, False), ("SYSTEM_ERROR", 500, False),
])
def test_v3_codepay_not_enabled_never_charges_and_v2_charges_once(
    sim: SimulatorServer, cfg: MerchantConfig, mode: str, status: int, not_enabled: bool
) -> None:
    code, no = random_success_code(), new_no()
    sim.set_realism(v3_codepay=mode)
    try:
        with WechatPayClient.from_config(cfg) as c:
            with pytest.raises(ApiError) as exc:
                c.codepay(out_trade_no=no, description="d", total=Fen(5), auth_code=code)
            assert exc.value.status == status and is_codepay_not_enabled(exc.value) is not_enabled
            assert c.query(no) is None  # nothing was created
    finally:
        sim.set_realism(Realism())
    v2 = MicropayV2Client.from_config(cfg)
    try:
        assert v2.micropay(out_trade_no=no, description="d", total=Fen(5), auth_code=code).trade_state \
            is TradeState.SUCCESS
    finally:
        v2.close()
    assert len([o for o in sim.engine.orders() if o.out_trade_no == no and o.paid]) == 1


def test_v2_micropay_fails_over_on_connect_errors_only(sim: SimulatorServer, cfg: MerchantConfig) -> None:
    assert sim.v2 is not None
    no, code = new_no(), random_success_code()
    v2 = MicropayV2Client.from_config(dataclasses.replace(
        cfg, v2_base_url=f"https://127.0.0.1:{refused_port()}", backup_v2_base_url=sim.v2.base_url))
    try:
        assert v2.micropay(out_trade_no=no, description="d", total=Fen(4), auth_code=code).trade_state \
            is TradeState.SUCCESS
    finally:
        v2.close()
    both_down = MicropayV2Client.from_config(dataclasses.replace(
        cfg, v2_base_url=f"https://127.0.0.1:{refused_port()}", backup_v2_base_url=f"https://127.0.0.1:{refused_port()}"))
    try:
        with pytest.raises(TransportError) as exc:
            both_down.orderquery(no)
        assert exc.value.never_sent
    finally:
        both_down.close()
