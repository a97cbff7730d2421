"""The raw TCP (port 9100) printer against a local listener: real sockets, bounded waits."""

from __future__ import annotations

import time

import pytest

from pos_app.devices.printer.network import (
    NetworkPrinter,
    NetworkPrinterConfig,
    PrinterNotReady,
    PrinterUnreachable,
)
from pos_app.devices.printer.sinks import PrinterError
from pos_app.devices.printer.status import Condition, PrinterStatusText
from tests.unit.devices.fake_printer import (
    COVER_OPEN,
    DRAWER_HIGH,
    PAPER_OUT,
    READY,
    FakePrinter,
    backlog_full_address,
    fake_printer,
    refusing_address,
)

JOB = b"\x1b@" + "演示便利店 合计 ￥12.50\n".encode("gb18030") * 40 + b"\x1dVB\x00"


def printer_for(port: int, host: str = "127.0.0.1", **kw: float | bool) -> NetworkPrinter:
    cfg = dict(connect_timeout=1.0, write_timeout=1.0, status_timeout=0.3, confirm_timeout=1.0)
    cfg.update(kw)
    return NetworkPrinter(NetworkPrinterConfig(host, port, **cfg))  # type: ignore[arg-type]


def test_ready_printer_gets_the_exact_job_and_confirms_it() -> None:
    with fake_printer() as fp:
        d = printer_for(fp.port).deliver(JOB)
        assert d.confirmed and d.condition is Condition.READY
        assert fp.connections == [bytearray(JOB)]
        assert fp.queries == [1, 2, 3, 4, 1]  # full status before, DLE EOT 1 after the job


@pytest.mark.parametrize(
    ("status", "condition", "key"),
    [(PAPER_OUT, Condition.PAPER_OUT, PrinterStatusText.PAPER_OUT),
     (COVER_OPEN, Condition.COVER_OPEN, PrinterStatusText.COVER_OPEN)],
)
def test_a_printer_that_is_not_ready_gets_nothing(
    status: dict[int, int], condition: Condition, key: PrinterStatusText,
) -> None:
    with fake_printer() as fp:
        fp.status = dict(status)
        with pytest.raises(PrinterNotReady) as exc:
            printer_for(fp.port).deliver(JOB)
        assert exc.value.condition is condition and exc.value.message.key is key
        assert fp.printed == b""


def test_paper_running_out_during_the_job_is_reported_not_resent() -> None:
    with fake_printer() as fp:
        def run_out(job: bytes, _t: float) -> None:
            if job:
                fp.status = dict(PAPER_OUT)
        fp.on_data = run_out
        d = printer_for(fp.port).deliver(JOB)
        assert d.confirmed and d.condition is Condition.PAPER_OUT
        assert fp.printed == JOB


def test_a_printer_without_status_support_is_sent_the_job_unconfirmed() -> None:
    with fake_printer() as fp:
        fp.silent = True
        t0 = time.monotonic()
        d = printer_for(fp.port, status_timeout=0.2).deliver(JOB)
        assert not d.confirmed and d.status is None and d.condition is Condition.UNKNOWN
        assert time.monotonic() - t0 < 1.5  # one status wait, not four
        deadline = time.monotonic() + 2
        while fp.printed != JOB and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fp.printed == JOB


def test_status_queries_can_be_switched_off() -> None:
    with fake_printer() as fp:
        d = printer_for(fp.port, query_status=False).deliver(JOB)
        assert not d.confirmed
        deadline = time.monotonic() + 2
        while fp.printed != JOB and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fp.printed == JOB and fp.queries == []


def test_refused_connection_is_unreachable_at_once() -> None:
    with refusing_address() as (host, port):
        t0 = time.monotonic()
        with pytest.raises(PrinterUnreachable) as exc:
            printer_for(port, host).deliver(JOB)
        assert time.monotonic() - t0 < 0.5
        assert exc.value.message.key is PrinterStatusText.UNREACHABLE


def test_a_connect_that_hangs_times_out() -> None:
    with backlog_full_address() as (host, port):
        t0 = time.monotonic()
        with pytest.raises(PrinterUnreachable):
            printer_for(port, host, connect_timeout=0.4).deliver(JOB)
        assert 0.3 < time.monotonic() - t0 < 2.0


def test_a_printer_that_stops_reading_makes_the_send_time_out() -> None:
    with fake_printer(rcvbuf=4096) as fp:
        fp.stall = True
        big = b"x" * (16 * 1024 * 1024)
        t0 = time.monotonic()
        with pytest.raises(PrinterError) as exc:
            printer_for(fp.port, write_timeout=0.5, status_timeout=0.1).deliver(big)
        assert not isinstance(exc.value, PrinterNotReady)
        assert time.monotonic() - t0 < 3.0


def test_a_connection_dropped_mid_job_is_an_error() -> None:
    with fake_printer() as fp:
        fp.drop_after = 100
        with pytest.raises(PrinterError):
            printer_for(fp.port).deliver(JOB)
        assert len(fp.printed) == 100


def test_no_answer_after_the_job_from_a_printer_that_answered_before_is_not_confirmed() -> None:
    with fake_printer() as fp:
        def hang(job: bytes, _t: float) -> None:
            if job:
                fp.silent = True
        fp.on_data = hang
        with pytest.raises(PrinterError, match="not confirmed"):
            printer_for(fp.port, status_timeout=0.2, confirm_timeout=0.3).deliver(JOB)


def test_stray_bytes_are_not_taken_for_status() -> None:
    with fake_printer() as fp:
        fp.status = {1: ord("A"), 2: 0x12, 3: 0x12, 4: 0x12}  # 0x41: fixed bits wrong
        assert printer_for(fp.port, status_timeout=0.2).status() is None


def test_status_reads_the_drawer_sensor_and_paper() -> None:
    with fake_printer() as fp:
        fp.status = dict(DRAWER_HIGH)
        s = printer_for(fp.port).status()
        assert s is not None and s.drawer_pin3_high and s.condition is Condition.READY
        fp.status = dict(PAPER_OUT)
        s = printer_for(fp.port).status()
        assert s is not None and s.condition is Condition.PAPER_OUT
        fp.status = dict(READY)
        fp.silent = True
        assert printer_for(fp.port, status_timeout=0.1).status() is None


def test_the_printer_works_as_a_plain_sink() -> None:
    with fake_printer() as fp:
        printer_for(fp.port).write(JOB)
        assert fp.printed == JOB


@pytest.mark.parametrize(
    "kw",
    [dict(host=""), dict(port=0), dict(port=70000), dict(connect_timeout=0),
     dict(write_timeout=-1), dict(status_timeout=500), dict(silent_after=0),
     dict(reprobe_after=-1), dict(confirm_timeout=0)],
)
def test_config_is_checked(kw: dict[str, object]) -> None:
    base: dict[str, object] = dict(host="192.0.2.1")
    base.update(kw)
    with pytest.raises(ValueError):
        NetworkPrinterConfig(**base)  # type: ignore[arg-type]


def test_fake_printer_is_really_off_until_powered_on() -> None:
    fp = FakePrinter(off=True)
    try:
        with pytest.raises(PrinterUnreachable):
            printer_for(fp.port).deliver(JOB)
        fp.power_on()
        assert printer_for(fp.port).deliver(JOB).confirmed
    finally:
        fp.stop()


def test_a_silent_printer_is_not_asked_again_for_a_while() -> None:
    with fake_printer() as fp:
        fp.silent = True
        p = printer_for(fp.port, status_timeout=0.1, silent_after=2, reprobe_after=0.5)
        for _ in range(5):
            assert not p.deliver(b"job\n").confirmed
        assert fp.queries == [1, 1]  # probed twice, then left alone
        time.sleep(0.6)
        p.deliver(b"job\n")
        assert fp.queries == [1, 1, 1]  # asked again after reprobe_after
        fp.silent = False
        assert p.deliver(b"job\n").confirmed
