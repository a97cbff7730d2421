"""Chinese for pos_app/ui/texts/sale.py."""

ZH = {
    "Disk low: %1 MB free": "磁盘空间不足：仅剩 %1 MB",
    "⚠ Order %1 was paid after the cancel: refund it (Shift+F5)":
        "⚠ 订单 %1 在取消后仍被支付：请退款（Shift+F5）",
    "A payment was tried for this sale: finish it or clear it (F12), not hold it":
        "本单已尝试收款：请完成或清空（F12），不能挂单",
    "Finish or hold the current sale before recalling a held one": "请先完成或挂起当前订单再取单",
    "No sale is on hold at this till": "本收银台没有挂起的订单",
    "No shift is open on this till: open one with the cash in the drawer first":
        "本收银台没有已开的班次：请先输入钱箱备用金开班",
    "Wait: unfinished payments are still being checked": "请稍候：正在核实未完成的支付",
    "The cart is empty": "购物车为空",
    "Finish the current payment first": "请先完成当前支付",
    "Finish the current payment first: {name} was not added": "请先完成当前支付：未加入 {name}",
    "{name}: product is inactive, it cannot be sold (nothing added)":
        "{name}：商品已停用，不能销售（未加入）",
    "Deactivated since it was rung up, not charged: {names} — remove it (Del) and pay again":
        "录入后已停用，未收款：{names} — 请删除该行（Del）后重新收款",
    "Product is inactive, removed from the recalled sale: {names}":
        "商品已停用，已从取回的挂单中移除：{names}",
    "Payment outcome unknown: do not charge again": "支付结果未知：请勿重复收款",
    "Order {order_id}: outcome unknown, do not charge again. Press F12 again to clear the sale "
    "anyway": "订单 {order_id} 结果未知，请勿重复收款。再按一次 F12 仍要清空本单",
    "Order {order_id} was paid after all: sale finished": "订单 {order_id} 已确认付款：本单完成",
    "Order {order_id} was paid after all: the cart was changed since, check it before charging":
        "订单 {order_id} 已确认付款：购物车已改动，收款前请核对",
}
