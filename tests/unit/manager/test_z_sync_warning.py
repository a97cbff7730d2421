"""The Z report's hub warning decided on the real SQLite store (Qt-free): it warns only
while the till is enrolled, the hub answered last time, and changes are unsent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.manager.shifts import ZSyncWarning, z_sync_warning
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database
from pos_app.storage.outbox import OutboxRepository


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "till.sqlite3", till_id="01")
    yield database
    database.close()


def edit(db: Database, n: int, first: int = 0) -> None:
    repo = ProductRepository(db)
    for i in range(first, first + n):
        assert repo.save(Product(f"SKU{i}", f"商品{i}", Fen(100 + i)), new=True) == []


def test_unsent_changes_with_the_hub_reachable_warn_with_their_count(db: Database) -> None:
    outbox = OutboxRepository(db)
    outbox.enable("01")
    edit(db, 3)
    assert z_sync_warning(outbox.state(), "ok") == ZSyncWarning(3)
    outbox.acknowledge(2)                               # the hub took two
    assert z_sync_warning(outbox.state(), "ok") == ZSyncWarning(1)
    outbox.acknowledge(3)
    assert z_sync_warning(outbox.state(), "ok") is None  # all sent: no warning


@pytest.mark.parametrize("state", ["offline", "refused", "broken", None])
def test_no_warning_when_the_hub_cannot_take_them(db: Database, state: str | None) -> None:
    outbox = OutboxRepository(db)
    outbox.enable("01")
    edit(db, 2)
    assert outbox.state().unsent == 2
    assert z_sync_warning(outbox.state(), state) is None


def test_no_warning_on_a_till_that_is_not_enrolled(db: Database) -> None:
    outbox = OutboxRepository(db)
    edit(db, 2)
    assert outbox.state().unsent == 0 and not outbox.state().enabled
    assert z_sync_warning(outbox.state(), "ok") is None
    assert z_sync_warning(None, "ok") is None
    outbox.enable("01")
    edit(db, 1, first=2)
    outbox.disable()                                   # left the hub: rows kept, no warning
    assert outbox.state().unsent > 0
    assert z_sync_warning(outbox.state(), "ok") is None
