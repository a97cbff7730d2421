"""One simulator per session (keys generated once); faults reset after every test."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from pos_app.simulator.server import SimulatorServer


class ShiftableClock:
    """Real time plus an offset the tests can move forward (business time only)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture(scope="session")
def sim_clock() -> ShiftableClock:
    return ShiftableClock()


@pytest.fixture(scope="session")
def sim(tmp_path_factory: pytest.TempPathFactory, sim_clock: ShiftableClock) -> Iterator[SimulatorServer]:
    server = SimulatorServer(tmp_path_factory.mktemp("wxsim"), clock=sim_clock, refund_delay_s=0).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _reset_faults(sim: SimulatorServer) -> Iterator[None]:
    yield
    sim.reset_faults()
