"""The receipt after payment: same text the printer gets, the order number as QR, print."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.devices.receipt import Receipt, receipt_text_lines
from pos_app.devices.receipt_header import ReceiptHeader, header_lines
from pos_app.ui.keys import OneKeyDialog
from pos_app.ui.qr_widget import QrLabel


class ReceiptDialog(OneKeyDialog):
    """Enter is "New sale" whatever has the focus; Ctrl+P prints. ``print_fn(receipt, on_done)`` prints on a worker and reports an error text or None."""

    def __init__(self, receipt: Receipt,
                 print_fn: Callable[[Receipt, Callable[[str | None], None]], None],
                 width: int = 32, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.receipt = receipt
        self._print_fn = print_fn
        self.setWindowTitle(self.tr("Receipt"))
        lay = QVBoxLayout(self)
        head = QLabel(receipt.shop_name)
        head.setObjectName("dialogTitle")
        head.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(head)
        details = [line for line in (receipt.shop_address, receipt.shop_phone) if line]
        try:  # the header as printed: address and phone under the name
            lines = header_lines(ReceiptHeader(receipt.shop_name or "-", receipt.shop_address,
                                               receipt.shop_phone), width)[1] if details else []
        except ValueError:  # (settings refuse such values; never fail a receipt for it)
            lines = details
        if lines:
            sub = QLabel("\n".join(lines))
            sub.setObjectName("receiptHeader")
            sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(sub)
        body = QLabel("\n".join(receipt_text_lines(receipt, width)))
        font = QFont("WenQuanYi Micro Hei Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(11)
        body.setFont(font)
        body.setObjectName("receiptBody")
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(body)
        self.qr = QrLabel(160)
        self.qr.set_data(receipt.order_no)
        lay.addWidget(self.qr)
        foot = QLabel(receipt.footer)
        foot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(foot)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print (Ctrl+P)"))
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.clicked.connect(self.print_receipt)
        done = QPushButton(self.tr("New sale (Enter)"))
        done.clicked.connect(self.accept)
        row.addWidget(self.print_button)
        row.addWidget(done)
        lay.addLayout(row)

    def on_enter(self) -> None:
        self.accept()

    def print_receipt(self) -> None:
        self.print_button.setEnabled(False)
        self.status.setText(self.tr("Printing…"))
        self._print_fn(self.receipt, self._printed)

    def _printed(self, error: str | None) -> None:
        self.print_button.setEnabled(True)
        if error:
            self.status.setStyleSheet("color: #cf222e;")
            self.status.setText(self.tr("Print failed: %1").replace("%1", error))
        else:
            self.status.setStyleSheet("color: #1a7f37;")
            self.status.setText(self.tr("Printed"))
