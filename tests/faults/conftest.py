"""A simulator per test module (its state is SQLite under tmp, shared with drivers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.simulator.realism import Realism
from pos_app.simulator.server import SimulatorServer


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorServer]:
    # instant close until the workflow queries after close (issue 11 #1)
    server = SimulatorServer(Path(tmp_path_factory.mktemp("sim")), realism=Realism(close_lag_s=0)).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _clean_faults(sim: SimulatorServer) -> Iterator[None]:
    sim.engine.reset_faults()
    yield
    sim.engine.reset_faults()
