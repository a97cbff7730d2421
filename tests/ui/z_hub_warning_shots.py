"""The Z report's hub warning, shot like the walkthrough (Xvfb + openbox, the real window
maximised, keys typed): a manager closes the shift (Shift+F2, counted cash, Enter) while
changes have not reached a reachable hub: the warning, then Enter: waiting with progress.
Not part of the fast suite.

    .venv/bin/python tests/ui/z_hub_warning_shots.py [--out docs/screenshots/hub]
        [--sizes 1024x768,1280x800] [--langs zh_CN,en]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.ui.demo_stack import Keys, build_demo_stack, shots_main  # noqa: E402


def child(size: str, lang: str, out: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from pos_app.hub.link import HubService
    from pos_app.hub.sender import HubSender, SyncStatus
    from pos_app.ui.hub_panel import install_hub
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.manager.shift_dialog import ShiftDialog
    from pos_app.ui.services import Session
    from pos_app.ui.style import apply_style
    from tests.ui.manager.gated_hub import GatedHub

    app = QApplication([])
    keep = install_translator(app, lang)  # noqa: F841
    apply_style(app)
    kb = Keys(out, f"{size}_{lang}")
    stack = build_demo_stack(app, prefix="pos_zhubshots_")
    hub = HubService(stack.db, "01")
    gated = GatedHub(stack.tmp / "hub")
    hub.outbox.enable("01")
    hub.sender = HubSender(hub.outbox, gated, local_till="01", hub_till=gated.till_id,
                           interval_s=0.2, backoff_s=(0.2,))
    hub.sender.cycle()                       # the hub holds everything so far …
    gated.gate.clear()                       # … and is slow from now on
    hub.sender.start()
    win = MainWindow(stack.services, Session("李经理", "manager"), stack.bridge, stack.worker,
                     stack.hub, stack.settings)
    install_hub(win, hub, stack.worker, "李经理", "manager")
    win.present()
    win.recovery_done([])
    kb.wait(lambda: win.quick_grid.count() > 0)
    kb.open_shift(win)
    # the badge as the sender publishes it at the end of a cycle (this one is still uploading)
    hub._status(SyncStatus("ok", hub.outbox.state().unsent))
    kb.key(Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    menu = win.manager_menu
    assert menu is not None
    kb.wait(lambda: isinstance(menu.dialog, ShiftDialog) and menu.dialog.shift is not None)
    dlg = menu.dialog
    assert isinstance(dlg, ShiftDialog)
    kb.activate(dlg)
    dlg.counted_edit.setFocus()              # (a click in the counted-cash field)
    kb.type_text("200")
    kb.key(Qt.Key.Key_Return)
    kb.wait(lambda: dlg.hub_warning is not None and dlg.hub_warning.isVisible())
    warning = dlg.hub_warning
    assert warning is not None
    kb.activate(warning)
    kb.shot("03_z_hub_warning")
    kb.key(Qt.Key.Key_Return)                # wait for the sync
    kb.wait(lambda: warning.progress.isVisible() and warning.unsent > 0
            and "%" not in warning.state_label.text() and warning.state_label.text() != "")
    kb.pump(0.6)
    kb.shot("04_z_hub_waiting")
    gated.gate.set()                         # the hub takes them: on to the manager's PIN
    kb.wait(lambda: dlg.override is not None and dlg.override.isVisible())
    assert dlg.override is not None
    kb.activate(dlg.override)
    kb.key(Qt.Key.Key_Escape)
    kb.activate(dlg)
    kb.key(Qt.Key.Key_Escape)
    QApplication.processEvents()
    hub.sender.stop()
    win.close()
    stack.close()
    return 0


def main() -> int:
    return shots_main(__file__, ROOT / "docs" / "screenshots" / "hub", child)


if __name__ == "__main__":
    sys.exit(main())
