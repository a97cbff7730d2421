"""Printer, receipt header, drawer and display settings: validated (a clear message, the
file round-trips), older settings files without them still load."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from pos_app.ui.settings_model import (
    AppSettings,
    DisplaySettings,
    DrawerSettings,
    PrinterSettings,
    ReceiptSettings,
    parse_settings,
    read_settings,
    save_settings,
)


@pytest.mark.parametrize(("settings", "says"), [
    (AppSettings(printer=PrinterSettings(kind="network")), "address"),
    (AppSettings(printer=PrinterSettings(kind="network", host="192.168.1.87 x")), "address"),
    (AppSettings(printer=PrinterSettings(kind="network", host="p", port=0)), "1–65535"),
    (AppSettings(printer=PrinterSettings(kind="usb")), "network"),
    (AppSettings(receipt=ReceiptSettings(address="line one\nline two")), "one line"),
    (AppSettings(receipt=ReceiptSettings(phone="1" * 121)), "120"),
    (AppSettings(drawer=DrawerSettings(enabled=True, pin=3)), "2 or 5"),
    (AppSettings(display=DisplaySettings(screen=" ")), "screen"),
])
def test_bad_device_settings_are_refused_with_a_message(settings, says):
    with pytest.raises(ValueError, match=says):
        settings.validate()


def test_a_network_printer_needs_no_port_or_file_and_round_trips(tmp_path):
    s = AppSettings(printer=PrinterSettings(kind="network", host="192.168.1.87", port=9100),
                    receipt=ReceiptSettings("演示便利店", "建国路88号", "010-1"),
                    drawer=DrawerSettings(enabled=True, pin=5),
                    display=DisplaySettings(screen="HDMI-2"))
    s.validate()
    path = tmp_path / "settings.json"
    save_settings(path, s)
    assert read_settings(path) == (s, None)


def test_an_older_settings_file_loads_with_the_defaults():
    old = {"printer": {"kind": "file", "target": "/tmp/r.bin"}}
    s = parse_settings(json.loads(json.dumps(old)))
    assert s.printer == replace(PrinterSettings(kind="file", target="/tmp/r.bin"))
    assert (s.receipt, s.drawer, s.display) == (
        ReceiptSettings(), DrawerSettings(enabled=False, pin=2), DisplaySettings("auto"))
