"""AlipayClient ↔ Alipay simulator over real HTTP, in public-key and certificate modes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pos_app.alipay import (
    AlipayClient,
    CancelAction,
    ErrorKind,
    GatewayError,
    RequestTimeoutError,
    SignatureError,
    TradeStatus,
    TransportError,
    load_alipay_config,
)
from pos_app.alipay.config import alipay_config_from_dict
from pos_app.simulator.alipay.scenarios import auth_code_for, random_success_code
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from tests.unit.alipay.conftest import ShiftableClock, new_no


def _fast_client(sim: AlipaySimulatorServer, *, cert: bool = False, **overrides: object) -> AlipayClient:
    path = sim.merchant_certmode_config_path if cert else sim.merchant_config_path
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw.update({"read_timeout": 0.5, "connect_timeout": 0.5, "deadline": 1.0, **overrides})
    return AlipayClient.from_config(alipay_config_from_dict(raw, path.parent))


def test_pay_success_then_query(client: AlipayClient) -> None:
    no = new_no()
    trade = client.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=1234, subject="测试/商品=1&2")
    assert trade.paid and trade.total_fen == 1234 and trade.trade_no
    queried = client.query(no)
    assert queried is not None and queried.status is TradeStatus.TRADE_SUCCESS and queried.receipt_fen == 1234


def test_same_code_twice_is_refused_and_not_charged(client: AlipayClient) -> None:
    code = random_success_code()
    client.pay(out_trade_no=new_no(), auth_code=code, total_fen=100, subject="x")
    with pytest.raises(GatewayError) as exc:
        client.pay(out_trade_no=new_no(), auth_code=code, total_fen=100, subject="x")
    assert exc.value.kind is ErrorKind.AUTH_CODE_INVALID and not exc.value.outcome_unknown


def test_wait_for_password_then_success(client: AlipayClient, ali_clock: ShiftableClock) -> None:
    no = new_no()
    trade = client.pay(out_trade_no=no, auth_code=auth_code_for("wait_then_success", seconds=10), total_fen=500, subject="x")
    assert trade.waiting_for_customer and not trade.paid
    first = client.query(no)
    assert first is not None and first.status is TradeStatus.WAIT_BUYER_PAY
    ali_clock.advance(11)
    later = client.query(no)
    assert later is not None and later.paid


def test_wait_then_customer_gives_up(client: AlipayClient, ali_clock: ShiftableClock) -> None:
    no = new_no()
    client.pay(out_trade_no=no, auth_code=auth_code_for("wait_then_fail", seconds=3), total_fen=500, subject="x")
    ali_clock.advance(4)
    trade = client.query(no)
    assert trade is not None and trade.status is TradeStatus.TRADE_CLOSED


def test_wait_forever_then_cancel_closes(client: AlipayClient) -> None:
    no = new_no()
    client.pay(out_trade_no=no, auth_code=auth_code_for("wait_forever"), total_fen=500, subject="x")
    result = client.cancel(no)
    assert result.action is CancelAction.CLOSED
    trade = client.query(no)
    assert trade is not None and trade.status is TradeStatus.TRADE_CLOSED
    with pytest.raises(GatewayError) as exc:  # same out_trade_no again: closed
        client.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=500, subject="x")
    assert exc.value.kind is ErrorKind.TRADE_CLOSED


@pytest.mark.parametrize(
    ("scenario", "kind"),
    [
        ("insufficient_balance", ErrorKind.INSUFFICIENT_FUNDS),
        ("auth_code_invalid", ErrorKind.AUTH_CODE_INVALID),
        ("payment_fail", ErrorKind.PAYMENT_REFUSED),
        ("trade_closed", ErrorKind.TRADE_CLOSED),
    ],
)
def test_refusals_are_not_charged(client: AlipayClient, scenario: str, kind: ErrorKind) -> None:
    no = new_no()
    with pytest.raises(GatewayError) as exc:
        client.pay(out_trade_no=no, auth_code=auth_code_for(scenario), total_fen=100, subject="x")
    assert exc.value.kind is kind and not exc.value.outcome_unknown
    trade = client.query(no)
    assert trade is None or not trade.paid


def test_unavailable_but_charged_is_unknown_and_query_finds_it_paid(client: AlipayClient) -> None:
    no = new_no()
    with pytest.raises(GatewayError) as exc:
        client.pay(out_trade_no=no, auth_code=auth_code_for("unavailable_but_charged"), total_fen=100, subject="x")
    assert exc.value.outcome_unknown and exc.value.code == "20000"
    trade = client.query(no)
    assert trade is not None and trade.paid
    with pytest.raises(GatewayError) as again:  # re-sent pay: already paid (confirm by query)
        client.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=100, subject="x")
    assert again.value.kind is ErrorKind.ALREADY_PAID and again.value.outcome_unknown


def test_system_error_not_charged_then_cancel_closes(client: AlipayClient) -> None:
    no = new_no()
    with pytest.raises(GatewayError) as exc:
        client.pay(out_trade_no=no, auth_code=auth_code_for("system_error_not_charged"), total_fen=100, subject="x")
    assert exc.value.outcome_unknown and exc.value.kind is ErrorKind.UNKNOWN
    trade = client.query(no)
    assert trade is not None and not trade.paid
    assert client.cancel(no).action is CancelAction.CLOSED


def test_cancel_retry_flag_then_refund(client: AlipayClient) -> None:
    no = new_no()
    with pytest.raises(GatewayError):
        client.pay(out_trade_no=no, auth_code=auth_code_for("cancel_retry_once"), total_fen=100, subject="x")
    with pytest.raises(GatewayError) as exc:
        client.cancel(no)
    assert exc.value.retry and exc.value.outcome_unknown
    assert client.cancel(no).action is CancelAction.REFUNDED
    assert client.cancel(no).action is CancelAction.REFUNDED  # idempotent


@pytest.mark.parametrize("cert", [False, True])
def test_timeout_after_commit_is_unknown_and_charged(ali_sim: AlipaySimulatorServer, cert: bool) -> None:
    no = new_no()
    with _fast_client(ali_sim, cert=cert) as c, pytest.raises(RequestTimeoutError) as exc:
        c.pay(out_trade_no=no, auth_code=auth_code_for("timeout_after_commit", seconds=5), total_fen=100, subject="x")
        assert exc.value.outcome_unknown
        ali_sim.reset_faults()  # release the held reply
        trade = c.query(no)
        assert trade is not None and trade.paid


def test_drop_after_commit_is_unknown(client: AlipayClient) -> None:
    no = new_no()
    with pytest.raises(TransportError) as exc:
        client.pay(out_trade_no=no, auth_code=auth_code_for("drop_after_commit"), total_fen=100, subject="x")
    assert exc.value.outcome_unknown
    trade = client.query(no)
    assert trade is not None and trade.paid


def test_bad_signature_is_unknown_never_failed(client: AlipayClient) -> None:
    no = new_no()
    with pytest.raises(SignatureError) as exc:
        client.pay(out_trade_no=no, auth_code=auth_code_for("bad_signature"), total_fen=100, subject="x")
    assert exc.value.outcome_unknown
    trade = client.query(no)
    assert trade is not None and trade.paid


@pytest.mark.parametrize("kind", ["error500", "error503"])
def test_http_errors_are_unknown(client: AlipayClient, ali_sim: AlipaySimulatorServer, kind: str) -> None:
    ali_sim.inject(kind, method="alipay.trade.pay")
    with pytest.raises(TransportError) as exc:
        client.pay(out_trade_no=new_no(), auth_code=random_success_code(), total_fen=100, subject="x")
    assert exc.value.outcome_unknown


def test_fault_bad_signature_on_query(client: AlipayClient, ali_sim: AlipaySimulatorServer) -> None:
    no = new_no()
    client.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=100, subject="x")
    ali_sim.inject("bad_signature", method="alipay.trade.query")
    with pytest.raises(SignatureError):
        client.query(no)
    assert client.query(no) is not None


def test_deadline_bounds_a_slow_gateway(ali_sim: AlipaySimulatorServer) -> None:
    ali_sim.inject("timeout", method="alipay.trade.query", seconds=5)
    with _fast_client(ali_sim) as c, pytest.raises(RequestTimeoutError):
        c.query(new_no())


def test_wrong_alipay_key_rejects_every_answer(ali_sim: AlipaySimulatorServer) -> None:
    """The classic mistake (configuring the app's own public key) → unknown, never failed."""
    with _fast_client(ali_sim, alipay_public_key_path="app_public_key.pem") as c, pytest.raises(SignatureError) as exc:
        c.pay(out_trade_no=new_no(), auth_code=auth_code_for("insufficient_balance"), total_fen=100, subject="x")
    assert exc.value.outcome_unknown


def test_cert_mode_with_a_stale_alipay_cert_learns_the_current_one(ali_sim: AlipaySimulatorServer) -> None:
    """An answer under an alipay_cert_sn we do not hold is trusted only after the certificate
    is downloaded and chains to the root bundle (rotation); refusals: test_rotation.py."""
    # the root certificate (second block of the chain file) is a valid cert with another SN
    root_only = ali_sim.state_dir / "root_only.crt"
    root_only.write_bytes((ali_sim.state_dir / "alipayRootCert.crt").read_bytes().split(b"\n\n")[1])
    with _fast_client(ali_sim, cert=True, alipay_cert_path="root_only.crt") as c:
        assert c.query(new_no()) is None
        assert c._keys.known(ali_sim.identity.alipay_cert_sn)  # type: ignore[attr-defined]


def test_gateway_refuses_a_wrong_app_key(ali_sim: AlipaySimulatorServer, tmp_path: Path) -> None:
    from pos_app.alipay.signing import private_key_pem
    from pos_app.simulator.keys import new_rsa_key

    (ali_sim.state_dir / "other_key.pem").write_bytes(private_key_pem(new_rsa_key()))
    with _fast_client(ali_sim, app_private_key_path="other_key.pem") as c, pytest.raises(GatewayError) as exc:
        c.query(new_no())
    assert exc.value.sub_code == "isv.invalid-signature" and exc.value.kind is ErrorKind.MERCHANT_SETUP


def test_precreate_scan_and_pay(client: AlipayClient, ali_sim: AlipaySimulatorServer) -> None:
    no = new_no("Q")
    qr = client.precreate(out_trade_no=no, total_fen=880, subject="扫码", qr_timeout_minutes=5)
    assert qr.qr_code.startswith("https://qr.alipay.com/")
    assert client.query(no) is None           # no trade until scanned
    assert client.close(no) is False          # …so close finds nothing
    assert client.cancel(no).action is CancelAction.NONE
    ali_sim.customer_pay(qr_code=qr.qr_code, action="scan")
    waiting = client.query(no)
    assert waiting is not None and waiting.waiting_for_customer
    ali_sim.customer_pay(qr_code=qr.qr_code)
    paid = client.query(no)
    assert paid is not None and paid.paid and paid.total_fen == 880
    with pytest.raises(GatewayError) as exc:
        client.close(no)
    assert exc.value.kind is ErrorKind.TRADE_STATE


def test_precreate_scanned_then_closed(client: AlipayClient, ali_sim: AlipaySimulatorServer) -> None:
    no = new_no("Q")
    qr = client.precreate(out_trade_no=no, total_fen=100, subject="x")
    ali_sim.customer_pay(qr_code=qr.qr_code, action="scan")
    assert client.close(no) is True
    trade = client.query(no)
    assert trade is not None and trade.status is TradeStatus.TRADE_CLOSED


def test_refunds_partial_idempotent_and_capped(client: AlipayClient, ali_clock: ShiftableClock) -> None:
    no = new_no()
    client.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=1000, subject="x")
    first = client.refund(out_trade_no=no, out_request_no=no + "_R1", refund_fen=300, reason="退货")
    assert first.money_moved and first.refunded_total_fen == 300
    again = client.refund(out_trade_no=no, out_request_no=no + "_R1", refund_fen=300)
    assert not again.money_moved and again.refunded_total_fen == 300
    with pytest.raises(GatewayError) as exc:
        client.refund(out_trade_no=no, out_request_no=no + "_R2", refund_fen=701)
    assert exc.value.kind is ErrorKind.REFUND_REFUSED and not exc.value.outcome_unknown
    assert client.refund_query(out_trade_no=no, out_request_no=no + "_R1") is None  # not visible yet
    ali_clock.advance(11)
    record = client.refund_query(out_trade_no=no, out_request_no=no + "_R1")
    assert record is not None and record.refund_fen == 300 and record.total_fen == 1000
    assert client.refund_query(out_trade_no=no, out_request_no=no + "_R9") is None
    client.refund(out_trade_no=no, out_request_no=no + "_R2", refund_fen=700)
    trade = client.query(no)
    assert trade is not None and trade.status is TradeStatus.TRADE_CLOSED


def test_refund_of_unpaid_trade_refused(client: AlipayClient) -> None:
    no = new_no()
    client.pay(out_trade_no=no, auth_code=auth_code_for("wait_forever"), total_fen=100, subject="x")
    with pytest.raises(GatewayError) as exc:
        client.refund(out_trade_no=no, out_request_no="R1", refund_fen=100)
    assert exc.value.kind is ErrorKind.TRADE_STATE
    client.cancel(no)


def test_bill_download_and_parse(client: AlipayClient, ali_sim: AlipaySimulatorServer, ali_clock: ShiftableClock) -> None:
    no = new_no()
    client.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=1000, subject="账单")
    client.refund(out_trade_no=no, out_request_no=no + "_R1", refund_fen=250)
    today = dt.datetime.fromtimestamp(ali_clock(), tz=dt.timezone(dt.timedelta(hours=8))).date()
    with pytest.raises(GatewayError):  # no bill for the current day
        client.bill_download_url(today)
    ali_clock.advance(86400)
    bill = client.download_bill(today)
    mine = [r for r in bill.rows if r.out_trade_no == no]
    assert sorted(r.amount_fen for r in mine) == [-250, 1000]
    assert next(r for r in mine if r.amount_fen < 0).out_request_no == no + "_R1"


def test_notification_verifies_in_both_modes(client: AlipayClient, ali_sim: AlipaySimulatorServer) -> None:
    no = new_no()
    client.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=1000, subject="x")
    cert_mode = client._app_cert_sn is not None
    note = client.parse_notification(ali_sim.notification_body(no, cert_mode=cert_mode))
    assert note.trade.out_trade_no == no and note.trade.total_fen == 1000 and note.trade.paid
    with pytest.raises(SignatureError):
        client.parse_notification(ali_sim.notification_body(no, cert_mode=not cert_mode))


def test_state_survives_restart(tmp_path: Path) -> None:
    sim = AlipaySimulatorServer(tmp_path / "s").start()
    no = new_no()
    with AlipayClient.from_config(load_alipay_config(sim.merchant_config_path)) as c:
        c.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=100, subject="x")
    sim.stop()
    sim2 = AlipaySimulatorServer(tmp_path / "s").start()
    try:
        with AlipayClient.from_config(load_alipay_config(sim2.merchant_config_path)) as c:
            trade = c.query(no)
        assert trade is not None and trade.paid
    finally:
        sim2.stop()


def test_gateway_checks_timestamp_skew_when_asked(tmp_path: Path) -> None:
    """Our client stamps Beijing time whatever the host zone; a skewed clock is refused."""
    sim = AlipaySimulatorServer(tmp_path / "s", max_skew_s=600).start()
    try:
        cfg = load_alipay_config(sim.merchant_config_path)
        with AlipayClient.from_config(cfg) as c:
            assert c.query(new_no()) is None
        import time as _t

        with AlipayClient.from_config(cfg, clock=lambda: _t.time() - 8 * 3600) as skewed, pytest.raises(GatewayError) as exc:
            skewed.query(new_no())
        assert exc.value.sub_code == "isv.invalid-timestamp"
    finally:
        sim.stop()


def test_unscanned_qr_stays_payable_after_cancel_finds_nothing(client: AlipayClient, ali_sim: AlipaySimulatorServer) -> None:
    """As on the real gateway: no trade exists before the scan, so cancel/close cannot stop
    the QR; it stays payable until its qr_code_timeout_express (the adapter must keep querying)."""
    no = new_no("Q")
    qr = client.precreate(out_trade_no=no, total_fen=100, subject="x", qr_timeout_minutes=2)
    assert client.cancel(no).action is CancelAction.NONE
    ali_sim.customer_pay(qr_code=qr.qr_code)
    paid = client.query(no)
    assert paid is not None and paid.paid


def test_expired_qr_cannot_be_paid(client: AlipayClient, ali_sim: AlipaySimulatorServer, ali_clock: ShiftableClock) -> None:
    no = new_no("Q")
    qr = client.precreate(out_trade_no=no, total_fen=100, subject="x", qr_timeout_minutes=1)
    ali_clock.advance(61)
    with pytest.raises(LookupError):
        ali_sim.customer_pay(qr_code=qr.qr_code)
    assert client.query(no) is None
