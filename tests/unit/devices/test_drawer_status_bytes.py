"""ESC p drawer kick and DLE EOT status: byte-exact against the ESC/POS command reference."""

from __future__ import annotations

import pytest

from pos_app.devices.printer.escpos import (
    DrawerPin,
    StatusQuery,
    drawer_kick,
    status_query,
)
from pos_app.devices.printer.status import (
    Condition,
    PrinterStatusText,
    StatusFormatError,
    decode_status,
    is_status_byte,
)


def test_drawer_kick_default_is_the_common_pin2_50_500ms_pulse() -> None:
    # ESC p m t1 t2 = 1B 70 00 19 FA : pin 2, on 25×2 = 50 ms, off 250×2 = 500 ms
    assert drawer_kick() == bytes.fromhex("1B 70 00 19 FA")


@pytest.mark.parametrize(
    ("pin", "on_ms", "off_ms", "expected"),
    [
        (DrawerPin.PIN2, 100, 200, "1B 70 00 32 64"),
        (DrawerPin.PIN5, 50, 500, "1B 70 01 19 FA"),
        (DrawerPin.PIN5, 2, 2, "1B 70 01 01 01"),
        (DrawerPin.PIN2, 510, 510, "1B 70 00 FF FF"),
        (DrawerPin.PIN5, 120, 240, "1B 70 01 3C 78"),
    ],
)
def test_drawer_kick_bytes(pin: DrawerPin, on_ms: int, off_ms: int, expected: str) -> None:
    assert drawer_kick(pin, on_ms=on_ms, off_ms=off_ms) == bytes.fromhex(expected)


@pytest.mark.parametrize(
    ("on_ms", "off_ms"),
    [(0, 500), (51, 500), (512, 512), (50, 511), (-2, 50), (100, 50)],
)
def test_drawer_kick_refuses_times_it_cannot_send_exactly(on_ms: int, off_ms: int) -> None:
    with pytest.raises(ValueError):
        drawer_kick(on_ms=on_ms, off_ms=off_ms)


def test_drawer_kick_refuses_non_int_times_and_unknown_pins() -> None:
    with pytest.raises(TypeError):
        drawer_kick(on_ms=50.0, off_ms=500)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        drawer_kick(2, on_ms=50, off_ms=500)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_status_query_bytes(n: int) -> None:
    assert status_query(StatusQuery(n)) == bytes([0x10, 0x04, n])


def test_status_query_refuses_other_n() -> None:
    with pytest.raises(ValueError):
        status_query(5)  # type: ignore[arg-type]


def test_fixed_bits_identify_a_status_byte() -> None:
    assert is_status_byte(0x12) and is_status_byte(0x16) and is_status_byte(0x7E)
    for b in (0x00, 0xFF, 0x10, 0x02, 0x92, 0x13, ord("A")):
        assert not is_status_byte(b)
    with pytest.raises(StatusFormatError):
        decode_status(0x00)
    with pytest.raises(StatusFormatError):
        decode_status(0x12, offline=0x80)


def test_all_clear_is_ready() -> None:
    s = decode_status(0x12, 0x12, 0x12, 0x12)
    assert s.condition is Condition.READY and not s.drawer_pin3_high and s.warning is None


def test_paper_out_from_the_paper_sensor_and_from_the_offline_cause() -> None:
    # DLE EOT 1: offline (bit 3); DLE EOT 2: stopped by paper end (bit 5); DLE EOT 4: 0x7E
    s = decode_status(0x1A, 0x32, 0x12, 0x7E)
    assert s.offline and s.paper_end_stop and s.paper_out and s.paper_near_end
    assert s.condition is Condition.PAPER_OUT
    assert decode_status(0x12, paper=0x72).condition is Condition.PAPER_OUT
    assert decode_status(0x1A, offline=0x32).condition is Condition.PAPER_OUT


def test_cover_open_error_offline_and_near_end() -> None:
    assert decode_status(0x1A, 0x16).condition is Condition.COVER_OPEN    # bit 2
    assert decode_status(0x1A, 0x52).condition is Condition.ERROR         # bit 6
    assert decode_status(0x12, error=0x1A).condition is Condition.ERROR   # cutter, bit 3
    assert decode_status(0x12, error=0x32).condition is Condition.ERROR   # unrecoverable
    assert decode_status(0x12, error=0x52).condition is Condition.ERROR   # overheat
    assert decode_status(0x1A, 0x1A).condition is Condition.OFFLINE       # FEED held
    near = decode_status(0x12, paper=0x1E)
    assert near.condition is Condition.READY
    assert near.warning is not None and near.warning.key is PrinterStatusText.PAPER_NEAR_END


def test_drawer_sensor_is_bit_2_of_the_printer_status() -> None:
    assert decode_status(0x16).drawer_pin3_high
    assert not decode_status(0x12).drawer_pin3_high


def test_only_ready_and_unknown_may_print() -> None:
    assert {c for c in Condition if c.can_print} == {Condition.READY, Condition.UNKNOWN}
