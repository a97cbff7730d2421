"""Every figure of the printed X/Z report and of its CSV against an expectation computed
here by hand (issue 17: the "net by payment method" lines and the counted-cash row
could vanish with no test failing). Labels are rendered as their keys, so the expected
text does not depend on a translation; the layout is re-derived here, not reused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.text import Message
from pos_app.manager.pins import PinAuthenticator
from pos_app.manager.refunds import RefundRequest, RefundService
from pos_app.manager.reports import (
    ReportKind,
    ShiftReport,
    build_report,
    render_text,
    report_csv,
)
from pos_app.manager.shifts import ShiftService
from pos_app.payments.channels.wechat import WechatChannel
from pos_app.wechatpay.models import RefundStatus

from .helpers import MANAGER_PIN, T0, Clock, FakeRefundGateway, order, seeded_store

NATIVE, CASH, CODE = PaymentMethod.NATIVE, PaymentMethod.CASH, PaymentMethod.CODEPAY
W = 48


def key(message: Message) -> str:
    return message.key.value


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def line(left: str, right: str) -> str:
    return left + " " * max(1, W - len(left) - len(right)) + right


def beijing(at: datetime) -> str:
    return (at.astimezone(UTC) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")


def _shift_day():  # type: ignore[no-untyped-def]
    """A shift with sales of every method, refunds in every state, and a sale and a
    refund from before the shift (which must not count)."""
    store, clock = seeded_store(), Clock(T0)
    gw = FakeRefundGateway()
    auth = PinAuthenticator(store, clock=clock)
    refunds = RefundService(store, WechatChannel(gw, None), auth, clock=clock)
    shifts = ShiftService(store, auth, clock=clock)

    def refund(order_id: int, amount: int):  # type: ignore[no-untyped-def]
        [rec] = refunds.request_refund(RefundRequest(order_id, "amy", "boss", MANAGER_PIN,
                                                     "退货", amount=Fen(amount)))
        return rec

    order(store, 1, NATIVE, 7777, at=clock.now())               # before the shift
    clock.advance(minutes=1)
    refund(1, 777)                                              # before the shift
    clock.advance(minutes=10)
    opened = clock.now()
    shifts.open("amy", Fen(10000))
    clock.advance(minutes=1)
    order(store, 2, NATIVE, 1200, at=clock.now())
    order(store, 3, NATIVE, 3000, at=clock.now())
    order(store, 4, CODE, 999, at=clock.now())
    order(store, 5, CASH, 2350, at=clock.now())
    order(store, 6, CASH, 500, at=clock.now())
    clock.advance(minutes=5)
    refund(2, 200)                                      # stays PROCESSING: in progress
    done = refund(3, 300)
    gw.settle(done.out_refund_no, RefundStatus.SUCCESS)
    refunds.refresh(done.refund_id)                     # SUCCESS
    closed = refund(4, 99)
    gw.settle(closed.out_refund_no, RefundStatus.CLOSED)
    refunds.refresh(closed.refund_id)                   # CLOSED: took nothing
    refund(5, 350)                                      # cash: SUCCESS on the spot
    clock.advance(minutes=30)
    return store, clock, shifts, opened


# Hand-computed: sales native 2 × (12.00 + 30.00) = 42.00, code 1 × 9.99, cash 2 × 28.50;
# refunds taken: native 2.00 (processing) + 3.00 (success), cash 3.50; the closed 0.99
# refund and everything before the shift do not count.
SALES = {NATIVE: (2, 4200), CODE: (1, 999), CASH: (2, 2850)}
REFUNDS = {NATIVE: (2, 500), CODE: (0, 0), CASH: (1, 350)}
IN_PROGRESS = (1, 200)
NET = {NATIVE: 3700, CODE: 999, CASH: 2500}
FLOAT = 10000
EXPECTED_CASH = 10000 + 2850 - 350          # 125.00
COUNTED = 12440
DIFFERENCE = -60


def _expected_text(report: ShiftReport, opened: datetime, *, z: bool, blind: bool = False,
                   by: str = "amy") -> str:
    s = report.shift
    rule = "-" * W
    title = "report.z_title" if z else "report.x_title"
    out = [" " * ((W - len(title)) // 2) + title, rule,
           line("report.shift", f"#{s.shift_id}"),
           line("report.opened", f"{beijing(opened)} amy")]
    if z:
        assert s.closed_at is not None
        out.append(line("report.closed", f"{beijing(s.closed_at)} amy"))
        out.append(line("report.approved_by", "boss"))
    out += [line("report.printed", beijing(report.generated_at)), line("report.by", by)]
    for section, table in (("report.sales", SALES), ("report.refunds", REFUNDS)):
        out += [rule, section]
        for m in (NATIVE, CODE, CASH):
            n, fen = table[m]
            out.append(line(f" report.method.{m.value} x{n}", yuan(fen)))
        out.append(line(f" report.total x{sum(n for n, _ in table.values())}",
                        yuan(sum(f for _, f in table.values()))))
    out.append(line(f" report.in_progress x{IN_PROGRESS[0]}", yuan(IN_PROGRESS[1])))
    out += [rule, "report.net"]
    out += [line(f" report.method.{m.value}", yuan(NET[m])) for m in (NATIVE, CODE, CASH)]
    out += [rule, line("report.float", yuan(FLOAT))]
    if blind:     # a cashier's X: no drawer arithmetic, no expected cash
        out.append("report.blind")
    else:
        out += [line("+ report.cash_sales", yuan(SALES[CASH][1])),
                line("- report.cash_refunds", yuan(REFUNDS[CASH][1])),
                line("= report.expected", yuan(EXPECTED_CASH))]
    if z:
        out += [line("report.counted", yuan(COUNTED)), line("report.difference", yuan(DIFFERENCE))]
    out.append(rule)
    return "\n".join(out) + "\n"


def _expected_csv(report: ShiftReport, *, z: bool, blind: bool = False) -> list[str]:
    kind, sid = ("Z" if z else "X"), report.shift.shift_id
    rows = ["report,shift_id,section,method,count,amount_fen,amount_yuan"]
    rows += [f"{kind},{sid},sales,{m.value},{SALES[m][0]},{SALES[m][1]},{yuan(SALES[m][1])}"
             for m in (NATIVE, CODE, CASH)]
    rows += [f"{kind},{sid},refunds,{m.value},{REFUNDS[m][0]},{REFUNDS[m][1]},"
             f"{yuan(REFUNDS[m][1])}" for m in (NATIVE, CODE, CASH)]
    for section, table in (("sales_by_channel", SALES), ("refunds_by_channel", REFUNDS)):
        by_channel = {"cash": table[CASH], "wechat": (table[NATIVE][0] + table[CODE][0],
                                                      table[NATIVE][1] + table[CODE][1])}
        rows += [f"{kind},{sid},{section},{name},{n},{fen},{yuan(fen)}"
                 for name, (n, fen) in by_channel.items() if n]
    rows.append(f"{kind},{sid},refunds_in_progress,,1,200,2.00")
    rows.append(f"{kind},{sid},opening_float,cash,,10000,100.00")
    rows.append(f"{kind},{sid},expected_cash,cash,,," if blind
                else f"{kind},{sid},expected_cash,cash,,12500,125.00")
    rows.append(f"{kind},{sid},counted_cash,cash,,12440,124.40" if z
                else f"{kind},{sid},counted_cash,cash,,,")
    rows.append(f"{kind},{sid},difference,cash,,-60,-0.60" if z
                else f"{kind},{sid},difference,cash,,,")
    rows.append(f"{kind},{sid},unresolved_payments,,0,,")
    channel = SALES[NATIVE][1] + SALES[CODE][1]          # no coupons in this shift
    rows.append(f"{kind},{sid},channel_order_total,,,{channel},{yuan(channel)}")
    rows.append(f"{kind},{sid},customer_paid,,,{channel},{yuan(channel)}")
    rows.append(f"{kind},{sid},coupons,,0,0,0.00")
    rows.append(f"{kind},{sid},settlement,,,{channel},{yuan(channel)}")
    rows += [f"{kind},{sid},{d},,0,0,0.00" for d in (
        "discount_line", "discount_percent", "discount_order", "discount_round_off",
        "discount_total")]                              # no discounts in this shift
    rows += [f"{kind},{sid},cash_in,cash,0,0,0.00", f"{kind},{sid},cash_out,cash,0,0,0.00"]
    rows.append(f"{kind},{sid},approved_by,boss,,," if z else f"{kind},{sid},approved_by,,,,")
    return rows


def test_x_report_every_figure() -> None:
    """A manager's X shows the drawer arithmetic and the expected cash."""
    _store, _clock, shifts, opened = _shift_day()
    x = shifts.x_report("boss")
    assert not x.blind
    assert render_text(x, render=key, width=W) == _expected_text(x, opened, z=False, by="boss")
    assert report_csv(x).split("\r\n") == [*_expected_csv(x, z=False), ""]


def test_cashiers_x_report_is_blind() -> None:
    """A cashier's X leaves the expected cash out (text and CSV): the Z count stays blind."""
    _store, _clock, shifts, opened = _shift_day()
    x = shifts.x_report("amy")
    assert x.blind and x.expected_cash == EXPECTED_CASH          # computed, not shown
    text = render_text(x, render=key, width=W)
    assert text == _expected_text(x, opened, z=False, blind=True)
    assert yuan(EXPECTED_CASH) not in text
    assert report_csv(x).split("\r\n") == [*_expected_csv(x, z=False, blind=True), ""]


def test_z_report_every_figure() -> None:
    _store, _clock, shifts, opened = _shift_day()
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(COUNTED))
    assert (z.expected_cash, z.counted_cash, z.difference) == (EXPECTED_CASH, COUNTED, DIFFERENCE)
    assert {m: z.net(m) for m in NET} == NET
    assert render_text(z, render=key, width=W) == _expected_text(z, opened, z=True)
    assert report_csv(z).split("\r\n") == [*_expected_csv(z, z=True), ""]


def test_z_report_cash_over_is_signed_plus() -> None:
    _store, _clock, shifts, _opened = _shift_day()
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(EXPECTED_CASH + 5))
    text = render_text(z, render=key, width=W)
    assert line("report.difference", "+0.05") in text.splitlines()
    assert f"Z,{z.shift.shift_id},difference,cash,,5,0.05" in report_csv(z).splitlines()


def test_build_report_counts_only_the_shift_window() -> None:
    """Given every payment and refund of the day (not pre-filtered by the store), the
    report still counts only those inside the shift."""
    store, clock, _shifts, _opened = _shift_day()
    shift = store.current_shift()
    assert shift is not None
    ever = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    payments = store.paid_payments_between(*ever)
    refunds = store.refunds_between(*ever)
    assert len(payments) == 6 and len(refunds) == 5
    r = build_report(ReportKind.X, shift, payments, refunds, generated_at=clock.now(),
                     generated_by="amy")
    assert {m: (t.count, t.amount) for m, t in r.sales.items()} == SALES
    assert {m: (t.count, t.amount) for m, t in r.refunds.items()} == REFUNDS
    assert (r.refunds_in_progress.count, r.refunds_in_progress.amount) == IN_PROGRESS
    assert r.expected_cash == EXPECTED_CASH
    later = build_report(ReportKind.X, shift, payments, refunds,
                         generated_at=shift.opened_at, generated_by="amy")
    assert later.total_sales.count == 0 and later.total_refunds.count == 0


def test_default_width_fits_58mm_paper() -> None:
    _store, _clock, shifts, _opened = _shift_day()
    lines = render_text(shifts.x_report("amy"), render=key).splitlines()
    rules = [ln for ln in lines if set(ln) == {"-"}]
    assert rules and all(ln == "-" * 32 for ln in rules)
    assert line("report.shift", "#1").replace(" " * 16, "", 1) in lines   # padded to 32


def test_sale_and_refund_at_the_very_moment_of_the_report_count() -> None:
    store, clock, shifts, _opened = _shift_day()
    order(store, 7, CASH, 100, at=clock.now())
    auth = PinAuthenticator(store, clock=clock)
    RefundService(store, None, auth, clock=clock).request_refund(
        RefundRequest(7, "amy", "boss", MANAGER_PIN, "退货", amount=Fen(40)))
    x = shifts.x_report("amy")                         # same instant: both count
    assert (x.sales[CASH].count, x.sales[CASH].amount) == (3, 2950)
    assert (x.refunds[CASH].count, x.refunds[CASH].amount) == (2, 390)
    z = shifts.close("amy", "boss", MANAGER_PIN, Fen(0))
    assert (z.sales[CASH].amount, z.refunds[CASH].amount) == (2950, 390)


def test_another_tills_sales_and_refunds_stay_out_of_this_tills_report() -> None:
    from pos_app.manager.shop_store import ShopStore

    store, clock, shifts, _opened = _shift_day()
    other = ShopStore(store.db, till_id="02")
    order(other, 7, CASH, 5000, at=clock.now())
    auth = PinAuthenticator(other, clock=clock)
    RefundService(other, None, auth, clock=clock).request_refund(
        RefundRequest(7, "amy", "boss", MANAGER_PIN, "退货", amount=Fen(1000)))
    x = shifts.x_report("amy")
    assert {m: (t.count, t.amount) for m, t in x.sales.items()} == SALES
    assert {m: (t.count, t.amount) for m, t in x.refunds.items()} == REFUNDS
    assert x.expected_cash == EXPECTED_CASH


def test_current_shift_is_reported() -> None:
    _store, _clock, shifts, opened = _shift_day()
    current = shifts.current()
    assert current is not None and current.opened_at == opened and current.closed_at is None
    shifts.close("amy", "boss", MANAGER_PIN, Fen(0))
    assert shifts.current() is None
