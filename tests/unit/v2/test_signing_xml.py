"""APIv2 sign vectors (wechatpay-api.md §11) and safe XML parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.wechatpay.v2 import XmlError, parse_xml, sign_params, to_xml, verify_sign

KEY = "192006250b4c09247ec02edce69f6a2d"
PARAMS = {
    "appid": "wxd930ea5d5a258f4f",
    "mch_id": "10000100",
    "device_info": "1000",
    "body": "test",
    "nonce_str": "ibuaiVcKdpRxkhJA",
}


def test_md5_vector() -> None:
    signed = sign_params(PARAMS, KEY, "MD5")
    assert signed["sign"] == "9A0A8659F005D6984697E2CA0A9CF3B7"
    assert "sign_type" not in signed
    assert verify_sign(signed, KEY, "MD5")


def test_hmac_vector_without_sign_type_field() -> None:
    from pos_app.wechatpay.crypto import v2_sign

    assert v2_sign(PARAMS, KEY, "HMAC-SHA256") == (
        "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
    )


def test_hmac_vector_with_sign_type_field() -> None:
    signed = sign_params(PARAMS, KEY, "HMAC-SHA256")
    assert signed["sign_type"] == "HMAC-SHA256"
    assert signed["sign"] == "2C9DF1156522C0B2B03B4DBF3BCA5CACB602CBD5CA0F9E112458CF3E9855303B"
    assert verify_sign(signed, KEY, "HMAC-SHA256")
    assert not verify_sign(signed, KEY, "MD5")  # algorithm mismatch is a failure


def test_official_xml_sample_parses_and_verifies() -> None:
    xml = (
        b"<xml><appid>wxd930ea5d5a258f4f</appid><mch_id>10000100</mch_id>"
        b"<device_info>1000</device_info><body>test</body><nonce_str>ibuaiVcKdpRxkhJA</nonce_str>"
        b"<sign>9A0A8659F005D6984697E2CA0A9CF3B7</sign></xml>"
    )
    data = parse_xml(xml)
    assert data["body"] == "test"
    assert verify_sign(data, KEY, "MD5")
    data["body"] = "tesT"
    assert not verify_sign(data, KEY, "MD5")
    assert not verify_sign({k: v for k, v in data.items() if k != "sign"}, KEY, "MD5")


def test_cdata_and_predefined_entities() -> None:
    data = parse_xml(
        "<xml><return_code><![CDATA[SUCCESS]]></return_code>"
        "<body><![CDATA[可乐 & <薯片>]]></body><x>a&lt;b</x></xml>".encode()
    )
    assert data == {"return_code": "SUCCESS", "body": "可乐 & <薯片>", "x": "a<b"}


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b"<xml><a>&lol2;</a></xml>",
        b'<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><a>&xxe;</a></xml>',
        b'<!doctype xml SYSTEM "http://127.0.0.1:1/x.dtd"><xml/>',
        b"<xml><a>&undefined;</a></xml>",
        b"<xml><a>1</a><a>2</a></xml>",
        b"<notxml><a>1</a></notxml>",
        b"<xml><a>1</a>",
        b"",
        b"not xml at all",
    ],
)
def test_rejects_unsafe_or_malformed(xml: bytes) -> None:
    with pytest.raises(XmlError):
        parse_xml(xml)


def test_nested_elements_are_skipped() -> None:
    assert parse_xml(b"<xml><a>1</a><n><b>2</b></n></xml>") == {"a": "1", "n": ""}


@given(
    st.dictionaries(
        st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True),
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"),
            max_size=30,
        ),
        max_size=8,
    )
)
def test_prop_xml_round_trip(params: dict[str, str]) -> None:
    assert parse_xml(to_xml(params)) == params


@given(st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.text(max_size=10), max_size=6))
def test_prop_sign_verifies_both_algorithms(params: dict[str, str]) -> None:
    for alg in ("MD5", "HMAC-SHA256"):
        signed = sign_params(params, KEY, alg)  # type: ignore[arg-type]
        assert verify_sign(signed, KEY, alg)  # type: ignore[arg-type]
        assert not verify_sign(signed, KEY[::-1], alg)  # type: ignore[arg-type]
