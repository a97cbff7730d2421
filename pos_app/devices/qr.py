"""QR images (Native ``code_url``, order numbers on receipts) as PNG bytes."""

from __future__ import annotations

import io

import qrcode
import qrcode.constants


def qr_matrix(data: str, *, border: int = 4) -> list[list[bool]]:
    """The module matrix (True = dark), error correction M."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    qr.add_data(data)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def qr_png(data: str, *, box_size: int = 8, border: int = 4) -> bytes:
    """Encode ``data`` (e.g. ``weixin://wxpay/bizpayurl?pr=…``) as a PNG, level M."""
    if not data:
        raise ValueError("nothing to encode")
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=border
    )
    qr.add_data(data)
    qr.make(fit=True)
    img = qr.make_image(fill_color="black", back_color="white")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
