"""Published / derived protocol test vectors (wechatpay-api.md §1, §3, §11)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from pos_app.wechatpay.crypto import (
    aes_gcm_decrypt,
    aes_gcm_encrypt,
    parse_authorization,
    request_message,
    response_message,
    v2_sign,
)
from pos_app.wechatpay.signer import RsaSha256Signer
from pos_app.wechatpay.verifier import PublicKeyVerifier, ResponseValidator

# Test key published in wechatpay-go core/auth/signers/sha256withrsa_signer_test.go
# (labelled "TESTING KEY" there; relabelled PRIVATE KEY here, as the Go test does).
GO_TEST_KEY = b"""-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDZUJN33V+dSfvd
fL0Mu+39XrZNXFFMQSy1V15FpncHeV47SmV0TzTqZc7hHB0ddqAdDi8Z5k3TKqb7
6sOwYr5TcAfuR6PIPaleyE0/0KrljBum2Isa2Nyq7Dgc3ElBQ6YN4l/a+DpvKaz1
FSKmKrhLNskqokWVSlu4g8OlKlbPXQ9ibII14MZRQrrkTmHYHzfi7GXXM0thAKuR
0HNvyhTHBh4/lrYM3GaMvmWwkwvsMavnOex6+eioZHBOb1/EIZ/LzC6zuHArPpyW
3daGaZ1rtQB1vVzTyERAVVFsXXgBHvfFud3w3ShsJYk8JvMwK2RpJ5/gV0QSARcm
LDRUAlPzAgMBAAECggEBAMc7rDeUaXiWv6bMGbZ3BTXpg1FhdddnWUnYE8HfX/km
OFI7XtBHXcgYFpcjYz4D5787pcsk7ezPidAj58zqenuclmjKnUmT3pfbI5eCA2v4
C9HnbYDrmUPK1ZcADtka4D6ScDccpNYNa1g2TFHzkIrEa6H+q7S3O2fqxY/DRVtN
0JIXalBb8daaqL5QVzSmM2BMVnHy+YITJWIkP2a3pKs9C0W65JGDsnG0wVrHinHF
+cnhFZIbaPEI//DAFMc9NkrWOKVRTEgcCUxCFaHOZVNxDWZD7A2ZfJB2rK6eg//y
gEiFDR2h6mTaDowMB4YF2n2dsIO4/dCG8vPHI20jn4ECgYEA/ZGu6lEMlO0XZnam
AZGtiNgLcCfM/C2ZERZE7QTRPZH1WdK92Al9ndldsswFw4baJrJLCmghjF/iG4zi
hhBvLnOLksnZUfjdumxoHDWXo2QBWbI5QsWIE7AuTiWgWj1I7X4fCXSQf6i+M/y2
6TogQ7d0ANpZFyOkTNMn/tiJvLECgYEA22XqlamG/yfAGWery5KNH2DGlTIyd6xJ
WtJ9j3jU99lZ0bCQ5xhiBbU9ImxCi3zgTsoqLWgA/p00HhNFNoUcTl9ofc0G3zwT
D1y0ZzcnVKxGJdZ6ohW52V0hJStAigtjYAsUgjm7//FH7PiQDBDP1Wa6xSRkDQU/
aSbQxvEE8+MCgYEA3bb8krW7opyM0XL9RHH0oqsFlVO30Oit5lrqebS0oHl3Zsr2
ZGgoBlWBsEzk3UqUhTFwm/DhJLTSJ/TQPRkxnhQ5/mewNhS9C7yua7wQkzVmWN+V
YeUGTvDGDF6qDz12/vJAgSwDDRym8x4NcXD5tTw7mmNRcwIfL22SkysThIECgYAV
BgccoEoXWS/HP2/u6fQr9ZIR6eV8Ij5FPbZacTG3LlS1Cz5XZra95UgebFFUHHtC
EY1JHJY7z8SWvTH8r3Su7eWNaIAoFBGffzqqSVazfm6aYZsOvRY6BfqPHT3p/H1h
Tq6AbBffxrcltgvXnCTORjHPglU0CjSxVs7awW3AEQKBgB5WtaC8VLROM7rkfVIq
+RXqE5vtJfa3e3N7W3RqxKp4zHFAPfr82FK5CX2bppEaxY7SEZVvVInKDc5gKdG/
jWNRBmvvftZhY59PILHO2X5vO4FXh7suEjy6VIh0gsnK36mmRboYIBGsNuDHjXLe
BDa+8mDLkWu5nHEhOxy2JJZl
-----END PRIVATE KEY-----
"""
GO_SIGNATURE = (
    "BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6"
    "pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZ"
    "UguLli/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJb"
    "knXG23bSlObuTCN7Ndj1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg=="
)
CERTS_GET_SIGNATURE = (
    "RjVFHMcrr9NsM4SiNmpFx6QPR99WztxatBshmr/6f7pXnt2YSPAhmNrEEAjWgpOcf5Zxbwl2qdPACOsEOeGrnLD81nVK"
    "3ucJq50iD0FAyF11knd1C9ic7zV9Jg3zao0+Wx3yAI6jXx6NLBEfNNspCazrQ+IHsUi04tubSBsT+4LHT9j0rL9axFBl"
    "7jVYe7uZ1ZQzap8EokLHDQbYw6qPEOs85+a2rnudh3TCPe81oUfe0zPqwEE6sWxxeSCYx+1mbURsOAN4Z8/uKgOIZxbD"
    "AkqYWFb7VOaHFeejC1rsxUc7wkw0zQWxae1giswROXii1DorwdJ3CGlPchx0PyDjkQ=="
)
RESPONSE_SIGNATURE = (
    "wnHEvA+mNPqvDivj6UhnxoB9VT54BS1fXzL8yCOYiPeGWPDx30K6IBi1s7ObJQRFXFncHgaRlifXquCdeNl3McnWGgJs"
    "CCKmeGLza4sCMsR5szq2G73iH3RyK/vTocYJOhBOJeM8/2Ol2awsdugtcwdOl8f+/n4QL4HI98UYJzxAcLKsrqIfxVDM"
    "RdZvyR2r8zUtRUH5m8ap2xNCKXaEhfTpXxusAOswz26kMUs2DXaB3LfotblJstlna3hWJFF4agltFnFrjHUbdU6hsH0D"
    "+OE2+Z4LGeUUKsUDj+zk/Lq+nYTaahJjWPmjIRfbRFLi/dOqmV2YpGlLIVCX64DqvQ=="
)
TS, NONCE = 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242"
CODE_URL_BODY = b'{"code_url":"weixin://wxpay/bizpayurl?pr=JyC91EIz1"}'


@pytest.fixture(scope="module")
def go_key() -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(GO_TEST_KEY, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def test_go_signer_vector(go_key: rsa.RSAPrivateKey) -> None:
    signer = RsaSha256Signer("1234567890", "F5765756002FDD77", go_key)
    result = signer.sign(b"source")
    assert (result.mchid, result.serial_no, result.signature) == (
        "1234567890",
        "F5765756002FDD77",
        GO_SIGNATURE,
    )


def test_get_certificates_authorization_vector(go_key: rsa.RSAPrivateKey) -> None:
    signer = RsaSha256Signer("1234567890", "F5765756002FDD77", go_key)
    assert request_message("GET", "/v3/certificates", TS, NONCE, b"") == (
        b"GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
    )
    header = signer.authorization("GET", "/v3/certificates", b"", timestamp=TS, nonce=NONCE)
    assert header == (
        'WECHATPAY2-SHA256-RSA2048 mchid="1234567890",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",'
        f'timestamp="1554208460",serial_no="F5765756002FDD77",signature="{CERTS_GET_SIGNATURE}"'
    )


def test_signer_uses_injected_clock_and_nonce(go_key: rsa.RSAPrivateKey) -> None:
    signer = RsaSha256Signer(
        "1234567890",
        "F5765756002FDD77",
        go_key,
        clock=lambda: TS + 0.9,
        nonce_factory=lambda: NONCE,
    )
    fields = parse_authorization(signer.authorization("GET", "/v3/certificates", b""))
    assert fields["timestamp"] == str(TS)
    assert fields["nonce_str"] == NONCE
    assert fields["signature"] == CERTS_GET_SIGNATURE


def test_response_verification_vector(go_key: rsa.RSAPrivateKey) -> None:
    assert response_message(TS, NONCE, CODE_URL_BODY) == (
        b"1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n"
        b'{"code_url":"weixin://wxpay/bizpayurl?pr=JyC91EIz1"}\n'
    )
    key_id = "PUB_KEY_ID_0000000000000024101100397200000006"
    validator = ResponseValidator(
        PublicKeyVerifier(key_id, go_key.public_key()), clock=lambda: TS + 10
    )
    headers = {
        "Wechatpay-Serial": key_id,
        "Wechatpay-Timestamp": str(TS),
        "Wechatpay-Nonce": NONCE,
        "Wechatpay-Signature": RESPONSE_SIGNATURE,
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }
    validator.validate(headers, CODE_URL_BODY)  # does not raise


def test_java_aes_gcm_vector() -> None:
    key, nonce, aad = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb", "uluk4a9R25RW", "associatedData"
    assert aes_gcm_decrypt(key, nonce, aad, "ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=") == b"message"
    assert aes_gcm_encrypt(key, nonce, aad, "message") == "ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI="


V2_PARAMS = {
    "appid": "wxd930ea5d5a258f4f",
    "mch_id": "10000100",
    "device_info": "1000",
    "body": "test",
    "nonce_str": "ibuaiVcKdpRxkhJA",
}
V2_KEY = "192006250b4c09247ec02edce69f6a2d"


def test_v2_md5_vector() -> None:
    assert v2_sign(V2_PARAMS, V2_KEY, "MD5") == "9A0A8659F005D6984697E2CA0A9CF3B7"


def test_v2_hmac_sha256_vector() -> None:
    assert v2_sign(V2_PARAMS, V2_KEY, "HMAC-SHA256") == (
        "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
    )
    with_type = {**V2_PARAMS, "sign_type": "HMAC-SHA256", "sign": "ignored", "empty": ""}
    assert v2_sign(with_type, V2_KEY, "HMAC-SHA256") == (
        "2C9DF1156522C0B2B03B4DBF3BCA5CACB602CBD5CA0F9E112458CF3E9855303B"
    )


@pytest.mark.parametrize(
    "order",
    [
        ("mchid", "nonce_str", "timestamp", "serial_no", "signature"),
        ("mchid", "nonce_str", "signature", "timestamp", "serial_no"),  # wechatpayv3's order
        ("signature", "serial_no", "timestamp", "nonce_str", "mchid"),
    ],
)
def test_authorization_parses_in_any_field_order(order: tuple[str, ...]) -> None:
    values = {
        "mchid": "1900009191",
        "nonce_str": NONCE,
        "timestamp": str(TS),
        "serial_no": "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
        "signature": "uOVRnA4q==",
    }
    header = "WECHATPAY2-SHA256-RSA2048 " + ",".join(f'{k}="{values[k]}"' for k in order)
    assert parse_authorization(header) == values


@pytest.mark.parametrize(
    "header",
    [
        'WECHATPAY2-SHA256-RSA1024 mchid="1",nonce_str="n",timestamp="1",serial_no="s",'
        'signature="x"',
        'WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="s"',
        "WECHATPAY2-SHA256-RSA2048 mchid=1,nonce_str=n",
        "",
    ],
)
def test_authorization_parse_rejects_malformed(header: str) -> None:
    with pytest.raises(ValueError):
        parse_authorization(header)
