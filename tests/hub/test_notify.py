"""WeChat Pay callbacks at the hub: verified (both key modes), recorded, checked, flagged."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from pos_app.hub.app import create_app
from pos_app.hub.notify import NotifyReceiver
from pos_app.hub.store import HubStore
from pos_app.simulator.keys import new_rsa_key
from tests.hub.rows import TillRows, as_json
from tests.hub.test_api import enrol, upload
from tests.hub.wechat_fixtures import notify_config, transaction_callback


@pytest.fixture(params=["public_key", "certificate"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(store: HubStore, mode: str) -> Iterator[TestClient]:
    with TestClient(create_app(store, notify=NotifyReceiver(store, notify_config(mode)))) as c:
        yield c


def flags(client: TestClient, auth: dict[str, str]) -> list[dict[str, object]]:
    return list(client.get("/v1/flags", params={"since": 0}, headers=auth).json()["flags"])


def test_late_payment_for_a_closed_order_is_flagged(
    client: TestClient, store: HubStore, mode: str
) -> None:
    till, auth = enrol(client, store)
    rows = TillRows(till).sale("O1", 500, order_status="cancelled", attempt_state="closed")
    upload(client, auth, list(as_json(rows)))
    headers, body = transaction_callback(mode, "NO1", 500)
    started = time.monotonic()
    response = client.post("/wechatpay/notify", headers=headers, content=body)
    assert response.status_code == 204
    assert time.monotonic() - started < 5
    [flag] = flags(client, auth)
    assert (flag["kind"], flag["till_id"], flag["order_id"], flag["amount_fen"]) == (
        "late_payment", till, "O1", 500)
    # WeChat retries the same notification: acknowledged, not recorded or flagged twice
    assert client.post("/wechatpay/notify", headers=headers, content=body).status_code == 204
    assert len(flags(client, auth)) == 1
    assert client.get("/v1/flags", params={"since": flag["id"]}, headers=auth).json()["flags"] == []


def test_paid_order_with_matching_amount_raises_nothing(
    client: TestClient, store: HubStore, mode: str
) -> None:
    till, auth = enrol(client, store)
    upload(client, auth, list(as_json(TillRows(till).sale("O1", 500))))
    headers, body = transaction_callback(mode, "NO1", 500)
    assert client.post("/wechatpay/notify", headers=headers, content=body).status_code == 204
    assert flags(client, auth) == []


def test_amount_differs_is_flagged(client: TestClient, store: HubStore, mode: str) -> None:
    till, auth = enrol(client, store)
    upload(client, auth, list(as_json(TillRows(till).sale("O1", 500))))
    headers, body = transaction_callback(mode, "NO1", 499)
    client.post("/wechatpay/notify", headers=headers, content=body)
    assert [f["kind"] for f in flags(client, auth)] == ["amount_mismatch"]


def test_callback_before_the_till_synced_is_judged_when_it_does(
    client: TestClient, store: HubStore, mode: str
) -> None:
    till, auth = enrol(client, store)
    headers, body = transaction_callback(mode, "NO1", 500)
    client.post("/wechatpay/notify", headers=headers, content=body)
    assert [f["kind"] for f in flags(client, auth)] == ["unknown_payment"]
    rows = TillRows(till).sale("O1", 500, order_status="cancelled", attempt_state="closed")
    upload(client, auth, list(as_json(rows)))
    assert [f["kind"] for f in flags(client, auth)] == ["late_payment"]


def test_bad_signature_refused_nothing_recorded(
    client: TestClient, store: HubStore, mode: str
) -> None:
    till, auth = enrol(client, store)
    upload(client, auth, list(as_json(TillRows(till).sale("O1", 500, order_status="cancelled",
                                                       attempt_state="closed"))))
    headers, body = transaction_callback(mode, "NO1", 500, key=new_rsa_key())
    response = client.post("/wechatpay/notify", headers=headers, content=body)
    assert response.status_code == 401 and response.json()["code"] == "FAIL"
    headers, body = transaction_callback(mode, "NO1", 500)
    tampered = body.replace(b"TRANSACTION.SUCCESS", b"TRANSACTION.SUCCES5")
    assert client.post("/wechatpay/notify", headers=headers, content=tampered).status_code == 401
    assert flags(client, auth) == []
    # the genuine one still goes through afterwards
    assert client.post("/wechatpay/notify", headers=headers, content=body).status_code == 204
    assert [f["kind"] for f in flags(client, auth)] == ["late_payment"]


def test_recorded_but_unchecked_callback_is_checked_at_start_up(
    store: HubStore, mode: str
) -> None:
    till, _token = store.enrol(store.create_enrol_code(), "T")
    from pos_app.hub.protocol import Batch

    rows = TillRows(till).sale("O1", 500, order_status="cancelled", attempt_state="closed")
    store.ingest(till, Batch(0, tuple(rows)))
    # the hub wrote the callback durably, answered, and died before checking it
    assert store.record_notification("n-1", "TRANSACTION.SUCCESS", "NO1", 500, "SUCCESS")
    assert store.flags_since(0)[1] == []
    with TestClient(create_app(store, notify=NotifyReceiver(store, notify_config(mode)))):
        pass
    assert [f["kind"] for f in store.flags_since(0)[1]] == ["late_payment"]
