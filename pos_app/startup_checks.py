"""Start-up checks before any window or database (Qt-free; app layer).

Every failure here is a :class:`StartupFailure` carrying a
:class:`~pos_app.domain.text.Message`: ``app.py`` prints it as one line on stderr (and
shows it in a dialog when there is a display) instead of a traceback.

* :func:`take_data_dir` — create the data folder and take its instance lock (one data
  folder, one running till; held until the process ends).
* :func:`start_logging` — the log folder must be creatable and writable.
* :func:`check_writable` — live mode: the data folder and database take writes, or the
  till does not open sales.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pos_app.domain.text import Message
from pos_app.logs import setup_logging
from pos_app.storage.checks import CannotWriteError, check_database_writable, ensure_writable_dir
from pos_app.storage.lock import InstanceLock, InstanceLockedError

log = logging.getLogger("pos_app")


class StartupFailure(Exception):
    """The till cannot start; :attr:`message` is for the user."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def take_data_dir(data_dir: Path) -> InstanceLock:
    """Create ``data_dir`` and lock it for this process (released by the OS at exit)."""
    try:
        return InstanceLock(data_dir).acquire()
    except InstanceLockedError as exc:
        raise StartupFailure(exc.message) from exc


def start_logging(data_dir: Path, *, level: int = logging.INFO) -> None:
    """stderr + a rotating file in ``<data_dir>/logs`` (both redacting secrets)."""
    logs = data_dir / "logs"
    try:
        ensure_writable_dir(logs)
        setup_logging(logs, level=level)
    except CannotWriteError as exc:
        setup_logging(None, level=level)
        raise StartupFailure(exc.message) from exc
    except OSError as exc:            # the log file itself (e.g. a folder in its place)
        setup_logging(None, level=level)
        from pos_app.domain.text import msg
        from pos_app.storage.checks import CheckText

        raise StartupFailure(msg(CheckText.FOLDER_UNWRITABLE, folder=str(logs),
                                 reason=exc.strerror or str(exc))) from exc
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry full URLs


def check_writable(db_path: Path) -> None:
    """The database and its folder take writes (else sales must not open)."""
    try:
        check_database_writable(db_path)
    except CannotWriteError as exc:
        raise StartupFailure(exc.message) from exc


def one_line(message: Message, lang: str | None = None) -> str:
    """The message in ``lang`` (default: the locale's), on one line, for stderr."""
    from pos_app.admin_cli import locale_language
    from pos_app.ui import plain_text

    text = plain_text.render(message, lang or locale_language())
    return " ".join(text.split())


def report(message: Message, lang: str | None = None) -> str:
    """Log and print the one line; returns it (the caller may also show a dialog)."""
    line = one_line(message, lang)
    log.error("cannot start: %s", message)
    if sys.stderr:
        print(f"pos-app: {line}", file=sys.stderr)
    return line


def has_display() -> bool:
    """Is there a screen a dialog would reach (not offscreen/minimal Qt, not a bare tty)?"""
    import os

    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return False
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
