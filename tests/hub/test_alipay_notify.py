"""Alipay asynchronous notifications at the hub: verified (both key modes), recorded once by
notify_id, answered ``success`` only once recorded, checked against the till, flagged.

Every notification is signed by the Alipay simulator (``notification_body``) for a trade
really paid there; the one body the simulator would never produce (a malformed amount) is
signed with the simulator's own Alipay key by the project's signer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from starlette.testclient import TestClient

from pos_app.alipay import AlipayClient, load_alipay_config
from pos_app.alipay.signing import rsa2_sign, sign_content
from pos_app.hub.alipay_notify import AlipayNotifyReceiver
from pos_app.hub.app import create_app
from pos_app.hub.config import load_config
from pos_app.hub.protocol import Batch
from pos_app.hub.store import HubStore
from pos_app.simulator.alipay.scenarios import random_success_code
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from tests.hub.rows import TillRows, as_json
from tests.hub.test_api import enrol, upload


@pytest.fixture(scope="module")
def ali_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AlipaySimulatorServer]:
    server = AlipaySimulatorServer(tmp_path_factory.mktemp("alisim")).start()
    yield server
    server.stop()


@pytest.fixture(params=["public_key", "cert"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def hub_toml(sim: AlipaySimulatorServer, mode: str, where: Path) -> Path:
    """A hub.toml whose [alipay] section points at the simulator merchant's key files."""
    cert = mode == "cert"
    cfg = load_alipay_config(sim.merchant_certmode_config_path if cert else sim.merchant_config_path)
    key_line = (f'alipay_cert_file = "{cfg.alipay_cert_path}"\n'
                f'alipay_root_cert_file = "{cfg.alipay_root_cert_path}"' if cert
                else f'alipay_public_key_file = "{cfg.alipay_public_key_path}"')
    path = where / "hub.toml"
    path.write_text(f'[hub]\ntls = false\n\n[alipay]\napp_id = "{cfg.app_id}"\n'
                    f'seller_id = "{sim.identity.seller_id}"\n{key_line}\n', encoding="utf-8")
    return path


@pytest.fixture
def receiver(store: HubStore, ali_sim: AlipaySimulatorServer, mode: str,
             tmp_path: Path) -> AlipayNotifyReceiver:
    config = load_config(tmp_path, hub_toml(ali_sim, mode, tmp_path))
    assert config.alipay_notify is not None
    return AlipayNotifyReceiver(store, config.alipay_notify)


@pytest.fixture
def client(store: HubStore, receiver: AlipayNotifyReceiver) -> Iterator[TestClient]:
    with TestClient(create_app(store, alipay_notify=receiver)) as c:
        yield c


def paid_at_alipay(sim: AlipaySimulatorServer, mode: str, total_fen: int) -> tuple[str, bytes]:
    """Pay a fresh trade at the simulator; return (order id, the notification it signs)."""
    order_id = f"O{time.time_ns()}"
    with AlipayClient.from_config(load_alipay_config(sim.merchant_config_path)) as c:
        c.pay(out_trade_no="N" + order_id, auth_code=random_success_code(),
              total_fen=total_fen, subject="x")
    return order_id, sim.notification_body("N" + order_id, cert_mode=mode == "cert")


def resigned(sim: AlipaySimulatorServer, mode: str, body: bytes, **changes: str) -> bytes:
    fields = dict(parse_qsl(body.decode("ascii"), keep_blank_values=True))
    fields.update(changes)
    key = sim.identity.alipay_cert_private_key if mode == "cert" else sim.identity.alipay_private_key
    fields["sign"] = rsa2_sign(sign_content(fields, exclude=frozenset({"sign", "sign_type"})), key)
    return urlencode(fields).encode("ascii")


FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


def post(client: TestClient, body: bytes) -> tuple[int, str]:
    response = client.post("/alipay/notify", content=body, headers=FORM)
    return response.status_code, response.text


def flags(client: TestClient, auth: dict[str, str]) -> list[dict[str, object]]:
    return list(client.get("/v1/flags", params={"since": 0}, headers=auth).json()["flags"])


def notes(store: HubStore) -> int:
    from sqlalchemy import func, select

    from pos_app.hub import schema

    with store.engine.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.notifications)).scalar_one())


def test_late_payment_for_a_cancelled_order_is_flagged_once(
    client: TestClient, store: HubStore, ali_sim: AlipaySimulatorServer, mode: str
) -> None:
    till, auth = enrol(client, store)
    order_id, body = paid_at_alipay(ali_sim, mode, 500)
    upload(client, auth, list(as_json(TillRows(till).sale(
        order_id, 500, method="alipay", order_status="cancelled", attempt_state="closed"))))
    started = time.monotonic()
    assert post(client, body) == (200, "success")
    assert time.monotonic() - started < 5
    [flag] = flags(client, auth)
    assert (flag["kind"], flag["till_id"], flag["order_id"], flag["amount_fen"]) == (
        "late_payment", till, order_id, 500)
    # Alipay resends the same notify_id: acknowledged, not recorded or flagged twice
    assert post(client, body) == (200, "success")
    assert notes(store) == 1 and len(flags(client, auth)) == 1


def test_paid_order_with_matching_amount_raises_nothing(
    client: TestClient, store: HubStore, ali_sim: AlipaySimulatorServer, mode: str
) -> None:
    till, auth = enrol(client, store)
    order_id, body = paid_at_alipay(ali_sim, mode, 1234)
    upload(client, auth, list(as_json(TillRows(till).sale(order_id, 1234, method="alipay"))))
    assert post(client, body) == (200, "success")
    assert flags(client, auth) == [] and notes(store) == 1


def test_amount_differs_is_flagged(
    client: TestClient, store: HubStore, ali_sim: AlipaySimulatorServer, mode: str
) -> None:
    till, auth = enrol(client, store)
    order_id, body = paid_at_alipay(ali_sim, mode, 499)
    upload(client, auth, list(as_json(TillRows(till).sale(order_id, 500, method="alipay"))))
    assert post(client, body) == (200, "success")
    [flag] = flags(client, auth)
    assert (flag["kind"], flag["amount_fen"]) == ("amount_mismatch", 499)


def test_notification_before_the_till_synced_is_judged_when_it_does(
    client: TestClient, store: HubStore, ali_sim: AlipaySimulatorServer, mode: str
) -> None:
    till, auth = enrol(client, store)
    order_id, body = paid_at_alipay(ali_sim, mode, 500)
    assert post(client, body) == (200, "success")
    assert [f["kind"] for f in flags(client, auth)] == ["unknown_payment"]
    upload(client, auth, list(as_json(TillRows(till).sale(
        order_id, 500, method="alipay", order_status="cancelled", attempt_state="closed"))))
    assert [f["kind"] for f in flags(client, auth)] == ["late_payment"]


def test_bad_signature_or_tampered_body_refused_nothing_recorded(
    client: TestClient, store: HubStore, ali_sim: AlipaySimulatorServer, mode: str
) -> None:
    till, auth = enrol(client, store)
    order_id, body = paid_at_alipay(ali_sim, mode, 500)
    upload(client, auth, list(as_json(TillRows(till).sale(
        order_id, 500, method="alipay", order_status="cancelled", attempt_state="closed"))))
    other_key = ali_sim.notification_body("N" + order_id, cert_mode=mode != "cert")
    tampered = body.replace(b"total_amount=5.00", b"total_amount=4.00")
    assert tampered != body
    for bad in (other_key, tampered, body.replace(b"&sign=", b"&sign=A")):
        assert post(client, bad) == (400, "fail")
    assert notes(store) == 0 and flags(client, auth) == []
    # the genuine one still goes through afterwards
    assert post(client, body) == (200, "success")
    assert [f["kind"] for f in flags(client, auth)] == ["late_payment"]


def test_refund_notification_is_recorded_not_judged_as_a_payment(
    client: TestClient, store: HubStore, ali_sim: AlipaySimulatorServer, mode: str
) -> None:
    _till, auth = enrol(client, store)
    _order_id, body = paid_at_alipay(ali_sim, mode, 500)
    # a partial refund also sends trade_status_sync (TRADE_SUCCESS) with the refund fields
    refund = resigned(ali_sim, mode, body, notify_id="2026" + "ab" * 15, refund_fee="1.00",
                      gmt_refund="2026-12-02 10:30:00.123", out_biz_no="R1")
    assert post(client, refund) == (200, "success")
    assert notes(store) == 1 and flags(client, auth) == []


@pytest.mark.parametrize("amount", ["5", "5.0", "5.000", "-5.00", "5e0", " 5.00", "0x5"])
def test_amount_not_two_decimal_yuan_is_refused(
    client: TestClient, store: HubStore, ali_sim: AlipaySimulatorServer, mode: str, amount: str
) -> None:
    _order_id, body = paid_at_alipay(ali_sim, mode, 500)
    assert post(client, resigned(ali_sim, mode, body, total_amount=amount)) == (400, "fail")
    assert notes(store) == 0


def test_another_apps_or_sellers_notification_is_refused(
    client: TestClient, store: HubStore, ali_sim: AlipaySimulatorServer, mode: str
) -> None:
    _order_id, body = paid_at_alipay(ali_sim, mode, 500)
    assert post(client, resigned(ali_sim, mode, body, app_id="2021999999999999")) == (400, "fail")
    assert post(client, resigned(ali_sim, mode, body, seller_id="2088999999999999")) == (400, "fail")
    assert notes(store) == 0


def test_recorded_but_unchecked_notification_is_checked_at_start_up(
    store: HubStore, receiver: AlipayNotifyReceiver, ali_sim: AlipaySimulatorServer, mode: str
) -> None:
    till, _token = store.enrol(store.create_enrol_code(), "T")
    order_id, body = paid_at_alipay(ali_sim, mode, 500)
    store.ingest(till, Batch(0, tuple(TillRows(till).sale(
        order_id, 500, method="alipay", order_status="cancelled", attempt_state="closed"))))
    # the hub wrote the notification durably, answered, and died before checking it
    assert receiver.receive(body) is True
    assert store.flags_since(0)[1] == []
    with TestClient(create_app(store, alipay_notify=receiver)):
        pass
    assert [f["kind"] for f in store.flags_since(0)[1]] == ["late_payment"]
    # a resend after the check is not new and does not reopen the checked record
    assert receiver.receive(body) is False
    assert notes(store) == 1 and store.process_notifications() == 0


def test_hub_toml_alipay_section_errors_are_clear(tmp_path: Path) -> None:
    cases = {
        '[alipay]\nalipay_public_key_file = "k.pem"\n': "app_id missing",
        '[alipay]\napp_id = "2021"\n': "exactly one of",
        '[alipay]\napp_id = "2021"\nalipay_public_key_file = "missing.pem"\n': "[alipay]",
    }
    for text, expected in cases.items():
        path = tmp_path / "hub.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=expected.replace("[", r"\[").replace("]", r"\]")):
            load_config(tmp_path, path)


def self_signed(path: Path, *, days: int = 30, not_before_days: int = -1) -> Path:
    """A certificate nobody issued (or one already expired), PEM at ``path``."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "not Alipay")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now + dt.timedelta(days=not_before_days))
            .not_valid_after(now + dt.timedelta(days=days))
            .sign(key, hashes.SHA256()))
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_certificate_mode_needs_a_certificate_from_the_alipay_root(
    ali_sim: AlipaySimulatorServer, tmp_path: Path
) -> None:
    cfg = load_alipay_config(ali_sim.merchant_certmode_config_path)
    head = '[alipay]\napp_id = "2021"\n'
    good_cert, root = cfg.alipay_cert_path, cfg.alipay_root_cert_path
    stranger = self_signed(tmp_path / "stranger.crt")
    cases = {
        f'alipay_cert_file = "{good_cert}"\n': "needs alipay_root_cert_file",
        f'alipay_cert_file = "{stranger}"\nalipay_root_cert_file = "{root}"\n':
            "does not chain to the Alipay root",
        f'alipay_cert_file = "{good_cert}"\nalipay_root_cert_file = "{stranger}"\n':
            "does not chain to the Alipay root",           # the wrong root
        f'alipay_cert_file = "{good_cert}"\nalipay_root_cert_file = "nowhere.crt"\n':
            "cannot read alipay_root_cert_file",
        f'alipay_cert_file = ["{good_cert}"]\nalipay_root_cert_file = "{root}"\n':
            "must be a file name",
    }
    for text, expected in cases.items():
        path = tmp_path / "hub.toml"
        path.write_text(head + text, encoding="utf-8")
        with pytest.raises(ValueError, match=expected):
            load_config(tmp_path, path)
    path = tmp_path / "hub.toml"
    path.write_text(head + f'alipay_cert_file = "{good_cert}"\nalipay_root_cert_file = "{root}"\n',
                    encoding="utf-8")
    assert load_config(tmp_path, path).alipay_notify is not None


def test_an_expired_alipay_certificate_is_refused(tmp_path: Path) -> None:
    old = self_signed(tmp_path / "old.crt", days=-1, not_before_days=-30)
    path = tmp_path / "hub.toml"
    path.write_text(f'[alipay]\napp_id = "2021"\nalipay_cert_file = "{old}"\n'
                    f'alipay_root_cert_file = "{old}"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="expired"):
        load_config(tmp_path, path)
