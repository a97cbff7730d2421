"""What the till stores and logs about an error (``last_error``, notes) is short and never
holds a payment code — pinned by the full mutation run (issue 17)."""

from __future__ import annotations

from pos_app.payments.channels.wechat import describe, refusal_of
from pos_app.payments.workflow import describe_error
from pos_app.wechatpay.errors import ApiError

CODE = "134567890123456789"


def test_an_error_description_is_cut_to_300_characters_and_masks_codes() -> None:
    long = describe_error(RuntimeError(f"code {CODE} " + "x" * 1000))
    assert len(long) == 300
    assert long.startswith("RuntimeError: code ") and CODE not in long
    assert CODE[:4] in long and CODE[-4:] in long
    short = describe_error(ValueError("bad"))
    assert short == "ValueError: bad"


def test_a_channel_error_description_is_cut_to_300_characters_and_masks_codes() -> None:
    text = describe(ApiError(400, "AUTH_CODE_INVALID", f"{CODE} " + "y" * 1000))
    assert len(text) == 300 and CODE not in text
    assert text.startswith("400 AUTH_CODE_INVALID: ")
    assert describe(RuntimeError("z" * 1000)) == ("RuntimeError: " + "z" * 1000)[:300]


def test_a_refusal_detail_is_cut_to_300_characters_and_masks_codes() -> None:
    refused = refusal_of(ApiError(400, "SOMETHING_NEW", f"{CODE} " + "w" * 1000))
    assert len(refused.detail) == 300 and CODE not in refused.detail
