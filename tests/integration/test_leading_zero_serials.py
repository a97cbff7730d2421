"""Issue 11 "client bug (high)": certificate serials whose byte-wise hex starts with ``0``.

WeChat Pay writes serials as the certificate's serial bytes in upper-case hex (40 digits
for its 20-byte serials), so ``0AA0…`` keeps its leading zero. The simulator provisions
such serials for both the platform and the merchant certificate; the client must download
the platform certificate, verify answers signed by it, and sign as that merchant.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.money import Fen
from pos_app.simulator.server import SimulatorServer
from pos_app.wechatpay.client import WechatPayClient
from pos_app.wechatpay.config import load_merchant_config

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def zero_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorServer]:
    server = SimulatorServer(tmp_path_factory.mktemp("zero"), leading_zero_serials=True).start()
    yield server
    server.stop()
    server.engine.close_db()


def test_simulator_issues_byte_wise_serials_with_a_leading_zero(zero_sim: SimulatorServer) -> None:
    ident = zero_sim.identity
    for serial, cert in ((ident.platform_serial, ident.platform_cert), (ident.merchant_serial, ident.merchant_cert)):
        assert serial.startswith("0") and len(serial) == 40 and serial == serial.upper()
        assert int(serial, 16) == cert.serial_number
    assert json.loads(zero_sim.merchant_config_path.read_text())["merchant_serial_no"] == ident.merchant_serial


def test_platform_certificate_mode_works_with_a_leading_zero_serial(zero_sim: SimulatorServer) -> None:
    cfg = load_merchant_config(zero_sim.merchant_certmode_config_path)
    with WechatPayClient.from_config(cfg) as client:
        certs = client.download_certificates()
        assert [c.serial_no for c in certs] == [zero_sim.identity.platform_serial]
        no = "LZ" + secrets.token_hex(8)
        client.native_prepay(out_trade_no=no, description="d", total=Fen(1),
                             time_expire=dt.datetime.now(CST) + dt.timedelta(minutes=10))
        tx = client.query(no)  # signed with the 0… platform certificate, looked up by Wechatpay-Serial
        assert tx is not None and tx.out_trade_no == no
    cached = sorted(p.name for p in Path(cfg.platform_cert_dir or "").glob("wechatpay_*.pem"))
    assert cached == [f"wechatpay_{zero_sim.identity.platform_serial}.pem"]


def test_merchant_serial_read_from_apiclient_cert_is_accepted(zero_sim: SimulatorServer, tmp_path: Path) -> None:
    raw = json.loads(zero_sim.merchant_config_path.read_text())
    del raw["merchant_serial_no"]
    raw["merchant_cert_path"] = str(zero_sim.identity.merchant_cert_path)
    for key, value in list(raw.items()):
        if key.endswith("_path") and key != "merchant_cert_path" and value:
            raw[key] = str(zero_sim.state_dir / value)
    path = tmp_path / "merchant.json"
    path.write_text(json.dumps(raw))
    cfg = load_merchant_config(path)
    assert cfg.merchant_serial_no == zero_sim.identity.merchant_serial and cfg.merchant_serial_no.startswith("0")
    with WechatPayClient.from_config(cfg) as client:
        assert client.query("LZ" + secrets.token_hex(8)) is None  # 404, i.e. our Authorization was accepted
