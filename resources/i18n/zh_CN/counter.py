"""Chinese for the sale screen's counter strings (issue 10): banner, tender keys, discounts,
settings of the till. Plain UI text (tr()), merged by fill_zh_CN.py."""

ZH = {
    "The cashier discount limit must be 0–100 %": "收银员折扣上限须在 0–100% 之间",
    "Round off": "抹零",
    "Round off (抹零)": "抹零",
    "Amount off %1 (¥ up to %2, or a percentage like 10%)":
        "%1 优惠金额（¥，最多 %2；或输入百分比，如 10%）",
    "Amount off the whole order (¥ up to %1, or a percentage like 10%)":
        "整单优惠金额（¥，最多 %1；或输入百分比，如 10%）",
    "Exact (Enter)": "刚好 (Enter)",
    "Waiting %1 s — the till gives up and reverses in %2 s":
        "已等待 %1 秒 — %2 秒后收银机将放弃并撤销",
    "A discount over %1% needs a manager's approval": "超过 %1% 的折扣需要经理批准",
    "%1: %2 off in all (%3% of the sale), over the cashier limit of %4%":
        "%1：共优惠 %2（占本单 %3%），超过收银员上限 %4%",
    "Clear this sale (%1 items, %2)? Press F12 again to clear, any other key to keep it":
        "清空本单（%1 件，%2）？再按 F12 清空，按其他键保留",
    "Paid %1": "已收款 %1",
    "give %1 change": "找零 %1",
    "receipt printing (Ctrl+P reprints)": "小票打印中（Ctrl+P 补打）",
    "Receipt not printed: %1 (Ctrl+P to retry)": "小票未打印：%1（Ctrl+P 重试）",
    "Printing a copy of receipt %1": "正在补打小票 %1",
    "Manager: %1": "经理：%1",
    "Administrator: %1": "管理员：%1",
}

ZH.update({
    # the demo phone's scenarios
    "Pays at once": "直接支付成功",
    "Enters the password, then pays": "输入密码后支付成功",
    "Enters the password, then the payment fails": "输入密码后支付失败",
    "Never finishes the password": "一直未输完密码",
    "System error, but charged": "系统错误，但已扣款",
    "System error, not charged": "系统错误，未扣款",
    "Bank error, but charged": "银行错误，但已扣款",
    "Bank error, not charged": "银行错误，未扣款",
    "Code expired": "付款码已过期",
    "Code invalid": "付款码无效",
    "Balance not enough": "余额不足",
    "Card not supported": "不支持该卡",
    "Trade error": "交易错误",
    "Reverse needs a second call": "撤销需再次调用",
    "Charged, the answer times out": "已扣款，应答超时",
    "Charged, the answer is lost": "已扣款，应答丢失",
    "Charged, bad signature": "已扣款，签名错误",
    "Payment fails": "支付失败",
    "Trade already closed": "交易已关闭",
    "Alipay: %1": "支付宝：%1",
})

ZH.update({
    "Open the shift": "开班",
    "No shift is open on this till. Count the cash in the drawer and enter it to open the shift.":
        "本收银台还没有开班。请清点钱箱现金并输入金额以开班。",
    "Enter: open the shift · Esc: not now (no sales until a shift is open)":
        "Enter：开班 · Esc：暂不开班（开班前不能收款）",
})

ZH.update({
    "At the counter": "收银台",
    "A payment code scanned at the sale field waits for Enter (otherwise it charges at once)":
        "在商品输入框扫到的付款码需按 Enter 确认（否则立即收款）",
    "Full screen (kiosk)": "全屏（自助模式）",
    "Cashier discount limit (more needs a manager's PIN)": "收银员折扣上限（超过需店长 PIN）",
})

ZH.update({"Sale on hold (%1) — Ctrl+R recalls it": "已挂单（%1）— Ctrl+R 取单"})
