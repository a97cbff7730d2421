"""One Alipay simulator per session (keys generated once); faults reset after every test."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from pos_app.alipay import AlipayClient, load_alipay_config
from pos_app.simulator.alipay.server import AlipaySimulatorServer


class ShiftableClock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture(scope="session")
def ali_clock() -> ShiftableClock:
    return ShiftableClock()


@pytest.fixture(scope="session")
def ali_sim(tmp_path_factory: pytest.TempPathFactory, ali_clock: ShiftableClock) -> Iterator[AlipaySimulatorServer]:
    server = AlipaySimulatorServer(tmp_path_factory.mktemp("alisim"), clock=ali_clock,
                                   bill_ready_hour=None).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _reset(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "ali_sim" in request.fixturenames:
        request.getfixturevalue("ali_sim").reset_faults()
        request.getfixturevalue("ali_clock").offset = 0.0


@pytest.fixture(params=["public_key", "cert"])
def client(request: pytest.FixtureRequest, ali_sim: AlipaySimulatorServer) -> Iterator[AlipayClient]:
    path = ali_sim.merchant_config_path if request.param == "public_key" else ali_sim.merchant_certmode_config_path
    with AlipayClient.from_config(load_alipay_config(path)) as c:
        yield c


def new_no(prefix: str = "T") -> str:
    return f"{prefix}{time.time_ns()}"
