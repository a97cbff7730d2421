"""Scanned-string classification: payment codes vs product barcodes vs junk."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.scan import (
    ScanKind,
    ScanText,
    Symbology,
    classify,
    gtin_check_digit,
    mask_code,
    upce_to_upca,
)
from pos_app.domain.text import msg

_REFUSALS = {ScanText.EMPTY, ScanText.BAD_CHECK_DIGIT, ScanText.NOT_WECHAT, ScanText.UNRECOGNISED}


@pytest.mark.parametrize(
    "raw",
    [
        "130061098828009406",
        "130061098828009406\r\n",
        " 134650328919428540\t",
        "\x00120061098828009406\x1d",
        "]C1130061098828009406\r",
        "１３００６１０９８８２８００９４０６",  # full-width digits from an IME
        "1300 6109 8828 0094 06",  # as shown under the barcode, typed by hand
    ],
)
def test_wechat_codes(raw: str) -> None:
    r = classify(raw)
    assert r.kind is ScanKind.WECHAT_CODE
    assert r.is_payment_code
    assert r.text.isdigit() and len(r.text) == 18 and r.text.isascii()
    assert r.message_key == "scan.wechat"


@pytest.mark.parametrize("prefix", ["10", "11", "12", "13", "14", "15"])
def test_every_wechat_prefix(prefix: str) -> None:
    assert classify(prefix + "0" * 16).kind is ScanKind.WECHAT_CODE


@pytest.mark.parametrize("prefix", ["16", "19", "09", "00", "20", "62"])
def test_other_18_digit_prefixes_invalid(prefix: str) -> None:
    r = classify(prefix + "1234567890123456")
    assert r.kind is ScanKind.INVALID
    assert r.message_key == "scan.not_wechat"
    assert r.message == msg(ScanText.NOT_WECHAT)  # "18 digits starting 10–15"


@pytest.mark.parametrize(
    "code", ["2800000000000000", "25" + "1" * 16, "30" + "9" * 22, "286543219876543210"]
)
def test_alipay_recognised_as_a_payment_code(code: str) -> None:
    r = classify(code + "\r\n")
    assert r.kind is ScanKind.ALIPAY_CODE
    assert r.is_payment_code  # the till routes it to Alipay (refused there if not enabled)
    assert r.message == msg(ScanText.ALIPAY)


def test_alipay_length_bounds() -> None:
    assert classify("28" + "0" * 13).kind is ScanKind.INVALID  # 15 digits
    assert classify("28" + "0" * 23).kind is ScanKind.INVALID  # 25 digits


@pytest.mark.parametrize(
    ("code", "sym"),
    [
        ("4006381333931", Symbology.EAN13),
        ("6901234567892", Symbology.EAN13),
        ("036000291452", Symbology.UPCA),
        ("96385074", Symbology.EAN8),
        ("04252614", Symbology.UPCE),
        ("01234565", Symbology.EAN8),  # valid both ways; EAN-8 wins
        ("]E04006381333931", Symbology.EAN13),
    ],
)
def test_product_barcodes(code: str, sym: Symbology) -> None:
    r = classify(code + "\r")
    assert r.kind is ScanKind.PRODUCT_BARCODE
    assert r.symbology is sym
    assert r.log_text == r.text  # products are not secret


@pytest.mark.parametrize("code", ["4006381333932", "036000291453", "96385075", "6901234567890"])
def test_bad_check_digit(code: str) -> None:
    r = classify(code)
    assert r.kind is ScanKind.INVALID
    assert r.message_key == "scan.bad_check_digit"
    assert r.message == msg(ScanText.BAD_CHECK_DIGIT)  # "check digit is wrong"


@pytest.mark.parametrize(
    "raw", ["", "   ", "\r\n", "\x00\x1d", "abc", "13006109882800940a", "١٣٠٠٦١٠٩٨٨٢٨٠٠٩٤٠٦", "12345"]
)
def test_invalid(raw: str) -> None:
    r = classify(raw)
    assert r.kind is ScanKind.INVALID
    assert r.message_key in _REFUSALS


def test_empty_message() -> None:
    assert classify(" \r\n").message_key == "scan.empty"


def test_mask_and_repr_never_show_code() -> None:
    assert mask_code("130061098828006789") == "1300****6789"
    assert mask_code("") == ""
    assert mask_code("12345") == "****"
    r = classify("130061098828006789")
    assert "130061098828006789" not in repr(r)
    assert "1300****6789" in repr(r)
    assert r.log_text == "1300****6789"


def test_check_digit_and_upce() -> None:
    assert gtin_check_digit("400638133393") == 1
    assert upce_to_upca("01234565") == "012345000065"
    assert upce_to_upca("21234565") is None


# -- properties ----------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=0, max_size=30)
noise = st.text(alphabet="\r\n\t \x00\x1d\x1e\x04", max_size=4)


@given(st.sampled_from("012345"), st.text(alphabet="0123456789", min_size=16, max_size=16), noise, noise)
def test_prop_every_wechat_code_recognised(d: str, rest: str, pre: str, post: str) -> None:
    code = "1" + d + rest
    r = classify(pre + code + post)
    assert r.kind is ScanKind.WECHAT_CODE
    assert r.text == code


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_prop_ean13_with_computed_check_digit_is_product(body: str) -> None:
    code = body + str(gtin_check_digit(body))
    r = classify(code)
    assert r.kind is ScanKind.PRODUCT_BARCODE and r.symbology is Symbology.EAN13
    wrong = body + str((gtin_check_digit(body) + 1) % 10)
    assert classify(wrong).kind is ScanKind.INVALID


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_prop_ean8_with_computed_check_digit_is_product(body: str) -> None:
    r = classify(body + str(gtin_check_digit(body)))
    assert r.kind is ScanKind.PRODUCT_BARCODE


@given(st.text(max_size=40))
def test_prop_never_raises_and_is_consistent(raw: str) -> None:
    r = classify(raw)
    assert isinstance(r.message_key, ScanText) and r.message.key is r.message_key
    if r.kind is ScanKind.WECHAT_CODE:
        assert len(r.text) == 18 and r.text[0] == "1" and r.text[1] in "012345"
    if r.kind is not ScanKind.INVALID:
        assert r.text.isascii() and r.text.isdigit()
    assert classify(r.text).kind is r.kind or r.kind is ScanKind.INVALID


@given(digits)
def test_prop_digit_strings_classified_by_rules(code: str) -> None:
    r = classify(code)
    wechat = len(code) == 18 and code[0] == "1" and code[1] in "012345"
    alipay = 16 <= len(code) <= 24 and 25 <= int(code[:2] or "0") <= 30
    assert (r.kind is ScanKind.WECHAT_CODE) == wechat
    assert (r.kind is ScanKind.ALIPAY_CODE) == (alipay and not wechat)
    if r.kind is ScanKind.PRODUCT_BARCODE:
        assert len(code) in (8, 12, 13)


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_prop_mask_hides_middle(code: str) -> None:
    m = mask_code(code)
    assert "****" in m
    if len(code) >= 12:
        assert m == code[:4] + "****" + code[-4:]
