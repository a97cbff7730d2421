"""The hub's place in the layers: it may import domain, wechatpay and alipay (notify verification),
never Qt, the UI, the till's storage, payments, manager or the simulator; SQL (SQLAlchemy)
only in its storage modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pos_app

ROOT = Path(pos_app.__file__).parent / "hub"
ALLOWED = ("pos_app.domain", "pos_app.wechatpay", "pos_app.alipay", "pos_app.hub")
SQL_MODULES = {"store.py", "schema.py", "db.py"}
# the till's side of the link (outbox sender, master data and flags, enrolment on disk) also
# uses the till's storage; the hub's own modules never import these
TILL_SIDE = {"sender.py", "master_apply.py", "link.py"}


def imports() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        out[str(path.relative_to(ROOT))] = names
    return out


def test_hub_imports_only_what_is_below_it() -> None:
    found = imports()
    assert "store.py" in found
    for module, names in found.items():
        ours = {n for n in names if n.startswith("pos_app")}
        allowed = ALLOWED + (("pos_app.storage",) if module in TILL_SIDE else ())
        assert all(n.startswith(allowed) for n in ours), (module, sorted(ours))
        if module not in TILL_SIDE:
            assert not any(n[len("pos_app.hub."):] + ".py" in TILL_SIDE for n in ours), module
        assert not any(n.startswith(("PySide6", "sqlite3")) for n in names), module


def test_sql_only_in_the_hub_storage_modules() -> None:
    for module, names in imports().items():
        if module in SQL_MODULES or module.startswith("migrations/"):
            continue
        assert not any(n.startswith(("sqlalchemy", "alembic")) for n in names), module
