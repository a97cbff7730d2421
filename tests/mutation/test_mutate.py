"""The mutation sampler itself: which sites it finds, that sampling is seeded, that a run
kills what the tests catch, keeps survivors, never writes to the real tree, and re-runs
survivors from a report."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tests.mutation import mutate

SNIPPET = '''"""Module docstring: 1 < 2 is not code."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    LIMIT_T = 3

log = logging.getLogger(__name__)
CAP = 50


@dataclass(frozen=True)
class Box:
    size: int = 1

    def grow(self, by: int) -> int:
        """Docstring with < and 1."""
        log.info("growing by %d", by)
        self.ctx.hook("grown")
        self.size += by
        if by < 0 or by in (7, 8):
            raise ValueError("no")
        total = self.size
        total = total - 1
        audit(total)
        return total if not self.size == 0 else -total


def pick(x: int, ok: bool) -> str:
    if x >= CAP:
        return "cap"
    return "free" if ok else "no"
'''

KEYS = {m.key for m in mutate.enumerate_mutants("m.py", SNIPPET.encode())}


def labels_at(line: int) -> set[str]:
    return {k.split(":", 2)[2] for k in KEYS if int(k.split(":")[1]) == line}


def line_of(text: str) -> int:
    return next(i for i, ln in enumerate(SNIPPET.splitlines(), 1) if text in ln)


def test_finds_the_one_line_mutations() -> None:
    assert labels_at(line_of("CAP = 50")) == {"const:50->51", "const:50->49"}
    assert {"+=->-=", "drop-stmt"} <= labels_at(line_of("self.size += by"))
    cond = labels_at(line_of("if by < 0"))
    assert {"Lt->LtE", "Lt->GtE", "In->NotIn", "or->and", "negate-if", "if-True",
            "if-False", "const:0->1", "const:7->8", "const:8->9"} <= cond
    assert "remove-raise" in labels_at(line_of('raise ValueError("no")'))
    assert "drop-stmt" in labels_at(line_of("total = total - 1"))  # re-binding a bound name
    assert "drop-stmt" not in labels_at(line_of("total = self.size"))  # first binding
    assert "drop-call" in labels_at(line_of("audit(total)"))
    assert {"return-None", "not-removed", "Eq->NotEq", "minus-removed", "negate-ifexp"} <= \
        labels_at(line_of("return total if"))
    assert {"GtE->Gt", "GtE->Lt", "negate-if"} <= labels_at(line_of("if x >= CAP"))
    assert "return-other" in labels_at(line_of('return "cap"'))
    assert "return-other" in labels_at(line_of('return "free"'))


def test_leaves_alone_what_is_not_logic() -> None:
    for text in ('"""Module', "LIMIT_T = 3", "log.info(", "self.ctx.hook(", "@dataclass(",
                 '"""Docstring', "def grow(self, by: int)"):
        assert labels_at(line_of(text)) == set(), text


def test_what_is_only_logged_is_not_mutated() -> None:
    src = b"""import logging
log = logging.getLogger(__name__)


def f(free: int | None) -> int:
    if free is not None:
        log.warning("low: %d MB", free // 2**20)
    log.info("at %d", free + 1 if free else 0)
    return 1 if free else 2
"""
    keys = {m.key for m in mutate.enumerate_mutants("m.py", src)}
    assert keys and all(k.startswith("m.py:9:") for k in keys), keys


def test_every_mutant_parses_changes_the_code_and_has_a_unique_key() -> None:
    src = SNIPPET.encode()
    mutants = mutate.enumerate_mutants("m.py", src)
    assert len({m.key for m in mutants}) == len(mutants)
    original = ast.dump(ast.parse(src))
    for m in mutants:
        assert ast.dump(ast.parse(mutate.apply(src, m))) != original, m.key


def test_before_after_shows_the_whole_line() -> None:
    src = SNIPPET.encode()
    m = next(m for m in mutate.enumerate_mutants("m.py", src)
             if m.label == "Lt->LtE")
    old, new = mutate.before_after(src, m)
    assert old == "        if by < 0 or by in (7, 8):"
    assert new == "        if by <= 0 or by in (7, 8):"


def test_non_ascii_source_keeps_byte_offsets_right() -> None:
    src = 'def f(a: int) -> str:\n    return "¥元" if a < 1 else "分"\n'.encode()
    m = next(m for m in mutate.enumerate_mutants("m.py", src) if m.label == "Lt->LtE")
    assert mutate.before_after(src, m)[1] == '    return "¥元" if a <= 1 else "分"'


def test_sampling_is_seeded_and_bounded() -> None:
    mutants = mutate.enumerate_mutants("m.py", SNIPPET.encode())
    a = mutate.sample(mutants, 5, 1, "m.py")
    assert a == mutate.sample(mutants, 5, 1, "m.py")
    assert len(a) == 5
    assert a != mutate.sample(mutants, 5, 2, "m.py")
    assert mutate.sample(mutants, 0, 1, "m.py") == mutants


def test_missing_modules_and_tests_are_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("X = 1\n")
    (tmp_path / "tests").mkdir()
    table = [("pkg/a.py", ("tests", "tests/gone")), ("pkg/moved.py", ("tests",)),
             ("pkg/b.py", ("tests/gone",)), ("pkg/*.py", ("tests",))]
    (tmp_path / "pkg" / "b.py").write_text("Y = 2\n")
    targets, notes = mutate.resolve_targets(tmp_path, table, [])
    assert [(t.path, t.tests) for t in targets] == [
        ("pkg/a.py", ["tests"]), ("pkg/a.py", ["tests"]), ("pkg/b.py", ["tests"])]
    assert targets[0].notes == ["test path missing: tests/gone"]
    assert any("pkg/moved.py: not found" in n for n in notes)
    assert any("pkg/b.py: none of its tests exist" in n for n in notes)


def test_coverage_selection_narrows_only_inside_functions() -> None:
    src = SNIPPET.encode()
    mutants = mutate.enumerate_mutants("m.py", src)
    inside = mutate.function_lines(src)
    cond, cap = line_of("if by < 0"), line_of("CAP = 50")
    assert cond in inside and cap not in inside and line_of("def grow(") not in inside
    linemap: dict[str, object] = {"lines": {str(cond): ["t::a", "t::b"], str(cap): ["t::a"]}}
    m_cond = next(m for m in mutants if m.line == cond and m.label == "Lt->LtE")
    m_cap = next(m for m in mutants if m.line == cap)
    m_pick = next(m for m in mutants if m.line == line_of("if x >= CAP"))
    assert mutate.covering_tests(src, m_cond, linemap, inside) == ["t::a", "t::b"]
    assert mutate.covering_tests(src, m_cap, linemap, inside) is None   # import time
    assert mutate.covering_tests(src, m_pick, linemap, inside) == []    # no test ran it
    # a function run while no test ran (called at another module's import): whole subset
    linemap["outside"] = [line_of("if x >= CAP")]
    assert mutate.covering_tests(src, m_pick, linemap, inside) is None
    assert mutate.parse_lines("10-20") == (10, 20)
    assert mutate.parse_lines("300-") == (300, 10**9)
    assert mutate.parse_lines(None) is None


CALC = '''def over(a: int, b: int) -> bool:
    return a > b
'''
WEAK_TEST = '''from pos_app.calc import over


def test_over() -> None:
    assert over(3, 1)
    assert not over(1, 3)
'''
TABLE = [("pos_app/calc.py", ("tests/test_calc.py",))]


@pytest.mark.slow
def test_a_run_kills_what_the_tests_catch_and_lists_survivors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # a bare pytest starts faster
    root = tmp_path / "repo"
    (root / "pos_app").mkdir(parents=True)
    (root / "pos_app" / "__init__.py").write_text("")
    (root / "pos_app" / "calc.py").write_text(CALC)
    (root / "tests").mkdir()
    (root / "tests" / "test_calc.py").write_text(WEAK_TEST)
    equivalent = tmp_path / "equivalent.txt"
    equivalent.write_text("# comment\npos_app/calc.py:2:return-None = a test reason\n"
                          "pos_app/calc.py:9:Lt->LtE = moved away\n")
    report = tmp_path / "report.json"
    common = ["--root", str(root), "--table", "tests.mutation.test_mutate:TABLE", "--nice", "0",
              "--equivalent", str(equivalent)]
    assert mutate.main([*common, "--report", str(report)]) == 0
    assert (root / "pos_app" / "calc.py").read_text() == CALC  # the real tree is untouched
    data = json.loads(report.read_text())
    (mod,) = data["modules"]
    status = {m["key"]: m["status"] for m in mod["mutants"]}
    assert status == {
        "pos_app/calc.py:2:Gt->GtE": "survived",  # a == b is never tried: a missing test
        "pos_app/calc.py:2:Gt->LtE": "killed",
        "pos_app/calc.py:2:return-None": "equivalent",
    }
    assert mod["kill_rate"] == 0.5
    assert data["stale_equivalent"] == ["pos_app/calc.py:9:Lt->LtE"]
    survivor = next(m for m in mod["mutants"] if m["status"] == "survived")
    assert (survivor["before"], survivor["after"]) == ("    return a > b", "    return a >= b")

    # the missing test is written: re-running only the survivors now kills it
    (root / "tests" / "test_calc.py").write_text(WEAK_TEST + "    assert not over(2, 2)\n")
    again = tmp_path / "again.json"
    assert mutate.main([*common, "--report", str(again),
                        "--list-survivors-from", str(report)]) == 0
    (mod,) = json.loads(again.read_text())["modules"]
    assert {m["key"]: m["status"] for m in mod["mutants"]} == {
        "pos_app/calc.py:2:Gt->GtE": "killed"}

    # by coverage: the same verdicts, each mutant first run against the tests of its lines
    (root / "tests" / "test_calc.py").write_text(WEAK_TEST + "\n\ndef test_other() -> None:\n"
                                                 "    assert True\n")
    cov = tmp_path / "cov.json"
    assert mutate.main([*common, "--report", str(cov), "--by-coverage"]) == 0
    (mod,) = json.loads(cov.read_text())["modules"]
    by_key = {m["key"]: m for m in mod["mutants"]}
    assert {k: m["status"] for k, m in by_key.items()} == status
    assert by_key["pos_app/calc.py:2:Gt->LtE"]["covering_tests"] == 1   # test_over alone
    assert by_key["pos_app/calc.py:2:Gt->GtE"]["covering_tests"] == 0   # confirmed on all
    assert mutate.main([*common, "--report", str(cov), "--lines", "3-9"]) == 0
    (mod,) = json.loads(cov.read_text())["modules"]
    assert mod["mutants"] == []
