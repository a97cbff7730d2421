"""What the UI needs from the rest of the app, as protocols (wired in ``app.py``).

The UI never constructs storage, the till or the simulator itself; it gets an
:class:`AppServices` bundle. Tests hand in fakes with the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

# Types only: the sign-in screen imports this module, and must not load the manager
# back end or the sale screen's modules (issue 13; tests/unit/test_startup_imports.py).
if TYPE_CHECKING:
    from pos_app.domain.cart import Cart
    from pos_app.domain.catalog import Product
    from pos_app.domain.money import Fen
    from pos_app.domain.order import SaleOrder
    from pos_app.domain.refund import Refund as RefundRecord
    from pos_app.domain.staff import Role, StaffUser
    from pos_app.domain.text import Message
    from pos_app.manager.pins import Approval
    from pos_app.manager.refunds import OrderRefundable, RefundRequest, RefundUpdate
    from pos_app.manager.services import ManagerServices
    from pos_app.sale.controller import SaleTill


class Mode(StrEnum):
    DEMO = "demo"
    LIVE = "live"


class ProductCatalog(Protocol):
    def by_barcode(self, barcode: str) -> Product | None: ...

    def search(self, text: str, limit: int = 50) -> list[Product]: ...

    def quick_keys(self) -> list[Product]: ...

    def by_sku(self, sku: str) -> Product | None:
        """Active or not (``Product.active``)."""

    def by_scale_code(self, item_code: str) -> Product | None: ...

    def categories(self) -> list[str]: ...


@dataclass(frozen=True)
class Session:
    """The logged-in user."""

    name: str
    role: str  # "cashier" | "manager" | "admin"


class LoginError(Exception):
    """Refused login; ``message`` says why (for people)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class Login(Protocol):
    """Blocking (called on a worker)."""

    def user_names(self) -> list[tuple[str, str]]:
        """``(name, role)`` of every active user."""

    def login(self, name: str, pin: str) -> Session:
        """Return the session or raise :class:`LoginError`."""


class HeldSales(Protocol):
    """Sales on hold at this till (storage.held_sales.HeldSaleRepository)."""

    def hold(self, cart: Cart, *, cashier: str) -> int: ...

    def take_latest(self) -> Cart | None: ...


class StaffService(Protocol):
    """The staff accounts as the staff screen uses them (blocking; run on a worker).
    Changes are refused (ManagerError) by the PIN rules and the approval given."""

    def users(self) -> list[StaffUser]:
        """Every active user with their lockout state."""

    def add_user(self, approval: Approval, name: str, role: Role, pin: str) -> None: ...

    def reset_pin(self, approval: Approval, name: str, new_pin: str) -> None: ...

    def unlock(self, approval: Approval, name: str) -> None: ...

    def change_own_pin(self, name: str, old_pin: str, new_pin: str) -> None: ...


class RefundDesk(Protocol):
    """Refunds as the refund screen uses them (blocking; run on a worker). The amounts,
    limits and the follow-up loop are the service's: the screen only shows them."""

    def find_order(self, key: str) -> SaleOrder | None: ...

    def search_orders(self, day: date, amount: Fen | None = None) -> list[SaleOrder]: ...

    def refundable(self, order_id: int) -> OrderRefundable: ...

    def quote(self, order_id: int, lines: Mapping[int, int]) -> Fen:
        """What a by-items refund of ``lines`` (line no → quantity) would return."""

    def request_refund(self, req: RefundRequest) -> list[RefundRecord]: ...

    def retry(self, refund_id: int) -> RefundRecord: ...

    def follow_in_background(self, refund_id: int) -> None:
        """Have the service follow an unfinished refund until it is final (idempotent)."""

    def subscribe(self, callback: Callable[[RefundUpdate], None]) -> None:
        """``callback(update)`` from the service's follow thread when a refund is final."""

    def unsubscribe(self, callback: Callable[[RefundUpdate], None]) -> None: ...


class DemoCustomer(Protocol):
    """The embedded simulator, seen from the demo customer phone (blocking calls)."""

    def pay_code_url(self, code_url: str) -> None:
        """The customer scans the shop's Native QR and pays."""

    def scenarios(self) -> list[str]: ...

    def auth_code_for(self, scenario: str) -> str: ...


@dataclass(frozen=True)
class ExtraAction:
    """A button + shortcut on the sale screen contributed by another feature (e.g. the
    manager screens). ``run(main_window, session)`` is called on the UI thread."""

    label: str   # already translated
    key: str     # QKeySequence text, e.g. "Ctrl+M"
    run: Callable[[Any, Session], None]


@dataclass
class AppServices:
    till: SaleTill
    catalog: ProductCatalog
    login: Login
    mode: Mode = Mode.DEMO
    shop_name: str = "演示商店"
    data_dir: Path = field(default_factory=Path.cwd)
    settings_path: Path | None = None
    demo: DemoCustomer | None = None
    # validates a merchant config file; returns a short summary or raises ValueError
    check_merchant_config: Callable[[Path], str] | None = None
    check_alipay_config: Callable[[Path], str] | None = None    # the same for Alipay
    actions: list[ExtraAction] = field(default_factory=list)
    # refunds, shifts, reconciliation, staff (the Manager menu); None = no menu
    manager: ManagerServices | None = None
    # the staff screen's accounts (None = no staff screen)
    staff: StaffService | None = None
    # sales on hold at this till (挂单/取单); None = no hold
    held: HeldSales | None = None
