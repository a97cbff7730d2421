"""Which channel a payment goes to (issue 17, mutation run of payments/till.py): a scanned
code goes to the channel it belongs to, a QR to the channel asked for, and a channel the
shop has not enabled is refused before anything is stored or sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.order import OrderStatus
from pos_app.domain.payment import AttemptState as S
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.payments.gateway import Paid
from pos_app.payments.messages import PaymentText
from pos_app.payments.till import PaymentRefused, TillService
from tests.unit.payments.conftest import Harness
from tests.unit.payments.test_neutral_seam import ScriptedChannel

WECHAT_CODE = "134567890123456789"
ALIPAY_CODE = "281234567890123456"


@pytest.fixture
def both(tmp_path: Path) -> Iterator[tuple[Harness, ScriptedChannel]]:
    """A till with WeChat Pay (the fake APIv3 client) and a scripted "alipay" channel."""
    ali = ScriptedChannel()
    h = Harness(tmp_path)
    h.till.shutdown()
    h.till = TillService(h.db, {"wechat": WechatChannel(h.gw, None), "alipay": ali},
                         clock=h.clock, waiter=h.waiter)
    h.till.subscribe(h._on_event)
    h.till.recover()
    yield h, ali
    h.till.shutdown()
    h.db.close()


def _refused_and_nothing_stored(h: Harness, oid: int, refused: PaymentRefused) -> None:
    assert refused.message.key is PaymentText.CHANNEL_NOT_ENABLED
    assert h.till.attempts_for_order(oid) == []
    order = h.till.order(oid)
    assert order is not None and order.status is OrderStatus.OPEN
    assert h.gw.calls == []


def test_a_qr_of_a_channel_the_shop_has_not_enabled_is_refused_and_nothing_stored(
        h: Harness) -> None:
    oid = h.order()
    with pytest.raises(PaymentRefused) as refused:
        h.till.pay_native(oid, "alipay")
    h.run()
    _refused_and_nothing_stored(h, oid, refused.value)


def test_a_code_of_a_channel_the_shop_has_not_enabled_is_refused_and_nothing_stored(
        h: Harness) -> None:
    oid = h.order()
    with pytest.raises(PaymentRefused) as refused:
        h.till.pay_code(oid, ALIPAY_CODE)
    h.run()
    _refused_and_nothing_stored(h, oid, refused.value)
    h.gw.codepay_plan[WECHAT_CODE] = "success"
    aid = h.till.pay_code(oid, WECHAT_CODE)   # the order is still payable with WeChat Pay
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.channel == "wechat"


def test_each_scanned_code_goes_to_its_own_channel(
        both: tuple[Harness, ScriptedChannel]) -> None:
    h, ali = both
    ali.charge.append(Paid("ALI-T1", total=Fen(300)))
    aid = h.till.pay_code(h.order(300), ALIPAY_CODE)
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.channel == "alipay"
    assert a.transaction_id == "ALI-T1"
    assert ali.calls == ["codepay"] and h.gw.calls == []

    h.gw.codepay_plan[WECHAT_CODE] = "success"
    wid = h.till.pay_code(h.order(), WECHAT_CODE)
    h.run()
    w = h.till.attempt(wid)
    assert w is not None and w.state is S.PAID and w.channel == "wechat"
    assert ali.calls == ["codepay"] and h.gw.count("codepay") == 1


def test_a_qr_goes_to_the_channel_asked_for(both: tuple[Harness, ScriptedChannel]) -> None:
    h, ali = both
    ali.status.append(Paid("ALI-T2", total=Fen(300)))
    aid = h.till.pay_native(h.order(300), "alipay")
    h.run()
    a = h.till.attempt(aid)
    assert a is not None and a.state is S.PAID and a.channel == "alipay"
    assert ali.calls[0] == "native_prepay" and h.gw.calls == []
    wid = h.till.pay_native(h.order(300))       # no channel named: WeChat Pay
    h.run()
    assert ali.calls.count("native_prepay") == 1 and h.gw.count("native_prepay") == 1
    w = h.till.attempt(wid)
    assert w is not None and w.channel == "wechat"
