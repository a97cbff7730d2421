"""Render the core's :class:`~pos_app.domain.text.Message` values in the UI language.

Each emitting package's keys get an English template in a catalog module under
:mod:`pos_app.ui.texts` (``TEMPLATES = {Key.X: QT_TRANSLATE_NOOP("Message", "…{name}…")}``).
``pyside6-lupdate`` extracts the templates into ``resources/i18n/pos_app_zh_CN.ts``
(context ``Message``); the Chinese comes from ``resources/i18n/zh_CN/*.py`` through
``fill_zh_CN.py``. Parameters named ``*_fen`` are money and render as ``¥12.50``.
Loading and filling are shared with the Qt-free :mod:`pos_app.ui.plain_text`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from pos_app.domain.payment import ALIPAY, WECHAT
from pos_app.domain.text import Message
from pos_app.ui.plain_text import CONTEXT, fill, format_param, template

__all__ = ["CONTEXT", "channel_name", "format_param", "render", "template"]

log = logging.getLogger("pos_app.ui")


def render(message: Message) -> str:
    """``message`` in the UI language; a key without a template renders as the key
    itself (and logs an error, which fails the tests)."""
    source = template(message.key)
    if source is None:
        log.error("no UI template for message key %s", message.key.value)
        return message.key.value
    return fill(QCoreApplication.translate(CONTEXT, source), source, message)


def channel_name(channel: str) -> str:
    """A payment channel as people name it ("" on records from before channels: WeChat
    Pay); an unknown one as it is."""
    if channel == ALIPAY:
        return QCoreApplication.translate("Channel", "Alipay")
    if channel in (WECHAT, ""):
        return QCoreApplication.translate("Channel", "WeChat Pay")
    return channel
