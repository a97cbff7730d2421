"""Hub fixtures: every store/app test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pos_app.hub.db import make_engine, migrate, sqlite_url
from pos_app.hub.store import HubStore
from tests.hub.pg import pg_bin, pg_cluster

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    if pg_bin() is None:
        if os.environ.get("POS_REQUIRE_PG") == "1":
            pytest.fail("POS_REQUIRE_PG=1 but PostgreSQL (initdb) is not installed")
        pytest.skip("PostgreSQL binaries not installed (apt-get install postgresql)")
    with pg_cluster() as url:
        yield url


def fresh_pg_database(server_url: str) -> str:
    name = f"hub_{os.getpid()}_{next(_counter)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "hubdata")
    server: str = request.getfixturevalue("pg_server")
    return fresh_pg_database(server)


@pytest.fixture
def store(db_url: str) -> Iterator[HubStore]:
    engine = make_engine(db_url)
    migrate(engine)
    yield HubStore(engine)
    engine.dispose()
