"""The layering the code must keep, checked by walking the imports with ``ast``.

Layer order (imports only go to the same or a lower layer)::

    domain < wechatpay / alipay / storage / devices / logs < payments / simulator
           < manager < sale < hub < ui < app (app.py, cli.py, admin_cli.py, __main__)

Plus: SQL and ``sqlite3`` only in ``storage/`` (the simulators keep their own state for the
service they imitate; the hub's SQL is in its storage modules ``hub/db.py``, ``hub/store.py``); payment-channel protocol codes only in the channel SDKs, their
adapters and the simulators; only ``ui/`` and ``app.py`` import Qt.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "pos_app"

LAYERS: dict[str, int] = {
    "domain": 0,
    "wechatpay": 1, "alipay": 1, "storage": 1, "devices": 1, "logs": 1,
    "payments": 2, "simulator": 2,
    "manager": 3,
    "sale": 4,
    "hub": 5,
    "ui": 6,
    "app": 7, "backend": 7, "payment_connection": 7, "startup_plan": 7, "cli": 7, "admin_cli": 7,
    "__main__": 7, "__init__": 7, "startup_checks": 7,
}
SQL_OK = ("storage", "simulator", "hub/db.py", "hub/store.py")  # the hub's own storage modules
QT_OK = ("ui", "app")
CHANNEL_CODE_OK = ("wechatpay", "alipay", "simulator", "payments/channels")

# Protocol codes a channel answers with: they must not leak past the adapter.
CHANNEL_CODES = frozenset([
    "USERPAYING", "USER_PAYING", "ORDERPAID", "ORDER_PAID", "ORDERCLOSED", "ORDER_CLOSED",
    "ORDERREVERSED", "ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS",
    "SYSTEMERROR", "SYSTEM_ERROR", "BANKERROR", "AUTHCODEEXPIRE", "AUTH_CODE_EXPIRE",
    "AUTH_CODE_ERROR", "AUTH_CODE_INVALID", "NOTENOUGH", "NOT_ENOUGH", "NOTSUPORTCARD",
    "NOT_SUPPORT_CARD", "TRADE_ERROR", "RULE_LIMIT", "NO_AUTH", "NOAUTH",
    "OUT_TRADE_NO_USED", "REVERSE_EXPIRE", "PAYERROR", "NOTPAY", "REVOKED",
    "FREQUENCY_LIMITED", "WAIT_BUYER_PAY", "TRADE_SUCCESS", "TRADE_CLOSED",
    "TRADE_FINISHED", "ACQ.TRADE_HAS_SUCCESS", "ACQ.SYSTEM_ERROR", "ACQ.TRADE_NOT_EXIST",
])
_SQL = re.compile(r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|"
                  r"CREATE\s+(TABLE|INDEX|TRIGGER)\s|BEGIN\s+IMMEDIATE|PRAGMA\s)", re.I | re.S)


def _modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _package(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, lazy ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_every_package_has_a_layer() -> None:
    unknown = {_package(p) for p in _modules()} - set(LAYERS)
    assert not unknown, f"give these packages a layer in this test: {sorted(unknown)}"


def test_imports_only_go_down_the_layers() -> None:
    bad = []
    for path in _modules():
        own = _package(path)
        for line, module in _imports(path):
            if not module.startswith("pos_app."):
                continue
            target = module.split(".")[1]
            top = LAYERS[own] == max(LAYERS.values())  # app-level entry points call each other
            if target in LAYERS and target != own and LAYERS[target] >= LAYERS[own] and not top:
                bad.append(f"{_rel(path)}:{line} ({own}) imports {module}")
    assert not bad, "\n".join(bad)


def test_no_package_cycles() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in _modules():
        own = _package(path)
        for _, module in _imports(path):
            if module.startswith("pos_app.") and module.split(".")[1] != own:
                graph[own].add(module.split(".")[1])
    seen: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> None:
        if node in stack:
            pytest.fail("package cycle: " + " → ".join([*stack[stack.index(node):], node]))
        if node in seen:
            return
        stack.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        stack.pop()
        seen.add(node)

    for node in sorted(graph):
        visit(node)


def test_sql_only_in_storage() -> None:
    bad = []
    for path in _modules():
        rel = _rel(path)
        if rel.startswith(SQL_OK):
            continue
        bad += [f"{rel}:{line} imports sqlite3" for line, m in _imports(path)
                if m.split(".")[0] == "sqlite3"]
        bad += [f"{rel}:{line} SQL {text[:40]!r}" for line, text in _strings(path)
                if _SQL.match(text)]
    assert not bad, "\n".join(bad)


def test_qt_only_in_ui_and_app() -> None:
    bad = [f"{_rel(p)}:{line} imports {m}" for p in _modules() if not _rel(p).startswith(QT_OK)
           for line, m in _imports(p) if m.split(".")[0] in ("PySide6", "shiboken6")]
    assert not bad, "\n".join(bad)


def test_channel_protocol_codes_stay_in_the_channel_code() -> None:
    bad = [f"{_rel(p)}:{line} {text!r}" for p in _modules()
           if not _rel(p).startswith(CHANNEL_CODE_OK)
           for line, text in _strings(p) if text in CHANNEL_CODES]
    assert not bad, "\n".join(bad)
