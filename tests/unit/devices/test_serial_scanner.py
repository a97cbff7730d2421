"""Serial scanner: framing by suffix, idle framing, reconnect after unplug."""

from __future__ import annotations

import queue
import threading

import pytest
import serial

from pos_app.devices.scanner.base import ScanOrigin
from pos_app.devices.scanner.serial import (
    FrameSplitter,
    SerialScannerConfig,
    SerialScanSource,
    Suffix,
)

CODE = "134567890123456789"


@pytest.mark.parametrize(("suffix", "term"), [(Suffix.CR, b"\r"), (Suffix.LF, b"\n"),
                                             (Suffix.CRLF, b"\r\n")])
def test_frames_split_across_chunks(suffix, term):
    sp = FrameSplitter(suffix)
    data = CODE.encode() + term + b"6901234567011" + term
    out = []
    for i in range(len(data)):
        out += sp.feed(data[i:i + 1])  # one byte at a time, as a slow port delivers them
    assert out == [CODE, "6901234567011"]


def test_cr_scanner_that_also_sends_lf_gives_clean_codes():
    sp = FrameSplitter(Suffix.CR)
    assert sp.feed(b"123456\r\n654321\r\n") == ["123456", "654321"]


def test_no_suffix_frames_on_idle_and_garbage_is_bounded():
    sp = FrameSplitter(Suffix.NONE)
    assert sp.feed(b"12345") == []
    assert sp.idle() == ["12345"]
    assert sp.idle() == []
    big = FrameSplitter(Suffix.CR, max_frame=10)
    assert big.feed(b"x" * 20) == [] and big.feed(b"1\r") == ["1"]


class FlakyPort:
    """Delivers queued chunks; raising SerialException simulates an unplug."""

    def __init__(self, chunks: queue.Queue) -> None:
        self.chunks = chunks
        self.closed = False

    @property
    def in_waiting(self) -> int:
        return 0

    def read(self, size: int = 1) -> bytes:
        try:
            item = self.chunks.get(timeout=0.02)
        except queue.Empty:
            return b""
        if isinstance(item, Exception):
            raise item
        return item

    def close(self) -> None:
        self.closed = True


def test_reconnects_with_backoff_after_unplug():
    chunks: queue.Queue = queue.Queue()
    opens: list[FlakyPort] = []
    fail_next_open = threading.Event()
    statuses: list[str] = []
    scans: queue.Queue = queue.Queue()

    def opener(cfg):
        if fail_next_open.is_set():
            fail_next_open.clear()
            raise serial.SerialException("no such device")
        port = FlakyPort(chunks)
        opens.append(port)
        return port

    cfg = SerialScannerConfig(port="fake", backoff_initial=0.01, backoff_max=0.05)
    src = SerialScanSource(cfg, opener=opener, on_status=statuses.append)
    src.start(scans.put)
    chunks.put(CODE.encode() + b"\r")
    ev = scans.get(timeout=2)
    assert (ev.code, ev.origin) == (CODE, ScanOrigin.SERIAL)
    fail_next_open.set()
    chunks.put(serial.SerialException("device disconnected"))
    chunks.put(b"6901234567011\r")
    assert scans.get(timeout=2).code == "6901234567011"   # read after reconnecting
    src.stop()
    assert len(opens) == 2 and opens[0].closed
    assert statuses[0] == "connected"
    assert any(s.startswith("disconnected") for s in statuses)
    assert any(s.startswith("unavailable") for s in statuses)
    src.start(scans.put)
    with pytest.raises(RuntimeError):
        src.start(scans.put)  # one reader thread per source
    src.stop()


def test_loop_url_end_to_end():
    port = serial.serial_for_url("loop://", timeout=0.05)
    cfg = SerialScannerConfig(port="loop://", suffix=Suffix.CRLF)
    got: queue.Queue = queue.Queue()
    src = SerialScanSource(cfg, opener=lambda _c: port)
    src.start(got.put)
    port.write(CODE.encode() + b"\r\n")
    assert got.get(timeout=2).code == CODE
    src.stop()
