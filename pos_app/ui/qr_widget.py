"""A QLabel showing a QR code rendered by :mod:`pos_app.devices.qr`."""

from __future__ import annotations

import threading
from collections import OrderedDict

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QWidget

_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 16


def prerender(data: str) -> None:
    """Render ``data``'s QR now (call from a worker/lane thread) so the UI thread only
    has to blit it: encoding a code_url takes 7–25 ms of pure Python."""
    if not data:
        return
    png = _render(data)
    with _CACHE_LOCK:
        _CACHE[data] = png
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)


def qr_png(data: str, *, box_size: int, border: int) -> bytes:
    """:func:`pos_app.devices.qr.qr_png`: qrcode and Pillow load with the first QR
    (~25 ms), not with the sale screen's modules (issue 13)."""
    from pos_app.devices.qr import qr_png as encode

    return encode(data, box_size=box_size, border=border)


def _render(data: str) -> bytes:
    return qr_png(data, box_size=1, border=4)


def _png_for(data: str) -> bytes:
    with _CACHE_LOCK:
        png = _CACHE.get(data)
    return png if png is not None else _render(data)


class QrLabel(QLabel):
    """Shows ``data`` as a crisp QR code of about ``size`` pixels (integer scaling)."""

    def __init__(self, size: int = 320, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self.data = ""
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(size, size)
        self.setStyleSheet("background: white;")

    def set_data(self, data: str) -> None:
        self.data = data
        self.setStyleSheet("background: white;")
        if not data:
            self.clear()
            return
        pix = QPixmap()
        pix.loadFromData(_png_for(data), "PNG")
        scale = max(1, self._size // max(1, pix.width()))
        self.setPixmap(pix.scaled(pix.width() * scale, pix.height() * scale,
                                  Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.FastTransformation))
