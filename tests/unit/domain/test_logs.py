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


def test_setup_logging_writes_redacted_file_and_is_idempotent(tmp_path) -> None:
    from pos_app.logs import setup_logging

    root = logging.getLogger()
    before = list(root.handlers)
    try:
        setup_logging(tmp_path)
        setup_logging(tmp_path)
        ours = [h for h in root.handlers if getattr(h, "_pos_app", False)]
        assert len(ours) == 2  # one stream + one file, not doubled
        logging.getLogger("t.file").warning("auth_code=134650328919428540 charged")
        for h in ours:
            h.flush()
        text = (tmp_path / "pos_app.log").read_text(encoding="utf-8")
        assert "134650328919428540" not in text and "charged" in text
    finally:
        for h in [h for h in root.handlers if h not in before]:
            root.removeHandler(h)
            h.close()
