import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.money import MoneyFormatError, fen, format_yuan, parse_yuan, percent_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12.34", 1234), ("¥12.3", 1230), ("￥0.05", 5), ("12", 1200), (" 7.00 ", 700), ("-0.05", -5)],
)
def test_parse_yuan(text: str, expected: int) -> None:
    assert parse_yuan(text) == expected


@pytest.mark.parametrize("text", ["", "1.234", "abc", "1,00", "1e3", "--1", "¥"])
def test_parse_yuan_rejects(text: str) -> None:
    with pytest.raises(MoneyFormatError):
        parse_yuan(text)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_format_parse_roundtrip(amount: int) -> None:
    assert parse_yuan(format_yuan(amount)) == amount


def test_format_yuan() -> None:
    assert format_yuan(1234) == "12.34"
    assert format_yuan(5, symbol=True) == "¥0.05"
    assert format_yuan(-105) == "-1.05"


def test_fen_refuses_floats_and_bools() -> None:
    with pytest.raises(TypeError):
        fen(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fen(True)


def test_percent_of_rounds_half_up() -> None:
    assert percent_of(1000, 1250) == 125  # 12.5 %
    assert percent_of(5, 5000) == 3  # 2.5 fen -> 3
    assert percent_of(999, 100) == 10  # 9.99 -> 10
