"""The store hub on the sale screen, shot like the walkthrough (Xvfb + openbox, the real
window maximised, keys typed): the status badge (offline, unsent rows, open flags) among
the other badges, and the Hub dialog a manager opens with Shift+F11. Not part of the fast
suite.

    .venv/bin/python tests/ui/hub_shots.py [--out docs/screenshots/hub]
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
    from pos_app.hub.sender import SyncStatus
    from pos_app.storage.outbox import HubFlag
    from pos_app.ui.hub_panel import install_hub
    from pos_app.ui.i18n import install_translator
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.services import Session
    from pos_app.ui.style import apply_style

    app = QApplication([])
    keep = install_translator(app, lang)  # noqa: F841
    apply_style(app)
    kb = Keys(out, f"{size}_{lang}")
    stack = build_demo_stack(app, prefix="pos_hubshots_")
    hub = HubService(stack.db, "01")
    hub.outbox.add_flags(2, [
        HubFlag(1, "amount_mismatch", "T1", "17", "N20261202000017", 1250,
                "amount differs from the order", "2026-12-02T10:00:00+00:00", None),
        HubFlag(2, "late_payment", "T1", "18", "N20261202000018", 500,
                "paid after the till closed the order", "2026-12-02T10:05:00+00:00", None)])
    win = MainWindow(stack.services, Session("李经理", "manager"), stack.bridge, stack.worker,
                     stack.hub, stack.settings)
    badge = install_hub(win, hub, stack.worker, "李经理", "manager")
    win.present()
    win.recovery_done([])
    kb.wait(lambda: win.quick_grid.count() > 0)
    kb.open_shift(win)
    hub._status(SyncStatus("offline", 3, 2))       # as the sender thread publishes it
    kb.wait(lambda: "3" in badge.label.text())
    kb.shot("01_hub_badge")
    kb.key(Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    kb.wait(lambda: getattr(win, "hub_dialog", None) is not None
            and win.hub_dialog.flag_list.count() == 2)
    kb.activate(win.hub_dialog)
    kb.shot("02_hub_dialog")
    kb.key(Qt.Key.Key_Escape)
    QApplication.processEvents()
    win.close()
    stack.close()
    return 0


def main() -> int:
    return shots_main(__file__, ROOT / "docs" / "screenshots" / "hub", child)


if __name__ == "__main__":
    sys.exit(main())
