"""docs/alipay-api.md §6 vectors: request signing, response and notification verification, cert SNs."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from pos_app.alipay.certs import cert_sn, root_cert_sn
from pos_app.alipay.errors import SignatureError
from pos_app.alipay.notify import decode_form, parse_notification, verify_notification_fields
from pos_app.alipay.signing import (
    load_private_key_text,
    notification_sign_content,
    rsa2_sign,
    rsa2_verify,
    sign_content,
)
from pos_app.alipay.verifier import PublicKeyMode, extract_signed, verify_response
from tests.unit.alipay import vectors as V

KEY = load_private_key_text(V.TEST_KEY_PEM.decode())
KEYS = PublicKeyMode(KEY.public_key())


def test_v1_string_to_sign_drops_empty_and_keeps_sign_type() -> None:
    assert sign_content(V.V1_PARAMS) == V.V1_STRING
    assert "sign_type=RSA2" in V.V1_STRING and "app_auth_token" not in V.V1_STRING


def test_v1_signature_is_deterministic_rsa2() -> None:
    assert rsa2_sign(V.V1_STRING, KEY) == V.V1_SIGN
    assert rsa2_verify(V.V1_STRING, V.V1_SIGN, KEY.public_key())
    assert not rsa2_verify(V.V1_STRING.replace("0.01", "0.02"), V.V1_SIGN, KEY.public_key())


def test_pkcs1_and_bare_base64_keys_load_to_the_same_key() -> None:
    from pos_app.alipay.signing import private_key_pem

    pkcs1 = private_key_pem(KEY, pkcs1=True).decode()
    bare = "".join(line for line in V.TEST_KEY_PEM.decode().splitlines() if not line.startswith("-----"))
    for text in (pkcs1, bare):
        assert rsa2_sign(V.V1_STRING, load_private_key_text(text)) == V.V1_SIGN


def test_r1_verifies_on_exact_text_with_escaped_slashes() -> None:
    name, signed = extract_signed(V.R1, "alipay.trade.precreate")
    assert name == "alipay_trade_precreate_response"
    assert "https:\\/\\/qr.alipay.com" in signed
    resp = verify_response(V.R1.encode(), "alipay.trade.precreate", KEYS)
    assert resp.fields["qr_code"] == "https://qr.alipay.com/bax00000000000000000000"


def test_r1_reserialised_does_not_verify() -> None:
    """Why the exact text matters: json.dumps loses the \\/ escapes."""
    node = json.loads(V.R1)["alipay_trade_precreate_response"]
    sign = json.loads(V.R1)["sign"]
    assert not rsa2_verify(json.dumps(node, separators=(",", ":")), sign, KEY.public_key())


def test_r2_cert_mode_shape_verifies() -> None:
    from pos_app.alipay.verifier import CertMode

    keys = CertMode("e3f1b7c2a9d04b6e8f1a2b3c4d5e6f70", {"e3f1b7c2a9d04b6e8f1a2b3c4d5e6f70": KEY.public_key()})
    resp = verify_response(V.R2.encode(), "alipay.trade.query", keys)
    assert resp.fields["trade_status"] == "TRADE_SUCCESS"
    other = CertMode("0" * 32, {"0" * 32: KEY.public_key()})
    with pytest.raises(SignatureError, match="unknown Alipay certificate"):
        verify_response(V.R2.encode(), "alipay.trade.query", other)


def test_unbalanced_brace_inside_a_string_value() -> None:
    """R3: a failure body whose sub_msg holds an unbalanced ``}`` (naive brace counting breaks)."""
    node = '{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"x}y \\"}"}'
    body = '{"alipay_trade_query_response":' + node + ',"sign":"' + rsa2_sign(node, KEY) + '"}'
    assert extract_signed(body, "alipay.trade.query")[1] == node
    assert verify_response(body.encode(), "alipay.trade.query", KEYS).fields["sub_msg"] == 'x}y "}'


def test_v3_notification() -> None:
    fields = {**V.V3_FIELDS, "sign": V.V3_SIGN}
    body = urlencode(fields).encode()
    decoded = decode_form(body)
    verify_notification_fields(decoded, KEYS)
    note = parse_notification(body, KEYS, app_id="2021000000000001", seller_id="2088101106499364")
    assert note.trade.total_fen == 1000 and note.trade.paid
    assert "sign_type" not in notification_sign_content(decoded)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda f: {**f, "total_amount": "10.0"},     # float-converted amount
        lambda f: {**f, "subject": "测试商品 "},
    ],
)
def test_v3_tampered_notification_refused(mutate) -> None:  # type: ignore[no-untyped-def]
    fields = mutate({**V.V3_FIELDS, "sign": V.V3_SIGN})
    with pytest.raises(SignatureError):
        verify_notification_fields(decode_form(urlencode(fields).encode()), KEYS)


def test_v3_keeping_sign_type_would_fail() -> None:
    content = sign_content({**V.V3_FIELDS})  # sign_type kept
    assert not rsa2_verify(content, V.V3_SIGN, KEY.public_key())


def _cert(issuer: list[x509.NameAttribute], serial: int, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> x509.Certificate:
    name = x509.Name(issuer)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(serial).not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )


TEST_ROOT = [
    x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Org"),
    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Test Certification Authority"),
    x509.NameAttribute(NameOID.COMMON_NAME, "Test Root CA Class 2 R1"),
]
NO_OU = [
    x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "No OU Org"),
    x509.NameAttribute(NameOID.COMMON_NAME, "No OU CA"),
]


def test_v4_cert_sn_self_made() -> None:
    assert cert_sn(_cert(TEST_ROOT, 123456789012345678901234567890, KEY)) == "e09edaa5e2010c31ac09a85c28c940c6"
    assert cert_sn(_cert(NO_OU, 4242, KEY)) == "8552c4d3e662433a0b70924dcf08470c"


def _pem(c: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return c.public_bytes(serialization.Encoding.PEM)


def _fake_sm2_block() -> bytes:
    """A DER shell whose signatureAlgorithm is SM2-with-SM3 (no parser can load it)."""
    import base64

    oid = bytes.fromhex("06082a811ccf55018375")  # 1.2.156.10197.1.501
    tbs = bytes.fromhex("3003020101")
    alg = b"\x30" + bytes([len(oid)]) + oid
    sig = bytes.fromhex("030200ff")
    inner = tbs + alg + sig
    der = b"\x30" + bytes([len(inner)]) + inner
    b64 = base64.b64encode(der)
    return b"-----BEGIN CERTIFICATE-----\n" + b64 + b"\n-----END CERTIFICATE-----\n"


def test_v4_root_sn_keeps_rsa_certs_in_file_order_and_skips_sm2_and_ecdsa() -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rsa_root = _cert(TEST_ROOT, 123456789012345678901234567890, KEY)
    no_ou = _cert(NO_OU, 4242, KEY)
    bundle = _fake_sm2_block() + b"\n" + _pem(rsa_root) + _pem(_cert(NO_OU, 7, ec_key)) + _pem(no_ou)
    expected = "e09edaa5e2010c31ac09a85c28c940c6_8552c4d3e662433a0b70924dcf08470c"
    assert root_cert_sn(bundle) == expected
    assert root_cert_sn(bundle.replace(b"\n", b"\r\n")) == expected  # CRLF copy
