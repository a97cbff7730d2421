"""Every message key the core can emit renders completely in both UI languages."""

from __future__ import annotations

import importlib
import pkgutil
import re
import string

import pytest

import pos_app
from pos_app.domain.text import MessageKey, all_keys, msg
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
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)
        install_translator(qapp, "en")
