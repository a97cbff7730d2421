"""Backups (issue 12 item 13): online, verified, owner-only generations in a second
place; a backup killed with SIGKILL half-way (a real subprocess) never counts as one and
hurts neither the till's database nor older generations; a restored backup passes the
recovery checks (a TillService on it recovers the payment that was open when it was taken).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.domain.payment import AttemptState
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.policy import PollPolicy, Schedule
from pos_app.payments.till import TillService
from pos_app.simulator.server import SimulatorServer
from pos_app.storage.backup import (
    PARTIAL,
    BackupError,
    BackupScheduler,
    backup_folder,
    backup_now,
    integrity_problem,
    list_backups,
    restore,
)
from pos_app.storage.catalog import ProductRepository, demo_products, ean13
from pos_app.storage.db import Database
from pos_app.storage.lock import InstanceLock, InstanceLockedError
from pos_app.wechatpay.config import load_merchant_config
from tests.faults.invariants import assert_consistent

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
POLICY = PollPolicy(
    codepay_poll=Schedule(((float("inf"), 0.2),)), codepay_deadline=2.0,
    unknown_first_wait=0.2, native_poll=Schedule(((float("inf"), 0.2),)),
    prepay_retry_waits=(0.1,), reverse_retry_waits=(0.3, 0.5), close_retry_waits=(0.2, 0.5),
    not_found_grace=0.5,
)


def _till(db_path: Path, sim: SimulatorServer, *, recover: bool = True) -> TillService:
    gateway = WechatChannel.from_config(load_merchant_config(sim.merchant_config_path))
    till = TillService(Database(db_path), gateway, policy=POLICY)
    if recover:
        till.recover()
    return till


def _wait(cond: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _sale(till: TillService) -> int:
    cart = Cart()
    cart.add(demo_products()[0], 1)
    return till.pay_native(till.create_order(cart, cashier="王芳"))


def test_kill_during_backup_then_restore_and_recover(tmp_path: Path, sim: SimulatorServer) -> None:
    data = tmp_path / "till"
    db_path = data / "pos_app.sqlite3"
    usb = tmp_path / "usb"
    till = _till(db_path, sim)
    # a few MB of catalogue, so a slow backup is still running when it is killed
    ProductRepository(till.db).import_products([
        Product(f"S{i:06d}", f"商品 {i} " + "规格" * 20, Fen(100 + i), ean13(f"69{i:010d}"))
        for i in range(30_000)])
    paid = _sale(till)
    _wait(lambda: till.attempt(paid).state is AttemptState.AWAITING_CUSTOMER, 20, "QR 1")  # type: ignore[union-attr]
    sim.pay(out_trade_no=till.attempt(paid).out_trade_no)  # type: ignore[union-attr]
    _wait(lambda: till.attempt(paid).state is AttemptState.PAID, 20, "paid")  # type: ignore[union-attr]
    waiting = _sale(till)
    _wait(lambda: till.attempt(waiting).state is AttemptState.AWAITING_CUSTOMER, 20, "QR 2")  # type: ignore[union-attr]

    # generation 1, taken online while the till polls the open QR
    first = backup_now(db_path, usb, keep=3)
    assert list_backups(usb) == [first.path]
    assert integrity_problem(first.path) is None
    if os.name == "posix":
        assert first.path.stat().st_mode & 0o777 == 0o600
        assert backup_folder(usb).stat().st_mode & 0o777 == 0o700

    # generation 2 is killed half-way (a real process, SIGKILL)
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from pos_app.storage.backup import backup_now; "
         "backup_now(Path(sys.argv[1]), Path(sys.argv[2]), pages_per_step=2, pause=0.02)",
         str(db_path), str(usb)], cwd=ROOT)
    partials = lambda: list(backup_folder(usb).glob("*" + PARTIAL))  # noqa: E731

    def half_copied() -> bool:
        # the till's polling writes restart SQLite's online backup, so under load the copy
        # can stay small for a while: 16 pages copied is "half-way" enough
        assert child.poll() is None, "the backup finished before it could be killed"
        sizes = []
        for p in partials():
            with contextlib.suppress(FileNotFoundError):
                sizes.append(p.stat().st_size)
        return any(size >= 16 * 4096 for size in sizes)

    _wait(half_copied, 60, "a half backup")
    child.send_signal(signal.SIGKILL)
    assert child.wait(10) == -signal.SIGKILL
    assert partials()                                  # the half copy is there …
    assert list_backups(usb) == [first.path]          # … and never counts as a backup
    assert integrity_problem(first.path) is None
    assert integrity_problem(db_path) is None          # the till's own database is fine

    # the customer pays the QR that was open in generation 1; then the disk is lost
    sim.pay(out_trade_no=till.attempt(waiting).out_trade_no)  # type: ignore[union-attr]
    _wait(lambda: till.attempt(waiting).state is AttemptState.PAID, 20, "paid 2")  # type: ignore[union-attr]
    till.shutdown()
    till.db.close()
    for suffix in ("", "-wal", "-shm"):
        path = db_path.with_name(db_path.name + suffix)
        if path.exists():
            path.write_bytes(b"\0" * 4096)             # destroyed

    kept = restore(list_backups(usb)[0], db_path)
    assert kept is not None and kept.name.startswith("pos_app.sqlite3.before-restore-")
    assert integrity_problem(db_path) is None
    if os.name == "posix":
        assert db_path.stat().st_mode & 0o777 == 0o600

    # the recovery checks: a till on the restored database (where the QR is still open)
    # resolves it as paid
    restored = _till(db_path, sim, recover=False)
    try:
        assert restored.attempt(waiting).state is AttemptState.AWAITING_CUSTOMER  # type: ignore[union-attr]
        restored.recover()
        assert restored.attempt(waiting).state is AttemptState.PAID  # type: ignore[union-attr]
        assert restored.attempt(paid).state is AttemptState.PAID  # type: ignore[union-attr]
        assert ProductRepository(restored.db).by_sku("S029999") is not None
        assert_consistent(restored, sim, load_merchant_config(sim.merchant_config_path).mchid)
    finally:
        restored.shutdown()
        restored.db.close()

    # the next backup clears the stale half copy and keeps `keep` generations
    second = backup_now(db_path, usb, keep=1)
    assert not partials()
    assert list_backups(usb) == [second.path]
    assert not first.path.exists() and first.path in second.removed


def test_restore_refuses_a_damaged_backup_or_a_running_till(tmp_path: Path) -> None:
    data = tmp_path / "till"
    db = Database(data / "pos_app.sqlite3")
    ProductRepository(db).import_products(demo_products())
    db.close()
    good = backup_now(data / "pos_app.sqlite3", tmp_path / "usb").path
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size // 2] + b"\x00" * 4096)
    before = (data / "pos_app.sqlite3").read_bytes()
    with pytest.raises(BackupError):
        restore(damaged, data / "pos_app.sqlite3")
    with InstanceLock(data), pytest.raises(InstanceLockedError):
        restore(good, data / "pos_app.sqlite3")
    assert (data / "pos_app.sqlite3").read_bytes() == before
    assert not list(data.glob("*.before-restore-*"))


@pytest.mark.logs_errors  # the failing backup is logged as an error
def test_the_scheduler_keeps_generations_and_reports_failures(tmp_path: Path) -> None:
    db = Database(tmp_path / "pos_app.sqlite3")
    ProductRepository(db).import_products(demo_products())
    results: list[object] = []
    scheduler = BackupScheduler(db.path, tmp_path / "usb", interval=0.05, keep=2,
                                first_delay=0, on_result=results.append).start()
    _wait(lambda: len(results) >= 4, 20, "four backups")
    scheduler.stop()
    assert len(list_backups(tmp_path / "usb")) == 2
    assert all(not isinstance(r, BackupError) for r in results)
    # a location that cannot be written: a failure reported, not raised
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    failing = BackupScheduler(db.path, blocked, interval=1, keep=1, first_delay=0)
    assert isinstance(failing.run_once(), BackupError)
    db.close()
