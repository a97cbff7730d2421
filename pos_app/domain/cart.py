"""The cart being rung up: lines, quantities, discounts, totals — all integer fen.

Discount rules (exact, integers only):

* an amount off a line or off the order, in fen;
* a percentage off, given in basis points (``"12.5%"`` → 1250): the amount off is
  ``base × bp / 10000`` rounded half up to the fen (:func:`~pos_app.domain.money.percent_of`),
  where the base is the line's gross (price × quantity) or, for the order, the subtotal
  after line discounts; the result then counts as that amount (it does not follow later
  quantity changes);
* rounding off (抹零): the order discount grows by ``total mod unit`` (unit 10 fen = drop the
  fen, 100 fen = drop jiao and fen), so the customer pays the total rounded *down* to the
  unit; never applied when the total is below one unit (that would make the sale free).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen, percent_of
from pos_app.domain.text import Message, MessageKey, msg, register

MAX_QUANTITY = 9999
ROUND_OFF_UNITS = (10, 100)  # 抹零 to the jiao, to the yuan


@register({"cart.quantity_too_large": ("max",), "cart.quantity_out_of_range": ("max",),
           "cart.percent_out_of_range": ()})
class CartText(MessageKey):
    QUANTITY_TOO_SMALL = "cart.quantity_too_small"
    QUANTITY_TOO_LARGE = "cart.quantity_too_large"
    QUANTITY_OUT_OF_RANGE = "cart.quantity_out_of_range"
    LINE_DISCOUNT_EXCEEDS_LINE = "cart.line_discount_exceeds_line"
    LINE_DISCOUNT_OUT_OF_RANGE = "cart.line_discount_out_of_range"
    ORDER_DISCOUNT_OUT_OF_RANGE = "cart.order_discount_out_of_range"
    NO_SUCH_LINE = "cart.no_such_line"
    PERCENT_OUT_OF_RANGE = "cart.percent_out_of_range"


class DiscountKind(StrEnum):
    """How a discount was given (the X/Z reports total each kind)."""

    AMOUNT = "amount"      # an amount in fen
    PERCENT = "percent"    # a percentage, worked out to fen when given


class CartError(ValueError):
    """An edit that would make the cart invalid; ``message`` says why (for people)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class CartLine:
    product: Product
    quantity: int = 1
    discount: Fen = Fen(0)  # amount off this line, fen
    discount_kind: DiscountKind = DiscountKind.AMOUNT

    @property
    def gross(self) -> Fen:
        return Fen(self.product.price * self.quantity)

    @property
    def net(self) -> Fen:
        return Fen(self.gross - self.discount)


@dataclass
class Cart:
    lines: list[CartLine] = field(default_factory=list)
    order_discount: Fen = Fen(0)
    order_discount_kind: DiscountKind = DiscountKind.AMOUNT  # of the part not rounded off
    round_off_amount: Fen = Fen(0)   # the part of ``order_discount`` taken off by 抹零

    def add(self, product: Product, quantity: int = 1) -> CartLine:
        """Add ``quantity`` of ``product``; merges with an undiscounted line of the same
        product (same SKU *and* price and name: two weighed labels of one item, or an item
        whose price changed meanwhile, are lines of their own)."""
        if quantity < 1:
            raise CartError(msg(CartText.QUANTITY_TOO_SMALL))
        for line in self.lines:
            if line.discount == 0 and _same_item(line.product, product):
                self.set_quantity(self.lines.index(line), line.quantity + quantity)
                return line
        if quantity > MAX_QUANTITY:
            raise CartError(msg(CartText.QUANTITY_TOO_LARGE, max=MAX_QUANTITY))
        line = CartLine(product, quantity)
        self.lines.append(line)
        return line

    def set_quantity(self, index: int, quantity: int) -> None:
        line = self._line(index)
        if not 1 <= quantity <= MAX_QUANTITY:
            raise CartError(msg(CartText.QUANTITY_OUT_OF_RANGE, max=MAX_QUANTITY))
        if line.discount > line.product.price * quantity:
            raise CartError(msg(CartText.LINE_DISCOUNT_EXCEEDS_LINE))
        line.quantity = quantity

    def set_line_discount(self, index: int, discount: Fen,
                          kind: DiscountKind = DiscountKind.AMOUNT) -> None:
        line = self._line(index)
        if not 0 <= discount <= line.gross:
            raise CartError(msg(CartText.LINE_DISCOUNT_OUT_OF_RANGE))
        before, line.discount = line.discount, discount
        try:  # the order discount must still fit the new subtotal; if not, change nothing
            self._check_order_discount(self.order_discount)
        except CartError:
            line.discount = before
            raise
        line.discount_kind = DiscountKind(kind) if discount else DiscountKind.AMOUNT

    def set_order_discount(self, discount: Fen, kind: DiscountKind = DiscountKind.AMOUNT,
                           round_off: int = 0) -> None:
        """The whole order discount: ``round_off`` of it was 抹零, the rest is ``kind``."""
        self._check_order_discount(discount)
        if not 0 <= round_off <= discount:
            raise CartError(msg(CartText.ORDER_DISCOUNT_OUT_OF_RANGE))
        self.order_discount = discount
        self.round_off_amount = Fen(round_off)
        self.order_discount_kind = (DiscountKind(kind) if discount > round_off
                                    else DiscountKind.AMOUNT)

    def set_line_discount_percent(self, index: int, percent_bp: int) -> Fen:
        """``percent_bp`` off the line's gross (see the module rules); returns the amount."""
        _check_percent(percent_bp)
        amount = percent_of(self._line(index).gross, percent_bp)
        self.set_line_discount(index, amount, DiscountKind.PERCENT)
        return amount

    def set_order_discount_percent(self, percent_bp: int) -> Fen:
        """``percent_bp`` off the subtotal (see the module rules); returns the amount."""
        _check_percent(percent_bp)
        amount = percent_of(self.subtotal, percent_bp)
        self.set_order_discount(amount, DiscountKind.PERCENT)
        return amount

    def round_off(self, unit: int = 100) -> Fen:
        """抹零: add ``total mod unit`` to the order discount; returns what was taken off."""
        if unit not in ROUND_OFF_UNITS:
            raise ValueError(f"round-off unit must be one of {ROUND_OFF_UNITS}")
        total = self.total
        if total < unit:
            return Fen(0)
        off = Fen(total % unit)
        if off:
            self.set_order_discount(Fen(self.order_discount + off), self.order_discount_kind,
                                    Fen(self.round_off_amount + off))
        return off

    @property
    def discount_total(self) -> Fen:
        """Every discount on the sale: line discounts plus the order discount."""
        return Fen(sum(line.discount for line in self.lines) + self.order_discount)

    @property
    def gross(self) -> Fen:
        """The sale before any discount."""
        return Fen(sum(line.gross for line in self.lines))

    def remove(self, index: int) -> None:
        self._line(index)
        del self.lines[index]
        if self.order_discount > self.subtotal:
            self.order_discount = self.subtotal
            self.round_off_amount = Fen(min(self.round_off_amount, self.order_discount))

    def clear(self) -> None:
        self.lines.clear()
        self.order_discount = Fen(0)
        self.order_discount_kind = DiscountKind.AMOUNT
        self.round_off_amount = Fen(0)

    @property
    def subtotal(self) -> Fen:
        """Sum of line nets (after line discounts, before the order discount)."""
        return Fen(sum(line.net for line in self.lines))

    @property
    def total(self) -> Fen:
        return Fen(self.subtotal - self.order_discount)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def _check_order_discount(self, discount: Fen) -> None:
        if not 0 <= discount <= self.subtotal:
            raise CartError(msg(CartText.ORDER_DISCOUNT_OUT_OF_RANGE))

    def _line(self, index: int) -> CartLine:
        if not 0 <= index < len(self.lines):
            raise CartError(msg(CartText.NO_SUCH_LINE))
        return self.lines[index]


def _same_item(a: Product, b: Product) -> bool:
    """One cart line's worth: the same SKU sold at the same price under the same name."""
    return (a.sku, a.price, a.name) == (b.sku, b.price, b.name)


def _check_percent(percent_bp: int) -> None:
    if not 0 <= percent_bp <= 10000:
        raise CartError(msg(CartText.PERCENT_OUT_OF_RANGE))


def parse_percent(text: str) -> int | None:
    """``"10%"``, ``"12.5%"``, ``"10 %"`` → basis points (1000, 1250); None if ``text`` is
    not a percentage (no ``%``). Raises CartError for a malformed or out-of-range one."""
    t = text.strip().replace("％", "%")
    if not t.endswith("%"):
        return None
    body = t[:-1].strip()
    whole, _, frac = body.partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2 or len(whole) > 3:
        raise CartError(msg(CartText.PERCENT_OUT_OF_RANGE))
    bp = int(whole) * 100 + int((frac + "00")[:2])
    _check_percent(bp)
    return bp
