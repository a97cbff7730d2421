"""English rendering of the payment core's Chinese cashier texts."""

from __future__ import annotations

from pos_app.payments import messages as m
from pos_app.ui.core_messages import to_english


def test_known_and_composite_messages():
    assert to_english(m.WAITING_PASSWORD).startswith("Waiting for the customer")
    assert to_english(m.refusal_message("NOTENOUGH", "")) == (
        "Insufficient balance: ask the customer to use another card or method (nothing charged)")
    assert to_english(f"{m.CASH_PAID}，找零 ¥8.60") == "Cash received, change ¥8.60"
    assert to_english("未知文本") == "未知文本"
    for text in (m.PAID, m.CHECKING, m.UNCERTAIN_OFFLINE, m.REVERSED_CANCELLED):
        assert not any("\u4e00" <= c <= "\u9fff" for c in to_english(text))
