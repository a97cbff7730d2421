"""Chinese for pos_app/ui/hub_panel.py (the store hub badge and dialog)."""

ZH = {
    "Hub: %1 unsent": "服务器：%1 条未同步",
    "Hub offline: %1 unsent": "服务器离线：%1 条未同步",
    "Hub refused: %1 unsent": "服务器拒绝：%1 条未同步",
    "Hub sync stopped: %1 unsent": "同步已停止：%1 条未同步",
    "%1 flag(s) Shift+F11": "%1 条提醒 Shift+F11",
    "%1 flag(s)": "%1 条提醒",
    "The hub cannot be reached: every sale is kept and sent later":
        "无法连接总店服务器：所有销售已保存，稍后自动发送",
    "The hub does not accept this till: enrol it again": "服务器不接受本收银台：请重新注册",
    "The hub and this till disagree (a restored backup?): call support; nothing is deleted":
        "服务器与本收银台数据不一致（是否恢复过备份？）：请联系技术支持；未删除任何数据",
    "Store hub": "总店服务器",
    "Store hub…": "总店服务器…",
    "Hub address": "服务器地址",
    "One-time code": "一次性注册码",
    "Hub CA fingerprint": "服务器证书指纹",
    "This till's name": "本收银台名称",
    "Enrol (Enter)": "注册 (Enter)",
    "Flags from the hub": "服务器提醒",
    "Open the order (Enter)": "打开订单 (Enter)",
    "Mark handled (Del)": "标记为已处理 (Del)",
    "Close (Esc)": "关闭 (Esc)",
    "This till is not enrolled at a store hub.": "本收银台尚未注册到总店服务器。",
    "Hub %1 — %2, %3 unsent": "服务器 %1 — %2，%3 条未同步",
    "Paid after the till closed it": "收银台关单后顾客仍付款",
    "Amount differs from WeChat Pay": "金额与微信支付不符",
    "Paid at WeChat Pay, no till knows it": "微信支付已收款，但无收银台记录",
    "order %1": "订单 %1",
    "The hub's certificate is not the one shown with the code: nothing was sent":
        "服务器证书与注册码旁显示的不一致：未发送任何数据",
    "The hub does not know this code, or it was used or expired":
        "服务器不认识此注册码，或已使用、已过期",
    "The hub address must start with https://": "服务器地址须以 https:// 开头",
    "Cannot reach the hub at this address": "无法连接此地址的服务器",
    "The hub did not accept this (%1)": "服务器未接受（%1）",
    "Enter the hub address and the one-time code": "请输入服务器地址和一次性注册码",
    "Enrolling…": "正在注册…",
    "Enrolled: this till's sales now go to the hub": "已注册：本收银台的销售数据将同步到服务器",
    "This flag names no order of this till": "此提醒不涉及本收银台的订单",
}
