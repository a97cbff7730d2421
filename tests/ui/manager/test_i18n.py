"""Every manager-screen string has a zh_CN translation in the shipped .ts/.qm."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication

from pos_app.ui.i18n import I18N_DIR, install_translator

pytestmark = pytest.mark.gui
CONTEXTS = {"RefundDialog", "ShiftDialog", "ReconcileDialog", "ManagerOverrideDialog",
            "UsersDialog", "ManagerMenu"}


def test_manager_strings_are_translated():
    tree = ET.parse(I18N_DIR / "pos_app_zh_CN.ts")
    seen = set()
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name")
        if name not in CONTEXTS:
            continue
        seen.add(name)
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            assert tr is not None and tr.text and tr.get("type") is None, msg.findtext("source")
    assert seen == CONTEXTS


def test_zh_cn_loaded_for_manager_screens(qapp):
    tr = install_translator(qapp, "zh_CN")
    try:
        assert tr is not None
        assert QCoreApplication.translate("RefundDialog", "Refund (manager PIN)") == \
            "退款（需店长 PIN）"
        assert QCoreApplication.translate("ShiftDialog", "Cash SHORT by %1") == "现金短缺 %1"
        assert QCoreApplication.translate("ManagerMenu", "&Manager") == "管理(&M)"
    finally:
        qapp.removeTranslator(tr)
        install_translator(qapp, "en")
