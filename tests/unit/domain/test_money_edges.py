"""Edges of the money helpers that a mutation run showed no test pinned down."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.money import fen, format_yuan, percent_of


def test_fen_passes_ints_through() -> None:
    for value in (0, 1, -3, 123456):
        assert fen(value) == value
        assert type(fen(value)) is int


def test_format_yuan_zero_and_one_fen_have_no_minus_sign() -> None:
    assert format_yuan(0) == "0.00"
    assert format_yuan(1) == "0.01"
    assert format_yuan(-1) == "-0.01"
    assert format_yuan(0, symbol=True) == "¥0.00"


def test_percent_of_exact_cases() -> None:
    assert percent_of(100_000, 10_000) == 100_000  # 100 %
    assert percent_of(1, 4999) == 0  # 0.4999 fen rounds down
    assert percent_of(1, 4000) == 0  # 0.4 fen rounds down
    assert percent_of(1, 5000) == 1  # 0.5 fen rounds up
    assert percent_of(0, 1234) == 0


def test_percent_of_negative_amounts_round_the_magnitude() -> None:
    assert percent_of(-1234, 1000) == -123  # -123.4
    assert percent_of(-5, 5000) == -3  # -2.5: half away from zero, symmetric with +2.5 -> 3
    assert percent_of(-1, 4000) == 0


def _half_away_from_zero(x: Fraction) -> int:
    magnitude = abs(x)
    whole = int(magnitude)
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    return whole if x >= 0 else -whole


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=20_000))
def test_percent_of_matches_exact_fractions(amount: int, bp: int) -> None:
    assert percent_of(amount, bp) == _half_away_from_zero(Fraction(amount * bp, 10_000))
