"""ResponseValidator + verifiers: every way a WeChat Pay signature must be refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.wechatpay.certificates import CertificateStore, PlatformCertificate
from pos_app.wechatpay.crypto import response_message, rsa_sign
from pos_app.wechatpay.errors import SignatureError, WechatPayError
from pos_app.wechatpay.verifier import (
    CertificateVerifier,
    CombinedVerifier,
    PublicKeyVerifier,
    ResponseValidator,
)
from tests.unit.wechatpay.conftest import NOW, PUB_KEY_ID, Keys
from tests.unit.wechatpay.fake_server import SigningKey, make_certificate

BODY = b'{"trade_state":"SUCCESS"}'


def signed_headers(key: SigningKey, body: bytes = BODY, *, ts: int = int(NOW)) -> dict[str, str]:
    nonce = "d824f2e086d3c1df967785d13fcd22ef"
    return {
        "Wechatpay-Serial": key.serial,
        "Wechatpay-Timestamp": str(ts),
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": rsa_sign(key.key, response_message(ts, nonce, body)),
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }


@pytest.fixture
def pub(keys: Keys) -> SigningKey:
    return SigningKey(PUB_KEY_ID, keys.wechat_public)


@pytest.fixture
def validator(keys: Keys) -> ResponseValidator:
    return ResponseValidator(
        PublicKeyVerifier(PUB_KEY_ID, keys.wechat_public.public_key()), clock=lambda: NOW
    )


def test_valid_signature_accepted(validator: ResponseValidator, pub: SigningKey) -> None:
    validator.validate(signed_headers(pub), BODY)


def test_empty_body_204_signature(validator: ResponseValidator, pub: SigningKey) -> None:
    validator.validate(signed_headers(pub, b""), b"")
    with pytest.raises(SignatureError):
        validator.validate(signed_headers(pub, b""), b" ")


def test_header_lookup_is_case_insensitive_and_wsgi(
    validator: ResponseValidator, pub: SigningKey
) -> None:
    headers = signed_headers(pub)
    validator.validate({k.lower(): v for k, v in headers.items()}, BODY)
    validator.validate({"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}, BODY)


def test_tampered_body_rejected(validator: ResponseValidator, pub: SigningKey) -> None:
    with pytest.raises(SignatureError, match="does not verify"):
        validator.validate(signed_headers(pub), BODY.replace(b"SUCCESS", b"CLOSED"))


def test_wrong_key_id_rejected(validator: ResponseValidator, pub: SigningKey) -> None:
    headers = signed_headers(pub) | {
        "Wechatpay-Serial": "PUB_KEY_ID_0000000000000000000000000000000001"
    }
    with pytest.raises(SignatureError, match="not the configured public key id"):
        validator.validate(headers, BODY)


def test_signature_by_other_key_rejected(validator: ResponseValidator, keys: Keys) -> None:
    with pytest.raises(SignatureError):
        validator.validate(signed_headers(SigningKey(PUB_KEY_ID, keys.stranger)), BODY)


@pytest.mark.parametrize("offset", [301, -301, 100_000])
def test_stale_or_future_timestamp_rejected(
    validator: ResponseValidator, pub: SigningKey, offset: int
) -> None:
    with pytest.raises(SignatureError, match="off our clock"):
        validator.validate(signed_headers(pub, ts=int(NOW) - offset), BODY)


@pytest.mark.parametrize("offset", [300, -300, 0])
def test_timestamp_inside_window_accepted(
    validator: ResponseValidator, pub: SigningKey, offset: int
) -> None:
    validator.validate(signed_headers(pub, ts=int(NOW) - offset), BODY)


def test_signtest_probe_rejected(validator: ResponseValidator, pub: SigningKey) -> None:
    headers = signed_headers(pub) | {"Wechatpay-Signature": "WECHATPAY/SIGNTEST/" + "A" * 300}
    with pytest.raises(SignatureError, match="SIGNTEST"):
        validator.validate(headers, BODY)


@pytest.mark.parametrize(
    "name", ["Wechatpay-Serial", "Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce"]
)
def test_missing_header_rejected(validator: ResponseValidator, pub: SigningKey, name: str) -> None:
    headers = signed_headers(pub)
    del headers[name]
    with pytest.raises(SignatureError, match=f"missing header.*{name}"):
        validator.validate(headers, BODY)


def test_no_headers_at_all_rejected(validator: ResponseValidator) -> None:
    with pytest.raises(SignatureError, match="unsigned response"):
        validator.validate({}, BODY)


def test_bad_base64_rejected(validator: ResponseValidator, pub: SigningKey) -> None:
    with pytest.raises(SignatureError, match="base64"):
        validator.validate(signed_headers(pub) | {"Wechatpay-Signature": "not*base64!"}, BODY)


def test_non_numeric_timestamp_rejected(validator: ResponseValidator, pub: SigningKey) -> None:
    with pytest.raises(SignatureError, match="unix seconds"):
        validator.validate(signed_headers(pub) | {"Wechatpay-Timestamp": "1700000000000.5"}, BODY)


def test_wrong_signature_type_rejected(validator: ResponseValidator, pub: SigningKey) -> None:
    with pytest.raises(SignatureError, match="Signature-Type"):
        validator.validate(
            signed_headers(pub) | {"Wechatpay-Signature-Type": "WECHATPAY2-SM2-WITH-SM3"}, BODY
        )


def test_signature_type_header_is_optional(validator: ResponseValidator, pub: SigningKey) -> None:
    headers = signed_headers(pub)
    del headers["Wechatpay-Signature-Type"]
    validator.validate(headers, BODY)


def test_signature_error_is_outcome_unknown() -> None:
    assert SignatureError("x").outcome_unknown is True


# -- certificate verifier -----------------------------------------------------------------


def test_certificate_verifier_refreshes_once_then_rejects(
    cert_a: SigningKey, cert_b: SigningKey
) -> None:
    assert cert_a.cert_pem and cert_b.cert_pem
    store = CertificateStore([PlatformCertificate.from_pem(cert_a.cert_pem)])
    calls: list[int] = []

    def refresher() -> None:
        calls.append(1)
        store.add([PlatformCertificate.from_pem(cert_b.cert_pem or b"")])

    validator = ResponseValidator(
        CertificateVerifier(store, clock=lambda: NOW, refresher=refresher), clock=lambda: NOW
    )
    validator.validate(signed_headers(cert_a), BODY)
    assert calls == []
    validator.validate(signed_headers(cert_b), BODY)  # unknown → refresh → known
    assert calls == [1]
    validator.validate(signed_headers(cert_b), BODY)
    assert calls == [1]
    with pytest.raises(SignatureError, match="unknown platform certificate serial 'ABCDEF'"):
        validator.validate(signed_headers(SigningKey("ABCDEF", cert_b.key)), BODY)
    assert calls == [1, 1]


def test_certificate_verifier_without_refresher_rejects_unknown(cert_a: SigningKey) -> None:
    validator = ResponseValidator(
        CertificateVerifier(CertificateStore(), clock=lambda: NOW), clock=lambda: NOW
    )
    with pytest.raises(SignatureError, match="unknown platform certificate"):
        validator.validate(signed_headers(cert_a), BODY)


def test_refresh_failure_becomes_signature_error(cert_a: SigningKey) -> None:
    def refresher() -> None:
        raise WechatPayError("network down")

    verifier = CertificateVerifier(CertificateStore(), clock=lambda: NOW, refresher=refresher)
    with pytest.raises(SignatureError, match="refreshing /v3/certificates failed: network down"):
        ResponseValidator(verifier, clock=lambda: NOW).validate(signed_headers(cert_a), BODY)


def test_expired_certificate_rejected(keys: Keys) -> None:
    from datetime import UTC, datetime

    pem = make_certificate(keys.platform_a, 0x1234, not_after=datetime(2023, 1, 1, tzinfo=UTC))
    verifier = CertificateVerifier(
        CertificateStore([PlatformCertificate.from_pem(pem)]), clock=lambda: NOW
    )
    with pytest.raises(SignatureError, match="expired"):
        ResponseValidator(verifier, clock=lambda: NOW).validate(
            signed_headers(SigningKey("1234", keys.platform_a)), BODY
        )


def test_combined_picks_by_serial(keys: Keys, pub: SigningKey, cert_a: SigningKey) -> None:
    assert cert_a.cert_pem
    certs = CertificateVerifier(
        CertificateStore([PlatformCertificate.from_pem(cert_a.cert_pem)]), clock=lambda: NOW
    )
    combined = CombinedVerifier(
        PublicKeyVerifier(PUB_KEY_ID, keys.wechat_public.public_key()), certs
    )
    validator = ResponseValidator(combined, clock=lambda: NOW)
    assert combined.accept_serial == PUB_KEY_ID
    validator.validate(signed_headers(pub), BODY)
    validator.validate(signed_headers(cert_a), BODY)
    # the public key's signature presented under the certificate's serial must fail
    with pytest.raises(SignatureError):
        validator.validate(signed_headers(SigningKey(cert_a.serial, keys.wechat_public)), BODY)


def test_store_cache_dir_roundtrip(tmp_path: Path, cert_a: SigningKey, cert_b: SigningKey) -> None:
    assert cert_a.cert_pem and cert_b.cert_pem
    store = CertificateStore(cache_dir=tmp_path / "certs")
    store.add(
        [
            PlatformCertificate.from_pem(cert_a.cert_pem),
            PlatformCertificate.from_pem(cert_b.cert_pem),
        ]
    )
    (tmp_path / "certs" / "wechatpay_0BAD.pem").write_text("garbage")
    loaded = CertificateStore.from_cache_dir(tmp_path / "certs")
    assert sorted(c.serial_no for c in loaded.snapshot()) == sorted([cert_a.serial, cert_b.serial])
    assert loaded.get(cert_a.serial.lower()) is not None


def test_store_finds_a_leading_zero_serial_with_or_without_the_zero(keys: Keys) -> None:
    from pos_app.wechatpay.certificates import PlatformCertificate
    from pos_app.wechatpay.crypto import cert_serial_hex, same_serial
    from tests.unit.wechatpay.fake_server import make_certificate

    serial = 0x0AA0 << 144 | 0x1234  # 20 bytes, first byte 0x0A
    cert = PlatformCertificate.from_pem(make_certificate(keys.platform_a, serial))
    assert cert.serial_no == "0AA0" + "0" * 32 + "1234" and cert_serial_hex(cert.certificate) == cert.serial_no
    store = CertificateStore([cert])
    assert store.get(cert.serial_no) is cert
    assert store.get(cert.serial_no[1:]) is cert  # the form format(n, "X") produces
    assert store.get("not hex") is None
    assert same_serial("0AA0", "aa0") and not same_serial("0AA0", "AA00")
