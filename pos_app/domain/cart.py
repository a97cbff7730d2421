"""The cart being rung up: lines, quantities, discounts, totals — all integer fen."""

from __future__ import annotations

from dataclasses import dataclass, field

from pos_app.domain.catalog import Product
from pos_app.domain.money import Fen


class CartError(ValueError):
    """An edit that would make the cart invalid; ``str()`` is English, ``zh`` Chinese."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


MAX_QUANTITY = 9999


@dataclass
class CartLine:
    product: Product
    quantity: int = 1
    discount: Fen = Fen(0)  # amount off this line, fen

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

    def add(self, product: Product, quantity: int = 1) -> CartLine:
        """Add ``quantity`` of ``product``; merges with an undiscounted line of the same SKU."""
        if quantity < 1:
            raise CartError("quantity must be at least 1", "数量至少为 1")
        for line in self.lines:
            if line.product.sku == product.sku and line.discount == 0:
                self.set_quantity(self.lines.index(line), line.quantity + quantity)
                return line
        if quantity > MAX_QUANTITY:
            raise CartError(f"quantity must be at most {MAX_QUANTITY}", f"数量最多为 {MAX_QUANTITY}")
        line = CartLine(product, quantity)
        self.lines.append(line)
        return line

    def set_quantity(self, index: int, quantity: int) -> None:
        line = self._line(index)
        if not 1 <= quantity <= MAX_QUANTITY:
            raise CartError(f"quantity must be between 1 and {MAX_QUANTITY}", f"数量须在 1 到 {MAX_QUANTITY} 之间")
        if line.discount > line.product.price * quantity:
            raise CartError("the line discount would exceed the line amount", "单品优惠不能超过该行金额")
        line.quantity = quantity

    def set_line_discount(self, index: int, discount: Fen) -> None:
        line = self._line(index)
        if not 0 <= discount <= line.gross:
            raise CartError("a line discount must be between 0 and the line amount", "单品优惠须在 0 到该行金额之间")
        line.discount = discount
        self._check_order_discount(self.order_discount)

    def set_order_discount(self, discount: Fen) -> None:
        self._check_order_discount(discount)
        self.order_discount = discount

    def remove(self, index: int) -> None:
        self._line(index)
        del self.lines[index]
        if self.order_discount > self.subtotal:
            self.order_discount = self.subtotal

    def clear(self) -> None:
        self.lines.clear()
        self.order_discount = Fen(0)

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
            raise CartError("the order discount must be between 0 and the subtotal", "整单优惠须在 0 到小计之间")

    def _line(self, index: int) -> CartLine:
        if not 0 <= index < len(self.lines):
            raise CartError("no such line", "没有这一行")
        return self.lines[index]
