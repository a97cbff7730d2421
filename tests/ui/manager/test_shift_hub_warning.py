"""The Z report warns while changes have not reached the store hub and the hub can take them
(issue 14): keys on the real shift dialog, the real warning and PIN dialogs, the till's real
outbox and sender, the hub's real store (SQLite, in-process, behind a gate the test opens).

Enter waits (progress, off the UI thread) and the close goes on once nothing is unsent; Esc
cancels the wait with nothing closed; F8 closes anyway and the close is audited. No warning
when the hub is offline or the till is not enrolled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pos_app.hub.link import HubService
from pos_app.hub.sender import HubSender
from pos_app.manager.reports import ReportKind
from pos_app.storage.audit import AuditLog
from pos_app.ui.manager.hub_sync_warning import ZSyncDialog
from pos_app.ui.manager.shift_dialog import ShiftDialog

from .conftest import CASHIER, MANAGER, MANAGER_PIN
from .gated_hub import GatedHub

pytestmark = pytest.mark.gui


@pytest.fixture
def linked(world: Any, tmp_path: Path) -> Iterator[tuple[HubService, GatedHub]]:
    """The till enrolled at a reachable hub that holds everything so far."""
    hub = HubService(world.stack.db, "01")
    gated = GatedHub(tmp_path / "hub")
    hub.outbox.enable("01")
    hub.sender = HubSender(hub.outbox, gated, local_till="01", hub_till=gated.till_id,
                           interval_s=0.05, backoff_s=(0.05,), pull_every_s=0.2)
    assert hub.sender.cycle() and hub.sender.status.state == "ok"
    assert hub.outbox.state().unsent == 0
    yield hub, gated
    gated.gate.set()
    hub.sender.stop()
    gated.store.engine.dispose()


def shift_dialog(qtbot: Any, world: Any, hub: HubService | None) -> ShiftDialog:
    world.services.shifts.open(CASHIER.name, 10000)
    ctx = world.make_ctx(MANAGER)
    ctx.hub = hub
    dlg = ShiftDialog(ctx)
    qtbot.addWidget(dlg)
    with qtbot.waitActive(dlg):
        dlg.show()
        dlg.activateWindow()
    qtbot.waitUntil(lambda: dlg.shift is not None, timeout=5000)   # the open shift shown
    return dlg


def type_counted(dlg: ShiftDialog, text: str) -> None:
    dlg.counted_edit.setFocus()
    QTest.keyClicks(dlg.counted_edit, text)
    QTest.keyClick(dlg.counted_edit, Qt.Key.Key_Return)


def approve_with_pin(qtbot: Any, dlg: ShiftDialog) -> None:
    qtbot.waitUntil(lambda: dlg.override is not None
                    and dlg.override.approve_button.isEnabled(), timeout=5000)
    override = dlg.override
    assert override is not None and override.self_approve
    override.pin_edit.setFocus()
    QTest.keyClicks(override.pin_edit, MANAGER_PIN)
    QTest.keyClick(override.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.report is not None and dlg.report.kind is ReportKind.Z,
                    timeout=5000)


def warned(qtbot: Any, dlg: ShiftDialog) -> ZSyncDialog:
    qtbot.waitUntil(lambda: dlg.hub_warning is not None and dlg.hub_warning.isVisible(),
                    timeout=5000)
    warning = dlg.hub_warning
    assert warning is not None and dlg.override is None     # no PIN asked yet
    return warning


def test_enter_waits_for_the_sync_then_the_z_goes_on(qtbot, world, linked):  # type: ignore[no-untyped-def]
    hub, gated = linked
    gated.gate.clear()                         # the hub is slow: nothing gets through yet
    hub.sender.start()
    dlg = shift_dialog(qtbot, world, hub)      # opening a shift is a change too
    world.sell(("COKE330", 1), cash=500)
    unsent = hub.outbox.state().unsent
    assert unsent > 0
    type_counted(dlg, "103")
    warning = warned(qtbot, dlg)
    assert warning.headline.text() == f"{unsent} changes not yet sent to the hub"
    assert not warning.progress.isVisible()
    QTest.keyClick(warning, Qt.Key.Key_Return)              # Enter: wait for the sync
    qtbot.waitUntil(lambda: "left" in warning.state_label.text(), timeout=5000)
    assert warning.progress.isVisible() and warning.waiting
    assert world.services.shifts.current() is not None      # nothing closed while waiting
    gated.gate.set()                                         # the hub takes them
    qtbot.waitUntil(lambda: dlg.hub_warning is None, timeout=10000)
    assert hub.outbox.state().unsent == 0
    approve_with_pin(qtbot, dlg)
    assert world.services.shifts.current() is None
    assert AuditLog(world.stack.db).entries("shift.close_before_hub_sync") == []


def test_esc_cancels_the_wait_and_closes_nothing(qtbot, world, linked):  # type: ignore[no-untyped-def]
    hub, gated = linked
    gated.gate.clear()
    hub.sender.start()
    dlg = shift_dialog(qtbot, world, hub)
    type_counted(dlg, "100")
    warning = warned(qtbot, dlg)
    QTest.keyClick(warning, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "left" in warning.state_label.text(), timeout=5000)
    QTest.keyClick(warning, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dlg.hub_warning is None, timeout=5000)
    assert not warning.timer.isActive() and not warning.waiting
    qtbot.wait(300)
    assert dlg.override is None and world.services.shifts.current() is not None
    assert dlg.close_button.isEnabled()


def test_f8_closes_anyway_and_the_close_is_audited(qtbot, world, linked):  # type: ignore[no-untyped-def]
    hub, gated = linked
    gated.gate.clear()
    hub.sender.start()
    dlg = shift_dialog(qtbot, world, hub)
    unsent = hub.outbox.state().unsent
    type_counted(dlg, "100")
    warning = warned(qtbot, dlg)
    QTest.keyClick(warning, Qt.Key.Key_F8)                  # close anyway
    qtbot.waitUntil(lambda: dlg.hub_warning is None, timeout=5000)
    approve_with_pin(qtbot, dlg)
    assert world.services.shifts.current() is None
    [entry] = AuditLog(world.stack.db).entries("shift.close_before_hub_sync")
    assert entry.detail["unsent"] == unsent and entry.detail["approved_by"] == MANAGER.name


def test_no_warning_with_the_hub_offline(qtbot, world, linked):  # type: ignore[no-untyped-def]
    hub, gated = linked
    gated.down = True
    world.sell(("COKE330", 1), cash=500)
    assert hub.sender is not None
    hub.sender.cycle()
    assert hub.sender.status.state == "offline" and hub.outbox.state().unsent > 0
    dlg = shift_dialog(qtbot, world, hub)
    type_counted(dlg, "103")
    approve_with_pin(qtbot, dlg)                            # straight to the PIN, and closed
    assert dlg.hub_warning is None and world.services.shifts.current() is None


def test_no_warning_on_a_till_not_enrolled(qtbot, world):  # type: ignore[no-untyped-def]
    hub = HubService(world.stack.db, "01")                  # not enrolled: no sender
    world.sell(("COKE330", 1), cash=500)
    dlg = shift_dialog(qtbot, world, hub)
    type_counted(dlg, "103")
    approve_with_pin(qtbot, dlg)
    assert dlg.hub_warning is None and world.services.shifts.current() is None


def test_the_sale_screens_shift_key_warns_once_the_hub_link_is_installed(  # type: ignore[no-untyped-def]
        qtbot, stack, world, linked):
    from dataclasses import replace

    from pos_app.ui.bridge import Bridge, Worker
    from pos_app.ui.hub_panel import install_hub
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.scanners import ScannerHub
    from pos_app.ui.settings_model import AppSettings

    hub, gated = linked
    gated.gate.clear()
    hub.sender.start()
    world.services.shifts.open(CASHIER.name, 10000)
    bridge = Bridge()
    worker = Worker(bridge)
    win = MainWindow(replace(stack.services, manager=world.services,
                             staff=world.make_ctx(MANAGER).accounts),
                     MANAGER, bridge, worker, ScannerHub(bridge), AppSettings())
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    win.recovery_done([])
    install_hub(win, hub, worker, MANAGER.name, MANAGER.role)
    QTest.keyClick(win, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    menu = win.manager_menu
    assert menu is not None
    qtbot.waitUntil(lambda: isinstance(menu.dialog, ShiftDialog)
                    and menu.dialog.shift is not None, timeout=5000)
    dlg = menu.dialog
    assert isinstance(dlg, ShiftDialog)
    type_counted(dlg, "100")
    warning = warned(qtbot, dlg)
    QTest.keyClick(warning, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dlg.hub_warning is None, timeout=5000)
    dlg.reject()
    win.close()
    worker.shutdown(wait=True)
