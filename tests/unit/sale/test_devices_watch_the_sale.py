"""The sale's other watchers on the real till (Qt-free): the customer view follows a cash
sale to "paid ✓ + change", the drawer is kicked (ESC p on the configured pin) for a cash
sale only, a no-sale opening is audited before the kick, and a watcher that fails never
stops the sale."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pos_app.devices.drawer import DrawerReason
from pos_app.devices.printer.escpos import DrawerPin, drawer_kick
from pos_app.domain.money import Fen
from pos_app.domain.payment import PaymentMethod
from pos_app.domain.text import Message
from pos_app.sale.cash_drawer import NO_SALE_AUDIT, DrawerControl, drawer_config
from pos_app.sale.customer_view import CustomerView, Phase
from pos_app.sale.printing import Printing

from .conftest import PrinterCfg, World


@dataclass(frozen=True)
class FileCfg:
    target: str
    kind: str = "file"
    baud: int = 9600
    encoding: str = "gb18030"
    width: int = 32
    host: str = ""
    port: int = 9100


def ring_up(w: World, sku: str = "COKE330", qty: int = 1) -> None:
    w.sale.add(w.product(sku), qty)


def pay_cash(w: World, tendered: int) -> None:
    w.sale.begin_payment(PaymentMethod.CASH)
    w.sale.charge_cash(Fen(tendered))
    w.pump_until(lambda: w.sale.payment is not None and w.sale.payment.paid_event is not None)
    w.sale.end_payment()


def drawer_for(w: World, out: Path, pin: int = 2, audit: Any = None) -> tuple[
        DrawerControl, list[Message], list[DrawerReason]]:
    errors: list[Message] = []
    opened: list[DrawerReason] = []
    printing = Printing(w.runner, FileCfg(str(out)))
    control = DrawerControl(printing, w.runner, config=drawer_config(pin), audit=audit,
                            on_error=errors.append, on_opened=opened.append, till_id="01")
    w.sale.watchers.append(control)
    return control, errors, opened


def test_cash_sale_is_seen_by_the_customer_view_and_kicks_the_drawer(world: World,
                                                                     tmp_path: Path) -> None:
    w = world
    out = tmp_path / "printer.bin"
    view = CustomerView("测试商店")
    w.sale.watchers.append(view)
    _control, errors, opened = drawer_for(w, out, pin=5)
    ring_up(w, qty=3)
    view.cart_changed(w.sale.cart)
    assert view.screen.phase is Phase.CART and view.screen.total == 900
    w.sale.begin_payment(PaymentMethod.CASH)
    assert (view.screen.phase, view.screen.method, view.screen.total) == (Phase.PAY, "cash", 900)
    w.sale.charge_cash(Fen(2000))
    w.pump_until(lambda: w.sale.payment is not None and w.sale.payment.paid_event is not None)
    w.sale.end_payment()
    assert (view.screen.phase, view.screen.paid, view.screen.change) == (Phase.PAID, 900, 1100)
    w.pump_until(lambda: opened == [DrawerReason.CASH_SALE])
    assert errors == []
    assert out.read_bytes() == drawer_kick(DrawerPin.PIN5) == b"\x1bp\x01\x19\xfa"


def test_a_wechat_sale_does_not_open_the_drawer(world: World, tmp_path: Path) -> None:
    from pos_app.simulator.scenarios import auth_code_for

    w = world
    out = tmp_path / "printer.bin"
    _control, errors, opened = drawer_for(w, out)
    ring_up(w)
    w.sale.begin_payment(PaymentMethod.CODEPAY)
    w.sale.charge_code(auth_code_for("success"))
    w.pump_until(lambda: w.sale.payment is not None and w.sale.payment.paid_event is not None)
    w.sale.end_payment()
    assert w.sale.last_receipt is not None
    w.runner.pool.submit(lambda: None).result(5)     # anything queued has run
    w.pump_until(lambda: w.inbox.empty())
    assert (opened, errors, out.exists()) == ([], [], False)


def test_no_sale_is_audited_before_the_kick_and_refused_without_an_approver(
        world: World, tmp_path: Path) -> None:
    w = world
    out = tmp_path / "printer.bin"
    log: list[tuple[str, str, dict[str, Any]]] = []

    def audit(actor: str, action: str, detail: Any) -> None:
        assert not out.exists(), "audited only after the drawer opened"
        log.append((actor, action, dict(detail)))

    control, errors, opened = drawer_for(w, out, audit=audit)
    control.no_sale(cashier="王芳", approved_by=" ")
    assert len(errors) == 1 and str(errors[0].key) == "drawer.no_sale_needs_authorisation"
    control.no_sale(cashier="王芳", approved_by="李经理")
    w.pump_until(lambda: opened == [DrawerReason.NO_SALE])
    assert log == [("王芳", NO_SALE_AUDIT, {"approved_by": "李经理", "till_id": "01"})]
    assert out.read_bytes() == b"\x1bp\x00\x19\xfa"


def test_no_printer_means_the_drawer_did_not_open(world: World, tmp_path: Path) -> None:
    w = world
    errors: list[Message] = []
    control = DrawerControl(Printing(w.runner, PrinterCfg()), w.runner, config=drawer_config(2),
                            audit=lambda *_a: None, on_error=errors.append)
    control.cash_refund("RF1")
    w.pump_until(lambda: bool(errors))
    assert str(errors[0].key) == "drawer.not_opened"
    off = DrawerControl(Printing(w.runner, PrinterCfg()), w.runner, config=None, audit=None,
                        on_error=errors.append)
    off.no_sale(cashier="c", approved_by="m")             # no drawer set up: told
    assert str(errors[-1].key) == "drawer.not_opened"


@pytest.mark.logs_errors
def test_a_failing_watcher_never_stops_the_sale(world: World, caplog) -> None:
    w = world

    class Broken:
        def payment_began(self, *_a: object) -> None:
            raise RuntimeError("display unplugged")

        payment_event = payment_ended = sale_finished = payment_began

    w.sale.watchers.append(Broken())  # type: ignore[arg-type]
    ring_up(w)
    with caplog.at_level(logging.ERROR):
        pay_cash(w, 300)
    assert w.sale.last_receipt is not None and w.sale.cart.lines == []
    assert "sale watcher 'Broken' failed" in caplog.text
    assert w.till.recent_orders()[0].status.value == "paid"
