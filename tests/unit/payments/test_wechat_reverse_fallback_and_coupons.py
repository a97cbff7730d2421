"""WeChat adapter behaviours the full mutation run of payments/channels/wechat.py found
unpinned (issue 17): a reverse refused because v3 has no payment-code API goes to v2 (and
later codes go straight there); a coupon-paid order without payer_total is read right."""

from __future__ import annotations

from pos_app.domain.money import Fen
from pos_app.payments.channels.wechat import WechatChannel, paid_of
from pos_app.payments.gateway import Paid, Reversed
from pos_app.wechatpay.errors import ApiError
from pos_app.wechatpay.models import PromotionDetail, TradeState, Transaction


class V3NotEnabled:
    """A merchant without the v3 payment-code product: its codepay and reverse routes 404."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def codepay(self, **kw: object) -> Transaction:
        self.calls.append("codepay")
        raise ApiError(404, "NOT_FOUND", "no such route")

    def reverse(self, out_trade_no: str) -> bool:
        self.calls.append("reverse")
        raise ApiError(404, "NOT_FOUND", "no such route")


class V2:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def micropay(self, *, out_trade_no: str, description: str, total: Fen,
                 auth_code: str) -> Transaction:
        self.calls.append("micropay")
        return Transaction(out_trade_no=out_trade_no, trade_state=TradeState.SUCCESS,
                           transaction_id="4200000000000000000009", total=total)

    def orderquery(self, out_trade_no: str) -> Transaction | None:
        return None

    def reverse(self, out_trade_no: str) -> bool:
        self.calls.append("reverse")
        return True


def test_a_reverse_v3_cannot_route_goes_to_v2_and_later_codes_go_straight_there() -> None:
    v3, v2 = V3NotEnabled(), V2()
    ch = WechatChannel(v3, v2, "v3_with_v2_fallback")  # type: ignore[arg-type]
    assert isinstance(ch.reverse("P1"), Reversed)
    assert (v3.calls, v2.calls) == (["reverse"], ["reverse"])
    paid = ch.codepay(out_trade_no="P2", description="d", total=Fen(300),
                      auth_code="134567890123456789")
    assert isinstance(paid, Paid) and paid.total == 300
    assert v3.calls == ["reverse"]            # v3 not asked again
    assert v2.calls == ["reverse", "micropay"]


def test_a_reverse_refused_by_v3_on_the_v3_protocol_is_not_sent_to_v2() -> None:
    v3, v2 = V3NotEnabled(), V2()
    ch = WechatChannel(v3, v2, "v3")  # type: ignore[arg-type]
    assert not isinstance(ch.reverse("P1"), Reversed)
    assert v2.calls == []


def test_coupons_without_the_payer_total_give_what_the_customer_paid() -> None:
    txn = Transaction(out_trade_no="P1", trade_state=TradeState.SUCCESS,
                      transaction_id="4200000000000000000001", total=Fen(1000),
                      promotions=(PromotionDetail("C1", Fen(150)), PromotionDetail("C2", Fen(50))))
    paid = paid_of(txn)
    assert (paid.total, paid.payer_total, paid.discount_total) == (1000, 800, 200)
