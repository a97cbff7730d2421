import logging

import pytest

from pos_app.logs import RedactingFilter, redact


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        ("charging code 134650328919428540 now", "134650328919428540"),
        ("alipay 28763443825664394 refused", "28763443825664394"),
        ('{"apiv3_key": "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"}', "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"),
        ("<key>192006250b4c09247ec02edce69f6a2d</key>", "192006250b4c09247ec02edce69f6a2d"),
        ("pin=4711", "4711"),
        ('Authorization: WECHATPAY2-SHA256-RSA2048 mchid="1",signature="abc"', 'signature="abc"'),
        ("-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----", "MIIEv"),
    ],
)
def test_secrets_are_masked(raw: str, secret: str) -> None:
    out = redact(raw)
    assert secret not in out
    assert redact(out) == out


def test_wechat_code_keeps_prefix_and_suffix() -> None:
    assert redact("134650328919428540") == "1346****8540"


def test_ordinary_text_untouched() -> None:
    text = "order P20261123044100A001 paid 12.34 EAN 6901939621257"
    assert redact(text) == text


def test_filter_rewrites_args(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("t.redact")
    log.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger="t.redact"):
        log.info("scan %s", "134650328919428540")
    assert "134650328919428540" not in caplog.text
    assert "1346****8540" in caplog.text
