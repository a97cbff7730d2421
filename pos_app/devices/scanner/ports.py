"""Serial ports present on this machine (for the settings dialog)."""

from __future__ import annotations

from serial.tools import list_ports


def available_ports() -> list[tuple[str, str]]:
    """``(device, description)`` for every port the OS enumerates."""
    return [(p.device, p.description or "") for p in sorted(list_ports.comports())]
