"""F11 on the sale screen: settings are manager-only (a cashier needs a manager's PIN on
the spot); a saved change is applied to the scanners and printer and written to disk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from pos_app.devices.scanner.ports import available_ports
from pos_app.domain.staff import Permission
from pos_app.manager.pins import session_may
from pos_app.ui.manager.manager_override import ask_approval
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.settings_model import save_settings

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow

translate = QCoreApplication.translate


def open_settings(win: MainWindow) -> None:
    if session_may(win.session.role, Permission.SETTINGS):
        _show_settings(win)
    elif win.manager_menu is None:
        win.show_error(translate("MainWindow", "Settings are for managers: sign in as a manager"))
    else:
        ask_approval(win.manager_menu.ctx, Permission.SETTINGS,
                     translate("MainWindow", "Open settings"), win,
                     lambda _approver, _pin: _show_settings(win))


def _show_settings(win: MainWindow) -> None:
    dlg = SettingsDialog(win.settings, win.hub, win.worker,
                         win.services.check_merchant_config, available_ports, win,
                         check_alipay_config=win.services.check_alipay_config)
    win.settings_dialog = dlg

    def finished(_r: int) -> None:
        win.settings_dialog = None
        new = dlg.result_settings
        if new is None:
            win.hub.apply(win.settings.scanner)
            return
        merchant_changed = (new.merchant_config_path != win.settings.merchant_config_path
                            or new.alipay_config_path != win.settings.alipay_config_path)
        win.apply_settings(new)
        win.hub.apply(new.scanner)
        path = win.services.settings_path
        if path is not None:
            win.worker.run(lambda: save_settings(path, new), None,
                           lambda e: win.show_error(str(e)))
        if merchant_changed:
            win.show_info(translate("MainWindow",
                                    "Merchant config saved: restart the till to use it"))

    dlg.finished.connect(finished)
    dlg.open()
