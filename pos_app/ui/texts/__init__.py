"""UI catalogs: one module per emitting package, each with ``TEMPLATES`` mapping that
package's message keys to English templates wrapped in ``QT_TRANSLATE_NOOP("Message", …)``.
Every module here is loaded by :mod:`pos_app.ui.plain_text` (and so by :mod:`pos_app.ui.text`).

The catalogs stay Qt-free so that terminal tools and file exports render the same texts:
import ``QT_TRANSLATE_NOOP`` from here, not from PySide6 (``pyside6-lupdate`` only looks
at the call's name).
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks ``source`` for translation in ``context``; returns it unchanged."""
    return source
