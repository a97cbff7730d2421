"""Serial / USB-CDC scanner reader with line framing and reconnect.

One daemon thread owns the port: it opens it, reads chunks, splits them into
frames at the configured suffix (CR, LF, CRLF) — or, for scanners without a
suffix, at an idle gap — and calls ``on_scan`` *from that thread*. When the port
disappears (unplugged, pty closed) it reports the status and reopens it with an
exponential backoff until :meth:`SerialScanSource.stop`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import serial

from pos_app.devices.scanner.base import ScanEvent, ScanOrigin

log = logging.getLogger("pos_app.devices.scanner")


class Suffix(StrEnum):
    CR = "cr"
    LF = "lf"
    CRLF = "crlf"
    NONE = "none"  # frames end after ``idle_timeout`` without bytes

    @property
    def terminator(self) -> bytes:
        return {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "none": b""}[self.value]


@dataclass(frozen=True)
class SerialScannerConfig:
    port: str                      # "/dev/ttyACM0", "COM3", a pty symlink, or "loop://"
    baudrate: int = 9600
    suffix: Suffix = Suffix.CR
    idle_timeout: float = 0.08     # frame end for Suffix.NONE; also the read timeout
    backoff_initial: float = 0.25
    backoff_max: float = 5.0


class SerialPortLike(Protocol):
    def read(self, size: int = 1) -> bytes: ...

    @property
    def in_waiting(self) -> int: ...

    def close(self) -> None: ...


Opener = Callable[[SerialScannerConfig], SerialPortLike]


def open_port(cfg: SerialScannerConfig) -> SerialPortLike:
    """Default opener: pyserial URL handler (plain device paths work too)."""
    port: SerialPortLike = serial.serial_for_url(
        cfg.port, baudrate=cfg.baudrate, timeout=min(cfg.idle_timeout, 0.1)
    )
    return port


class FrameSplitter:
    """Pure framing: feed byte chunks, get complete codes back."""

    def __init__(self, suffix: Suffix, max_frame: int = 4096) -> None:
        self.suffix = suffix
        self.max_frame = max_frame
        self._buf = bytearray()

    def feed(self, chunk: bytes) -> list[str]:
        self._buf += chunk
        if self.suffix is Suffix.NONE:
            return []
        out: list[str] = []
        term = self.suffix.terminator
        while True:
            i = self._buf.find(term)
            if i < 0:
                break
            frame = bytes(self._buf[:i])
            del self._buf[: i + len(term)]
            out.extend(self._emit(frame))
        if len(self._buf) > self.max_frame:  # garbage without terminator: drop it
            self._buf.clear()
        return out

    def idle(self) -> list[str]:
        """No bytes for the idle timeout: for Suffix.NONE the pending bytes are a frame."""
        if self.suffix is not Suffix.NONE or not self._buf:
            return []
        frame = bytes(self._buf)
        self._buf.clear()
        return self._emit(frame)

    @staticmethod
    def _emit(frame: bytes) -> list[str]:
        text = frame.decode("utf-8", errors="replace").strip("\r\n\t ")
        return [text] if text else []


class SerialScanSource:
    """A :class:`~pos_app.devices.scanner.base.ScanSource` over a serial port."""

    def __init__(
        self,
        config: SerialScannerConfig,
        *,
        opener: Opener = open_port,
        on_status: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self._opener = opener
        self._on_status = on_status or (lambda _s: None)
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_scan: Callable[[ScanEvent], None] = lambda _e: None
        self.connected = threading.Event()

    def start(self, on_scan: Callable[[ScanEvent], None]) -> None:
        if self._thread is not None:
            raise RuntimeError("already started")
        self._on_scan = on_scan
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._supervise, name=f"scanner:{self.config.port}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _supervise(self) -> None:
        delay = self.config.backoff_initial
        while not self._stop.is_set():
            try:
                port = self._opener(self.config)
            except (serial.SerialException, OSError, ValueError) as exc:
                self._on_status(f"unavailable: {exc}")
                self._stop.wait(delay)
                delay = min(delay * 2, self.config.backoff_max)
                continue
            delay = self.config.backoff_initial
            self.connected.set()
            self._on_status("connected")
            try:
                self._read_loop(port)
            except (serial.SerialException, OSError) as exc:
                log.warning("scanner %s disconnected: %s", self.config.port, exc)
                self._on_status(f"disconnected: {exc}")
            finally:
                self.connected.clear()
                with contextlib.suppress(serial.SerialException, OSError):
                    port.close()
            if not self._stop.is_set():
                self._stop.wait(delay)

    def _read_loop(self, port: SerialPortLike) -> None:
        splitter = FrameSplitter(self.config.suffix)
        last_byte = self._clock()
        while not self._stop.is_set():
            chunk = port.read(max(1, port.in_waiting))
            now = self._clock()
            if chunk:
                last_byte = now
                codes = splitter.feed(chunk)
            elif now - last_byte >= self.config.idle_timeout:
                codes = splitter.idle()
            else:
                codes = []
            for code in codes:
                self._on_scan(ScanEvent(code, ScanOrigin.SERIAL, now))
