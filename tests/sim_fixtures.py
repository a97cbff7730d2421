"""A module-scoped simulator with a settable business clock, for tests that import it.

Use: ``from tests.sim_fixtures import Clock, cfg, clock, sim  # noqa: F401``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pos_app.simulator.server import SimulatorServer
from pos_app.wechatpay.config import MerchantConfig, load_merchant_config


class Clock:
    """The simulator's business time; tests move it with ``clock.now += seconds``."""

    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory, clock: Clock) -> Iterator[SimulatorServer]:
    server = SimulatorServer(tmp_path_factory.mktemp("sim"), clock=clock)
    server.start()
    yield server
    server.stop()
    server.engine.close_db()


@pytest.fixture(scope="module")
def cfg(sim: SimulatorServer) -> MerchantConfig:
    return load_merchant_config(sim.merchant_config_path)
