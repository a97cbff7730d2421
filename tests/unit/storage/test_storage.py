from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState, PaymentMethod
from pos_app.domain.refund import NewRefund, RefundState
from pos_app.domain.staff import Role
from pos_app.storage.audit import AuditLog
from pos_app.storage.catalog import ProductRepository, demo_products, ean13_check_digit
from pos_app.storage.db import Database, default_db_path
from pos_app.storage.errors import SchemaTooNewError, StorageBugError
from pos_app.storage.migrate import migrations, schema_version
from pos_app.storage.orders import OrderRepository
from pos_app.storage.payments import PaymentAttemptRepository
from pos_app.storage.refunds import RefundRepository
from pos_app.storage.shifts import ShiftRepository
from pos_app.storage.staff import UserRepository


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "pos.sqlite3")


def test_pragmas_and_version(db: Database) -> None:
    c = db.connection()
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert schema_version(c) == len(migrations()) >= 1


def test_reopen_is_idempotent_and_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "pos.sqlite3"
    Database(path).close()
    Database(path).close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 999")
    raw.close()
    with pytest.raises(SchemaTooNewError):
        Database(path)


def test_default_path_uses_platformdirs(tmp_path: Path) -> None:
    assert default_db_path(tmp_path) == tmp_path / "pos_app.sqlite3"
    assert default_db_path().name == "pos_app.sqlite3"


def test_one_connection_per_thread(db: Database) -> None:
    seen: list[sqlite3.Connection] = []
    t = threading.Thread(target=lambda: seen.append(db.connection()))
    t.start()
    t.join()
    assert seen[0] is not db.connection()


def test_transaction_rolls_back_on_error(db: Database) -> None:
    repo = ProductRepository(db)
    with pytest.raises(RuntimeError), db.transaction():
        repo.upsert(demo_products()[0])
        raise RuntimeError
    assert repo.all() == []
    with pytest.raises(StorageBugError), db.transaction() as conn:
        conn.execute("INSERT INTO order_lines (order_id, line_no, sku, name, unit_price_fen,"
                     " quantity, net_fen) VALUES (999, 1, 'x', 'x', 1, 1, 1)")  # FK


def test_demo_catalogue_and_lookups(db: Database) -> None:
    repo = ProductRepository(db)
    assert repo.seed_demo() == 12 and repo.seed_demo() == 0
    for p in repo.all():
        assert len(p.barcode) == 13 and p.barcode[-1] == ean13_check_digit(p.barcode[:12])
    coke = repo.by_barcode(demo_products()[0].barcode)
    assert coke is not None and coke.name == "可口可乐 330ml" and coke.price == 300
    assert repo.by_barcode("0000000000000") is None
    assert [p.sku for p in repo.search("可乐")] == ["COKE330"]
    assert repo.search("coke")[0].sku == "COKE330"
    assert repo.search("%") == [] and repo.search("_") == []
    keys = repo.quick_keys()
    assert [p.quick_key for p in keys] == sorted(p.quick_key for p in keys if p.quick_key)
    assert ean13_check_digit("400638133393") == "1"  # a well-known valid EAN-13


def _cart() -> Cart:
    cart = Cart()
    products = demo_products()
    cart.add(products[0], 2)
    cart.add(products[4])
    cart.set_line_discount(1, Fen(50))
    cart.set_order_discount(Fen(10))
    return cart


def test_orders_round_trip(db: Database) -> None:
    orders = OrderRepository(db)
    oid = orders.create(_cart(), cashier="alice")
    o = orders.get(oid)
    assert o is not None and o.status == OrderStatus.OPEN
    assert (o.subtotal, o.discount, o.total) == (1000, 10, 990)
    lines = orders.lines(oid)
    assert [(ln.sku, ln.quantity, ln.net) for ln in lines] == [("COKE330", 2, 600),
                                                               ("NOODLE", 1, 400)]
    assert [r.id for r in orders.recent()] == [oid]
    with pytest.raises(ValueError):
        orders.create(Cart(), cashier="alice")
    orders.void(oid)
    with pytest.raises(ValueError):
        orders.void(oid)


def test_attempt_events_are_append_only(db: Database) -> None:
    oid = OrderRepository(db).create(_cart(), cashier="a")
    repo = PaymentAttemptRepository(db)
    with db.transaction() as conn:
        aid = repo.insert(conn, order_id=oid, method=PaymentMethod.CODEPAY,
                          out_trade_no="P123456789", amount=Fen(990),
                          auth_code_masked="1300****9406")
    repo.transition(aid, AttemptState.AWAITING_CUSTOMER, validate=lambda a, b: None,
                    note="USERPAYING")
    repo.note(aid, "query USERPAYING", last_error="x")
    assert [(e.from_state, e.to_state) for e in repo.events(aid)] == [
        (None, AttemptState.CREATED), (AttemptState.CREATED, AttemptState.AWAITING_CUSTOMER),
        (AttemptState.AWAITING_CUSTOMER, AttemptState.AWAITING_CUSTOMER)]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.connection().execute("UPDATE attempt_events SET note = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.connection().execute("DELETE FROM attempt_events")
    with pytest.raises(StorageBugError), db.transaction() as conn:  # out_trade_no UNIQUE
        repo.insert(conn, order_id=oid, method=PaymentMethod.NATIVE,
                    out_trade_no="P123456789", amount=Fen(990))
    assert [a.id for a in repo.unfinished()] == [aid]
    with pytest.raises(ValueError):
        repo.transition(aid, AttemptState.PAID, validate=lambda a, b: None, state="x")


def test_users_shifts_audit_refunds(db: Database) -> None:
    users = UserRepository(db)
    users.add_user("王经理", Role.MANAGER, "scrypt$hash")
    u = users.get_user("王经理")
    assert u is not None and u.role == Role.MANAGER and u.failed_attempts == 0
    until = datetime.now(UTC) + timedelta(minutes=5)
    users.save_login_state("王经理", 0, until)
    u = users.get_user("王经理")
    assert u is not None and u.locked_until == until
    assert users.get_user("nobody") is None

    shifts = ShiftRepository(db)
    sid = shifts.open("alice", Fen(20000)).shift_id
    with pytest.raises(ValueError):
        shifts.open("bob", Fen(0))
    shifts.close(sid, "alice", Fen(25000))
    s = shifts.get(sid)
    assert s is not None and s.counted_cash == 25000 and shifts.current() is None

    log = AuditLog(db)
    log.record("alice", "void", {"order": 1})
    assert [(e.actor, e.action, e.detail) for e in log.recent()] == [
        ("alice", "void", {"order": 1})]

    oid = OrderRepository(db).create(_cart(), cashier="a")
    refunds = RefundRepository(db)
    [r] = refunds.add(oid, lambda existing: [_new_refund(oid, "R1", 100)])
    refunds.transition(r.refund_id, RefundState.SUCCESS, wechat_refund_id="5030")
    r = refunds.get(r.refund_id)  # type: ignore[assignment]
    assert r is not None and r.state is RefundState.SUCCESS and r.wechat_refund_id == "5030"
    assert refunds.refunded_total(oid) == 100
    with pytest.raises(StorageBugError):
        refunds.add(oid, lambda existing: [_new_refund(oid, "R1", 1)])


def _new_refund(order_id: int, no: str, amount: int, *, attempt_id: int = 0,
                lines: tuple[tuple[int, int], ...] = ()) -> NewRefund:
    return NewRefund(order_id=order_id, attempt_id=attempt_id, method=PaymentMethod.NATIVE,
                     out_refund_no=no, out_trade_no="", amount=Fen(amount),
                     payment_total=Fen(990), reason="坏了", requested_by="amy",
                     approved_by="王经理", created_at=datetime.now(UTC), lines=lines)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_data_directory_and_files_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)                          # a usual umask: files 0644, dirs 0755
    try:
        data = tmp_path / "data" / "pos"
        db = Database(data / "pos_app.sqlite3")
        with db.transaction() as conn:             # writes: -wal and -shm exist now
            conn.execute("INSERT INTO audit_log (who, what, at) VALUES ('a', 'b', 'c')")
        files = sorted(p.name for p in data.iterdir())
        assert files == ["pos_app.sqlite3", "pos_app.sqlite3-shm", "pos_app.sqlite3-wal"]
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        for f in data.iterdir():
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        db.close()
        (data / "pos_app.sqlite3").chmod(0o644)    # an old, world-readable database
        data.chmod(0o755)
        Database(data / "pos_app.sqlite3").close()
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert stat.S_IMODE((data / "pos_app.sqlite3").stat().st_mode) == 0o600
    finally:
        os.umask(old)
