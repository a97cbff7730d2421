"""The printer test page: its bytes, and sending it to a local TCP printer."""

from __future__ import annotations

import pytest

from pos_app.devices.printer.escpos import CHINESE_ON, CUT, INIT, qr_code
from pos_app.devices.printer.network import (
    NetworkPrinter,
    NetworkPrinterConfig,
    PrinterNotReady,
)
from pos_app.devices.printer.status import Condition
from pos_app.devices.printer.testpage import (
    PRINTABLE_ASCII,
    print_test_page,
    render_test_page,
    ruler,
)
from tests.unit.devices.fake_printer import PAPER_OUT, fake_printer


def test_ruler_is_exactly_the_paper_width() -> None:
    assert ruler(32) == "12345678901234567890123456789012"
    assert len(ruler(48)) == 48 and ruler(48).endswith("78")


def test_page_bytes() -> None:
    page = render_test_page("打印测试", ["192.168.1.50:9100", "宽度 32"], width=32)
    assert page.startswith(INIT + CHINESE_ON) and page.endswith(CUT)
    assert "打印测试".encode("gb18030") in page and "宽度 32".encode("gb18030") in page
    assert b"\n" + ruler(32).encode() + b"\n" in page
    assert all(PRINTABLE_ASCII[i:i + 32].encode() in page for i in range(0, 95, 32))
    assert qr_code("POS-APP TEST") in page
    assert CHINESE_ON not in render_test_page("x", encoding="cp437")
    assert CUT not in render_test_page("x", cut=False) and b"(k" not in render_test_page("x", qr_data="")


@pytest.mark.parametrize("width", [15, 81])
def test_width_is_checked(width: int) -> None:
    with pytest.raises(ValueError):
        render_test_page("x", width=width)


def test_sent_at_once_and_a_fault_is_reported() -> None:
    with fake_printer() as fp:
        p = NetworkPrinter(NetworkPrinterConfig("127.0.0.1", fp.port, status_timeout=0.3))
        d = print_test_page(p, "Test page", ["127.0.0.1"], width=48)
        assert d.confirmed and fp.printed == render_test_page("Test page", ["127.0.0.1"], width=48)
        fp.status = dict(PAPER_OUT)
        with pytest.raises(PrinterNotReady) as exc:
            print_test_page(p, "Test page")
        assert exc.value.condition is Condition.PAPER_OUT
