"""Receipt building, the printer factory, and printing off the caller's thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from pos_app.devices.printer import factory
from pos_app.devices.printer.factory import PrinterNotConfigured, make_sink
from pos_app.devices.printer.sinks import FileSink, NullSink, SerialSink
from pos_app.devices.receipt import build_receipt, receipt_order_no
from pos_app.domain.cart import Cart
from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen
from pos_app.sale.printing import Printing


@dataclass(frozen=True)
class Cfg:
    kind: str = "none"
    target: str = ""
    baud: int = 9600
    encoding: str = "gb18030"
    width: int = 32


def cart() -> Cart:
    c = Cart()
    c.add(Product("COKE", "可口可乐", Fen(300), "6901234567011"), 3)
    c.set_line_discount(0, Fen(50))
    c.set_order_discount(Fen(50))
    return c


def test_receipt_of_a_cash_sale() -> None:
    r = build_receipt(shop_name="店", order_id=42, cashier="王芳", cart=cart(), method="cash",
                      amount=Fen(800), change=Fen(200), transaction_id="",
                      created_at=datetime(2026, 1, 2, 3, 4, 5))
    assert r.order_no == "00000042" == receipt_order_no(42)
    assert (r.subtotal, r.order_discount, r.total) == (850, 50, 800)
    assert (r.tendered, r.change, r.payment_method) == (1000, 200, "现金")
    [line] = r.lines
    assert (line.quantity, line.unit_price, line.amount, line.discount) == (3, 300, 850, 50)


def test_receipt_of_a_wechat_sale_has_no_tender() -> None:
    r = build_receipt(shop_name="店", order_id=1, cashier="c", cart=cart(), method="codepay",
                      amount=Fen(800), change=None, transaction_id="4200",
                      created_at=datetime(2026, 1, 2))
    assert (r.tendered, r.change, r.payment_method, r.transaction_id) == (
        None, None, "微信付款码", "4200")


def test_sinks_by_kind(tmp_path: Path) -> None:
    assert isinstance(make_sink(Cfg("serial", "/dev/ttyS0")), SerialSink)
    assert isinstance(make_sink(Cfg("file", str(tmp_path / "p"))), FileSink)
    assert isinstance(make_sink(Cfg()), NullSink)
    with pytest.raises(PrinterNotConfigured):
        factory.print_text(Cfg(), "x")


class InlineRunner:
    def run(self, fn, on_done=None, on_error=None):  # type: ignore[no-untyped-def]
        try:
            r = fn()
        except BaseException as exc:
            if on_error:
                on_error(exc)
            return None
        if on_done:
            on_done(r)
        return None


def test_printing_goes_to_the_file_and_reports_errors(tmp_path: Path) -> None:
    out = tmp_path / "receipts.bin"
    printing = Printing(InlineRunner(), Cfg())
    results: list[BaseException | None] = []
    printing.print_text("X", results.append)                # no printer: nothing sent
    assert isinstance(results[0], PrinterNotConfigured)
    printing.configure(Cfg("file", str(out)))
    r = build_receipt(shop_name="店", order_id=7, cashier="c", cart=cart(), method="cash",
                      amount=Fen(800), change=Fen(0), transaction_id="",
                      created_at=datetime(2026, 1, 2))
    printing.print_receipt(r, results.append)
    assert results[1:] == [None]
    data = out.read_bytes()
    assert "找零".encode("gb18030") in data and data.endswith(b"\x1dVB\x00")
    printing.configure(Cfg("file", str(tmp_path / "missing" / "p.bin")))
    printing.print_text("X", results.append)
    assert isinstance(results[2], OSError) and "printer file" in str(results[2])
