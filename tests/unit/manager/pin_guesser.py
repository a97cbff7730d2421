"""A process guessing one user's PIN from several threads (for the lockout race test).
Every PIN actually checked (a scrypt verification) is counted in a shared counter."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from pos_app.manager import pins
from pos_app.storage.db import Database
from pos_app.storage.staff import UserRepository


def guess(db_path: str, checked: Any, start: Any, threads: int, tries: int) -> None:
    real = pins.verify_pin

    def counting(pin: str, stored: str, *pepper: Any) -> bool:
        with checked.get_lock():
            checked.value += 1
        return real(pin, stored, *pepper)

    pins.verify_pin = counting      # this process only
    db = Database(Path(db_path))
    auth = pins.PinAuthenticator(UserRepository(db))
    start.wait()

    def one(offset: int) -> None:
        for i in range(tries):
            with contextlib.suppress(pins.AuthError):
                auth.authenticate("amy", f"{9000 + offset * 100 + i:04d}")

    workers = [threading.Thread(target=one, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    db.close()
