"""The one simulator fixture set: a settable business clock, a module-scoped simulator
(and its merchant config), a fresh engine per test, and ``own_simulator`` for a test that
needs a simulator of its own (different provisioning or switches).

Use in a folder's ``conftest.py``: ``from tests.sim_fixtures import *  # noqa: F403``.
Faults are reset after every test (``_sim_reset_faults``, autouse).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pos_app.simulator.engine import Engine
from pos_app.simulator.server import SimulatorServer
from pos_app.wechatpay.config import MerchantConfig, load_merchant_config

__all__ = ["Clock", "_sim_reset_faults", "cfg", "clock", "engine", "engine_clock", "own_simulator", "sim"]

CST = dt.timezone(dt.timedelta(hours=8))
#: 2026-11-20 10:00 China time: a weekday morning after the previous day's bill is ready.
T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CST).timestamp()


class Clock:
    """The simulator's business time; tests move it with ``clock.advance(s)`` or ``clock.now += s``."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def own_simulator(state_dir: Path, clock: Clock | None = None, **kwargs: Any) -> Iterator[SimulatorServer]:
    """A started simulator for one test (stopped and its database closed afterwards)."""
    server = SimulatorServer(state_dir, clock=clock or Clock(), **kwargs).start()
    try:
        yield server
    finally:
        server.stop()
        server.engine.close_db()


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory, clock: Clock) -> Iterator[SimulatorServer]:
    with own_simulator(tmp_path_factory.mktemp("sim"), clock, refund_delay_s=0) as server:
        yield server


@pytest.fixture(scope="module")
def cfg(sim: SimulatorServer) -> MerchantConfig:
    return load_merchant_config(sim.merchant_config_path)


@pytest.fixture(autouse=True)
def _sim_reset_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "sim" in request.fixturenames:
        server = request.getfixturevalue("sim")
        if isinstance(server, SimulatorServer):  # a folder may also hold another channel's "sim"
            server.reset_faults()


@pytest.fixture
def engine_clock() -> Clock:
    return Clock()


@pytest.fixture
def engine(tmp_path: Path, engine_clock: Clock) -> Iterator[Engine]:
    """A fresh engine (no HTTP) whose refunds take 10 s of business time."""
    e = Engine(tmp_path, clock=engine_clock, refund_delay_s=10)
    yield e
    e.close_db()
