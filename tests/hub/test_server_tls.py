"""The real hub process over TLS on 127.0.0.1: enrol with the CLI code, pin the CA, upload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pos_app.hub.client import HubClient, HubRefused, enrol
from tests.hub.proc import HubProcess
from tests.hub.rows import TillRows

pytestmark = pytest.mark.slow


@pytest.fixture
def hub(tmp_path: Path, db_url: str) -> Iterator[HubProcess]:
    proc = HubProcess(tmp_path / "hub", db_url)
    yield proc
    proc.stop()


def test_enrol_pin_and_upload_over_tls(hub: HubProcess, db_url: str) -> None:
    out = hub.cli("enrol-code")
    code = re.search(r"code \(valid 24 h, once\): (\S+)", out)
    fingerprint = re.search(r"fingerprint: ([0-9a-f]{64})", out)
    assert code and fingerprint, out
    url = hub.start()
    with pytest.raises(HubRefused) as err:
        enrol(url, code.group(1), "Till 1", "00" * 32)  # not the hub's CA: refused, code kept
    assert err.value.code == "fingerprint_mismatch"
    enrolment = enrol(url, code.group(1), "Till 1", fingerprint.group(1))
    client = HubClient(enrolment)
    try:
        rows = TillRows(enrolment.till_id).sale("O1", 350)
        assert client.upload(rows) == 5
        assert client.upload(rows) == 5
        assert client.master_since(0) == {"version": 0, "changes": []}
    finally:
        client.close()
    with pytest.raises(httpx.ConnectError):  # the system CAs do not vouch for the hub
        httpx.get(f"{url}/health", timeout=5)
    out = hub.cli("revoke", enrolment.till_id)
    assert "revoked" in out
    client = HubClient(enrolment)
    try:
        with pytest.raises(HubRefused) as refused:
            client.upload(TillRows(enrolment.till_id).sale("O2", 1))
        assert refused.value.status == 401
    finally:
        client.close()
    log = hub.log.read_text()
    assert "enrolled" in log and code.group(1) not in log and enrolment.token not in log
    assert (hub.data_dir / "tls" / "server.key").stat().st_mode & 0o077 == 0
    if db_url.startswith("sqlite"):
        db_file = Path(db_url.split("///", 1)[1])
        assert db_file.stat().st_mode & 0o077 == 0
        assert db_file.parent.stat().st_mode & 0o077 == 0
