#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle: dist/pos-app/pos-app (Linux; Windows: WINDOWS.md).
#
#   installer/build.sh                 # own build venv in build/pyi-venv (leaves .venv alone)
#   POS_BUILD_VENV=.venv installer/build.sh   # reuse an existing venv (pip-installs pyinstaller)
#   installer/build.sh --smoke         # … then run installer/smoke_test.sh on the result
#   installer/build.sh --yardstick     # … and bundle tests/bench/bare_qt_window.py the same way
#                                      #   (dist/bare-qt-window/: bench_startup.py --bare-exe)
#
# Needs: python3 (with a shared libpython: Debian → apt-get install libpython3.11),
# binutils (objdump/objcopy; PyInstaller refuses to run without them), network to PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYINSTALLER_VERSION=${PYINSTALLER_VERSION:-6.22.3}
VENV=${POS_BUILD_VENV:-build/pyi-venv}

for tool in objdump objcopy; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool missing: apt-get install binutils" >&2; exit 2; }
done

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "build.sh: creating build venv $VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -m pip install -q --disable-pip-version-check "pyinstaller==$PYINSTALLER_VERSION"
if ! "$PY" -c "import pos_app, PySide6" 2>/dev/null; then
  "$PY" -m pip install -q --disable-pip-version-check "$ROOT"
fi

t0=$(date +%s%N)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" "$ROOT/installer/pos_app.spec"
t1=$(date +%s%N)
BUNDLE="$ROOT/dist/pos-app"
echo "build.sh: built $BUNDLE in $(( (t1 - t0) / 1000000 )) ms, size $(du -sh "$BUNDLE" | cut -f1)"

if [[ " $* " == *" --yardstick "* ]]; then
  # The start-up yardstick, bundled with the same PyInstaller, Python, options and
  # excludes as the till, so that bundle is compared with bundle (issue 13).
  "$PY" -m PyInstaller --noconfirm --clean --log-level WARN --onedir --name bare-qt-window \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller-bare" \
    --specpath "$ROOT/build/pyinstaller-bare" \
    --exclude-module tkinter --exclude-module numpy --exclude-module PySide6.QtQml \
    --exclude-module PySide6.QtQuick --exclude-module PySide6.QtPdf \
    "$ROOT/tests/bench/bare_qt_window.py"
  echo "build.sh: built $ROOT/dist/bare-qt-window (the bench yardstick)"
fi

if [[ " $* " == *" --smoke "* ]]; then
  exec bash "$ROOT/installer/smoke_test.sh" "$BUNDLE"
fi
