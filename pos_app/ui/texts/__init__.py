"""UI catalogs: one module per emitting package, each with ``TEMPLATES`` mapping that
package's message keys to English templates wrapped in ``QT_TRANSLATE_NOOP("Message", …)``.
Every module here is loaded by :mod:`pos_app.ui.text`."""
