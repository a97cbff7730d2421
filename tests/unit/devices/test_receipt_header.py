"""Receipt header (shop name, address, phone): layout by printer cells and exact bytes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.devices.printer.escpos import (
    ALIGN_CENTER,
    ALIGN_LEFT,
    BOLD_OFF,
    BOLD_ON,
    SIZE_DOUBLE,
    SIZE_NORMAL,
)
from pos_app.devices.receipt import cell_width
from pos_app.devices.receipt_header import (
    ReceiptHeader,
    header_lines,
    render_header,
    wrap_cells,
)


def test_exact_bytes_for_a_short_header() -> None:
    h = ReceiptHeader("演示便利店", "中山路1号", "020-12345678")
    assert render_header(h, width=32) == (
        ALIGN_CENTER + BOLD_ON + SIZE_DOUBLE + "演示便利店\n".encode("gb18030")
        + SIZE_NORMAL + BOLD_OFF
        + "地址: 中山路1号\n".encode("gb18030")
        + b"\xb5\xe7\xbb\xb0: 020-12345678\n"  # 电话 in GB18030
        + ALIGN_LEFT
    )


def test_long_chinese_address_wraps_by_cells() -> None:
    h = ReceiptHeader("店", "广东省广州市天河区天河路一百二十三号天河城购物中心负一层B101铺")
    name, details = header_lines(h, width=32)
    assert name == ["店"]
    assert len(details) == 3 and all(cell_width(d) <= 32 for d in details)
    assert "".join(details) == "地址: " + h.address
    assert details[2] == "B101铺"  # the shop number is not split


def test_long_name_wraps_at_half_width_for_double_size() -> None:
    name, _ = header_lines(ReceiptHeader("一二三四五六七八九十甲乙丙丁"), width=32)
    assert name == ["一二三四五六七八", "九十甲乙丙丁"]  # 16 cells at double size = 32


def test_latin_text_breaks_at_spaces() -> None:
    assert wrap_cells("Unit 5, 123 Long Harbour Road, Kowloon", 16) == [
        "Unit 5, 123 Long", "Harbour Road,", "Kowloon"]


def test_empty_fields_are_left_out_and_labels_can_change() -> None:
    name, details = header_lines(ReceiptHeader("Shop", phone="123"), labels={"phone": "Tel"})
    assert name == ["Shop"] and details == ["Tel: 123"]


@pytest.mark.parametrize("kw", [dict(shop_name=""), dict(shop_name="  "),
                                dict(shop_name="a\nb"), dict(shop_name="x", address="a\tb"),
                                dict(shop_name="x", phone="1" * 121)])
def test_bad_fields_are_refused(kw: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        ReceiptHeader(**kw)


def test_fields_are_trimmed() -> None:
    assert ReceiptHeader("  店 ", " 路 ", " 1 ") == ReceiptHeader("店", "路", "1")


@given(st.text(alphabet="ab1 中文路号-", max_size=120), st.integers(min_value=2, max_value=48))
def test_wrapping_never_overflows_or_loses_text(text: str, width: int) -> None:
    lines = wrap_cells(text, width)
    assert all(1 <= cell_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
