"""Shared test setup. Qt must be offscreen before any QApplication exists."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
os.environ.setdefault("POS_APP_NO_KEYRING", "1")   # never write test peppers to a real keyring
