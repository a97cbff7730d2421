"""One data folder, one running till (issue 12 item 3), with real processes.

Till A (the real app, live mode against the simulator) runs on a data folder and a QR
payment waits there for the customer. Till B is started on the same folder by mistake
(``--smoke-test``: it would sign in and run start-up recovery at once): it must refuse in
one clear line before touching anything — the waiting QR stays open at WeChat and in the
database. Once A dies (kill -9) the operating system has dropped the lock: a new till
starts with no clean-up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.payment import AttemptState
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.till import TillService
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.catalog import demo_products
from pos_app.storage.db import Database
from pos_app.storage.lock import LOCK_FILENAME, InstanceLock, InstanceLockedError
from pos_app.wechatpay.config import load_merchant_config

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}


def _till(config: Path, data_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pos_app", "--config", str(config), "--data-dir",
            str(data_dir), "--lang", "en", *extra]


def _wait_for(cond: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _db_ready(db_path: Path) -> bool:
    if not db_path.exists():
        return False
    import sqlite3

    try:
        with sqlite3.connect(db_path) as conn:
            return bool(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return False


def _trade_state(sim: SimulatorServer, out_trade_no: str) -> str:
    return next(o.trade_state for o in sim.engine.orders() if o.out_trade_no == out_trade_no)


def test_a_second_till_on_the_same_data_folder_refuses_and_touches_nothing(
    tmp_path: Path, sim: SimulatorServer
) -> None:
    data = tmp_path / "till"
    config = tmp_path / "shop.toml"
    config.write_text(f'merchant_config = "{sim.merchant_config_path.as_posix()}"\n'
                      'shop_name = "A"\ntill_id = "01"\n', encoding="utf-8")
    db_path = data / "pos_app.sqlite3"
    first = subprocess.Popen(_till(config, data), cwd=ROOT, env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    till: TillService | None = None
    try:
        _wait_for(lambda: _db_ready(db_path) or first.poll() is not None, 60, "till A")
        assert first.poll() is None, first.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
        # till A's cashier shows a QR code; the customer has not paid yet
        till = TillService(Database(db_path, till_id="01"),
                           WechatChannel.from_config(load_merchant_config(sim.merchant_config_path)),
                           till_id="01")
        till.recover()
        cart = Cart()
        cart.add(demo_products()[0], 1)
        attempt_id = till.pay_native(till.create_order(cart, cashier="A"))
        _wait_for(lambda: till.attempt(attempt_id).state is AttemptState.AWAITING_CUSTOMER,  # type: ignore[union-attr]
                  20, "the QR code")
        events_before = len(till.attempt_events(attempt_id))
        out_trade_no = till.attempt(attempt_id).out_trade_no  # type: ignore[union-attr]

        second = subprocess.run(_till(config, data, "--smoke-test"), cwd=ROOT, env=ENV,
                                capture_output=True, text=True, timeout=90)
        assert second.returncode == 2, second.stderr[-2000:]
        lines = [ln for ln in second.stderr.splitlines() if ln.startswith("pos-app:")]
        assert len(lines) == 1 and "Another till is already running" in lines[0], second.stderr
        assert f"pid {first.pid}" in lines[0]
        assert "Traceback" not in second.stderr
        # nothing touched: the QR is still open at WeChat and waiting in the database
        assert _trade_state(sim, out_trade_no) == "NOTPAY"
        assert till.attempt(attempt_id).state is AttemptState.AWAITING_CUSTOMER  # type: ignore[union-attr]
        assert len(till.attempt_events(attempt_id)) == events_before
    finally:
        if till is not None:
            till.shutdown(wait=False)
        first.send_signal(signal.SIGKILL)          # a crash: the OS drops the lock
        first.wait(10)
        assert first.stdout is not None and first.stderr is not None
        first.stdout.close()
        first.stderr.close()
    # no stale lock after kill -9: the next till starts (and recovers the QR)
    third = subprocess.run(_till(config, data, "--smoke-test"), cwd=ROOT, env=ENV,
                           capture_output=True, text=True, timeout=120)
    assert third.returncode == 0, third.stderr[-2000:]
    assert (data / LOCK_FILENAME).exists()


def test_the_lock_is_per_open_file_and_released_by_the_os(tmp_path: Path) -> None:
    """In-process: a second lock on the folder is refused, a released one can be taken;
    a child that holds it and dies by SIGKILL leaves it free."""
    with InstanceLock(tmp_path):
        with pytest.raises(InstanceLockedError) as info:
            InstanceLock(tmp_path).acquire()
        assert info.value.message.param_dict()["holder"].startswith(f"pid {os.getpid()} ")
    InstanceLock(tmp_path).acquire().release()
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from pos_app.storage.lock import InstanceLock; lk = InstanceLock(Path(sys.argv[1])).acquire();"
         " print('held', flush=True); time.sleep(60)", str(tmp_path)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    with pytest.raises(InstanceLockedError):
        InstanceLock(tmp_path).acquire()
    child.kill()
    child.wait(10)
    child.stdout.close()
    InstanceLock(tmp_path).acquire().release()
    if os.name == "posix":
        assert (tmp_path / LOCK_FILENAME).stat().st_mode & 0o077 == 0
