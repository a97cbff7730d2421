"""Peer conformance with ``python-alipay-sdk`` (fzlee/alipay, PyPI, pycryptodomex + pyOpenSSL).

What the peer checks:
* ``AliPay`` (public-key mode) and ``DCAliPay`` (certificate mode) drive our Alipay
  simulator over HTTP: the simulator accepts the peer's RSA2 request signatures (GET, all
  parameters in the query string, ``ensure_ascii`` biz_content) and the peer's own
  ``app_cert_sn``/``alipay_root_cert_sn``; the peer verifies every simulator answer with
  its own brace scan + PKCS#1 v1.5 verifier (it raises on a bad one — shown below).
* The peer's ``sign_data`` produces the same signature as our client for the same
  parameters, its ``verify`` accepts the simulator's notifications, and our
  ``parse_notification`` accepts a notification the peer signed.
* The peer's ``get_cert_sn``/``get_root_cert_sn`` agree with :mod:`pos_app.alipay.certs`.

(The official ``alipay-sdk-python`` installs the same top-level ``alipay`` package, so it
cannot share this venv; docs §6 records its vector run.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest

alipay_peer = pytest.importorskip("alipay")
pytestmark = pytest.mark.filterwarnings("ignore:X509.get_issuer is deprecated:DeprecationWarning")

from pos_app.alipay import AlipayClient, load_alipay_config  # noqa: E402
from pos_app.alipay.certs import cert_sn, load_cert, root_cert_sn  # noqa: E402
from pos_app.alipay.signing import rsa2_sign, sign_content  # noqa: E402
from pos_app.simulator.alipay.scenarios import auth_code_for, random_success_code  # noqa: E402
from pos_app.simulator.alipay.server import AlipaySimulatorServer  # noqa: E402


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AlipaySimulatorServer]:
    server = AlipaySimulatorServer(tmp_path_factory.mktemp("alisim_fz"), refund_query_lag_s=0).start()
    yield server
    server.stop()


def _text(sim: AlipaySimulatorServer, name: str) -> str:
    return (sim.state_dir / name).read_text(encoding="utf-8")


def _peer(sim: AlipaySimulatorServer, *, cert: bool = False) -> alipay_peer.BaseAliPay:
    if cert:
        peer = alipay_peer.DCAliPay(
            appid=sim.identity.app_id,
            app_private_key_string=_text(sim, "app_private_key_pkcs1.pem"),
            app_public_key_cert_string=_text(sim, sim.identity.app_cert_name),
            alipay_public_key_cert_string=_text(sim, "alipayCertPublicKey_RSA2.crt"),
            alipay_root_cert_string=_text(sim, "alipayRootCert.crt"),
        )
    else:
        peer = alipay_peer.AliPay(
            appid=sim.identity.app_id,
            app_private_key_string=_text(sim, "app_private_key.pem"),
            alipay_public_key_string=_text(sim, "alipay_public_key.pem"),
        )
    peer._gateway = sim.gateway_url
    return peer


def _no() -> str:
    return f"FZ{time.time_ns()}"


@pytest.mark.parametrize("cert", [False, True])
def test_peer_drives_the_simulator(sim: AlipaySimulatorServer, cert: bool) -> None:
    peer = _peer(sim, cert=cert)
    no = _no()
    paid = peer.api_alipay_trade_pay(no, "bar_code", random_success_code(), "测试商品", total_amount="12.34")
    assert paid["code"] == "10000" and paid["total_amount"] == "12.34"
    assert peer.api_alipay_trade_query(out_trade_no=no)["trade_status"] == "TRADE_SUCCESS"
    refund = peer.api_alipay_trade_refund("2.00", out_trade_no=no, out_request_no=no + "R1")
    assert refund["code"] == "10000" and refund["fund_change"] == "Y" and refund["refund_fee"] == "2.00"
    again = peer.api_alipay_trade_refund("2.00", out_trade_no=no, out_request_no=no + "R1")
    assert again["fund_change"] == "N"
    rq = peer.api_alipay_trade_fastpay_refund_query(no + "R1", out_trade_no=no)
    assert rq["refund_status"] == "REFUND_SUCCESS" and rq["refund_amount"] == "2.00"
    qr = peer.api_alipay_trade_precreate("扫码", no + "Q", "1.00")
    assert qr["qr_code"].startswith("https://qr.alipay.com/")  # the peer un-escaped our \/ after verifying
    waiting = peer.api_alipay_trade_pay(no + "W", "bar_code", auth_code_for("wait_forever"), "x", total_amount="1.00")
    assert waiting["code"] == "10003"
    assert peer.api_alipay_trade_cancel(out_trade_no=no + "W")["action"] == "close"
    refused = peer.api_alipay_trade_pay(no + "X", "bar_code", auth_code_for("insufficient_balance"), "x", total_amount="1.00")
    assert refused["sub_code"] == "ACQ.BUYER_BALANCE_NOT_ENOUGH"


@pytest.mark.parametrize("cert", [False, True])
def test_peer_rejects_a_bad_simulator_signature(sim: AlipaySimulatorServer, cert: bool) -> None:
    """The peer really verifies: the bad_signature scenario is refused by it too."""
    peer = _peer(sim, cert=cert)
    with pytest.raises(alipay_peer.AliPayValidationError):
        peer.api_alipay_trade_pay(_no(), "bar_code", auth_code_for("bad_signature"), "x", total_amount="1.00")


def test_peer_sees_our_refusal_of_its_bad_signature(sim: AlipaySimulatorServer, tmp_path: Path) -> None:
    from pos_app.alipay.signing import private_key_pem
    from pos_app.simulator.keys import new_rsa_key

    peer = alipay_peer.AliPay(
        appid=sim.identity.app_id,
        app_private_key_string=private_key_pem(new_rsa_key()).decode(),
        alipay_public_key_string=_text(sim, "alipay_public_key.pem"),
    )
    peer._gateway = sim.gateway_url
    answer = peer.api_alipay_trade_query(out_trade_no=_no())
    assert answer["code"] == "40002" and answer["sub_code"] == "isv.invalid-signature"


def test_peer_and_client_sign_identically(sim: AlipaySimulatorServer) -> None:
    with AlipayClient.from_config(load_alipay_config(sim.merchant_config_path)) as client:
        params = client.signed_params("alipay.trade.query", {"out_trade_no": "T1", "subject": "测试"})
    peer = _peer(sim)
    data = {k: v for k, v in params.items() if k != "sign"}
    signed = dict(parse_qsl(peer.sign_data(data)))
    assert signed["sign"] == params["sign"]


def test_cert_sns_agree_with_the_peer(sim: AlipaySimulatorServer) -> None:
    d = sim.state_dir
    for name in (sim.identity.app_cert_name, "alipayCertPublicKey_RSA2.crt"):
        assert alipay_peer.DCAliPay.get_cert_sn(_text(sim, name)) == cert_sn(load_cert(d / name, name))
    assert alipay_peer.DCAliPay.get_root_cert_sn(_text(sim, "alipayRootCert.crt")) == root_cert_sn(
        (d / "alipayRootCert.crt").read_bytes()
    )


def test_notifications_both_ways(sim: AlipaySimulatorServer) -> None:
    with AlipayClient.from_config(load_alipay_config(sim.merchant_config_path)) as client:
        no = _no()
        client.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=1000, subject="通知")
        body = sim.notification_body(no)
        # the peer verifies what the simulator sent
        fields = dict(parse_qsl(body.decode(), keep_blank_values=True))
        sign = fields.pop("sign")
        assert _peer(sim).verify(dict(fields), sign)
        # a notification signed by the peer (holding the Alipay key) is accepted by our client
        signer = alipay_peer.AliPay(
            appid=sim.identity.app_id,
            app_private_key_string=_text(sim, "alipay_private_key.pem"),
            alipay_public_key_string=_text(sim, "alipay_public_key.pem"),
        )
        fields.pop("sign_type")
        content = "&".join(f"{k}={v}" for k, v in sorted(fields.items()))
        peer_sign = signer._sign(content)
        assert peer_sign == rsa2_sign(sign_content(fields), sim.identity.alipay_private_key)
        note = client.parse_notification(urlencode({**fields, "sign_type": "RSA2", "sign": peer_sign}).encode())
        assert note.trade.out_trade_no == no and note.trade.total_fen == 1000
