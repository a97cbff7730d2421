"""Qt enum values for the sign-in screen, as ints set through Qt properties (issue 13).

The first read of any attribute of ``PySide6.QtCore.Qt`` builds that whole namespace:
about 95 Python enums, ~15 ms of CPU — a tenth of a bare Qt window's whole start. The
sign-in screen is shown before that is paid (the scanners and the sale screen pay it
later), so it names no ``Qt.…``: it sets these few values by property name (Qt converts
the int to the enum), and the PIN field's input-method switch waits until the field is
enabled. tests/unit/test_startup_imports.py checks each value against Qt, and that the
namespace is still unbuilt when the sign-in window is up.
"""

from __future__ import annotations

ALIGN_CENTER = 0x0084  # Qt.AlignmentFlag.AlignCenter (AlignHCenter | AlignVCenter)
NO_FOCUS = 0           # Qt.FocusPolicy.NoFocus
