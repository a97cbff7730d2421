"""Qt-free set-up commands for a real shop: staff accounts and the product catalogue.

``pos-app add-user NAME --role manager`` — the first account of a new database may be
created without approval (it must be an admin, so someone can manage staff); later
accounts need ``--approver`` with that person's PIN.
``pos-app backup --to DIR`` / ``pos-app list-backups --from DIR`` / ``pos-app restore FILE``
— verified backups of the till database and their restore (:mod:`pos_app.storage.backup`).
``pos-app import-products FILE.csv`` — columns ``sku,barcode,name,price`` (price in 元,
e.g. ``3.50``), UTF-8 or GB18030/GBK (Excel's Chinese default; the encoding used is said).
Every row is checked first and every problem reported with its line and column; one bad
row and nothing is written (the import is one transaction).

Refusals are message keys rendered in ``--lang`` (``en`` / ``zh_CN``; default from the
locale, ``LANG`` & co.) through the UI's catalogs, without Qt (:mod:`pos_app.ui.plain_text`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from pos_app.domain.pin_hash import Peppers
from pos_app.domain.staff import Permission, Role
from pos_app.domain.text import Message, msg
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.pins import Approval, PinAuthenticator, StaffAdmin
from pos_app.storage.backup import (
    DEFAULT_KEEP,
    BackupError,
    BackupText,
    backup_now,
    list_backups,
    restore,
)
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import DB_FILENAME, Database
from pos_app.storage.errors import StorageError
from pos_app.storage.lock import InstanceLockedError
from pos_app.storage.pepper import load_pepper, load_shop_pepper
from pos_app.storage.product_csv import ImportText, read_product_csv
from pos_app.storage.staff import UserRepository
from pos_app.ui import plain_text

ReadPin = Callable[[str], str]


def live_database(data_dir: str | None) -> Database:
    """The live-mode database (the same file the till opens with ``--data-dir``)."""
    base = Path(data_dir) if data_dir else Path(platformdirs.user_data_dir("pos_app"))
    return Database(base / "pos_app.sqlite3")      # creates the directory owner-only


def _read_pin_from_terminal(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def add_user(
    db: Database, name: str, role: Role, *, approver: str | None, read_pin: ReadPin
) -> str:
    """Create a staff account; returns a confirmation line. Raises ManagerError."""
    users = UserRepository(db)
    auth = PinAuthenticator(users, pepper=Peppers(local=load_pepper(db.path),
                                                  shop=load_shop_pepper(db.path)))
    if not users.list_users():
        if role is not Role.ADMIN:
            raise ManagerError(msg(ManagerText.STAFF_FIRST_MUST_BE_ADMIN))
        approval = Approval("first-run set-up", Role.ADMIN, Permission.MANAGE_USERS,
                            datetime.now(UTC))
    elif not approver:
        raise ManagerError(msg(ManagerText.STAFF_NEEDS_APPROVER))
    else:
        approval = auth.authorize(approver, read_pin(f"PIN of {approver}: "),
                                  Permission.MANAGE_USERS)
    pin = read_pin(f"PIN for {name}: ")
    if read_pin("Repeat the PIN: ") != pin:
        raise ManagerError(msg(ManagerText.STAFF_PINS_DIFFER))
    StaffAdmin(users, auth).add_user(approval, name, role, pin)
    return f"created {role.value} {name.strip()}"


def import_products(db: Database, path: Path, lang: str) -> tuple[int, list[str]]:
    """Check every row of ``path``, then write all of it in one transaction or nothing.
    Returns (exit code, lines to print): problems (one per bad row and column) go to
    stderr, the summary to stdout."""
    found = read_product_csv(path)
    notes: list[Message] = []
    if found.encoding != "utf-8":
        notes.append(msg(ImportText.READ_AS, encoding=found.encoding.upper()))
    problems = list(found.problems)
    if not problems:
        conflicts = ProductRepository(db).import_products(found.products)
        problems = [msg(ImportText.BARCODE_IN_USE, line=found.lines[i], column="barcode",
                        value=found.products[i].barcode, sku=sku) for i, sku in conflicts]
    if problems:
        lines = [plain_text.render(m, lang) for m in (*notes, *problems)]
        lines.append(plain_text.render(msg(ImportText.NOTHING_WRITTEN,
                                           problems=len(problems)), lang))
        return 2, lines
    notes.append(msg(ImportText.IMPORTED, count=len(found.products)))
    return 0, [plain_text.render(m, lang) for m in notes]


def data_folder(data_dir: str | None) -> Path:
    return Path(data_dir) if data_dir else Path(platformdirs.user_data_dir("pos_app"))


def backup_command(ns: argparse.Namespace, lang: str) -> int:
    """``backup`` / ``list-backups`` / ``restore`` (see :mod:`pos_app.storage.backup`)."""
    folder = data_folder(ns.data_dir)
    db_path = folder / DB_FILENAME
    try:
        if ns.command == "backup":
            if ns.keep < 1:
                print("error: --keep must be at least 1", file=sys.stderr)
                return 2
            result = backup_now(db_path, ns.to, keep=ns.keep)
            print(plain_text.render(msg(BackupText.DONE, path=str(result.path)), lang))
        elif ns.command == "list-backups":
            for path in list_backups(ns.source):
                print(path)
        else:
            kept = restore(ns.backup, db_path, data_dir=folder)
            print(plain_text.render(msg(BackupText.RESTORED, path=str(ns.backup),
                                        kept=str(kept or "-")), lang))
    except (BackupError, InstanceLockedError) as exc:
        print(f"error: {plain_text.render(exc.message, lang)}", file=sys.stderr)
        return 2
    return 0


def locale_language() -> str:
    """``zh_CN`` when the terminal's locale is Chinese, else ``en``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    return "en"


def main(argv: Sequence[str], *, read_pin: ReadPin = _read_pin_from_terminal) -> int:
    parser = argparse.ArgumentParser(prog="pos-app", description="set-up commands")
    parser.add_argument("--data-dir", help="the till's data directory (default: per-user)")
    parser.add_argument("--lang", choices=plain_text.LANGUAGES,
                        help="language of error messages (default: from the locale)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_user = sub.add_parser("add-user", help="create a staff account (PIN asked for)")
    p_user.add_argument("name")
    p_user.add_argument("--role", choices=[r.value for r in Role], default=Role.CASHIER.value)
    p_user.add_argument("--approver", help="an admin who approves (asked for their PIN)")
    p_import = sub.add_parser("import-products", help="load products from a CSV file")
    p_import.add_argument("csv", type=Path)
    p_backup = sub.add_parser("backup", help="back up the till database now (verified)")
    p_backup.add_argument("--to", type=Path, required=True,
                          help="backup location (another disk, a USB stick, a share)")
    p_backup.add_argument("--keep", type=int, default=DEFAULT_KEEP, help="generations kept")
    p_list = sub.add_parser("list-backups", help="list the backups in a location, newest first")
    p_list.add_argument("--from", dest="source", type=Path, required=True)
    p_restore = sub.add_parser("restore", help="replace the till database with a backup "
                               "(the till must be closed)")
    p_restore.add_argument("backup", type=Path)
    ns = parser.parse_args(list(argv))
    lang = ns.lang or locale_language()
    if ns.command in ("backup", "list-backups", "restore"):
        return backup_command(ns, lang)
    db = live_database(ns.data_dir)
    try:
        if ns.command == "add-user":
            print(add_user(db, ns.name, Role(ns.role), approver=ns.approver, read_pin=read_pin))
        else:
            rc, lines = import_products(db, ns.csv, ns.lang or locale_language())
            for line in lines:
                print(line if rc == 0 else f"error: {line}",
                      file=sys.stdout if rc == 0 else sys.stderr)
            return rc
    except ManagerError as exc:
        lang = ns.lang or locale_language()
        print(f"error: {plain_text.render(exc.message, lang)}", file=sys.stderr)
        return 2
    except (ValueError, StorageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.close()
    return 0
