"""UI language: pick zh_CN or en, load the compiled Qt translation."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from pos_app.ui.plain_text import I18N_DIR, RESOURCES

__all__ = ["I18N_DIR", "RESOURCES", "choose_language", "current_language", "install_translator"]

_lang = "en"


def choose_language(requested: str | None) -> str:
    """``--lang`` wins; otherwise Chinese system locales get zh_CN, the rest en."""
    if requested in ("zh_CN", "en"):
        return requested
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def install_translator(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Load ``pos_app_<lang>.qm`` (English needs none). Keep the returned object alive."""
    global _lang
    _lang = lang
    if lang == "en":
        return None
    qt_base = QTranslator(app)  # Qt's own strings (Save/Cancel, context menus)
    if qt_base.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
    translator = QTranslator(app)
    if not translator.load(f"pos_app_{lang}", str(I18N_DIR)):
        return None
    app.installTranslator(translator)
    return translator


def current_language() -> str:
    return _lang


def input_error_text(exc: BaseException) -> str:
    """A cashier-facing text for a refused cart edit or amount, in the UI language."""
    from pos_app.domain.cart import CartError
    from pos_app.domain.money import MoneyFormatError
    from pos_app.ui.text import render

    if isinstance(exc, CartError | MoneyFormatError):
        return render(exc.message)
    return str(exc)
