"""Qt-free set-up commands for a real shop: staff accounts and the product catalogue.

``pos-app add-user NAME --role manager`` — the first account of a new database may be
created without approval (it must be an admin, so someone can manage staff); later
accounts need ``--approver`` with that person's PIN.
``pos-app import-products FILE.csv`` — columns ``sku,barcode,name,price`` (price in 元,
e.g. ``3.50``). Every row is checked first; one bad row and nothing is written.

Refusals are message keys rendered in ``--lang`` (``en`` / ``zh_CN``; default from the
locale, ``LANG`` & co.) through the UI's catalogs, without Qt (:mod:`pos_app.ui.plain_text`).
"""

from __future__ import annotations

import argparse
import csv
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from pos_app.domain.catalog import Product
from pos_app.domain.money import MoneyFormatError, parse_yuan
from pos_app.domain.scan import ScanKind, classify
from pos_app.domain.staff import Permission, Role
from pos_app.domain.text import msg
from pos_app.manager.messages import ManagerError, ManagerText
from pos_app.manager.pins import Approval, PinAuthenticator, StaffAdmin
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database
from pos_app.storage.errors import StorageError
from pos_app.storage.pepper import load_pepper
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
    auth = PinAuthenticator(users, pepper=load_pepper(db.path))
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


def read_products(path: Path) -> list[Product]:
    """Parse and validate a product CSV; raises ValueError naming the line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from exc
    products: list[Product] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        sku, name = (row.get("sku") or "").strip(), (row.get("name") or "").strip()
        barcode, price_text = (row.get("barcode") or "").strip(), (row.get("price") or "").strip()
        if not sku or not name:
            raise ValueError(f"line {n}: sku and name are required")
        if sku in seen:
            raise ValueError(f"line {n}: sku {sku} appears twice")
        seen.add(sku)
        if barcode and classify(barcode).kind is not ScanKind.PRODUCT_BARCODE:
            raise ValueError(f"line {n}: {barcode!r} is not a valid EAN-13/EAN-8/UPC barcode")
        try:
            price = parse_yuan(price_text)
        except MoneyFormatError as exc:
            raise ValueError(f"line {n}: price {price_text!r} is not an amount in yuan") from exc
        if price <= 0:
            raise ValueError(f"line {n}: price must be positive")
        products.append(Product(sku=sku, name=name, price=price, barcode=barcode))
    if not products:
        raise ValueError(f"{path}: no products (expected columns sku,barcode,name,price)")
    return products


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
    ns = parser.parse_args(list(argv))
    db = live_database(ns.data_dir)
    try:
        if ns.command == "add-user":
            print(add_user(db, ns.name, Role(ns.role), approver=ns.approver, read_pin=read_pin))
        else:
            products = read_products(ns.csv)
            repo = ProductRepository(db)
            for product in products:
                repo.upsert(product)
            print(f"imported {len(products)} products")
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
