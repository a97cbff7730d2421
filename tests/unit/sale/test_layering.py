"""The sale controller is Qt-free and sits on the core: it may import domain, devices,
payments and manager, never Qt, the UI, storage or a payment channel's client."""

from __future__ import annotations

import ast
from pathlib import Path

import pos_app

ROOT = Path(pos_app.__file__).parent
ALLOWED = ("pos_app.domain", "pos_app.devices", "pos_app.payments", "pos_app.manager",
           "pos_app.sale")


def imports(package: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        out[str(path.relative_to(ROOT))] = names
    return out


def test_sale_imports_only_the_core_below_it() -> None:
    found = imports("sale")
    assert found, "no modules found"
    for module, names in found.items():
        ours = {n for n in names if n.startswith("pos_app")}
        assert all(n.startswith(ALLOWED) for n in ours), (module, sorted(ours))
        assert not any(n.startswith(("PySide6", "sqlite3")) for n in names), module


def test_devices_do_not_import_payments_sale_or_ui() -> None:
    for module, names in imports("devices").items():
        bad = {n for n in names
               if n.startswith(("pos_app.payments", "pos_app.sale", "pos_app.ui",
                                "pos_app.manager", "PySide6"))}
        assert not bad, (module, sorted(bad))
