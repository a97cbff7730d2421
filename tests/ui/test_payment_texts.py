"""What the cashier reads about a payment, through the real renderer and Qt translation:
the Chinese is the text the till showed before messages were keys; English has none."""

from __future__ import annotations

import re

import pytest

from pos_app.domain.text import msg
from pos_app.payments.gateway import RefusalReason
from pos_app.payments.messages import PaymentText as P
from pos_app.payments.messages import cash_paid, from_stored, refused, stored, uncertain_amount
from pos_app.ui.text import render

_CJK = re.compile(r"[\u4e00-\u9fff]")

ZH_TODAY = [
    (msg(P.PAID), "支付成功"),
    (msg(P.WAITING_SCAN), "请顾客扫码付款"),
    (msg(P.CHECKING), "网络异常，正在查询支付结果，请勿重复收款…"),
    (msg(P.UNCERTAIN_OFFLINE), "无法连接支付平台，支付结果未知：请勿重复收款，联网后重试确认"),
    (refused(RefusalReason.INSUFFICIENT_BALANCE, ""),
     "顾客余额不足，请顾客更换银行卡或其他付款方式（未扣款）"),
    (refused(RefusalReason.PARAMS, ""), "请求参数错误，未扣款"),
    (refused(RefusalReason.OTHER, "银行维护中"), "支付失败：银行维护中（未扣款）"),
    (uncertain_amount(1, 300),
     "支付平台实付金额 ¥0.01 与应收 ¥3.00 不符：请勿重复收款，请联系店长核对"),
    (cash_paid(860), "现金收款完成，找零 ¥8.60"),
]


@pytest.fixture
def lang(qapp, request):  # type: ignore[no-untyped-def]
    from pos_app.ui.i18n import install_translator

    translator = install_translator(qapp, request.param)
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)
    install_translator(qapp, "en")


@pytest.mark.parametrize("lang", ["zh_CN"], indirect=True)
def test_chinese_is_what_the_till_showed(lang: str) -> None:
    for message, text in ZH_TODAY:
        assert render(message) == text


@pytest.mark.parametrize("lang", ["en"], indirect=True)
def test_english_has_no_chinese_and_says_nothing_was_charged(lang: str) -> None:
    for message, _ in ZH_TODAY:
        assert not _CJK.search(render(message).replace("银行维护中", "")), render(message)
    for reason in RefusalReason:
        assert "nothing charged" in render(refused(reason, "x"))
    assert render(cash_paid(860)) == "Cash received, change ¥8.60"


def test_stored_messages_round_trip_and_old_rows_stay_readable() -> None:
    m = uncertain_amount(1, 300)
    assert from_stored(stored(m)) == m
    assert from_stored("") is None
    old = from_stored("已取消，未扣款")          # a row written before keys
    assert old is not None and old.key is P.LEGACY_TEXT and "已取消" in render(old)
