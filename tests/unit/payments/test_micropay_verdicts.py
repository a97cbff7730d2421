"""Review finding: a signed APIv2 micropay answer without a result verdict is not a refusal."""

from __future__ import annotations

import pytest

from pos_app.domain.money import Fen
from pos_app.wechatpay.errors import ApiError, MalformedResponseError
from tests.unit.v2.test_client_mock import CODE, make, signed_response


@pytest.mark.parametrize("fields", [
    {},                                            # result_code missing altogether
    {"result_code": "PROCESSING"},                 # a verdict we do not know
    {"result_code": "FAIL"},                       # FAIL without saying why (no err_code)
])
def test_micropay_without_verdict_is_outcome_unknown(fields: dict[str, str]) -> None:
    client, _ = make(lambda req: signed_response(fields))
    with pytest.raises(MalformedResponseError) as info:
        client.micropay(out_trade_no="T1", description="d", total=Fen(100), auth_code=CODE)
    assert info.value.outcome_unknown  # → query / reverse, never "failed, charge again"


def test_micropay_business_refusal_still_known() -> None:
    client, _ = make(lambda req: signed_response(
        {"result_code": "FAIL", "err_code": "NOTENOUGH", "err_code_des": "余额不足"}))
    with pytest.raises(ApiError) as info:
        client.micropay(out_trade_no="T1", description="d", total=Fen(100), auth_code=CODE)
    assert info.value.code == "NOTENOUGH" and not info.value.outcome_unknown
