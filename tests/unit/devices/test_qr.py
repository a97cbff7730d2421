"""QR PNGs decode back to their payload (zxing-cpp)."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from pos_app.devices.qr import qr_matrix, qr_png


def test_code_url_round_trip():
    url = "weixin://wxpay/bizpayurl?pr=abc123XYZ"
    img = Image.open(io.BytesIO(qr_png(url)))
    (found,) = zxingcpp.read_barcodes(img)
    assert found.text == url
    assert found.format == zxingcpp.BarcodeFormat.QRCode


def test_matrix_and_empty():
    m = qr_matrix("00000042")
    assert len(m) == len(m[0]) and any(any(r) for r in m)
    with pytest.raises(ValueError):
        qr_png("")
