"""Every message key the core can emit renders completely in both UI languages; the
English UI shows no Chinese; the core holds no Chinese prose (an AST scan); the Qt-free
renderer (CLI, exports) says exactly what the UI says."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

import pos_app
from pos_app.domain.scan import ScanText
from pos_app.domain.text import Message, MessageKey, all_keys, msg
from pos_app.manager.messages import ManagerText as M
from pos_app.ui import plain_text
from pos_app.ui import text as ui_text

_SKIP = ("pos_app.ui", "pos_app.app", "pos_app.cli", "pos_app.__main__")


def _import_core() -> list[MessageKey]:
    for info in pkgutil.walk_packages(pos_app.__path__, "pos_app."):
        if not info.name.startswith(_SKIP):
            importlib.import_module(info.name)
    return all_keys()


KEYS = _import_core()
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _example(key: MessageKey) -> dict[str, str | int]:
    return {name: (123456 if name.endswith("_fen") else f"<{name}>") for name in key.params}


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_the_core_declares_keys() -> None:
    assert KEYS, "no message keys registered"


@pytest.mark.parametrize("key", KEYS, ids=lambda k: k.value)
def test_template_matches_declared_parameters(key: MessageKey) -> None:
    source = ui_text.template(key)
    assert source, f"no UI template for {key.value}"
    assert _placeholders(source) == set(key.params)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_key_renders_complete(qapp, lang: str) -> None:  # type: ignore[no-untyped-def]
    from pos_app.ui.i18n import install_translator

    translator = install_translator(qapp, lang)
    try:
        for key in KEYS:
            params = _example(key)
            text = ui_text.render(msg(key, **params))
            assert text.strip() and text != key.value, key.value
            assert "{" not in text and "}" not in text, (key.value, text)
            for name, value in params.items():
                assert ui_text.format_param(name, value) in text, (key.value, name, text)
            if lang == "zh_CN":
                assert _CJK.search(text), f"{key.value} untranslated: {text!r}"
            else:
                assert not _CJK.search(text), f"{key.value} shows Chinese in English: {text!r}"
            assert plain_text.render(msg(key, **params), lang) == text, key.value
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)
        install_translator(qapp, "en")


# What the tests of the emitting packages checked in the text before the core returned keys.
RENDERED: list[tuple[Message, str, tuple[str, ...]]] = [
    (msg(M.REFUND_CLOSED), "zh_CN", ("未退出",)),
    (msg(M.REFUND_CLOSED), "en", ("nothing was refunded",)),
    (msg(M.REFUND_PENDING), "zh_CN", ("同一退款单号",)),
    (msg(M.REFUND_ABNORMAL), "zh_CN", ("商户平台",)),
    (msg(M.REFUND_REFUSED_DETAIL, detail="NOT_ENOUGH: 余额不足"), "en", ("NOT_ENOUGH",)),
    (msg(M.REFUND_GIVE_BACK_CASH, amount_fen=350), "zh_CN", ("¥3.50", "现金")),
    (msg(M.REFUND_GIVE_BACK_CASH, amount_fen=350), "en", ("¥3.50", "cash")),
    (msg(M.AUTH_WRONG_PIN), "en", ("Wrong user or PIN",)),
    (msg(M.SHIFT_PAYMENTS_UNRESOLVED, count=2), "en", ("2 payment(s) still unresolved",)),
    (msg(M.SHIFT_PAYMENTS_UNRESOLVED, count=2), "zh_CN", ("还有 2 笔",)),
    (msg(M.SHIFT_FLOAT_OUT_OF_RANGE, max_fen=10_000_000), "zh_CN", ("备用金", "¥100000.00")),
    (msg(M.RECONCILE_REMOTE_ONLY_PAYMENT), "zh_CN", ("账单已收款，本地无记录",)),
    (msg(ScanText.NOT_WECHAT), "zh_CN", ("18",)),
    (msg(ScanText.NOT_WECHAT), "en", ("WeChat",)),
    (msg(ScanText.ALIPAY_REFUSED), "zh_CN", ("本店未开通支付宝收款",)),
    (msg(ScanText.ALIPAY_REFUSED), "en", ("Alipay",)),
    (msg(ScanText.BAD_CHECK_DIGIT), "zh_CN", ("校验",)),
    (msg(ScanText.BAD_CHECK_DIGIT), "en", ("check digit",)),
]


@pytest.mark.parametrize(("message", "lang", "parts"), RENDERED,
                         ids=lambda v: str(v) if isinstance(v, Message) else None)
def test_known_renderings(qapp, message: Message, lang: str,  # type: ignore[no-untyped-def]
                          parts: tuple[str, ...]) -> None:
    from pos_app.ui.i18n import install_translator

    translator = install_translator(qapp, lang)
    try:
        text = ui_text.render(message)
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)
        install_translator(qapp, "en")
    for part in parts:
        assert part in text, (message, lang, text)
    assert "23" not in plain_text.render(msg(M.REFUND_GIVE_BACK_CASH, amount_fen=350), "zh_CN")


# ----------------------------------------------------------------- no prose in the core

PACKAGE = Path(pos_app.__file__).resolve().parent
#: Modules (or packages, ending "/") whose Chinese string literals are data, not messages.
CJK_DATA = {
    "payments/channels/wechat_bill.py": "the WeChat Pay trade bill's column headers",
    "payments/till.py": "the order description sent to the channel (shop name, 等)",
    "devices/receipt.py": "the printed receipt's labels (receipts are Chinese)",
    "devices/receipt_header.py": "the printed receipt header's labels (phone, address)",
    "devices/refund_slip.py": "the printed refund slip's labels (slips are Chinese, as receipts)",
    "storage/catalog.py": "demo product names",
    "backend.py": "the demo staff names",
    "startup_plan.py": "the demo shop's name and the default till name (data, not prose)",
    "simulator/": "what the simulated WeChat Pay says (its own texts, as the real one)",
    "wechatpay/": "WeChat Pay's own texts (documented descriptions, error-text hints)",
    "alipay/": "Alipay's own texts (the trade bill's column headers and business types)",
}
#: Still to convert by other parts of issue 9 (delete an entry when its Chinese is gone).
CJK_PENDING = {
}


def _docstrings(tree: ast.Module) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def cjk_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal with Chinese in it, docstrings excluded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skip and _CJK.search(node.value)]


def _allowed(rel: str, table: dict[str, str]) -> str | None:
    return next((entry for entry in table if rel == entry or
                 (entry.endswith("/") and rel.startswith(entry))), None)


def test_no_chinese_prose_in_the_core() -> None:
    """Only ui/ (catalogs, Qt tr) and resources/ hold wording; a core module that builds a
    zh (or zh/en) sentence fails here: return a message key instead."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("ui/") or _allowed(rel, CJK_DATA) or _allowed(rel, CJK_PENDING):
            continue
        found += [f"pos_app/{rel}:{line}: {text!r}" for line, text in cjk_literals(path)]
    assert not found, "Chinese text in the core (use a message key):\n" + "\n".join(found)


def test_the_prose_scan_sees_chinese(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text('"""文档."""\nX = ("请重新扫描", "scan again")\nY = f"¥{1}元"\n',
                      encoding="utf-8")
    assert [line for line, _ in cjk_literals(sample)] == [2, 3]


def test_every_data_exception_is_still_needed() -> None:
    for entry in CJK_DATA:
        paths = sorted(PACKAGE.glob(entry + "**/*.py")) if entry.endswith("/") else [
            PACKAGE / entry]
        assert any(p.exists() and cjk_literals(p) for p in paths), f"stale exception {entry}"


# ----------------------------------------------------------------- Qt-free renderer


def test_catalogs_do_not_import_qt() -> None:
    import pos_app.ui.texts as pkg

    for path in sorted(Path(pkg.__path__[0]).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.startswith("PySide6") for n in names), (
                f"{path.name}: import QT_TRANSLATE_NOOP from pos_app.ui.texts, not PySide6")


_CLI = """
import sys
from pos_app.admin_cli import main
code = main(["--data-dir", sys.argv[1], "--lang", sys.argv[2], "add-user", "amy",
             "--role", "cashier"], read_pin=lambda _p: "2580")
assert code == 2
assert not [m for m in sys.modules if m.startswith("PySide6")], "the CLI imported Qt"
"""


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "error: The first account must be an admin (--role admin)"),
    ("zh_CN", "error: 第一个账号必须是管理员（admin）"),
])
def test_admin_cli_renders_refusals_without_qt(tmp_path: Path, lang: str, expected: str) -> None:
    done = subprocess.run([sys.executable, "-c", _CLI, str(tmp_path), lang],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "The printer port or file is missing"), ("zh_CN", "未填写打印机端口或文件")])
def test_settings_refusals_follow_the_ui_language(qapp, lang: str,  # type: ignore[no-untyped-def]
                                                  expected: str) -> None:
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.settings_model import AppSettings, PrinterSettings

    translator = install_translator(qapp, lang)
    try:
        with pytest.raises(ValueError, match=expected):
            AppSettings(printer=PrinterSettings(kind="file", target="")).validate()
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)
        install_translator(qapp, "en")
