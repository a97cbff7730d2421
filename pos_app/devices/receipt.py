"""The receipt as printed/shown: a plain value built from a paid order.

Layout (:func:`receipt_text_lines`) is shared by the ESC/POS renderer and the
on-screen receipt view, so what the cashier sees is what the printer gets.
Column widths count CJK characters as two cells, as receipt printers do.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from pos_app.domain.cart import Cart
from pos_app.domain.money import Fen, format_yuan
from pos_app.domain.order import SaleOrder


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: int
    unit_price: Fen
    amount: Fen           # after the line discount
    discount: Fen = Fen(0)


@dataclass(frozen=True)
class Receipt:
    shop_name: str
    order_no: str
    created_at: datetime
    cashier: str
    lines: tuple[ReceiptLine, ...]
    subtotal: Fen
    order_discount: Fen
    total: Fen
    payment_method: str            # already-translated label, e.g. "微信支付"
    tendered: Fen | None = None    # cash only
    change: Fen | None = None      # cash only
    transaction_id: str = ""
    coupon: Fen = Fen(0)                 # WeChat coupon / 立减 applied to the payment
    customer_paid: Fen | None = None     # what the customer paid when a coupon paid part
    footer: str = "谢谢惠顾"
    copy: bool = False             # reprint: marked 副本/COPY
    labels: dict[str, str] = field(default_factory=dict)
    shop_address: str = ""         # the header from settings (printed under the name)
    shop_phone: str = ""


DEFAULT_LABELS = {
    "order": "单号",
    "time": "时间",
    "cashier": "收银员",
    "item": "商品",
    "qty": "数量",
    "amount": "金额",
    "discount": "优惠",
    "subtotal": "小计",
    "order_discount": "整单优惠",
    "total": "合计",
    "paid_by": "支付方式",
    "tendered": "实收",
    "change": "找零",
    "transaction": "交易号",
    "coupon": "微信优惠券",
    "customer_paid": "顾客实付",
    "copy": "副本 COPY",
}

#: the printed name of each payment method (keys are the method values)
PAYMENT_LABELS = {"native": "微信支付", "codepay": "微信付款码", "cash": "现金"}

YUAN = "￥"  # full-width: encodes as A3A4 in GBK/GB18030 (U+00A5 prints as junk)


def cell_width(text: str) -> int:
    """Printer cells: East Asian wide/full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` cells."""
    out, used = [], 0
    for c in text:
        w = cell_width(c)
        if used + w > width:
            break
        out.append(c)
        used += w
    return "".join(out)


def two_columns(left: str, right: str, width: int) -> str:
    """``left`` then ``right`` flush right on one line of ``width`` cells."""
    right_w = cell_width(right)
    left = fit(left, max(0, width - right_w - 1))
    pad = width - cell_width(left) - right_w
    return left + " " * max(1, pad) + right


def money(amount: int) -> str:
    return YUAN + format_yuan(amount)


def receipt_text_lines(r: Receipt, width: int = 32) -> list[str]:
    """The body of the receipt (between header and QR) as lines of ``width`` cells."""
    lab = {**DEFAULT_LABELS, **r.labels}
    rule = "-" * width
    out = [
        f"{lab['order']}: {r.order_no}",
        f"{lab['time']}: {r.created_at:%Y-%m-%d %H:%M:%S}",
        f"{lab['cashier']}: {r.cashier}",
        rule,
    ]
    for line in r.lines:
        out.append(fit(line.name, width))
        qty = f"  {line.quantity} x {format_yuan(line.unit_price)}"
        out.append(two_columns(qty, format_yuan(line.amount), width))
        if line.discount:
            out.append(two_columns(f"  {lab['discount']}", "-" + format_yuan(line.discount), width))
    out.append(rule)
    out.append(two_columns(lab["subtotal"], money(r.subtotal), width))
    if r.order_discount:
        out.append(two_columns(lab["order_discount"], "-" + money(r.order_discount), width))
    out.append(two_columns(lab["total"], money(r.total), width))
    out.append(two_columns(lab["paid_by"], r.payment_method, width))
    if r.coupon:
        out.append(two_columns(lab["coupon"], "-" + money(r.coupon), width))
    if r.customer_paid is not None and (r.coupon or r.customer_paid != r.total):
        out.append(two_columns(lab["customer_paid"], money(r.customer_paid), width))
    if r.tendered is not None:
        out.append(two_columns(lab["tendered"], money(r.tendered), width))
    if r.change is not None:
        out.append(two_columns(lab["change"], money(r.change), width))
    if r.transaction_id:
        head = f"{lab['transaction']}: "
        if cell_width(head + r.transaction_id) <= width:
            out.append(head + r.transaction_id)
        else:  # WeChat transaction ids are 28 digits: give them their own line
            out.extend([head.rstrip(), r.transaction_id[:width]])
    return out


def receipt_order_no(order_id: int) -> str:
    """The order number printed on the receipt (and held by its QR)."""
    return f"{order_id:08d}"


def build_receipt(
    *,
    shop_name: str,
    order_id: int,
    cashier: str,
    cart: Cart,
    method: str,
    amount: Fen,
    change: Fen | None,
    transaction_id: str,
    created_at: datetime,
    coupon: int = 0,
    customer_paid: Fen | None = None,
    shop_address: str = "",
    shop_phone: str = "",
) -> Receipt:
    """The receipt of a paid ``cart``: ``method`` is a payment method value
    (``native``/``codepay``/``cash``); ``amount`` and ``change`` are what was paid;
    ``coupon``/``customer_paid``: a WeChat coupon paid part of ``amount``."""
    tendered = None if change is None else Fen(amount + change)
    return Receipt(
        shop_name=shop_name,
        order_no=receipt_order_no(order_id),
        created_at=created_at,
        cashier=cashier,
        lines=tuple(ReceiptLine(ln.product.name, ln.quantity, ln.product.price, ln.net,
                                ln.discount) for ln in cart.lines),
        subtotal=cart.subtotal,
        order_discount=cart.order_discount,
        total=cart.total,
        payment_method=PAYMENT_LABELS[str(method)],
        tendered=tendered,
        change=change,
        transaction_id=transaction_id,
        coupon=Fen(coupon),
        customer_paid=customer_paid if coupon or customer_paid is not None else None,
        shop_address=shop_address,
        shop_phone=shop_phone,
    )


def receipt_from_order(
    order: SaleOrder, *, shop_name: str, shop_address: str = "", shop_phone: str = "",
) -> Receipt:
    """补打: the receipt of a stored paid order, marked as a copy. What the books hold is
    printed: the lines, the total and each payment (cash tendered/change are not kept)."""
    lines = tuple(ReceiptLine(ln.name, ln.quantity, ln.unit_price, ln.net, ln.discount)
                  for ln in order.lines)
    subtotal = Fen(sum(ln.unit_price * ln.quantity for ln in order.lines))
    methods = [PAYMENT_LABELS.get(str(p.method), str(p.method)) for p in order.payments]
    tx = next((p.transaction_id for p in order.payments if p.transaction_id), "")
    coupon = Fen(sum(p.coupon for p in order.payments))
    paid_at = max((p.paid_at for p in order.payments), default=order.created_at)
    return Receipt(
        shop_name=shop_name,
        order_no=receipt_order_no(order.order_id),
        created_at=paid_at,
        cashier=order.cashier,
        lines=lines,
        subtotal=subtotal,
        order_discount=Fen(max(0, sum(ln.net for ln in order.lines) - order.total)),
        total=order.total,
        payment_method=" + ".join(dict.fromkeys(methods)) or "-",
        transaction_id=tx,
        coupon=coupon,
        copy=True,
        shop_address=shop_address,
        shop_phone=shop_phone,
    )
