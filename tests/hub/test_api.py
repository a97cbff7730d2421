"""The HTTP API on both back ends: enrolment, authentication, strict payloads, no secret logged."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from pos_app.hub.app import create_app
from pos_app.hub.store import HubStore
from tests.hub.rows import TillRows, as_json


@pytest.fixture
def client(store: HubStore) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as c:
        yield c


def enrol(client: TestClient, store: HubStore, name: str = "Till 1") -> tuple[str, dict[str, str]]:
    response = client.post("/v1/enrol", json={"code": store.create_enrol_code(), "name": name})
    assert response.status_code == 200, response.text
    doc = response.json()
    return doc["till_id"], {"Authorization": f"PosTill {doc['till_id']}:{doc['token']}"}


def upload(client: TestClient, auth: dict[str, str], rows: list[Any], backlog: int = 0) -> Any:
    return client.post("/v1/outbox", headers=auth,
                       json={"protocol": 1, "backlog": backlog, "rows": rows})


def test_enrol_code_is_one_time(client: TestClient, store: HubStore) -> None:
    code = store.create_enrol_code()
    assert client.post("/v1/enrol", json={"code": code, "name": "A"}).status_code == 200
    again = client.post("/v1/enrol", json={"code": code, "name": "B"})
    assert again.status_code == 403 and again.json()["error"] == "enrol_code_invalid"
    wrong = client.post("/v1/enrol", json={"code": "AAAA-BBBB-CCCC-DDDD", "name": "B"})
    assert wrong.status_code == 403
    assert len(store.tills()) == 1


def test_upload_and_retry(client: TestClient, store: HubStore) -> None:
    till, auth = enrol(client, store)
    rows = list(as_json(TillRows(till).sale("O1", 350)))
    assert upload(client, auth, rows, backlog=3).json() == {"high_seq": 5}
    assert upload(client, auth, rows).json() == {"high_seq": 5}
    assert upload(client, auth, []).json() == {"high_seq": 5}  # "what do you hold?"
    assert store.outbox_count() == 5


@pytest.mark.parametrize("header", [
    None, "Bearer x", "PosTill nobody:token", "PosTill {till}:wrong-token", "PosTill {till}",
])
def test_unauthenticated_refused_nothing_written(
    client: TestClient, store: HubStore, header: str | None
) -> None:
    till, _auth = enrol(client, store)
    headers = {"Authorization": header.format(till=till)} if header else {}
    response = upload(client, headers, list(as_json(TillRows(till).sale("O1", 350))))
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"
    assert client.get("/v1/master", headers=headers).status_code == 401
    assert client.get("/v1/flags", headers=headers).status_code == 401
    assert store.outbox_count() == 0


def test_revoked_till_refused(client: TestClient, store: HubStore) -> None:
    till, auth = enrol(client, store)
    store.revoke(till)
    response = upload(client, auth, list(as_json(TillRows(till).sale("O1", 350))))
    assert response.status_code == 401
    assert store.outbox_count() == 0


def _mutations() -> list[tuple[str, Any]]:
    good = next(as_json(TillRows("x").sale("O1", 350)[2:3]))  # a payment_attempt at seq 1
    good["seq"] = 1
    p = good["payload"]
    return [
        ("float money", {**good, "payload": {**p, "amount_fen": 350.0}}),
        ("bool money", {**good, "payload": {**p, "amount_fen": True}}),
        ("string money", {**good, "payload": {**p, "amount_fen": "350"}}),
        ("unknown field", {**good, "payload": {**p, "tip_fen": 1}}),
        ("missing field", {**good, "payload": {k: v for k, v in p.items() if k != "state"}}),
        ("unknown kind", {**good, "kind": "coupon"}),
        ("unknown state", {**good, "payload": {**p, "state": "PAID"}}),
        ("naive time", {**good, "committed_at": "2026-12-02T10:00:00"}),
        ("seq zero", {**good, "seq": 0}),
        ("extra row field", {**good, "till_id": "other"}),
        ("zero amount", {**good, "payload": {**p, "amount_fen": 0}}),
    ]


@pytest.mark.parametrize(("why", "bad"), _mutations(), ids=[m[0] for m in _mutations()])
def test_malformed_row_refuses_whole_batch(
    client: TestClient, store: HubStore, why: str, bad: dict[str, Any]
) -> None:
    till, auth = enrol(client, store)
    rows = list(as_json(TillRows(till).sale("O1", 350)))
    bad = {**bad, "seq": bad["seq"] if why == "seq zero" else 2}
    response = upload(client, auth, [rows[0], bad, *rows[2:]])
    assert response.status_code == 400, (why, response.text)
    assert response.json()["error"] == "malformed"
    assert store.outbox_count() == 0


def test_not_json_and_wrong_protocol(client: TestClient, store: HubStore) -> None:
    _till, auth = enrol(client, store)
    bad = client.post("/v1/outbox", headers=auth, content=b"{not json")
    assert bad.status_code == 400 and bad.json()["error"] == "malformed"
    v2 = client.post("/v1/outbox", headers=auth, json={"protocol": 2, "backlog": 0, "rows": []})
    assert v2.json()["error"] == "unsupported_protocol"
    gap = upload(client, auth, [{**r, "seq": r["seq"] * 2}
                                for r in as_json(TillRows("x").sale("O1", 1))])
    assert gap.status_code == 409 and gap.json()["error"] == "gap"


def test_master_data_round_trip(client: TestClient, store: HubStore) -> None:
    _till, auth = enrol(client, store)
    product = {"kind": "product", "key": "A",
               "data": {"sku": "A", "name": "Apple", "price_fen": 300, "barcode": None}}
    assert client.post("/v1/master", headers=auth, json={"changes": [product]}).json() == {"version": 1}
    pin = {"kind": "staff", "key": "u1", "data": {"user_id": "u1", "name": "Li", "role": "cashier",
                                                  "pin": "1234", "active": True}}
    refused = client.post("/v1/master", headers=auth, json={"changes": [pin]})
    assert refused.status_code == 400  # a PIN never travels; only pin_hash
    doc = client.get("/v1/master", params={"since": 0}, headers=auth).json()
    assert doc["version"] == 1 and doc["changes"][0]["data"]["price_fen"] == 300
    assert client.get("/v1/master", params={"since": "-1"}, headers=auth).status_code == 400


def test_refund_reservation_over_http(client: TestClient, store: HubStore) -> None:
    till, auth = enrol(client, store)
    upload(client, auth, list(as_json(TillRows(till).sale("O1", 350))))
    _other, auth_b = enrol(client, store, "B")
    body = {"order_till": till, "order_id": "O1", "refund_id": "R1", "amount_fen": 350}
    ok = client.post("/v1/refunds/reserve", headers=auth_b, json=body)
    assert ok.json() == {"reserved_fen": 350, "remaining_fen": 0}
    again = client.post("/v1/refunds/reserve", headers=auth, json={**body, "refund_id": "R2",
                                                                     "amount_fen": 1})
    assert again.status_code == 409 and again.json()["error"] == "refund_exceeds_paid"
    floaty = client.post("/v1/refunds/reserve", headers=auth, json={**body, "amount_fen": 1.0})
    assert floaty.status_code == 400


def test_no_secret_in_any_log(
    client: TestClient, store: HubStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code = store.create_enrol_code()
    doc = client.post("/v1/enrol", json={"code": code, "name": "Till 1"}).json()
    auth = {"Authorization": f"PosTill {doc['till_id']}:{doc['token']}"}
    upload(client, auth, list(as_json(TillRows(doc["till_id"]).sale("O1", 350))))
    upload(client, {"Authorization": f"PosTill {doc['till_id']}:{doc['token']}x"}, [])
    client.post("/v1/enrol", json={"code": code, "name": "again"})
    text = "\n".join(
        f"{r.getMessage()} {json.dumps([str(a) for a in (r.args or ())])}" for r in caplog.records
    )
    assert "enrolled" in text and "uploaded" in text and "refused" in text  # logging happened
    for secret in (code, code.replace("-", ""), doc["token"]):
        assert secret not in text
