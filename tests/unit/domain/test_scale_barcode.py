"""Scale labels (EAN-13, prefix 2x): vectors built here independently, exact fen, refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.scale_barcode import (
    PRESETS,
    ScaleBarcodeError,
    ScaleLayout,
    ScaleText,
    ValueKind,
    find_layout,
    parse_scale_barcode,
    value_check_digit,
    weighed_amount,
)

# GS1 General Specifications §7.9.3 weighting tables, written out as published
# (the module computes them arithmetically; these are the independent oracle).
W2_MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7]
W3 = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7]
W5_PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9]
W5_MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1]


def ean_check(first12: str) -> str:
    odd = sum(int(c) for c in first12[0::2])
    even = sum(int(c) for c in first12[1::2])
    r = (odd + 3 * even) % 10
    return "0" if r == 0 else str(10 - r)


def verifier(value: str) -> str:
    d = [int(c) for c in value]
    if len(d) == 4:
        s = W2_MINUS[d[0]] + W2_MINUS[d[1]] + W3[d[2]] + W5_MINUS[d[3]]
        return str((s * 3) % 10)
    s = W5_PLUS[d[0]] + W2_MINUS[d[1]] + W5_MINUS[d[2]] + W5_PLUS[d[3]] + W2_MINUS[d[4]]
    target = 0 if s % 10 == 0 else 10 - s % 10
    return str(W5_MINUS.index(target))


def label(flag: str, item: str, value: str, *, with_verifier: bool = False) -> str:
    body = flag + item + (verifier(value) if with_verifier else "") + value
    assert len(body) == 12
    return body + ean_check(body)


P = PRESETS


def test_published_verifier_examples() -> None:
    # GS1 worked examples: 4-digit 2875 → 9; 5-digit 14685 → 6
    assert value_check_digit("2875") == 9
    assert value_check_digit("14685") == 6
    assert verifier("2875") == "9" and verifier("14685") == "6"


def test_verifier_matches_the_published_tables_for_every_value() -> None:
    for i in range(10_000):
        assert str(value_check_digit(f"{i:04d}")) == verifier(f"{i:04d}"), i
    for i in range(100_000):
        assert str(value_check_digit(f"{i:05d}")) == verifier(f"{i:05d}"), i


def test_price_label_is_the_amount_in_fen() -> None:
    code = label("22", "00123", "01250")  # 12.50 元
    assert code == "2200123012500"  # by hand: (2+0+1+3+1+5) + 3×(2+0+2+0+2+0) = 30 → 0
    r = parse_scale_barcode(code, P["ff5-price5-fen"])
    assert r.item_code == "00123" and r.price_fen == 1250 and r.weight_g is None
    assert r.amount_fen() == 1250


def test_weight_label_amount_rounds_half_up_to_the_fen() -> None:
    # 1.235 kg at 9.98 元/kg = 1232.53 fen... 998 × 1235 = 1232530 → /1000 = 1232.53 → 1233
    r = parse_scale_barcode(label("21", "00042", "01235"), P["ff5-weight5-g"])
    assert r.weight_g == 1235 and r.item_code == "00042"
    assert r.amount_fen(998) == 1233
    # exactly half a fen goes up: 0.500 kg at 0.01 元/kg... 1 × 500 / 1000 = 0.5 → 1
    assert weighed_amount(1, 500) == 1
    assert weighed_amount(1, 499) == 0
    # 0.333 kg at 12.34 元/kg: 1234 × 333 = 410922 → 410.922 → 411
    assert weighed_amount(1234, 333) == 411


def test_one_flag_digit_six_digit_item() -> None:
    code = label("2", "123456", "00999")
    r = parse_scale_barcode(code, P["f6-price5-fen"])
    assert (r.item_code, r.price_fen) == ("123456", 999)
    w = parse_scale_barcode(label("2", "654321", "00250"), P["f6-weight5-g"])
    assert (w.item_code, w.weight_g) == ("654321", 250)


def test_layout_with_price_verifier() -> None:
    code = label("28", "12345", "2875", with_verifier=True)
    assert code[7] == "9"
    r = parse_scale_barcode(code, P["ff5-check-price4-fen"])
    assert (r.item_code, r.price_fen) == ("12345", 2875)
    # a wrong verifier with a recomputed (valid) EAN check digit is still refused
    body = code[:7] + "8" + code[8:12]
    with pytest.raises(ScaleBarcodeError) as exc:
        parse_scale_barcode(body + ean_check(body), P["ff5-check-price4-fen"])
    assert exc.value.message.key is ScaleText.BAD_VALUE_CHECK_DIGIT


def test_decimals_other_than_fen_and_grams() -> None:
    jiao = ScaleLayout("jiao", ("20",), 5, ValueKind.PRICE, 5, 1)
    assert parse_scale_barcode(label("20", "00001", "00125"), jiao).price_fen == 1250
    dag = ScaleLayout("10g", ("20",), 5, ValueKind.WEIGHT, 5, 2)
    assert parse_scale_barcode(label("20", "00001", "00125"), dag).weight_g == 1250


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("220012301250O", ScaleText.NOT_DIGITS),
        ("２２００１２３０１２５０２", ScaleText.NOT_DIGITS),  # full-width digits
        ("220012301250", ScaleText.WRONG_LENGTH),
        ("22001230125001", ScaleText.WRONG_LENGTH),
        ("6901234567892", ScaleText.NOT_A_SCALE_CODE),
        ("2200123012503", ScaleText.BAD_CHECK_DIGIT),
        ("2200123015200", ScaleText.BAD_CHECK_DIGIT),  # 2 and 5 transposed
        ("", ScaleText.NOT_DIGITS),
    ],
)
def test_malformed_codes_are_refused_with_a_key(code: str, key: ScaleText) -> None:
    with pytest.raises(ScaleBarcodeError) as exc:
        parse_scale_barcode(code, P["ff5-price5-fen"])
    assert exc.value.message.key is key


def test_zero_value_and_missing_unit_price_are_refused() -> None:
    with pytest.raises(ScaleBarcodeError) as exc:
        parse_scale_barcode(label("22", "00123", "00000"), P["ff5-price5-fen"])
    assert exc.value.message.key is ScaleText.ZERO_VALUE
    r = parse_scale_barcode(label("21", "00042", "00500"), P["ff5-weight5-g"])
    with pytest.raises(ScaleBarcodeError) as exc:
        r.amount_fen()
    assert exc.value.message.key is ScaleText.UNIT_PRICE_MISSING
    assert exc.value.message.param_dict() == {"item_code": "00042"}
    for bad in (-1, True):
        with pytest.raises(ScaleBarcodeError) as exc:
            r.amount_fen(bad)
        assert exc.value.message.key is ScaleText.UNIT_PRICE_INVALID


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        (dict(flags=("21",), item_length=6, kind=ValueKind.PRICE, value_length=5,
              value_decimals=2), ScaleText.LAYOUT_LENGTH),
        (dict(flags=("31",), item_length=5, kind=ValueKind.PRICE, value_length=5,
              value_decimals=2), ScaleText.LAYOUT_FLAG),
        (dict(flags=("21", "2"), item_length=5, kind=ValueKind.PRICE, value_length=5,
              value_decimals=2), ScaleText.LAYOUT_FLAG),
        (dict(flags=(), item_length=11, kind=ValueKind.PRICE, value_length=1,
              value_decimals=2), ScaleText.LAYOUT_FLAG),
        (dict(flags=("21",), item_length=5, kind=ValueKind.PRICE, value_length=5,
              value_decimals=3), ScaleText.LAYOUT_DECIMALS),
        (dict(flags=("21",), item_length=5, kind=ValueKind.WEIGHT, value_length=5,
              value_decimals=4), ScaleText.LAYOUT_DECIMALS),
        (dict(flags=("21",), item_length=5, kind=ValueKind.PRICE, value_length=5,
              value_decimals=2, value_check=True), ScaleText.LAYOUT_LENGTH),
        (dict(flags=("21",), item_length=6, kind=ValueKind.PRICE, value_length=3,
              value_decimals=2, value_check=True), ScaleText.LAYOUT_VALUE_CHECK),
        (dict(flags=("21",), item_length=0, kind=ValueKind.PRICE, value_length=10,
              value_decimals=2), ScaleText.LAYOUT_PART),
    ],
)
def test_bad_layouts_are_refused(kwargs: dict[str, object], key: ScaleText) -> None:
    with pytest.raises(ScaleBarcodeError) as exc:
        ScaleLayout("x", **kwargs)  # type: ignore[arg-type]
    assert exc.value.message.key is key


def test_find_layout_tells_scale_labels_from_ordinary_barcodes() -> None:
    layouts = (ScaleLayout("w", ("21",), 5, ValueKind.WEIGHT, 5, 3),
               ScaleLayout("p", ("22",), 5, ValueKind.PRICE, 5, 2))
    assert find_layout(label("21", "00001", "00100"), layouts) is layouts[0]
    assert find_layout(label("22", "00001", "00100"), layouts) is layouts[1]
    assert find_layout("6901234567892", layouts) is None
    assert find_layout(label("23", "00001", "00100"), layouts) is None


flags2 = st.sampled_from([f"2{d}" for d in range(10)])
digits = st.text(alphabet="0123456789", min_size=5, max_size=5)


@given(flags2, digits, st.integers(min_value=1, max_value=99999),
       st.integers(min_value=0, max_value=10_000_000))
def test_weight_labels_roundtrip_and_amount_is_exact(
    flag: str, item: str, grams: int, price_per_kg: int,
) -> None:
    code = label(flag, item, f"{grams:05d}")
    r = parse_scale_barcode(code, P["ff5-weight5-g"])
    assert r.item_code == item and r.weight_g == grams
    amount = r.amount_fen(price_per_kg)
    q, rem = divmod(price_per_kg * grams, 1000)
    assert amount == q + (1 if 2 * rem >= 1000 else 0)
    assert type(amount) is int


@given(flags2, digits, st.integers(min_value=1, max_value=9999))
def test_verified_price_labels_roundtrip(flag: str, item: str, fen: int) -> None:
    code = label(flag, item, f"{fen:04d}", with_verifier=True)
    r = parse_scale_barcode(code, P["ff5-check-price4-fen"])
    assert (r.item_code, r.price_fen) == (item, fen)
    assert type(r.amount_fen()) is int


@given(flags2, digits, st.integers(min_value=1, max_value=99999),
       st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_any_single_digit_error_is_refused(
    flag: str, item: str, fen: int, pos: int, delta: int,
) -> None:
    code = label(flag, item, f"{fen:05d}")
    bad = code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1:]
    if pos < 2 and not bad.startswith("2"):
        return  # no longer a scale code at all
    with pytest.raises(ScaleBarcodeError):
        parse_scale_barcode(bad, P["ff5-price5-fen"])


def test_no_float_arithmetic_in_the_module() -> None:
    import ast
    import inspect

    import pos_app.domain.scale_barcode as mod

    tree = ast.parse(inspect.getsource(mod))
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), node.lineno
        assert not isinstance(node, ast.Div), f"true division at line {node.lineno}"
        assert not (isinstance(node, ast.Name) and node.id in ("float", "round")), node.lineno
