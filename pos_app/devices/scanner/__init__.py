"""Barcode/payment-code scanners: keyboard-wedge decoding and serial readers."""
