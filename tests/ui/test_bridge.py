"""Bridge/Worker: results of background calls come back on the UI thread."""

from __future__ import annotations

import threading

import pytest

from pos_app.ui.bridge import Bridge, Worker

pytestmark = pytest.mark.gui


def test_post_from_another_thread_is_delivered_on_the_main_thread(qtbot):
    bridge = Bridge()
    got: list[tuple[object, bool]] = []
    bridge.posted.connect(lambda p: got.append((p, threading.current_thread() is
                                                threading.main_thread())))
    t = threading.Thread(target=lambda: bridge.post("hello"))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: got == [("hello", True)], timeout=2000)


def test_worker_result_and_error_come_back_on_the_ui_thread(qtbot):
    worker = Worker(Bridge())
    results: list[object] = []
    main = threading.main_thread()

    def off_ui() -> str:
        assert threading.current_thread() is not main
        return "done"

    worker.run(off_ui, lambda r: results.append((r, threading.current_thread() is main)))
    worker.run(lambda: 1 / 0, None,
               lambda e: results.append((type(e).__name__, threading.current_thread() is main)))
    qtbot.waitUntil(lambda: len(results) == 2, timeout=2000)
    assert results == [("done", True), ("ZeroDivisionError", True)]
    worker.shutdown(wait=True)
    assert worker.run(lambda: 1).cancelled()   # after shutdown: dropped, no exception


def test_an_answer_for_a_closed_widget_is_dropped(qtbot):
    """The main window closed while the quick keys loaded (CI, stop 8): the answer must
    not reach the deleted widget's layout."""
    import shiboken6

    from pos_app.ui.product_entry import QuickKeys
    bridge = Bridge()
    worker = Worker(bridge)
    keys = QuickKeys()
    gate = threading.Event()
    worker.run(lambda: (gate.wait(5), [])[1], keys.show_products)
    shiboken6.delete(keys)
    gate.set()
    done: list[int] = []
    worker.run(lambda: 1, done.append)
    qtbot.waitUntil(lambda: done == [1], timeout=2000)   # the first answer ran before it
    worker.shutdown(wait=True)


def test_call_soon_is_queued_from_any_thread_and_keeps_the_order(qtbot):
    """From the UI thread too, ``call_soon`` runs the closure later, never inside the
    call; closures from the UI thread and another thread run in the order posted."""
    bridge = Bridge()
    ran: list[tuple[str, bool]] = []

    def note(name: str) -> None:
        ran.append((name, threading.current_thread() is threading.main_thread()))

    bridge.call_soon(lambda: note("ui 1"))
    assert ran == []  # queued, not run inside call_soon
    t = threading.Thread(target=lambda: bridge.call_soon(lambda: note("thread")))
    t.start()
    t.join()
    bridge.call_soon(lambda: note("ui 2"))
    assert ran == []
    qtbot.waitUntil(lambda: len(ran) == 3, timeout=2000)
    assert ran == [("ui 1", True), ("thread", True), ("ui 2", True)]
