"""Every manager test runs on real SQLite files in its own tmp dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from . import helpers


@pytest.fixture(autouse=True)
def _shop_databases(tmp_path: Path) -> Iterator[None]:
    helpers.DB_DIR.append(tmp_path)
    yield
    helpers.close_all()
    helpers.DB_DIR.pop()
