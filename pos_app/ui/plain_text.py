"""Qt-free rendering of the core's :class:`~pos_app.domain.text.Message` values.

The same catalogs as the UI (English templates in :mod:`pos_app.ui.texts`), the same
Chinese (the ``Message`` context of ``resources/i18n/pos_app_zh_CN.ts``, read as XML),
for places without a Qt application: the set-up CLI and files written for people
(CSV exports). The UI itself renders through :mod:`pos_app.ui.text` (Qt translation).
Parameters named ``*_fen`` are money and render as ``¥12.50``.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Mapping
from pathlib import Path

from pos_app.domain.money import Fen, format_yuan
from pos_app.domain.text import Message, MessageKey

CONTEXT = "Message"
RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"
I18N_DIR = RESOURCES / "i18n"
LANGUAGES = ("en", "zh_CN")

log = logging.getLogger("pos_app.ui")

_templates: dict[str, str] | None = None
_translations: dict[str, dict[str, str]] = {}


def templates() -> dict[str, str]:
    """Key value → English template, from every catalog module in :mod:`pos_app.ui.texts`."""
    global _templates
    if _templates is None:
        import pos_app.ui.texts as pkg

        table: dict[str, str] = {}
        for info in pkgutil.iter_modules(pkg.__path__):
            module = importlib.import_module(f"{pkg.__name__}.{info.name}")
            catalog: Mapping[MessageKey, object] = getattr(module, "TEMPLATES", {})
            for key, source in catalog.items():
                if key.value in table:
                    raise ValueError(f"two templates for {key.value}")
                table[key.value] = str(source)
        _templates = table
    return _templates


def template(key: MessageKey) -> str | None:
    """The English template of ``key`` (None if no catalog has it)."""
    return templates().get(key.value)


def translations(lang: str) -> dict[str, str]:
    """English template → text in ``lang`` (empty for English or a missing file)."""
    if lang == "en":
        return {}
    if lang not in _translations:
        import xml.etree.ElementTree as ET  # (not before the sign-in screen: issue 13)

        table: dict[str, str] = {}
        path = I18N_DIR / f"pos_app_{lang}.ts"
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError):
            log.error("cannot read the %s translation %s", lang, path)
            root = ET.Element("TS")
        for context in root.iter("context"):
            if context.findtext("name") != CONTEXT:
                continue
            for message in context.iter("message"):
                source, text = message.findtext("source"), message.findtext("translation")
                if source and text:
                    table[source] = text
        _translations[lang] = table
    return _translations[lang]


def format_param(name: str, value: str | int) -> str:
    if name.endswith("_fen") and isinstance(value, int):
        return format_yuan(Fen(value), symbol=True)
    return str(value)


def fill(text: str, source: str, message: Message) -> str:
    """``text`` (a translation of ``source``) with ``message``'s parameters filled in;
    a translation that does not fit them falls back to the English ``source``."""
    params = {k: format_param(k, v) for k, v in message.params}
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        log.error("template for %s does not fit its parameters", message.key.value)
        return source.format(**params)


def render(message: Message, lang: str = "en") -> str:
    """``message`` in ``lang`` ("en" or "zh_CN"); a key without a template renders as
    the key itself (and logs an error, which fails the tests)."""
    source = template(message.key)
    if source is None:
        log.error("no template for message key %s", message.key.value)
        return message.key.value
    return fill(translations(lang).get(source, source), source, message)
