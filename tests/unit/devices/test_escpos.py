"""ESC/POS rendering: golden bytes with Chinese text (GB18030), native QR, cut."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pos_app.devices.printer.escpos import (
    CHINESE_OFF,
    CHINESE_ON,
    CUT,
    INIT,
    qr_code,
    render_receipt,
)
from pos_app.devices.printer.sinks import FileSink, PrinterError, SerialSink
from pos_app.devices.receipt import (
    Receipt,
    ReceiptLine,
    cell_width,
    receipt_text_lines,
    two_columns,
)
from pos_app.domain.money import Fen

GOLDEN = Path(__file__).parent / "data" / "receipt_gb18030.bin"


def sample(**kw) -> Receipt:
    base = dict(
        shop_name="演示便利店",
        order_no="00000042",
        created_at=datetime(2026, 11, 23, 9, 30, 5),
        cashier="王芳",
        lines=(
            ReceiptLine("可口可乐 330ml", 2, Fen(300), Fen(600)),
            ReceiptLine("康师傅红烧牛肉面", 1, Fen(450), Fen(400), Fen(50)),
        ),
        subtotal=Fen(1000), order_discount=Fen(100), total=Fen(900),
        payment_method="现金", tendered=Fen(2000), change=Fen(1100),
    )
    base.update(kw)
    return Receipt(**base)


def test_golden_bytes():
    job = render_receipt(sample())
    # Reviewed by decoding it (GB18030) and checking each command; regenerate only on purpose.
    assert job == GOLDEN.read_bytes()


def test_structure_chinese_mode_gb18030_qr_and_cut():
    job = render_receipt(sample())
    assert job.startswith(INIT + CHINESE_ON)
    assert "演示便利店".encode("gb18030") in job
    assert "找零".encode("gb18030") in job and "合计".encode("gb18030") in job
    assert "￥9.00".encode("gb18030") == b"\xa3\xa49.00"
    assert b"\xa3\xa49.00" in job                        # full-width yen, never U+00A5
    assert "¥".encode("gb18030") not in job
    assert qr_code("00000042") in job
    assert job.index(CHINESE_OFF) < job.index(CUT)
    assert job.endswith(CUT)
    job.decode("gb18030")                                  # the whole job is valid GB18030


def test_qr_command_layout():
    q = qr_code("00000042", module_size=6)
    # store: GS ( k pL pH 49 80 48 data — length counts the 3 header bytes
    assert b"\x1d(k\x0b\x001P000000042" in q
    assert q.endswith(b"\x1d(k\x03\x001Q0")
    with pytest.raises(ValueError):
        qr_code("x", module_size=0)


def test_utf8_printer_has_no_chinese_mode():
    job = render_receipt(sample(), encoding="utf-8", with_qr=False, cut=False)
    assert CHINESE_ON not in job and "找零".encode() in job and CUT not in job


def test_copy_mark_and_widths():
    job = render_receipt(sample(copy=True), width=48)
    assert "副本 COPY".encode("gb18030") in job
    long_id = "4200719920261123999928017970"
    for line in receipt_text_lines(sample(transaction_id=long_id), 32):
        assert cell_width(line) <= 32, line
    assert long_id in receipt_text_lines(sample(transaction_id=long_id), 32)
    assert cell_width("合计") == 4
    assert two_columns("合计", "￥9.00", 16) == "合计      ￥9.00"  # ￥ is 2 cells


def test_file_sink_appends_and_reports_errors(tmp_path):
    sink = FileSink(tmp_path / "spool.bin")
    sink.write(b"a")
    sink.write(b"b")
    assert (tmp_path / "spool.bin").read_bytes() == b"ab"
    with pytest.raises(PrinterError):
        FileSink(tmp_path / "missing" / "x.bin").write(b"a")
    with pytest.raises(PrinterError):
        SerialSink(str(tmp_path / "no-such-tty")).write(b"a")


def test_serial_sink_writes_job(tmp_path):
    SerialSink("loop://").write(render_receipt(sample()))


def test_render_text_report():
    from pos_app.devices.printer.escpos import render_text

    job = render_text("X 报表\n现金 ￥10.00")
    assert job.startswith(INIT + CHINESE_ON) and job.endswith(CUT)
    assert "报表".encode("gb18030") in job
    assert CHINESE_ON not in render_text("report", encoding="utf-8", cut=False)
