"""Render the core's :class:`~pos_app.domain.text.Message` values in the UI language.

Each emitting package's keys get an English template in a catalog module under
:mod:`pos_app.ui.texts` (``TEMPLATES = {Key.X: QT_TRANSLATE_NOOP("Message", "…{name}…")}``).
``pyside6-lupdate`` extracts the templates into ``resources/i18n/pos_app_zh_CN.ts``
(context ``Message``); the Chinese comes from ``resources/i18n/zh_CN/*.py`` through
``fill_zh_CN.py``. Parameters named ``*_fen`` are money and render as ``¥12.50``.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from pos_app.domain.money import Fen, format_yuan
from pos_app.domain.text import Message, MessageKey

CONTEXT = "Message"

log = logging.getLogger("pos_app.ui")

_templates: dict[str, str] | None = None


def _load() -> dict[str, str]:
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
    return _load().get(key.value)


def format_param(name: str, value: str | int) -> str:
    if name.endswith("_fen") and isinstance(value, int):
        return format_yuan(Fen(value), symbol=True)
    return str(value)


def render(message: Message) -> str:
    """``message`` in the UI language; a key without a template renders as the key
    itself (and logs an error, which fails the tests)."""
    source = template(message.key)
    if source is None:
        log.error("no UI template for message key %s", message.key.value)
        return message.key.value
    text = QCoreApplication.translate(CONTEXT, source)
    params = {k: format_param(k, v) for k, v in message.params}
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        log.error("template for %s does not fit its parameters", message.key.value)
        return source.format(**params)
