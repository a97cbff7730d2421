"""The cash drawer through a local TCP printer: exact kick bytes, refusals, sensor state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_app.devices.drawer import (
    CashDrawer,
    DrawerConfig,
    DrawerError,
    DrawerReason,
    DrawerState,
    DrawerText,
)
from pos_app.devices.printer.escpos import DrawerPin
from pos_app.devices.printer.network import NetworkPrinter, NetworkPrinterConfig
from pos_app.devices.printer.queue import SinkPrinter
from pos_app.devices.printer.sinks import FileSink
from pos_app.devices.printer.status import Condition
from tests.unit.devices.fake_printer import (
    DRAWER_HIGH,
    PAPER_OUT,
    READY,
    fake_printer,
    refusing_address,
)

T = datetime(2026, 12, 2, 4, 30, tzinfo=UTC)


def net(port: int, host: str = "127.0.0.1") -> NetworkPrinter:
    return NetworkPrinter(NetworkPrinterConfig(host, port, connect_timeout=0.5,
                                               write_timeout=1.0, status_timeout=0.2))


def test_cash_sale_kicks_pin2_with_the_configured_pulse() -> None:
    with fake_printer() as fp:
        p = net(fp.port)
        drawer = CashDrawer(p, sensor=p, clock=lambda: T)
        opening = drawer.open(DrawerReason.CASH_SALE, reference="00000042")
        assert fp.printed == bytes.fromhex("1B 70 00 19 FA")
        assert opening.reason is DrawerReason.CASH_SALE and opening.reference == "00000042"
        assert opening.at == T and opening.confirmed and opening.authorised_by == ""


def test_pin5_and_other_times() -> None:
    with fake_printer() as fp:
        drawer = CashDrawer(net(fp.port), DrawerConfig(DrawerPin.PIN5, on_ms=100, off_ms=200))
        drawer.open(DrawerReason.CASH_REFUND, reference="R0001")
        assert fp.printed == bytes.fromhex("1B 70 01 32 64")


def test_no_sale_needs_who_authorised_it() -> None:
    with fake_printer() as fp:
        drawer = CashDrawer(net(fp.port))
        for who in ("", "   "):
            with pytest.raises(DrawerError) as exc:
                drawer.open(DrawerReason.NO_SALE, authorised_by=who)
            assert exc.value.message.key is DrawerText.NO_SALE_NEEDS_AUTHORISATION
        assert fp.printed == b""
        opening = drawer.open(DrawerReason.NO_SALE, authorised_by="manager-1")
        assert opening.authorised_by == "manager-1" and fp.printed == drawer.config.kick


def test_a_sale_or_refund_opening_names_its_reference() -> None:
    with fake_printer() as fp:
        with pytest.raises(ValueError):
            CashDrawer(net(fp.port)).open(DrawerReason.CASH_SALE)
        assert fp.printed == b""


def test_printer_not_ready_means_no_kick_and_a_clear_error() -> None:
    with fake_printer() as fp:
        fp.status = dict(PAPER_OUT)
        with pytest.raises(DrawerError) as exc:
            CashDrawer(net(fp.port)).open(DrawerReason.CASH_SALE, reference="1")
        assert exc.value.message.key is DrawerText.NOT_OPENED
        assert exc.value.condition is Condition.PAPER_OUT
        assert fp.printed == b""  # would otherwise pop open later, unattended


def test_unreachable_printer() -> None:
    with refusing_address() as (host, port):
        with pytest.raises(DrawerError) as exc:
            CashDrawer(net(port, host)).open(DrawerReason.CASH_SALE, reference="1")
        assert exc.value.condition is Condition.UNREACHABLE


def test_state_from_the_pin3_sensor_with_either_polarity() -> None:
    with fake_printer() as fp:
        p = net(fp.port)
        high_open = CashDrawer(p, sensor=p)
        low_open = CashDrawer(p, DrawerConfig(open_when_pin3_high=False), sensor=p)
        fp.status = dict(DRAWER_HIGH)
        assert high_open.state() is DrawerState.OPEN
        assert low_open.state() is DrawerState.CLOSED
        fp.status = dict(READY)
        assert high_open.state() is DrawerState.CLOSED
        assert low_open.state() is DrawerState.OPEN
        fp.silent = True
        assert high_open.state() is DrawerState.UNKNOWN
    with refusing_address() as (host, port):
        p = net(port, host)
        assert CashDrawer(p, sensor=p).state() is DrawerState.UNKNOWN


def test_a_drawer_on_a_plain_sink_opens_but_its_state_is_unknown(tmp_path) -> None:  # type: ignore[no-untyped-def]
    spool = tmp_path / "lp0"
    drawer = CashDrawer(SinkPrinter(FileSink(spool)))
    opening = drawer.open(DrawerReason.CASH_SALE, reference="7")
    assert spool.read_bytes() == bytes.fromhex("1B 70 00 19 FA") and not opening.confirmed
    assert drawer.state() is DrawerState.UNKNOWN


def test_bad_pulse_config_is_refused() -> None:
    with pytest.raises(ValueError):
        DrawerConfig(on_ms=51)
    with pytest.raises(ValueError):
        DrawerConfig(on_ms=200, off_ms=100)
