"""Mutation testing of the money modules: a small seeded sampler (runs outside the fast suite).

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python -m tests.mutation.mutate                     # every target, 30 mutants each
    .venv/bin/python -m tests.mutation.mutate --modules domain/ domain/payment.py
    .venv/bin/python -m tests.mutation.mutate --modules workflow --per-module 20 --seed 7
    .venv/bin/python -m tests.mutation.mutate --list              # show the sample, run nothing
    .venv/bin/python -m tests.mutation.mutate --list-survivors-from /tmp/report.json
    .venv/bin/python -m tests.mutation.mutate --per-module 0      # every site, no sampling
    .venv/bin/python -m tests.mutation.mutate --per-module 0 --by-coverage --modules till.py
    .venv/bin/python -m tests.mutation.mutate --per-module 0 --by-coverage \
        --modules workflow.py --lines 1-300                      # a module in two sittings

What it does:

* Targets and the fast tests that must kill each module's mutants are one table,
  ``tests/mutation/targets.py``. Missing modules (moved, renamed) are skipped with a note.
* Each target is parsed with :mod:`ast`; every one-line mutation site is listed: comparison
  flipped or negated (``<`` → ``<=`` / ``>=``, ``==`` ↔ ``!=``, ``in`` ↔ ``not in``, ``is`` ↔
  ``is not``), ``and`` ↔ ``or``, ``not`` removed, an ``if`` negated or forced True/False, a
  conditional expression negated, an int constant ±1 (so 0 ↔ 1), ``True`` ↔ ``False``,
  ``+`` ↔ ``-`` (also ``+=`` ↔ ``-=``), a unary minus removed, an element dropped from a set
  literal (transition tables), a statement dropped (a call, an augmented assignment,
  an assignment to an attribute/item or re-assignment of a bound name: replaced with ``pass``),
  a ``raise`` removed, ``return X`` → ``return None``, and an early ``return`` given the value
  of the other branch's ``return``. Not mutated: annotations, decorators, docstrings, code
  under ``if TYPE_CHECKING:``, logging call statements (``log.info(...)``, their arguments
  included), an ``if`` whose branches only log, and calls of the test seams named in
  ``targets.SEAM_CALLS`` (the fault tests' ``hook``: a no-op in the product).
* ``--seed`` (default 0) and ``--per-module`` (default 30) pick a deterministic sample per module.
* The repository is copied once into a temporary directory (no ``.git``, ``.venv``, caches);
  each mutant is written there, ``python -m pytest -x -q -p no:cacheprovider <tests>`` runs with
  a per-mutant timeout, and the file is restored. The real work tree is never written to, so
  other processes can test it meanwhile. ``PYTHONPATH`` points at the copy (the check at start
  proves ``pos_app`` is imported from there); bytecode is cached under the temp dir and each
  mutant gets an mtime never used before (else a same-size mutant written within the same
  second as the last one could run from a stale ``.pyc``).
* Before its mutants, each module's test subset runs once unmutated; a red baseline skips the
  module with a note. The per-mutant timeout is ``max(30 s, 5 × baseline)`` unless ``--timeout``.
* Killed = the tests fail (exit 1, or 2 for an import/collection error) or time out. Exit 0 =
  survived. Any other exit (usage error, no tests) is an *error*, outside the rate.
* It runs with ``nice`` 10 (``--nice``) and one pytest at a time: kind to a shared 2-core box.

Output: the kill rate per module and every survivor (``file:line``, the mutation, the line
before and after), and a JSON report (``--report``, default in the temp dir) with every mutant.

``--equivalent FILE`` (default ``tests/mutation/equivalent.txt``): lines ``KEY = reason`` where
KEY is ``path:line:label`` as printed for a survivor. Sampled mutants with such a key are not
run, are left out of the rate and listed separately with the reason; entries that match no site
any more are listed as stale (the code moved: update the line numbers).

``--by-coverage`` makes a full run affordable: one traced run of the module's tests
(``tests/mutation/linemap.py``) maps each line to the tests that ran it; each mutant then
runs only those tests (code run at import, also a function another module calls at its
import, e.g. ``OrderStatus.settled`` for storage/orders.py's ``_SETTLED``: the whole subset). A
mutant that survives them is run again against the whole subset, so a mutant is reported
killed or survived exactly as without the option (a module-scoped fixture can run a line
for several tests but is traced under the first). A mutant inside a function on lines no
test ran is reported survived without being run (``s`` in the progress line; "no test runs
this line"): a line that never runs cannot change an outcome. ``--lines A-B`` keeps only mutants on
those lines: a module too big for one sitting is split across runs.

``--list-survivors-from REPORT`` re-runs only the survivors of an earlier report (every
matching site, no sampling); survivors whose site is gone are listed as such.

Why not mutmut or cosmic-ray (evaluated, versions 3.8.1 and 8.7.0 on Python 3.11): mutmut 3
has one global test selection per project (no per-module fast subset), mutates only inside
functions (the refund cap and other module constants would be missed) and builds its
``mutants/`` tree inside the work tree; cosmic-ray writes each mutant into the source file in
place (unsafe in a tree other processes test) and has no sampling, so every site of a 500-line
module would run. A page of ``ast`` code does what this project needs.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as a script: make ``tests.mutation`` importable
    sys.path.insert(0, str(REPO))

from tests.mutation.targets import SEAM_CALLS, TARGETS  # noqa: E402

DEFAULT_EQUIVALENT = REPO / "tests" / "mutation" / "equivalent.txt"
LOG_NAMES = re.compile(r"^_?(log|logger|LOG|LOGGER)$")
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}

# --------------------------------------------------------------------------- mutants


@dataclasses.dataclass(frozen=True)
class Edit:
    start: int  # byte offsets into the source
    end: int
    text: str


@dataclasses.dataclass(frozen=True)
class Mutant:
    path: str  # repository-relative, forward slashes
    line: int
    col: int
    label: str
    edits: tuple[Edit, ...]

    @property
    def key(self) -> str:
        return f"{self.path}:{self.line}:{self.label}"


CMP_NAMES = {
    ast.Lt: "Lt", ast.LtE: "LtE", ast.Gt: "Gt", ast.GtE: "GtE", ast.Eq: "Eq",
    ast.NotEq: "NotEq", ast.In: "In", ast.NotIn: "NotIn", ast.Is: "Is", ast.IsNot: "IsNot",
}
CMP_TEXT = {
    "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">=", "Eq": "==", "NotEq": "!=",
    "In": "in", "NotIn": "not in", "Is": "is", "IsNot": "is not",
}
CMP_SWAPS = {  # boundary shift first, then negation
    "Lt": ("LtE", "GtE"), "LtE": ("Lt", "Gt"), "Gt": ("GtE", "LtE"), "GtE": ("Gt", "Lt"),
    "Eq": ("NotEq",), "NotEq": ("Eq",), "In": ("NotIn",), "NotIn": ("In",),
    "Is": ("IsNot",), "IsNot": ("Is",),
}
CMP_TOKEN = re.compile(r"\bnot\s+in\b|\bis\s+not\b|\bin\b|\bis\b|<=|>=|==|!=|<|>")


def _token_name(tok: str) -> str:
    tok = " ".join(tok.split())
    return {v: k for k, v in CMP_TEXT.items()}[tok]


class _Sites(ast.NodeVisitor):
    """Collects mutation sites of one module (in source order)."""

    def __init__(self, path: str, src: bytes) -> None:
        self.path = path
        self.src = src
        starts = [0]
        for i, b in enumerate(src):
            if b == 0x0A:
                starts.append(i + 1)
        self.starts = starts
        self.found: list[Mutant] = []
        self.bound: list[set[str]] = []  # names bound so far, per enclosing function

    # ---- helpers
    def off(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        n: ast.expr | ast.stmt = node  # type: ignore[assignment]
        assert n.end_lineno is not None and n.end_col_offset is not None
        return self.off(n.lineno, n.col_offset), self.off(n.end_lineno, n.end_col_offset)

    def text(self, node: ast.AST) -> str:
        a, b = self.span(node)
        return self.src[a:b].decode()

    def add(self, node: ast.AST, label: str, *edits: Edit) -> None:
        n: ast.expr | ast.stmt = node  # type: ignore[assignment]
        self.found.append(Mutant(self.path, n.lineno, n.col_offset, label, tuple(edits)))

    def find_token(self, a: int, b: int, pattern: re.Pattern[str]) -> tuple[int, int, str] | None:
        gap = self.src[a:b].decode()
        m = pattern.search(gap)
        if m is None:
            return None
        return a + len(gap[: m.start()].encode()), a + len(gap[: m.end()].encode()), m.group()

    # ---- things never mutated
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = node.args
        names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
        names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        for d in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(d)
        self.bound.append(names)
        self._body(node.body)
        self.bound.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._body(node.body)

    def visit_Module(self, node: ast.Module) -> None:
        self._body(node.body)

    def _body(self, body: Sequence[ast.stmt]) -> None:
        for i, stmt in enumerate(body):
            if i == 0 and _is_docstring(stmt):
                continue
            self._return_other(body, i)
            self.visit(stmt)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        if self.bound and isinstance(node.target, ast.Name):
            self.bound[-1].add(node.target.id)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        return

    def visit_Import(self, node: ast.Import) -> None:
        return

    # ---- statements
    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if _is_type_checking(test) or _is_main_guard(test):
            return
        if _only_logs(node.body) and _only_logs(node.orelse):
            return  # decides only whether (or what) to log
        a, b = self.span(test)
        t = self.text(test)
        if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
            self.add(test, "negate-if", Edit(a, b, f"not ({t})"))  # else: not-removed
        self.add(test, "if-True", Edit(a, b, "True"))
        self.add(test, "if-False", Edit(a, b, "False"))
        self.visit(test)
        self._body(node.body)
        self._body(node.orelse)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Call) and _is_log_call(node.value):
            return  # the call and its arguments: what is logged, never what happens
        if isinstance(node.value, ast.Call) and self.bound:
            self._drop(node, "drop-call")
        self.visit(node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if self.bound:
            self._drop(node, "drop-stmt")
        if isinstance(node.op, (ast.Add, ast.Sub)):
            t = self.find_token(self.span(node.target)[1], self.span(node.value)[0],
                                re.compile(r"[+-]="))
            if t is not None:
                new = "-=" if t[2] == "+=" else "+="
                self.add(node, f"{t[2]}->{new}", Edit(t[0], t[1], new))
        self.visit(node.target)
        self.visit(node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.bound:
            rebinds = all(isinstance(t, ast.Name) and t.id in self.bound[-1] for t in node.targets)
            state = any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in node.targets)
            if rebinds or state:
                self._drop(node, "drop-stmt")
            for t in node.targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        self.bound[-1].add(n.id)
        if not _is_dunder_all(node):
            self.visit(node.value)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        if self.bound:
            for n in ast.walk(node.target):
                if isinstance(n, ast.Name):
                    self.bound[-1].add(n.id)
        self._body(node.body)
        self._body(node.orelse)

    visit_AsyncFor = visit_For

    def visit_While(self, node: ast.While) -> None:
        self.visit(node.test)
        self._body(node.body)
        self._body(node.orelse)

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if self.bound and item.optional_vars is not None:
                for n in ast.walk(item.optional_vars):
                    if isinstance(n, ast.Name):
                        self.bound[-1].add(n.id)
        self._body(node.body)

    visit_AsyncWith = visit_With

    def visit_Try(self, node: ast.Try) -> None:
        self._body(node.body)
        for h in node.handlers:
            if h.type is not None:
                self.visit(h.type)
            if self.bound and h.name:
                self.bound[-1].add(h.name)
            self._body(h.body)
        self._body(node.orelse)
        self._body(node.finalbody)

    def visit_Raise(self, node: ast.Raise) -> None:
        self._drop(node, "remove-raise")
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        v = node.value
        if v is not None and not (isinstance(v, ast.Constant) and v.value is None):
            a, b = self.span(v)
            self.add(node, "return-None", Edit(a, b, "None"))
        self.generic_visit(node)

    def _drop(self, node: ast.stmt, label: str) -> None:
        a, b = self.span(node)
        self.add(node, label, Edit(a, b, "pass"))

    def _return_other(self, body: Sequence[ast.stmt], i: int) -> None:
        """``if c: return A`` then ``return B`` (or ``else: return B``): return B for A, A for B."""
        stmt = body[i]
        if not isinstance(stmt, ast.If) or not self.bound:
            return
        first = stmt.body[-1]
        if stmt.orelse:
            second: ast.stmt | None = stmt.orelse[-1]
        else:
            second = body[i + 1] if i + 1 < len(body) else None
        if not (isinstance(first, ast.Return) and isinstance(second, ast.Return)):
            return
        if first.value is None or second.value is None:
            return
        ta, tb = self.text(first.value), self.text(second.value)
        if ta == tb:
            return
        self.add(first, "return-other", Edit(*self.span(first.value), tb))
        self.add(second, "return-other", Edit(*self.span(second.value), ta))

    # ---- expressions
    def visit_Compare(self, node: ast.Compare) -> None:
        prev: ast.expr = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            name = CMP_NAMES[type(op)]
            t = self.find_token(self.span(prev)[1], self.span(right)[0], CMP_TOKEN)
            if t is not None and _token_name(t[2]) == name:
                for new in CMP_SWAPS[name]:
                    self.add(node, f"{name}->{new}", Edit(t[0], t[1], CMP_TEXT[new]))
            prev = right
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        old, new = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        edits = []
        for left, right in zip(node.values, node.values[1:], strict=False):
            t = self.find_token(self.span(left)[1], self.span(right)[0],
                                re.compile(rf"\b{old}\b"))
            if t is None:
                break
            edits.append(Edit(t[0], t[1], new))
        else:
            self.add(node, f"{old}->{new}", *edits)
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, (ast.Not, ast.USub)):
            a = self.span(node)[0]
            label = "not-removed" if isinstance(node.op, ast.Not) else "minus-removed"
            self.add(node, label, Edit(a, self.span(node.operand)[0], ""))
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        a, b = self.span(node.test)
        self.add(node, "negate-ifexp", Edit(a, b, f"not ({self.text(node.test)})"))
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, (ast.Add, ast.Sub)) and not (_is_text(node.left)
                                                             or _is_text(node.right)):
            t = self.find_token(self.span(node.left)[1], self.span(node.right)[0],
                                re.compile(r"[+-]"))
            if t is not None:
                new = "-" if t[2] == "+" else "+"
                self.add(node, f"{t[2]}->{new}", Edit(t[0], t[1], new))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        v = node.value
        a, b = self.span(node)
        if isinstance(v, bool):
            self.add(node, f"{v}->{not v}", Edit(a, b, repr(not v)))
        elif isinstance(v, int):
            for new in (v + 1, v - 1) if v != 0 else (1,):
                self.add(node, f"const:{v}->{new}", Edit(a, b, repr(new)))

    def visit_Set(self, node: ast.Set) -> None:
        elts = node.elts
        for i, e in enumerate(elts):
            if len(elts) < 2 or isinstance(e, ast.Starred):
                break
            if i + 1 < len(elts):
                a, b = self.span(e)[0], self.span(elts[i + 1])[0]
            else:
                a, b = self.span(elts[i - 1])[1], self.span(e)[1]
            self.add(e, "drop-element", Edit(a, b, ""))
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return  # f-string text: messages, never money logic


def _is_docstring(stmt: ast.stmt) -> bool:
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str))


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant)
                                               and isinstance(node.value, (str, bytes)))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _is_main_guard(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__")


def _is_log_call(call: ast.Call) -> bool:
    """A logging call, or a call of a test seam (``self.ctx.hook("polling")``)."""
    f = call.func
    if isinstance(f, ast.Attribute) and f.attr in SEAM_CALLS:
        return True
    return (isinstance(f, ast.Attribute) and f.attr in LOG_METHODS
            and isinstance(f.value, ast.Name) and bool(LOG_NAMES.match(f.value.id)))


def _only_logs(body: Sequence[ast.stmt]) -> bool:
    """Every statement is a logging call (an empty body counts)."""
    return all(isinstance(st, ast.Expr) and isinstance(st.value, ast.Call)
               and _is_log_call(st.value) for st in body)


def _is_dunder_all(node: ast.Assign) -> bool:
    return any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)


def apply(src: bytes, mutant: Mutant) -> bytes:
    out = src
    for e in sorted(mutant.edits, key=lambda e: e.start, reverse=True):
        out = out[: e.start] + e.text.encode() + out[e.end:]
    return out


def before_after(src: bytes, mutant: Mutant) -> tuple[str, str]:
    """The whole lines the mutant touches, before and after."""
    first = min(e.start for e in mutant.edits)
    last = max(e.end for e in mutant.edits)
    a = src.rfind(b"\n", 0, first) + 1
    b = src.find(b"\n", last)
    b = len(src) if b < 0 else b
    region = Mutant(mutant.path, mutant.line, mutant.col, mutant.label,
                    tuple(Edit(e.start - a, e.end - a, e.text) for e in mutant.edits))
    old = src[a:b]
    return old.decode(), apply(old, region).decode()


def _normalized(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=False)


def enumerate_mutants(path: str, src: bytes) -> list[Mutant]:
    """Every valid mutant of one module, in source order, keys made unique per line."""
    tree = ast.parse(src)
    sites = _Sites(path, src)
    sites.visit(tree)
    original = _normalized(tree)
    seen: dict[str, int] = {}
    out: list[Mutant] = []
    for m in sorted(sites.found, key=lambda m: (m.line, m.col, m.label)):
        new = apply(src, m)
        try:
            mutated = _normalized(ast.parse(new))
        except SyntaxError:
            continue
        if mutated == original:
            continue
        n = seen.get(m.key, 0) + 1
        seen[m.key] = n
        if n > 1:
            m = dataclasses.replace(m, label=f"{m.label}#{n}")
        out.append(m)
    return out


def sample(mutants: list[Mutant], per_module: int, seed: int, path: str) -> list[Mutant]:
    if per_module <= 0 or len(mutants) <= per_module:
        return list(mutants)
    rng = random.Random(f"{seed}/{path}")
    chosen = set(rng.sample(range(len(mutants)), per_module))
    return [m for i, m in enumerate(mutants) if i in chosen]


# --------------------------------------------------------------------------- targets


@dataclasses.dataclass
class Target:
    path: str
    tests: list[str]
    notes: list[str]


def resolve_targets(root: Path, table: Iterable[tuple[str, Sequence[str]]],
                    only: Sequence[str]) -> tuple[list[Target], list[str]]:
    targets: list[Target] = []
    notes: list[str] = []
    for pattern, tests in table:
        if only and not any(o in pattern for o in only):
            continue
        paths = sorted(root.glob(pattern)) if any(c in pattern for c in "*?[") else [root / pattern]
        paths = [p for p in paths if p.is_file()]
        if not paths:
            notes.append(f"skipped {pattern}: not found (moved or renamed? update "
                         "tests/mutation/targets.py)")
            continue
        kept = [t for t in tests if (root / t.split("::")[0]).exists()]
        dropped = [t for t in tests if t not in kept]
        if not kept:
            notes.append(f"skipped {pattern}: none of its tests exist ({', '.join(tests)})")
            continue
        for p in paths:
            rel = p.relative_to(root).as_posix()
            t = Target(rel, kept, [f"test path missing: {d}" for d in dropped])
            targets.append(t)
    return targets, notes


def load_equivalent(path: Path | None) -> dict[str, str]:
    if path is None or not path.exists():
        return {}
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, reason = line.partition(" = ")
        if not sep:
            raise SystemExit(f"{path}: expected 'path:line:label = reason', got {raw!r}")
        out[key.strip()] = reason.strip()
    return out


# --------------------------------------------------------------------------- running

IGNORE = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "*.egg-info",
                                ".mypy_cache", ".ruff_cache", ".pytest_cache", "*.pyc",
                                "mutants", ".hypothesis")


class Runner:
    """One copy of the repository; runs a test subset there, one pytest at a time."""

    def __init__(self, root: Path, python: str, verbose: bool) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="pos_app-mutation-"))
        self.repo = self.tmp / "repo"
        shutil.copytree(root, self.repo, ignore=IGNORE, symlinks=True)
        self.python = python
        self.verbose = verbose
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.repo), *filter(None, [env.get("PYTHONPATH")])])
        # Bytecode goes to the temp dir; every mutant is written with an mtime never used
        # before, so a same-size mutant can never be run from a stale .pyc.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.tmp / "pycache")
        self.stamp = int(time.time()) + 10_000
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env.pop("PYTEST_ADDOPTS", None)
        self.env = env
        probe = subprocess.run(
            [python, "-c", "import pos_app; print(pos_app.__file__)"], cwd=self.repo,
            env=env, capture_output=True, text=True, check=False)
        where = Path(probe.stdout.strip() or "?").resolve()
        if probe.returncode != 0 or self.repo.resolve() not in where.parents:
            self.close()
            raise SystemExit(f"the copy does not import its own pos_app ({where}): "
                             f"{probe.stderr.strip()}")

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run(self, tests: Sequence[str], timeout: float, *, trace: str | None = None,
            trace_out: Path | None = None) -> tuple[str, int | None, float, str]:
        """(outcome, exit code, seconds, first failure line). Outcome: pass|fail|timeout|error.
        With ``trace`` (a module path) the line map plugin writes to ``trace_out``."""
        cmd = [self.python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
        env = self.env
        if trace is not None and trace_out is not None:
            # the plugin is this tool's (the copy may be of another tree: --root)
            cmd[5:5] = ["-p", "linemap"]
            env = {**env, "MUTATION_TRACE_FILE": str(self.repo / trace),
                   "MUTATION_TRACE_OUT": str(trace_out),
                   "PYTHONPATH": os.pathsep.join([env["PYTHONPATH"],
                                                  str(Path(__file__).resolve().parent)])}
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=self.repo, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return "timeout", None, time.monotonic() - t0, f"timed out after {timeout:.0f}s"
        took = time.monotonic() - t0
        rc = proc.returncode
        first = next((ln for ln in out.splitlines()
                      if ln.startswith(("FAILED", "ERROR"))), "")
        if self.verbose and rc != 0:
            print(out[-3000:])
        if rc == 0:
            return "pass", rc, took, ""
        if rc in (1, 2):
            return "fail", rc, took, first[:200]
        return "error", rc, took, (out.strip().splitlines() or [""])[-1][:200]

    def mutate_and_run(self, src: bytes, mutant: Mutant, tests: Sequence[str],
                       timeout: float) -> tuple[str, int | None, float, str]:
        f = self.repo / mutant.path
        st = f.stat()
        try:
            f.write_bytes(apply(src, mutant))
            self.stamp += 2
            os.utime(f, (self.stamp, self.stamp))
            return self.run(tests, timeout)
        finally:
            f.write_bytes(src)
            os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))


# --------------------------------------------------------------------------- main


def _rate(killed: int, survived: int) -> float | None:
    total = killed + survived
    return None if total == 0 else killed / total


def _fmt_rate(r: float | None) -> str:
    return "  n/a" if r is None else f"{100 * r:5.1f}%"


def _git_head(root: Path) -> str:
    r = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                       text=True, check=False)
    return r.stdout.strip()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("--modules", nargs="*", default=[],
                   help="only targets whose path contains one of these strings")
    p.add_argument("--per-module", type=int, default=30,
                   help="mutants sampled per module (0: every site)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds per mutant (default: max(30, 5 x baseline))")
    p.add_argument("--tests", nargs="*", default=None,
                   help="test paths to use for every module instead of the table's")
    p.add_argument("--equivalent", type=Path, default=DEFAULT_EQUIVALENT)
    p.add_argument("--list-survivors-from", type=Path, default=None, metavar="REPORT",
                   help="re-run only the survivors of an earlier JSON report")
    p.add_argument("--report", type=Path,
                   default=Path(tempfile.gettempdir()) / "pos_app-mutation-report.json")
    p.add_argument("--lines", default=None, metavar="A-B",
                   help="only mutants on lines A to B (split a module across runs)")
    p.add_argument("--by-coverage", action="store_true",
                   help="run each mutant first against only the tests that ran its lines "
                        "(one traced baseline run); a survivor is re-run against the whole "
                        "subset, so the outcome is the same, only faster")
    p.add_argument("--no-confirm", action="store_true",
                   help="with --by-coverage: do not re-run a survivor of its covering tests "
                        "against the whole subset (faster on a busy machine; a survivor may "
                        "then be one a test traced under another test's name would kill)")
    p.add_argument("--list", action="store_true", help="print the sample, run nothing")
    p.add_argument("--nice", type=int, default=10)
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--root", type=Path, default=REPO, help=argparse.SUPPRESS)
    p.add_argument("--table", default=None, help=argparse.SUPPRESS)  # tests: module:attr
    p.add_argument("-v", "--verbose", action="store_true", help="print pytest output of kills")
    return p.parse_args(argv)


def function_lines(src: bytes) -> set[int]:
    """Lines inside function bodies (run when the function is called, not at import)."""
    out: set[int] = set()
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0].lineno
            assert node.end_lineno is not None
            out.update(range(first, node.end_lineno + 1))
    return out


def mutant_lines(src: bytes, mutant: Mutant) -> set[int]:
    """Every line the mutant's node starts on or its edits touch."""
    first = min(e.start for e in mutant.edits)
    last = max(e.end for e in mutant.edits)
    a = src.count(b"\n", 0, first) + 1
    b = src.count(b"\n", 0, last) + 1
    return {mutant.line, *range(a, b + 1)}


def covering_tests(src: bytes, mutant: Mutant, linemap: dict[str, object],
                   in_functions: set[int]) -> list[str] | None:
    """The tests that ran the mutant's lines; None = use the whole subset (code run at
    import, or a function called while no test was running: e.g. at the import of another
    module, as ``_SETTLED = ... if s.settled`` in storage/orders.py calls
    ``OrderStatus.settled``); [] = no test ran any of its lines (inside a function): it
    cannot be killed."""
    lines = mutant_lines(src, mutant)
    outside: list[int] = linemap.get("outside", [])  # type: ignore[assignment]
    if not lines <= in_functions or lines & set(outside):
        return None
    by_line: dict[str, list[str]] = linemap["lines"]  # type: ignore[assignment]
    tests: set[str] = set()
    for ln in lines:
        tests.update(by_line.get(str(ln), ()))
    return sorted(tests)


def parse_lines(spec: str | None) -> tuple[int, int] | None:
    if not spec:
        return None
    a, _, b = spec.partition("-")
    return int(a or 1), int(b or 10**9)


def _select(args: argparse.Namespace, everything: list[Mutant], path: str,
            previous: dict[str, set[str]] | None) -> tuple[list[Mutant], list[str]]:
    if previous is None:
        return sample(everything, args.per_module, args.seed, path), []
    wanted = previous.get(path, set())
    chosen = [m for m in everything if m.key in wanted]
    gone = sorted(wanted - {m.key for m in chosen})
    return chosen, gone


def _load_previous(path: Path) -> dict[str, set[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for mod in data["modules"]:
        for m in mod.get("mutants", []):
            if m["status"] == "survived":
                out.setdefault(mod["path"], set()).add(m["key"])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    root: Path = args.root.resolve()
    table: Sequence[tuple[str, Sequence[str]]] = TARGETS
    if args.table:
        mod_name, _, attr = args.table.partition(":")
        table = getattr(__import__(mod_name, fromlist=[attr]), attr)
    if args.nice:
        os.nice(args.nice)
    previous = _load_previous(args.list_survivors_from) if args.list_survivors_from else None
    only = list(args.modules)
    if previous is not None:
        only = only or sorted(previous)
        table = [(p, tests) for p, tests in table if p in previous or "*" in p]
    targets, notes = resolve_targets(root, table, only)
    if args.tests is not None:
        for t in targets:
            t.tests = list(args.tests)
    equivalent = load_equivalent(args.equivalent)
    for n in notes:
        print(f"note: {n}")

    plan: list[tuple[Target, bytes, list[Mutant], list[str]]] = []
    all_keys: set[str] = set()
    for t in targets:
        src = (root / t.path).read_bytes()
        everything = enumerate_mutants(t.path, src)
        all_keys |= {m.key for m in everything}
        chosen, gone = _select(args, everything, t.path, previous)
        span = parse_lines(args.lines)
        if span is not None:
            chosen = [m for m in chosen if span[0] <= m.line <= span[1]]
        plan.append((t, src, chosen, gone))
        print(f"{t.path}: {len(everything)} mutation sites, {len(chosen)} chosen")
    planned = {t.path for t in targets}
    stale = sorted(k for k in equivalent if k.split(":")[0] in planned and k not in all_keys)
    if args.list:
        for t, src, chosen, gone in plan:
            print(f"== {t.path} ({len(chosen)} mutants; tests: {' '.join(t.tests)})")
            for m in chosen:
                old, new = before_after(src, m)
                eq = f"  [equivalent: {equivalent[m.key]}]" if m.key in equivalent else ""
                print(f"  {m.key}{eq}\n    - {old.strip()}\n    + {new.strip()}")
            for g in gone:
                print(f"  gone: {g}")
        return 0

    report: dict[str, object] = {
        "git_head": _git_head(root), "seed": args.seed, "per_module": args.per_module,
        "by_coverage": args.by_coverage, "no_confirm": args.no_confirm, "lines": args.lines,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "notes": notes,
        "modules": [],
    }
    modules: list[dict[str, object]] = []
    report["modules"] = modules
    runner = Runner(root, args.python, args.verbose)
    totals = {"killed": 0, "survived": 0, "equivalent": 0, "error": 0}
    survivors: list[tuple[Mutant, str, str]] = []
    equivalents: list[tuple[Mutant, str]] = []
    try:
        for t, src, chosen, gone in plan:
            entry: dict[str, object] = {"path": t.path, "tests": t.tests,
                                        "notes": [*t.notes], "gone": gone}
            modules.append(entry)
            for n in t.notes:
                print(f"note: {t.path}: {n}")
            outcome, rc, took, first = runner.run(t.tests, timeout=600)
            entry["baseline_seconds"] = round(took, 2)
            if outcome != "pass":
                msg = f"baseline not green ({outcome}, exit {rc}): {first}; module skipped"
                print(f"note: {t.path}: {msg}")
                entry["status"] = "baseline-failed"
                entry["notes"] = [*t.notes, msg]
                continue
            timeout = args.timeout or max(30.0, 5 * took)
            entry["timeout_seconds"] = round(timeout, 1)
            linemap: dict[str, object] | None = None
            in_functions = function_lines(src)
            if args.by_coverage:
                out = runner.tmp / "linemap.json"
                outcome, rc, traced, first = runner.run(t.tests, timeout=600, trace=t.path,
                                                        trace_out=out)
                if outcome == "pass" and out.exists():
                    linemap = json.loads(out.read_text(encoding="utf-8"))
                    print(f"   line map: {len(linemap['lines'])} lines run by tests "  # type: ignore[arg-type]
                          f"({traced:.1f}s traced)", flush=True)
                else:
                    print(f"note: {t.path}: traced run failed ({outcome}): {first}; "
                          "every mutant runs the whole subset", flush=True)
            entry["lines"] = args.lines
            entry["status"] = "ran"
            print(f"== {t.path}: {len(chosen)} mutants, baseline {took:.1f}s, "
                  f"tests {' '.join(t.tests)}", flush=True)
            counts = {"killed": 0, "survived": 0, "equivalent": 0, "error": 0}
            results: list[dict[str, object]] = []
            for m in chosen:
                old, new = before_after(src, m)
                rec: dict[str, object] = {"key": m.key, "line": m.line, "col": m.col,
                                          "label": m.label, "before": old, "after": new}
                if m.key in equivalent:
                    rec.update(status="equivalent", reason=equivalent[m.key])
                    counts["equivalent"] += 1
                    equivalents.append((m, equivalent[m.key]))
                    results.append(rec)
                    continue
                narrow = (covering_tests(src, m, linemap, in_functions)
                          if linemap is not None else None)
                if narrow == []:   # no test runs its lines: a survivor, nothing to run
                    rec.update(status="survived", outcome="not-run", exit=None, seconds=0.0,
                               detail="no test runs this line", covering_tests=0)
                    counts["survived"] += 1
                    results.append(rec)
                    print("s", end="", flush=True)
                    survivors.append((m, old, new))
                    continue
                ran_tests = len(narrow) if narrow is not None else 0
                outcome, rc, took, first = runner.mutate_and_run(
                    src, m, narrow if narrow is not None else t.tests, timeout)
                if narrow is not None and outcome == "pass" and not args.no_confirm:
                    # confirm on the whole subset
                    outcome, rc, took2, first = runner.mutate_and_run(src, m, t.tests, timeout)
                    took += took2
                    ran_tests = 0
                rec["covering_tests"] = ran_tests
                status = {"pass": "survived", "fail": "killed", "timeout": "killed",
                          "error": "error"}[outcome]
                rec.update(status=status, outcome=outcome, exit=rc, seconds=round(took, 2),
                           detail=first)
                counts[status] += 1
                results.append(rec)
                mark = {"killed": ".", "survived": "S", "error": "E"}[status]
                print(mark, end="", flush=True)
                if status == "survived":
                    survivors.append((m, old, new))
            print()
            entry["mutants"] = results
            entry.update(counts)
            entry["kill_rate"] = _rate(counts["killed"], counts["survived"])
            for k, v in counts.items():
                totals[k] += v
    finally:
        runner.close()

    report["totals"] = {**totals, "kill_rate": _rate(totals["killed"], totals["survived"])}
    report["stale_equivalent"] = stale
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    print("\nkill rate per module (killed / (killed + survived); equivalent and errors excluded)")
    for e in modules:
        if e.get("status") != "ran":
            print(f"  {'skipped':>6}  {e['path']}: {'; '.join(e['notes'])}")  # type: ignore[arg-type]
            continue
        print(f"  {_fmt_rate(e['kill_rate'])}  {e['path']}: {e['killed']} killed, "  # type: ignore[arg-type]
              f"{e['survived']} survived, {e['equivalent']} equivalent, {e['error']} errors")
        for g in e["gone"]:  # type: ignore[attr-defined]
            print(f"          gone since the earlier report: {g}")
    print(f"  {_fmt_rate(_rate(totals['killed'], totals['survived']))}  all: "
          f"{totals['killed']} killed, {totals['survived']} survived, "
          f"{totals['equivalent']} equivalent, {totals['error']} errors")
    if survivors:
        print("\nsurvivors:")
        for m, old, new in survivors:
            print(f"  {m.key}\n    - {old.strip()}\n    + {new.strip()}")
    if equivalents:
        print("\nequivalent (excluded from the rate):")
        for m, reason in equivalents:
            print(f"  {m.key}: {reason}")
    if stale:
        print("\nstale entries in the equivalent file (no such site any more):")
        for k in stale:
            print(f"  {k}")
    args.report.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    print(f"\nreport: {args.report}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the copy on kill
    sys.exit(main())
