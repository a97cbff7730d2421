"""Command line: ``pos-app`` (the till, demo mode by default), ``pos-app simulator``,
``pos-app alipay-simulator``, ``pos-app hub`` (the store hub), and the
set-up commands ``pos-app add-user`` / ``pos-app import-products`` (see admin_cli)."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "simulator":
        from pos_app.simulator.server import main as simulator_main

        return simulator_main(args[1:])
    if args and args[0] == "hub":
        from pos_app.hub.server import main as hub_main

        return hub_main(args[1:])
    if args and args[0] == "alipay-simulator":
        from pos_app.simulator.alipay.server import main as alipay_simulator_main

        return alipay_simulator_main(args[1:])
    if any(a in ("add-user", "import-products", "backup", "list-backups", "restore")
           for a in args):
        from pos_app.admin_cli import main as admin_main

        return admin_main(args)
    # The till: no cyclic garbage collection while it starts (thousands of short-lived
    # objects per import, next to no cycles); run() turns it back on once ready.
    gc.disable()
    parser = argparse.ArgumentParser(prog="pos-app", description="WeChat Pay cashier")
    parser.add_argument("--config", help="app config file (TOML); without it: the merchant "
                        "configs saved in Settings (F11), else demo mode")
    parser.add_argument("--data-dir", help="where the database and logs live")
    parser.add_argument("--demo", action="store_true", help="force demo mode (embedded simulator)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="UI language")
    parser.add_argument("--smoke-test", nargs="?", const="main", choices=["main", "signin"],
                        help="start, render the sale screen (or the sign-in screen), exit 0")
    parser.add_argument("--screenshot", help="save a PNG of the main window and exit")
    ns = parser.parse_args(args)
    from pos_app.app import run

    rc = run(ns)
    if argv is None:  # the program itself (not a caller in this process): leave at once
        _exit_now(rc)
    return rc


def _exit_now(rc: int) -> None:
    """End the till's process without the interpreter's teardown (finalizing a few hundred
    modules and objects: 0.1–0.3 s after the window has gone). run() has already drained
    the payment lane, closed the database and stopped the simulator; the log handlers and
    standard streams are flushed here. (issue 13)"""
    import contextlib
    import logging
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed or gone: nothing to flush
            stream.flush()
    os._exit(rc)
