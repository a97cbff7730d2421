"""The payment connection, built when first needed: the demo simulators (WeChat Pay at
start-up of the sale screen, Alipay on its first call) or the shop's merchant configs; the
demo customer's phone; the checks Settings runs on a merchant config file."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pos_app.startup_plan import StartupError

if TYPE_CHECKING:
    from pos_app.payments.gateway import PaymentChannel
    from pos_app.simulator.server import SimulatorServer

T = TypeVar("T")

ALIPAY_SCENARIO = "alipay:"          # demo phone scenarios of the Alipay simulator


class SimulatorCustomer:
    """:class:`pos_app.ui.services.DemoCustomer` over the embedded simulators: WeChat Pay
    (anything with ``pay(code_url=…)``: the server itself or the :class:`Connection`
    starting it), and Alipay (``alipay`` returns its server, started on first use)."""

    def __init__(self, server: Any, alipay: Callable[[], Any] | None = None) -> None:
        self._server = server
        self._alipay = alipay

    def pay_code_url(self, code_url: str) -> None:
        if self._alipay is not None and code_url.startswith("https://qr.alipay.com/"):
            self._alipay().customer_pay(qr_code=code_url)
        else:
            self._server.pay(code_url=code_url)

    def scenarios(self) -> list[str]:
        from pos_app.simulator.scenarios import SCENARIOS

        names = list(SCENARIOS)
        if self._alipay is not None:
            from pos_app.simulator.alipay.scenarios import SCENARIOS as ALIPAY

            names += [ALIPAY_SCENARIO + name for name in ALIPAY]
        return names

    def auth_code_for(self, scenario: str) -> str:
        if scenario.startswith(ALIPAY_SCENARIO):
            from pos_app.simulator.alipay.scenarios import auth_code_for as alipay_code

            return alipay_code(scenario.removeprefix(ALIPAY_SCENARIO))
        from pos_app.simulator.scenarios import auth_code_for

        return auth_code_for(scenario)


class LazyChannel:
    """A payment channel built on its first call (on the payment lane, never the UI
    thread) — demo mode's Alipay simulator starts only when Alipay is used."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._channel: Any = None

    def get(self) -> Any:
        with self._lock:
            if self._channel is None:
                self._channel = self._build()
            return self._channel

    def __getattr__(self, name: str) -> Any:   # the PaymentChannel methods
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get(), name)


def check_alipay_config(path: Path) -> str:
    """Validate an Alipay merchant config (and read its keys/certificates); a one-line
    summary or ValueError saying what is wrong (field or file)."""
    from pos_app.alipay import AlipayClient, AlipayError, load_alipay_config

    try:
        cfg = load_alipay_config(path)
        AlipayClient.from_config(cfg).close_client()   # reads and cross-checks the key files
    except AlipayError as exc:
        raise ValueError(str(exc)) from exc
    mode = "certificates" if cfg.cert_mode else "public key"
    return f"app_id {cfg.app_id}, {cfg.gateway_url}, {mode}"


def check_merchant_config(path: Path) -> str:
    """Validate a merchant config; a one-line summary or ValueError (ConfigError)."""
    from pos_app.wechatpay.config import load_merchant_config

    cfg = load_merchant_config(path)
    verify = "public key " + (cfg.public_key_id or "") if cfg.uses_public_key else \
        "platform certificates"
    return f"mchid {cfg.mchid}, appid {cfg.appid}, {cfg.base_url}, {verify}"


# --------------------------------------------------------------------------- lazy parts


class Once(Generic[T]):
    """A value built by the first thread that asks for it; the others wait for it. A build
    that raised is retried by the next caller (a demo simulator that could not start,
    say), and the exception goes to the caller that triggered it."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None
        self._built = False

    @property
    def built(self) -> bool:
        return self._built

    def get(self) -> T:
        with self._lock:
            if not self._built:
                self._value = self._build()
                self._built = True
            return self._value  # type: ignore[return-value]


@dataclass
class Connected:
    """The payment side: the gateway, and in demo mode the simulator it talks to."""

    gateway: PaymentChannel
    server: SimulatorServer | None = None


class Connection(Once[Connected]):
    """:class:`Once` for the payment side; also the demo customer's way to the simulator."""

    def pay(self, *, code_url: str) -> None:
        server = self.get().server
        if server is None:
            raise RuntimeError("no simulator in live mode")
        server.pay(code_url=code_url)

    def close(self) -> None:
        if self.built and (server := self.get().server) is not None:
            server.stop()


class LazyGateway:
    """Stands in for the gateway until a call needs it (recovery with nothing unfinished,
    the sign-in screen and the sale screen never do): every attribute is the real
    gateway's, built by :class:`Connection` on first use."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection.get().gateway, name)


def demo_connection(demo_dir: Path, till_id: str = "01") -> Connected:
    """Start the embedded simulator (keys generated on its first run) and the gateway.
    The simulator is as unkind as WeChat Pay (realistic defaults: training mode shows the
    ¥1000 password rule, the close lag …)."""
    from pos_app.payments.channels.wechat import WechatChannel
    from pos_app.simulator.server import SimulatorServer
    from pos_app.wechatpay.config import load_merchant_config

    server = SimulatorServer(demo_dir / "simulator").start()
    try:
        merchant = load_merchant_config(server.merchant_config_path)
        return Connected(WechatChannel.from_config(merchant, device_id=till_id), server)
    except BaseException:
        server.stop()
        raise


def alipay_channel(path: Path) -> Any:
    """The Alipay channel from its merchant config; a clear StartupError if invalid."""
    from pos_app.alipay import AlipayError, load_alipay_config
    from pos_app.payments.channels.alipay import AlipayChannel

    try:
        return AlipayChannel.from_config(load_alipay_config(path.resolve()))
    except (AlipayError, ValueError, OSError) as exc:
        raise StartupError(f"Alipay config: {exc}") from exc


def start_alipay_simulator(demo_dir: Path, closers: list[Any]) -> Any:
    from pos_app.simulator.alipay.server import AlipaySimulatorServer

    server = AlipaySimulatorServer(demo_dir / "alipay_simulator").start()
    closers.insert(0, server.stop)   # closed after the till (closers run in reverse)
    return server
