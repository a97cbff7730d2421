"""The refund slip (退款凭条): printed when a refund has gone through, one per refund.

A plain value (:class:`RefundSlip`) built from the refund record and its order, its lines
(:func:`refund_slip_lines`, shared layout rules with the receipt) and the ESC/POS job
(:func:`render_refund_slip`): the shop's header, "退款凭条", the order and refund numbers,
the refunded items, the amount, the method, the reason, who asked and who approved, and
a signature line for the customer. Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pos_app.devices.printer.escpos import (
    ALIGN_CENTER,
    ALIGN_LEFT,
    BOLD_OFF,
    BOLD_ON,
    CHINESE_ENCODINGS,
    print_job,
    receipt_header_segment,
)
from pos_app.devices.receipt import (
    PAYMENT_LABELS,
    Receipt,
    fit,
    money,
    receipt_order_no,
    two_columns,
)
from pos_app.domain.money import Fen
from pos_app.domain.order import SaleOrder
from pos_app.domain.refund import Refund

SLIP_LABELS = {
    "title": "退款凭条",
    "order": "原单号",
    "refund_no": "退款单号",
    "time": "时间",
    "amount": "退款金额",
    "method": "退回方式",
    "reason": "原因",
    "requested_by": "经办",
    "approved_by": "批准",
    "signature": "顾客签字",
}


@dataclass(frozen=True)
class RefundSlipLine:
    name: str
    quantity: int


@dataclass(frozen=True)
class RefundSlip:
    shop_name: str
    order_no: str
    out_refund_no: str
    at: datetime
    amount: Fen
    method: str                  # printed label, e.g. "现金"
    reason: str
    requested_by: str
    approved_by: str
    lines: tuple[RefundSlipLine, ...] = ()
    shop_address: str = ""
    shop_phone: str = ""
    labels: dict[str, str] = field(default_factory=dict)


def refund_slip(refund: Refund, order: SaleOrder, *, shop_name: str, shop_address: str = "",
                shop_phone: str = "") -> RefundSlip:
    """The slip of ``refund`` on ``order`` (line names from the order's lines)."""
    names = {ln.line_no: ln.name for ln in order.lines}
    return RefundSlip(
        shop_name=shop_name, order_no=receipt_order_no(order.order_id),
        out_refund_no=refund.out_refund_no, at=refund.updated_at, amount=refund.amount,
        method=PAYMENT_LABELS.get(str(refund.method), str(refund.method)),
        reason=refund.reason, requested_by=refund.requested_by,
        approved_by=refund.approved_by,
        lines=tuple(RefundSlipLine(names.get(no, f"#{no}"), qty)
                    for no, qty in refund.lines if qty > 0),
        shop_address=shop_address, shop_phone=shop_phone)


def refund_slip_lines(slip: RefundSlip, width: int = 32) -> list[str]:
    """The body of the slip (under the title) as lines of ``width`` cells."""
    lab = {**SLIP_LABELS, **slip.labels}
    rule = "-" * width
    out = [
        f"{lab['order']}: {slip.order_no}",
        fit(f"{lab['refund_no']}: {slip.out_refund_no}", width),
        f"{lab['time']}: {slip.at:%Y-%m-%d %H:%M:%S}",
        rule,
    ]
    for line in slip.lines:
        out.append(two_columns(fit(line.name, width - 6), f"x{line.quantity}", width))
    if slip.lines:
        out.append(rule)
    out.append(two_columns(lab["amount"], money(slip.amount), width))
    out.append(two_columns(lab["method"], slip.method, width))
    if slip.reason:
        out.append(fit(f"{lab['reason']}: {slip.reason}", width))
    out.append(fit(f"{lab['requested_by']}: {slip.requested_by}  "
                   f"{lab['approved_by']}: {slip.approved_by}", width))
    out.extend(["", "", f"{lab['signature']}: " + "_" * max(0, width - 12)])
    return out


def render_refund_slip(slip: RefundSlip, *, width: int = 32, encoding: str = "gb18030",
                       cut: bool = True) -> bytes:
    """The complete print job for one refund slip."""
    enc = encoding.lower()
    lab = {**SLIP_LABELS, **slip.labels}

    def text(s: str) -> bytes:
        return s.encode(enc, errors="replace") + b"\n"

    head = Receipt(shop_name=slip.shop_name, order_no=slip.order_no, created_at=slip.at,
                   cashier="", lines=(), subtotal=Fen(0), order_discount=Fen(0),
                   total=Fen(0), payment_method="", shop_address=slip.shop_address,
                   shop_phone=slip.shop_phone)
    out = bytearray(receipt_header_segment(head, width=width, encoding=enc))
    out += ALIGN_CENTER + BOLD_ON + text(lab["title"]) + BOLD_OFF + ALIGN_LEFT
    for line in refund_slip_lines(slip, width):
        out += text(line)
    return print_job(bytes(out), chinese=enc in CHINESE_ENCODINGS, cut=cut)
