"""The label scale format picker (settings): "none" or one of the presets of
:data:`pos_app.domain.scale_barcode.PRESETS`, each described by its digits."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox

from pos_app.domain.scale_barcode import PRESETS, ScaleLayout, ValueKind


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScaleLayouts", text)


def describe(layout: ScaleLayout) -> str:
    """``21 CCCCC PPPPP C — 5-digit item, price in fen`` (the label's digits, then words)."""
    value = ("P" if layout.kind is ValueKind.PRICE else "W") * layout.value_length
    digits = " ".join(p for p in (
        "2" + "F" * (layout.flag_length - 1), "C" * layout.item_length,
        "V" if layout.value_check else "", value, "C") if p)
    if layout.kind is ValueKind.PRICE:
        what = _tr("%1-digit item, price in fen").replace("%1", str(layout.item_length))
    else:
        what = _tr("%1-digit item, weight in g (price per kg)").replace(
            "%1", str(layout.item_length))
    if layout.value_check:
        what += _tr(", with a price/weight check digit")
    return f"{digits} — {what}"


def scale_layout_box(current: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName("scaleLayout")
    box.addItem(_tr("No label scale"), "")
    for name, layout in PRESETS.items():
        box.addItem(describe(layout), name)
    index = box.findData(current)
    box.setCurrentIndex(max(0, index))
    return box
