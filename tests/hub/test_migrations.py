"""The hub's Alembic migrations on SQLite and PostgreSQL: a hub database made at 0001 (with
data) is brought to head when the hub starts (server.open_store → db.migrate) and keeps its
rows; 0002's master index (kind, key, version) is there, is what the planner takes for the
hub's lookup of the latest version of one product or staff member, and downgrades away."""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from pos_app.hub import schema
from pos_app.hub.config import HubConfig
from pos_app.hub.db import alembic_config, make_engine, migrate
from pos_app.hub.protocol import Batch
from pos_app.hub.server import open_store
from pos_app.hub.store import HubStore, latest_master
from tests.hub.rows import TillRows

MASTER_INDEX = "ix_master_kind_key_version"


def head() -> str:
    found = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert found is not None
    return found


def to_revision(engine: Engine, revision: str, *, down: bool = False) -> None:
    """What db.migrate does, to a given revision (or down to it)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def master_indexes(engine: Engine) -> dict[str, list[str | None]]:
    return {str(ix["name"]): ix["column_names"] for ix in inspect(engine).get_indexes("master")}


def product(sku: str, price_fen: int) -> dict[str, object]:
    return {"sku": sku, "name": f"商品 {sku}", "price_fen": price_fen, "barcode": None}


def test_head_is_0002() -> None:
    assert head() == "0002"


def test_hub_start_upgrades_a_0001_database_and_keeps_its_rows(
        db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    to_revision(engine, "0001")
    assert current(engine) == "0001"
    assert MASTER_INDEX not in master_indexes(engine)
    old = HubStore(engine)                      # the hub as it ran at 0001
    till, _ = old.enrol(old.create_enrol_code(), "收银台 1")
    old.put_master([("product", "P1", product("P1", 300)),
                    ("product", "P2", product("P2", 450)),
                    ("product", "P1", product("P1", 320))], "hub admin")
    old.set_staff("王芳", role="cashier", pin_hash="")
    before = old.master_since(0)
    engine.dispose()

    store = open_store(HubConfig(data_dir=tmp_path / "hubdata", database_url=db_url))
    try:
        assert current(store.engine) == head()
        assert master_indexes(store.engine)[MASTER_INDEX] == ["kind", "key", "version"]
        assert store.master_since(0) == before
        assert [t.till_id for t in store.tills()] == [till]
        assert [s["name"] for s in store.staff()] == ["王芳"]
        # the lookup the index serves: P1's latest version (320) is held, an identical
        # edit adds no version, a new price does
        rows = TillRows(till)
        store.ingest(till, Batch(0, (
            rows.row("product", sku="P1", name="商品 P1", price_fen=320, barcode=None,
                     active=True, at_enrolment=False),
            rows.row("product", sku="P2", name="商品 P2", price_fen=460, barcode=None,
                     active=True, at_enrolment=False))))
        version, changes = store.master_since(before[0])
        assert version == before[0] + 1
        assert [(c["key"], c["data"]["price_fen"]) for c in changes] == [("P2", 460)]
    finally:
        store.engine.dispose()


def test_a_new_database_gets_the_index(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)                             # idempotent, as at every hub start
    assert current(engine) == head()
    assert master_indexes(engine)[MASTER_INDEX] == ["kind", "key", "version"]
    engine.dispose()


def test_schema_module_matches_the_migrations(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_drops_the_index_and_keeps_the_rows(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    store = HubStore(engine)
    store.put_master([("product", "P1", product("P1", 300))], "hub admin")
    to_revision(engine, "0001", down=True)
    assert current(engine) == "0001"
    assert MASTER_INDEX not in master_indexes(engine)
    assert [c["key"] for c in store.master_since(0)[1]] == ["P1"]
    migrate(engine)
    assert master_indexes(engine)[MASTER_INDEX] == ["kind", "key", "version"]
    engine.dispose()


def test_the_planner_takes_the_index_for_the_latest_version_lookup(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    store = HubStore(engine)
    # a shop's master data after a while: many products, each with a few versions
    for price in (100, 110, 120):
        store.put_master([("product", f"SKU{i:05d}", product(f"SKU{i:05d}", price + i))
                          for i in range(1500)], "hub admin")
    store.set_staff("王芳", role="cashier", pin_hash="")
    stmt = latest_master("product", "SKU00042")
    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.begin() as conn:
        assert json.loads(str(conn.execute(stmt).scalar_one()))["price_fen"] == 162  # the latest
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
            plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        else:
            conn.exec_driver_sql("ANALYZE master")
            plan = " | ".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + sql))
    engine.dispose()
    assert MASTER_INDEX in plan, plan
