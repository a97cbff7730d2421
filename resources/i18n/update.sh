#!/usr/bin/env bash
# Regenerate the zh_CN translation: extract every tr()/QT_TRANSLATE_NOOP string from the UI,
# fill in the Chinese (fill_zh_CN.py + zh_CN/*.py) and compile the .qm. Exit 1 = untranslated.
set -euo pipefail
cd "$(dirname "$0")/../.."
.venv/bin/pyside6-lupdate $(find pos_app/ui -name '*.py' | sort) pos_app/app.py \
    -ts resources/i18n/pos_app_zh_CN.ts -no-obsolete >/dev/null
exec .venv/bin/python resources/i18n/fill_zh_CN.py
