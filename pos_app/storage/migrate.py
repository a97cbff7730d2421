"""Forward-only schema migrations keyed by ``PRAGMA user_version``.

Migration *N* is ``migrations/NNNN_*.sql``; it runs in one transaction together
with setting ``user_version = N``. A statement may use ``:till_id`` (the configured till id,
given to existing rows when a migration adds the column). A database newer than the newest migration we
ship is refused (an old program must not write a newer schema).
"""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

from pos_app.storage.errors import SchemaTooNewError

_NAME_RE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str]]:
    """``[(version, sql), …]`` in ascending order; versions must be 1..N without gaps."""
    found: list[tuple[int, str]] = []
    for entry in resources.files("pos_app.storage").joinpath("migrations").iterdir():
        m = _NAME_RE.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    if [v for v, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("storage migrations must be numbered 0001.. without gaps")
    return found


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


DEFAULT_TILL_ID = "01"


def migrate(conn: sqlite3.Connection, *, till_id: str = DEFAULT_TILL_ID) -> int:
    """Bring ``conn``'s database up to date; returns the resulting version."""
    steps = migrations()
    latest = steps[-1][0] if steps else 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(conn)
        if current > latest:
            raise SchemaTooNewError(
                f"database schema v{current} is newer than this program (v{latest})"
            )
        for version, sql in steps:
            if version <= current:
                continue
            for statement in _split(sql):
                if ":till_id" in statement:
                    conn.execute(statement, {"till_id": till_id})
                else:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return schema_version(conn)


def _split(sql: str) -> list[str]:
    """Split a script into statements (executescript would COMMIT our transaction)."""
    statements: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
