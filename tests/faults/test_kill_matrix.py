"""SIGKILL the till at every step of a WeChat Pay Native and payment-code payment,
restart, recover, and check that every order ends paid exactly once or not charged
(the harness: tests/faults/kill_harness.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.till import TillService
from pos_app.simulator.scenarios import auth_code_for
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.db import Database
from pos_app.wechatpay.config import load_merchant_config
from tests.faults.invariants import assert_consistent
from tests.faults.kill_harness import (
    RECOVERY_POLICY,
    Scenarios,
    kill_matrix,
    point_ids,
    recover_after_kill,
    run_until_killed,
)

pytestmark = pytest.mark.slow

MATRIX = kill_matrix(Scenarios(
    success="success", waiting_then_paid="userpaying_then_success",
    waiting_forever="userpaying_forever",
    unknown=("systemerror_but_charged", "systemerror_not_charged", "bankerror_but_charged"),
    refused="notenough"))


@pytest.mark.parametrize(("flow", "scenario", "kill_at", "nth"), MATRIX, ids=point_ids(MATRIX))
def test_sigkill_then_recover(sim: SimulatorServer, tmp_path: Path, flow: str,
                              scenario: str, kill_at: str, nth: int) -> None:
    db = tmp_path / "pos.sqlite3"
    code = auth_code_for(scenario, seconds=1) if scenario.startswith("userpaying_then") else (
        auth_code_for(scenario) if scenario else "")
    run_until_killed(db, sim.merchant_config_path, sim.base_url, flow, code, kill_at, nth,
                     "wechat")

    # --- restart: a fresh process state, the same database file
    cfg = load_merchant_config(sim.merchant_config_path)
    database = Database(db)
    till = TillService(database, WechatChannel.from_config(cfg), policy=RECOVERY_POLICY)
    recover_after_kill(till)
    assert_consistent(till, sim, cfg.mchid)
    assert till.unfinished_attempts() == []
    till.shutdown()
    database.close()


def test_matrix_size() -> None:
    """The report quotes this number."""
    assert len(MATRIX) >= 40
