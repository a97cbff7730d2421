"""End to end against the Alipay simulator: the till pays, waits, cancels and refunds
through the Alipay adapter, routed by the scanned code / the cashier's QR pick."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.domain.money import Fen
from pos_app.payments.gateway import (
    Closed,
    NotFound,
    RefundProgress,
    RefundRefused,
    RefundSeen,
    RefusalReason,
    Refused,
    Retry,
    Reversed,
    Unknown,
)
from pos_app.payments.messages import PaymentText
from pos_app.payments.till import PaymentRefused
from pos_app.simulator.alipay.scenarios import auth_code_for
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from tests.alipay_rig import AlipayRig, S, alipay_config
from tests.unit.payments.conftest import zh

WECHAT_CODE = "134567890123456789"


@pytest.fixture(scope="module")
def ali_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AlipaySimulatorServer]:
    server = AlipaySimulatorServer(tmp_path_factory.mktemp("alisim"),
                                   refund_query_lag_s=0).start()
    yield server
    server.stop()


@pytest.fixture(params=["public_key", "cert"])
def rig(request: pytest.FixtureRequest, ali_sim: AlipaySimulatorServer,
        tmp_path: Path) -> Iterator[AlipayRig]:
    ali_sim.reset_faults()
    r = AlipayRig(ali_sim, tmp_path, alipay_config(ali_sim,
                                                   cert_mode=request.param == "cert"))
    yield r
    r.close()
    ali_sim.reset_faults()


@pytest.mark.parametrize(("scenario", "expected"), [
    ("success", S.PAID),
    ("unavailable_but_charged", S.PAID),     # 20000: query first → paid
    ("system_error_not_charged", S.REVERSED),  # ACQ.SYSTEM_ERROR, unpaid → cancelled
    ("drop_after_commit", S.PAID),
    ("bad_signature", S.PAID),               # an unverifiable answer is unknown, never failed
    ("cancel_retry_once", S.PAID),           # ACQ.SYSTEM_ERROR but charged: query → paid
    ("wait_forever", S.REVERSED),            # WAIT_BUYER_PAY until the deadline → cancel
    ("wait_then_fail", S.CLOSED),
])
def test_payment_code_outcomes(rig: AlipayRig, scenario: str, expected: S) -> None:
    seconds = 1 if scenario.startswith("wait_then") else None
    aid = rig.till.pay_code(rig.order(), auth_code_for(scenario, seconds=seconds))
    assert rig.finish(aid) == expected
    a = rig.till.attempt(aid)
    assert a is not None and a.channel == "alipay"


def test_cancel_retry_flag_is_retried_then_reversed(rig: AlipayRig) -> None:
    no = f"C{datetime.now(UTC):%H%M%S%f}"
    first = rig.channel.codepay(out_trade_no=no, description="t", total=Fen(100),
                                auth_code=auth_code_for("cancel_retry_once"))
    assert isinstance(first, Unknown)
    assert isinstance(rig.channel.reverse(no), Retry)      # retry_flag=Y
    assert isinstance(rig.channel.reverse(no), Reversed)   # paid → refunded in full
    assert isinstance(rig.channel.query(no), Closed)
    doc = rig.sim.engine.get(no)
    assert doc is not None and doc.refunded_fen == 100


def test_waiting_for_password_then_paid(rig: AlipayRig) -> None:
    aid = rig.till.pay_code(rig.order(), auth_code_for("wait_then_success", seconds=1))
    assert rig.finish(aid) == S.PAID
    assert S.AWAITING_CUSTOMER in [e.state for e in rig.events if e.attempt_id == aid]


@pytest.mark.parametrize(("scenario", "reason"), [
    ("insufficient_balance", RefusalReason.INSUFFICIENT_BALANCE),
    ("auth_code_invalid", RefusalReason.CODE_INVALID),
    ("payment_fail", RefusalReason.OTHER),
    ("trade_closed", RefusalReason.NUMBER_COLLISION),
])
def test_refusals_fail_with_neutral_reasons(rig: AlipayRig, scenario: str,
                                            reason: RefusalReason) -> None:
    aid = rig.till.pay_code(rig.order(), auth_code_for(scenario))
    assert rig.finish(aid) == S.FAILED
    a = rig.till.attempt(aid)
    assert a is not None
    assert "未扣款" in zh(a.message)
    sent = rig.channel.codepay(out_trade_no=f"X{datetime.now(UTC):%H%M%S%f}",
                               description="t", total=Fen(100),
                               auth_code=auth_code_for(scenario))
    assert isinstance(sent, Refused) and sent.reason is reason


def test_timeout_after_commit_is_paid_once(ali_sim: AlipaySimulatorServer,
                                           tmp_path: Path) -> None:
    r = AlipayRig(ali_sim, tmp_path, alipay_config(ali_sim, read_timeout=0.5))
    try:
        aid = r.till.pay_code(r.order(), auth_code_for("timeout_after_commit", seconds=2))
        assert r.finish(aid) == S.PAID
    finally:
        r.close()


def test_qr_paid(rig: AlipayRig) -> None:
    aid = rig.till.pay_native(rig.order(), "alipay")
    assert rig.awaiting.wait(10)
    a = rig.till.attempt(aid)
    assert a is not None and a.code_url.startswith("https://qr.alipay.com/")
    rig.sim.customer_pay(qr_code=a.code_url)
    assert rig.finish(aid) == S.PAID


def test_qr_scanned_then_cancelled_is_closed(rig: AlipayRig) -> None:
    aid = rig.till.pay_native(rig.order(), "alipay")
    assert rig.awaiting.wait(10)
    a = rig.till.attempt(aid)
    assert a is not None
    rig.sim.customer_pay(qr_code=a.code_url, action="scan")  # password box open
    rig.till.cancel(aid)
    assert rig.finish(aid) == S.CLOSED
    doc = rig.sim.engine.get(a.out_trade_no)
    assert doc is not None and doc.status == "TRADE_CLOSED"


def test_unscanned_qr_cancelled_stays_open_until_it_expires(rig: AlipayRig) -> None:
    """Alipay cannot close a QR nobody scanned (no trade yet): it stays payable until
    its timeout, so the attempt is not "closed" — and a customer paying it is kept."""
    oid = rig.order()
    aid = rig.till.pay_native(oid, "alipay")
    assert rig.awaiting.wait(10)
    rig.till.cancel(aid)
    assert rig.finish(aid, allow_uncertain=True) == S.UNCERTAIN
    with pytest.raises(PaymentRefused):
        rig.till.pay_cash(oid, Fen(10_000))  # the order stays blocked: it may be paid
    a = rig.till.attempt(aid)
    assert a is not None
    rig.sim.customer_pay(qr_code=a.code_url)
    rig.till.cancel(aid)   # resolve again (as the re-check at expiry does)
    assert rig.finish(aid) == S.PAID


def test_qr_timeout_is_whole_minutes_inside_the_attempt(rig: AlipayRig) -> None:
    now = datetime.now(UTC)
    out = rig.channel.native_prepay(out_trade_no=f"Q{now:%H%M%S%f}", description="t",
                                    total=Fen(100), time_expire=now + timedelta(seconds=50))
    assert isinstance(out, Refused) and out.reason is RefusalReason.PARAMS  # nothing sent


def test_wechat_code_refused_when_only_alipay_is_enabled(rig: AlipayRig) -> None:
    with pytest.raises(PaymentRefused) as refused:
        rig.till.pay_code(rig.order(), WECHAT_CODE)
    assert refused.value.message.key is PaymentText.CHANNEL_NOT_ENABLED
    with pytest.raises(PaymentRefused):
        rig.till.pay_native(rig.order(), "wechat")
    assert rig.till.recent_orders()[0].status.value == "open"
    assert all(not rig.till.attempts_for_order(o.id) for o in rig.till.recent_orders())


def test_refunds_partial_with_out_request_no(rig: AlipayRig) -> None:
    aid = rig.till.pay_code(rig.order(), auth_code_for("success"))
    assert rig.finish(aid) == S.PAID
    a = rig.till.attempt(aid)
    assert a is not None
    ch = rig.channel
    no = a.out_trade_no
    assert isinstance(ch.query_refund("RF1x", out_trade_no=no), NotFound)
    first = ch.refund(out_refund_no="RF1x", out_trade_no=no, refund=Fen(100),
                      total=a.amount, reason="退一件")
    assert isinstance(first, RefundSeen) and first.progress is RefundProgress.SUCCESS
    assert first.amount == 100
    again = ch.refund(out_refund_no="RF1x", out_trade_no=no, refund=Fen(100),
                      total=a.amount, reason="退一件")  # same number: no second refund
    assert isinstance(again, RefundSeen)
    seen = ch.query_refund("RF1x", out_trade_no=no)
    assert isinstance(seen, RefundSeen) and seen.amount == 100
    too_much = ch.refund(out_refund_no="RF2x", out_trade_no=no, refund=a.amount,
                         total=a.amount, reason="x")
    assert isinstance(too_much, RefundRefused)
    doc = rig.sim.engine.get(no)
    assert doc is not None and doc.refunded_fen == 100
