from pathlib import Path

import pytest

from pos_app.admin_cli import main
from pos_app.storage.catalog import ProductRepository
from pos_app.storage.db import Database
from pos_app.storage.staff import UserRepository


def run(tmp_path: Path, *args: str, answers: tuple[str, ...] = ()) -> int:
    it = iter(answers)
    return main(["--data-dir", str(tmp_path), *args], read_pin=lambda _prompt: next(it))


def db_of(tmp_path: Path) -> Database:
    return Database(tmp_path / "pos_app.sqlite3")


def test_first_account_must_be_admin_then_approvals_are_required(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "add-user", "店长", "--role", "manager", answers=("2580", "2580")) == 2
    assert "first account must be an admin" in capsys.readouterr().err
    assert run(tmp_path, "add-user", "老板", "--role", "admin", answers=("2580", "2580")) == 0
    # a second account without an approver is refused, nothing written
    assert run(tmp_path, "add-user", "王芳", answers=("1470", "1470")) == 2
    # wrong approver PIN refused
    assert run(tmp_path, "add-user", "王芳", "--approver", "老板", answers=("9999", "1470", "1470")) == 2
    assert run(tmp_path, "add-user", "王芳", "--approver", "老板", answers=("2580", "1470", "1470")) == 0
    names = {u.name: u.role for u in UserRepository(db_of(tmp_path)).list_users()}
    assert names == {"老板": "admin", "王芳": "cashier"}


@pytest.mark.parametrize(("first", "second"), [("1111", "1111"), ("2580", "2581")])
def test_bad_or_mismatched_pin_creates_nothing(tmp_path: Path, first: str, second: str) -> None:
    assert run(tmp_path, "add-user", "老板", "--role", "admin", answers=(first, second)) == 2
    assert UserRepository(db_of(tmp_path)).list_users() == []


def test_import_products(tmp_path: Path) -> None:
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(
        "\ufeffsku,barcode,name,price\nC1,6901939621257,可口可乐 330ml,3.00\nB2,,散装面包,6.5\n",
        encoding="utf-8",
    )
    assert run(tmp_path, "import-products", str(csv_path)) == 0
    repo = ProductRepository(db_of(tmp_path))
    cola = repo.by_barcode("6901939621257")
    assert cola is not None and cola.price == 300 and cola.name == "可口可乐 330ml"
    bread = repo.by_sku("B2")
    assert bread is not None and bread.price == 650


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("X1,6901939621258,bad check digit,1.00", "not a valid"),
        ("X1,,float price,1.005", "not an amount"),
        ("X1,,free,0", "positive"),
        (",,no sku,1", "required"),
    ],
)
def test_one_bad_row_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, message: str
) -> None:
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(f"sku,barcode,name,price\nOK1,,fine,2.00\n{row}\n", encoding="utf-8")
    assert run(tmp_path, "import-products", str(csv_path)) == 2
    assert message in capsys.readouterr().err
    assert ProductRepository(db_of(tmp_path)).all() == []


def test_a_copied_database_alone_cannot_check_a_pin(tmp_path: Path) -> None:
    """The PIN hash is peppered with a secret kept outside the database: with the
    database file alone even the right PIN does not verify (no offline brute force)."""
    import shutil

    from pos_app.domain.pin_hash import verify_pin
    from pos_app.manager.pins import PinAuthenticator
    from pos_app.storage.pepper import PEPPER_FILE, load_pepper

    assert run(tmp_path, "add-user", "老板", "--role", "admin", answers=("2580", "2580")) == 0
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copy(tmp_path / "pos_app.sqlite3", stolen / "pos_app.sqlite3")
    copy = Database(stolen / "pos_app.sqlite3")
    boss = UserRepository(copy).get_user("老板")
    assert boss is not None
    assert not verify_pin("2580", boss.pin_hash)                  # the database alone
    pepper = (tmp_path / PEPPER_FILE).read_text()
    assert pepper.encode() not in (tmp_path / "pos_app.sqlite3").read_bytes()
    assert verify_pin("2580", boss.pin_hash, load_pepper(tmp_path / "pos_app.sqlite3"))
    copy.close()
    db = db_of(tmp_path)        # the till (same data directory) still signs in
    users = UserRepository(db)
    auth = PinAuthenticator(users, pepper=load_pepper(db.path))
    assert auth.authenticate("老板", "2580").name == "老板"
    db.close()
