"""Chinese for both channels' QRs at once (pos_app/ui/pair_pay_dialog.py, refund_owed.py,
the sale screen's Ctrl+F8 and the demo phone)."""

ZH = {
    "Scan with WeChat": "用微信扫",
    "Scan with Alipay": "用支付宝扫",
    "Alipay QR (with Alipay enabled)": "支付宝收款码（已启用支付宝时）",
    "WeChat and Alipay QRs side by side: the customer picks": "微信、支付宝两个收款码并排：顾客任选",
    "Both QRs": "双码收款",
    "Both QRs need WeChat Pay and Alipay enabled (Settings)": "双码收款需同时启用微信支付和支付宝（设置）",
    "WeChat Pay · Alipay — customer scans": "微信支付 · 支付宝 — 顾客扫码",
    "Ask the customer to scan with WeChat or Alipay": "请顾客用微信或支付宝扫码",
    "Contacting WeChat Pay and Alipay…": "正在连接微信支付和支付宝…",
    "Paid with %1": "已通过%1付款",
    "Waiting for the customer to pay with %1": "等待顾客用%1付款…",
    "Cancelling… waiting for WeChat Pay and Alipay to confirm": "正在取消… 等待微信支付和支付宝确认",
    "Order %1 was paid twice: give %2 back to the customer (%3) — a manager refunds it "
    "(Shift+F5)": "订单 %1 被重复支付：须退还顾客 %2（%3）— 由店长退款（Shift+F5）",
    "⚠ Order %1 paid twice: refund %2 (Shift+F5)": "⚠ 订单 %1 重复支付：请退 %2（Shift+F5）",
    "+%1 more": "另有 %1 单",
    "Recovery failed — unfinished payments stay blocked": "恢复失败 — 未完成的支付仍被锁定",
}
