"""The label-scale format is a till setting: picked in the settings (keys), kept in the
settings file, an unknown one refused (issue 16)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.scale_barcode import PRESETS
from pos_app.ui.scale_layouts import describe
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.settings_model import parse_settings

pytestmark = pytest.mark.gui


def test_scale_format_picked_with_keys(qtbot, ui):
    dlg = SettingsDialog(ui.settings, ui.hub, ui.worker, ui.services.check_merchant_config,
                         lambda: [], ui)
    qtbot.addWidget(dlg)
    dlg.show()
    box = dlg.scale_layout
    assert box.currentData() == "" and box.count() == 1 + len(PRESETS)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert dlg.till_settings().scale_layout == list(PRESETS)[1] == "ff5-weight5-g"
    assert box.currentText() == describe(PRESETS["ff5-weight5-g"])
    assert box.currentText().startswith("2F CCCCC WWWWW C")
    dlg.reject()


def test_scale_format_in_the_settings_file():
    assert parse_settings({"till": {"scale_layout": "f6-price5-fen"}}).till.scale_layout == \
        "f6-price5-fen"
    assert parse_settings({}).till.scale_layout == ""
    with pytest.raises(ValueError, match="nope"):
        parse_settings({"till": {"scale_layout": "nope"}})
