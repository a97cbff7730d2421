"""Thread → UI hand-off.

:class:`Bridge` is a QObject living on the main thread with one ``posted = Signal(object)``.
Anything may call :meth:`Bridge.post` from any thread; Qt queues the emission and
runs the connected slot on the main thread (AutoConnection across threads).
:meth:`Bridge.call_soon` posts a closure the same way.

:class:`Worker` runs blocking work (SQLite, HTTP, serial, printing) on one
background thread and delivers the result or the exception back on the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:
    from pos_app.payments.api import PaymentEvent

log = logging.getLogger("pos_app.ui")

T = TypeVar("T")


class Bridge(QObject):
    """Emit from any thread; receive on the main thread."""

    posted = Signal(object)
    _closure = Signal(object)        # from other threads: queued by Qt (AutoConnection)
    _closure_later = Signal(object)  # from the bridge's own thread: queued explicitly

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._home = threading.get_ident()
        self._closure.connect(self._run_closure)
        # Connected with the first call from the bridge's own thread: naming
        # Qt.ConnectionType builds the whole ``Qt`` enum namespace (~95 Python enums,
        # ~15 ms), which the sign-in screen does without (issue 13).
        self._later_connected = False

    def post(self, payload: object) -> None:
        """Deliver ``payload`` to ``posted`` subscribers on the main thread."""
        self.posted.emit(payload)

    def call_soon(self, fn: Callable[[], Any]) -> None:
        """Run ``fn()`` on the main thread (always queued, even from the main thread).
        Both signals post to the same event queue, so calls run in the order made."""
        if threading.get_ident() != self._home:
            self._closure.emit(fn)  # another thread: AutoConnection queues it
            return
        if not self._later_connected:
            from PySide6.QtCore import Qt

            self._closure_later.connect(self._run_closure, Qt.ConnectionType.QueuedConnection)
            self._later_connected = True
        self._closure_later.emit(fn)

    @Slot(object)
    def _run_closure(self, fn: Callable[[], Any]) -> None:
        fn()


class Worker:
    """One background thread for blocking calls; results come back via the bridge."""

    def __init__(self, bridge: Bridge, name: str = "ui-io", threads: int = 1) -> None:
        self._bridge = bridge
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._closed = False
        self.busy = threading.Event()

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        """Call ``fn`` off the UI thread; ``on_done(result)`` / ``on_error(exc)`` on it."""
        if self._closed:  # shutting down: late requests are dropped
            dropped: Future[T] = Future()
            dropped.cancel()
            return dropped
        future = self._pool.submit(fn)

        def alive(callback: Callable[..., None]) -> bool:
            # a window closed while its work ran: the answer has nobody left to show it to
            owner = getattr(callback, "__self__", None)
            return not isinstance(owner, QObject) or shiboken6.isValid(owner)

        def finished(f: Future[T]) -> None:
            if f.cancelled():
                return
            exc = f.exception()
            if exc is not None:
                if on_error is not None:
                    self._bridge.call_soon(lambda: alive(on_error) and on_error(exc))
                else:
                    log.error("background task failed", exc_info=exc)
            elif on_done is not None:
                result = f.result()
                self._bridge.call_soon(lambda: alive(on_done) and on_done(result))

        future.add_done_callback(finished)
        return future

    def call_soon(self, fn: Callable[[], None]) -> None:
        """Run ``fn()`` on the UI thread (from any thread, e.g. a service's subscriber
        callback); dropped once the worker is shut down or ``fn``'s widget is gone."""
        if self._closed:
            return
        owner = getattr(fn, "__self__", None)

        def run() -> None:
            if not isinstance(owner, QObject) or shiboken6.isValid(owner):
                fn()
        self._bridge.call_soon(run)

    def spawn(self, name: str, threads: int = 1) -> Worker:
        """Another worker delivering through the same bridge (for long waits that must
        not hold up this one's queue)."""
        return Worker(self._bridge, name, threads)

    def shutdown(self, wait: bool = False) -> None:
        if not self._closed:
            self._closed = True
            self._pool.shutdown(wait=wait, cancel_futures=True)


def payment_sink(bridge: Bridge) -> Callable[[PaymentEvent], None]:
    """The :meth:`Till.subscribe` callback: runs on the payment lane, renders a Native
    QR there (off the UI thread), then hands the event to the UI thread."""
    def sink(ev: PaymentEvent) -> None:
        # qrcode + Pillow load with the first payment event, not before the first window
        from pos_app.devices.receipt import receipt_order_no
        from pos_app.domain.payment import AttemptState
        from pos_app.ui.qr_widget import prerender

        qr = ev.code_url if ev.code_url and not ev.state.terminal else ""
        if ev.state is AttemptState.PAID:
            qr = receipt_order_no(ev.order_id)  # the receipt dialog shows it as a QR
        if qr:
            try:
                prerender(qr)
            except Exception:  # the UI renders it itself then
                log.exception("QR prerender failed")
        bridge.post(ev)

    return sink
