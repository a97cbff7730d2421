from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.text import Message, msg
from pos_app.manager.export import write_csv
from pos_app.manager.messages import ManagerText
from pos_app.manager.pins import AuthError, PinAuthenticator
from pos_app.manager.refunds import RefundRequest, RefundService
from pos_app.manager.reports import ReportKind, display_width, render_text, report_csv
from pos_app.manager.shifts import ShiftError, ShiftService
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.ui import plain_text

from .helpers import (
    MANAGER_PIN,
    T0,
    Clock,
    FakeRefundGateway,
    order,
    refused,
    seeded_store,
    set_unresolved,
)

NATIVE, CASH, CODE = PaymentMethod.NATIVE, PaymentMethod.CASH, PaymentMethod.CODEPAY


def _in(lang: str) -> Callable[[Message], str]:
    """The report's labels as the UI renders them (the same catalogs, without Qt)."""
    return lambda message: plain_text.render(message, lang)


def setup():  # type: ignore[no-untyped-def]
    store, clock = seeded_store(), Clock(T0)
    auth = PinAuthenticator(store, clock=clock)
    return store, clock, ShiftService(store, auth, clock=clock), \
        RefundService(store, WechatChannel(FakeRefundGateway(), None), auth, clock=clock)


def refund(svc: RefundService, order_id: int, amount: int) -> None:
    svc.request_refund(RefundRequest(order_id, "amy", "boss", MANAGER_PIN, "退货",
                                     amount=Fen(amount)))


def test_open_x_z_arithmetic() -> None:
    store, clock, shifts, refunds = setup()
    shift = shifts.open("amy", Fen(20000))                          # ¥200 float
    with pytest.raises(ShiftError, match=refused(ManagerText.SHIFT_ALREADY_OPEN)):
        shifts.open("amy", Fen(0))
    clock.advance(minutes=5)
    # cash sale ¥23.50 paid with ¥50: the order amount counts, the ¥26.50 change is netted
    order(store, 1, CASH, 2350, at=clock.now())
    order(store, 2, NATIVE, 1200, at=clock.now())
    order(store, 3, CODE, 899, at=clock.now())
    order(store, 4, CODE, 1000, split_cash=400, at=clock.now())       # split: ¥6 code + ¥4 cash
    order(store, 99, CASH, 5000, at=T0 - timedelta(minutes=1))     # before the shift: ignored
    clock.advance(minutes=5)
    refund(refunds, 1, 350)                                         # cash refund ¥3.50
    refund(refunds, 2, 200)                                         # WeChat refund (processing)
    x = shifts.x_report("amy")
    assert x.kind is ReportKind.X and store.current_shift() == shift
    assert (x.sales[CASH].count, x.sales[CASH].amount) == (2, 2750)
    assert (x.sales[NATIVE].count, x.sales[NATIVE].amount) == (1, 1200)
    assert (x.sales[CODE].count, x.sales[CODE].amount) == (2, 1499)
    assert (x.refunds[CASH].count, x.refunds[CASH].amount) == (1, 350)
    assert (x.refunds[NATIVE].count, x.refunds[NATIVE].amount) == (1, 200)
    assert x.refunds_in_progress.amount == 200
    assert x.expected_cash == 20000 + 2750 - 350 == 22400
    assert x.net(CASH) == 2400 and x.total_sales.amount == 5449
    clock.advance(minutes=1)
    with pytest.raises(AuthError, match=refused(ManagerText.AUTH_MAY_NOT_APPROVE)):
        shifts.close("amy", "amy", "1397", Fen(22300))
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(22300))        # ¥1 short
    assert z.kind is ReportKind.Z and z.difference == -100
    assert z.expected_cash == 22400 and z.shift.closed_at == clock.now()
    assert store.current_shift() is None
    with pytest.raises(ShiftError, match=refused(ManagerText.SHIFT_NONE_OPEN)):
        shifts.x_report("amy")
    entry = store.audit_entries()[-1]
    assert entry.action == "shift.close" and entry.detail["difference"] == -100


def test_close_blocked_while_payments_unresolved() -> None:
    store, _, shifts, _ = setup()
    shifts.open("amy", Fen(0))
    set_unresolved(store, 2)
    with pytest.raises(ShiftError, match=refused(ManagerText.SHIFT_PAYMENTS_UNRESOLVED)) as e:
        shifts.close("amy", "boss", MANAGER_PIN, Fen(0))
    assert e.value.message == msg(ManagerText.SHIFT_PAYMENTS_UNRESOLVED, count=2)
    assert store.current_shift() is not None
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(0), allow_unresolved=True)
    assert z.difference == 0


@pytest.mark.parametrize("bad", [-1, 10_000_001, True, 12.5])
def test_bad_float_refused(bad: object) -> None:
    _, _, shifts, _ = setup()
    with pytest.raises(ShiftError, match=refused(ManagerText.SHIFT_FLOAT_OUT_OF_RANGE)):
        shifts.open("amy", bad)  # type: ignore[arg-type]


def test_text_rendering_fixed_width_and_csv(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store, clock, shifts, refunds = setup()
    shifts.open("amy", Fen(10000))
    order(store, 1, CASH, 2350, at=clock.now())
    order(store, 2, NATIVE, 1200, at=clock.now())
    refund(refunds, 1, 350)
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(12100))
    for lang, width in (("zh_CN", 32), ("en", 48)):
        text = render_text(z, width=width, render=_in(lang))
        lines = text.splitlines()
        assert all(display_width(ln) <= width for ln in lines), text
        assert any(ln.endswith("120.00") for ln in lines)     # expected 100 + 23.50 − 3.50
        assert any(ln.endswith("+1.00") for ln in lines)      # counted 121 → ¥1 over
    zh = render_text(z, render=_in("zh_CN"))
    assert "Z 报表" in zh and "现金" in zh and "应有现金" in zh
    csv_text = report_csv(z)
    assert "expected_cash,cash,,12000,120.00" in csv_text
    assert "refunds,cash,1,350,3.50" in csv_text
    path = write_csv(tmp_path / "z.csv", csv_text)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_unresolved_payments_are_reported_not_counted() -> None:
    """Review R3: a Z report closed over uncertain payments must say so on paper — the
    uncertain attempts are not sales, but the manager has to see that some exist."""
    store, clock, shifts, _ = setup()
    shifts.open("amy", Fen(1000))
    clock.advance(minutes=1)
    order(store, 1, CASH, 500, at=clock.now())
    set_unresolved(store, 2)
    x = shifts.x_report("amy")
    assert x.unresolved_payments == 2
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(1500), allow_unresolved=True)
    assert z.unresolved_payments == 2
    assert z.total_sales.count == 1 and z.expected_cash == 1500
    zh, en = render_text(z, render=_in("zh_CN")), render_text(z, render=_in("en"))
    assert "未确定" in zh and "x2" in zh
    assert "Unresolved" in en
    assert "unresolved_payments,,2," in report_csv(z)
    set_unresolved(store, 0)
    shifts.open("amy", Fen(0))
    clean = shifts.close("amy", "boss", MANAGER_PIN, Fen(0))
    assert clean.unresolved_payments == 0 and "未确定" not in render_text(clean, render=_in("zh_CN"))
