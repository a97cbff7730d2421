"""The receipt header from settings in the printed receipt, the refund slip's bytes, and a
receipt rebuilt from the books for a reprint (补打)."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.devices.printer.escpos import (
    ALIGN_CENTER,
    ALIGN_LEFT,
    BOLD_OFF,
    BOLD_ON,
    CHINESE_OFF,
    CHINESE_ON,
    CUT,
    INIT,
    SIZE_DOUBLE,
    SIZE_NORMAL,
    render_receipt,
)
from pos_app.devices.receipt import receipt_from_order
from pos_app.devices.refund_slip import refund_slip, refund_slip_lines, render_refund_slip
from pos_app.domain.money import Fen
from pos_app.domain.order import OrderLine, SaleOrder
from pos_app.domain.payment import PaidPayment, PaymentMethod
from pos_app.domain.refund import Refund, RefundState
from tests.unit.devices.test_escpos import sample

GB = "gb18030"


def test_the_header_prints_name_address_and_phone_centred_before_the_body() -> None:
    job = render_receipt(sample(shop_address="北京市朝阳区建国路88号", shop_phone="010-6588 1234"))
    head = (INIT + CHINESE_ON + ALIGN_CENTER + BOLD_ON + SIZE_DOUBLE
            + "演示便利店\n".encode(GB) + SIZE_NORMAL + BOLD_OFF
            + "地址: 北京市朝阳区建国路88号\n".encode(GB)
            + "电话: 010-6588 1234\n".encode(GB) + ALIGN_LEFT
            + "单号: 00000042\n".encode(GB))
    assert job.startswith(head)
    assert job.endswith(CHINESE_OFF + b"\n\n\n" + CUT)


def test_no_address_no_phone_prints_the_name_only_and_a_copy_is_marked() -> None:
    plain = render_receipt(sample())
    assert "地址".encode(GB) not in plain and "电话".encode(GB) not in plain
    copy = render_receipt(sample(copy=True))
    assert (BOLD_OFF + ALIGN_LEFT + ALIGN_CENTER + "副本 COPY\n".encode(GB) + ALIGN_LEFT) in copy


def test_a_long_address_wraps_within_the_paper_width() -> None:
    job = render_receipt(sample(shop_address="上海市浦东新区张江高科技园区碧波路690号B101室"),
                         width=32)
    text = job.decode(GB, errors="replace")
    addr = [ln for ln in text.split("\n") if "张江" in ln or "B101" in ln]
    assert len(addr) == 2 and "B101室" in addr[1]          # wrapped, the room number whole


def order() -> SaleOrder:
    at = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
    return SaleOrder(
        order_id=42, order_no="00000042", created_at=at, total=Fen(1300), cashier="王芳",
        lines=(OrderLine(1, "COKE330", "可口可乐", 2, Fen(600), unit_price=Fen(300)),
               OrderLine(2, "CHIPS", "薯片", 1, Fen(780), unit_price=Fen(780))),
        payments=(PaidPayment(7, 42, PaymentMethod.CODEPAY, Fen(1300), at,
                              transaction_id="4200001234202611230000000001"),))


def test_reprint_from_the_books_is_a_copy_with_the_stored_lines_and_payment() -> None:
    r = receipt_from_order(order(), shop_name="演示便利店", shop_phone="010-1")
    assert r.copy and r.order_no == "00000042" and r.cashier == "王芳"
    assert [(ln.name, ln.quantity, ln.amount) for ln in r.lines] == [
        ("可口可乐", 2, 600), ("薯片", 1, 780)]
    assert (r.subtotal, r.order_discount, r.total) == (1380, 80, 1300)
    assert r.payment_method == "微信付款码" and r.transaction_id.startswith("4200")
    assert (r.tendered, r.change) == (None, None)
    job = render_receipt(r)
    assert "副本 COPY".encode(GB) in job and "电话: 010-1".encode(GB) in job


def refund(**kw) -> Refund:
    at = datetime(2026, 11, 23, 2, 0, 5, tzinfo=UTC)
    base = dict(refund_id=3, order_id=42, attempt_id=7, method=PaymentMethod.CASH,
                out_refund_no="RF20261123100005ab12cd34", out_trade_no="", amount=Fen(300),
                payment_total=Fen(1300), reason="商品破损", requested_by="王芳",
                approved_by="李经理", created_at=at, updated_at=at,
                state=RefundState.SUCCESS, lines=((1, 1),))
    base.update(kw)
    return Refund(**base)  # type: ignore[arg-type]


def test_refund_slip_lines_and_bytes() -> None:
    slip = refund_slip(refund(), order(), shop_name="演示便利店", shop_address="建国路88号")
    assert refund_slip_lines(slip, 32) == [
        "原单号: 00000042",
        "退款单号: RF20261123100005ab12cd",
        "时间: 2026-11-23 02:00:05",
        "-" * 32,
        "可口可乐" + " " * 22 + "x1",
        "-" * 32,
        "退款金额" + " " * 18 + "￥3.00",
        "退回方式" + " " * 20 + "现金",
        "原因: 商品破损",
        "经办: 王芳  批准: 李经理",
        "",
        "",
        "顾客签字: " + "_" * 20,
    ]
    job = render_refund_slip(slip)
    assert job.startswith(INIT + CHINESE_ON + ALIGN_CENTER + BOLD_ON + SIZE_DOUBLE
                          + "演示便利店\n".encode(GB))
    assert (ALIGN_CENTER + BOLD_ON + "退款凭条\n".encode(GB) + BOLD_OFF + ALIGN_LEFT) in job
    assert "地址: 建国路88号".encode(GB) in job and b"\xa3\xa43.00" in job
    assert job.endswith(CHINESE_OFF + b"\n\n\n" + CUT)


def test_a_whole_order_wechat_refund_slip_has_no_lines_of_nothing() -> None:
    slip = refund_slip(refund(method=PaymentMethod.NATIVE, lines=((1, 0),), amount=Fen(1300)),
                       order(), shop_name="店")
    lines = refund_slip_lines(slip, 32)
    assert not any("可口可乐" in ln for ln in lines)
    assert any(ln.startswith("退回方式") and ln.endswith("微信支付") for ln in lines)
